"""撤回 and 补正提交 (issue 5 §3–§4): workflow actions taken as the applicant — the process's
initiator, whose 撤回 the engine allows without a role, and the person the 补正 task waits for —
after checking that the actor acts for them. The process's effects (services/effects.py) keep
the application's status and the 一次性告知 in step; these services record who really acted
(the principal, their 经办人, or the window clerk for a window application's 补正).
"""

from __future__ import annotations

from django.db import transaction

from yiwang.core.audit import services as audit
from yiwang.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied, invalid
from yiwang.services.models import Application, ApplicationStatus
from yiwang.services.permissions import acts_for
from yiwang.services.services.applying import lock_application
from yiwang.services.services.applying_access import can_application_see
from yiwang.services.services.applying_materials import latest_notice

REASON_MAX = 500
NOTE_MAX = 2000
WITHDRAWABLE = (ApplicationStatus.SUBMITTED, ApplicationStatus.SUPPLEMENT, ApplicationStatus.ACCEPTED)


def _open_task_for(instance, action_code: str):
    """The open task of the instance from whose state `action_code` may be taken."""
    from yiwang.workflow.models_runtime import Task
    from yiwang.workflow.selectors import definition_of
    from yiwang.workflow.services.engine import OPEN

    definition = definition_of(version=instance.definition)
    tasks = Task.objects.select_related("instance", "candidate_department").filter(
        instance=instance, status__in=OPEN
    )
    for task in tasks.order_by("created_at", "id"):
        if any(action.code == action_code for action in definition.actions_from(task.state)):
            return task
    return None


def _text(value, *, field: str, label: str, limit: int, required: bool) -> str:
    text = value.strip() if isinstance(value, str) else ""
    if required and not text:
        raise invalid(field, f"请填写{label}")
    if len(text) > limit:
        raise invalid(field, f"{label}至多{limit}个字符")
    return text


@transaction.atomic
def application_withdraw(*, actor, application, reason) -> Application:
    """撤回 before the decision (行政许可法 §29 ff.: the applicant may withdraw)."""
    if not can_application_see(actor, application):
        raise NotFound("办件不存在或无权查看")
    if not acts_for(actor, application.applicant):
        raise PermissionDenied("撤回须由申请人本人或其经办人提出")
    reason = _text(reason, field="reason", label="撤回理由", limit=REASON_MAX, required=True)
    application = lock_application(application)
    if application.status not in WITHDRAWABLE or application.decided_at or application.instance_id is None:
        raise Conflict(f"办件{application.get_status_display()}，不能撤回")
    task = _open_task_for(application.instance, "withdraw")
    if task is None:
        raise Conflict("当前办理环节不能撤回")
    from yiwang.workflow.services.act import task_act

    task_act(
        actor=application.applicant,
        task=task,
        action_code="withdraw",
        expected_version=task.version,
        reason=reason,
    )
    application.refresh_from_db()
    audit.record(
        actor=actor,
        action="services.application.withdraw_requested",
        target=application,
        changes={"applicant": application.applicant_id, "by": actor.pk, "reason": reason},
    )
    return application


@transaction.atomic
def application_resubmit(*, actor, application, note="") -> Application:
    """补正提交: every material the 一次性告知 named must have a file added since the notice."""
    if not can_application_see(actor, application):
        raise NotFound("办件不存在或无权查看")
    note = _text(note, field="note", label="补正说明", limit=NOTE_MAX, required=False)
    application = lock_application(application)
    if application.status != ApplicationStatus.SUPPLEMENT:
        raise Conflict(f"办件{application.get_status_display()}，无需补正")
    notice = latest_notice(application)
    problems: dict[str, str] = {}
    fixed: list[int] = []
    for material in application.materials.exclude(problem="").prefetch_related("files"):
        new = [f.pk for f in material.files.all() if notice is None or f.created_at >= notice.issued_at]
        if not new:
            problems[f"materials.{material.code}"] = (
                f"{material.name}：请按补正要求重新提交（{material.problem}）"
            )
        fixed.extend(new)
    if problems:
        raise InvalidInput(f"还有{len(problems)}项材料未按一次性告知补正", fields=problems)
    task = _open_task_for(application.instance, "resubmit")
    if task is None:
        raise Conflict("当前办理环节不能补正提交")
    application.materials.exclude(problem="").update(problem="")
    from yiwang.workflow.services.act import task_act

    task_act(
        actor=application.applicant,
        task=task,
        action_code="resubmit",
        expected_version=task.version,
        opinion=note,
        attachments=fixed[:50],
    )
    application.refresh_from_db()
    audit.record(
        actor=actor,
        action="services.application.resubmit_requested",
        target=application,
        changes={"by": actor.pk, "files": fixed, "notice": notice.pk if notice else None},
    )
    return application
