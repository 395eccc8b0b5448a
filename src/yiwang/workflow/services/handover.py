"""转办, 委托 and 改派: a task changes hands without moving the process (issue 3 §2).

- 转办 (`task_transfer`): whoever may work the task sends it to another department; it is open
  again there for the same candidate roles.
- 委托 (`task_delegate`): the task's assignee hands it to a colleague who could work it.
- 改派 (`task_reassign`): a manager (`workflow.task.reassign`) gives it to someone who could work
  it, whoever holds it now.

Each is one transaction: the instance row is locked like an action's (a handover and an action
on the same task are serialised), the task moves by `claim.locked_update` (a stale version is a
409), the move is recorded by `engine.record_event` (history and audit) and the people who now
hold the task are told.
"""

from __future__ import annotations

from django.apps import apps
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from yiwang.core.accounts.models import UserKind
from yiwang.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied, invalid
from yiwang.core.notify.services import notify
from yiwang.workflow import notices
from yiwang.workflow.models_runtime import EventKind, ProcessInstance, Task, TaskStatus
from yiwang.workflow.permissions import can_task_reassign, can_task_see, has_post_over, holds_role_over
from yiwang.workflow.selectors_runtime import state_name_of
from yiwang.workflow.services import engine
from yiwang.workflow.services.claim import TAKEN, check_workable, locked_update, role_names

REASON_MAX = 2000


def as_pk(value) -> int | None:
    """An id from a form, a JSON body or a model instance; None when it cannot be one."""
    if hasattr(value, "pk"):
        value = value.pk
    if isinstance(value, int) and not isinstance(value, bool):
        return value if 0 < value < 2**63 else None
    if isinstance(value, str) and value.strip().isdigit() and len(value.strip()) < 19:
        return int(value.strip())
    return None


def could_work(user, task: Task) -> bool:
    """Whether `user` could take the task over: an active official holding one of its candidate
    roles over its candidate department (no candidate roles: any post over the department)."""
    if user is None or not user.is_active or user.kind != UserKind.OFFICIAL:
        return False
    if task.candidate_roles:
        return holds_role_over(user, task.candidate_roles, task.candidate_department)
    return has_post_over(user, task.candidate_department)


def _reason_error(reason) -> str:
    if not isinstance(reason, str) or not reason.strip():
        return "请填写理由"
    if len(reason) > REASON_MAX:
        return f"理由不能超过{REASON_MAX}个字符"
    return ""


def _checked(reason, **picked):
    """Raise one InvalidInput naming every bad field (the pick's and the reason's); else the
    stripped reason. `picked`: {field: a callable returning the picked object or raising}."""
    fields, values = {}, {}
    for field, pick in picked.items():
        try:
            values[field] = pick()
        except InvalidInput as error:
            fields.update(error.fields)
    if message := _reason_error(reason):
        fields["reason"] = message
    if fields:
        raise InvalidInput(next(iter(fields.values())), fields=fields)
    return reason.strip(), *values.values()


def _locked(task: Task) -> ProcessInstance:
    """Lock the instance (as `task_act` does), then read the task as it is now."""
    instance = ProcessInstance.objects.select_for_update().get(pk=task.instance_id)
    task.refresh_from_db()
    return instance


def _taker(*, to_user, task: Task, actor, verb: str):
    """The person a task is delegated or reassigned to, or InvalidInput on `to_user`."""
    User = apps.get_model("accounts", "User")
    pk = as_pk(to_user)
    user = User.objects.filter(pk=pk).first() if pk is not None else None
    if user is None or not user.is_active:
        raise invalid("to_user", "请选择一名在职的工作人员")
    if user.kind != UserKind.OFFICIAL:
        raise invalid("to_user", f"只能{verb}给工作人员")
    if user.pk == actor.pk and verb == "委托":
        raise invalid("to_user", "不能委托给自己")
    if user.pk == task.assignee_id:
        raise invalid("to_user", f"{user.display_name}已是该待办的办理人")
    if not could_work(user, task):
        if task.candidate_roles:
            need = f"需要角色：{role_names(task.candidate_roles)}"
        else:
            need = f"需要在“{task.candidate_department}”任职"
        raise invalid("to_user", f"{user.display_name}不能办理此待办（{need}）")
    return user


def _department(department, task: Task):
    Department = apps.get_model("orgs", "Department")
    pk = as_pk(department)
    target = Department.objects.filter(pk=pk, is_active=True).first() if pk is not None else None
    if target is None:
        raise invalid("department", "请选择一个启用的部门")
    if target.pk == task.candidate_department_id:
        raise invalid("department", "该待办已在此部门，请选择其他部门")
    return target


def _task_link(task: Task) -> str:
    return reverse("workflow:task", args=[task.pk])


def _notify(users, *, title: str, body: str, task: Task) -> None:
    link = _task_link(task)
    for user in users:
        notify(recipient=user, title=title, body=body, link=link, category="workflow")


def _check_version(task: Task, expected_version) -> None:
    if not isinstance(expected_version, int) or isinstance(expected_version, bool):
        raise InvalidInput(fields={"version": "缺少版本号，请刷新后重试"})
    if expected_version != task.version:
        raise Conflict(TAKEN, fields={"version": TAKEN})
    if task.status not in engine.OPEN:
        raise InvalidInput(f"该待办{task.get_status_display()}，不能再转交")


@transaction.atomic
def task_transfer(*, actor, task: Task, expected_version, department, reason) -> Task:
    """转办: send the task to another active department, open for the same candidate roles."""
    instance = _locked(task)
    check_workable(actor=actor, task=task, expected_version=expected_version)
    reason, target = _checked(reason, department=lambda: _department(department, task))
    previous = task.candidate_department_id
    locked_update(
        task=task,
        expected_version=expected_version,
        candidate_department=target,
        status=TaskStatus.OPEN,
        assignee=None,
        named=False,
        claimed_at=None,
    )
    engine.record_event(
        instance=instance,
        actor=actor,
        kind=EventKind.TRANSFER,
        task=task,
        from_state=task.state,
        reason=reason,
        detail={"from_department": previous, "to_department": target.pk},
    )
    _notify(
        notices.candidates_of(task),
        title=f"转办待办：{instance} · {state_name_of(task)}",
        body=f"{actor.display_name}转办至{target.name}：{reason}",
        task=task,
    )
    return task


@transaction.atomic
def task_delegate(*, actor, task: Task, expected_version, to_user, reason) -> Task:
    """委托: the current assignee hands the task to a colleague who could work it."""
    instance = _locked(task)
    check_workable(actor=actor, task=task, expected_version=expected_version)
    if task.assignee_id != actor.pk:
        raise InvalidInput("请先签收该待办，再委托他人办理")
    reason, taker = _checked(
        reason, to_user=lambda: _taker(to_user=to_user, task=task, actor=actor, verb="委托")
    )
    locked_update(
        task=task,
        expected_version=expected_version,
        status=TaskStatus.CLAIMED,
        assignee=taker,
        claimed_at=timezone.now(),
    )
    engine.record_event(
        instance=instance,
        actor=actor,
        kind=EventKind.DELEGATE,
        task=task,
        from_state=task.state,
        reason=reason,
        detail={"from_user": actor.pk, "to_user": taker.pk},
    )
    _notify(
        [taker],
        title=f"委托待办：{instance} · {state_name_of(task)}",
        body=f"{actor.display_name}委托您办理：{reason}",
        task=task,
    )
    return task


@transaction.atomic
def task_reassign(*, actor, task: Task, expected_version, to_user, reason) -> Task:
    """改派: a manager over the task's department gives it to someone who could work it."""
    instance = _locked(task)
    if not can_task_see(actor, task):
        raise NotFound("待办不存在或无权查看")
    if not can_task_reassign(actor, task):
        raise PermissionDenied("改派需要权限：改派待办")
    _check_version(task, expected_version)
    previous = task.assignee
    reason, taker = _checked(
        reason, to_user=lambda: _taker(to_user=to_user, task=task, actor=actor, verb="改派")
    )
    locked_update(
        task=task,
        expected_version=expected_version,
        status=TaskStatus.CLAIMED,
        assignee=taker,
        claimed_at=timezone.now(),
    )
    engine.record_event(
        instance=instance,
        actor=actor,
        kind=EventKind.REASSIGN,
        task=task,
        from_state=task.state,
        reason=reason,
        detail={"from_user": previous.pk if previous else None, "to_user": taker.pk},
    )
    _notify(
        [taker],
        title=f"改派待办：{instance} · {state_name_of(task)}",
        body=f"{actor.display_name}改派由您办理：{reason}",
        task=task,
    )
    if previous is not None:
        _notify(
            [previous],
            title=f"待办已改派：{instance} · {state_name_of(task)}",
            body=f"{actor.display_name}已将此待办改派给{taker.display_name}：{reason}",
            task=task,
        )
    return task
