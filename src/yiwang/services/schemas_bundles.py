"""In/Out schemas of /api/v1/services — 一件事. Shapes only: the services check every value and
name each bad one in Chinese ("form.<code>" once for a shared field, "materials.<code>",
"item_ids"). Personal data in the merged form (身份证号, 电话) is only ever sent back masked."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ninja import Field, Schema

from yiwang.core.schema_types import Text
from yiwang.services.bundle_forms import MergedForm, merged_form_of, merged_materials_of, published_entries
from yiwang.services.models import LifeEvent, SubjectKind
from yiwang.services.selectors_bundles import (
    bundle_application_answers,
    bundle_application_materials,
    bundle_application_status,
)

_ID = {"ge": 1, "le": 2**63 - 1}


# --- in ----------------------------------------------------------------------------------------
class BundleIn(Schema):
    code: Text = Field(max_length=64, description="一件事代码（小写字母、数字、-、_），用于网址")
    name: Text = Field(max_length=128)
    life_event: Text = Field(max_length=32, description="人生事件代码，如 birth、operating_permit")
    subject: Text = Field(max_length=16, description="citizen 自然人 | enterprise 法人")
    lead_department_id: int = Field(**_ID, description="牵头部门ID")
    description: Text = Field("", max_length=2000)
    keywords: Text = Field("", max_length=255)
    item_ids: list[int] = Field(max_length=50, description="事项ID，按办理顺序")


class BundleUpdateIn(Schema):
    version: int = Field(ge=1, le=2**31 - 1, description="读取时的版本；已被修改时返回409")
    name: Text | None = Field(None, max_length=128)
    life_event: Text | None = Field(None, max_length=32)
    subject: Text | None = Field(None, max_length=16)
    lead_department_id: int | None = Field(None, **_ID)
    description: Text | None = Field(None, max_length=2000)
    keywords: Text | None = Field(None, max_length=255)
    item_ids: list[int] | None = Field(None, max_length=50)


class BundleApplicationCreateIn(Schema):
    bundle_code: Text = Field(max_length=64)
    applicant_id: int | None = Field(None, **_ID, description="缺省为本人；企业经办人填企业的用户ID")


class BundleApplicationSaveIn(Schema):
    form: dict[str, Any] = Field(
        default_factory=dict,
        max_length=200,
        description="字段代码 → 填写内容；共同字段只填一次；未给出的字段保持原值",
    )
    delivery_method: Text | None = Field(None, max_length=16, description="electronic | mail | window")
    delivery_address: Text | None = Field(None, max_length=255)
    version: int = Field(ge=1, le=2**31 - 1)


class BundleSubmitIn(Schema):
    client_token: Text = Field("", max_length=64, description="客户端生成的提交令牌：重复提交返回同一件")


class BundleWithdrawIn(Schema):
    reason: Text = Field(max_length=500)


class BundleReuseIn(Schema):
    personal_material_id: int = Field(**_ID)


class BundleDeliverIn(Schema):
    note: Text = Field("", max_length=200, description="运单号或领取人")


# --- out ---------------------------------------------------------------------------------------
class BundleOut(Schema):
    code: str
    name: str
    life_event: str
    life_event_label: str
    subject: str
    subject_label: str
    description: str
    lead_department: str = Field(alias="lead_department.name")
    popularity: int
    item_count: int = 0

    @staticmethod
    def resolve_life_event_label(bundle) -> str:
        return (
            LifeEvent(bundle.life_event).label if bundle.life_event in LifeEvent.values else bundle.life_event
        )

    @staticmethod
    def resolve_subject_label(bundle) -> str:
        return SubjectKind(bundle.subject).label if bundle.subject in SubjectKind.values else bundle.subject


class FieldOut(Schema):
    code: str
    label: str
    type: str
    required: bool
    choices: list[str]
    help: str
    item_names: list[str] = []


class SectionOut(Schema):
    item_id: int
    item_name: str
    fields: list[FieldOut]


class BundleItemOut(Schema):
    id: int
    name: str
    department: str
    handling_kind: str
    promised_limit: int
    promised_limit_unit: str
    online_depth: int


class GuideMaterialOut(Schema):
    code: str
    name: str
    required: bool
    item_names: list[str]
    replaceable_by: list[str]
    notes: list[str]


class BundleDetailOut(Schema):
    code: str
    name: str
    life_event: str
    life_event_label: str
    subject: str
    subject_label: str
    description: str
    keywords: str
    lead_department: str
    popularity: int
    item_count: int
    item_ids: list[int]  # every item, published or not (the manager's view)
    status: str
    version: int
    items: list[BundleItemOut]
    shared_fields: list[FieldOut]
    sections: list[SectionOut]
    materials: list[GuideMaterialOut]


def _field(form_field, item_names=()) -> dict:
    return {
        "code": form_field.code,
        "label": form_field.label,
        "type": form_field.type,
        "required": form_field.required,
        "choices": list(form_field.choices),
        "help": form_field.help,
        "item_names": list(item_names),
    }


def form_out(form: MergedForm) -> dict:
    return {
        "shared_fields": [_field(s.field, s.item_names) for s in form.shared],
        "sections": [
            {"item_id": s.item.pk, "item_name": s.version.name, "fields": [_field(f) for f in s.fields]}
            for s in form.sections
        ],
    }


def bundle_detail(bundle) -> dict:
    """The public guide's content: items, the merged form and the merged materials."""
    entries = published_entries(bundle)
    items = [
        {
            "id": item.pk,
            "name": version.name,
            "department": item.department.name,
            "handling_kind": version.handling_kind,
            "promised_limit": version.promised_limit,
            "promised_limit_unit": version.promised_limit_unit,
            "online_depth": version.online_depth,
        }
        for item, version in entries
    ]
    materials = [m.__dict__ for m in merged_materials_of(entries)]
    item_ids = [entry.item_id for entry in bundle.entries.all()]
    return {
        "code": bundle.code,
        "name": bundle.name,
        "life_event": bundle.life_event,
        "life_event_label": BundleOut.resolve_life_event_label(bundle),
        "subject": bundle.subject,
        "subject_label": BundleOut.resolve_subject_label(bundle),
        "description": bundle.description,
        "keywords": bundle.keywords,
        "lead_department": bundle.lead_department.name,
        "popularity": bundle.popularity,
        "item_count": len(item_ids),
        "item_ids": item_ids,
        "status": bundle.status,
        "version": bundle.version,
        "items": items,
        **form_out(merged_form_of(entries)),
        "materials": materials,
    }


class LicenseRef(Schema):
    id: int
    identifier: str
    number: str
    type_name: str


class DocumentRef(Schema):
    kind: str
    number: str


class ChildOut(Schema):
    id: int
    number: str | None
    item_name: str
    department: str
    status: str
    status_label: str
    outcome: str
    due_at: datetime | None
    delivered_at: datetime | None
    license: LicenseRef | None
    documents: list[DocumentRef]


class AnswerOut(Schema):
    code: str
    label: str
    value: str


class MaterialStateOut(Schema):
    code: str
    name: str
    required: bool
    item_names: list[str]
    satisfied: bool
    free_note: str
    sources: list[list[str]]


class BundleApplicationRowOut(Schema):
    id: int
    number: str | None
    bundle_code: str = Field(alias="bundle.code")
    bundle_name: str = Field(alias="bundle.name")
    applicant: str = Field(alias="applicant.display_name")
    is_draft: bool
    created_at: datetime
    submitted_at: datetime | None
    completed_at: datetime | None
    delivered_at: datetime | None


class BundleApplicationOut(Schema):
    id: int
    number: str | None
    bundle_code: str
    bundle_name: str
    is_draft: bool
    status: str
    status_label: str
    counts: dict[str, int]
    latest_due_at: datetime | None
    version: int
    delivery_method: str
    delivery_address: str
    created_at: datetime
    submitted_at: datetime | None
    completed_at: datetime | None
    delivered_at: datetime | None
    shared_fields: list[FieldOut]
    sections: list[SectionOut]
    answers: list[AnswerOut]
    materials: list[MaterialStateOut]
    applications: list[ChildOut]


def bundle_application_out(bundle_application) -> dict:
    """What the applicant sees of a bundle application fetched by bundle_application_get."""
    children = list(bundle_application.applications.all())
    form = merged_form_of([(c.item, c.item_version) for c in children])
    status = bundle_application_status(bundle_application)
    return {
        "id": bundle_application.pk,
        "number": bundle_application.number,
        "bundle_code": bundle_application.bundle.code,
        "bundle_name": bundle_application.bundle.name,
        "is_draft": bundle_application.is_draft,
        "status": status.code,
        "status_label": status.label,
        "counts": status.counts,
        "latest_due_at": status.latest_due_at,
        "version": bundle_application.version,
        "delivery_method": bundle_application.delivery_method,
        "delivery_address": bundle_application.delivery_address,
        "created_at": bundle_application.created_at,
        "submitted_at": bundle_application.submitted_at,
        "completed_at": bundle_application.completed_at,
        "delivered_at": bundle_application.delivered_at,
        **form_out(form),
        "answers": [a.__dict__ for a in bundle_application_answers(bundle_application, form.all_fields)],
        "materials": [
            {**m.__dict__, "sources": [list(s) for s in m.sources]}
            for m in bundle_application_materials(bundle_application)
        ],
        "applications": [
            {
                "id": c.application.pk,
                "number": c.application.number,
                "item_name": c.item_name,
                "department": c.department_name,
                "status": c.status,
                "status_label": c.status_label,
                "outcome": c.application.outcome,
                "due_at": c.due_at,
                "delivered_at": c.delivered_at,
                "license": c.license,
                "documents": c.documents,
            }
            for c in status.children
        ],
    }
