"""电子监察 demo data (`yiwang demo`): twelve 并联审批 cases lived through over the last five
weeks, so the supervision page shows true figures.

The cases — two completed early, two on their due day, one late and marked for 过错问责, two
open and 正常, two 预警, two 超期 (one pressed by 督办 and waiting for the answer, one answered),
one suspended for 补正 — all have the demo enterprise as subject: that is the marker, and a
second run adds nothing. 市市场监督管理局 leads and decides; 市应急管理局 (the demo city has no
fire department) reviews in parallel.

How the past is made: each move goes through the services (instance_start, task_claim,
task_act, notice_press, notice_acknowledge, accountability_record) with
`django.utils.timezone.now` patched to its moment; the moves of all cases run in one
chronological order, with the clock sweep at 00:05 after each working day, as the worker would
have run it, and once more at the real now. So start, completion, due and warning times (over
the real calendar), 预警/超期 stamps, used time and the timeline all come from the engine and
agree. Moments count working days back from today (`(3, "10:00")`; `(0, 25)`: 25 minutes ago),
so the current month's figures are true whenever the demo is loaded. What the platform logs
about itself keeps the real time: audit records (a chain's time never runs backwards, and the
log truthfully says the demo loader wrote these rows) and inbox messages (a field default the
patch does not reach).

Posts the demo city does not give (listed with the logins): 孙伟 (`approver`) also reviews for
市应急管理局; 刘芳 (`clerk`) also staffs the administrator's department, where `department:
initiator` sends 补正, since the administrator starts the cases (窗口人员 hold no
`workflow.instance.start`).
"""

from __future__ import annotations

import logging
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from types import SimpleNamespace
from unittest import mock

from django.utils import timezone

from yiwang.core.accounts.models import Post, Role, User
from yiwang.core.accounts.services.users import post_grant
from yiwang.core.audit import services as audit_services
from yiwang.core.demo import city
from yiwang.core.demo.loader import Login
from yiwang.core.orgs.models import Department
from yiwang.core.workcal.clock import is_working_day
from yiwang.core.workcal.errors import CalendarYearMissing
from yiwang.workflow.models_runtime import ProcessInstance, Task, TaskStatus
from yiwang.workflow.services.runtime import instance_start, task_act, task_claim
from yiwang.workflow.services.supervision import accountability_record, notice_acknowledge, notice_press
from yiwang.workflow.sweep import clock_sweep

logger = logging.getLogger("yiwang.workflow.demo")

CODE = "workflow.parallel_approval"
MARKET, FIRE = "市市场监督管理局", "市应急管理局"
SWEEP_AT = time(0, 5)


@dataclass(frozen=True)
class Move:
    when: tuple[int, str | int]  # (working days back, "HH:MM"), or (0, minutes ago)
    who: str  # a demo username
    do: str  # start, claim, act, press, acknowledge, accountability
    state: str = ""
    action: str = ""
    opinion: str = ""
    reason: str = ""


AGREE, PASS = "材料齐全，符合要求，同意。", "经审查符合规定条件，准予许可。"


def _act(day, hour, state: str, action: str, opinion="", reason="") -> Move:
    return Move((day, hour), "approver", "act", state, action, opinion, reason)


def _review(day, hour, branch: str, verdict="agree", opinion=AGREE) -> Move:
    return _act(day, hour, f"{branch}_review", f"{branch}_{verdict}", opinion)


def _decide(day, hour, action="approve", opinion=PASS, reason="") -> Move:
    return _act(day, hour, "decision", action, opinion, reason)


def _start(day, hour) -> Move:
    return Move((day, hour), "sysadmin", "start")


def _claim(day, hour, state: str) -> Move:
    return Move((day, hour), "approver", "claim", state)


def _supervise(day, hour, what: str, state: str, text: str, who="supervisor") -> Move:
    """`press` a task, `acknowledge` the case's notice, or mark the task for `accountability`."""
    return Move((day, hour), who, what, state, opinion=text, reason=text)


# name → (the instance's own 承诺时限, or "" for the process's 20 working days; its moves)
CASES: dict[str, tuple[str, list[Move]]] = {
    "提前办结一": (
        "",
        [_start(4, "09:30"), _review(3, "10:00", "market"), _review(2, "15:00", "fire"), _decide(0, 40)],
    ),
    "提前办结二": (
        "",
        [
            _start(3, "10:00"),
            _review(2, "09:40", "fire"),
            _review(1, "16:00", "market", verdict="disagree", opinion="经营场所与登记地址不符，不同意。"),
            _decide(0, 38, "reject", "市场监管审查未通过。", "经营场所与登记地址不符"),
        ],
    ),
    "按期办结一": (
        "8 working_days",
        [_start(8, "09:00"), _review(5, "10:30", "market"), _review(3, "17:00", "fire"), _decide(0, 36)],
    ),
    "按期办结二": (
        "7 working_days",
        [_start(7, "09:30"), _review(6, "11:00", "fire"), _review(3, "11:00", "market"), _decide(0, 34)],
    ),
    "超期办结": (
        "",
        [
            _start(25, "09:30"),
            _claim(24, "11:00", "fire_review"),
            _review(23, "10:00", "market"),
            _review(12, "15:00", "fire", opinion="消防设施已整改到位，同意。"),
            _decide(0, 32),
            _supervise(0, 30, "accountability", "fire_review", "消防审查超过办理时限8个工作日，未办理延期。"),
        ],
    ),
    "正常在办一": ("", [_start(2, "10:00"), _claim(1, "09:20", "market_review")]),
    "正常在办二": ("", [_start(0, 28)]),
    "预警一": (
        "5 working_days",
        [_start(5, "10:00"), _claim(4, "09:10", "market_review"), _review(3, "14:00", "fire")],
    ),
    "预警二": ("", [_start(5, "14:00"), _review(4, "10:00", "market"), _claim(3, "09:30", "fire_review")]),
    "超期督办待反馈": (
        "",
        [
            _start(8, "09:30"),
            _claim(7, "09:00", "market_review"),
            _review(6, "10:00", "fire"),
            _supervise(1, "10:00", "press", "market_review", "该件已超期，请于3日内办结并反馈。"),
        ],
    ),
    "超期督办已反馈": (
        "",
        [
            _start(22, "10:00"),
            _review(20, "10:00", "market"),
            _review(19, "15:00", "fire"),
            _claim(18, "09:30", "decision"),
            _supervise(6, "10:00", "press", "decision", "审批决定已超期，请说明原因。"),
            _supervise(
                5, "15:00", "acknowledge", "", "已督促承办人，待专家意见返回后即作决定。", "deptadmin"
            ),
        ],
    ),
    "补正中": (
        "",
        [
            _start(3, "10:00"),
            _review(2, "10:00", "fire"),
            _act(
                2, "11:00", "market_review", "market_ask_supplement", reason="营业执照复印件不清晰，请补正。"
            ),
        ],
    ),
}


@contextmanager
def _clock_at(moment: datetime):
    """The engine's clock at `moment`; the audit log keeps the real time (module doc)."""
    real = timezone.now
    with (
        mock.patch("django.utils.timezone.now", return_value=moment),
        mock.patch.object(audit_services, "timezone", SimpleNamespace(now=real)),
    ):
        yield


def _working_days_back(today: date, count: int) -> list[date]:
    """[today, the 1st working day before it, …, the count-th]."""
    days, day = [today], today
    while len(days) <= count:
        day -= timedelta(days=1)
        if is_working_day(day):
            days.append(day)
    return days


def _open(instance, state: str) -> Task:
    return Task.objects.get(instance=instance, state=state, status__in=(TaskStatus.OPEN, TaskStatus.CLAIMED))


class _Case:
    def __init__(self, *, limit: str, context: dict) -> None:
        self.limit, self.context = limit, context
        self.instance = self.notice = None

    def run(self, move: Move, moment: datetime) -> None:
        actor = self.context["people"][move.who]
        if move.do == "start":
            params = {
                "market_department": self.context["market"].pk,
                "fire_department": self.context["fire"].pk,
            }
            if self.limit:
                params["time_limit"] = self.limit
            self.instance = instance_start(
                actor=actor,
                definition_code=CODE,
                subject=self.context["subject"],
                department=self.context["market"],
                params=params,
            )
        elif move.do == "claim":
            task = _open(self.instance, move.state)
            task_claim(actor=actor, task=task, expected_version=task.version)
        elif move.do == "act":
            task = _open(self.instance, move.state)
            task_act(
                actor=actor,
                task=task,
                action_code=move.action,
                expected_version=task.version,
                opinion=move.opinion,
                reason=move.reason,
            )
        elif move.do == "press":
            self.notice = notice_press(
                actor=actor,
                instance=self.instance,
                message=move.opinion,
                respond_by=timezone.localdate(moment) + timedelta(days=5),
                task=_open(self.instance, move.state),
            )
        elif move.do == "acknowledge":
            self.notice.refresh_from_db()
            notice_acknowledge(
                actor=actor, notice=self.notice, reply=move.opinion, expected_version=self.notice.version
            )
        else:  # accountability: the late task, its handler answerable
            task = Task.objects.filter(instance=self.instance, state=move.state).latest("pk")
            accountability_record(
                actor=actor, instance=self.instance, kind="overdue", reason=move.reason, task=task
            )


def _extra_posts(actor) -> list[Login]:
    """The posts the cases need beyond the demo city's (module doc), listed with the logins."""
    starter = actor.posts.select_related("department").order_by("id").first().department
    wanted = [("approver", FIRE, "approver"), ("clerk", starter.name, "window_clerk")]
    logins = []
    for username, department_name, role_code in wanted:
        user, role = User.objects.get(username=username), Role.objects.get(code=role_code)
        department = Department.objects.get(name=department_name, division__code=city.CITY["code"])
        if not Post.objects.filter(user=user, department=department, role=role).exists():
            post_grant(actor=actor, user=user, department=department, role=role)
        logins.append(Login(username, role.name, department.name, "本部门及下级（示范流程）"))
    return logins


def _loaded(subject) -> bool:
    """The marker: the demo enterprise already has cases of the process."""
    cases = ProcessInstance.objects.filter(definition_code=CODE, subject_type="accounts.user")
    return cases.filter(subject_id=str(subject.pk)).exists()


def load(*, actor) -> list[Login]:
    logins = _extra_posts(actor)
    subject = User.objects.filter(username=city.ENTERPRISE["username"]).first()
    if subject is None or _loaded(subject):
        return logins
    now = timezone.now()
    try:
        days = _working_days_back(
            timezone.localdate(now), max(m.when[0] for _, ms in CASES.values() for m in ms)
        )
    except CalendarYearMissing as missing:
        logger.warning("电子监察示范数据未载入：工作日历缺少%s年", missing.year)
        return logins
    departments = Department.objects.filter(division__code=city.CITY["code"])
    usernames = {move.who for _, moves in CASES.values() for move in moves}
    context = {
        "subject": subject,
        "market": departments.get(name=MARKET),
        "fire": departments.get(name=FIRE),
        "people": {user.username: user for user in User.objects.filter(username__in=usernames)},
    }
    _run(_schedule(days=days, now=now, context=context))
    clock_sweep()
    return logins


def _schedule(*, days: list[date], now: datetime, context: dict) -> list[tuple]:
    """(moment, order, case, move) of every move and sweep, in the order to run them."""
    zone = timezone.get_default_timezone()

    def moment_of(when) -> datetime:
        back, at = when
        if isinstance(at, int):
            return now - timedelta(minutes=at)
        return datetime.combine(days[back], time.fromisoformat(at), tzinfo=zone)

    steps = []
    for order, (limit, moves) in enumerate(CASES.values()):
        case = _Case(limit=limit, context=context)
        steps += [(moment_of(move.when), order, index, case, move) for index, move in enumerate(moves)]
    # Limits here are in days, so cases turn 预警/超期 only as a working day ends: the worker's
    # first sweep after that is the one that matters.
    for day in days:
        if (sweep := datetime.combine(day + timedelta(days=1), SWEEP_AT, tzinfo=zone)) < now:
            steps.append((sweep, -1, 0, None, None))  # before any move of the same moment
    return sorted(steps, key=lambda step: step[:3])


def _run(steps) -> None:
    for moment, _, _, case, move in steps:
        with _clock_at(moment):
            if case is None:
                clock_sweep(now=moment)
            else:
                case.run(move, moment)
