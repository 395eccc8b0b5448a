"""办理: take an action on a task. One transaction moves the instance, closes and opens tasks,
writes the history and the audit record (issue 3, part 2)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from yiwang.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from yiwang.core.workcal.clock import shared_calendar
from yiwang.workflow import clock
from yiwang.workflow.definitions import Action, ActionKind, ProcessDefinition, Requirement, StateKind
from yiwang.workflow.hooks import guard_get
from yiwang.workflow.models_runtime import (
    ClockPause,
    EventKind,
    InstanceStatus,
    ProcessInstance,
    Task,
    TaskStatus,
)
from yiwang.workflow.permissions import can_task_see, holds_role_over
from yiwang.workflow.selectors import definition_of
from yiwang.workflow.services import engine
from yiwang.workflow.services.claim import TAKEN, check_workable, locked_update, role_names

TEXT_MAX = 2000
ATTACHMENTS_MAX = 50
MISSING = {
    Requirement.OPINION: ("opinion", "请填写意见"),
    Requirement.REASON: ("reason", "请填写理由"),
    Requirement.ATTACHMENTS: ("attachments", "请上传附件"),
}


def _find_action(definition: ProcessDefinition, task: Task, action_code, *, system=False) -> Action:
    # Clock (issue 3 §4): ESCALATE actions are fired by the clock sweep (actor None), only by it.
    available = [a for a in definition.actions_from(task.state) if (a.kind == ActionKind.ESCALATE) == system]
    action = next((a for a in available if a.code == action_code), None)
    if action is None:
        state = definition.state(task.state)
        choices = "、".join(f"{a.name}（{a.code}）" for a in available) or "无"
        message = f"当前环节不能执行此操作：{action_code}（环节“{state.name}”可执行：{choices}）"
        raise InvalidInput(message, fields={"action": message})
    return action


def _inputs(action: Action, *, opinion, reason, attachments) -> tuple[str, str, list]:
    fields: dict[str, str] = {}
    for name, value in (("opinion", opinion), ("reason", reason)):
        if not isinstance(value, str) or len(value) > TEXT_MAX:
            fields[name] = f"{'意见' if name == 'opinion' else '理由'}须为不超过{TEXT_MAX}个字符的文字"
    try:
        attachments = [int(a) for a in attachments]
    except (TypeError, ValueError):
        attachments = [0]
    if len(attachments) > ATTACHMENTS_MAX or any(a <= 0 for a in attachments):
        fields["attachments"] = f"附件须为不超过{ATTACHMENTS_MAX}个附件编号"
        attachments = []
    given = {
        "opinion": str(opinion or "").strip(),
        "reason": str(reason or "").strip(),
        "attachments": attachments,
    }
    for requirement in action.requires:
        field, message = MISSING[requirement]
        if not given[field] and field not in fields:
            fields[field] = message
    if fields:
        raise InvalidInput(f"“{action.name}”的必填内容不完整", fields=fields)
    return given["opinion"], given["reason"], attachments


def _check_attachments(actor, ids: list[int]) -> None:
    """An action may name only files the actor may see (core.files' owner registry): the task's
    own uploads (services/act_files.py is stricter) or a domain's files, e.g. 补正材料 of an
    application — never an arbitrary id."""
    from yiwang.core.files.models import Attachment
    from yiwang.core.files.permissions import can_file_view

    found = {a.pk: a for a in Attachment.objects.filter(pk__in=ids)}
    wrong = [
        pk
        for pk in ids
        if pk not in found
        or not can_file_view(actor, owner_type=found[pk].owner_type, owner_id=found[pk].owner_id)
    ]
    if wrong:
        message = f"附件不存在或无权使用：{'、'.join(map(str, wrong))}"
        raise InvalidInput(message, fields={"attachments": message})


def _check_actor(*, actor, task: Task, instance: ProcessInstance, action: Action, expected_version) -> None:
    if action.kind == ActionKind.WITHDRAW and actor is not None and actor.pk == instance.initiator_id:
        # 撤回 is the initiator's: they need not hold the task's role.
        if expected_version != task.version:
            raise Conflict(TAKEN, fields={"version": TAKEN})
        return
    check_workable(actor=actor, task=task, expected_version=expected_version)
    if action.roles and not holds_role_over(actor, action.roles, task.candidate_department):
        raise PermissionDenied(f"执行“{action.name}”需要角色：{role_names(action.roles)}")


@shared_calendar()  # one calendar read per move, however many due times it sets
@transaction.atomic
def task_act(
    *, actor, task: Task, action_code: str, expected_version: int, opinion="", reason="", attachments=()
) -> ProcessInstance:
    system = actor is None  # clock (issue 3 §4): the sweep fires ESCALATE actions, nothing else
    if not (system or can_task_see(actor, task) or actor.pk == task.instance.initiator_id):
        raise NotFound("待办不存在或无权查看")
    # The instance row is the lock of the whole move: two branches reaching a join, or two
    # officials on one task, are serialised here; the task's version decides who lost.
    instance = (
        ProcessInstance.objects.select_for_update(of=("self",))
        .select_related("definition", "department")
        .get(pk=task.instance_id)
    )
    # What the caller read may be stale; `expected_version` says what they saw.
    task.refresh_from_db(from_queryset=Task.objects.select_related("candidate_department"))
    task.instance = instance
    definition = definition_of(version=instance.definition)
    if expected_version == task.version and task.status not in engine.OPEN:
        raise InvalidInput(f"该待办{task.get_status_display()}，不能再办理")
    action = _find_action(definition, task, action_code, system=system)
    if system:
        if expected_version != task.version:
            raise Conflict(TAKEN, fields={"version": TAKEN})
    else:
        _check_actor(
            actor=actor, task=task, instance=instance, action=action, expected_version=expected_version
        )
    opinion, reason, attachments = _inputs(action, opinion=opinion, reason=reason, attachments=attachments)
    if not system:
        _check_attachments(actor, attachments)
    if action.guard:
        guard = guard_get(action.guard)
        if guard is None:
            raise Conflict(f"流程配置有误：校验钩子“{action.guard}”未注册，请联系管理员")
        guard(actor=actor, instance=instance, task=task, action=action.code)
    pause = None
    if action.kind == ActionKind.RESUME:
        pause = ClockPause.objects.filter(instance=instance, branch=task.branch, ended_at=None).first()
        if pause is None:
            raise InvalidInput("该流程没有挂起的计时，无需恢复")
    now = timezone.now()
    locked_update(
        task=task,
        expected_version=expected_version,
        status=TaskStatus.DONE,
        completed_at=now,
        completed_by=actor,
        # 电子监察 (issue 3 §5): opened to done; None when a year has no calendar.
        working_days_used=clock.used_working_days(task.created_at, now),
        action=action.code,
        opinion=opinion,
    )
    target = pause.from_state if pause is not None else action.target
    engine.record_event(
        instance=instance,
        actor=actor,
        kind=EventKind.ACT,
        task=task,
        action=action.code,
        from_state=task.state,
        to_state=target,
        opinion=opinion,
        reason=reason,
        attachments=attachments,
    )
    _move(
        definition=definition,
        instance=instance,
        task=task,
        action=action,
        actor=actor,
        reason=reason,
        pause=pause,
    )
    engine.run_effect(action=action, actor=actor, instance=instance, task=task)
    engine.save_instance(instance)
    return instance


def _move(*, definition, instance, task, action, actor, reason, pause) -> None:
    kind = action.kind
    if kind in (ActionKind.FORWARD, ActionKind.ESCALATE):  # ESCALATE: the clock moves it on
        engine.enter(
            definition=definition,
            instance=instance,
            state_code=action.target,
            branch=task.branch,
            actor=actor,
        )
    elif kind == ActionKind.RETURN:
        if task.branch and action.target in engine.branch_region(definition, task.branch):
            branch = task.branch
        else:
            # 退回 out of a fork region: the other branches' work is void.
            engine.cancel_open_tasks(instance=instance, actor=actor)
            instance.join_arrivals = {}
            branch = _branch_of(definition, action.target)
        engine.enter(
            definition=definition, instance=instance, state_code=action.target, branch=branch, actor=actor
        )
    elif kind == ActionKind.SUSPEND:
        instance.status = InstanceStatus.SUSPENDED
        ClockPause.objects.create(
            instance=instance,
            task=task,
            from_state=task.state,
            branch=task.branch,
            started_at=timezone.now(),
            reason=reason,
        )
        engine.enter(
            definition=definition,
            instance=instance,
            state_code=action.target,
            branch=task.branch,
            actor=actor,
        )
    elif kind == ActionKind.RESUME:
        ended_at = timezone.now()
        ClockPause.objects.filter(pk=pause.pk).update(ended_at=ended_at)
        if not ClockPause.objects.filter(instance=instance, ended_at=None).exists():
            instance.status = InstanceStatus.RUNNING
        engine.enter(
            definition=definition,
            instance=instance,
            state_code=pause.from_state,
            branch=task.branch,
            actor=actor,
        )
        # Clock (issue 3 §4): the resumed task and the instance keep their due times, moved by the pause.
        clock.pause_closed(definition=definition, instance=instance, pause=pause, ended_at=ended_at)
    else:  # WITHDRAW, TERMINATE
        end = definition.state(action.target) if action.target else None
        outcome = end.outcome if end is not None and end.kind == StateKind.END and end.outcome else str(kind)
        status = InstanceStatus.WITHDRAWN if kind == ActionKind.WITHDRAW else InstanceStatus.TERMINATED
        engine.finish(instance=instance, status=status, outcome=outcome, actor=actor)


def _branch_of(definition: ProcessDefinition, state_code: str) -> str:
    for state in definition.states:
        if state.kind == StateKind.FORK:
            for first in state.branches:
                if state_code in engine.branch_region(definition, first):
                    return first
    return ""
