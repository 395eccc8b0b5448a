"""督办, 督办反馈 and 过错问责 (issue 3 §5): who may, what is recorded, who is told."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine

from yiwang.core.audit.models import AuditRecord
from yiwang.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from yiwang.core.notify.models import Message
from yiwang.core.tests import factories
from yiwang.workflow.models_runtime import EventKind, InstanceEvent, InstanceStatus, ProcessInstance
from yiwang.workflow.models_supervision import AccountabilityKind
from yiwang.workflow.selectors_supervision import (
    accountabilities_for_actor,
    notice_get_for_actor,
    notices_for_actor,
)
from yiwang.workflow.services.runtime import task_act, task_claim
from yiwang.workflow.services.supervision import accountability_record, notice_acknowledge, notice_press
from yiwang.workflow.tests import runtime_fixtures, supervision_fixtures
from yiwang.workflow.tests.runtime_fixtures import open_task, start
from yiwang.workflow.tests.supervision_fixtures import at

pytestmark = pytest.mark.django_db
staff = runtime_fixtures.staff  # fixtures, used by name
market_supervisor = supervision_fixtures.market_supervisor
fire_supervisor = supervision_fixtures.fire_supervisor


@pytest.fixture
def running(staff):
    with time_machine.travel(at(11, 2), tick=False):
        return start(staff)


def press(actor, instance, task=None, message="请于本周内办结", **more):
    with time_machine.travel(at(11, 16), tick=False):
        return notice_press(actor=actor, instance=instance, task=task, message=message, **more)


def acknowledge(actor, notice, reply="已加快办理", version=None):
    with time_machine.travel(at(11, 17), tick=False):
        return notice_acknowledge(
            actor=actor,
            notice=notice,
            reply=reply,
            expected_version=notice.version if version is None else version,
        )


def test_press_records_the_notice_on_the_instance_and_tells_the_department(staff, running, market_supervisor):
    market_admin = factories.create_official(
        department=staff.market, role="dept_admin", display_name="市场管理员"
    )
    task = open_task(running, "market_review")
    notice = press(market_supervisor, running, task, respond_by=date(2026, 11, 18))
    assert notice.department == staff.market and notice.sender == market_supervisor
    assert notice.respond_by == supervision_fixtures.end_of(11, 18)
    event = InstanceEvent.objects.get(instance=running, kind=EventKind.PRESS)
    assert event.detail == {"notice": notice.pk, "department": staff.market.pk}
    assert event.task == task and event.opinion == "请于本周内办结"
    assert AuditRecord.objects.filter(action="workflow.instance.press", target_id=str(running.pk)).exists()
    told = Message.objects.filter(title__startswith="督办：", link="/workbench/supervision/notices/")
    # The candidate approver of the unclaimed task and the department's administrator.
    assert set(told.values_list("recipient_id", flat=True)) == {staff.market_approver.pk, market_admin.pk}
    assert "2026-11-18" in told.first().body


def test_press_without_a_task_goes_to_the_instance_department(staff, running):
    supervisor = factories.create_official(department=staff.subject_dept, role="supervisor")
    notice = press(supervisor, running)
    assert notice.department == staff.subject_dept and notice.task is None


def test_acknowledge_round_trip_with_a_stale_version_and_twice(staff, running, market_supervisor):
    notice = press(market_supervisor, running, open_task(running, "market_review"))
    assert [n.pk for n in notices_for_actor(actor=staff.market_approver, pending_only=True)] == [notice.pk]
    assert list(notices_for_actor(actor=staff.fire_approver)) == []
    assert [n.pk for n in notices_for_actor(actor=market_supervisor, box="sent")] == [notice.pk]
    with pytest.raises(Conflict):
        acknowledge(staff.market_approver, notice, version=notice.version + 1)
    answered = acknowledge(staff.market_approver, notice)
    assert answered.reply == "已加快办理" and answered.acknowledged_by == staff.market_approver
    assert answered.version == notice.version + 1
    assert list(notices_for_actor(actor=staff.market_approver, pending_only=True)) == []
    event = InstanceEvent.objects.get(instance=running, kind=EventKind.ACKNOWLEDGE)
    assert event.detail["notice"] == notice.pk and event.opinion == "已加快办理"
    assert Message.objects.filter(recipient=market_supervisor, title__startswith="督办已反馈").count() == 1
    with pytest.raises(InvalidInput, match="该督办已反馈"):
        acknowledge(staff.market_approver, answered)


def test_only_the_pressed_department_acknowledges(staff, running, market_supervisor):
    notice = press(market_supervisor, running, open_task(running, "market_review"))
    with pytest.raises(PermissionDenied):  # sees the instance through its own branch, not the market's
        acknowledge(staff.fire_approver, notice)
    with pytest.raises(PermissionDenied):
        acknowledge(market_supervisor, notice)  # not one's own notice
    with pytest.raises(NotFound):
        notice_get_for_actor(actor=staff.fire_approver, notice_id=notice.pk)
    with pytest.raises(InvalidInput) as empty:
        acknowledge(staff.market_approver, notice, reply="  ")
    assert "reply" in empty.value.fields


def test_press_refuses_other_departments_and_people_without_the_permission(staff, running, fire_supervisor):
    task = open_task(running, "market_review")
    stranger = factories.create_official(
        department=factories.create_department("市交通局"), role="supervisor"
    )
    with pytest.raises(NotFound):  # cannot see the instance at all
        press(stranger, running, task)
    with pytest.raises(PermissionDenied, match="督办"):  # sees it (the fire branch), may not press market
        press(fire_supervisor, running, task)
    with pytest.raises(PermissionDenied):  # an approver of the department holds no 督办 right
        press(staff.market_approver, running, task)
    assert not InstanceEvent.objects.filter(kind=EventKind.PRESS).exists()


def test_press_checks_its_input(staff, running, market_supervisor):
    task = open_task(running, "market_review")
    with pytest.raises(InvalidInput) as empty:
        press(market_supervisor, running, task, message="")
    assert "message" in empty.value.fields
    with pytest.raises(InvalidInput) as long:
        press(market_supervisor, running, task, message="催" * 2001)
    assert "message" in long.value.fields
    with pytest.raises(InvalidInput) as past:
        press(market_supervisor, running, task, respond_by=date(2026, 11, 15))
    assert "respond_by" in past.value.fields
    other = start(staff)
    with pytest.raises(InvalidInput) as foreign:
        press(market_supervisor, running, open_task(other, "market_review"))
    assert "task" in foreign.value.fields
    ProcessInstance.objects.filter(pk=running.pk).update(status=InstanceStatus.TERMINATED)
    with pytest.raises(InvalidInput, match="无需督办"):
        press(market_supervisor, running, task)


def test_accountability_names_the_person_who_handled_the_task(staff, running, market_supervisor):
    task = open_task(running, "market_review")
    task_claim(actor=staff.market_approver, task=task, expected_version=task.version)
    task_act(
        actor=staff.market_approver,
        task=task,
        action_code="market_agree",
        expected_version=task.version,
        opinion="同意",
    )
    record = accountability_record(
        actor=market_supervisor,
        instance=running,
        task=task,
        kind=AccountabilityKind.OVERDUE,
        reason="超期3个工作日",
    )
    assert record.responsible == staff.market_approver and record.department == staff.market
    event = InstanceEvent.objects.get(instance=running, kind=EventKind.ACCOUNTABILITY)
    assert event.reason == "超期3个工作日"
    assert event.detail == {
        "accountability": record.pk,
        "department": staff.market.pk,
        "kind": "overdue",
        "responsible": staff.market_approver.pk,
    }
    assert AuditRecord.objects.filter(action="workflow.instance.accountability").count() == 1
    assert [r.pk for r in accountabilities_for_actor(actor=market_supervisor)] == [record.pk]


def test_accountability_refusals_and_scope(staff, running, market_supervisor, fire_supervisor):
    task = open_task(running, "market_review")
    with pytest.raises(InvalidInput) as kind:
        accountability_record(actor=market_supervisor, instance=running, task=task, kind="late", reason="x")
    assert "kind" in kind.value.fields
    with pytest.raises(InvalidInput) as reason:
        accountability_record(actor=market_supervisor, instance=running, task=task, kind="wrong", reason="")
    assert "reason" in reason.value.fields
    with pytest.raises(PermissionDenied, match="过错问责"):
        accountability_record(actor=fire_supervisor, instance=running, task=task, kind="wrong", reason="越权")
    leader = factories.create_official(department=staff.market, role="leader")
    with pytest.raises(PermissionDenied):  # 领导 sees the figures but does not record accountability
        accountability_record(actor=leader, instance=running, task=task, kind="wrong", reason="无权")
    accountability_record(
        actor=market_supervisor, instance=running, task=task, kind="other", reason="材料遗失"
    )
    assert accountabilities_for_actor(actor=leader).count() == 1
    assert accountabilities_for_actor(actor=fire_supervisor).count() == 0
    with pytest.raises(PermissionDenied):
        accountabilities_for_actor(actor=staff.market_approver)
