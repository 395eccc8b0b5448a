"""Two sweeps at once (two workers) on their own connections: each task, each instance, and
each of their recipients is notified once."""

from __future__ import annotations

import threading
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection, connections

from yiwang.core.notify.models import Message
from yiwang.core.tests import factories
from yiwang.workflow.models_runtime import ClockStatus, Task
from yiwang.workflow.services.runtime import task_claim
from yiwang.workflow.sweep import clock_sweep
from yiwang.workflow.tests import runtime_fixtures
from yiwang.workflow.tests.runtime_fixtures import open_task, start

staff = runtime_fixtures.staff  # the fixture, used by name
SHANGHAI = ZoneInfo("Asia/Shanghai")


def _sweep(now, reports, barrier):
    try:
        barrier.wait(timeout=10)
        reports.append(clock_sweep(now=now))
    except Exception as error:  # reported to the main thread, which fails the test
        reports.append(repr(error))
    finally:
        connections.close_all()


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite serialises writers on one database lock: the repeated-sweep tests cover it",
)
@pytest.mark.django_db(transaction=True)
def test_two_sweeps_at_once_move_and_notify_each_task_once(staff):
    supervisor = factories.create_official(department=staff.subject_dept, role="supervisor", city_wide=True)
    with time_machine.travel(datetime(2026, 9, 30, 10, tzinfo=SHANGHAI), tick=False):
        instance = start(staff)
        task = open_task(instance, "market_review")
        task_claim(actor=staff.market_approver, task=task, expected_version=task.version)
    # The reviews were due 10-13, the whole process 11-03: both tasks and the instance move.
    now = datetime(2026, 11, 5, 10, tzinfo=SHANGHAI)
    reports: list = []
    barrier = threading.Barrier(2)
    threads = [threading.Thread(target=_sweep, args=(now, reports, barrier)) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert all(not isinstance(report, str) for report in reports), reports
    moved = sorted(pk for report in reports for pk in report.overdue)
    assert moved == sorted(Task.objects.filter(instance=instance).values_list("pk", flat=True))
    assert Task.objects.get(pk=task.pk).clock_status == ClockStatus.OVERDUE
    assert [pk for report in reports for pk in report.instances_overdue] == [instance.pk]

    def told(user, title):
        return Message.objects.filter(recipient=user, title__startswith=title).count()

    for user in (staff.market_approver, staff.fire_approver):  # assignee, and unclaimed candidate
        assert (told(user, "待办已超期"), told(user, "流程已超期")) == (1, 1)
    assert (told(supervisor, "督办：待办已超期"), told(supervisor, "督办：流程已超期")) == (2, 1)
