"""Used time (电子监察, issue 3 §5): office hours on working days, set when a task is done and
when an instance ends, pauses left out once however they overlap."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from yiwang.workflow.models_runtime import InstanceStatus, ProcessInstance, Task, TaskStatus
from yiwang.workflow.tests import runtime_fixtures
from yiwang.workflow.tests.helpers import sample
from yiwang.workflow.tests.runtime_fixtures import start
from yiwang.workflow.tests.test_clock_overlap import act_at, pause, resume, store_two_supplements
from yiwang.workflow.tests.test_runtime_variants import store

pytestmark = pytest.mark.django_db
staff = runtime_fixtures.staff  # the fixture, used by name
SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture(autouse=True)
def _office_hours(settings):
    settings.OFFICE_HOURS = "09:00-12:00,13:30-17:30"  # seven hours a working day


def at(month: int, day: int, hour: int = 10, minute: int = 0, year: int = 2026) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=SHANGHAI)


def begin(staff, moment):
    with time_machine.travel(moment, tick=False):
        return start(staff)


def finish(staff, instance, moment):
    act_at(moment, staff.decider, instance, "decision", "approve", opinion="准予许可")
    return ProcessInstance.objects.get(pk=instance.pk)


def test_a_task_done_across_national_day_used_only_the_office_hours_of_working_days(staff):
    instance = begin(staff, at(9, 30))
    act_at(at(10, 8, 11), staff.market_approver, instance, "market_review", "market_agree", opinion="同意")
    task = Task.objects.get(instance=instance, state="market_review")
    # 09-30 10:00–12:00 and 13:30–17:30 (6 h), 10-01…07 holiday, 10-08 09:00–11:00 (2 h): 8 h of 7.
    assert task.working_days_used == 1.14
    assert Task.objects.get(instance=instance, state="fire_review").working_days_used is None  # open


def test_an_instance_ending_gets_its_used_time_and_a_cancelled_task_none(staff):
    data = sample()
    data["states"]["reviews_done"]["join"]["mode"] = "any"  # the first branch cancels the other
    store(data)
    instance = begin(staff, at(10, 12, 9))
    act_at(at(10, 12, 15, 30), staff.fire_approver, instance, "fire_review", "fire_agree", opinion="同意")
    instance = finish(staff, instance, at(10, 13, 17, 30))
    assert (instance.status, instance.working_days_used) == (InstanceStatus.COMPLETED, 2.0)  # 7 h + 7 h
    cancelled = Task.objects.get(instance=instance, state="market_review")
    assert cancelled.status == TaskStatus.CANCELLED and cancelled.working_days_used is None
    assert Task.objects.get(instance=instance, state="fire_review").working_days_used == 0.71  # 5 h


def test_an_instance_leaves_out_its_pauses_once_even_when_they_overlap(staff):
    store_two_supplements()
    instance = begin(staff, at(9, 29))
    pause(staff, instance, "market", at(9, 30))  # paused 09-30 10:00 … 10-12 10:00
    pause(staff, instance, "fire", at(10, 9))  # paused 10-09 10:00 … 10-13 10:00
    resume(staff, instance, "market", at(10, 12))
    resume(staff, instance, "fire", at(10, 13))
    act_at(at(10, 13, 11), staff.market_approver, instance, "market_review", "market_agree", opinion="同意")
    act_at(at(10, 13, 14), staff.fire_approver, instance, "fire_review", "fire_agree", opinion="同意")
    instance = finish(staff, instance, at(10, 14))
    # 09-29 10:00 … 10-14 10:00 is 49 office hours; the union of the pauses is 35 of them (the
    # pauses alone would be 28 + 21: subtracting both would leave nothing). 14 h = 2 days.
    assert instance.working_days_used == 2.0
    # The task that asked for 补正 used 09-29 10:00 … 09-30 10:00: one working day.
    asked = Task.objects.filter(instance=instance, state="market_review").order_by("pk").first()
    assert (asked.action, asked.working_days_used) == ("market_ask_supplement", 1.0)


def test_without_a_calendar_year_the_used_time_stays_empty_not_guessed(staff):
    instance = begin(staff, at(12, 30))
    act_at(
        at(1, 4, year=2027), staff.market_approver, instance, "market_review", "market_agree", opinion="同意"
    )
    assert Task.objects.get(instance=instance, state="market_review").working_days_used is None
