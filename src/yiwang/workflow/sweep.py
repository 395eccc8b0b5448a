"""The clock sweep (issue 3 §4): moves tasks and instances to 预警 / 超期, notifies, escalates.

Runs every five minutes in whichever worker wins the slot (core/periodic.py), and must be safe
if two run at once: each transition is a conditional UPDATE on rows this sweep has locked
(`skip_locked` where the database has it), filtered on `warned_at` / `overdue_at` still empty,
so a row moves, is notified and escalated exactly once. Running it again changes nothing.
Who is told, and how, is sweep_notices.py.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime

from django.db import connection, transaction
from django.utils import timezone

from yiwang.core.audit import services as audit
from yiwang.core.errors import DomainError
from yiwang.core.workcal.clock import shared_calendar
from yiwang.workflow import clock, sweep_notices
from yiwang.workflow.models_runtime import ClockStatus, InstanceStatus, ProcessInstance, Task, TaskStatus
from yiwang.workflow.selectors import definition_of

logger = logging.getLogger("yiwang.workflow.sweep")

OPEN = (TaskStatus.OPEN, TaskStatus.CLAIMED)
BATCH = 500  # rows per transaction (see _in_batches)
# A row may already show 预警 (opened or resumed late) yet not have been notified: `warned_at` decides.
WARNABLE = (ClockStatus.NORMAL, ClockStatus.WARNING)


@dataclass
class SweepReport:
    warned: list[int] = field(default_factory=list)  # task ids
    overdue: list[int] = field(default_factory=list)
    instances_warned: list[int] = field(default_factory=list)
    instances_overdue: list[int] = field(default_factory=list)
    recomputed: int = 0  # no_calendar rows whose due time could now be computed
    escalations: int = 0

    @property
    def changed(self) -> bool:
        return bool(
            self.warned or self.overdue or self.instances_warned or self.instances_overdue or self.recomputed
        )


def _locked(queryset):
    if connection.features.has_select_for_update_skip_locked:
        return queryset.select_for_update(skip_locked=True)
    return queryset  # SQLite: one writer at a time; the conditional UPDATE still decides


def _transition(model, base, *, status: str, stamp: str, now: datetime) -> list[int]:
    """Move up to BATCH rows of `base` not yet stamped to `status`; returns the ids this call moved."""
    pending = base.filter(**{f"{stamp}__isnull": True}).order_by("pk")
    ids = list(_locked(pending).values_list("pk", flat=True)[:BATCH])
    if not ids:
        return []
    moved = model.objects.filter(pk__in=ids, **{f"{stamp}__isnull": True})
    if status == ClockStatus.WARNING:
        moved = moved.exclude(clock_status=ClockStatus.OVERDUE)
        count = moved.update(clock_status=status, warned_at=now)
    else:
        count = moved.update(clock_status=status, overdue_at=now)
    if count != len(ids):  # another sweep moved some in between (SQLite): keep only ours
        ids = list(model.objects.filter(pk__in=ids, **{stamp: now}).values_list("pk", flat=True))
    return ids


def _in_batches(moved: list[int], model, base, *, status: str, stamp: str, now: datetime, tell) -> None:
    """Move `base` batch by batch, each batch in its own transaction with its notices, its
    escalations and one audit summary: a sweep over 100,000 rows never holds the write lock
    for long, a crash loses at most the batch in hand (the next sweep redoes it), and no IN
    list grows past SQLite's parameter limit."""
    while True:
        with transaction.atomic():
            ids = _transition(model, base, status=status, stamp=stamp, now=now)
            if not ids:
                return
            fired = tell(ids)
            audit.record(
                actor=None,
                action="workflow.clock.sweep",
                changes={"model": model._meta.model_name, "status": status, "ids": ids, "escalations": fired},
            )
        moved.extend(ids)


def _recompute(now: datetime) -> int:
    """Rows left without a due time for want of a calendar year: try again."""
    count = 0
    for task in Task.objects.filter(status__in=OPEN, clock_status=ClockStatus.NO_CALENDAR).select_related(
        "instance__definition"
    ):
        fields = clock.task_fields(
            definition=definition_of(version=task.instance.definition),
            state_code=task.state,
            start=task.created_at,
            what=f"task {task.pk}",
        )
        if fields["clock_status"] != ClockStatus.NO_CALENDAR:
            count += Task.objects.filter(pk=task.pk, clock_status=ClockStatus.NO_CALENDAR).update(**fields)
    for instance in ProcessInstance.objects.filter(
        status__in=(InstanceStatus.RUNNING, InstanceStatus.SUSPENDED), clock_status=ClockStatus.NO_CALENDAR
    ).select_related("definition"):
        fields = clock.initial(
            start=instance.clock_started_at or instance.started_at,
            limit=clock.instance_limit(definition_of(version=instance.definition), instance.params),
            warning=None,
            what=f"instance {instance.pk}",
        )
        if fields["clock_status"] != ClockStatus.NO_CALENDAR:
            count += ProcessInstance.objects.filter(
                pk=instance.pk, clock_status=ClockStatus.NO_CALENDAR
            ).update(**fields)
    return count


def _escalate(ids: list[int]) -> int:
    """The definition's escalation actions for each task that just became overdue (the
    escalations' `notify` roles are told by sweep_notices)."""
    fired = 0
    for task in Task.objects.filter(pk__in=ids).select_related("instance__definition").order_by("pk"):
        definition = definition_of(version=task.instance.definition)
        for escalation in definition.escalations:
            if escalation.state == task.state and escalation.action:
                fired += _fire(task, escalation.action)
    return fired


def _fire(task: Task, action_code: str) -> int:
    """Fire an ESCALATE action as the system; a refusal is logged, it does not undo the sweep."""
    from yiwang.workflow.services.runtime import task_act

    task.refresh_from_db()
    try:
        with transaction.atomic():
            task_act(actor=None, task=task, action_code=action_code, expected_version=task.version)
    except DomainError as error:
        logger.warning("clock escalation %s on task %s refused: %s", action_code, task.pk, error)
        return 0
    return 1


@shared_calendar()
def clock_sweep(now: datetime | None = None) -> SweepReport:
    """One pass of the clock. Overdue before warning, so a row past due is never warned first;
    told before escalation actions run, so a message names the task as it was when it fell due."""
    now = now or timezone.now()
    with transaction.atomic():
        report = SweepReport(recomputed=_recompute(now))
        if report.recomputed:
            audit.record(actor=None, action="workflow.clock.sweep", changes={"recomputed": report.recomputed})

    def overdue_tasks(ids: list[int]) -> int:
        fired = sweep_notices.tasks_moved(ids, overdue=True) + _escalate(ids)
        report.escalations += fired
        return fired

    tasks = Task.objects.filter(status__in=OPEN)
    # A suspended instance's clock stands still: only running instances move.
    instances = ProcessInstance.objects.filter(status=InstanceStatus.RUNNING)
    steps = [
        (report.overdue, Task, tasks.filter(due_at__lt=now), ClockStatus.OVERDUE, overdue_tasks),
        (
            report.warned,
            Task,
            tasks.filter(warn_at__lte=now, due_at__gte=now, clock_status__in=WARNABLE),
            ClockStatus.WARNING,
            lambda ids: sweep_notices.tasks_moved(ids, overdue=False),
        ),
        (
            report.instances_overdue,
            ProcessInstance,
            instances.filter(due_at__lt=now),
            ClockStatus.OVERDUE,
            lambda ids: sweep_notices.instances_moved(ids, overdue=True) or 0,
        ),
        (
            report.instances_warned,
            ProcessInstance,
            instances.filter(warn_at__lte=now, due_at__gte=now, clock_status__in=WARNABLE),
            ClockStatus.WARNING,
            lambda ids: sweep_notices.instances_moved(ids, overdue=False) or 0,
        ),
    ]
    for moved, model, base, status, tell in steps:
        stamp = "overdue_at" if status == ClockStatus.OVERDUE else "warned_at"
        _in_batches(moved, model, base, status=status, stamp=stamp, now=now, tell=tell)
    logger.info("clock sweep: %s", report)
    return report
