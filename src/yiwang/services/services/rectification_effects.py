"""Workflow effects for 差评整改 (processes/rectification.yaml; registered in services/hooks.py).

The engine calls them in the move's transaction, whichever page moved the instance (the
rectification page or the generic workbench task page), so the `Rectification` row always
says what the process says; a failing effect undoes the move. The text of the move (意见 or
理由) is read from the history row the engine has just written.
"""

from __future__ import annotations

from django.utils import timezone

from yiwang.services.models import Rectification, RectificationStatus
from yiwang.workflow.models_runtime import EventKind, InstanceEvent


def _rectification(instance) -> Rectification:
    return Rectification.objects.select_for_update().get(instance_id=instance.pk)


def _text(instance, task) -> str:
    """The opinion or reason of the move just made."""
    event = InstanceEvent.objects.filter(instance_id=instance.pk, kind=EventKind.ACT).order_by("-id").first()
    if event is not None and (event.opinion or event.reason):
        return event.opinion or event.reason
    return getattr(task, "opinion", "") or ""


def rectification_responded(*, actor, instance, task, action) -> None:
    """整改完成 / 情况说明（差评不实）: the bureau revisits next."""
    rectification = _rectification(instance)
    rectification.response = _text(instance, task)
    rectification.unfounded = action == "explained"
    rectification.responded_at = timezone.now()
    rectification.status = RectificationStatus.REVISITING
    rectification.save(update_fields=["response", "unfounded", "responded_at", "status"])


def rectification_appealed(*, actor, instance, task, action) -> None:
    rectification = _rectification(instance)
    rectification.appeal_reason = _text(instance, task)
    rectification.status = RectificationStatus.APPEALING
    rectification.save(update_fields=["appeal_reason", "status"])


def rectification_revoked(*, actor, instance, task, action) -> None:
    """申诉成立: the 差评 no longer counts (selectors leave revoked ones out)."""
    rectification = _rectification(instance)
    rectification.appeal_decision = _text(instance, task)
    rectification.status = RectificationStatus.REVOKED
    rectification.closed_at = timezone.now()
    rectification.save(update_fields=["appeal_decision", "status", "closed_at"])


def rectification_appeal_rejected(*, actor, instance, task, action) -> None:
    rectification = _rectification(instance)
    rectification.appeal_decision = _text(instance, task)
    rectification.status = RectificationStatus.OPEN
    rectification.save(update_fields=["appeal_decision", "status"])


def rectification_closed(*, actor, instance, task, action) -> None:
    """回访满意: rectified (or explained) and verified with the rater."""
    rectification = _rectification(instance)
    now = timezone.now()
    rectification.revisit_result = "satisfied"
    rectification.revisit_note = _text(instance, task)
    rectification.revisited_at = now
    rectification.status = RectificationStatus.CLOSED
    rectification.closed_at = now
    rectification.save(
        update_fields=["revisit_result", "revisit_note", "revisited_at", "status", "closed_at"]
    )


def rectification_reopened(*, actor, instance, task, action) -> None:
    """回访不满意: back to 整改. The revisit happened, so it counts toward 回访率."""
    rectification = _rectification(instance)
    rectification.revisit_result = "unsatisfied"
    rectification.revisit_note = _text(instance, task)
    rectification.revisited_at = timezone.now()
    rectification.status = RectificationStatus.OPEN
    rectification.save(update_fields=["revisit_result", "revisit_note", "revisited_at", "status"])
