"""A constructed month of work for 电子监察 (issue 3 §5): its figures are known by hand.

Period 2026-11-01 .. 11-20 ("now" is 11-20 noon). The instances' own tasks are cancelled and
replaced by tasks whose timestamps and clocks are set directly, so each count is deliberate:

market (市政务服务管理局) tasks: t1 done 11-09 23:30, due 11-10 → on time and early (2.0 days);
t2 done 11-10 00:30, due 11-10 → on time, same day so not early (4.0); t3 done, no limit → on
time (no used time); t4 done 11-09, due 11-05 → late (6.0); t5 open, overdue; t6 claimed,
normal; t7 done 10-20 (outside the period). fire (市公安局): f1 open, warning; f2 open and
overdue but its instance is completed → not open. The subject department: s1 open, overdue,
no candidate department (counted under its instance's department), claimed by 决定人.

Instances (all of the subject department): i1 completed 11-05, due 11-20 → early (3.0);
i2 completed 11-12, due 11-10 → late (9.0); i3 terminated → not 办结; i4 running, overdue;
i5 running, warning; i6 completed 10-20 → outside the period.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from yiwang.core.tests import factories
from yiwang.workflow.models_runtime import ClockStatus, InstanceStatus, ProcessInstance, Task, TaskStatus
from yiwang.workflow.tests.runtime_fixtures import start

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(month: int, day: int, hour: int = 10, minute: int = 0) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=SHANGHAI)


def end_of(month: int, day: int) -> datetime:
    return datetime(2026, month, day, 23, 59, 59, tzinfo=SHANGHAI)


NOW = at(11, 20, 12)


@dataclass
class Month:
    instances: dict
    tasks: dict


def add_task(instance, department, *, state="market_review", **fields) -> Task:
    fields.setdefault("status", TaskStatus.OPEN)
    fields.setdefault("clock_status", ClockStatus.NORMAL)
    return Task.objects.create(
        instance=instance,
        state=state,
        branch=state,
        candidate_roles=["approver"],
        role_keys=",approver,",
        candidate_department=department,
        created_at=at(11, 2),
        **fields,
    )


def _instance(instance, **fields) -> ProcessInstance:
    ProcessInstance.objects.filter(pk=instance.pk).update(**fields)
    instance.refresh_from_db()
    return instance


def build_month(staff) -> Month:
    with time_machine.travel(at(11, 2), tick=False):
        raw = [start(staff) for _ in range(6)]
    Task.objects.update(status=TaskStatus.CANCELLED)
    done = {"status": InstanceStatus.COMPLETED}
    i = {
        1: _instance(raw[0], **done, ended_at=at(11, 5), due_at=end_of(11, 20), working_days_used=3.0),
        2: _instance(raw[1], **done, ended_at=at(11, 12), due_at=end_of(11, 10), working_days_used=9.0),
        3: _instance(raw[2], status=InstanceStatus.TERMINATED, ended_at=at(11, 6), due_at=end_of(11, 20)),
        4: _instance(raw[3], clock_status=ClockStatus.OVERDUE, due_at=end_of(11, 18)),
        5: _instance(raw[4], clock_status=ClockStatus.WARNING, due_at=end_of(11, 24)),
        6: _instance(raw[5], **done, ended_at=at(10, 20), due_at=end_of(11, 20), working_days_used=1.0),
    }
    market, fire = staff.market, staff.fire
    finished = {"status": TaskStatus.DONE, "completed_by": staff.market_approver}
    t = {
        "t1": add_task(i[1], market, **finished, completed_at=at(11, 9, 23, 30), due_at=end_of(11, 10), working_days_used=2.0),
        "t2": add_task(i[2], market, **finished, completed_at=at(11, 10, 0, 30), due_at=end_of(11, 10), working_days_used=4.0),
        "t3": add_task(i[3], market, **finished, completed_at=at(11, 6), clock_status=ClockStatus.NONE),
        "t4": add_task(i[2], market, **finished, completed_at=at(11, 9), due_at=end_of(11, 5), working_days_used=6.0),
        "t5": add_task(i[4], market, clock_status=ClockStatus.OVERDUE, due_at=end_of(11, 10)),
        "t6": add_task(i[5], market, status=TaskStatus.CLAIMED, assignee=staff.market_approver, due_at=end_of(11, 24)),
        "t7": add_task(i[6], market, **finished, completed_at=at(10, 20), due_at=end_of(10, 22), working_days_used=1.0),
        "f1": add_task(i[4], fire, state="fire_review", clock_status=ClockStatus.WARNING, due_at=end_of(11, 23)),
        "f2": add_task(i[1], fire, state="fire_review", clock_status=ClockStatus.OVERDUE, due_at=end_of(11, 3)),
        "s1": add_task(
            i[5], None, state="decision", status=TaskStatus.CLAIMED, assignee=staff.decider,
            clock_status=ClockStatus.OVERDUE, due_at=end_of(11, 16),
        ),
    }  # fmt: skip
    return Month(instances=i, tasks=t)


@pytest.fixture
def month(staff):
    return build_month(staff)


@pytest.fixture
def leader(staff):
    return factories.create_official(
        department=staff.subject_dept, role="leader", city_wide=True, display_name="市领导"
    )


@pytest.fixture
def market_supervisor(staff):
    return factories.create_official(department=staff.market, role="supervisor", display_name="市场监察员")


@pytest.fixture
def fire_supervisor(staff):
    return factories.create_official(department=staff.fire, role="supervisor", display_name="消防监察员")
