"""What the clock sweep tells whom when a task or an instance turns 预警 or 超期 (issue 3 §4).

Called by `sweep.clock_sweep` with the ids its conditional UPDATE just moved, so each
transition is told exactly once, however many sweeps run at once.

- a task: its assignee, or while unclaimed its candidates (who would otherwise learn of it
  only from the inbox); when 超期 also the 监察人员 over its department and the holders of its
  escalations' `notify` roles — one 督办 message each, however many of those lists name them;
- an instance: the assignees or candidates of its open tasks (one message each, linking to
  their own task); when 超期 also the 监察人员 over the instance's department.

Every message links to a task page. Reads are batched: one query for the tasks, one for the
instances' open tasks, and the recipient lists (workflow/notices.py) once per distinct
(roles, department) — not per task; the messages are written in bulk (`notify_many`).
"""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from yiwang.core.notify.services import Notice, notify_many
from yiwang.workflow import notices
from yiwang.workflow.models_runtime import ProcessInstance, Task, TaskStatus
from yiwang.workflow.selectors import definition_of

OPEN = (TaskStatus.OPEN, TaskStatus.CLAIMED)


class _Recipients:
    """The recipient lists of one sweep, each read once per (kind, roles, department)."""

    def __init__(self) -> None:
        self._lists: dict[tuple, list] = {}

    def _cached(self, key: tuple, read) -> list:
        if key not in self._lists:
            self._lists[key] = read()
        return self._lists[key]

    def workers(self, task: Task) -> list:
        """The assignee, or the candidates of an unclaimed task."""
        if task.assignee_id is not None:
            return [task.assignee]
        key = ("candidates", tuple(task.candidate_roles), task.candidate_department_id)
        return self._cached(key, lambda: notices.candidates_of(task))

    def supervisors(self, department) -> list:
        return self._cached(("supervisors", department.pk), lambda: notices.supervisors_of(department))

    def role_holders(self, roles, department) -> list:
        key = ("roles", tuple(roles), department.pk)
        return self._cached(key, lambda: notices.role_holders(roles, department))


def _link(task: Task) -> str:
    return reverse("workflow:task", args=[task.pk])


def _when(moment) -> str:
    return f"{timezone.localtime(moment):%Y-%m-%d %H:%M}" if moment else "—"


def _unique(users):
    seen: set[int] = set()
    for user in users:
        if user.pk not in seen:
            seen.add(user.pk)
            yield user


def _names(instance: ProcessInstance, task: Task | None = None) -> str:
    definition = definition_of(version=instance.definition)
    name = f"{definition.name} #{instance.pk}"
    if task is None:
        return name
    try:
        return f"{name} · {definition.state(task.state).name}"
    except KeyError:
        return f"{name} · {task.state}"


def tasks_moved(ids: list[int], *, overdue: bool) -> int:
    """Tell about tasks just moved to 预警 / 超期; returns the escalations' `notify` entries fired."""
    if not ids:
        return 0
    recipients, fired, outbox = _Recipients(), 0, []
    word = "已超期" if overdue else "即将到期"
    tasks = Task.objects.filter(pk__in=ids).select_related(
        "assignee", "candidate_department", "instance__definition", "instance__department"
    )
    for task in tasks.order_by("pk"):
        what, link = _names(task.instance, task), _link(task)
        body = f"办理时限：{_when(task.due_at)}"
        for user in _unique(recipients.workers(task)):
            outbox.append(Notice(user, f"待办{word}：{what}", body, link, "workflow"))
        if not overdue:
            continue
        department = task.candidate_department or task.instance.department
        pressing = list(recipients.supervisors(department))
        for escalation in definition_of(version=task.instance.definition).escalations:
            if escalation.state == task.state and escalation.notify:
                pressing += recipients.role_holders(escalation.notify, department)
                fired += 1
        handler = task.assignee.display_name if task.assignee_id else "尚未签收"
        for user in _unique(pressing):
            body = f"{department.name}，办理人：{handler}；办理时限：{_when(task.due_at)}"
            outbox.append(Notice(user, f"督办：待办已超期 {what}", body, link, "workflow"))
    notify_many(outbox)
    return fired


def instances_moved(ids: list[int], *, overdue: bool) -> None:
    """Tell about instances just moved to 预警 / 超期: the people at their open tasks, and (超期)
    the 监察人员 over their departments."""
    if not ids:
        return
    recipients, outbox = _Recipients(), []
    word = "已超期" if overdue else "即将到期"
    open_tasks: dict[int, list[Task]] = {}
    for task in (
        Task.objects.filter(instance_id__in=ids, status__in=OPEN)
        .select_related("assignee", "candidate_department")
        .order_by("pk")
    ):
        open_tasks.setdefault(task.instance_id, []).append(task)
    instances = ProcessInstance.objects.filter(pk__in=ids).select_related("definition", "department")
    for instance in instances.order_by("pk"):
        tasks = open_tasks.get(instance.pk, [])
        if not tasks:
            continue  # nobody is working on it, and there is no page to point to
        what, body = _names(instance), f"办结时限：{_when(instance.due_at)}"
        told: set[int] = set()
        for task in tasks:
            for user in recipients.workers(task):
                if user.pk not in told:
                    told.add(user.pk)
                    outbox.append(Notice(user, f"流程{word}：{what}", body, _link(task), "workflow"))
        if overdue:
            for user in recipients.supervisors(instance.department):
                title, text = f"督办：流程已超期 {what}", f"{instance.department.name}；{body}"
                outbox.append(Notice(user, title, text, _link(tasks[0]), "workflow"))
    notify_many(outbox)
