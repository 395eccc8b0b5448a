"""Demo items, part 2 of 4 (see the package docstring)."""

from __future__ import annotations

from yiwang.services.demo_catalogue.common import (
    BANK_ACCOUNT,
    CONTACT_PHONE,
    FATHER_ID,
    HRSS,
    IMMEDIATE,
    MOTHER_ID,
    MOTHER_NAME,
    NEWBORN_BIRTH_DATE,
    NEWBORN_NAME,
    NEWBORN_SEX,
    POLICE,
    _at,
    _field,
    _item,
    _material,
    _phone,
)

ITEMS = [
    _item(
        "id_card_renewal",
        POLICE,
        "339904K0010000",
        name="居民身份证换领",
        item_type="public_service",
        subjects=["citizen"],
        legal_basis=(
            "《中华人民共和国居民身份证法》第十一条：居民身份证有效期满、公民姓名变更或者证件严重损坏"
            "不能辨认的，应当申请换领新证；领取新证时，必须交回原证。\n"
            "《中华人民共和国居民身份证法》第十条：公安机关应当自公民提交《居民身份证申领登记表》之日起"
            "六十日内发放居民身份证。"
        ),
        conditions="本市户籍居民，居民身份证有效期满、姓名等登记项目变更或者证件严重损坏不能辨认。",
        statutory_limit=60,
        statutory_limit_unit="natural_days",
        promised_limit=15,
        promised_limit_unit="natural_days",
        online_depth=3,
        visits=1,
        handling_forms=["window"],
        fee_free=False,
        fees="换领居民身份证工本费每证20元（《国家发展改革委 财政部关于居民身份证收费标准及有关问题的通知》发改价格〔2003〕2322号）",
        location=_at("A03"),
        phone=_phone("0401"),
        scope="nation",
        result_name="居民身份证",
        delivery_methods=["mail", "window"],
        life_events=["identity"],
        themes=["public_security"],
        keywords="身份证 换身份证 身份证到期 身份证过期 身份证换领 换证 身份证坏了",
        form_fields=[
            _field(
                "change_reason", "换领原因", "choice", choices=["有效期满", "证件严重损坏", "登记项目变更"]
            ),
            _field(
                "photo_receipt_number",
                "数码相片回执号",
                required=False,
                help_text="在照相馆拍摄的填写；现场采集的免填",
            ),
            CONTACT_PHONE,
        ],
        materials=[
            _material("id_card", "原居民身份证", "original", notes="领取新证时交回"),
            _material(
                "household_register",
                "居民户口簿",
                "original",
                license="居民户口簿",
                notes="已有电子证照的免提交",
            ),
            _material(
                "id_photo",
                "居民身份证数码相片",
                notes="近6个月内正面免冠彩色数码相片，白色背景；可在窗口免费采集，并现场采集指纹",
            ),
        ],
    ),
    _item(
        "newborn_household_registration",
        POLICE,
        "339904G0020000",
        name="新生儿出生登记（落户）",
        item_type="confirmation",
        subjects=["citizen"],
        legal_basis=(
            "《中华人民共和国户口登记条例》第七条：婴儿出生后一个月以内，由户主、亲属、抚养人或者邻居"
            "向婴儿常住地户口登记机关申报出生登记。\n"
            "《国务院办公厅关于解决无户口人员登记户口问题的意见》（国办发〔2015〕96号）。"
        ),
        conditions="在本市出生、父亲或者母亲为本市户籍的新生儿，随父或者随母落户。",
        statutory_limit=20,
        promised_limit=3,
        online_depth=6,
        location=_at("A03"),
        phone=_phone("0402"),
        result_name="居民户口簿（新生儿户口页）",
        delivery_methods=["electronic", "mail", "window"],
        life_events=["birth", "identity"],
        themes=["public_security"],
        keywords="上户口 报户口 新生儿落户 宝宝落户 出生登记 小孩户口 入户",
        form_fields=[
            NEWBORN_NAME,
            NEWBORN_SEX,
            NEWBORN_BIRTH_DATE,
            _field("birth_certificate_number", "出生医学证明编号"),
            _field("settle_with", "随父（母）落户", "choice", choices=["随父落户", "随母落户"]),
            MOTHER_ID,
            FATHER_ID,
            CONTACT_PHONE,
        ],
        materials=[
            _material(
                "birth_certificate", "出生医学证明", license="出生医学证明", notes="已有电子证照的免提交"
            ),
            _material(
                "household_register",
                "居民户口簿",
                license="居民户口簿",
                notes="落户所在户的户口簿；已有电子证照的免提交",
            ),
            _material("parents_id_card", "父母居民身份证", notes="正反面"),
            _material(
                "marriage_certificate",
                "结婚证",
                required=False,
                license="结婚证",
                notes="父母已办理结婚登记的提供；已有电子证照的免提交",
            ),
        ],
    ),
    _item(
        "newborn_medical_insurance",
        HRSS,
        "339905K0010000",
        name="新生儿城乡居民基本医疗保险参保登记",
        item_type="public_service",
        subjects=["citizen"],
        legal_basis=(
            "《中华人民共和国社会保险法》第二十五条：国家建立和完善城乡居民基本医疗保险制度。\n"
            "《国务院关于整合城乡居民基本医疗保险制度的意见》（国发〔2016〕3号）。"
        ),
        conditions="本市户籍或者父母一方为本市参保人员的新生儿，出生后90日内参保的，自出生之日起享受待遇。",
        statutory_limit=5,
        **IMMEDIATE,
        online_depth=6,
        location=_at("A03"),
        phone=_phone("0501"),
        result_name="城乡居民基本医疗保险参保登记凭证",
        delivery_methods=["electronic"],
        life_events=["birth", "medical", "social_security"],
        themes=["social_security", "health"],
        keywords="新生儿医保 宝宝医保 小孩医保 参保 少儿医保 医保登记",
        form_fields=[NEWBORN_NAME, NEWBORN_SEX, NEWBORN_BIRTH_DATE, MOTHER_ID, CONTACT_PHONE],
        materials=[
            _material(
                "birth_certificate", "出生医学证明", license="出生医学证明", notes="已有电子证照的免提交"
            ),
            _material("parents_id_card", "父母居民身份证", notes="监护人办理的提供"),
        ],
    ),
    _item(
        "maternity_allowance",
        HRSS,
        "339905E0020000",
        name="生育津贴申领",
        item_type="benefit",
        subjects=["citizen", "enterprise"],
        legal_basis=(
            "《中华人民共和国社会保险法》第五十四条：生育保险待遇包括生育医疗费用和生育津贴。\n"
            "《中华人民共和国社会保险法》第五十六条（享受生育津贴的情形）。\n"
            "《女职工劳动保护特别规定》第八条：女职工产假期间的生育津贴，对已经参加生育保险的，按照"
            "用人单位上年度职工月平均工资的标准由生育保险基金支付。"
        ),
        conditions="生育时用人单位已为女职工参加生育保险并按规定缴费；由女职工本人、其配偶或者用人单位申请。",
        statutory_limit=20,
        promised_limit=5,
        online_depth=6,
        location=_at("A03"),
        phone=_phone("0502"),
        result_name="生育津贴核定结果通知",
        delivery_methods=["electronic", "window"],
        life_events=["birth", "social_security"],
        themes=["social_security"],
        keywords="生育津贴 产假工资 生育保险 生孩子报销 生育金 产假津贴",
        form_fields=[
            MOTHER_NAME,
            MOTHER_ID,
            NEWBORN_BIRTH_DATE,
            _field("delivery_kind", "分娩方式", "choice", choices=["顺产", "难产（剖宫产）", "多胞胎生育"]),
            _field("employer_name", "参保单位名称"),
            BANK_ACCOUNT,
            CONTACT_PHONE,
        ],
        materials=[
            _material("id_card", "女职工居民身份证"),
            _material(
                "birth_certificate", "出生医学证明", license="出生医学证明", notes="已有电子证照的免提交"
            ),
            _material("discharge_summary", "医院出院小结（分娩记录）", notes="医疗机构已联网上传的免提交"),
            _material("bank_card", "银行账户信息", key=False, notes="社会保障卡或本人银行卡"),
        ],
    ),
    _item(
        "unemployment_benefit",
        HRSS,
        "339905E0030000",
        name="失业保险金申领",
        item_type="benefit",
        subjects=["citizen"],
        legal_basis=(
            "《中华人民共和国社会保险法》第四十五条（领取失业保险金的条件）；第五十条：失业人员凭失业"
            "登记证明和个人身份证明，到社会保险经办机构办理领取失业保险金的手续。\n"
            "《失业保险条例》第十四条、第十六条。"
        ),
        conditions=(
            "（一）失业前用人单位和本人已经缴纳失业保险费满一年；\n（二）非因本人意愿中断就业；\n"
            "（三）已经进行失业登记，并有求职要求。"
        ),
        statutory_limit=10,
        promised_limit=3,
        online_depth=6,
        location=_at("A03"),
        phone=_phone("0503"),
        scope="province",
        result_name="失业保险金核定通知",
        delivery_methods=["electronic"],
        life_events=["employment", "social_security"],
        themes=["labour", "social_security"],
        keywords="失业金 失业保险金 失业补助 被辞退 离职 没工作 领失业金",
        form_fields=[
            _field("termination_date", "劳动关系终止（解除）日期", "date"),
            _field("last_employer", "原工作单位"),
            _field(
                "termination_reason",
                "中断就业原因",
                "choice",
                choices=["劳动合同期满终止", "用人单位解除", "其他非本人意愿"],
            ),
            BANK_ACCOUNT,
            CONTACT_PHONE,
        ],
        materials=[
            _material("id_card", "居民身份证"),
            _material("termination_certificate", "终止或者解除劳动关系的证明", notes="原单位出具"),
            _material("bank_card", "银行账户信息", key=False, notes="社会保障卡或本人银行卡"),
        ],
    ),
    _item(
        "flexible_employment_insurance",
        HRSS,
        "339905K0040000",
        name="灵活就业人员社会保险参保登记",
        item_type="public_service",
        subjects=["citizen"],
        legal_basis=(
            "《中华人民共和国社会保险法》第十条第二款：无雇工的个体工商户、未在用人单位参加基本养老保险"
            "的非全日制从业人员以及其他灵活就业人员可以参加基本养老保险，由个人缴纳基本养老保险费。\n"
            "《中华人民共和国社会保险法》第五十八条（社会保险登记）。"
        ),
        conditions="法定劳动年龄内、未在用人单位参保的本省户籍或在本市居住的灵活就业人员。",
        statutory_limit=5,
        **IMMEDIATE,
        online_depth=6,
        location=_at("A03"),
        phone=_phone("0504"),
        scope="province",
        result_name="社会保险参保登记凭证",
        delivery_methods=["electronic"],
        life_events=["employment", "social_security"],
        themes=["social_security", "labour"],
        keywords="灵活就业 自己交社保 个人交社保 自由职业 社保登记 个人参保 外卖骑手社保",
        form_fields=[
            _field(
                "insurance_kind",
                "参保险种",
                "choice",
                choices=["企业职工基本养老保险", "职工基本医疗保险", "养老和医疗保险"],
            ),
            _field(
                "contribution_level",
                "缴费档次（占全省社平工资）",
                "choice",
                choices=["60%", "80%", "100%", "150%", "200%", "300%"],
            ),
            _field("payment_cycle", "缴费方式", "choice", choices=["按月缴纳", "按季缴纳", "按年缴纳"]),
            CONTACT_PHONE,
        ],
        materials=[
            _material("id_card", "居民身份证"),
            _material(
                "registration_form", "灵活就业人员参保登记表", required=False, notes="网上申请的由系统生成"
            ),
        ],
    ),
]
