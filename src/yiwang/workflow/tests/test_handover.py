"""转办, 委托, 改派 (issue 3 §2): the task changes hands, the new holder's inbox shows it, the old
one's does not, the history says who moved it where and why — through services, API and pages."""

from __future__ import annotations

import pytest
from django.urls import reverse

from yiwang.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from yiwang.core.notify.models import Message
from yiwang.core.tests import factories
from yiwang.workflow.models_runtime import EventKind, InstanceEvent, TaskStatus
from yiwang.workflow.selectors_runtime import task_inbox
from yiwang.workflow.services.runtime import task_claim, task_delegate, task_reassign, task_transfer
from yiwang.workflow.tests import runtime_fixtures
from yiwang.workflow.tests.runtime_fixtures import open_task, start

pytestmark = pytest.mark.django_db
staff = runtime_fixtures.staff  # the fixture, used by name
BASE = "/api/v1/workflow/tasks"


def ids(actor, box):
    return [task.pk for task in task_inbox(actor=actor, box=box)]


@pytest.fixture
def market_task(staff):
    return open_task(start(staff), "market_review")


@pytest.fixture
def claimed(staff, market_task):
    return task_claim(actor=staff.market_approver, task=market_task, expected_version=market_task.version)


@pytest.fixture
def colleague(staff):
    return factories.create_official(department=staff.market, role="approver", display_name="市场审查员乙")


@pytest.fixture
def manager(staff):
    return factories.create_official(department=staff.market, role="dept_admin", display_name="市场管理员")


@pytest.fixture
def third(city):
    """Another department, staffed with an approver."""
    department = factories.create_department("市住建局", division=city)
    return department, factories.create_official(
        department=department, role="approver", display_name="住建审查员"
    )


# --- 转办 ------------------------------------------------------------------------------------
def test_transfer_moves_the_task_to_the_other_departments_inbox(staff, claimed, third):
    department, approver = third
    task = task_transfer(
        actor=staff.market_approver,
        task=claimed,
        expected_version=claimed.version,
        department=department.pk,
        reason="属住建局职责",
    )
    assert (task.status, task.assignee, task.candidate_department) == (TaskStatus.OPEN, None, department)
    assert task.version == claimed.version
    assert task.pk in ids(approver, "department")
    assert task.pk not in ids(staff.market_approver, "mine") + ids(staff.market_approver, "department")
    event = InstanceEvent.objects.get(task=task, kind=EventKind.TRANSFER)
    assert event.detail == {"from_department": staff.market.pk, "to_department": department.pk}
    assert event.reason == "属住建局职责" and event.actor == staff.market_approver
    message = Message.objects.get(recipient=approver)
    assert "转办" in message.title and message.link == reverse("workflow:task", args=[task.pk])


def test_transfer_refuses_same_inactive_or_unknown_department_and_a_missing_reason(staff, market_task):
    inactive = factories.create_department("已撤销部门")
    inactive.is_active = False
    inactive.save()
    for department in (staff.market.pk, inactive.pk, 999999, "abc"):
        with pytest.raises(InvalidInput) as refused:
            task_transfer(
                actor=staff.market_approver,
                task=market_task,
                expected_version=market_task.version,
                department=department,
                reason="理由",
            )
        assert "department" in refused.value.fields
    with pytest.raises(InvalidInput) as refused:
        task_transfer(
            actor=staff.market_approver,
            task=market_task,
            expected_version=market_task.version,
            department=staff.fire.pk,
            reason="  ",
        )
    assert refused.value.fields == {"reason": "请填写理由"}
    assert open_task(market_task.instance, "market_review").candidate_department == staff.market


def test_transfer_by_another_department_is_not_found_and_a_stale_version_conflicts(staff, market_task):
    with pytest.raises(NotFound):
        task_transfer(
            actor=staff.fire_approver,
            task=market_task,
            expected_version=market_task.version,
            department=staff.fire.pk,
            reason="r",
        )
    with pytest.raises(Conflict):
        task_transfer(
            actor=staff.market_approver,
            task=market_task,
            expected_version=market_task.version - 1,
            department=staff.fire.pk,
            reason="r",
        )


def test_a_claimed_task_is_transferred_only_by_its_assignee(staff, claimed, colleague):
    with pytest.raises(PermissionDenied):
        task_transfer(
            actor=colleague,
            task=claimed,
            expected_version=claimed.version,
            department=staff.fire.pk,
            reason="r",
        )


# --- 委托 ------------------------------------------------------------------------------------
def test_delegate_puts_the_task_in_the_colleagues_inbox(staff, claimed, colleague):
    task = task_delegate(
        actor=staff.market_approver,
        task=claimed,
        expected_version=claimed.version,
        to_user=colleague.pk,
        reason="出差",
    )
    assert (task.status, task.assignee) == (TaskStatus.CLAIMED, colleague)
    assert ids(colleague, "mine") == [task.pk]
    assert ids(staff.market_approver, "mine") == []
    event = InstanceEvent.objects.get(task=task, kind=EventKind.DELEGATE)
    assert event.detail == {"from_user": staff.market_approver.pk, "to_user": colleague.pk}
    assert Message.objects.filter(recipient=colleague, title__contains="委托").exists()


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("self", "不能委托给自己"),
        ("citizen", "只能委托给工作人员"),
        ("inactive", "请选择一名在职的工作人员"),
        ("nobody", "请选择一名在职的工作人员"),
        ("clerk", "需要角色：审批人员"),
    ],
)
def test_delegate_refuses_who_could_not_work_it(staff, claimed, citizen, who, expected):
    inactive = factories.create_official(department=staff.market, role="approver")
    inactive.is_active = False
    inactive.save()
    clerk = factories.create_official(department=staff.market, role="window_clerk", display_name="窗口乙")
    target = {
        "self": staff.market_approver.pk,
        "citizen": citizen.pk,
        "inactive": inactive.pk,
        "nobody": 10**12,
        "clerk": clerk.pk,
    }[who]
    with pytest.raises(InvalidInput) as refused:
        task_delegate(
            actor=staff.market_approver,
            task=claimed,
            expected_version=claimed.version,
            to_user=target,
            reason="r",
        )
    assert expected in refused.value.fields["to_user"]


def test_only_the_assignee_delegates(staff, market_task, claimed, colleague):
    with pytest.raises(PermissionDenied):
        task_delegate(
            actor=colleague, task=claimed, expected_version=claimed.version, to_user=colleague.pk, reason="r"
        )
    unclaimed = open_task(start(staff), "market_review")
    with pytest.raises(InvalidInput, match="请先签收"):
        task_delegate(
            actor=staff.market_approver,
            task=unclaimed,
            expected_version=unclaimed.version,
            to_user=colleague.pk,
            reason="r",
        )


# --- 改派 ------------------------------------------------------------------------------------
def test_reassign_by_a_manager_tells_the_new_and_the_previous_assignee(staff, claimed, colleague, manager):
    task = task_reassign(
        actor=manager,
        task=claimed,
        expected_version=claimed.version,
        to_user=colleague.pk,
        reason="均衡工作量",
    )
    assert (task.status, task.assignee) == (TaskStatus.CLAIMED, colleague)
    assert ids(colleague, "mine") == [task.pk] and ids(staff.market_approver, "mine") == []
    event = InstanceEvent.objects.get(task=task, kind=EventKind.REASSIGN)
    assert event.detail == {"from_user": staff.market_approver.pk, "to_user": colleague.pk}
    assert Message.objects.filter(recipient=colleague, title__contains="改派").exists()
    assert Message.objects.filter(recipient=staff.market_approver, title__contains="已改派").exists()


def test_reassign_needs_the_permission_and_a_worker(staff, claimed, colleague, manager):
    with pytest.raises(PermissionDenied, match="改派待办"):
        task_reassign(
            actor=colleague, task=claimed, expected_version=claimed.version, to_user=colleague.pk, reason="r"
        )
    with pytest.raises(InvalidInput) as refused:
        task_reassign(
            actor=manager, task=claimed, expected_version=claimed.version, to_user=manager.pk, reason=""
        )
    assert "需要角色" in refused.value.fields["to_user"] and refused.value.fields["reason"] == "请填写理由"
    with pytest.raises(Conflict):
        task_reassign(
            actor=manager,
            task=claimed,
            expected_version=claimed.version + 1,
            to_user=colleague.pk,
            reason="r",
        )
    fire_manager = factories.create_official(department=staff.fire, role="dept_admin")
    with pytest.raises(NotFound):
        task_reassign(
            actor=fire_manager,
            task=claimed,
            expected_version=claimed.version,
            to_user=colleague.pk,
            reason="r",
        )


def test_a_done_task_is_not_handed_over(staff, market_task, manager, colleague):
    from yiwang.workflow.services.runtime import task_act

    task_act(
        actor=staff.market_approver,
        task=market_task,
        action_code="market_agree",
        expected_version=market_task.version,
        opinion="同意",
    )
    market_task.refresh_from_db()
    with pytest.raises(InvalidInput, match="已办理"):
        task_reassign(
            actor=manager,
            task=market_task,
            expected_version=market_task.version,
            to_user=colleague.pk,
            reason="r",
        )


# --- API -------------------------------------------------------------------------------------
def post(client, url, body):
    return client.post(url, body, content_type="application/json")


def test_api_transfer_delegate_reassign_round_trip(client, staff, claimed, colleague, manager, third):
    client.force_login(staff.market_approver)
    response = post(
        client,
        f"{BASE}/{claimed.pk}/delegate",
        {"version": claimed.version, "to_user": colleague.pk, "reason": "休假"},
    )
    assert response.status_code == 200, response.json()
    assert response.json()["assignee_id"] == colleague.pk
    client.force_login(manager)
    response = post(
        client,
        f"{BASE}/{claimed.pk}/reassign",
        {
            "version": response.json()["version"],
            "to_user": staff.market_approver.pk,
            "reason": "回到原办理人",
        },
    )
    assert response.status_code == 200, response.json()
    client.force_login(staff.market_approver)
    department, _ = third
    response = post(
        client,
        f"{BASE}/{claimed.pk}/transfer",
        {"version": response.json()["version"], "department": department.pk, "reason": "职责不符"},
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["candidate_department_id"], body["assignee_id"], body["status"]) == (
        department.pk,
        None,
        "open",
    )
    # The market approver no longer sees another department's task.
    assert client.get(f"{BASE}/{claimed.pk}").status_code == 404
    kinds = list(InstanceEvent.objects.filter(task=claimed).values_list("kind", flat=True))
    assert kinds == ["claim", "delegate", "reassign", "transfer"]


def test_api_refusals_are_enveloped_never_500(client, staff, market_task, colleague):
    client.force_login(staff.market_approver)
    url = f"{BASE}/{market_task.pk}/transfer"
    missing = post(client, url, {"version": market_task.version, "department": staff.fire.pk})
    assert missing.status_code == 422 and missing.json()["error"]["fields"] == {"reason": "请填写理由"}
    huge = post(client, url, {"version": market_task.version, "department": 2**70, "reason": "r"})
    assert huge.status_code == 422 and "department" in huge.json()["error"]["fields"]
    assert (
        post(client, url, {"version": market_task.version, "department": "x", "reason": "r"}).status_code
        == 422
    )
    stale = post(
        client, url, {"version": market_task.version + 3, "department": staff.fire.pk, "reason": "r"}
    )
    assert stale.status_code == 409
    for bad in ("abc", "99999999999999999999", "0"):
        response = post(
            client, f"{BASE}/{bad}/delegate", {"version": 1, "to_user": colleague.pk, "reason": "r"}
        )
        assert response.status_code == 404 and response.json()["error"]["code"] == "not_found"
    client.force_login(staff.fire_approver)
    other = post(client, url, {"version": market_task.version, "department": staff.fire.pk, "reason": "r"})
    assert other.status_code == 404


# --- Pages -----------------------------------------------------------------------------------
def test_task_page_shows_each_form_only_to_who_may_use_it(client, staff, claimed, colleague, manager):
    url = reverse("workflow:task", args=[claimed.pk])
    client.force_login(staff.market_approver)
    html = client.get(url).content.decode()
    assert 'id="transfer-h"' in html and 'id="delegate-h"' in html and 'id="reassign-h"' not in html
    assert f'<option value="{colleague.pk}">' in html  # the colleague who could work it
    assert f'<option value="{staff.fire.pk}">' in html and f'<option value="{staff.market.pk}">' not in html
    client.force_login(manager)
    html = client.get(url).content.decode()
    assert 'id="reassign-h"' in html and 'id="delegate-h"' not in html and 'id="transfer-h"' not in html
    assert 'id="copy-h"' in html


def test_transfer_from_the_page_then_the_task_is_gone_from_my_inbox(client, staff, claimed):
    client.force_login(staff.market_approver)
    response = client.post(
        reverse("workflow:task_transfer", args=[claimed.pk]),
        {"version": claimed.version, "department": staff.fire.pk, "reason": "属消防职责"},
    )
    assert response.status_code == 302 and response.url == reverse("workflow:inbox")
    assert (
        reverse("workflow:task", args=[claimed.pk])
        not in client.get(reverse("workflow:inbox")).content.decode()
    )
    client.force_login(staff.fire_approver)
    html = client.get(reverse("workflow:inbox"), {"box": "department"}).content.decode()
    assert reverse("workflow:task", args=[claimed.pk]) in html


def test_page_refusals_show_beside_the_field(client, staff, claimed, colleague):
    client.force_login(staff.market_approver)
    response = client.post(
        reverse("workflow:task_delegate", args=[claimed.pk]),
        {"version": claimed.version, "to_user": colleague.pk},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="delegate-reason-error"' in html and "请填写理由" in html
    assert f'<option value="{colleague.pk}" selected>' in html  # the choice is kept
    not_manager = client.post(
        reverse("workflow:task_reassign", args=[claimed.pk]),
        {"version": claimed.version, "to_user": colleague.pk, "reason": "r"},
    )
    assert not_manager.status_code == 403 and "改派待办" in not_manager.content.decode()
    stale = client.post(
        reverse("workflow:task_transfer", args=[claimed.pk]),
        {"version": claimed.version - 1, "department": staff.fire.pk, "reason": "r"},
    )
    assert stale.status_code == 409 and "该待办已被他人处理，请刷新" in stale.content.decode()
    client.force_login(staff.fire_approver)
    hidden = client.post(
        reverse("workflow:task_transfer", args=[claimed.pk]),
        {"version": claimed.version, "department": staff.fire.pk, "reason": "r"},
    )
    assert hidden.status_code == 404
