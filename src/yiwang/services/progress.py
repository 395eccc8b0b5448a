"""办理进度 for the applicant (issue 5 §3: the status page with the timeline and the deadline).

The workflow's own timeline (workflow.timeline) is the officials' record: who worked each step
and what they wrote. The applicant is told what the public is entitled to (政务公开; 行政许可法
§32, §38): which step the application is at, when each started and ended, the department, the
承诺办结期限 and the working days used, every item of a 一次性告知, and the reasons and legal
basis of a 不予受理 or 不予许可 — never the officials' names or their internal opinions.

Reads only; bounded queries: the instance's tasks, its pauses, and the latest notice.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.utils import timezone

from yiwang.services.models import ApplicationStatus

OPEN_TASKS = ("open", "claimed")


@dataclass(frozen=True)
class ProgressStep:
    name: str  # the state's name in the process (预审, 受理, 申请人补正, 审查 …)
    department: str
    started_at: datetime
    ended_at: datetime | None
    done: bool
    status_name: str  # 办理中 / 已完成
    action_name: str  # what ended it (预审通过, 一次性告知补正, 受理 …); "" while open


@dataclass(frozen=True)
class CorrectionItem:
    code: str
    name: str
    problem: str


@dataclass
class Progress:
    status: str
    status_name: str
    submitted_at: datetime | None
    accepted_at: datetime | None
    decided_at: datetime | None
    due_at: datetime | None  # 承诺办结期限 (counted from 受理; paused while 待补正)
    promised: str  # "10个工作日"
    used_working_days: float | None
    clock_paused: bool
    steps: list[ProgressStep] = field(default_factory=list)
    correction_note: str = ""
    correction_issued_at: datetime | None = None
    corrections: list[CorrectionItem] = field(default_factory=list)
    not_accepted_reason: str = ""
    decision_reason: str = ""
    decision_basis: str = ""


def _promised(version) -> str:
    if not version.promised_limit:
        return "即时办结"
    return f"{version.promised_limit}个{version.get_promised_limit_unit_display()}"


def _used(instance, now) -> float | None:
    """Working days counted from 受理 (the clock's start) to the end or now, 补正 left out."""
    from yiwang.workflow import clock

    start = instance.clock_started_at
    if start is None:
        return None
    if instance.ended_at is not None and instance.working_days_used is not None:
        return instance.working_days_used
    end = instance.ended_at or now
    paused = [(a, b or end) for a, b in instance.pauses.values_list("started_at", "ended_at")]
    return clock.used_working_days(start, end, paused=paused)


def _steps(instance) -> list[ProgressStep]:
    from yiwang.workflow.selectors import definition_of

    definition = definition_of(version=instance.definition)
    names = {state.code: state.name for state in definition.states}
    actions = {action.code: action.name for action in definition.actions}
    steps = []
    tasks = instance.tasks.select_related("candidate_department").exclude(status="cancelled")
    for task in tasks.order_by("created_at", "id"):
        done = task.status not in OPEN_TASKS
        steps.append(
            ProgressStep(
                name=names.get(task.state, task.state),
                department=task.candidate_department.name if task.candidate_department else "申请人",
                started_at=task.created_at,
                ended_at=task.completed_at,
                done=done,
                status_name="已完成" if done else "办理中",
                action_name=actions.get(task.action, "") if done else "",
            )
        )
    return steps


def application_progress(*, application) -> Progress:
    """The public progress of an application the caller has already been allowed to see."""
    version = application.item_version
    instance = application.instance
    now = timezone.now()
    progress = Progress(
        status=application.status,
        status_name=application.get_status_display(),
        submitted_at=application.submitted_at,
        accepted_at=application.accepted_at,
        decided_at=application.decided_at,
        due_at=application.due_at or (instance.due_at if instance is not None else None),
        promised=_promised(version),
        used_working_days=application.working_days_used,
        clock_paused=application.status == ApplicationStatus.SUPPLEMENT,
        not_accepted_reason=application.not_accepted_reason,
        decision_reason=application.decision_reason if application.outcome == "rejected" else "",
        decision_basis=application.decision_basis,
    )
    if instance is not None:
        progress.steps = _steps(instance)
        if progress.used_working_days is None:
            progress.used_working_days = _used(instance, now)
    notice = application.corrections.order_by("-issued_at", "-id").first()
    if notice is not None:
        progress.correction_note = notice.note
        progress.correction_issued_at = notice.issued_at
        progress.corrections = [
            CorrectionItem(
                code=str(i.get("code", "")), name=str(i.get("name", "")), problem=str(i.get("problem", ""))
            )
            for i in (notice.items if isinstance(notice.items, list) else [])
            if isinstance(i, dict)
        ]
    return progress
