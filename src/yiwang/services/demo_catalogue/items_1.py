"""Demo items, part 1 of 4 (see the package docstring)."""

from __future__ import annotations

from yiwang.services.demo_catalogue.common import (
    CONTACT_NAME,
    CONTACT_PHONE,
    HOUSING,
    IMMEDIATE,
    LAND,
    LEGAL_REPRESENTATIVE,
    LICENSE_FORM_KINDS,
    MARKET,
    POLICE,
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
        "food_business_license",
        MARKET,
        "339903A0010000",
        name="食品经营许可",
        item_type="licensing",
        subjects=["enterprise"],
        legal_basis=(
            "《中华人民共和国食品安全法》第三十五条：国家对食品生产经营实行许可制度。从事食品销售、"
            "餐饮服务，应当依法取得许可。\n"
            "《中华人民共和国食品安全法》第三十三条（食品经营应当符合的要求）。\n"
            "《食品经营许可和备案管理办法》（国家市场监督管理总局令第78号）。"
        ),
        conditions=(
            "（一）已取得营业执照等合法主体资格；\n"
            "（二）具有与经营的食品品种、数量相适应的食品原料处理和食品加工、销售、贮存等场所，"
            "保持场所环境整洁，并与有毒、有害场所以及其他污染源保持规定的距离；\n"
            "（三）具有与经营的食品品种、数量相适应的经营设备或者设施；\n"
            "（四）有专职或者兼职的食品安全管理人员和保证食品安全的规章制度；\n"
            "（五）具有合理的设备布局和工艺流程，防止待加工食品与直接入口食品、原料与成品交叉污染。"
        ),
        statutory_limit=10,
        promised_limit=3,
        online_depth=7,
        handling_forms=LICENSE_FORM_KINDS,
        location=_at("A01"),
        phone=_phone("0301"),
        allows_deficiency=True,
        result_kind="license",
        result_name="食品经营许可证",
        result_license_type="食品经营许可证",
        result_field_map={
            "operator_name": "applicant.name",
            "premises": "form:premises",
            "category": "form:category",
            "business_items": "form:business_items",
        },
        delivery_methods=["electronic", "mail", "window"],
        life_events=["operating_permit", "start_business"],
        themes=["food_drug", "market"],
        keywords="开饭店 开餐馆 餐饮 小吃店 奶茶店 咖啡店 食堂 食品销售 卖食品 超市 便利店 食品经营许可证",
        form_fields=[
            PREMISES,
            _field(
                "category", "主体业态", "choice", choices=["食品销售经营者", "餐饮服务经营者", "单位食堂"]
            ),
            _field(
                "business_items", "经营项目", help_text="如：热食类食品制售；冷食类食品制售；自制饮品制售"
            ),
            _field("operating_area", "经营场所面积（平方米）", "number"),
            LEGAL_REPRESENTATIVE,
            CONTACT_NAME,
            CONTACT_PHONE,
        ],
        materials=[
            _material(
                "application_form", "食品经营许可申请书", notes="网上申请的由系统按申请表生成，电子签名即可"
            ),
            _material("business_license", "营业执照", license="营业执照", notes="已领取电子营业执照的免提交"),
            _material("id_card", "法定代表人（负责人）居民身份证", notes="正反面"),
            _material(
                "layout_plan",
                "经营场所平面布局图及主要设备设施布局、操作流程",
                key=False,
                notes="标明加工操作区域、设备位置；可容缺，于受理后5个工作日内补交",
            ),
            _material(
                "safety_rules",
                "保证食品安全的规章制度",
                key=False,
                notes="含从业人员健康管理、进货查验记录、食品安全自查、事故处置等制度；可容缺",
            ),
            _material(
                "power_of_attorney", "授权委托书及受托人身份证明", required=False, notes="委托他人办理的提供"
            ),
        ],
    ),
    _item(
        "individual_business_registration",
        MARKET,
        "339903G0020000",
        name="个体工商户设立登记",
        item_type="confirmation",
        subjects=["citizen"],
        legal_basis=(
            "《中华人民共和国市场主体登记管理条例》第三条：市场主体应当依照本条例办理登记。未经登记，"
            "不得以市场主体名义从事经营活动。\n"
            "《中华人民共和国市场主体登记管理条例》第十九条：对申请材料齐全、符合法定形式的予以确认"
            "并当场登记。不能当场登记的，应当在3个工作日内予以登记。\n"
            "《促进个体工商户发展条例》。"
        ),
        conditions=(
            "（一）有经营能力的自然人，以个人或者家庭经营；\n（二）有固定的经营场所；\n"
            "（三）经营范围不属于法律、行政法规禁止的项目。"
        ),
        statutory_limit=3,
        **IMMEDIATE,
        online_depth=6,
        handling_forms=LICENSE_FORM_KINDS,
        location=_at("A01"),
        phone=_phone("0302"),
        scope="province",
        result_name="个体工商户营业执照",
        delivery_methods=["electronic", "mail", "window"],
        life_events=["start_business"],
        themes=["market"],
        keywords="开店 摆摊 个体户 营业执照 开小店 个体工商户 网店 夫妻店 办执照",
        form_fields=[
            _field("business_name", "个体工商户名称", required=False, help_text="可不起字号名称"),
            _field("organization_form", "组成形式", "choice", choices=["个人经营", "家庭经营"]),
            PREMISES,
            _field("business_scope", "经营范围", "textarea"),
            _field("capital", "资金数额（万元）", "number"),
            _field("employees", "从业人数", "number"),
            CONTACT_PHONE,
        ],
        materials=[
            _material("application_form", "个体工商户登记（备案）申请书", notes="网上申请的由系统生成"),
            _material("id_card", "经营者居民身份证", notes="正反面"),
            _material(
                "real_estate_certificate",
                "不动产权证书",
                required=False,
                license="不动产权证书",
                notes="经营场所为本人房产的提供；已有电子证照的免提交",
            ),
            _material("premises_lease", "经营场所租赁协议", required=False, notes="租用场所的提供"),
            _material(
                "family_relation",
                "家庭成员关系证明",
                required=False,
                notes="家庭经营的提供居民户口簿或结婚证等",
            ),
        ],
    ),
    _item(
        "enterprise_registration",
        MARKET,
        "339903G0030000",
        name="企业设立登记",
        item_type="confirmation",
        subjects=["citizen", "enterprise"],
        legal_basis=(
            "《中华人民共和国公司法》；\n"
            "《中华人民共和国市场主体登记管理条例》第三条、第十九条；\n"
            "《中华人民共和国市场主体登记管理条例实施细则》（国家市场监督管理总局令第52号）。"
        ),
        conditions=(
            "（一）企业名称已自主申报且符合企业名称登记管理规定；\n（二）有符合章程规定的出资；\n"
            "（三）有公司章程（合伙协议）；\n（四）有住所；\n（五）有符合规定的组织机构。"
        ),
        statutory_limit=3,
        promised_limit=1,
        online_depth=6,
        handling_forms=LICENSE_FORM_KINDS,
        location=_at("A01"),
        phone=_phone("0303"),
        scope="province",
        result_name="营业执照（含电子营业执照）",
        delivery_methods=["electronic", "mail", "window"],
        life_events=["start_business"],
        themes=["market"],
        keywords="开公司 注册公司 办营业执照 营业执照 公司注册 企业开办 设立公司 有限公司",
        form_fields=[
            _field("company_name", "企业名称", help_text="经企业名称自主申报系统申报的名称"),
            _field(
                "company_type",
                "企业类型",
                "choice",
                choices=[
                    "有限责任公司（自然人投资或控股）",
                    "有限责任公司（自然人独资）",
                    "股份有限公司（非上市、自然人投资或控股）",
                    "个人独资企业",
                    "普通合伙企业",
                ],
            ),
            _field("registered_capital", "注册资本（万元）", "number"),
            _field("domicile", "住所"),
            _field("business_scope", "经营范围", "textarea"),
            LEGAL_REPRESENTATIVE,
            CONTACT_PHONE,
        ],
        materials=[
            _material("application_form", "公司登记（备案）申请书"),
            _material("articles", "公司章程", notes="全体股东签署"),
            _material("id_card", "股东、法定代表人居民身份证", notes="法人股东提供营业执照"),
            _material("appointment", "法定代表人、董事、监事和经理的任职文件"),
            _material("domicile_proof", "住所使用相关文件", notes="产权证明或租赁协议；住所申报承诺的可免"),
            _material("power_of_attorney", "授权委托书及受托人身份证明", required=False),
        ],
    ),
    _item(
        "construction_planning_permit",
        LAND,
        "339908A0010000",
        name="建设工程规划许可证核发",
        item_type="licensing",
        subjects=["enterprise"],
        legal_basis=(
            "《中华人民共和国城乡规划法》第四十条：在城市、镇规划区内进行建筑物、构筑物、道路、管线"
            "和其他工程建设的，建设单位或者个人应当向城市、县人民政府城乡规划主管部门申请办理建设"
            "工程规划许可证。\n"
            "《中华人民共和国行政许可法》第四十二条（二十日办结）。\n"
            "《浙江省城乡规划条例》。"
        ),
        conditions=(
            "（一）已依法取得建设用地（国有土地使用权出让合同、划拨决定书或不动产权证书）；\n"
            "（二）建设工程设计方案符合控制性详细规划和规划条件；\n"
            "（三）涉及人防、消防等的设计方案经住房和城乡建设部门并联审查同意。"
        ),
        statutory_limit=20,
        promised_limit=7,
        online_depth=6,
        handling_forms=["window", "online"],
        location=_at("A02"),
        phone=_phone("0801"),
        process_code="services.joint",
        joint_departments=[HOUSING],
        result_name="建设工程规划许可证",
        life_events=["construction"],
        themes=["planning"],
        keywords="规划许可 建设工程规划许可证 工程规划证 盖房子 建厂房 工程建设 规划审批 施工前",
        form_fields=[
            _field("project_name", "项目名称"),
            _field(
                "project_code",
                "投资项目代码",
                help_text="投资项目在线审批监管平台赋码，如 2026-339902-47-01-123456",
            ),
            _field("project_address", "建设地点"),
            _field("building_area", "总建筑面积（平方米）", "number"),
            _field("land_certificate_number", "土地权属证书（合同）编号"),
            _field("design_unit", "设计单位"),
            CONTACT_NAME,
            CONTACT_PHONE,
        ],
        materials=[
            _material("application_form", "建设工程规划许可证申请表"),
            _material(
                "business_license", "营业执照", license="营业执照", notes="建设单位的；已有电子证照的免提交"
            ),
            _material(
                "land_use_proof",
                "使用土地的有关证明文件",
                notes="国有土地使用权出让合同、划拨决定书或不动产权证书",
            ),
            _material("project_approval", "建设项目批准、核准或者备案文件"),
            _material(
                "design_scheme",
                "建设工程设计方案（总平面图、建筑单体平立剖面图）",
                notes="PDF及CAD电子文件，加盖设计单位出图章",
            ),
            _material("power_of_attorney", "授权委托书及受托人身份证明", required=False),
        ],
    ),
    _item(
        "road_occupation_excavation",
        URBAN,
        "339909A0010000",
        name="占用、挖掘城市道路审批",
        item_type="licensing",
        subjects=["enterprise"],
        legal_basis=(
            "《城市道路管理条例》第三十一条：因特殊情况需要临时占用城市道路的，须经市政工程行政主管部门"
            "和公安交通管理部门批准，方可按照规定占用。\n"
            "《城市道路管理条例》第三十三条：因工程建设需要挖掘城市道路的，应当持城市规划部门批准签发"
            "的文件和有关设计文件，到市政工程行政主管部门和公安交通管理部门办理审批手续。"
        ),
        conditions=(
            "（一）因工程建设或者特殊情况确需占用、挖掘城市道路；\n"
            "（二）有施工方案和交通组织方案，占用期限、范围合理；\n"
            "（三）新建、扩建、改建的城市道路交付使用后5年内、大修的城市道路竣工后3年内不得挖掘"
            "（因特殊情况需要挖掘的须经市人民政府批准）。"
        ),
        statutory_limit=20,
        promised_limit=5,
        online_depth=5,
        location=_at("A02"),
        phone=_phone("0901"),
        process_code="services.joint",
        joint_departments=[POLICE],
        allows_deficiency=True,
        result_name="占用、挖掘城市道路许可决定书",
        life_events=["construction"],
        themes=["planning", "transport"],
        keywords="挖路 占道 占用道路 挖掘道路 道路开挖 管线施工 搭设围挡 占道施工",
        form_fields=[
            _field("project_name", "工程名称"),
            _field("road_section", "占用（挖掘）路段", help_text="道路名称及起止点"),
            _field("occupation_kind", "申请类别", "choice", choices=["临时占用", "挖掘", "占用并挖掘"]),
            _field("area", "占用（挖掘）面积（平方米）", "number"),
            _field("start_date", "开始日期", "date"),
            _field("end_date", "结束日期", "date"),
            CONTACT_NAME,
            CONTACT_PHONE,
        ],
        materials=[
            _material("application_form", "占用、挖掘城市道路申请表"),
            _material("business_license", "营业执照", license="营业执照", notes="已有电子证照的免提交"),
            _material(
                "planning_approval", "城市规划部门批准签发的文件", required=False, notes="挖掘城市道路的提供"
            ),
            _material("construction_plan", "施工方案及交通组织方案", notes="含占用范围平面示意图"),
            _material("safety_measures", "施工安全保障措施及道路修复承诺", key=False, notes="可容缺"),
        ],
    ),
    _item(
        "real_estate_transfer",
        LAND,
        "339908G0020000",
        name="不动产登记（转移登记）",
        item_type="confirmation",
        subjects=["citizen"],
        legal_basis=(
            "《中华人民共和国民法典》第二百零九条：不动产物权的设立、变更、转让和消灭，经依法登记，"
            "发生效力。\n"
            "《不动产登记暂行条例》第三条、第十四条；第二十条：不动产登记机构应当自受理登记申请之日起"
            "30个工作日内办结不动产登记手续。\n"
            "《不动产登记暂行条例实施细则》（自然资源部令）。"
        ),
        conditions=(
            "（一）因买卖、赠与、继承、夫妻间约定等原因导致不动产权利转移；\n"
            "（二）不动产已办理首次登记，不存在查封、异议登记等限制转移的情形；\n"
            "（三）当事人双方共同申请（继承等可单方申请），并已依法缴纳相关税费。"
        ),
        statutory_limit=30,
        promised_limit=3,
        online_depth=3,
        visits=1,
        handling_forms=["window"],
        fee_free=False,
        fees=(
            "住宅类不动产登记费每件80元，非住宅类每件550元；不动产权属证书工本费首本免收"
            "（《国家发展改革委 财政部关于不动产登记收费标准等有关问题的通知》发改价格规〔2016〕2559号）"
        ),
        location=_at("A04"),
        phone=_phone("0802"),
        result_kind="license",
        result_name="不动产权证书",
        result_license_type="不动产权证书",
        result_field_map={
            "right_holder": "applicant.name",
            "co_ownership": "form:co_ownership",
            "location": "form:location",
            "unit_number": "form:unit_number",
            "right_type": "form:right_type",
            "use": "form:use",
            "area": "form:area",
        },
        delivery_methods=["electronic", "mail", "window"],
        life_events=["housing"],
        themes=["real_estate", "housing"],
        keywords="过户 房产过户 二手房 买房 卖房 房产证 不动产权证 转移登记 房屋赠与 继承房产",
        form_fields=[
            _field("transfer_reason", "转移原因", "choice", choices=["买卖", "赠与", "继承", "夫妻间约定"]),
            _field("transferor_name", "转让方（原权利人）姓名"),
            _field("location", "不动产坐落"),
            _field("unit_number", "不动产单元号", help_text="28位，见原不动产权证书"),
            _field(
                "right_type",
                "权利类型",
                "choice",
                choices=["国有建设用地使用权/房屋所有权", "宅基地使用权/房屋所有权"],
            ),
            _field("use", "用途", "choice", choices=["城镇住宅用地/住宅", "商服用地/商业", "工业用地/工业"]),
            _field("area", "房屋建筑面积（平方米）", "number"),
            _field("co_ownership", "共有情况", "choice", choices=["单独所有", "共同共有", "按份共有"]),
        ],
        materials=[
            _material("application_form", "不动产登记申请书", "original", notes="双方当事人现场签字"),
            _material("id_card", "申请人居民身份证", "original", notes="转让方、受让方均需提供"),
            _material(
                "original_certificate", "原不动产权属证书", "original", notes="转让方持有的，办结后收回"
            ),
            _material(
                "sale_contract", "不动产买卖合同（网签备案）", notes="赠与、继承的提供赠与合同、继承公证书等"
            ),
            _material("tax_receipt", "完税凭证", notes="契税、增值税等；“一窗受理”由税务部门推送的无需另交"),
            _material(
                "marriage_certificate",
                "结婚证",
                required=False,
                key=False,
                license="结婚证",
                notes="受让方已婚、登记为共同共有的提供；已有电子证照的免提交",
            ),
        ],
    ),
]
