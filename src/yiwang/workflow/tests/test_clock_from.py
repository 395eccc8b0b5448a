"""`clock_from` (行政许可法 §42): an application's whole-process limit counts from 受理, not from
submission — the instance clock starts when the instance first enters the named state."""

from __future__ import annotations

import pytest

from yiwang.workflow import clock
from yiwang.workflow.definitions import TimeLimit, TimeUnit
from yiwang.workflow.models_runtime import ClockStatus, ProcessInstance
from yiwang.workflow.tests import runtime_fixtures
from yiwang.workflow.tests.helpers import problems_of, sample
from yiwang.workflow.tests.runtime_fixtures import open_task
from yiwang.workflow.tests.test_clock_overlap import act_at
from yiwang.workflow.tests.test_runtime_variants import store
from yiwang.workflow.tests.test_used_time import _office_hours, at, begin  # noqa: F401

pytestmark = pytest.mark.django_db
staff = runtime_fixtures.staff  # the fixture, used by name


def test_clock_from_must_name_a_task_state():
    data = sample()
    data["clock_from"] = "nowhere"
    assert problems_of(data) == [("clock_from", "计时起点节点“nowhere”不存在")]
    data["clock_from"] = "parallel_review"
    assert problems_of(data) == [("clock_from", "计时起点应为办理（task）节点")]
    data["clock_from"] = "decision"
    assert problems_of(data) == []


def test_the_instance_clock_starts_on_entering_the_named_state_and_used_time_counts_from_there(staff):
    data = sample()
    data["clock_from"] = "decision"
    store(data)
    instance = begin(staff, at(11, 2, 10))
    assert (instance.due_at, instance.clock_status, instance.clock_started_at) == (None, "", None)
    assert open_task(instance, "market_review").due_at is not None  # tasks keep their own limits
    act_at(at(11, 3, 10), staff.market_approver, instance, "market_review", "market_agree", opinion="同意")
    act_at(at(11, 4, 10), staff.fire_approver, instance, "fire_review", "fire_agree", opinion="同意")
    instance = ProcessInstance.objects.get(pk=instance.pk)
    assert instance.clock_started_at == at(11, 4, 10)
    assert instance.due_at == clock.due_from(at(11, 4, 10), TimeLimit(amount=20, unit=TimeUnit.WORKING_DAYS))
    assert instance.clock_status == ClockStatus.NORMAL
    act_at(at(11, 5, 10), staff.decider, instance, "decision", "approve", opinion="准予许可")
    # 11-04 10:00–12:00, 13:30–17:30 and 11-05 09:00–10:00: 7 office hours, one working day —
    # not the three days since submission.
    assert ProcessInstance.objects.get(pk=instance.pk).working_days_used == 1.0
