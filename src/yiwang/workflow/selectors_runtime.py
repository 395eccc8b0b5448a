"""Reads of running processes, scoped to what the actor may see (out of scope → NotFound)."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from yiwang.core.errors import NotFound
from yiwang.workflow.models_runtime import InstanceEvent, ProcessInstance, Task, TaskStatus
from yiwang.workflow.permissions import can_task_see, has_post_over, role_posts

OPEN = (TaskStatus.OPEN, TaskStatus.CLAIMED)


def _candidate_condition(actor) -> Q:
    """Unclaimed tasks whose candidate role the actor holds over the candidate department."""
    condition = Q(pk__in=[])
    for role, path, city_wide in role_posts(actor):
        by_role = Q(role_keys__contains=f",{role},")
        if city_wide:
            condition |= by_role
        else:
            condition |= by_role & (
                Q(candidate_department__isnull=True) | Q(candidate_department__path__startswith=path)
            )
    return condition


def task_list_for_actor(*, actor, mine: bool = True) -> QuerySet[Task]:
    """`mine`: tasks named to or claimed by the actor; otherwise the unclaimed tasks the actor
    may claim (本部门待签收)."""
    tasks = Task.objects.select_related("instance", "candidate_department").order_by("created_at", "id")
    if actor is None or not getattr(actor, "is_authenticated", False) or not actor.is_active:
        return tasks.none()
    if mine:
        return tasks.filter(status__in=OPEN, assignee_id=actor.pk)
    return tasks.filter(_candidate_condition(actor), status=TaskStatus.OPEN, assignee__isnull=True)


def task_get_for_actor(*, actor, task_id) -> Task:
    task = Task.objects.select_related("instance", "candidate_department").filter(pk=_pk(task_id)).first()
    if task is None or not can_task_see(actor, task):
        raise NotFound("待办不存在或无权查看")
    return task


def instance_events_for_actor(*, actor, instance: ProcessInstance) -> QuerySet[InstanceEvent]:
    """办理记录 of an instance, for its initiator, officials over its department, and whoever
    may see one of its tasks (a branch department in 并联审批)."""
    visible = actor is not None and getattr(actor, "is_authenticated", False) and actor.is_active
    if visible and actor.pk != instance.initiator_id and not has_post_over(actor, instance.department):
        tasks = Task.objects.filter(instance=instance).select_related("candidate_department")
        visible = any(can_task_see(actor, task) for task in tasks)
    if not visible:
        raise NotFound("流程不存在或无权查看")
    return InstanceEvent.objects.filter(instance=instance).select_related("actor", "task").order_by("id")


def _pk(value) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and value.isdigit() and len(value) < 19:
        return int(value)
    return 0
