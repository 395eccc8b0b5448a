"""The demo enterprise opens a café, 云帆·拾光咖啡, in its park: the three items of 开办餐饮店一件事,
applied for one by one as the café took shape.

The 店招 permit was granted weeks ago (an electronic licence in its wallet); it rated the
application 差评 over contradictory advice before applying, and 城管局 rectified it and the
bureau revisited it. The 食品经营许可 is accepted with two materials promised (容缺受理), and
the 排水许可 waits for the applicant's correction (一次性告知 naming two materials).
"""

from __future__ import annotations

from yiwang.services.demo_people import (
    CAFE,
    ENTERPRISE_CONTACT,
    ENTERPRISE_CONTACT_PHONE,
    LEGAL_REPRESENTATIVE,
    PARK,
    doc,
    enterprise_application_form,
    enterprise_license_holder_id,
)
from yiwang.services.demo_script import Cast, Materials, Script

CONTACT = {"contact_name": ENTERPRISE_CONTACT, "contact_phone": ENTERPRISE_CONTACT_PHONE}


def cafe_stories(cast: Cast) -> None:
    _shop_sign(cast)
    _cafe_food(cast)
    _cafe_sewage(cast)


def _shop_sign(cast: Cast) -> None:
    """准予: the licence goes into the wallet; a 差评, rectified and revisited."""
    form = {
        "site": f"{CAFE}门头",
        "ad_form": "店招店牌",
        "size": "6.0米×1.2米",
        "sign_text": "云帆·拾光咖啡",
        **CONTACT,
    }
    materials = Materials(
        upload={
            "application_form": enterprise_application_form("户外广告设施设置许可", f"设置地点：{CAFE}门头"),
            "site_right_proof": doc(
                "场地使用证明", f"{PARK}1幢为申请单位自有房产，同意在1层103室门头设置店招。"
            ),
            "design_drawing": doc(
                "店招设计效果图及尺寸图", "店招：云帆·拾光咖啡；规格6.0米×1.2米；发光字，铝型材边框。"
            ),
        }
    )
    (
        Script(cast, "shop-sign", "outdoor_advertising_license", applicant="enterprise")
        .draft((19, "09:30"), form, materials)
        .submit((19, "10:00"))
        .pre_review((18, "09:20"))
        .accept((18, "09:40"))
        .review(
            (17, "16:00"),
            "approver_urban",
            "店招设于门头上沿，一店一招，尺寸、色彩符合《示范市店招店牌设置技术导则》。",
        )
        .decide((16, "10:30"), "approver_urban", "准予行政许可，设置期限三年。")
        .rate(
            (15, "21:00"),
            2,
            "审批很快，但事前电话咨询时说的店招尺寸要求和窗口说的不一致，按电话说的做了设计又重新画了一次。",
            efficiency=4,
            guide_accuracy=1,
            convenience=2,
        )
        .rectify(
            (12, "16:00"),
            "approver_urban",
            "经核实，12345热线知识库中的店招尺寸标准未随新版技术导则更新。已更新热线知识库和办事指南，"
            "在指南中增加店招设计示例图，并组织窗口和热线人员培训。",
        )
        .revisit(
            (10, "10:30"), "servicemgr", f"电话回访申请单位联系人{ENTERPRISE_CONTACT}，对整改情况表示满意。"
        )
    )


def _cafe_food(cast: Cast) -> None:
    """容缺受理: two non-key materials promised, accepted, in review at 市场监管局."""
    form = {
        "premises": CAFE,
        "category": "餐饮服务经营者",
        "business_items": "自制饮品制售；冷食类食品制售；糕点类食品（含裱花蛋糕）销售",
        "operating_area": "86",
        "legal_representative": LEGAL_REPRESENTATIVE,
        **CONTACT,
    }
    materials = Materials(
        upload={
            "application_form": enterprise_application_form("食品经营许可", f"经营场所：{CAFE}"),
            "id_card": enterprise_license_holder_id(),
        },
        promise=("layout_plan", "safety_rules"),
    )
    (
        Script(cast, "cafe-food", "food_business_license", applicant="enterprise")
        .draft((2, "16:10"), form, materials)
        .submit((2, "16:30"))
        .pre_review((1, "09:15"))
        .accept(
            (1, "09:50"),
            deficiency="经营场所平面布局图、食品安全规章制度容缺后补，申请人书面承诺于受理后5个工作日内补交。",
        )
    )


def _cafe_sewage(cast: Cast) -> None:
    """一次性告知补正 naming two materials: 待补正, the clock stopped."""
    form = {
        "premises": CAFE,
        "discharge_type": "餐饮",
        "daily_discharge": "3.5",
        "pretreatment": "隔油池（有效容积1立方米）＋格栅",
        **CONTACT,
    }
    materials = Materials(
        upload={
            "application_form": enterprise_application_form(
                "城镇污水排入排水管网许可", f"排水户地址：{CAFE}"
            ),
            "drainage_drawing": doc("排水管线图", "店内排水经隔油池后接入科创路市政污水管网。"),
            "pretreatment_description": doc("预处理设施说明", "设隔油池一座，定期清掏。"),
        }
    )
    (
        Script(cast, "cafe-sewage", "sewage_discharge_permit", applicant="enterprise")
        .draft((3, "14:30"), form, materials)
        .submit((3, "15:00"))
        .pre_review((2, "10:20"))
        .ask_correction(
            (2, "11:00"),
            {
                "drainage_drawing": "排水管线图未标注隔油池至市政污水检查井的接驳位置和管径，且未加盖设计单位出图章。",
                "pretreatment_description": "未注明隔油池规格型号、清掏周期和废弃油脂收运单位，请补充并附废弃油脂收运协议。",
            },
            "请按以上两项一次性补正后在网上重新提交，补正期间办理时限暂停计算。",
        )
    )
