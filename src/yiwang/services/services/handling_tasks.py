"""How a handling service reaches the workflow: find the application's open task in the step
asked for that the actor may work, claim it for them if nobody has, and act on it.

Refusals say what a person can do about them: outside the application's scope → 404
(selectors_handling); the application is at another step → 409 naming the current step;
the step belongs to another role or department → 403 naming the role (STYLE: CKAN's auth
beside each action — here the process file's roles are the auth).
"""

from __future__ import annotations

from yiwang.core.errors import Conflict, NotFound, PermissionDenied
from yiwang.services.models import Application
from yiwang.services.selectors_handling import application_visible_to_official
from yiwang.workflow.models_runtime import Task, TaskStatus
from yiwang.workflow.permissions import can_task_work
from yiwang.workflow.selectors_runtime import state_name_of
from yiwang.workflow.services.act import task_act
from yiwang.workflow.services.claim import role_names, task_claim

OPEN = (TaskStatus.OPEN, TaskStatus.CLAIMED)


def visible_application(*, actor, application: Application) -> Application:
    """The application re-read with what handling needs; NotFound outside the actor's scope."""
    fresh = (
        Application.objects.select_related(
            "item__department", "item_version__acceptance_department", "department", "applicant", "instance"
        )
        .filter(pk=getattr(application, "pk", None))
        .first()
    )
    if fresh is None or not application_visible_to_official(actor, fresh):
        raise NotFound("办件不存在或无权查看")
    return fresh


def reread(application: Application) -> Application:
    """The application as the move left it (effects changed it through their own locked copy)."""
    return Application.objects.select_related("item", "item_version", "applicant", "license", "receipt").get(
        pk=application.pk
    )


def _open_tasks(application: Application) -> list[Task]:
    return list(
        Task.objects.filter(instance_id=application.instance_id, status__in=OPEN)
        .select_related("candidate_department", "instance__definition")
        .order_by("id")
    )


def current_steps(application: Application) -> str:
    tasks = _open_tasks(application)
    return "、".join(dict.fromkeys(state_name_of(t) for t in tasks)) or application.get_status_display()


def task_for(
    *, actor, application: Application, states: tuple[str, ...], step: str, expected_version=None
) -> Task:
    """The open task of `application` in one of `states` the actor may work, claimed for them."""
    tasks = _open_tasks(application)
    in_step = [t for t in tasks if t.state in states]
    if not in_step:
        current = (
            "、".join(dict.fromkeys(state_name_of(t) for t in tasks)) or application.get_status_display()
        )
        raise Conflict(f"办件当前不在“{step}”环节（当前：{current}），请刷新后查看")
    workable = [t for t in in_step if can_task_work(actor, t)]
    if not workable:
        task = in_step[0]
        if task.assignee_id is not None:
            raise PermissionDenied(f"“{step}”已由他人签收办理")
        department = task.candidate_department.name if task.candidate_department else "相关部门"
        raise PermissionDenied(f"“{step}”需要{department}的{role_names(task.candidate_roles)}角色")
    task = workable[0]
    if expected_version is not None and expected_version != task.version:
        raise Conflict("该环节已被他人处理，请刷新后重试", fields={"version": "该环节已被他人处理"})
    if task.status == TaskStatus.OPEN and not task.named:
        task = task_claim(actor=actor, task=task, expected_version=task.version)
    return task


def act(*, actor, task: Task, action: str, opinion: str = "", reason: str = "") -> None:
    task_act(
        actor=actor,
        task=task,
        action_code=action,
        expected_version=task.version,
        opinion=opinion,
        reason=reason,
    )


def text(value) -> str:
    """A text input, trimmed; anything but text is no input (the engine then names the field
    as missing, and checks the length)."""
    return value.strip() if isinstance(value, str) else ""
