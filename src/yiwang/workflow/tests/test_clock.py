"""The clock (issue 3 §4): due times over the 2026 calendar, pauses, a missing year."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from yiwang.workflow import clock
from yiwang.workflow.definitions import TimeLimit, TimeUnit, Warning
from yiwang.workflow.models_runtime import ClockStatus, ProcessInstance
from yiwang.workflow.services.runtime import instance_start, task_act
from yiwang.workflow.tests import runtime_fixtures
from yiwang.workflow.tests.runtime_fixtures import CODE, open_task, start, uploaded

pytestmark = pytest.mark.django_db
staff = runtime_fixtures.staff  # the fixture, used by name
SHANGHAI = ZoneInfo("Asia/Shanghai")
FIVE_DAYS = TimeLimit(amount=5, unit=TimeUnit.WORKING_DAYS)


def at(month: int, day: int, hour: int = 10, year: int = 2026) -> datetime:
    return datetime(year, month, day, hour, tzinfo=SHANGHAI)


def end_of(month: int, day: int, year: int = 2026) -> datetime:
    return datetime(year, month, day, 23, 59, 59, tzinfo=SHANGHAI)


def act(actor, task, code, **inputs):
    task.refresh_from_db()
    return task_act(actor=actor, task=task, action_code=code, expected_version=task.version, **inputs)


def test_a_five_working_day_task_opened_before_national_day_is_due_after_the_holiday(staff):
    # 2026-09-30 (Wed); 10-01..07 holiday; 10-08 Thu, 10-09 Fri, 10-10 Sat (调休上班), 10-12, 10-13.
    with time_machine.travel(at(9, 30), tick=False):
        instance = start(staff)
    task = open_task(instance, "market_review")
    assert task.due_at == end_of(10, 13)
    assert task.warn_at == end_of(10, 12)  # 4 of 5 days used, or 1 left
    assert task.clock_status == ClockStatus.NORMAL
    instance.refresh_from_db()
    assert instance.clock_status == ClockStatus.NORMAL
    assert instance.due_at == end_of(11, 3)  # 20 working days


def test_status_is_normal_then_warning_at_80_percent_then_overdue_after_the_due_time():
    started = at(9, 30)
    due = clock.due_from(started, FIVE_DAYS)
    warning = Warning(share=0.8)
    assert clock.status_at(at(10, 12), started=started, due=due, limit=FIVE_DAYS, warning=warning) == "normal"
    assert (
        clock.status_at(at(10, 13), started=started, due=due, limit=FIVE_DAYS, warning=warning) == "warning"
    )
    assert (
        clock.status_at(at(10, 14), started=started, due=due, limit=FIVE_DAYS, warning=warning) == "overdue"
    )
    assert clock.status_at(at(10, 14), started=started, due=None, limit=None) == "none"


def test_warning_when_only_left_units_remain_even_below_the_share():
    limit = TimeLimit(amount=10, unit=TimeUnit.NATURAL_HOURS)
    started = at(11, 2, 8)
    due = clock.due_from(started, limit)
    lenient = Warning(share=0.99, left=3)
    assert clock.status_at(at(11, 2, 14), started=started, due=due, limit=limit, warning=lenient) == "normal"
    assert clock.status_at(at(11, 2, 15), started=started, due=due, limit=limit, warning=lenient) == "warning"


def test_suspending_before_national_day_moves_the_due_time_by_the_paused_working_days(staff):
    with time_machine.travel(at(9, 29), tick=False):  # Tue: due 10-12 (09-30, 10-08, 09, 10, 12)
        instance = start(staff)
    assert open_task(instance, "market_review").due_at == end_of(10, 12)
    assert ProcessInstance.objects.get(pk=instance.pk).due_at == end_of(11, 2)
    with time_machine.travel(at(9, 30), tick=False):
        act(
            staff.market_approver,
            open_task(instance, "market_review"),
            "market_ask_supplement",
            reason="缺章程",
        )
    # Resumed 10-12 10:00: the paused whole working days are 10-08, 10-09, 10-10 (调休): three.
    with time_machine.travel(at(10, 12), tick=False):
        waiting = open_task(instance, "market_supplement")
        act(staff.clerk, waiting, "market_supplemented", attachments=uploaded(staff.clerk, waiting))
    resumed = open_task(instance, "market_review")
    assert resumed.due_at == end_of(10, 15)  # 10-12 + 3 working days: 13, 14, 15
    assert resumed.clock_status == ClockStatus.NORMAL
    assert ProcessInstance.objects.get(pk=instance.pk).due_at == end_of(11, 5)  # 11-02 + 3 working days
    # The other branch was not paused: its due time stays.
    assert open_task(instance, "fire_review").due_at == end_of(10, 12)


def test_a_start_whose_limit_reaches_an_unloaded_year_has_no_due_time_not_a_wrong_one(staff):
    with time_machine.travel(at(12, 28), tick=False):
        instance = start(staff)  # the citizen's start is not refused
    task = open_task(instance, "market_review")
    assert task.due_at is None and task.clock_status == ClockStatus.NO_CALENDAR
    assert task.get_clock_status_display() == "缺少日历"
    instance.refresh_from_db()
    assert instance.due_at is None and instance.clock_status == ClockStatus.NO_CALENDAR


def test_an_instance_may_carry_its_own_whole_process_limit(staff):
    with time_machine.travel(at(9, 30), tick=False):
        instance = instance_start(
            actor=staff.clerk,
            definition_code=CODE,
            subject=staff.subject_dept,
            department=staff.subject_dept,
            params={
                "market_department": staff.market.pk,
                "fire_department": staff.fire.pk,
                "time_limit": "3 working_days",
            },
        )
    instance.refresh_from_db()
    assert instance.due_at == end_of(10, 10)  # 10-08, 10-09, 10-10 (调休上班)
