"""Parallel approval end to end: start, fork, join, decision, return, suspension (issue 3, part 2)."""

from __future__ import annotations

import pytest

from yiwang.core.audit.models import AuditRecord
from yiwang.core.errors import InvalidInput
from yiwang.workflow.models import ProcessDefinitionVersion
from yiwang.workflow.models_runtime import (
    ClockPause,
    EventKind,
    InstanceEvent,
    InstanceStatus,
    Task,
    TaskStatus,
)
from yiwang.workflow.services.runtime import instance_start, task_act
from yiwang.workflow.tests import runtime_fixtures
from yiwang.workflow.tests.runtime_fixtures import CODE, open_task, start, uploaded

pytestmark = pytest.mark.django_db
staff = runtime_fixtures.staff  # the fixture, used by name


def act(actor, task, code, **inputs):
    task.refresh_from_db()
    return task_act(actor=actor, task=task, action_code=code, expected_version=task.version, **inputs)


def test_start_opens_one_task_per_branch_in_the_departments_named_at_start(staff):
    instance = start(staff)
    tasks = {t.state: t for t in Task.objects.filter(instance=instance)}
    assert set(tasks) == {"market_review", "fire_review"}
    assert tasks["market_review"].candidate_department == staff.market
    assert tasks["fire_review"].candidate_department == staff.fire
    assert tasks["market_review"].branch == "market_review"
    assert tasks["fire_review"].candidate_roles == ["approver"]
    assert instance.status == InstanceStatus.RUNNING
    assert instance.definition == ProcessDefinitionVersion.objects.get(code=CODE, is_current=True)
    assert instance.subject_type == "orgs.department" and instance.subject_id == str(staff.subject_dept.pk)


def test_start_without_a_branch_department_is_refused_naming_the_parameter(staff):
    with pytest.raises(InvalidInput) as refused:
        instance_start(
            actor=staff.clerk,
            definition_code=CODE,
            subject=staff.subject_dept,
            department=staff.subject_dept,
            params={"market_department": staff.market.pk},
        )
    assert "params.fire_department" in refused.value.fields
    assert not Task.objects.exists()


def test_both_branches_agree_then_the_decision_approves(staff):
    instance = start(staff)
    act(staff.market_approver, open_task(instance, "market_review"), "market_agree", opinion="材料齐全")
    # 全部通过: the join waits for the fire department.
    assert not Task.objects.filter(instance=instance, state="decision").exists()
    act(staff.fire_approver, open_task(instance, "fire_review"), "fire_agree", opinion="消防合格")
    decision = open_task(instance, "decision")
    assert decision.candidate_department == staff.subject_dept and decision.branch == ""
    instance = act(staff.decider, decision, "approve", opinion="准予许可")
    assert (instance.status, instance.outcome) == (InstanceStatus.COMPLETED, "approved")
    assert instance.ended_at is not None
    assert not Task.objects.filter(
        instance=instance, status__in=[TaskStatus.OPEN, TaskStatus.CLAIMED]
    ).exists()
    history = list(InstanceEvent.objects.filter(instance=instance).values_list("kind", "action", "to_state"))
    assert history == [
        (EventKind.START, "", "parallel_review"),
        (EventKind.ACT, "market_agree", "reviews_done"),
        (EventKind.ACT, "fire_agree", "reviews_done"),
        (EventKind.AUTO, "to_decision", "decision"),
        (EventKind.ACT, "approve", "approved"),
    ]
    assert InstanceEvent.objects.get(instance=instance, action="market_agree").opinion == "材料齐全"
    audited = AuditRecord.objects.filter(action__startswith="workflow.instance.", target_id=str(instance.pk))
    assert audited.count() == len(history)


def test_a_branch_disagrees_and_the_decision_rejects(staff):
    instance = start(staff)
    act(
        staff.market_approver, open_task(instance, "market_review"), "market_disagree", opinion="经营范围不符"
    )
    act(staff.fire_approver, open_task(instance, "fire_review"), "fire_agree", opinion="消防合格")
    instance = act(
        staff.decider, open_task(instance, "decision"), "reject", opinion="不予许可", reason="经营范围不符"
    )
    assert (instance.status, instance.outcome) == (InstanceStatus.COMPLETED, "rejected")
    assert InstanceEvent.objects.get(instance=instance, action="reject").reason == "经营范围不符"


def test_returning_to_the_fork_reopens_both_reviews_and_waits_for_both_again(staff):
    instance = start(staff)
    act(staff.market_approver, open_task(instance, "market_review"), "market_agree", opinion="同意")
    act(staff.fire_approver, open_task(instance, "fire_review"), "fire_agree", opinion="同意")
    act(staff.decider, open_task(instance, "decision"), "send_back", reason="两部门意见需复核")
    assert Task.objects.filter(instance=instance, status=TaskStatus.OPEN).count() == 2
    act(staff.market_approver, open_task(instance, "market_review"), "market_agree", opinion="再次同意")
    assert not Task.objects.filter(instance=instance, state="decision", status=TaskStatus.OPEN).exists()
    act(staff.fire_approver, open_task(instance, "fire_review"), "fire_agree", opinion="再次同意")
    assert open_task(instance, "decision")


def test_supplement_suspends_the_clock_and_resuming_closes_the_pause(staff):
    instance = start(staff)
    instance = act(
        staff.market_approver,
        open_task(instance, "market_review"),
        "market_ask_supplement",
        reason="缺少章程",
    )
    assert instance.status == InstanceStatus.SUSPENDED
    pause = ClockPause.objects.get(instance=instance)
    assert (pause.from_state, pause.reason, pause.ended_at) == ("market_review", "缺少章程", None)
    waiting = open_task(instance, "market_supplement")
    assert waiting.candidate_department == staff.subject_dept  # department: initiator
    files = uploaded(staff.clerk, waiting)
    instance = act(staff.clerk, waiting, "market_supplemented", attachments=files)
    pause.refresh_from_db()
    assert pause.ended_at is not None and pause.ended_at >= pause.started_at
    assert instance.status == InstanceStatus.RUNNING
    back = open_task(instance, "market_review")
    assert back.branch == "market_review" and back.candidate_department == staff.market
    assert InstanceEvent.objects.get(instance=instance, action="market_supplemented").attachments == files
    # The branch still reaches the join as before.
    act(staff.market_approver, back, "market_agree", opinion="补正后同意")
    act(staff.fire_approver, open_task(instance, "fire_review"), "fire_agree", opinion="同意")
    assert open_task(instance, "decision")
