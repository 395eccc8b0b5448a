"""The timeline of an instance (issue 3 §6): who did what, when, with which opinion and
attachments, and the time used against the time allowed — per step and for the whole process.

Reads only, scoped like every selector: an instance the actor may not see is NotFound. Queries
stay bounded whatever the number of steps: one each for tasks, events, attachments, pauses and
the names an event's detail points to. Only live clocks cost more: an open task's time used, and
a running instance's, are counted over the calendar now (two queries each); a finished task's is
the stored `working_days_used`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.urls import reverse
from django.utils import timezone

from yiwang.core.errors import NotFound
from yiwang.core.files.models import Attachment
from yiwang.core.files.permissions import can_file_view
from yiwang.core.workcal.clock import shared_calendar
from yiwang.workflow import clock
from yiwang.workflow.models_runtime import (
    ClockStatus,
    EventKind,
    ProcessInstance,
    TaskStatus,
)
from yiwang.workflow.owner_types import TASK_OWNER
from yiwang.workflow.permissions import can_instance_see, can_task_see, can_task_work
from yiwang.workflow.selectors import definition_of
from yiwang.workflow.selectors_runtime import _pk
from yiwang.workflow.timeline_text import OPINION_LABELS, details_of, limit_text, outcome_name

OPEN = (TaskStatus.OPEN, TaskStatus.CLAIMED)
CLOCK_NAMES = dict(ClockStatus.choices)
# The task's own moves are its step; everything else is a note beside the steps.
STEP_KINDS = (EventKind.ACT, EventKind.CLAIM)


@dataclass(frozen=True)
class FileLink:
    id: int
    name: str
    size: int
    url: str


@dataclass(frozen=True)
class Step:
    task_id: int
    state: str
    state_name: str
    branch: str
    branch_name: str
    department: str
    status: str
    status_name: str
    who: str
    opened_at: datetime
    claimed_at: datetime | None
    completed_at: datetime | None
    action: str
    action_name: str
    action_kind: str
    opinion: str
    reason: str
    attachments: list[FileLink]
    allowed: str  # the state's limit in words, "" for none
    used: float | None  # working days; None when unknown (calendar year missing)
    due_at: datetime | None
    clock_status: str
    clock_name: str
    visible: bool  # the actor may open the task page
    workable: bool  # the actor may act on it now


@dataclass(frozen=True)
class TimelineEvent:
    id: int
    kind: str
    kind_name: str
    actor: str
    at: datetime
    state_name: str
    to_state_name: str
    action_name: str
    opinion: str
    opinion_label: str
    reason: str
    details: list[tuple[str, str]] = field(default_factory=list)


@dataclass(frozen=True)
class Timeline:
    instance_id: int
    process_code: str
    process_name: str
    version: int
    subject_type: str
    subject_id: str
    department: str
    initiator: str
    status: str
    status_name: str
    outcome: str
    outcome_name: str
    started_at: datetime
    ended_at: datetime | None
    allowed: str
    used: float | None
    due_at: datetime | None
    clock_status: str
    clock_name: str
    steps: list[Step]
    events: list[TimelineEvent]


def _check_visible(actor, instance: ProcessInstance) -> None:
    """can_instance_see, remembered on the instance for this actor (page, tag and API ask twice)."""
    seen_by = getattr(instance, "_yiwang_seen_by", None)
    if seen_by is not None and seen_by == getattr(actor, "pk", None):
        return
    if not can_instance_see(actor, instance):
        raise NotFound("流程不存在或无权查看")
    instance._yiwang_seen_by = actor.pk


def instance_get_for_actor(*, actor, instance_id) -> ProcessInstance:
    instance = (
        ProcessInstance.objects.select_related("definition", "department", "initiator")
        .filter(pk=_pk(instance_id))
        .first()
    )
    if instance is None:
        raise NotFound("流程不存在或无权查看")
    _check_visible(actor, instance)
    return instance


def instances_for_subject(*, actor, subject) -> list[ProcessInstance]:
    """Every instance of a subject (any saved model row) the actor may see, oldest first."""
    from yiwang.workflow.services.start import subject_reference

    subject_type, subject_id = subject_reference(subject)
    instances = ProcessInstance.objects.select_related("definition", "department", "initiator").filter(
        subject_type=subject_type, subject_id=subject_id
    )
    visible = []
    for instance in instances.order_by("started_at", "id"):
        if can_instance_see(actor, instance):
            instance._yiwang_seen_by = actor.pk
            visible.append(instance)
    return visible


def _state(definition, code: str):
    try:
        return definition.state(code) if code else None
    except KeyError:  # a state of an older version, renamed since: show its code
        return None


def _name(definition, code: str) -> str:
    state = _state(definition, code)
    return state.name if state is not None else code


def _clock(stored: str, *, due: datetime | None, finished: datetime | None) -> str:
    """A finished clock is overdue if it finished after its due time, else as it was stored."""
    if finished is not None and due is not None and finished > due:
        return ClockStatus.OVERDUE
    return stored or ClockStatus.NONE


def _files(actor, events, *, task_ids: set[str]) -> dict[int, FileLink]:
    """The attachments the events name that the actor may download: one query, and one check
    per owner — `workflow.task` files are seen by whoever sees the task's instance
    (owner_types.py), so one answer holds for every task of this instance."""
    wanted = {pk for event in events for pk in _ids(event.attachments)}
    if not wanted:
        return {}
    allowed: dict[tuple[str, str], bool] = {}
    links = {}
    for row in Attachment.objects.select_related("file").filter(pk__in=wanted):
        owner = (row.owner_type, row.owner_id)
        key = (TASK_OWNER, "*") if row.owner_type == TASK_OWNER and row.owner_id in task_ids else owner
        if key not in allowed:
            allowed[key] = can_file_view(actor, owner_type=row.owner_type, owner_id=row.owner_id)
        if allowed[key]:
            links[row.pk] = FileLink(
                id=row.pk, name=row.name, size=row.file.size, url=reverse("files:download", args=[row.pk])
            )
    return links


def _ids(values) -> list[int]:
    return [v for v in values if isinstance(v, int) and not isinstance(v, bool) and 0 < v < 2**63]


def _instance_used(instance: ProcessInstance, now: datetime) -> float | None:
    """Working days from start to end (or now), the spans the clock stood still left out; an
    ended instance stored it when it ended."""
    if instance.ended_at is not None and instance.working_days_used is not None:
        return instance.working_days_used
    end = instance.ended_at or now
    paused = [(a, b or end) for a, b in instance.pauses.values_list("started_at", "ended_at")]
    return clock.used_working_days(instance.clock_started_at or instance.started_at, end, paused=paused)


def _step(actor, task, *, definition, act, files, now) -> Step:
    state = _state(definition, task.state)
    limit = state.time_limit if state is not None else None
    action = next((a for a in definition.actions if a.code == task.action), None)
    if task.status == TaskStatus.DONE:
        who = task.completed_by.display_name if task.completed_by else "系统"
    else:
        who = task.assignee.display_name if task.assignee else ""
        who = who or ("待签收" if task.status == TaskStatus.OPEN else "")
    used = task.working_days_used  # stored when done (None: no calendar year then)
    if task.status in OPEN:
        used = clock.used_working_days(task.created_at, now)
    status = _clock(task.clock_status, due=task.due_at, finished=task.completed_at)
    return Step(
        task_id=task.pk,
        state=task.state,
        state_name=state.name if state is not None else task.state,
        branch=task.branch,
        branch_name=_name(definition, task.branch),
        department=task.candidate_department.name if task.candidate_department else "",
        status=task.status,
        status_name=task.get_status_display(),
        who=who,
        opened_at=task.created_at,
        claimed_at=task.claimed_at,
        completed_at=task.completed_at,
        action=task.action,
        action_name=action.name if action else task.action,
        action_kind=str(action.kind) if action else "",
        opinion=task.opinion,
        reason=act.reason if act else "",
        attachments=[files[pk] for pk in _ids(act.attachments if act else ()) if pk in files],
        allowed=limit_text(limit),
        used=used,
        due_at=task.due_at,
        clock_status=status,
        clock_name=CLOCK_NAMES.get(status, ""),
        visible=can_task_see(actor, task),
        workable=task.status in OPEN and can_task_work(actor, task),
    )


def _note(event, *, definition, details) -> TimelineEvent:
    action = next((a for a in definition.actions if a.code == event.action), None)
    return TimelineEvent(
        id=event.pk,
        kind=event.kind,
        kind_name=event.get_kind_display(),
        actor=event.actor.display_name if event.actor else "系统",
        at=event.at,
        state_name=_name(definition, event.from_state),
        to_state_name=_name(definition, event.to_state),
        action_name=action.name if action else event.action,
        opinion=event.opinion,
        opinion_label=OPINION_LABELS.get(event.kind, "意见"),
        reason=event.reason,
        details=details,
    )


@shared_calendar()
def instance_timeline(*, actor, instance: ProcessInstance) -> Timeline:
    _check_visible(actor, instance)
    definition = definition_of(version=instance.definition)
    now = timezone.now()
    tasks = list(
        instance.tasks.select_related("candidate_department", "assignee", "completed_by").order_by(
            "created_at", "id"
        )
    )
    events = list(instance.events.select_related("actor").order_by("id"))
    acts = {event.task_id: event for event in events if event.kind == EventKind.ACT and event.task_id}
    files = _files(actor, acts.values(), task_ids={str(task.pk) for task in tasks})
    notes = [event for event in events if event.kind not in STEP_KINDS]
    details = details_of(notes)
    limit = clock.instance_limit(definition, instance.params)
    status = _clock(instance.clock_status, due=instance.due_at, finished=instance.ended_at)
    return Timeline(
        instance_id=instance.pk,
        process_code=instance.definition_code,
        process_name=definition.name,
        version=instance.definition.version,
        subject_type=instance.subject_type,
        subject_id=instance.subject_id,
        department=instance.department.name,
        initiator=instance.initiator.display_name if instance.initiator else "系统",
        status=instance.status,
        status_name=instance.get_status_display(),
        outcome=instance.outcome,
        outcome_name=outcome_name(definition, instance),
        started_at=instance.started_at,
        ended_at=instance.ended_at,
        allowed=limit_text(limit),
        used=_instance_used(instance, now),
        due_at=instance.due_at,
        clock_status=status,
        clock_name=CLOCK_NAMES.get(status, ""),
        steps=[
            _step(actor, task, definition=definition, act=acts.get(task.pk), files=files, now=now)
            for task in tasks
        ],
        events=[_note(event, definition=definition, details=details[event.pk]) for event in notes],
    )
