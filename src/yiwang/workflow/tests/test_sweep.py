"""The clock sweep (issue 3 §4): 预警 and 超期 once each, notified once, escalated once."""

from __future__ import annotations

from datetime import datetime
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
import time_machine

from yiwang.core.audit.models import AuditRecord
from yiwang.core.errors import InvalidInput
from yiwang.core.notify.models import Message
from yiwang.core.periodic import registered_jobs
from yiwang.core.tests import factories
from yiwang.core.workcal.models import CalendarYear
from yiwang.workflow import sweep, sweep_notices
from yiwang.workflow.loader import parse_definition
from yiwang.workflow.models_runtime import ClockStatus, InstanceEvent, Task, TaskStatus
from yiwang.workflow.services.definitions import definition_store
from yiwang.workflow.services.runtime import task_act, task_claim
from yiwang.workflow.sweep import clock_sweep
from yiwang.workflow.tests import runtime_fixtures
from yiwang.workflow.tests.helpers import dump, sample
from yiwang.workflow.tests.runtime_fixtures import open_task, start

pytestmark = pytest.mark.django_db
staff = runtime_fixtures.staff  # the fixture, used by name
SHANGHAI = ZoneInfo("Asia/Shanghai")
# The same for 10 tasks as for 1 (up to a batch of 500): bulk UPDATEs, candidates read once per
# department; each of the four moves ends with one empty look, in its own transaction.
QUERIES = 28


def at(month: int, day: int, hour: int = 10) -> datetime:
    return datetime(2026, month, day, hour, tzinfo=SHANGHAI)


@pytest.fixture
def claimed(staff):
    """Started 2026-09-30: the market review (5 working days) is due 10-13, warns from 10-12's end."""
    with time_machine.travel(at(9, 30), tick=False):
        instance = start(staff)
        task = open_task(instance, "market_review")
        task_claim(actor=staff.market_approver, task=task, expected_version=task.version)
    return instance


def test_the_sweep_is_registered_as_a_periodic_job():
    assert "workflow.clock_sweep" in {job.name for job in registered_jobs()}


def test_before_the_warning_nothing_moves(staff, claimed):
    report = clock_sweep(now=at(10, 12))
    assert not report.changed
    assert open_task(claimed, "market_review").clock_status == ClockStatus.NORMAL


def test_warning_is_set_once_and_the_assignee_is_told_once(staff, claimed):
    report = clock_sweep(now=at(10, 13))
    task = open_task(claimed, "market_review")
    fire = Task.objects.get(instance=claimed, state="fire_review")
    assert sorted(report.warned) == [task.pk, fire.pk]  # both branches opened together
    assert task.clock_status == ClockStatus.WARNING and task.warned_at == at(10, 13)
    assert Message.objects.filter(recipient=staff.market_approver, title__contains="即将到期").count() == 1
    audits = AuditRecord.objects.filter(action="workflow.clock.sweep").count()

    again = clock_sweep(now=at(10, 13, 11))
    assert not again.changed
    assert Message.objects.filter(recipient=staff.market_approver).count() == 1
    assert AuditRecord.objects.filter(action="workflow.clock.sweep").count() == audits


def test_overdue_after_the_due_time_notifies_and_escalates_exactly_once(staff, claimed):
    supervisor = factories.create_official(department=staff.market, role="supervisor", display_name="督办员")
    clock_sweep(now=at(10, 13))
    report = clock_sweep(now=at(10, 14))
    task = open_task(claimed, "market_review")
    fire = Task.objects.get(instance=claimed, state="fire_review")
    assert sorted(report.overdue) == [task.pk, fire.pk] and report.escalations == 2
    assert task.clock_status == ClockStatus.OVERDUE and task.overdue_at == at(10, 14)
    assert task.warned_at == at(10, 13)  # kept
    assert Message.objects.filter(recipient=staff.market_approver, title__contains="已超期").count() == 1
    assert Message.objects.filter(recipient=supervisor, title__contains="督办").count() == 1
    # The unclaimed fire review has no assignee and its department no supervisor: no message.
    assert Message.objects.filter(title__contains="督办").count() == 1

    for _ in range(2):
        assert not clock_sweep(now=at(10, 15)).changed
    assert Message.objects.filter(recipient=staff.market_approver).count() == 2  # warning + overdue
    assert Message.objects.filter(recipient=supervisor).count() == 1


def test_a_task_without_a_calendar_year_stays_visible_and_is_retried(staff):
    with time_machine.travel(at(12, 28), tick=False):
        instance = start(staff)
    report = clock_sweep(now=at(12, 29))
    assert report.recomputed == 0 and not report.overdue
    task = open_task(instance, "market_review")
    assert task.clock_status == ClockStatus.NO_CALENDAR and task.due_at is None

    # The 2027 calendar is published and loaded (here: a year with no special days, 1-1 a Friday).
    CalendarYear.objects.create(year=2027, source="tests")
    report = clock_sweep(now=at(12, 30))
    task.refresh_from_db()
    assert report.recomputed == 3  # the market and fire reviews, and the instance
    assert task.due_at == datetime(2027, 1, 4, 23, 59, 59, tzinfo=SHANGHAI)  # 29, 30, 31, 1-1, 1-4
    assert task.clock_status == ClockStatus.NORMAL


def test_an_escalation_action_is_fired_once_by_the_clock_and_recorded(staff):
    data = sample()
    data["actions"]["market_escalate"] = {
        "name": "超期移交",
        "kind": "escalate",
        "from": "market_review",
        "to": "reviews_done",
    }
    data["escalations"][0]["action"] = "market_escalate"
    text = dump(data)
    definition_store(parsed=parse_definition(text, source="tests/escalate.yaml"), text=text)
    with time_machine.travel(at(9, 30), tick=False):
        instance = start(staff)
    market = open_task(instance, "market_review")

    report = clock_sweep(now=at(10, 14))
    market.refresh_from_db()
    assert (market.status, market.action, market.completed_by) == (TaskStatus.DONE, "market_escalate", None)
    event = InstanceEvent.objects.get(instance=instance, action="market_escalate")
    assert event.actor is None and event.to_state == "reviews_done"
    assert report.escalations == 3  # market: press + action; fire: press
    assert not clock_sweep(now=at(10, 15)).changed
    assert InstanceEvent.objects.filter(instance=instance, action="market_escalate").count() == 1


def test_an_official_cannot_take_an_escalation_action_by_hand(staff):
    data = sample()
    data["actions"]["market_escalate"] = {
        "name": "超期移交",
        "kind": "escalate",
        "from": "market_review",
        "to": "reviews_done",
    }
    text = dump(data)
    definition_store(parsed=parse_definition(text, source="tests/escalate.yaml"), text=text)
    task = open_task(start(staff), "market_review")
    with pytest.raises(InvalidInput):
        task_act(
            actor=staff.market_approver,
            task=task,
            action_code="market_escalate",
            expected_version=task.version,
        )


def test_the_sweep_moves_many_tasks_with_a_fixed_number_of_queries(staff, django_assert_max_num_queries):
    with time_machine.travel(at(9, 30), tick=False):
        for _ in range(5):
            start(staff)
    clock_sweep(now=at(10, 12))  # nothing due yet
    # Writing the messages is left out here (two bulk INSERTs per batch, tested in core.notify).
    with mock.patch.object(sweep_notices, "notify_many") as sent, django_assert_max_num_queries(QUERIES):
        report = clock_sweep(now=at(10, 13))
    assert len(report.warned) == 10 and len(report.instances_warned) == 0
    told = [notice for call in sent.call_args_list for notice in call.args[0]]
    assert len(told) == 10  # each unclaimed review told to its department's one approver


def test_the_sweep_works_in_batches_each_committed_with_its_own_audit_summary(staff, monkeypatch):
    """More rows than a batch: every row moves once, one summary per batch, nothing left behind."""
    monkeypatch.setattr(sweep, "BATCH", 3)
    with time_machine.travel(at(9, 30), tick=False):
        for _ in range(4):
            start(staff)  # 8 review tasks, 5 working days each
    before = AuditRecord.objects.filter(action="workflow.clock.sweep").count()

    report = clock_sweep(now=at(10, 13))

    assert len(report.warned) == len(set(report.warned)) == 8
    summaries = AuditRecord.objects.filter(action="workflow.clock.sweep").count() - before
    assert summaries == 3  # 3 + 3 + 2 tasks
    assert not Task.objects.filter(
        clock_status=ClockStatus.NORMAL, status__in=(TaskStatus.OPEN, TaskStatus.CLAIMED)
    ).exists()
    assert clock_sweep(now=at(10, 13, 11)).changed is False
