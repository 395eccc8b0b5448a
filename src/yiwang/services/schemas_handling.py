"""Shapes of the officials' application API (/api/v1/services/office/applications)."""

from __future__ import annotations

from datetime import datetime

from django.urls import reverse
from ninja import Field, Schema

TEXT = 2000


class InboxIn(Schema):
    box: str = Field("intake", pattern="^(intake|review|decision|delivery|all)$", description="办件分栏")
    page: int = Field(1, ge=1, le=10_000)
    per_page: int = Field(20, ge=1, le=100)


class ApplicationRowOut(Schema):
    id: int
    number: str
    item_name: str
    applicant_name: str = Field(description="申请人（自然人姓名脱敏）")
    status: str
    status_name: str
    step: str = Field(description="当前环节")
    task_id: int | None
    task_due_at: datetime | None = Field(description="环节时限")
    clock_status: str
    clock_name: str
    due_at: datetime | None = Field(description="承诺办结期限")


class ApplicationPageOut(Schema):
    box: str
    page: int
    has_next: bool
    counts: dict[str, int] = Field(description="各待办分栏的数量")
    items: list[ApplicationRowOut]


class FileOut(Schema):
    id: int
    name: str
    url: str


class MaterialOut(Schema):
    code: str
    name: str
    required: bool
    is_key: bool
    source: str
    source_name: str
    provided_by: str
    problem: str
    files: list[FileOut]


class CorrectionOut(Schema):
    id: int
    issued_at: datetime
    issued_by: str
    note: str
    items: list[dict]
    resolved_at: datetime | None


class DocumentOut(Schema):
    id: int
    kind: str
    kind_name: str
    number: str
    url: str


class StepOut(Schema):
    task_id: int
    state: str
    name: str
    department: str
    assignee: str
    due_at: datetime | None
    clock_status: str
    clock_name: str
    workable: bool


class FormRowOut(Schema):
    label: str
    value: str
    masked: bool


class ApplicationDetailOut(Schema):
    id: int
    number: str
    version: int
    status: str
    status_name: str
    outcome: str
    item_name: str
    item_version: int
    department: str
    acceptance_department: str
    applicant_name: str
    applicant_code_label: str
    applicant_code_masked: str
    applicant_phone_masked: str
    submitted_at: datetime | None
    accepted_at: datetime | None
    due_at: datetime | None
    decided_at: datetime | None
    working_days_used: float | None
    decision_opinion: str
    decision_reason: str
    decision_basis: str
    not_accepted_reason: str
    deficiency_note: str
    delivery_method: str
    delivered_at: datetime | None
    delivery_note: str
    license_identifier: str
    receipt_url: str
    form: list[FormRowOut]
    materials: list[MaterialOut]
    corrections: list[CorrectionOut]
    documents: list[DocumentOut]
    steps: list[StepOut]
    actions: dict[str, bool] = Field(description="当前可执行的办理操作")

    @staticmethod
    def from_detail(detail) -> dict:
        a = detail.application
        file_url = "services:office_application_file"
        return {
            "id": a.pk,
            "number": a.number or "",
            "version": a.version,
            "status": a.status,
            "status_name": a.get_status_display(),
            "outcome": a.outcome,
            "item_name": a.item_version.name,
            "item_version": a.item_version.number,
            "department": a.department.name,
            "acceptance_department": detail.acceptance_department.name,
            "applicant_name": a.applicant.display_name,
            "applicant_code_label": detail.applicant_code_label,
            "applicant_code_masked": detail.applicant_code_masked,
            "applicant_phone_masked": detail.applicant_phone_masked,
            **{
                name: getattr(a, name)
                for name in (
                    "submitted_at",
                    "accepted_at",
                    "due_at",
                    "decided_at",
                    "working_days_used",
                    "decision_opinion",
                    "decision_reason",
                    "decision_basis",
                    "not_accepted_reason",
                    "deficiency_note",
                    "delivery_method",
                    "delivered_at",
                    "delivery_note",
                )
            },  # fmt: skip
            "license_identifier": a.license.identifier if a.license_id else "",
            "receipt_url": reverse(file_url, args=[a.pk, a.receipt_id]) if a.receipt_id else "",
            "form": [
                {"label": r.label, "value": r.value, "masked": bool(r.reveal_field)} for r in detail.form_rows
            ],
            "materials": [
                {
                    "code": m.code,
                    "name": m.name,
                    "required": m.required,
                    "is_key": m.is_key,
                    "source": m.source,
                    "source_name": m.get_source_display(),
                    "provided_by": m.provided_by,
                    "problem": m.problem,
                    "files": [
                        {"id": f.pk, "name": f.name, "url": reverse(file_url, args=[a.pk, f.pk])}
                        for f in m.files.all()
                    ],
                }
                for m in detail.materials
            ],
            "corrections": [
                {
                    "id": c.pk,
                    "issued_at": c.issued_at,
                    "issued_by": c.issued_by.display_name,
                    "note": c.note,
                    "items": c.items,
                    "resolved_at": c.resolved_at,
                }
                for c in detail.corrections
            ],
            "documents": [
                {
                    "id": d.pk,
                    "kind": d.kind,
                    "kind_name": d.get_kind_display(),
                    "number": d.number,
                    "url": reverse("services:office_document", args=[d.pk]),
                }
                for d in detail.documents
            ],
            "steps": [step.__dict__ for step in detail.steps],
            "actions": detail.actions,
        }


class OpinionIn(Schema):
    opinion: str = Field("", max_length=TEXT)


class CorrectionItemIn(Schema):
    code: str = Field(max_length=64)
    problem: str = Field("", max_length=TEXT)


class CorrectionIn(Schema):
    items: list[CorrectionItemIn] = Field(max_length=100)
    note: str = Field("", max_length=TEXT)


class AcceptIn(Schema):
    opinion: str = Field("", max_length=TEXT)
    deficiency_note: str = Field("", max_length=TEXT, description="填写即为容缺受理")


class NotAcceptIn(Schema):
    reason: str = Field("", max_length=TEXT)


class ReviewIn(Schema):
    agree: bool
    opinion: str = Field("", max_length=TEXT)


class DecideIn(Schema):
    approve: bool
    opinion: str = Field("", max_length=TEXT)
    reason: str = Field("", max_length=TEXT, description="不予理由（不予时必填）")
    basis: str = Field("", max_length=TEXT, description="法律依据（不填则引用事项设定依据）")


class DeliverIn(Schema):
    note: str = Field("", max_length=200, description="运单号或领取人")
