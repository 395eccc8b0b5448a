"""Demo items, part 3 of 4 (see the package docstring)."""

from __future__ import annotations

from yiwang.services.demo_catalogue.common import (
    BANK_ACCOUNT,
    CIVIL,
    CONTACT_PHONE,
    HEALTH,
    HRSS,
    IMMEDIATE,
    LEGAL_REPRESENTATIVE,
    PREMISES,
    TRANSPORT,
    _at,
    _field,
    _item,
    _material,
    _phone,
)

ITEMS = [
    _item(
        "retirement_pension",
        HRSS,
        "339905E0050000",
        name="职工退休申请及基本养老金申领",
        item_type="benefit",
        subjects=["citizen", "enterprise"],
        legal_basis=(
            "《中华人民共和国社会保险法》第十六条：参加基本养老保险的个人，达到法定退休年龄时累计缴费"
            "满十五年的，按月领取基本养老金。\n"
            "《全国人民代表大会常务委员会关于实施渐进式延迟法定退休年龄的决定》（2024年）。"
        ),
        conditions="达到法定退休年龄（含按规定弹性提前或延迟退休），基本养老保险累计缴费年限达到规定的最低缴费年限。",
        statutory_limit=20,
        promised_limit=5,
        online_depth=6,
        location=_at("A03"),
        phone=_phone("0505"),
        scope="province",
        result_name="基本养老金核定表",
        delivery_methods=["electronic", "window"],
        life_events=["retirement"],
        themes=["social_security"],
        keywords="退休 办退休 养老金 退休金 领养老金 退休手续 延迟退休 弹性退休",
        form_fields=[
            _field("applicant_role", "申请方式", "choice", choices=["本人申请", "单位代办"]),
            _field(
                "retirement_kind",
                "退休类型",
                "choice",
                choices=["正常退休", "弹性提前退休", "弹性延迟退休", "特殊工种提前退休"],
            ),
            _field("retirement_date", "拟退休日期", "date"),
            _field("employer_name", "参保单位名称", required=False, help_text="以灵活就业人员身份参保的免填"),
            BANK_ACCOUNT,
            CONTACT_PHONE,
        ],
        materials=[
            _material("id_card", "居民身份证"),
            _material("retirement_form", "职工退休申请表", notes="单位代办的加盖单位公章"),
            _material(
                "personnel_file",
                "职工人事档案",
                "original",
                notes="由单位或档案保管机构报送，用于核定出生时间、参加工作时间",
            ),
            _material("bank_card", "银行账户信息", key=False, notes="社会保障卡或本人银行卡"),
        ],
    ),
    _item(
        "elderly_allowance",
        CIVIL,
        "339906E0010000",
        name="高龄津贴申领",
        item_type="benefit",
        subjects=["citizen"],
        legal_basis=(
            "《中华人民共和国老年人权益保障法》第三十三条：国家鼓励地方建立八十周岁以上低收入老年人"
            "高龄津贴制度。\n"
            "《示范市高龄津贴发放办法》。"
        ),
        conditions="具有本市户籍、年满80周岁的老年人；自年满80周岁的次月起按月发放。",
        statutory_limit=20,
        promised_limit=5,
        online_depth=6,
        location=_at("A03"),
        phone=_phone("0601"),
        result_name="高龄津贴发放通知",
        delivery_methods=["electronic", "mail"],
        life_events=["elderly"],
        themes=["civil_affairs", "social_security"],
        keywords="高龄津贴 老人补贴 80岁补贴 长寿金 老年补贴 养老补贴 高龄补贴",
        form_fields=[
            _field("applicant_role", "申请方式", "choice", choices=["本人申请", "亲属代办"]),
            _field("elder_name", "老年人姓名"),
            _field("elder_id_number", "老年人身份证号码", "id_number"),
            BANK_ACCOUNT,
            CONTACT_PHONE,
        ],
        materials=[
            _material("id_card", "老年人居民身份证"),
            _material("household_register", "居民户口簿", license="居民户口簿", notes="已有电子证照的免提交"),
            _material("bank_card", "银行账户信息", key=False, notes="老年人本人的社会保障卡或银行卡"),
            _material("power_of_attorney", "委托书及代办人身份证明", required=False, notes="亲属代办的提供"),
        ],
    ),
    _item(
        "marriage_registration",
        CIVIL,
        "339906G0020000",
        name="内地居民结婚登记",
        item_type="confirmation",
        subjects=["citizen"],
        legal_basis=(
            "《中华人民共和国民法典》第一千零四十九条：要求结婚的男女双方应当亲自到婚姻登记机关申请"
            "结婚登记。符合本法规定的，予以登记，发给结婚证。\n"
            "《婚姻登记条例》（2025年修订）：婚姻登记机关对当事人符合结婚条件的，应当当场予以登记，"
            "发给结婚证。"
        ),
        conditions=(
            "（一）男女双方完全自愿；\n（二）男年满二十二周岁，女年满二十周岁；\n"
            "（三）双方均无配偶，且没有直系血亲和三代以内旁系血亲关系；\n（四）双方亲自到场。"
        ),
        statutory_limit=1,
        **IMMEDIATE,
        online_depth=3,
        visits=1,
        handling_forms=["window"],
        location="示范市明湖区湖滨街道荷花路20号 市民政局婚姻登记处（周一至周六受理，需网上预约）",
        phone=_phone("0602"),
        scope="nation",
        acceptance_department=None,
        result_kind="license",
        result_name="结婚证",
        result_license_type="结婚证",
        result_field_map={
            "holder_name": "applicant.name",
            "registered_on": "form:registration_date",
            "spouse_name": "form:spouse_name",
        },
        delivery_methods=["window"],
        life_events=["marriage"],
        themes=["civil_affairs"],
        keywords="结婚 领证 结婚登记 结婚证 登记结婚 预约结婚",
        form_fields=[
            _field("spouse_name", "对方姓名"),
            _field("spouse_id_number", "对方身份证号码", "id_number"),
            _field("registration_date", "预约登记日期", "date", help_text="结婚证登记日期以当天为准"),
            CONTACT_PHONE,
        ],
        materials=[
            _material("id_card", "双方居民身份证", "original", copies=2),
            _material(
                "no_spouse_declaration",
                "本人无配偶以及与对方当事人没有直系血亲和三代以内旁系血亲关系的签字声明",
                "original",
                copies=2,
                notes="在登记处当场签署",
            ),
            _material(
                "couple_photo", "双方近期半身免冠合影照片", "original", copies=3, notes="2寸，红色背景"
            ),
        ],
    ),
    _item(
        "public_place_hygiene_license",
        HEALTH,
        "339910A0010000",
        name="公共场所卫生许可",
        item_type="licensing",
        subjects=["enterprise"],
        legal_basis=(
            "《公共场所卫生管理条例》第八条：除公园、体育场（馆）、公共交通工具外的公共场所，经营单位"
            "应当及时向卫生行政部门申请办理“卫生许可证”。\n"
            "《公共场所卫生管理条例实施细则》（原卫生部令第80号）。"
        ),
        conditions=(
            "（一）住宿、沐浴、美容美发、游泳、文化娱乐等公共场所的经营者；\n"
            "（二）场所选址、布局、卫生设施符合卫生标准和规范；\n"
            "（三）有卫生管理制度和经培训的卫生管理人员，从业人员取得健康合格证明；\n"
            "（四）场所卫生检测或者评价结果合格。"
        ),
        statutory_limit=20,
        promised_limit=5,
        online_depth=6,
        location=_at("A01"),
        phone=_phone("1001"),
        allows_deficiency=True,
        result_name="公共场所卫生许可证",
        delivery_methods=["electronic", "mail", "window"],
        life_events=["operating_permit"],
        themes=["health"],
        keywords="卫生许可证 开宾馆 开酒店 民宿 美容院 理发店 足浴 游泳馆 KTV 健身房 浴室",
        form_fields=[
            _field("place_name", "场所名称"),
            PREMISES,
            _field(
                "place_category",
                "场所类别",
                "choice",
                choices=["住宿场所", "沐浴场所", "美容美发场所", "游泳场所", "文化娱乐场所", "其他"],
            ),
            _field("operating_area", "经营场所面积（平方米）", "number"),
            LEGAL_REPRESENTATIVE,
            CONTACT_PHONE,
        ],
        materials=[
            _material("application_form", "公共场所卫生许可申请表"),
            _material("business_license", "营业执照", license="营业执照", notes="已有电子证照的免提交"),
            _material("id_card", "法定代表人（负责人）居民身份证"),
            _material("hygiene_report", "公共场所卫生检测或者评价报告", notes="具备资质的检测机构出具"),
            _material(
                "site_plan", "场所地址方位示意图、平面图和卫生设施平面布局图", key=False, notes="可容缺"
            ),
            _material("hygiene_rules", "卫生管理制度", key=False, notes="可容缺"),
        ],
    ),
    _item(
        "physician_registration",
        HEALTH,
        "339910A0020000",
        name="医师执业注册",
        item_type="licensing",
        subjects=["citizen"],
        legal_basis=(
            "《中华人民共和国医师法》第十三条：国家实行医师执业注册制度。卫生健康主管部门应当自受理申请"
            "之日起二十个工作日内准予注册，并发给医师执业证书。\n"
            "《医师执业注册管理办法》（国家卫生和计划生育委员会令第13号）。"
        ),
        conditions="取得医师资格，拟在本市医疗卫生机构执业，且不存在医师法规定不予注册的情形。",
        statutory_limit=20,
        promised_limit=5,
        online_depth=6,
        location=_at("A03"),
        phone=_phone("1002"),
        scope="province",
        result_name="医师执业证书（电子证照）",
        delivery_methods=["electronic"],
        life_events=["employment"],
        themes=["health", "labour"],
        keywords="医师注册 医生执业 执业证 医师执业证书 执业注册 当医生",
        form_fields=[
            _field("practice_category", "执业类别", "choice", choices=["临床", "中医", "口腔", "公共卫生"]),
            _field("practice_scope", "执业范围", help_text="如：内科专业"),
            _field("institution_name", "拟执业机构"),
            _field("qualification_number", "医师资格证书编码"),
            CONTACT_PHONE,
        ],
        materials=[
            _material("application_form", "医师执业注册申请审核表"),
            _material("id_card", "居民身份证"),
            _material("qualification_certificate", "医师资格证书"),
            _material("employment_proof", "医疗卫生机构拟聘用证明"),
            _material("health_check", "近6个月内的健康体检表", key=False),
            _material("id_photo", "近6个月内二寸免冠正面半身照", notes="白色背景"),
        ],
    ),
    _item(
        "dangerous_goods_transport_license",
        TRANSPORT,
        "339912A0010000",
        name="道路危险货物运输经营许可",
        item_type="licensing",
        subjects=["enterprise"],
        legal_basis=(
            "《中华人民共和国道路运输条例》第二十三条、第二十四条：从事危险货物运输经营的，向设区的市级"
            "人民政府交通运输主管部门提出申请，交通运输主管部门应当自受理申请之日起20日内审查完毕，"
            "作出许可或者不予许可的决定。\n"
            "《道路危险货物运输管理规定》（交通运输部令）。"
        ),
        conditions=(
            "（一）有5辆以上经检测合格的危险货物运输专用车辆、设备；\n"
            "（二）有经考试合格并取得从业资格证的驾驶人员、装卸管理人员、押运人员；\n"
            "（三）有符合安全规定并与经营规模相适应的停车场地；\n（四）有健全的安全生产管理制度。"
        ),
        statutory_limit=20,
        promised_limit=10,
        online_depth=5,
        visits=1,
        location=_at("A01"),
        phone=_phone("1201"),
        result_name="道路运输经营许可证",
        life_events=["operating_permit"],
        themes=["transport", "safety"],
        keywords="危货运输 危险品运输 道路运输经营许可证 运输许可 危化品运输 物流公司",
        form_fields=[
            _field("cargo_classes", "拟运输危险货物类别、项别", help_text="如：第3类易燃液体"),
            _field("vehicle_count", "拟投入专用车辆数（辆）", "number"),
            _field("parking_address", "停车场地地址"),
            _field("safety_manager", "专职安全管理人员姓名"),
            LEGAL_REPRESENTATIVE,
            CONTACT_PHONE,
        ],
        materials=[
            _material("application_form", "道路危险货物运输经营申请表"),
            _material("business_license", "营业执照", license="营业执照", notes="已有电子证照的免提交"),
            _material("vehicle_commitment", "拟投入车辆承诺书", notes="含车辆数量、类型、技术等级"),
            _material(
                "staff_certificates",
                "驾驶人员、装卸管理人员、押运人员从业资格证",
                notes="交通运输部门可核验的免提交",
            ),
            _material("parking_proof", "停车场地的土地使用证明或租赁合同"),
            _material("safety_rules", "安全生产管理制度文本"),
        ],
    ),
]
