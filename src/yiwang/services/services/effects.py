"""Workflow guards and effects of applications (processes/commitment.yaml, immediate.yaml,
joint.yaml; registered by hooks.py).

The engine calls them with `actor, instance, task, action` inside the move's transaction
(workflow/services/engine.py): a guard refuses the action by raising, an effect's failure undoes
the move. So whichever page moved the instance — the 办件 pages (handling*.py) or the generic
待办 page — the application's status, its receipt, its documents and its licence follow, and
the applicant is told. Effects read the inputs of the move (opinion, reason) from the history
row the engine just wrote, and the application row-locked.
"""

from __future__ import annotations

from django.utils import timezone

from yiwang.core.audit import services as audit
from yiwang.core.errors import InvalidInput
from yiwang.services.documents_receipt import receipt_attach
from yiwang.services.models import (
    ApplicationMaterial,
    ApplicationStatus,
    CorrectionNotice,
    DecisionDocument,
    DeliveryMethod,
    MaterialSource,
    Outcome,
)
from yiwang.services.services.bundle_progress import bundle_child_finished
from yiwang.services.services.handling_state import (
    item_label,
    locked_application,
    move_inputs,
    save_application,
    tell_applicant,
)
from yiwang.services.services.results import decision_document_create, result_issue

UNSATISFIED = (MaterialSource.MISSING, MaterialSource.PROMISED)


def register_subject() -> None:
    """Beside the hooks: the workflow inbox reads "办件 2026… 食品经营许可 · 申请人" and links to the
    officials' application page instead of "services.application #12" (workflow/subjects.py)."""
    from yiwang.services.selectors_handling import register_application_subject

    register_application_subject()


def _unsatisfied(application) -> list[ApplicationMaterial]:
    return [m for m in application.materials.all() if m.required and m.source in UNSATISFIED]


# --- guards ---------------------------------------------------------------------------------
def materials_complete(*, actor, instance, task, action) -> None:
    """受理 needs every required material (行政许可法 §32: complete and in the legal form)."""
    application = locked_application(instance)
    missing = _unsatisfied(application)
    if missing:
        names = "、".join(m.name for m in missing)
        hint = ""
        if application.item_version.allows_deficiency and not any(m.is_key for m in missing):
            hint = "；缺少的均为非关键材料，可填写容缺后补说明后容缺受理"
        raise InvalidInput(
            f"申请材料不齐全，不能受理：缺少{names}{hint}",
            fields={f"materials.{m.code}": f"{m.name}：未提交" for m in missing},
        )


def deficiency_allowed(*, actor, instance, task, action) -> None:
    """容缺受理: only where the item allows it, and only non-key materials may be promised."""
    application = locked_application(instance)
    if not application.item_version.allows_deficiency:
        raise InvalidInput(
            f"事项“{application.item_version.name}”不允许容缺受理",
            fields={"deficiency_note": "该事项不允许容缺受理"},
        )
    missing = _unsatisfied(application)
    if not missing:
        raise InvalidInput(
            "申请材料已齐全，无需容缺受理，请直接受理", fields={"deficiency_note": "材料已齐全"}
        )
    key = [m for m in missing if m.is_key]
    if key:
        names = "、".join(m.name for m in key)
        raise InvalidInput(
            f"关键材料不能容缺后补：{names}",
            fields={f"materials.{m.code}": f"{m.name}：关键材料，不能容缺" for m in key},
        )


# --- effects --------------------------------------------------------------------------------
def supplement_requested(*, actor, instance, task, action) -> None:
    """一次性告知补正: the notice lists every material at once (行政许可法 §32 ④); the clock
    stands still until the applicant resubmits (the process's suspend)."""
    application = locked_application(instance)
    _, reason = move_inputs(instance, task)
    notice = application.corrections.filter(resolved_at=None).order_by("-issued_at", "-id").first()
    if notice is None:  # acted on from the generic task page: the reason is the notice
        notice = CorrectionNotice.objects.create(
            application=application, issued_by=actor, note=reason, items=[]
        )
    application.status = ApplicationStatus.SUPPLEMENT
    save_application(application, "status")
    audit.record(
        actor=actor,
        action="services.application.correction_requested",
        target=application,
        changes={"notice": notice.pk, "items": [item.get("code") for item in notice.items]},
    )
    lines = [f"{i}. {item['name']}：{item['problem']}" for i, item in enumerate(notice.items, start=1)]
    body = "\n".join([*lines, notice.note] if notice.note else lines) or reason
    tell_applicant(application, f"请补正材料：{item_label(application)}", body)


def resubmitted(*, actor, instance, task, action) -> None:
    application = locked_application(instance)
    now = timezone.now()
    application.corrections.filter(resolved_at=None).update(resolved_at=now)
    application.materials.exclude(problem="").update(problem="")
    application.status = ApplicationStatus.SUBMITTED
    save_application(application, "status")
    audit.record(actor=actor, action="services.application.resubmitted", target=application)


def _accept(application, *, actor, instance, task, action) -> None:
    """受理: the whole-process clock starts here (the processes' clock_from, 行政许可法 §42), so
    the promised date is the instance's due time just set by the move."""
    application.status = ApplicationStatus.ACCEPTED
    application.accepted_at = timezone.now()
    application.due_at = instance.due_at
    promised = []
    if action == "accept_deficient":
        _, reason = move_inputs(instance, task)
        promised = [
            m.pk for m in application.materials.all() if m.required and m.source == MaterialSource.MISSING
        ]
        ApplicationMaterial.objects.filter(pk__in=promised).update(source=MaterialSource.PROMISED)
        application.deficiency_note = reason
    acceptance_department = application.item_version.acceptance_department or application.item.department
    application.receipt = receipt_attach(
        actor=actor, application=application, acceptance_department=acceptance_department
    )
    save_application(application, "status", "accepted_at", "due_at", "deficiency_note", "receipt")
    audit.record(
        actor=actor,
        action="services.application.accepted",
        target=application,
        changes={"action": action, "due_at": application.due_at, "promised": promised},
    )


def accepted(*, actor, instance, task, action) -> None:
    application = locked_application(instance)
    _accept(application, actor=actor, instance=instance, task=task, action=action)
    due = f"，承诺办结期限 {timezone.localtime(application.due_at):%Y-%m-%d}" if application.due_at else ""
    tell_applicant(
        application, f"已受理：{item_label(application)}", f"您的申请已受理{due}。受理回执可在办件页下载。"
    )


def _ended(application) -> None:
    if application.bundle_application_id:
        bundle_child_finished(application)


def _approve(application, *, actor, instance, task) -> None:
    opinion, _ = move_inputs(instance, task)
    now = timezone.now()
    application.status = ApplicationStatus.COMPLETED
    application.outcome = Outcome.APPROVED
    application.decided_at = now
    application.decision_opinion = opinion
    application.working_days_used = instance.working_days_used
    result_issue(actor=actor, application=application)
    _deliver_electronically(application, now)
    save_application(
        application,
        *("status", "outcome", "decided_at", "decision_opinion", "working_days_used", "license"),
        *("delivered_at", "delivery_note"),
    )
    audit.record(
        actor=actor,
        action="services.application.approved",
        target=application,
        changes={"license": application.license_id, "working_days_used": application.working_days_used},
    )
    _ended(application)
    result = (
        f"电子证照“{application.license.type_name}”已放入您的证照夹"
        if application.license_id
        else "准予决定书可在办件页下载"
    )
    tell_applicant(application, f"已办结（准予）：{item_label(application)}", f"您的申请已准予，{result}。")


def _deliver_electronically(application, now) -> None:
    """电子送达 at once, except in a bundle, whose results are delivered together (bundles)."""
    if application.delivery_method == DeliveryMethod.ELECTRONIC and not application.bundle_application_id:
        application.delivered_at = now
        what = f"电子证照 {application.license.identifier}" if application.license_id else "决定文书"
        application.delivery_note = f"电子送达：{what}已推送至申请人办件页"[:255]


def accepted_and_approved(*, actor, instance, task, action) -> None:
    """即办件: 受理 and 准予 in one move at the window (当场办结)."""
    application = locked_application(instance)
    _accept(application, actor=actor, instance=instance, task=task, action=action)
    _approve(application, actor=actor, instance=instance, task=task)


def approved(*, actor, instance, task, action) -> None:
    _approve(locked_application(instance), actor=actor, instance=instance, task=task)


def rejected(*, actor, instance, task, action) -> None:
    """不予: reasons, legal basis (the decide service asks for it; else the item's 设定依据) and
    the right to 行政复议/行政诉讼 in a signed document (行政许可法 §38 ¶2)."""
    application = locked_application(instance)
    opinion, reason = move_inputs(instance, task)
    now = timezone.now()
    application.status = ApplicationStatus.COMPLETED
    application.outcome = Outcome.REJECTED
    application.decided_at = now
    application.decision_opinion = opinion
    application.decision_reason = reason
    application.decision_basis = application.decision_basis or application.item_version.legal_basis
    application.working_days_used = instance.working_days_used
    decision_document_create(
        actor=actor,
        application=application,
        kind=DecisionDocument.Kind.REJECTION,
        reasons=reason,
        basis=application.decision_basis,
    )
    _deliver_electronically(application, now)
    save_application(
        application,
        *("status", "outcome", "decided_at", "decision_opinion", "decision_reason", "decision_basis"),
        *("working_days_used", "delivered_at", "delivery_note"),
    )
    audit.record(
        actor=actor, action="services.application.rejected", target=application, changes={"reason": reason}
    )
    _ended(application)
    tell_applicant(
        application,
        f"已办结（不予）：{item_label(application)}",
        f"不予理由：{reason}。不予许可决定书可在办件页下载。",
    )


def not_accepted(*, actor, instance, task, action) -> None:
    """不予受理, in writing with the reason (行政许可法 §32)."""
    application = locked_application(instance)
    _, reason = move_inputs(instance, task)
    application.status = ApplicationStatus.NOT_ACCEPTED
    application.not_accepted_reason = reason
    decision_document_create(
        actor=actor, application=application, kind=DecisionDocument.Kind.NOT_ACCEPTED, reasons=reason
    )
    save_application(application, "status", "not_accepted_reason")
    audit.record(
        actor=actor,
        action="services.application.not_accepted",
        target=application,
        changes={"reason": reason},
    )
    _ended(application)
    tell_applicant(
        application,
        f"不予受理：{item_label(application)}",
        f"不予受理理由：{reason}。不予受理通知书可在办件页下载。",
    )


def withdrawn(*, actor, instance, task, action) -> None:
    application = locked_application(instance)
    _, reason = move_inputs(instance, task)
    application.status = ApplicationStatus.WITHDRAWN
    application.withdrawn_reason = reason
    save_application(application, "status", "withdrawn_reason")
    audit.record(
        actor=actor, action="services.application.withdrawn", target=application, changes={"reason": reason}
    )
    _ended(application)
