"""One application as an official sees it (issue 5 §7): the applicant (id and phone masked),
the form (sensitive answers masked), the materials with their files and 免提交 sources, the
一次性告知 history, the documents, the open steps, and which actions the actor may take now.

Visibility is `application_get_for_official`'s (404 outside). Queries are bounded: one each
for materials (+ their files), notices, documents, open tasks and the joint departments.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Prefetch

from yiwang.core.accounts.permissions import can_personal_data_reveal
from yiwang.core.files.models import Attachment
from yiwang.core.personal_data import mask_id_number, mask_phone
from yiwang.services.forms_spec import fields_of
from yiwang.services.models import (
    Application,
    ApplicationMaterial,
    ApplicationStatus,
    CorrectionNotice,
    DecisionDocument,
    DeliveryMethod,
)
from yiwang.services.permissions import can_application_deliver
from yiwang.services.selectors_handling import (
    CLOCK_NAMES,
    OPEN,
    acceptance_department_of,
    application_get_for_official,
)
from yiwang.services.services.handling_reveal import revealable_fields, sensitive_answers
from yiwang.workflow.models_runtime import Task
from yiwang.workflow.permissions import can_task_work
from yiwang.workflow.selectors_runtime import state_name_of

IMMEDIATE = "services.immediate"
WINDOW_STATES = {"pre_review", "acceptance"}
REVIEW_STATES = {"review", "lead_review", "partner_review"}


@dataclass(frozen=True)
class StepView:
    task_id: int
    state: str
    name: str
    department: str
    assignee: str
    due_at: datetime | None
    clock_status: str
    clock_name: str
    workable: bool


@dataclass(frozen=True)
class FormRow:
    label: str
    value: str
    reveal_field: str = ""  # set for a masked answer that may be revealed


@dataclass
class ApplicationDetail:
    application: Application
    acceptance_department: object
    joint_departments: list
    applicant_code_label: str
    applicant_code_masked: str
    applicant_phone_masked: str
    form_rows: list[FormRow]
    materials: list[ApplicationMaterial]
    corrections: list[CorrectionNotice]
    documents: list[DecisionDocument]
    steps: list[StepView]
    actions: dict[str, bool]
    review_state: str
    revealable: dict[str, str]
    can_reveal: bool


def _form_rows(application: Application) -> list[FormRow]:
    sensitive = sensitive_answers(application)
    rows = []
    for spec in fields_of(application.item_version.form_fields):
        if spec.sensitive:
            raw = str(sensitive.get(spec.code, ""))
            masked = mask_id_number(raw) if spec.type == "id_number" else mask_phone(raw)
            rows.append(FormRow(spec.label, masked, f"form.{spec.code}" if raw else ""))
        else:
            rows.append(FormRow(spec.label, str((application.form_data or {}).get(spec.code, ""))))
    return rows


def _steps(actor, application: Application) -> list[StepView]:
    tasks = (
        Task.objects.filter(instance_id=application.instance_id, status__in=OPEN)
        .select_related("candidate_department", "assignee", "instance__definition")
        .order_by("id")
    )
    return [
        StepView(
            task_id=task.pk,
            state=task.state,
            name=state_name_of(task),
            department=task.candidate_department.name if task.candidate_department else "",
            assignee=task.assignee.display_name if task.assignee else "",
            due_at=task.due_at,
            clock_status=task.clock_status,
            clock_name=CLOCK_NAMES.get(task.clock_status, ""),
            workable=can_task_work(actor, task),
        )
        for task in tasks
    ]


def _actions(actor, application: Application, steps: list[StepView]) -> dict[str, bool]:
    states = {step.state for step in steps if step.workable}
    immediate = application.instance.definition_code == IMMEDIATE
    window = bool(states & WINDOW_STATES)
    accepting = "acceptance" in states and not immediate
    deliverable = (
        application.status == ApplicationStatus.COMPLETED
        and application.delivered_at is None
        and application.delivery_method in (DeliveryMethod.MAIL, DeliveryMethod.WINDOW)
        and not application.bundle_application_id
        and can_application_deliver(actor, acceptance_department_of(application))
    )
    return {
        "pre_review": "pre_review" in states,
        "correction": window,
        "accept": accepting,
        "accept_deficient": accepting and application.item_version.allows_deficiency,
        "not_accept": window,
        "decide_immediate": "acceptance" in states and immediate,
        "review": bool(states & REVIEW_STATES),
        "decide": "decision" in states,
        "deliver": deliverable,
    }


def application_detail_for_official(*, actor, application_id) -> ApplicationDetail:
    application = application_get_for_official(actor=actor, application_id=application_id)
    files = Prefetch("files", queryset=Attachment.objects.select_related("file").order_by("id"))
    materials = list(application.materials.select_related("license").prefetch_related(files))
    steps = _steps(actor, application)
    applicant = application.applicant
    enterprise = applicant.kind == "enterprise"
    workable = [step.state for step in steps if step.workable and step.state in REVIEW_STATES]
    return ApplicationDetail(
        application=application,
        acceptance_department=acceptance_department_of(application),
        joint_departments=list(application.item_version.joint_departments.all()),
        applicant_code_label="统一社会信用代码" if enterprise else "公民身份号码",
        applicant_code_masked=mask_id_number((applicant.uscc or "") if enterprise else applicant.id_number),
        applicant_phone_masked="" if enterprise else mask_phone(applicant.phone),
        form_rows=_form_rows(application),
        materials=materials,
        corrections=list(application.corrections.select_related("issued_by").order_by("-issued_at", "-id")),
        documents=list(
            application.documents.select_related("pdf", "signing_key").order_by("created_at", "id")
        ),
        steps=steps,
        actions=_actions(actor, application, steps),
        review_state=workable[0] if workable else "",
        revealable=revealable_fields(application),
        can_reveal=can_personal_data_reveal(actor),
    )
