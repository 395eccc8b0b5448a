"""The elements of a 实施清单 version an editor may set (STANDARDS.md §4), with their Chinese
labels, limits and enumerations: the tables `catalogue_checks` checks against and the pages
and the guide read."""

from __future__ import annotations

from yiwang.services.models import (
    DeliveryMethod,
    ExerciseLevel,
    HandlingForm,
    HandlingKind,
    ItemType,
    LifeEvent,
    LimitUnit,
    ResultKind,
    Scope,
    SubjectKind,
    Theme,
)

# 办理流程 (services/processes/*.yaml) an item may name.
PROCESS_CODES = {
    "services.commitment": "承诺件办理",
    "services.immediate": "即办件办理",
    "services.joint": "并联审批",
}
PROCESS_STEPS = {
    # 行政许可法 steps (STANDARDS.md §4): 申请 → 受理 → 审查 → 决定 → 送达.
    "services.commitment": ["申请", "预审", "受理（或不予受理、一次性告知补正）", "审查", "决定", "送达"],
    "services.immediate": ["申请", "预审", "受理并当场办结（或不予受理、一次性告知补正）", "送达"],
    "services.joint": [
        "申请",
        "预审",
        "受理（或不予受理、一次性告知补正）",
        "主办部门与协办部门并联审查",
        "审查意见汇总",
        "决定",
        "送达",
    ],
}
RESULT_SOURCES = ("applicant.name", "applicant.code", "application.number")
TEXT_LIMITS = {
    "name": 128,
    "legal_basis": 4000,
    "conditions": 4000,
    "power_source": 64,
    "fees": 2000,
    "location": 255,
    "office_hours": 255,
    "phone": 64,
    "result_name": 128,
    "result_license_type": 32,
    "keywords": 255,
}
CHOICES = {
    "item_type": ItemType,
    "exercise_level": ExerciseLevel,
    "statutory_limit_unit": LimitUnit,
    "promised_limit_unit": LimitUnit,
    "handling_kind": HandlingKind,
    "scope": Scope,
    "result_kind": ResultKind,
}
# list field → (enumeration, must not be empty)
LISTS = {
    "subjects": (SubjectKind, True),
    "handling_forms": (HandlingForm, False),
    "delivery_methods": (DeliveryMethod, True),
    "life_events": (LifeEvent, False),
    "themes": (Theme, False),
}
NUMBERS = {"statutory_limit": (0, 999), "promised_limit": (0, 999), "online_depth": (1, 7), "visits": (0, 3)}
FLAGS = ("fee_free", "allows_deficiency")
SPECIAL = ("process_code", "acceptance_department", "joint_departments", "result_field_map", "form_fields")
EDITABLE = frozenset([*TEXT_LIMITS, *CHOICES, *LISTS, *NUMBERS, *FLAGS, *SPECIAL])
LABELS = {
    "name": "事项名称",
    "legal_basis": "设定依据",
    "conditions": "受理条件",
    "power_source": "权力来源",
    "fees": "收费标准及依据",
    "location": "办理地点",
    "office_hours": "办理时间",
    "phone": "咨询电话",
    "result_name": "结果名称",
    "result_license_type": "结果证照类型",
    "keywords": "检索关键词",
    "item_type": "事项类型",
    "exercise_level": "行使层级",
    "statutory_limit_unit": "法定时限单位",
    "promised_limit_unit": "承诺时限单位",
    "handling_kind": "办件类型",
    "scope": "通办范围",
    "result_kind": "结果类型",
    "subjects": "服务对象",
    "handling_forms": "办理形式",
    "delivery_methods": "送达方式",
    "life_events": "人生事件",
    "themes": "主题分类",
    "statutory_limit": "法定办结时限",
    "promised_limit": "承诺办结时限",
    "online_depth": "网办深度",
    "visits": "到办事现场次数",
    "fee_free": "不收费",
    "allows_deficiency": "容缺受理",
}
