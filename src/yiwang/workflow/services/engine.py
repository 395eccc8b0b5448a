"""The moves every runtime service shares: enter a state, open tasks, record history.

Hooks (workflow/hooks.py) are called with keywords `actor, instance, task, action` (the action
code; `task` is None for a join's automatic move): a guard raises a DomainError to refuse, an
effect runs after the move in the same transaction, so its failure undoes the move.

Callers hold the instance row locked (`select_for_update`), so two branches arriving at a join
at the same moment are counted one after the other. Every history row is audited in the same
transaction: state, tasks, history and audit commit together or not at all (issue 3, part 2).
"""

from __future__ import annotations

from django.apps import apps
from django.utils import timezone

from yiwang.core.audit import services as audit
from yiwang.core.errors import Conflict, InvalidInput
from yiwang.workflow import clock
from yiwang.workflow.definitions import ActionKind, JoinMode, ProcessDefinition, StateKind
from yiwang.workflow.hooks import effect_get
from yiwang.workflow.models_runtime import (
    ClockPause,
    EventKind,
    InstanceEvent,
    InstanceStatus,
    ProcessInstance,
    Task,
    TaskStatus,
)

OPEN = (TaskStatus.OPEN, TaskStatus.CLAIMED)


def record_event(
    *, instance: ProcessInstance, actor, kind: str, task=None, action="", from_state="", to_state="", **extra
) -> InstanceEvent:
    event = InstanceEvent.objects.create(
        instance=instance,
        task=task,
        actor=actor if actor is not None and getattr(actor, "is_authenticated", False) else None,
        kind=kind,
        action=action,
        from_state=from_state,
        to_state=to_state,
        opinion=extra.get("opinion", ""),
        reason=extra.get("reason", ""),
        attachments=list(extra.get("attachments", ())),
        detail=dict(extra.get("detail", {})),
        at=timezone.now(),
    )
    audit.record(
        actor=actor,
        action=f"workflow.instance.{kind}",
        target=instance,
        changes={
            "task": task.pk if task is not None else None,
            "action": action,
            "from": from_state,
            "to": to_state,
            "status": instance.status,
            **({"detail": event.detail} if event.detail else {}),
        },
    )
    return event


def resolve_department(*, definition_department: str, instance: ProcessInstance):
    """The candidate department of a state (definitions.Assignment.department), looked up once
    per move: `instance_start` resolves every state, and each task opened resolves its own."""
    memo = instance.__dict__.setdefault("_yiwang_departments", {})
    if definition_department not in memo:
        memo[definition_department] = _resolve_department(definition_department, instance)
    return memo[definition_department]


def _resolve_department(definition_department: str, instance: ProcessInstance):
    Department = apps.get_model("orgs", "Department")
    if definition_department == "subject":
        return instance.department
    if definition_department == "initiator":
        if instance.initiator_id is not None:
            post = instance.initiator.posts.select_related("department").order_by("id").first()
            if post is not None:
                return post.department
        return instance.department
    if definition_department.startswith("param:"):
        name = definition_department.removeprefix("param:")
        department = Department.objects.filter(pk=_as_int(instance.params.get(name)), is_active=True).first()
        if department is None:
            raise InvalidInput(fields={f"params.{name}": f"参数“{name}”须为一个启用部门的编号"})
        return department
    return None


def resolve_person(*, definition_person: str, instance: ProcessInstance):
    if not definition_person.startswith("param:"):
        return None
    name = definition_person.removeprefix("param:")
    User = apps.get_model("accounts", "User")
    user = User.objects.filter(pk=_as_int(instance.params.get(name)), is_active=True).first()
    if user is None:
        raise InvalidInput(fields={f"params.{name}": f"参数“{name}”须为一名在职人员的编号"})
    return user


def _as_int(value) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.isdigit() and len(value) < 19:
        return int(value)
    return None


def open_task(
    *, definition: ProcessDefinition, instance: ProcessInstance, state_code: str, branch: str
) -> Task:
    state = definition.state(state_code)
    person = resolve_person(definition_person=state.assignment.person, instance=instance)
    roles = list(state.assignment.roles)
    # Clock (issue 3 §4, workflow/clock.py): due times set when the task opens.
    now = timezone.now()
    clock.start_instance_clock(definition=definition, instance=instance, state_code=state_code, now=now)
    timing = clock.task_fields(
        definition=definition, state_code=state_code, start=now, what=f"instance {instance.pk} {state_code}"
    )
    return Task.objects.create(
        instance=instance,
        state=state_code,
        branch=branch,
        candidate_roles=roles,
        role_keys=f",{','.join(roles)}," if roles else "",
        candidate_department=resolve_department(
            definition_department=state.assignment.department, instance=instance
        ),
        assignee=person,
        named=person is not None,
        created_at=now,
        **timing,
    )


def enter(
    *, definition: ProcessDefinition, instance: ProcessInstance, state_code: str, branch: str, actor
) -> None:
    """Arrive at a state: open its task, open a fork's branches, count a join, or end."""
    state = definition.state(state_code)
    if state.kind == StateKind.TASK:
        open_task(definition=definition, instance=instance, state_code=state_code, branch=branch)
    elif state.kind == StateKind.FORK:
        for join in _joins_after(definition, state.branches):
            instance.join_arrivals[join] = []
        for first in state.branches:
            enter(definition=definition, instance=instance, state_code=first, branch=first, actor=actor)
    elif state.kind == StateKind.JOIN:
        _arrive(definition=definition, instance=instance, join=state, branch=branch, actor=actor)
    else:
        finish(instance=instance, status=InstanceStatus.COMPLETED, outcome=state.outcome, actor=actor)


def _joins_after(definition: ProcessDefinition, starts: tuple[str, ...]) -> set[str]:
    """The joins a fork's branches lead to (forward moves only, stopping at each join)."""
    seen, todo, joins = set(), list(starts), set()
    while todo:
        code = todo.pop()
        if code in seen:
            continue
        seen.add(code)
        if definition.state(code).kind == StateKind.JOIN:
            joins.add(code)
            continue
        todo.extend(
            a.target for a in definition.actions_from(code) if a.kind == ActionKind.FORWARD and a.target
        )
    return joins


def branch_region(definition: ProcessDefinition, branch: str) -> set[str]:
    """The states of one branch, from its first state up to (not including) the join."""
    seen, todo = set(), [branch]
    while todo:
        code = todo.pop()
        if code in seen or definition.state(code).kind != StateKind.TASK:
            continue
        seen.add(code)
        todo.extend(
            a.target for a in definition.actions_from(code) if a.target and a.kind != ActionKind.RETURN
        )
    return seen


def _arrive(*, definition, instance, join, branch: str, actor) -> None:
    arrived = list(instance.join_arrivals.get(join.code, []))
    if branch and branch not in arrived:
        arrived.append(branch)
    instance.join_arrivals[join.code] = arrived
    if join.join_mode == JoinMode.ALL and len(arrived) < len(join.joins):
        return  # 全部通过: wait for the other branches
    if join.join_mode == JoinMode.ANY:
        # 任一即可: the first branch continues; the others' work is no longer needed.
        cancel_open_tasks(instance=instance, actor=actor, exclude_branch=branch, only_branches=True)
    instance.join_arrivals[join.code] = []
    onward = next(a for a in definition.actions_from(join.code) if a.kind == ActionKind.FORWARD)
    record_event(
        instance=instance,
        actor=None,
        kind=EventKind.AUTO,
        action=onward.code,
        from_state=join.code,
        to_state=onward.target,
    )
    run_effect(action=onward, actor=actor, instance=instance, task=None)
    enter(definition=definition, instance=instance, state_code=onward.target, branch="", actor=actor)


def cancel_open_tasks(
    *, instance, actor, exclude_branch=None, only_branches=False, exclude_task=None
) -> None:
    tasks = Task.objects.filter(instance=instance, status__in=OPEN)
    if exclude_task is not None:
        tasks = tasks.exclude(pk=exclude_task.pk)
    if only_branches:
        tasks = tasks.exclude(branch="")
    if exclude_branch:
        tasks = tasks.exclude(branch=exclude_branch)
    for task in tasks:
        Task.objects.filter(pk=task.pk).update(status=TaskStatus.CANCELLED, version=task.version + 1)
        record_event(instance=instance, actor=actor, kind=EventKind.CANCEL, task=task, from_state=task.state)


def close_pauses(*, instance, at=None) -> None:
    ClockPause.objects.filter(instance=instance, ended_at=None).update(ended_at=at or timezone.now())


def finish(*, instance, status: str, outcome: str, actor) -> None:
    now = timezone.now()
    cancel_open_tasks(instance=instance, actor=actor)
    close_pauses(instance=instance, at=now)
    instance.status = status
    instance.outcome = outcome
    instance.ended_at = now
    # 电子监察 (issue 3 §5): the time used, paused spans left out; None without a calendar year.
    instance.working_days_used = clock.instance_used_working_days(instance)


def run_effect(*, action, actor, instance, task) -> None:
    """Effect hooks run in the move's transaction: a failing effect undoes the move."""
    if action.effect:
        hook = effect_get(action.effect)
        if hook is None:
            raise Conflict(f"流程配置有误：效果钩子“{action.effect}”未注册，请联系管理员")
        hook(actor=actor, instance=instance, task=task, action=action.code)


def save_instance(instance: ProcessInstance) -> None:
    """The caller holds the row lock, so the version only counts changes for readers."""
    instance.version += 1
    instance.save(
        update_fields=["status", "outcome", "ended_at", "join_arrivals", "version"]
        + [
            "due_at",
            "warn_at",
            "clock_status",
            "clock_started_at",
            "working_days_used",
        ]  # the clock (workflow/clock.py)
    )
