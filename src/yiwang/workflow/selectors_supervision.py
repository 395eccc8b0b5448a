"""电子监察 (issue 3 §5): the figures, the overdue list, 督办 and 过错问责 as 监察人员 and 领导 read them.

Scope: permission `workflow.supervision.view` (监察人员, 领导) over departments; an empty scope
is a 403 naming the permission. Department rows count TASKS by their department (the task's
candidate department, else its instance's department); process rows count INSTANCES (办件) by
process code, over instances whose department is in scope. A `department_id` filter takes that
department and the departments below it.

Definitions (docs/glossary.md):
- 在办 (open): tasks open or claimed in a running or suspended instance; instances running or
  suspended. Counted now, whatever the period. 预警 / 超期 are the open ones whose clock says so.
- 办结 (completed): tasks done, instances ended as 已办结 (`completed`; 终止 and 撤回 are not
  办结), whose `completed_at` / `ended_at` falls in the period (local dates, end inclusive).
- 按时办结 (on time): completed with no due time (无时限, or no calendar yet), or at or before it.
- 提前办结 (early): completed on a local calendar day before the due day (a task due at the
  end of 10-13 and done on 10-12 is early; done on 10-13 it is on time, not early).
- 按时办结率 / 提前办结率: on time / completed, early / completed (None when nothing completed).
- 平均办理用时: mean of `working_days_used` over the completed rows that have it.

The counting is done by the database: one grouped query per table, one for each total.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.db.models import Avg, Count, Exists, F, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce, TruncDate
from django.db.models.lookups import LessThan
from django.utils import timezone

from yiwang.core.accounts.models import User, UserKind
from yiwang.core.accounts.rbac import Scope, scope_for
from yiwang.core.errors import InvalidInput, NotFound, PermissionDenied
from yiwang.core.ids import as_id
from yiwang.core.orgs.models import Department
from yiwang.core.workcal.clock import shared_calendar
from yiwang.workflow import clock
from yiwang.workflow.models import ProcessDefinitionVersion
from yiwang.workflow.models_runtime import ClockStatus, InstanceStatus, ProcessInstance, Task, TaskStatus
from yiwang.workflow.models_supervision import Accountability, SupervisionNotice
from yiwang.workflow.permissions import role_posts
from yiwang.workflow.selectors_runtime import state_name_of

PERMISSION = "workflow.supervision.view"
DENIED = "查看电子监察需要权限：查看电子监察"
OPEN_TASK = (TaskStatus.OPEN, TaskStatus.CLAIMED)
LIVE = (InstanceStatus.RUNNING, InstanceStatus.SUSPENDED)
OVERDUE_CAP = 500
EARLIEST, LATEST = date(2000, 1, 1), date(2099, 12, 31)
TOTAL_NAME = "合计"


def _active(actor) -> bool:
    return actor is not None and getattr(actor, "is_authenticated", False) and actor.is_active


def supervision_scope(actor) -> Scope:
    if not _active(actor):
        return Scope(city_wide=False, department_paths=())
    return scope_for(actor, PERMISSION)


def _required_scope(actor) -> Scope:
    scope = supervision_scope(actor)
    if scope.empty:
        raise PermissionDenied(DENIED)
    return scope


def _paths_q(scope: Scope, field: str) -> Q:
    if scope.city_wide:
        return Q()
    condition = Q(pk__in=[])
    for path in scope.department_paths:
        condition |= Q(**{f"{field}__path__startswith": path})
    return condition


def _task_department_q(scope: Scope) -> Q:
    """A task's department is its candidate department, else its instance's department."""
    if scope.city_wide:
        return Q()
    return _paths_q(scope, "candidate_department") | (
        Q(candidate_department__isnull=True) & _paths_q(scope, "instance__department")
    )


def _filter_department(scope: Scope, department_id) -> Scope:
    """The scope narrowed to one department and those below it (NotFound outside the scope)."""
    if department_id is None:
        return scope
    department = Department.objects.filter(pk=department_id).first()
    if department is None or not scope.includes(department):
        raise NotFound("部门不存在或不在监察范围内")
    return Scope(city_wide=False, department_paths=(department.path,))


def _period(start: date | None, end: date | None) -> tuple[date, date]:
    today = timezone.localdate()
    start = start or today.replace(day=1)
    end = end or today
    for name, value in (("start", start), ("end", end)):
        if not EARLIEST <= value <= LATEST:
            raise InvalidInput("日期超出范围", fields={name: "日期须在2000年至2099年之间"})
    if end < start:
        raise InvalidInput("结束日期不能早于开始日期", fields={"end": "结束日期不能早于开始日期"})
    return start, end


def _bounds(start: date, end: date) -> tuple[datetime, datetime]:
    zone = timezone.get_default_timezone()
    return (
        datetime.combine(start, time.min, tzinfo=zone),
        datetime.combine(end + timedelta(days=1), time.min, tzinfo=zone),
    )


def _measures(*, done: Q, live: Q, finished_at: str) -> dict:
    """The aggregate of each row's columns; `finished_at` names completed_at or ended_at."""
    zone = timezone.get_default_timezone()
    on_time = done & (Q(due_at__isnull=True) | Q(**{f"{finished_at}__lte": F("due_at")}))
    early = (
        done
        & Q(due_at__isnull=False)
        & Q(LessThan(TruncDate(finished_at, tzinfo=zone), TruncDate("due_at", tzinfo=zone)))
    )
    return {
        "open": Count("id", filter=live),
        "warning": Count("id", filter=live & Q(clock_status=ClockStatus.WARNING)),
        "overdue": Count("id", filter=live & Q(clock_status=ClockStatus.OVERDUE)),
        "completed": Count("id", filter=done),
        "on_time": Count("id", filter=on_time),
        "early": Count("id", filter=early),
        "avg_working_days": Avg("working_days_used", filter=done & Q(working_days_used__isnull=False)),
    }


def _row(key, name: str, values: dict) -> dict:
    completed = values["completed"]
    average = values["avg_working_days"]
    return {
        "key": key,
        "name": name,
        **{k: values[k] for k in ("open", "warning", "overdue", "completed", "on_time", "early")},
        "on_time_rate": values["on_time"] / completed if completed else None,
        "early_rate": values["early"] / completed if completed else None,
        "avg_working_days": round(average, 2) if average is not None else None,
    }


def _process_names(codes) -> dict[str, str]:
    rows = ProcessDefinitionVersion.objects.filter(code__in=list(codes), is_current=True)
    return dict(rows.values_list("code", "name"))


def supervision_figures(
    *,
    actor,
    start: date | None = None,
    end: date | None = None,
    department_id: int | None = None,
    process: str = "",
) -> dict:
    """Counts and rates per department (tasks) and per process (instances); see the module doc."""
    scope = _filter_department(_required_scope(actor), department_id)
    start, end = _period(start, end)
    since, until = _bounds(start, end)

    done = Q(status=TaskStatus.DONE, completed_at__gte=since, completed_at__lt=until)
    live = Q(status__in=OPEN_TASK, instance__status__in=LIVE)
    tasks = Task.objects.filter(_task_department_q(scope)).filter(done | live)
    if process:
        tasks = tasks.filter(instance__definition_code=process)
    measures = _measures(done=done, live=live, finished_at="completed_at")
    grouped = list(
        tasks.annotate(
            unit=Coalesce("candidate_department_id", "instance__department_id", output_field=IntegerField())
        )
        .values("unit")
        .annotate(**measures)
        .order_by("unit")
    )
    names = dict(Department.objects.filter(pk__in=[g["unit"] for g in grouped]).values_list("pk", "name"))
    by_department = sorted(
        (_row(g["unit"], names.get(g["unit"], ""), g) for g in grouped), key=lambda r: (r["name"], r["key"])
    )
    totals = _row(None, TOTAL_NAME, tasks.aggregate(**measures))

    finished = Q(status=InstanceStatus.COMPLETED, ended_at__gte=since, ended_at__lt=until)
    running = Q(status__in=LIVE)
    instances = ProcessInstance.objects.filter(_paths_q(scope, "department")).filter(finished | running)
    if process:
        instances = instances.filter(definition_code=process)
    measures = _measures(done=finished, live=running, finished_at="ended_at")
    grouped = list(instances.values("definition_code").annotate(**measures).order_by("definition_code"))
    titles = _process_names(g["definition_code"] for g in grouped)
    by_process = [
        _row(g["definition_code"], titles.get(g["definition_code"], g["definition_code"]), g) for g in grouped
    ]
    return {
        "period": {"start": start, "end": end},
        "by_department": by_department,
        "by_process": by_process,
        "totals": totals,
        # 办件 as a whole (instances), beside the task totals above.
        "process_totals": _row(None, TOTAL_NAME, instances.aggregate(**measures)),
    }


@shared_calendar()
def overdue_list(*, actor, department_id: int | None = None, process: str = "") -> list[dict]:
    """超期 open tasks in scope, most overdue (earliest due) first, at most 500 rows
    (OVERDUE_CAP): a longer list is read by narrowing it to a department or a process."""
    scope = _filter_department(_required_scope(actor), department_id)
    notices = SupervisionNotice.objects.filter(instance_id=OuterRef("instance_id"))
    tasks = (
        Task.objects.filter(_task_department_q(scope))
        .filter(status__in=OPEN_TASK, instance__status__in=LIVE, clock_status=ClockStatus.OVERDUE)
        .select_related("instance__definition", "instance__department", "candidate_department", "assignee")
        .annotate(
            notice_count=Coalesce(
                Subquery(notices.values("instance_id").annotate(n=Count("id")).values("n")[:1]), 0
            ),
            pending_notice=Exists(notices.filter(acknowledged_at__isnull=True)),
        )
        .order_by(F("due_at").asc(nulls_last=True), "id")
    )
    if process:
        tasks = tasks.filter(instance__definition_code=process)
    tasks = list(tasks[:OVERDUE_CAP])
    titles = _process_names({t.instance.definition_code for t in tasks})
    now = timezone.now()
    used: dict[datetime, float | None] = {}  # tasks due the same day share one calendar reading
    rows = []
    for task in tasks:
        department = task.candidate_department or task.instance.department
        responsible = task.assignee.display_name if task.assignee else f"待签收（{department.name}）"
        if task.due_at is not None and task.due_at not in used:
            used[task.due_at] = clock.used_working_days(task.due_at, now)
        rows.append(
            {
                "task_id": task.pk,
                "instance_id": task.instance_id,
                "process": task.instance.definition_code,
                "process_name": titles.get(task.instance.definition_code, task.instance.definition.name),
                "state_name": state_name_of(task),
                "department_id": department.pk,
                "department": department.name,
                "responsible": responsible,
                "responsible_id": task.assignee_id,
                "due_at": task.due_at,
                "overdue_working_days": used.get(task.due_at) if task.due_at is not None else None,
                "notices": task.notice_count,
                "pending_notice": task.pending_notice,
            }
        )
    return rows


# --- 督办 and 过错问责 --------------------------------------------------------------------------
NOTICE_BOXES = ("received", "sent")


def _received_q(actor) -> Q:
    """Notices to a department under one of the actor's posts (permissions.has_post_over)."""
    condition = Q(pk__in=[])
    for _, path, city_wide in role_posts(actor):
        if city_wide:
            return Q()
        condition |= Q(department__path__startswith=path)
    return condition


def _sent_q(actor) -> Q:
    scope = supervision_scope(actor)
    if scope.city_wide:
        return Q()
    return Q(sender_id=actor.pk) | _paths_q(scope, "department")


def notices_for_actor(*, actor, box: str = "received", pending_only: bool = False) -> QuerySet:
    """received: 督办 to the actor's departments; sent: the actor's own, or every one in scope
    for 监察人员 and 领导. Newest first."""
    notices = SupervisionNotice.objects.select_related(
        "instance", "task", "department", "sender", "acknowledged_by"
    ).order_by("-created_at", "-id")
    if not _active(actor):
        return notices.none()
    notices = notices.filter(_sent_q(actor) if box == "sent" else _received_q(actor))
    if pending_only:
        notices = notices.filter(acknowledged_at__isnull=True)
    return notices


def notice_get_for_actor(*, actor, notice_id) -> SupervisionNotice:
    notice_id = as_id(notice_id)
    notice = None
    if _active(actor) and notice_id is not None:
        received, sent = _received_q(actor), _sent_q(actor)
        visible = received | sent if received and sent else Q()  # an empty Q() is "everything"
        notice = (
            SupervisionNotice.objects.select_related("instance", "task", "department", "sender")
            .filter(visible, pk=notice_id)
            .first()
        )
    if notice is None:
        raise NotFound("督办不存在或无权查看")
    return notice


def accountabilities_for_actor(*, actor, department_id: int | None = None) -> QuerySet:
    """过错问责 records over departments in the supervision scope, newest first."""
    scope = _filter_department(_required_scope(actor), department_id)
    records = Accountability.objects.select_related(
        "instance", "task", "department", "responsible", "recorded_by"
    )
    return records.filter(_paths_q(scope, "department")).order_by("-recorded_at", "-id")


# --- Lookups for the API: what a supervision request names ----------------------------------


def task_of_instance(*, instance: ProcessInstance, task_id) -> Task | None:
    if task_id is None:
        return None
    task = Task.objects.select_related("candidate_department", "assignee", "completed_by").filter(
        pk=as_id(task_id) or 0, instance=instance
    )
    found = task.first()
    if found is None:
        raise InvalidInput("待办不属于该流程", fields={"task": "待办不属于该流程"})
    return found


def official_get(*, user_id) -> User | None:
    if user_id is None:
        return None
    user = User.objects.filter(pk=as_id(user_id) or 0, kind=UserKind.OFFICIAL, is_active=True).first()
    if user is None:
        raise InvalidInput("责任人须为一名在职工作人员", fields={"responsible": "责任人须为一名在职工作人员"})
    return user
