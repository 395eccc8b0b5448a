"""The demo 一件事 bundles (see the package docstring)."""

from __future__ import annotations

from yiwang.services.demo_catalogue.common import (
    MARKET,
    POLICE,
)

BUNDLES = [
    {
        "code": "newborn",
        "name": "新生儿出生一件事",
        "life_event": "birth",
        "subject": "citizen",
        "lead_department": POLICE,
        "description": (
            "宝宝出生后，一张表同时办理出生登记（落户）、医保参保登记和生育津贴申领：新生儿和父母"
            "的信息只填一次，出生医学证明、户口簿等电子证照免提交，公安、人社部门并联办理，结果一并送达。"
        ),
        "keywords": "生孩子 出生 新生儿 宝宝 上户口 报户口 落户 医保 生育津贴 出生证",
        "items": ["newborn_household_registration", "newborn_medical_insurance", "maternity_allowance"],
    },
    {
        "code": "open_restaurant",
        "name": "开办餐饮店一件事",
        "life_event": "operating_permit",
        "subject": "enterprise",
        "lead_department": MARKET,
        "description": (
            "已领取营业执照的企业开办餐饮门店，一次申请同时办理食品经营许可、店招店牌设置许可和污水"
            "排入排水管网许可：经营场所、联系人只填一次，营业执照免提交，结果一并送达。"
        ),
        "keywords": "开饭店 开餐馆 开餐饮店 餐饮 小吃店 奶茶店 咖啡店 店招 排水 开店",
        "items": ["food_business_license", "outdoor_advertising_license", "sewage_discharge_permit"],
    },
]
