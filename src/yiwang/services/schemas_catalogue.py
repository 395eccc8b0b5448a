"""In/Out schemas of the catalogue's API (/api/v1/services/items, /windows). Shapes only: the
services check every value and name each bad field in Chinese ("promised_limit",
"materials[2].copies", "form_fields[0].code", "result_field_map.address")."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.urls import reverse
from ninja import Field, Schema

from yiwang.core.schema_types import Text
from yiwang.services.models import ItemType, ServiceItem

_ID = {"ge": 1, "le": 2**63 - 1}
_EDIT_VERSION = Field(ge=1, le=2**31 - 1, description="读取时的 edit_version；已被他人修改时返回409")


def _keys(text: str) -> list[str]:
    return [key for key in (text or "").split(",") if key]


# --- in ------------------------------------------------------------------------------------------
class ItemCreateIn(Schema):
    department_id: int = Field(**_ID, description="实施部门（部门ID），须有统一社会信用代码")
    base_code: Text = Field(max_length=32, description="基本编码：14位数字或大写字母（GB/T 39554.1-2020）")
    content: dict[str, Any] = Field(
        description="第1版的内容：ServiceItemVersion 的字段名 → 值；至少 name、item_type"
    )


class VersionUpdateIn(Schema):
    expected_version: int = _EDIT_VERSION
    content: dict[str, Any] = Field(
        description="要修改的字段：name、item_type、subjects、legal_basis、conditions、statutory_limit、"
        "promised_limit、handling_kind、online_depth、visits、process_code、acceptance_department（部门ID）、"
        "joint_departments（部门ID列表）、result_kind、result_license_type、result_field_map、"
        "delivery_methods、life_events、themes、form_fields 等"
    )


class MaterialsIn(Schema):
    expected_version: int = _EDIT_VERSION
    materials: list[Any] = Field(
        max_length=60,
        description="整体替换：[{code, name, required, form, copies, is_key, license_type, shared_data, notes,"
        " template_id, sample_id}]",
    )


class SubmitIn(Schema):
    expected_version: int = _EDIT_VERSION


class OpinionIn(Schema):
    opinion: Text = Field("", max_length=2000)


class ReasonIn(Schema):
    reason: Text = Field(max_length=2000)


class WindowIn(Schema):
    department_id: int = Field(**_ID)
    code: Text = Field(max_length=32)
    name: Text = Field(max_length=128)


class ItemFilters(Schema):
    department_id: int | None = Field(None, **_ID)
    subject: Text | None = Field(None, max_length=32, description="citizen | enterprise")
    life_event: Text | None = Field(None, max_length=32)
    theme: Text | None = Field(None, max_length=32)


# --- out -----------------------------------------------------------------------------------------
class ItemOut(Schema):
    id: int
    name: str
    implementation_code: str
    base_code: str
    department_id: int
    department_name: str = Field(alias="department.name")
    item_type: str
    item_type_label: str
    handling_kind: str
    online_depth: int
    is_online: bool
    subjects: list[str]
    life_events: list[str]
    themes: list[str]
    status: str
    updated_at: datetime
    guide_url: str

    @staticmethod
    def resolve_item_type_label(item: ServiceItem) -> str:
        return str(ItemType(item.item_type).label) if item.item_type in ItemType.values else ""

    @staticmethod
    def resolve_subjects(item: ServiceItem) -> list[str]:
        return _keys(item.subject_keys)

    @staticmethod
    def resolve_life_events(item: ServiceItem) -> list[str]:
        return _keys(item.life_event_keys)

    @staticmethod
    def resolve_themes(item: ServiceItem) -> list[str]:
        return _keys(item.theme_keys)

    @staticmethod
    def resolve_guide_url(item: ServiceItem) -> str:
        return reverse("services:guide", args=[item.pk])


class MaterialOut(Schema):
    id: int
    code: str
    name: str
    required: bool
    form: str
    copies: int
    is_key: bool
    license_type: str
    shared_data: str
    notes: str
    template_id: int | None
    sample_id: int | None


class VersionSummaryOut(Schema):
    item_id: int
    number: int
    status: str
    name: str
    edit_version: int
    created_at: datetime
    submitted_at: datetime | None
    reviewed_at: datetime | None
    review_opinion: str
    published_at: datetime | None


class VersionOut(VersionSummaryOut):
    implementation_code: str = Field(alias="item.implementation_code")
    item_type: str
    subjects: list[str]
    legal_basis: str
    conditions: str
    power_source: str
    exercise_level: str
    statutory_limit: int
    statutory_limit_unit: str
    promised_limit: int
    promised_limit_unit: str
    handling_kind: str
    online_depth: int
    visits: int
    handling_forms: list[str]
    fee_free: bool
    fees: str
    location: str
    office_hours: str
    phone: str
    scope: str
    process_code: str
    acceptance_department: int | None = Field(alias="acceptance_department_id")
    joint_departments: list[int]
    allows_deficiency: bool
    result_kind: str
    result_name: str
    result_license_type: str
    result_field_map: dict[str, Any]
    delivery_methods: list[str]
    life_events: list[str]
    themes: list[str]
    keywords: str
    form_fields: list[Any]
    materials: list[MaterialOut]

    @staticmethod
    def resolve_joint_departments(version) -> list[int]:
        return sorted(d.pk for d in version.joint_departments.all())

    @staticmethod
    def resolve_materials(version) -> list:
        return list(version.materials.all())


class GuideMaterialOut(MaterialOut):
    form_label: str = Field(alias="get_form_display")
    license_type_name: str
    template_url: str | None
    sample_url: str | None


class GuideOut(Schema):
    """The 办事指南 as data: the item, its version and the labels the page shows."""

    item: ItemOut
    version: VersionOut
    materials: list[GuideMaterialOut]
    online_depth_label: str
    visits_label: str
    process_name: str
    steps: list[str]
    acceptance_department_name: str
    joint_department_names: list[str]
    result_license_type_name: str
    apply_url: str


class WindowOut(Schema):
    id: int
    department_id: int
    department_name: str = Field(alias="department.name")
    code: str
    name: str
    is_active: bool
