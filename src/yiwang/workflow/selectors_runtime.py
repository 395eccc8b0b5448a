"""Reads of running processes, scoped to what the actor may see (out of scope → NotFound)."""

from __future__ import annotations

from django.db.models import F, Q, QuerySet

from yiwang.core.errors import NotFound
from yiwang.workflow.models_runtime import InstanceEvent, ProcessInstance, Task, TaskStatus
from yiwang.workflow.permissions import can_task_see, has_post_over, role_posts

OPEN = (TaskStatus.OPEN, TaskStatus.CLAIMED)


def _departments_under(actor, path: str) -> list[int]:
    """Ids of the active departments at or below `path`, read once per actor object: the inbox
    filters tasks by these ids, which the (status, candidate_department) index serves, instead
    of joining every task to its department to compare paths (a full scan at 100,000 tasks)."""
    cache = actor.__dict__.setdefault("_yiwang_departments_under", {})
    if path not in cache:
        from yiwang.core.orgs.models import Department

        cache[path] = list(Department.objects.filter(path__startswith=path).values_list("id", flat=True))
    return cache[path]


def _candidate_condition(actor) -> Q:
    """Unclaimed tasks whose candidate role the actor holds over the candidate department."""
    condition = Q(pk__in=[])
    for role, path, city_wide in role_posts(actor):
        by_role = Q(role_keys__contains=f",{role},")
        if city_wide:
            condition |= by_role
        else:
            condition |= by_role & (
                Q(candidate_department__isnull=True)
                | Q(candidate_department_id__in=_departments_under(actor, path))
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


# --- Inbox (待办, issue 3 §3) ----------------------------------------------------------------
BOXES = ("mine", "department", "done")
CLOCK_FILTERS = ("normal", "warning", "overdue")


def _box_condition(actor, box: str) -> Q:
    if box == "mine":
        return Q(status__in=OPEN, assignee_id=actor.pk)
    if box == "department":
        return _candidate_condition(actor) & Q(status=TaskStatus.OPEN, assignee__isnull=True)
    return Q(status=TaskStatus.DONE, completed_by_id=actor.pk)


def task_inbox(*, actor, box: str = "mine", process: str = "", status: str = "", due_before=None):
    """One box of the inbox, soonest due first (no limit last), then oldest."""
    tasks = Task.objects.select_related("instance__definition", "candidate_department")
    if actor is None or not getattr(actor, "is_authenticated", False) or not actor.is_active:
        return tasks.none()
    tasks = tasks.filter(_box_condition(actor, box if box in BOXES else "mine"))
    if process:
        tasks = tasks.filter(instance__definition_code=process)
    if status in CLOCK_FILTERS:
        tasks = tasks.filter(clock_status=status)
    if due_before is not None:
        tasks = tasks.filter(due_at__lt=due_before)
    return tasks.order_by(F("due_at").asc(nulls_last=True), "created_at", "id")


def task_counts(*, actor) -> dict[str, int]:
    """Counts of the three task boxes and the unread 抄阅 ("copied"): one indexed count each —
    a single aggregate with FILTER clauses would read every task row of the city."""
    from yiwang.workflow.selectors_copies import copy_unread_count  # it reads `_pk` from here

    if actor is None or not getattr(actor, "is_authenticated", False) or not actor.is_active:
        return dict.fromkeys((*BOXES, "copied"), 0)
    counts = {box: Task.objects.filter(_box_condition(actor, box)).count() for box in BOXES}
    return {**counts, "copied": copy_unread_count(actor=actor)}


def task_detail_for_actor(*, actor, task_id) -> dict:
    """A task with its state's name, the actions this actor may take now, and the history."""
    from yiwang.workflow.definitions import ActionKind
    from yiwang.workflow.permissions import can_task_work, holds_role_over
    from yiwang.workflow.selectors import definition_of

    task = task_get_for_actor(actor=actor, task_id=task_id)
    definition = definition_of(version=task.instance.definition)
    state_name = state_name_of(task)
    actions = []
    if task.status in OPEN and can_task_work(actor, task):
        actions = [
            a
            for a in definition.actions_from(task.state)
            if a.kind not in (ActionKind.ESCALATE, ActionKind.WITHDRAW)
            and (not a.roles or holds_role_over(actor, a.roles, task.candidate_department))
        ]
    return {
        "task": task,
        "process_name": definition.name,
        "state_name": state_name,
        "actions": actions,
        "events": list(instance_events_for_actor(actor=actor, instance=task.instance)),
    }


def state_name_of(task: Task) -> str:
    """The state's name in the version the instance runs (parsed once per version, cached)."""
    from yiwang.workflow.selectors import definition_of

    try:
        return definition_of(version=task.instance.definition).state(task.state).name
    except KeyError:
        return task.state
