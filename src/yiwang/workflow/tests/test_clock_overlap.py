"""Two branches paused at overlapping times (issue 3 §4): the instance stands still once, not twice.

Each task moves by its own pause; the instance moves by the union of the pauses, whichever
order they close in.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from yiwang.workflow import clock
from yiwang.workflow.definitions import TimeUnit
from yiwang.workflow.loader import parse_definition
from yiwang.workflow.models_runtime import InstanceStatus, ProcessInstance
from yiwang.workflow.services.definitions import definition_store
from yiwang.workflow.services.runtime import task_act
from yiwang.workflow.tests import runtime_fixtures
from yiwang.workflow.tests.helpers import dump, sample
from yiwang.workflow.tests.runtime_fixtures import open_task, start, uploaded

pytestmark = pytest.mark.django_db
staff = runtime_fixtures.staff  # the fixture, used by name
SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(month: int, day: int, hour: int = 10) -> datetime:
    return datetime(2026, month, day, hour, tzinfo=SHANGHAI)


def end_of(month: int, day: int) -> datetime:
    return datetime(2026, month, day, 23, 59, 59, tzinfo=SHANGHAI)


def store_two_supplements():
    """The sample, with 补正 in the fire branch too."""
    data = sample()
    data["states"]["fire_supplement"] = {
        "name": "补正中（消防）",
        "roles": ["window_clerk"],
        "department": "initiator",
    }
    data["actions"]["fire_ask_supplement"] = {
        "name": "补正",
        "kind": "suspend",
        "from": "fire_review",
        "to": "fire_supplement",
        "requires": ["reason"],
    }
    data["actions"]["fire_supplemented"] = {
        "name": "补正完成",
        "kind": "resume",
        "from": "fire_supplement",
        "requires": ["attachments"],
    }
    text = dump(data)
    definition_store(parsed=parse_definition(text, source="tests/two_supplements.yaml"), text=text)


def act_at(moment, actor, instance, state, code, **inputs):
    with time_machine.travel(moment, tick=False):
        task = open_task(instance, state)
        return task_act(actor=actor, task=task, action_code=code, expected_version=task.version, **inputs)


def pause(staff, instance, branch: str, moment):
    approver = staff.market_approver if branch == "market" else staff.fire_approver
    act_at(moment, approver, instance, f"{branch}_review", f"{branch}_ask_supplement", reason="缺材料")


def resume(staff, instance, branch: str, moment):
    with time_machine.travel(moment, tick=False):
        files = uploaded(staff.clerk, open_task(instance, f"{branch}_supplement"))
    act_at(moment, staff.clerk, instance, f"{branch}_supplement", f"{branch}_supplemented", attachments=files)


@pytest.fixture
def instance(staff):
    """Started Tue 09-29: the reviews are due 10-12, the whole process 11-02 (20 working days)."""
    store_two_supplements()
    with time_machine.travel(at(9, 29), tick=False):
        return start(staff)


def due_of(instance) -> datetime:
    return ProcessInstance.objects.get(pk=instance.pk).due_at


def test_overlapping_pauses_move_the_instance_by_their_union_once(staff, instance):
    pause(staff, instance, "market", at(9, 30))  # market: 09-30 10:00 … 10-12 10:00
    pause(staff, instance, "fire", at(10, 9))  # fire:   10-09 10:00 … 10-14 10:00
    resume(staff, instance, "market", at(10, 12))
    # Market's span alone: 10-08, 10-09, 10-10 (调休) are whole paused working days.
    assert due_of(instance) == end_of(11, 5)
    assert ProcessInstance.objects.get(pk=instance.pk).status == InstanceStatus.SUSPENDED  # fire still paused
    resume(staff, instance, "fire", at(10, 14))
    # The union 09-30 10:00 … 10-14 10:00 holds five whole working days (10-08, 09, 10, 12, 13):
    # the instance is due five working days after 11-02, as if paused once; counting each
    # pause on its own would have given six (11-10).
    assert due_of(instance) == end_of(11, 9)
    assert ProcessInstance.objects.get(pk=instance.pk).status == InstanceStatus.RUNNING
    # Each task moves by its own pause only.
    assert open_task(instance, "market_review").due_at == end_of(10, 15)  # 10-12 + 3
    assert open_task(instance, "fire_review").due_at == end_of(10, 15)  # 10-12 + 3 (10-10, 12, 13)


def test_the_union_does_not_depend_on_which_pause_closes_first(staff, instance):
    pause(staff, instance, "market", at(9, 30))
    pause(staff, instance, "fire", at(10, 9))
    resume(staff, instance, "fire", at(10, 12))  # closes first: its own span counts (10-10)
    assert due_of(instance) == end_of(11, 3)
    resume(staff, instance, "market", at(10, 14))
    assert due_of(instance) == end_of(11, 9)  # again the union's five working days


def test_pauses_that_do_not_overlap_both_count_in_full(staff, instance):
    pause(staff, instance, "market", at(9, 30))
    resume(staff, instance, "market", at(10, 9))  # 10-08: one day
    pause(staff, instance, "fire", at(10, 12))
    resume(staff, instance, "fire", at(10, 15))  # 10-13, 10-14: two days
    assert due_of(instance) == end_of(11, 5)  # 11-02 + 3 working days


def test_the_paused_amount_of_spans_counts_each_moment_once():
    spans = [(at(9, 30), at(10, 12)), (at(10, 9), at(10, 14)), (at(10, 10), at(10, 11))]
    assert clock.merged(spans) == [(at(9, 30), at(10, 14))]
    assert clock.paused_amount(spans, TimeUnit.WORKING_DAYS) == 5
    assert clock.paused_amount(spans, TimeUnit.NATURAL_HOURS) == 14 * 24
    assert clock.paused_amount([], TimeUnit.WORKING_DAYS) == 0
