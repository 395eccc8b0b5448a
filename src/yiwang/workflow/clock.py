"""The clock of tasks and instances (issue 3 §4): due times over the working-day calendar.

A limit is counted by `core.workcal.clock` in its own unit (STANDARDS.md §2). Besides the due
time, the moment the warning (预警) begins is stored (`warn_at`), so the sweep moves rows with
plain conditional UPDATEs instead of recomputing each row in Python.

A year missing from the calendar is never guessed and never blocks the action that opened the
task: the due time stays empty with status `no_calendar` (visible to officials), it is logged,
and the sweep computes it once the year is loaded.

A pause (补正, 特别程序) stops the clock: when it closes, the due and warning times move later by
exactly the paused amount measured in the limit's unit (paused working days across 国庆 move
the due time by that many WORKING days). A task moves by its own pause. The instance stands
still while ANY of its branches is paused, so it moves by the union of the spans: two branches
paused over the same week move it by that week once. Each closing pause adds what the union of
the closed spans grew by, measured in the limit's unit, so the moves add up to the union.
"""

from __future__ import annotations

import logging
import math
from datetime import datetime

from django.utils import timezone

from yiwang.core.workcal import clock as workcal
from yiwang.core.workcal.errors import CalendarYearMissing
from yiwang.workflow.definitions import ProcessDefinition, TimeLimit, TimeUnit, Warning
from yiwang.workflow.models_runtime import ClockStatus

logger = logging.getLogger("yiwang.workflow.clock")

DEFAULT_WARNING = Warning()  # a limit without its own warning warns at 80 %
_DAY_UNITS = (TimeUnit.WORKING_DAYS, TimeUnit.NATURAL_DAYS)


def _add(start: datetime, amount: float, unit: str) -> datetime:
    if unit == TimeUnit.WORKING_DAYS:
        return workcal.add_working_days(start, math.ceil(amount))
    if unit == TimeUnit.NATURAL_DAYS:
        return workcal.add_natural_days(start, math.ceil(amount))
    if unit == TimeUnit.WORKING_HOURS:
        return workcal.add_working_hours(start, amount)
    return workcal.add_natural_hours(start, amount)


def between(a: datetime, b: datetime, unit: str) -> float:
    """The amount of `unit` elapsed from a to b (whole days for day units)."""
    if unit == TimeUnit.WORKING_DAYS:
        return workcal.working_days_between(a, b)
    if unit == TimeUnit.NATURAL_DAYS:
        return workcal.natural_days_between(a, b)
    if unit == TimeUnit.WORKING_HOURS:
        return workcal.working_hours_between(a, b)
    return workcal.natural_hours_between(a, b)


def due_from(start: datetime, limit: TimeLimit) -> datetime:
    """The due time of a limit started at `start`; raises CalendarYearMissing."""
    return _add(start, limit.amount, limit.unit)


def warn_from(start: datetime, limit: TimeLimit, warning: Warning | None) -> datetime:
    """When `share` of the limit is used or only `left` remains, whichever comes first."""
    warning = warning or DEFAULT_WARNING
    used = limit.amount * warning.share
    if warning.left is not None:
        used = min(used, max(0.0, limit.amount - warning.left))
    if limit.unit in _DAY_UNITS:
        used = math.ceil(used - 1e-9)  # "4 of 5 days used" is reached at the end of the 4th day
    return _add(start, used, limit.unit)


def status_at(
    now: datetime, *, started: datetime, due: datetime | None, limit: TimeLimit | None, warning=None
) -> str:
    """normal / warning / overdue at `now` for a limit started at `started` and due at `due`."""
    if limit is None:
        return ClockStatus.NONE
    if due is None:
        return ClockStatus.NO_CALENDAR
    if now > due:
        return ClockStatus.OVERDUE
    used = between(started, now, limit.unit) if now > started else 0
    left = limit.amount - used
    warning = warning or DEFAULT_WARNING
    if used >= limit.amount * warning.share or (warning.left is not None and left <= warning.left):
        return ClockStatus.WARNING
    return ClockStatus.NORMAL


def initial(*, start: datetime, limit: TimeLimit | None, warning: Warning | None, what: str) -> dict:
    """The clock fields of a task or instance opening at `start`."""
    if limit is None:
        return {"due_at": None, "warn_at": None, "clock_status": ClockStatus.NONE}
    try:
        due = due_from(start, limit)
        warn = warn_from(start, limit, warning)
    except CalendarYearMissing:
        logger.warning("clock of %s: calendar year missing, due time left empty until it is loaded", what)
        return {"due_at": None, "warn_at": None, "clock_status": ClockStatus.NO_CALENDAR}
    status = ClockStatus.NORMAL
    if start >= warn:
        status = ClockStatus.WARNING
    return {"due_at": due, "warn_at": warn, "clock_status": status}


def instance_limit(definition: ProcessDefinition, params: dict) -> TimeLimit | None:
    """The definition's whole-process limit, or the instance's own `params["time_limit"]`
    ({amount, unit} or "10 working_days"; a malformed one is logged and the definition's used)."""
    own = params.get("time_limit") if isinstance(params, dict) else None
    if isinstance(own, str):  # start parameters are flat: "10 working_days"
        amount, _, unit = own.strip().partition(" ")
        own = {"amount": amount, "unit": unit.strip()}
    if isinstance(own, dict):
        try:
            limit = TimeLimit(amount=float(own["amount"]), unit=TimeUnit(own["unit"]))
        except (KeyError, TypeError, ValueError):
            limit = None
        if limit is not None and 0 < limit.amount < 10_000:
            return limit
        logger.warning("instance time_limit %r ignored: not {amount, unit}", own)
    return definition.time_limit


def task_fields(*, definition: ProcessDefinition, state_code: str, start: datetime, what: str) -> dict:
    state = definition.state(state_code)
    return initial(start=start, limit=state.time_limit, warning=state.warning, what=what)


def start_instance_clock(*, definition: ProcessDefinition, instance, state_code: str = "", now=None) -> None:
    """Set the instance's clock fields once (caller saves): when its first task opens, or, with
    `clock_from`, when it first enters that state (行政许可法 §42: counted from 受理)."""
    if instance.clock_status:
        return
    if definition.clock_from and state_code != definition.clock_from:
        return
    start = (now or timezone.now()) if definition.clock_from else instance.started_at
    instance.clock_started_at = start
    fields = initial(
        start=start,
        limit=instance_limit(definition, instance.params),
        warning=None,
        what=f"instance {instance.pk}",
    )
    for name, value in fields.items():
        setattr(instance, name, value)


def shifted(moment: datetime | None, *, limit: TimeLimit | None, paused_from, paused_to) -> datetime | None:
    """`moment` moved later by the paused span, measured and added in the limit's unit."""
    if moment is None or limit is None:
        return moment
    amount = between(paused_from, paused_to, limit.unit)
    return _add(moment, amount, limit.unit) if amount else moment


Span = tuple[datetime, datetime]


def merged(spans) -> list[Span]:
    """Overlapping or touching spans joined: the union as disjoint spans, in order."""
    union: list[Span] = []
    for start, end in sorted(spans):
        if union and start <= union[-1][1]:
            union[-1] = (union[-1][0], max(union[-1][1], end))
        else:
            union.append((start, end))
    return union


def paused_amount(spans, unit: str) -> float:
    """The union of paused spans measured in `unit` (each disjoint span counted on its own)."""
    return sum(between(start, end, unit) for start, end in merged(spans))


def _instance_shift(instance, pause, ended_at: datetime, unit: str) -> float:
    """What the union of the instance's closed pauses grew by when `pause` closed."""
    from yiwang.workflow.models_runtime import ClockPause

    closed = list(
        ClockPause.objects.filter(instance=instance, ended_at__isnull=False)
        .exclude(pk=pause.pk)
        .values_list("started_at", "ended_at")
    )
    before = paused_amount(closed, unit)
    return max(0.0, paused_amount([*closed, (pause.started_at, ended_at)], unit) - before)


def pause_closed(*, definition: ProcessDefinition, instance, pause, ended_at: datetime) -> None:
    """The clock runs again: the resumed task keeps the due time of the task that was paused,
    moved by its pause; the instance moves by the part of the pause no other closed pause
    already covered (caller saves the instance; `pause` is already closed in the database)."""
    from yiwang.workflow.models_runtime import Task, TaskStatus

    span = {"paused_from": pause.started_at, "paused_to": ended_at}
    paused = pause.task
    state = definition.state(pause.from_state)
    if paused is not None and paused.due_at is not None and state.time_limit is not None:
        try:
            due = shifted(paused.due_at, limit=state.time_limit, **span)
            warn = shifted(paused.warn_at, limit=state.time_limit, **span)
            fields = {"due_at": due, "warn_at": warn}
            fields["clock_status"] = (
                ClockStatus.OVERDUE
                if ended_at > due
                else ClockStatus.WARNING
                if ended_at >= warn
                else ClockStatus.NORMAL
            )
        except CalendarYearMissing:
            logger.warning("clock of instance %s: calendar year missing when resuming", instance.pk)
            fields = {"due_at": None, "warn_at": None, "clock_status": ClockStatus.NO_CALENDAR}
        Task.objects.filter(
            instance=instance,
            branch=pause.branch,
            state=pause.from_state,
            status__in=(TaskStatus.OPEN, TaskStatus.CLAIMED),
        ).update(**fields)
    limit = instance_limit(definition, instance.params)
    if instance.due_at is not None and limit is not None:
        try:
            amount = _instance_shift(instance, pause, ended_at, limit.unit)
            if amount:
                instance.due_at = _add(instance.due_at, amount, limit.unit)
                instance.warn_at = _add(instance.warn_at, amount, limit.unit)
        except CalendarYearMissing:
            logger.warning("clock of instance %s: calendar year missing when resuming", instance.pk)
            instance.due_at = instance.warn_at = None
            instance.clock_status = ClockStatus.NO_CALENDAR


def _hours_per_day(periods) -> float:
    return sum(
        (datetime.combine(datetime.min, e) - datetime.combine(datetime.min, s)).total_seconds() / 3600
        for s, e in periods
    )


def used_working_days(start: datetime, end: datetime, *, paused=()) -> float | None:
    """Working days used from start to end, to two decimals: office hours on working days
    divided by the office hours of one working day (电子监察's 平均办理用时, the timeline's
    用时). `paused` spans (start, end) are left out, each hour once however the spans overlap.
    None when a year in between has no calendar — never a guess."""
    from yiwang.core.workcal.office_hours import configured_office_hours

    if end < start:
        return 0.0
    periods = configured_office_hours()
    hours_per_day = _hours_per_day(periods)
    clipped = [(max(a, start), min(b, end)) for a, b in paused]
    try:
        hours = workcal.working_hours_between(start, end, office_hours=periods)
        hours -= sum(
            workcal.working_hours_between(a, b, office_hours=periods) for a, b in merged(clipped) if a < b
        )
    except CalendarYearMissing:
        return None
    return round(max(0.0, hours) / hours_per_day, 2) if hours_per_day else None


def instance_used_working_days(instance) -> float | None:
    """An ended instance's used time: started to ended, its pauses left out (an open pause
    counts up to the end)."""
    from yiwang.workflow.models_runtime import ClockPause

    spans = [
        (started, ended or instance.ended_at)
        for started, ended in ClockPause.objects.filter(instance=instance).values_list(
            "started_at", "ended_at"
        )
    ]
    start = instance.clock_started_at or instance.started_at
    if instance.ended_at is None or start > instance.ended_at:
        return None
    return used_working_days(start, instance.ended_at, paused=spans)
