"""Refusals that say which: action, role, input, scope, and the loser of a concurrent act."""

from __future__ import annotations

import threading

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, connections

from yiwang.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from yiwang.core.files.services import file_attach
from yiwang.core.files.tests.samples import PDF
from yiwang.core.tests import factories
from yiwang.workflow.models_runtime import InstanceEvent, Task, TaskStatus
from yiwang.workflow.selectors_runtime import (
    instance_events_for_actor,
    task_get_for_actor,
    task_list_for_actor,
)
from yiwang.workflow.services.runtime import instance_start, task_act, task_claim, task_release
from yiwang.workflow.tests import runtime_fixtures
from yiwang.workflow.tests.runtime_fixtures import open_task, start

pytestmark = pytest.mark.django_db
staff = runtime_fixtures.staff  # the fixture, used by name


def test_an_action_not_available_from_the_state_is_refused_naming_it(staff):
    task = open_task(start(staff), "market_review")
    with pytest.raises(InvalidInput, match="当前环节不能执行此操作：approve") as refused:
        task_act(actor=staff.market_approver, task=task, action_code="approve", expected_version=task.version)
    assert "同意（market_agree）" in refused.value.message
    task.refresh_from_db()
    assert task.status == TaskStatus.OPEN


def test_an_official_without_the_role_is_refused_naming_the_role(staff):
    clerk = factories.create_official(department=staff.market, role="window_clerk")
    task = open_task(start(staff), "market_review")
    with pytest.raises(PermissionDenied, match="需要角色：审批人员"):
        task_act(
            actor=clerk, task=task, action_code="market_agree", expected_version=task.version, opinion="同意"
        )


def test_a_missing_opinion_is_refused_naming_the_field(staff):
    task = open_task(start(staff), "market_review")
    with pytest.raises(InvalidInput) as refused:
        task_act(
            actor=staff.market_approver, task=task, action_code="market_agree", expected_version=task.version
        )
    assert refused.value.fields == {"opinion": "请填写意见"}
    assert not InstanceEvent.objects.filter(action="market_agree").exists()


def test_reject_names_both_missing_fields(staff):
    instance = start(staff)
    for state, code, actor in (
        ("market_review", "market_agree", staff.market_approver),
        ("fire_review", "fire_agree", staff.fire_approver),
    ):
        task = open_task(instance, state)
        task_act(actor=actor, task=task, action_code=code, expected_version=task.version, opinion="同意")
    task = open_task(instance, "decision")
    with pytest.raises(InvalidInput) as refused:
        task_act(actor=staff.decider, task=task, action_code="reject", expected_version=task.version)
    assert set(refused.value.fields) == {"opinion", "reason"}


def test_the_second_of_two_officials_acting_on_one_task_gets_409(staff):
    colleague = factories.create_official(department=staff.market, role="approver")
    task = open_task(start(staff), "market_review")
    seen_by_colleague = Task.objects.get(pk=task.pk)
    task_act(
        actor=staff.market_approver,
        task=task,
        action_code="market_agree",
        expected_version=task.version,
        opinion="同意",
    )
    with pytest.raises(Conflict, match="该待办已被他人处理") as lost:
        task_act(
            actor=colleague,
            task=seen_by_colleague,
            action_code="market_disagree",
            expected_version=seen_by_colleague.version,
            opinion="不同意",
        )
    assert lost.value.status == 409
    assert InstanceEvent.objects.filter(action__in=["market_agree", "market_disagree"]).count() == 1


def test_an_official_of_another_department_cannot_see_or_act_on_the_task(staff):
    stranger = factories.create_official(
        department=factories.create_department("市税务局", division=staff.market.division), role="approver"
    )
    task = open_task(start(staff), "market_review")
    with pytest.raises(NotFound):
        task_get_for_actor(actor=stranger, task_id=task.pk)
    with pytest.raises(NotFound):
        task_act(
            actor=stranger,
            task=task,
            action_code="market_agree",
            expected_version=task.version,
            opinion="同意",
        )
    assert task not in task_list_for_actor(actor=stranger, mine=False)
    assert task_get_for_actor(actor=staff.market_approver, task_id=str(task.pk)) == task


def test_claimed_task_moves_from_department_list_to_mine_and_others_cannot_act(
    staff, django_assert_max_num_queries
):
    colleague = factories.create_official(department=staff.market, role="approver")
    instance = start(staff)
    task = open_task(instance, "market_review")
    with django_assert_max_num_queries(3):
        unclaimed = list(task_list_for_actor(actor=staff.market_approver, mine=False))
    assert unclaimed == [task]
    task_claim(actor=staff.market_approver, task=task, expected_version=task.version)
    assert list(task_list_for_actor(actor=staff.market_approver, mine=True)) == [task]
    assert list(task_list_for_actor(actor=colleague, mine=False)) == []
    with pytest.raises(PermissionDenied, match="已由他人签收"):
        task_act(
            actor=colleague,
            task=task,
            action_code="market_agree",
            expected_version=task.version,
            opinion="同意",
        )
    task_release(actor=staff.market_approver, task=task, expected_version=task.version)
    assert list(task_list_for_actor(actor=colleague, mine=False)) == [task]
    assert list(InstanceEvent.objects.filter(task=task).values_list("kind", flat=True)) == [
        "claim",
        "release",
    ]


def _race(task_id, actor, code, outcomes, barrier):
    try:
        task = Task.objects.get(pk=task_id)
        barrier.wait(timeout=10)
        task_act(actor=actor, task=task, action_code=code, expected_version=task.version, opinion="并发")
        outcomes.append("ok")
    except Conflict:
        outcomes.append("409")
    except Exception as error:  # reported to the main thread, which fails the test
        outcomes.append(repr(error))
    finally:
        connections.close_all()


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite serialises writers on one database lock: the stale-version test above covers it",
)
@pytest.mark.django_db(transaction=True)
def test_two_officials_acting_at_once_on_their_own_connections_get_one_success_and_one_409(staff):
    colleague = factories.create_official(department=staff.market, role="approver")
    task = open_task(start(staff), "market_review")
    outcomes: list[str] = []
    barrier = threading.Barrier(2)
    threads = [
        threading.Thread(target=_race, args=(task.pk, actor, code, outcomes, barrier))
        for actor, code in ((staff.market_approver, "market_agree"), (colleague, "market_disagree"))
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["409", "ok"]
    assert InstanceEvent.objects.filter(task=task, kind="act").count() == 1


def test_an_official_without_the_start_permission_cannot_start(staff):
    with pytest.raises(PermissionDenied, match="没有发起此流程的权限"):
        instance_start(
            actor=staff.market_approver,
            definition_code="workflow.parallel_approval",
            subject=staff.subject_dept,
            department=staff.subject_dept,
            params={"market_department": staff.market.pk, "fire_department": staff.fire.pk},
        )
    assert not Task.objects.exists()


def test_history_is_shown_to_branch_departments_and_hidden_from_others(staff):
    instance = start(staff)
    stranger = factories.create_official(
        department=factories.create_department("市税务局", division=staff.market.division), role="approver"
    )
    assert [e.kind for e in instance_events_for_actor(actor=staff.fire_approver, instance=instance)] == [
        "start"
    ]
    assert instance_events_for_actor(actor=staff.clerk, instance=instance).count() == 1
    with pytest.raises(NotFound):
        instance_events_for_actor(actor=stranger, instance=instance)


def test_an_action_cannot_name_a_file_the_actor_may_not_see(staff):
    """task_act itself refuses attachment ids that do not exist or belong to someone else's work."""
    from yiwang.workflow.tests.runtime_fixtures import uploaded

    instance = start(staff)
    market = open_task(instance, "market_review")
    market_file = uploaded(staff.market_approver, market)
    task_act(
        actor=staff.market_approver,
        task=market,
        action_code="market_ask_supplement",
        expected_version=market.version,
        reason="缺章程",
    )
    waiting = open_task(instance, "market_supplement")
    citizen = factories.create_citizen()
    personal = file_attach(
        actor=citizen,
        owner_type="accounts.user",
        owner_id=citizen.pk,
        upload=SimpleUploadedFile("户口簿.pdf", PDF, content_type="application/pdf"),
    )
    with pytest.raises(InvalidInput) as refused:
        task_act(
            actor=staff.clerk,
            task=waiting,
            action_code="market_supplemented",
            expected_version=waiting.version,
            attachments=[personal.pk, 999999],
        )
    assert refused.value.fields["attachments"] == f"附件不存在或无权使用：{personal.pk}、999999"
    # The market approver's file is visible to the clerk (same instance), so it may be named.
    task_act(
        actor=staff.clerk,
        task=waiting,
        action_code="market_supplemented",
        expected_version=waiting.version,
        attachments=market_file,
    )
