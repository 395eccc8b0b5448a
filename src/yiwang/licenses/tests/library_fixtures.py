"""A small licence library: a market regulator that defines and issues two licence types with
an SM2 key, its officials, a department that only uses licences, and holders."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from yiwang.core.tests import factories
from yiwang.licenses.services import issuing
from yiwang.licenses.services.keys import signing_key_generate
from yiwang.licenses.services.types import license_type_create

FOOD_FIELDS = [
    {"name": "business_scope", "label": "经营项目", "type": "text", "required": True},
    {
        "name": "category",
        "label": "主体业态",
        "type": "enum",
        "choices": ["食品销售经营者", "餐饮服务经营者"],
    },
    {"name": "capital", "label": "注册资本（万元）", "type": "number", "required": False},
    {"name": "founded_on", "label": "成立日期", "type": "date", "required": False},
]
HEALTH_FIELDS = [
    {"name": "occupation", "label": "从业类别", "type": "text", "required": True},
]


@dataclass
class Library:
    market: object  # 市市场监督管理局: defines and issues
    police: object  # 市公安局: issues nothing here, uses licences at its window
    sys_admin: object
    market_admin: object
    approver: object
    police_approver: object
    clerk: object  # window clerk of the police department
    food_type: object  # 食品经营许可证, held by legal persons, 5 years
    health_type: object  # 健康证明, held by citizens, 1 year
    key: object
    citizen: object
    other_citizen: object
    enterprise: object


def department_with_uscc(name: str, city):
    department = factories.create_department(name, division=city)
    department.uscc = factories.make_uscc(registrar="1", kind="1", division="330100")
    department.save(update_fields=["uscc"])
    return department


@pytest.fixture
def library(db, city) -> Library:
    market = department_with_uscc("市市场监督管理局", city)
    police = department_with_uscc("市公安局", city)
    sys_admin = factories.create_sys_admin()
    market_admin = factories.create_official(department=market, role="dept_admin", display_name="市场管理员")
    key = signing_key_generate(actor=market_admin, department=market)
    food_type = license_type_create(
        actor=sys_admin,
        code=f"{market.uscc}001",
        name="食品经营许可证",
        holder_kind="legal_person",
        defining_department=market,
        issuers=[market],
        fields=FOOD_FIELDS,
        validity={"years": 5},
        layout={"accent": "#1F6FB2", "order": ["category", "business_scope"]},
        replaces=["食品经营许可证复印件"],
    )
    health_type = license_type_create(
        actor=sys_admin,
        code=f"{market.uscc}002",
        name="健康证明",
        holder_kind="citizen",
        defining_department=market,
        issuers=[market],
        fields=HEALTH_FIELDS,
        validity={"years": 1},
    )
    return Library(
        market=market,
        police=police,
        sys_admin=sys_admin,
        market_admin=market_admin,
        approver=factories.create_official(department=market, role="approver", display_name="审批员"),
        police_approver=factories.create_official(
            department=police, role="approver", display_name="公安审批员"
        ),
        clerk=factories.create_official(department=police, role="window_clerk", display_name="窗口人员"),
        food_type=food_type,
        health_type=health_type,
        key=key,
        citizen=factories.create_citizen(display_name="张三丰"),
        other_citizen=factories.create_citizen(display_name="李四"),
        enterprise=factories.create_enterprise(name="示范餐饮有限公司"),
    )


FOOD_DATA = {"business_scope": "热食类食品制售", "category": "餐饮服务经营者", "capital": 100}


def issue_food(lib: Library, **overrides):
    arguments = {
        "actor": lib.approver,
        "license_type": lib.food_type,
        "holder": lib.enterprise,
        "number": "JY23301000000001",
        "data": dict(FOOD_DATA),
    }
    return issuing.license_issue(**{**arguments, **overrides})


def issue_health(lib: Library, **overrides):
    arguments = {
        "actor": lib.approver,
        "license_type": lib.health_type,
        "holder": lib.citizen,
        "number": "JK2026-0001",
        "data": {"occupation": "食品从业人员"},
    }
    return issuing.license_issue(**{**arguments, **overrides})
