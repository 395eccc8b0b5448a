"""抄阅 (copied to me): the copies an official received; each is seen by its recipient only."""

from __future__ import annotations

from django.db.models import Case, IntegerField, QuerySet, Value, When

from yiwang.core.errors import NotFound, invalid
from yiwang.workflow.models_runtime import Task
from yiwang.workflow.models_supervision import CarbonCopy
from yiwang.workflow.selectors_runtime import _pk


def _active(actor) -> bool:
    return actor is not None and getattr(actor, "is_authenticated", False) and actor.is_active


def copy_inbox(*, actor) -> QuerySet[CarbonCopy]:
    """The 抄阅 box: unread first, then newest first."""
    copies = CarbonCopy.objects.select_related("instance", "sender", "task")
    if not _active(actor):
        return copies.none()
    unread_first = Case(
        When(read_at__isnull=True, then=Value(0)), default=Value(1), output_field=IntegerField()
    )
    return copies.filter(recipient_id=actor.pk).order_by(unread_first, "-created_at", "-id")


def copy_unread_count(*, actor) -> int:
    if not _active(actor):
        return 0
    return CarbonCopy.objects.filter(recipient_id=actor.pk, read_at__isnull=True).count()


def copies_unread_of(*, actor, instance) -> QuerySet[CarbonCopy]:
    """The actor's unread copies of one instance (opening the instance page reads them)."""
    if not _active(actor):
        return CarbonCopy.objects.none()
    return CarbonCopy.objects.filter(recipient_id=actor.pk, instance=instance, read_at__isnull=True)


def copy_get_for_actor(*, actor, copy_id) -> CarbonCopy:
    pk = _pk(copy_id)
    copy = CarbonCopy.objects.select_related("instance", "sender").filter(pk=pk).first() if pk else None
    if copy is None or not _active(actor) or copy.recipient_id != actor.pk:
        raise NotFound("抄阅不存在或无权查看")
    return copy


def copy_task_of(*, instance, task_id) -> Task | None:
    """The task a copy is sent from (optional): one of the instance's tasks, else InvalidInput."""
    if task_id is None:
        return None
    task = Task.objects.filter(pk=_pk(task_id), instance=instance).first()
    if task is None:
        raise invalid("task", "待办不属于该流程")
    return task
