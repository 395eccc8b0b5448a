"""Variants of the sample: any-of join, terminate, withdraw, hooks, and a version kept to the end."""

from __future__ import annotations

import pytest

from yiwang.core.errors import Conflict, InvalidInput, PermissionDenied
from yiwang.core.tests import factories
from yiwang.workflow import hooks
from yiwang.workflow.loader import parse_definition
from yiwang.workflow.models_runtime import InstanceStatus, ProcessInstance, Task, TaskStatus
from yiwang.workflow.services.definitions import definition_store
from yiwang.workflow.services.runtime import instance_start, task_act
from yiwang.workflow.tests import runtime_fixtures
from yiwang.workflow.tests.helpers import dump, sample
from yiwang.workflow.tests.runtime_fixtures import open_task, start

pytestmark = pytest.mark.django_db
staff = runtime_fixtures.staff  # the fixture, used by name


def store(data: dict):
    text = dump(data)
    return definition_store(parsed=parse_definition(text, source="tests/variant.yaml"), text=text)


def act(actor, task, code, **inputs):
    task.refresh_from_db()
    return task_act(actor=actor, task=task, action_code=code, expected_version=task.version, **inputs)


def test_any_of_join_continues_with_the_first_branch_and_cancels_the_other(staff):
    data = sample()
    data["states"]["reviews_done"]["join"]["mode"] = "any"
    store(data)
    instance = start(staff)
    act(staff.fire_approver, open_task(instance, "fire_review"), "fire_agree", opinion="同意")
    assert open_task(instance, "decision")
    assert Task.objects.get(instance=instance, state="market_review").status == TaskStatus.CANCELLED


def test_terminate_ends_the_instance_and_cancels_open_work(staff):
    data = sample()
    data["actions"]["stop"] = {
        "name": "终止",
        "kind": "terminate",
        "from": ["market_review", "fire_review"],
        "to": "rejected",
        "requires": ["reason"],
    }
    store(data)
    instance = start(staff)
    with pytest.raises(InvalidInput) as refused:
        act(staff.market_approver, open_task(instance, "market_review"), "stop")
    assert refused.value.fields == {"reason": "请填写理由"}
    instance = act(
        staff.market_approver, open_task(instance, "market_review"), "stop", reason="申请人主体资格灭失"
    )
    assert (instance.status, instance.outcome) == (InstanceStatus.TERMINATED, "rejected")
    assert not Task.objects.filter(
        instance=instance, status__in=[TaskStatus.OPEN, TaskStatus.CLAIMED]
    ).exists()


def test_the_initiator_may_withdraw_without_holding_the_task_role(staff):
    data = sample()
    data["states"]["withdrawn"] = {"name": "已撤回", "kind": "end", "outcome": "withdrawn"}
    data["actions"]["withdraw"] = {
        "name": "撤回",
        "kind": "withdraw",
        "from": ["market_review"],
        "to": "withdrawn",
    }
    store(data)
    instance = start(staff)
    instance = act(staff.clerk, open_task(instance, "market_review"), "withdraw")
    assert (instance.status, instance.outcome) == (InstanceStatus.WITHDRAWN, "withdrawn")
    assert Task.objects.get(instance=instance, state="fire_review").status == TaskStatus.CANCELLED


def test_a_guard_refuses_and_nothing_moves(staff, monkeypatch):
    def materials_complete(*, actor, instance, task, action):
        raise PermissionDenied("申请材料未齐全，不能通过")

    monkeypatch.setitem(hooks._GUARDS, "tests.materials_complete", materials_complete)
    data = sample()
    data["actions"]["market_agree"]["guard"] = "tests.materials_complete"
    store(data)
    instance = start(staff)
    task = open_task(instance, "market_review")
    with pytest.raises(PermissionDenied, match="材料未齐全"):
        act(staff.market_approver, task, "market_agree", opinion="同意")
    task.refresh_from_db()
    assert task.status == TaskStatus.OPEN


def test_an_effect_runs_after_the_move_and_its_failure_undoes_the_move(staff, monkeypatch):
    seen = []

    def issue_licence(*, actor, instance, task, action):
        seen.append((instance.status, instance.outcome, action))
        if len(seen) == 1:
            raise Conflict("证照系统不可用")

    monkeypatch.setitem(hooks._EFFECTS, "tests.issue_licence", issue_licence)
    data = sample()
    data["actions"]["approve"]["effect"] = "tests.issue_licence"
    store(data)
    instance = start(staff)
    act(staff.market_approver, open_task(instance, "market_review"), "market_agree", opinion="同意")
    act(staff.fire_approver, open_task(instance, "fire_review"), "fire_agree", opinion="同意")
    decision = open_task(instance, "decision")
    with pytest.raises(Conflict):
        act(staff.decider, decision, "approve", opinion="准予")
    instance.refresh_from_db()
    assert instance.status == InstanceStatus.RUNNING and open_task(instance, "decision") == decision
    instance = act(staff.decider, decision, "approve", opinion="准予")
    assert seen[-1] == (InstanceStatus.COMPLETED, "approved", "approve")


def test_a_running_instance_keeps_the_version_it_started_with(staff):
    instance = start(staff)
    data = sample()
    data["actions"]["market_agree"]["name"] = "审查同意"
    data["actions"].pop("market_disagree")
    newer = store(data)
    assert newer.version == 2
    act(staff.market_approver, open_task(instance, "market_review"), "market_disagree", opinion="不同意")
    assert ProcessInstance.objects.get(pk=instance.pk).definition.version == 1


def test_starting_with_a_department_that_is_not_one_is_refused(staff):
    with pytest.raises(InvalidInput) as refused:
        instance_start(
            actor=staff.clerk,
            definition_code="workflow.parallel_approval",
            subject=staff.subject_dept,
            department="市场监管局",
        )
    assert "department" in refused.value.fields


def test_a_person_named_at_start_gets_the_task_and_colleagues_cannot_act_on_it(staff):
    data = sample()
    data["states"]["market_review"]["person"] = "param:market_officer"
    store(data)
    colleague = factories.create_official(department=staff.market, role="approver")
    instance = instance_start(
        actor=staff.clerk,
        definition_code="workflow.parallel_approval",
        subject=staff.subject_dept,
        department=staff.subject_dept,
        params={
            "market_department": staff.market.pk,
            "fire_department": staff.fire.pk,
            "market_officer": staff.market_approver.pk,
        },
    )
    task = open_task(instance, "market_review")
    assert (task.assignee, task.named, task.status) == (staff.market_approver, True, TaskStatus.OPEN)
    with pytest.raises(PermissionDenied, match="已指定由他人办理"):
        act(colleague, task, "market_agree", opinion="同意")
    act(staff.market_approver, task, "market_agree", opinion="同意")
