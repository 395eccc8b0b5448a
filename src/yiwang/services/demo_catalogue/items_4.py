"""Demo items, part 4 of 4 (see the package docstring)."""

from __future__ import annotations

from yiwang.services.demo_catalogue.common import (
    CONTACT_NAME,
    CONTACT_PHONE,
    ECOLOGY,
    EMERGENCY,
    HOUSING,
    PREMISES,
    URBAN,
    _at,
    _field,
    _item,
    _material,
    _phone,
)

ITEMS = [
    _item(
        "pollutant_discharge_permit",
        ECOLOGY,
        "339911A0010000",
        name="排污许可证核发",
        item_type="licensing",
        subjects=["enterprise"],
        legal_basis=(
            "《中华人民共和国环境保护法》第四十五条：实行排污许可管理的企业事业单位和其他生产经营者应当"
            "按照排污许可证的要求排放污染物；未取得排污许可证的，不得排放污染物。\n"
            "《排污许可管理条例》（国务院令第736号）。"
        ),
        conditions=(
            "（一）依法取得建设项目环境影响评价文件审批意见，或者按照规定完成环境影响登记表备案；\n"
            "（二）污染防治设施、措施符合国家和地方污染物排放标准；\n"
            "（三）自行监测方案的监测点位、指标、频次等符合规定。"
        ),
        statutory_limit=20,
        promised_limit=10,
        online_depth=6,
        location=_at("A02"),
        phone=_phone("1101"),
        scope="province",
        result_name="排污许可证",
        life_events=["operating_permit"],
        themes=["environment"],
        keywords="排污许可 排污证 环保许可 废水排放 废气排放 排污",
        form_fields=[
            _field("industry", "行业类别"),
            PREMISES,
            _field("management_category", "管理类别", "choice", choices=["重点管理", "简化管理"]),
            _field("main_pollutants", "主要污染物种类"),
            _field("outlet_count", "排放口数量（个）", "number"),
            CONTACT_PHONE,
        ],
        materials=[
            _material("application_form", "排污许可证申请表"),
            _material("business_license", "营业执照", license="营业执照", notes="已有电子证照的免提交"),
            _material("eia_approval", "建设项目环境影响评价文件审批意见或登记表备案回执"),
            _material("monitoring_plan", "自行监测方案"),
            _material("compliance_commitment", "守法承诺书", notes="法定代表人签字"),
        ],
    ),
    _item(
        "hazardous_chemicals_license",
        EMERGENCY,
        "339913A0010000",
        name="危险化学品经营许可证核发",
        item_type="licensing",
        subjects=["enterprise"],
        legal_basis=(
            "《危险化学品安全管理条例》第三十三条：国家对危险化学品经营（包括仓储经营）实行许可制度。\n"
            "《危险化学品安全管理条例》第三十五条：应当依法进行审查，自收到证明材料之日起30日内作出"
            "批准或者不予批准的决定。\n"
            "《危险化学品经营许可证管理办法》。"
        ),
        conditions=(
            "（一）有符合国家标准、行业标准的经营场所，储存危险化学品的还应有符合标准的储存设施；\n"
            "（二）从业人员经过专业技术培训并经考核合格；\n（三）有健全的安全管理规章制度；\n"
            "（四）有专职安全管理人员；\n（五）有符合规定的事故应急救援预案和必要的应急救援器材、设备。"
        ),
        statutory_limit=30,
        promised_limit=10,
        online_depth=4,
        visits=1,
        location=_at("A02"),
        phone=_phone("1301"),
        result_name="危险化学品经营许可证",
        life_events=["operating_permit"],
        themes=["safety"],
        keywords="危化品 危险化学品 危化品经营 化工原料 油漆 化学品经营许可证",
        form_fields=[
            PREMISES,
            _field("storage", "经营方式", "choice", choices=["带有储存设施经营", "不带有储存设施经营"]),
            _field("chemical_list", "经营的危险化学品品种", "textarea"),
            _field("principal_name", "主要负责人"),
            CONTACT_PHONE,
        ],
        materials=[
            _material("application_form", "危险化学品经营许可证申请书"),
            _material("business_license", "营业执照", license="营业执照", notes="已有电子证照的免提交"),
            _material("premises_proof", "经营场所产权证明或者租赁证明"),
            _material("safety_certificates", "主要负责人、安全生产管理人员安全生产知识和管理能力考核合格证"),
            _material("safety_rules", "安全生产规章制度和岗位操作规程", key=False),
            _material("emergency_plan", "事故应急救援预案", key=False),
        ],
    ),
    _item(
        "sewage_discharge_permit",
        HOUSING,
        "339907A0010000",
        name="城镇污水排入排水管网许可",
        item_type="licensing",
        subjects=["enterprise"],
        legal_basis=(
            "《城镇排水与污水处理条例》第二十一条：从事工业、建筑、餐饮、医疗等活动的企业事业单位、"
            "个体工商户向城镇排水设施排放污水的，应当向城镇排水主管部门申请领取污水排入排水管网许可证。\n"
            "《城镇污水排入排水管网许可管理办法》（住房和城乡建设部令第21号）。"
        ),
        conditions=(
            "（一）排放口的设置符合城镇排水与污水处理规划的要求；\n"
            "（二）按照国家有关规定建设相应的预处理设施（餐饮排水户应设置隔油设施）；\n"
            "（三）排放的污水符合国家或者地方规定的排放标准。"
        ),
        statutory_limit=15,
        promised_limit=5,
        online_depth=6,
        location=_at("A02"),
        phone=_phone("0701"),
        result_name="城镇污水排入排水管网许可证",
        delivery_methods=["electronic", "window"],
        life_events=["operating_permit"],
        themes=["environment"],
        keywords="排水许可 排水证 污水排放 隔油池 餐饮排水 排入管网",
        form_fields=[
            PREMISES,
            _field(
                "discharge_type",
                "排水户类型",
                "choice",
                choices=["餐饮", "工业", "建筑施工", "医疗", "洗车", "其他"],
            ),
            _field("daily_discharge", "日排水量（立方米）", "number"),
            _field("pretreatment", "预处理设施", help_text="如：隔油池1座，处理能力2立方米/日"),
            CONTACT_NAME,
            CONTACT_PHONE,
        ],
        materials=[
            _material("application_form", "城镇污水排入排水管网许可申请表"),
            _material("business_license", "营业执照", license="营业执照", notes="已有电子证照的免提交"),
            _material("drainage_drawing", "排水户内部排水管网、专用检测井、污水排放口位置和口径的图纸及说明"),
            _material("pretreatment_description", "预处理设施说明", key=False, notes="可容缺"),
            _material(
                "water_quality_report", "排水水质检测报告", required=False, notes="工业、医疗排水户提供"
            ),
        ],
    ),
    _item(
        "outdoor_advertising_license",
        URBAN,
        "339909A0020000",
        name="户外广告设施设置许可（店招店牌）",
        item_type="licensing",
        subjects=["enterprise"],
        legal_basis=(
            "《城市市容和环境卫生管理条例》第十一条：大型户外广告的设置必须征得城市人民政府市容环境"
            "卫生行政主管部门同意后，按照有关规定办理审批手续。\n"
            "《中华人民共和国广告法》第四十一条。\n"
            "《示范市户外广告设施设置管理办法》。"
        ),
        conditions=(
            "（一）符合本市户外广告设施设置规划和技术规范；\n（二）取得设置场地的使用权；\n"
            "（三）设施结构安全，大型设施有结构安全设计。"
        ),
        statutory_limit=20,
        promised_limit=5,
        online_depth=7,
        location=_at("A01"),
        phone=_phone("0902"),
        result_kind="license",
        result_name="户外广告设施设置许可证",
        result_license_type="户外广告设施设置许可证",
        result_field_map={
            "applicant": "applicant.name",
            "site": "form:site",
            "form": "form:ad_form",
            "size": "form:size",
        },
        delivery_methods=["electronic", "window"],
        life_events=["operating_permit"],
        themes=["market"],
        keywords="店招 招牌 门头 广告牌 店牌 户外广告 挂招牌 做门头",
        form_fields=[
            _field("site", "设置地点"),
            _field(
                "ad_form",
                "广告形式",
                "choice",
                choices=["屋顶广告", "墙面广告", "立柱广告", "店招店牌", "电子显示屏"],
            ),
            _field("size", "规格", help_text="长×高，如 6.0米×1.2米"),
            _field("sign_text", "店招内容"),
            CONTACT_NAME,
            CONTACT_PHONE,
        ],
        materials=[
            _material("application_form", "户外广告设施设置申请表"),
            _material("business_license", "营业执照", license="营业执照", notes="已有电子证照的免提交"),
            _material("site_right_proof", "设置场地使用权证明", notes="产权证明或租赁协议"),
            _material("design_drawing", "设计效果图及尺寸、材质说明"),
            _material("structure_safety", "结构安全说明", required=False, notes="大型户外广告设施提供"),
        ],
    ),
]
