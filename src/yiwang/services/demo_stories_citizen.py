"""The demo citizen 张明's applications, over the last four weeks.

He loses his job and is refused 失业保险金 (not a full year of contributions; he rates it 差评
and the rectification is still open at 人社局), registers for 灵活就业 insurance instead (a
即办件, decided at the window the next morning), claims his grandfather's 高龄津贴 (decided,
the decision is waiting to be mailed), buys a flat (accepted at the window, rated there, and now
超期 at 自然资源局), has his damaged 身份证 replaced and books his marriage registration with
王芳 (both at a window, 预审 passed, waiting for 受理), and has just applied online for a 个体工商户
— reusing his 身份证 from 我的材料 and with his 不动产权证书 免提交. A company registration waits
as a draft. The newborn bundle is in demo_stories_bundle.py.
"""

from __future__ import annotations

from datetime import date, timedelta

from yiwang.core.demo import city
from yiwang.services.demo_people import (
    CITIZEN_PHONE,
    ELDER_ID,
    ELDER_NAME,
    HOME_ADDRESS,
    PARTNER_ID,
    PARTNER_NAME,
    citizen_id_card,
    doc,
    photo,
)
from yiwang.services.demo_script import Cast, Materials, Script

ID_CARD = (
    f"{city.CITIZEN['display_name']}居民身份证（正反面）.pdf"  # the file 我的材料 keeps from the first upload
)
NAME = city.CITIZEN["display_name"]


def citizen_stories(cast: Cast, days: list[date]) -> None:
    today = days[0]
    _unemployment(cast, today)
    _flexible_employment(cast)
    _elderly_allowance(cast)
    _house_transfer(cast)
    _id_card(cast)
    _marriage(cast, days)
    _craft_shop(cast)
    _company_draft(cast)


def _unemployment(cast: Cast, today: date) -> None:
    """不予 with reason and basis, then a 差评 whose rectification stays open."""
    script = Script(cast, "unemployment", "unemployment_benefit", applicant="citizen")
    form = {
        "termination_date": (today - timedelta(days=75)).isoformat(),
        "last_employer": "示范市星辰网络科技有限公司",
        "termination_reason": "用人单位解除",
        "bank_account": "6228480388012345678",
        "contact_phone": CITIZEN_PHONE,
    }
    materials = Materials(
        upload={
            "id_card": citizen_id_card(),
            "termination_certificate": doc(
                "解除劳动合同证明书",
                f"兹证明{NAME}（身份证号码见附件）与本单位的劳动合同于上月解除。",
                "解除原因：用人单位依据《劳动合同法》第四十条提出解除。　示范市星辰网络科技有限公司（盖章）",
            ),
            "bank_card": doc("社会保障卡（金融账户）", f"持卡人：{NAME}　银行账号：6228 4803 8801 2345 678"),
        }
    )
    (
        script.draft((13, "20:05"), form, materials)
        .submit((13, "20:40"))
        .pre_review((12, "09:30"))
        .accept((12, "10:00"))
        .review(
            (11, "15:00"),
            "approver_hrss",
            "经查询社会保险缴费记录，申请人失业前累计缴纳失业保险费10个月，不满1年。",
            agree=False,
        )
        .decide(
            (11, "16:30"),
            "approver_hrss",
            "不予批准。",
            reason="申请人失业前所在单位和本人累计缴纳失业保险费不满1年，不符合领取失业保险金的条件。",
            basis=(
                "《失业保险条例》第十四条第一款第（一）项：按照规定参加失业保险，所在单位和本人已按照"
                "规定履行缴费义务满1年的，方可领取失业保险金。"
            ),
        )
        .rate(
            (10, "20:10"),
            2,
            "提交前打12345咨询说缴满半年就能领，受理后才告知不满一年不能领，白白准备了材料，政策解释前后不一致。",
            efficiency=3,
            guide_accuracy=1,
            convenience=3,
            usability=4,
        )
    )


def _flexible_employment(cast: Cast) -> None:
    """即办件: 受理并办结 at the window; 我的材料 reused."""
    form = {
        "insurance_kind": "养老和医疗保险",
        "contribution_level": "60%",
        "payment_cycle": "按月缴纳",
        "contact_phone": CITIZEN_PHONE,
    }
    (
        Script(cast, "flexible", "flexible_employment_insurance", applicant="citizen")
        .draft((7, "21:05"), form, Materials(reuse={"id_card": ID_CARD}))
        .submit((7, "21:10"))
        .pre_review((6, "09:20"))
        .decide_now(
            (6, "09:45"),
            "材料齐全，当场办结：已办理灵活就业人员企业职工基本养老保险和职工基本医疗保险参保登记，按月缴费。",
        )
        .rate((6, "12:30"), 5, "晚上在网上提交，第二天上午就办好了，不用跑窗口。")
    )


def _elderly_allowance(cast: Cast) -> None:
    """准予 with a signed decision document, to be mailed: 待送达."""
    form = {
        "applicant_role": "亲属代办",
        "elder_name": ELDER_NAME,
        "elder_id_number": ELDER_ID,
        "bank_account": "6217995500012345671",
        "contact_phone": CITIZEN_PHONE,
    }
    materials = Materials(
        reuse={"id_card": ID_CARD},
        upload={
            "bank_card": doc(
                "社会保障卡（金融账户）", f"持卡人：{ELDER_NAME}　银行账号：6217 9955 0001 2345 671"
            ),
            "power_of_attorney": doc(
                "授权委托书",
                f"委托人：{ELDER_NAME}（身份证号码 {ELDER_ID[:6]}********{ELDER_ID[-4:]}）",
                f"受托人：{NAME}（委托人之孙）",
                "委托事项：代为申请高龄津贴并办理相关手续。　委托人签名（捺印）：张德厚",
            ),
        },
    )
    (
        Script(cast, "elderly", "elderly_allowance", applicant="citizen")
        .draft((5, "19:40"), form, materials, delivery="mail", address=f"{HOME_ADDRESS} {ELDER_NAME} 收")
        .submit((5, "20:00"))
        .pre_review((4, "09:10"))
        .accept((4, "09:30"))
        .review(
            (2, "10:00"),
            "approver_civil",
            f"经核验户籍信息，老年人{ELDER_NAME}1944年3月出生，年满80周岁，户籍在本市，符合高龄津贴发放条件。",
        )
        .decide(
            (1, "15:30"),
            "approver_civil",
            "准予。自次月起按月发放高龄津贴，每人每月100元，发放至老年人本人社会保障卡。",
        )
        .rate((1, "20:15"), 4, "审核挺快，决定书要邮寄，希望能早点寄出。", convenience=4, usability=5)
    )


def _house_transfer(cast: Cast) -> None:
    """At the 不动产 window: accepted, rated there (一次一评), then 超期 in review."""
    form = {
        "transfer_reason": "买卖",
        "transferor_name": "陈建华",
        "location": "示范市明湖区湖滨街道荷花路12号5幢1单元802室",
        "unit_number": "339902001002GB00056F00050802",
        "right_type": "国有建设用地使用权/房屋所有权",
        "use": "城镇住宅用地/住宅",
        "area": "89.37",
        "co_ownership": "单独所有",
    }
    materials = Materials(
        paper=("application_form", "id_card", "original_certificate"),
        upload={
            "sale_contract": doc(
                "存量房买卖合同（网签备案）",
                "出卖人：陈建华　买受人：张明",
                "房屋坐落：示范市明湖区湖滨街道荷花路12号5幢1单元802室，建筑面积89.37平方米。",
                "网签备案编号：WQ33990220260087",
            ),
            "tax_receipt": doc("契税完税凭证", "纳税人：张明　税种：契税　计税依据见网签合同"),
        },
    )
    (
        Script(cast, "house-transfer", "real_estate_transfer", applicant="citizen", by="clerk", window="A04")
        .draft((7, "09:35"), form, materials, delivery="window")
        .submit((7, "09:42"))
        .accept((7, "10:05"))
        .rate_window((7, "10:20"), 5, "窗口工作人员耐心细致，材料一次就核对清楚了，受理很快。")
        .claim((6, "09:30"), "approver_land", "review")
    )


def _id_card(cast: Cast) -> None:
    """At the 综合窗口, 预审 passed on the spot: 待受理; the new card will be mailed."""
    form = {
        "change_reason": "证件严重损坏",
        "photo_receipt_number": "ZP33990226111903",
        "contact_phone": CITIZEN_PHONE,
    }
    materials = Materials(paper=("id_card",), upload={"id_photo": photo("数码相片回执.png")})
    (
        Script(cast, "id-card", "id_card_renewal", applicant="citizen", by="clerk", window="A03")
        .draft((1, "15:12"), form, materials, delivery="mail", address=f"{HOME_ADDRESS} {NAME} 收")
        .submit((1, "15:20"))
    )


def _marriage(cast: Cast, days: list[date]) -> None:
    """At the 婚姻登记处's own window (民政局): both came in person; 预审 passed, 待受理."""
    form = {
        "spouse_name": PARTNER_NAME,
        "spouse_id_number": PARTNER_ID,
        "registration_date": days[1].isoformat(),
        "contact_phone": CITIZEN_PHONE,
    }
    materials = Materials(
        paper=("id_card", "no_spouse_declaration"),
        upload={"couple_photo": photo("结婚登记照.png", people=2, red=True)},
    )
    (
        Script(cast, "marriage", "marriage_registration", applicant="citizen", by="clerk_civil", window="M01")
        .draft((1, "10:05"), form, materials)
        .submit((1, "10:12"))
    )


def _craft_shop(cast: Cast) -> None:
    """Just submitted online: 待预审. 身份证 from 我的材料; 不动产权证书 免提交 by the licence."""
    form = {
        "business_name": "明湖区张记文创工作室",
        "organization_form": "家庭经营",
        "premises": f"{HOME_ADDRESS}（住所兼经营场所）",
        "business_scope": "工艺美术品及礼仪用品制造（象牙及其制品除外）；文具用品零售；日用百货销售；互联网销售（除销售需要许可的商品）",
        "capital": "5",
        "employees": "2",
        "contact_phone": CITIZEN_PHONE,
    }
    materials = Materials(
        reuse={"id_card": ID_CARD},
        upload={
            "application_form": doc(
                "个体工商户登记（备案）申请书",
                f"经营者：{NAME}　组成形式：家庭经营（参加经营的家庭成员：{PARTNER_NAME}）",
                f"经营场所：{HOME_ADDRESS}",
            )
        },
    )
    (
        Script(cast, "craft-shop", "individual_business_registration", applicant="citizen")
        .draft((0, 40), form, materials)
        .submit((0, 25))
    )


def _company_draft(cast: Cast) -> None:
    form = {
        "company_name": "示范市明远数据服务有限公司",
        "company_type": "有限责任公司（自然人独资）",
        "registered_capital": "50",
        "domicile": "示范市明湖区新城街道科创路99号5幢301室",
        "legal_representative": NAME,
        "contact_phone": CITIZEN_PHONE,
    }
    articles = doc("公司章程", "第一条　为规范公司的组织和行为，根据《中华人民共和国公司法》制定本章程。")
    Script(cast, "company-draft", "enterprise_registration", applicant="citizen").draft(
        (2, "21:15"), form, Materials(upload={"articles": articles})
    )
