"""Who the clock sweep tells (issue 3 §4): candidates of unclaimed tasks, 监察人员 over the
department, an instance's people — each once per transition, with a link to the task."""

from __future__ import annotations

from datetime import datetime
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from yiwang.core.notify.models import Message
from yiwang.core.tests import factories
from yiwang.workflow import sweep_notices
from yiwang.workflow.loader import parse_definition
from yiwang.workflow.models_runtime import ClockStatus, Task
from yiwang.workflow.services.definitions import definition_store
from yiwang.workflow.services.runtime import instance_start, task_claim
from yiwang.workflow.sweep import clock_sweep
from yiwang.workflow.tests import runtime_fixtures
from yiwang.workflow.tests.helpers import dump, sample
from yiwang.workflow.tests.runtime_fixtures import CODE, open_task, start

pytestmark = pytest.mark.django_db
staff = runtime_fixtures.staff  # the fixture, used by name
SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(month: int, day: int, hour: int = 10) -> datetime:
    return datetime(2026, month, day, hour, tzinfo=SHANGHAI)


def titles(user) -> list[str]:
    return list(Message.objects.filter(recipient=user).order_by("pk").values_list("title", flat=True))


def link(task) -> str:
    return f"/workbench/tasks/{task.pk}/"


def test_an_unclaimed_task_turning_yellow_tells_every_candidate_once_with_a_link(staff):
    colleague = factories.create_official(department=staff.fire, role="approver", display_name="消防审查员二")
    elsewhere = factories.create_official(department=staff.subject_dept, role="approver")
    with time_machine.travel(at(9, 30), tick=False):
        instance = start(staff)
    fire = open_task(instance, "fire_review")

    clock_sweep(now=at(10, 13))
    for candidate in (staff.fire_approver, colleague):
        message = Message.objects.get(recipient=candidate)
        assert message.title == f"待办即将到期：并联审批（示例） #{instance.pk} · 消防审查"
        assert message.link == link(fire) and "2026-10-13 23:59" in message.body
    assert not Message.objects.filter(recipient=elsewhere).exists()  # not a candidate of this task

    clock_sweep(now=at(10, 13, 11))
    assert Message.objects.filter(recipient=colleague).count() == 1


def test_an_overdue_task_presses_the_supervisors_over_its_department_once(staff):
    data = sample()
    data["escalations"][0]["notify"] = ["supervisor", "leader"]  # market review: both told
    text = dump(data)
    definition_store(parsed=parse_definition(text, source="tests/notify.yaml"), text=text)
    over_market = factories.create_official(department=staff.market, role="supervisor")
    city_wide = factories.create_official(department=staff.subject_dept, role="supervisor", city_wide=True)
    leader = factories.create_official(department=staff.market, role="leader")
    over_subject = factories.create_official(department=staff.subject_dept, role="supervisor")
    with time_machine.travel(at(9, 30), tick=False):
        instance = start(staff)
        market = open_task(instance, "market_review")
        task_claim(actor=staff.market_approver, task=market, expected_version=market.version)

    report = clock_sweep(now=at(10, 14))
    assert report.escalations == 2  # one escalation entry per overdue review, as before
    pressed = f"督办：待办已超期 并联审批（示例） #{instance.pk} · 市场监管局审查"
    # Named by the escalation AND a supervisor over the department: one message, not two.
    assert titles(over_market) == [pressed]
    assert titles(leader) == [pressed]
    message = Message.objects.get(recipient=over_market)
    assert message.link == link(market) and "市场审查员" in message.body  # who answers for it
    # A city-wide supervisor hears of both branches; one over another department of neither.
    assert len(titles(city_wide)) == 2 and titles(over_subject) == []
    # The unclaimed fire review: its candidate is told it is late.
    assert titles(staff.fire_approver) == [f"待办已超期：并联审批（示例） #{instance.pk} · 消防审查"]

    for _ in range(2):
        clock_sweep(now=at(10, 15))
    assert titles(over_market) == [pressed] and len(titles(city_wide)) == 2


def test_an_instance_turning_yellow_then_red_tells_its_people_and_then_its_supervisors(staff):
    supervisor = factories.create_official(department=staff.subject_dept, role="supervisor")
    with time_machine.travel(at(9, 30), tick=False):
        instance = instance_start(
            actor=staff.clerk,
            definition_code=CODE,
            subject=staff.subject_dept,
            department=staff.subject_dept,
            params={
                "market_department": staff.market.pk,
                "fire_department": staff.fire.pk,
                "time_limit": "10 working_days",  # due 10-20, 预警 from the end of 10-16
            },
        )
        market = open_task(instance, "market_review")
        task_claim(actor=staff.market_approver, task=market, expected_version=market.version)
    fire = open_task(instance, "fire_review")
    clock_sweep(now=at(10, 14))  # the reviews are late: their own messages
    before = {user.pk: len(titles(user)) for user in (staff.market_approver, staff.fire_approver)}
    assert supervisor.pk not in {m.recipient_id for m in Message.objects.all()}  # not over the branches

    report = clock_sweep(now=at(10, 17))
    assert report.instances_warned == [instance.pk]
    name = f"并联审批（示例） #{instance.pk}"
    assert titles(staff.market_approver)[before[staff.market_approver.pk] :] == [f"流程即将到期：{name}"]
    assert titles(staff.fire_approver)[before[staff.fire_approver.pk] :] == [f"流程即将到期：{name}"]
    assert Message.objects.get(recipient=staff.fire_approver, title__startswith="流程").link == link(fire)
    assert titles(supervisor) == []  # a warning is for the people working on it

    report = clock_sweep(now=at(10, 21))
    assert report.instances_overdue == [instance.pk]
    assert titles(staff.market_approver)[-1] == f"流程已超期：{name}"
    assert titles(supervisor) == [f"督办：流程已超期 {name}"]
    assert Message.objects.get(recipient=supervisor).link == link(market)
    assert not clock_sweep(now=at(10, 22)).changed
    assert len(titles(supervisor)) == 1


def _reads_of_a_sweep(now) -> int:
    with mock.patch.object(sweep_notices, "notify_many"), CaptureQueriesContext(connection) as queries:
        clock_sweep(now=now)
    return len(queries)


def test_telling_many_costs_no_more_reads_than_telling_one(staff):
    factories.create_official(department=staff.market, role="supervisor", city_wide=True)
    with time_machine.travel(at(9, 30), tick=False):
        start(staff)
    one = _reads_of_a_sweep(at(10, 14))
    with time_machine.travel(at(10, 14), tick=False):
        for _ in range(5):
            start(staff)
    assert Task.objects.filter(clock_status=ClockStatus.OVERDUE).count() == 2
    # Five more instances, ten more overdue tasks, the same recipients: the same reads.
    assert _reads_of_a_sweep(at(10, 22)) == one
    assert Task.objects.filter(clock_status=ClockStatus.OVERDUE).count() == 12
