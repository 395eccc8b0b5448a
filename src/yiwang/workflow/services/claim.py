"""签收 and 退签: an official takes a department task for themselves, or gives it back."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from yiwang.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from yiwang.workflow.models_runtime import EventKind, Task, TaskStatus
from yiwang.workflow.permissions import can_task_see, can_task_work
from yiwang.workflow.services import engine

TAKEN = "该待办已被他人处理"
# Re-reading a task brings what every check and history row needs in the same query.
FRESH = Task.objects.select_related("instance", "candidate_department")


def locked_update(*, task: Task, expected_version: int, **values) -> None:
    """UPDATE … WHERE id = … AND version = expected: the loser of two officials gets a 409."""
    updated = Task.objects.filter(pk=task.pk, version=expected_version, status__in=engine.OPEN).update(
        version=expected_version + 1, **values
    )
    if updated != 1:
        raise Conflict(TAKEN, fields={"version": TAKEN})
    for name, value in values.items():
        setattr(task, name, value)
    task.version = expected_version + 1


def check_workable(*, actor, task: Task, expected_version) -> None:
    if not can_task_see(actor, task):
        raise NotFound("待办不存在或无权查看")
    if not isinstance(expected_version, int) or isinstance(expected_version, bool):
        raise InvalidInput(fields={"version": "缺少版本号，请刷新后重试"})
    if expected_version != task.version:
        raise Conflict(TAKEN, fields={"version": TAKEN})
    if task.status not in engine.OPEN:
        raise InvalidInput(f"该待办{task.get_status_display()}，不能再办理")
    if task.assignee_id is not None and task.assignee_id != actor.pk:
        raise PermissionDenied("该待办已指定由他人办理" if task.named else "该待办已由他人签收")
    if not can_task_work(actor, task):
        raise PermissionDenied(f"办理此待办需要角色：{role_names(task.candidate_roles)}")


def role_names(codes) -> str:
    from yiwang.core.accounts.models import Role

    names = dict(Role.objects.filter(code__in=list(codes)).values_list("code", "name"))
    return "、".join(names.get(code, code) for code in codes)


@transaction.atomic
def task_claim(*, actor, task: Task, expected_version: int) -> Task:
    task.refresh_from_db(from_queryset=FRESH)
    check_workable(actor=actor, task=task, expected_version=expected_version)
    if task.status != TaskStatus.OPEN or task.named:
        raise InvalidInput("该待办已有办理人，无需签收")
    locked_update(
        task=task,
        expected_version=expected_version,
        status=TaskStatus.CLAIMED,
        assignee=actor,
        claimed_at=timezone.now(),
    )
    engine.record_event(
        instance=task.instance, actor=actor, kind=EventKind.CLAIM, task=task, from_state=task.state
    )
    return task


@transaction.atomic
def task_release(*, actor, task: Task, expected_version: int) -> Task:
    task.refresh_from_db(from_queryset=FRESH)
    check_workable(actor=actor, task=task, expected_version=expected_version)
    if task.status != TaskStatus.CLAIMED or task.named:
        raise InvalidInput("只能退签自己已签收的待办")
    locked_update(
        task=task, expected_version=expected_version, status=TaskStatus.OPEN, assignee=None, claimed_at=None
    )
    engine.record_event(
        instance=task.instance, actor=actor, kind=EventKind.RELEASE, task=task, from_state=task.state
    )
    return task
