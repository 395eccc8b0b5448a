"""Inbox API (issue 3 §3): each branch department sees only its task, claims and acts on it."""

from __future__ import annotations

import pytest

from yiwang.core.tests import factories
from yiwang.workflow.models_runtime import Task, TaskStatus
from yiwang.workflow.tests import runtime_fixtures
from yiwang.workflow.tests.runtime_fixtures import open_task, start

pytestmark = pytest.mark.django_db
staff = runtime_fixtures.staff  # the fixture, used by name
BASE = "/api/v1/workflow/tasks"


def listing(client, user, box):
    client.force_login(user)
    response = client.get(BASE, {"box": box})
    assert response.status_code == 200, response.json()
    return response.json()


def test_each_branch_approver_sees_only_their_department_task(client, staff):
    instance = start(staff)
    market = listing(client, staff.market_approver, "department")
    fire = listing(client, staff.fire_approver, "department")
    assert [t["state"] for t in market["items"]] == ["market_review"]
    assert [t["state"] for t in fire["items"]] == ["fire_review"]
    assert market["items"][0]["instance_id"] == instance.pk
    assert market["items"][0]["process"] == runtime_fixtures.CODE
    assert listing(client, staff.market_approver, "mine")["count"] == 0


def test_claim_then_act_through_the_api_moves_the_instance(client, staff):
    instance = start(staff)
    task = open_task(instance, "market_review")
    client.force_login(staff.market_approver)
    claimed = client.post(
        f"{BASE}/{task.pk}/claim", {"version": task.version}, content_type="application/json"
    )
    assert claimed.status_code == 200, claimed.json()
    body = claimed.json()
    assert body["status"] == TaskStatus.CLAIMED
    assert "market_agree" in [a["code"] for a in body["actions"]]
    assert [t["id"] for t in listing(client, staff.market_approver, "mine")["items"]] == [task.pk]
    acted = client.post(
        f"{BASE}/{task.pk}/act",
        {"action": "market_agree", "version": body["version"], "opinion": "材料齐全"},
        content_type="application/json",
    )
    assert acted.status_code == 200, acted.json()
    assert acted.json()["status"] == TaskStatus.DONE
    assert [h["kind"] for h in acted.json()["history"]][-2:] == ["claim", "act"]
    assert Task.objects.get(pk=task.pk).status == TaskStatus.DONE
    assert [t["id"] for t in listing(client, staff.market_approver, "done")["items"]] == [task.pk]


def test_stale_version_is_a_409_in_the_envelope(client, staff):
    task = open_task(start(staff), "market_review")
    client.force_login(staff.market_approver)
    response = client.post(
        f"{BASE}/{task.pk}/claim", {"version": task.version + 5}, content_type="application/json"
    )
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "conflict" or response.json()["error"]["message"]
    assert "已被他人处理" in response.json()["error"]["message"]


def test_another_departments_official_gets_404(client, staff):
    task = open_task(start(staff), "market_review")
    client.force_login(staff.fire_approver)
    assert client.get(f"{BASE}/{task.pk}").status_code == 404
    refused = client.post(
        f"{BASE}/{task.pk}/claim", {"version": task.version}, content_type="application/json"
    )
    assert refused.status_code == 404
    assert refused.json()["error"]["code"] == "not_found"


def test_a_colleague_without_the_role_is_refused_naming_the_role(client, staff):
    task = open_task(start(staff), "market_review")
    colleague = factories.create_official(department=staff.market, role="window_clerk")
    client.force_login(colleague)
    refused = client.post(
        f"{BASE}/{task.pk}/claim", {"version": task.version}, content_type="application/json"
    )
    assert refused.status_code == 403
    assert "审批" in refused.json()["error"]["message"] or "approver" in refused.json()["error"]["message"]


def test_missing_opinion_names_the_field(client, staff):
    task = open_task(start(staff), "market_review")
    client.force_login(staff.market_approver)
    response = client.post(
        f"{BASE}/{task.pk}/act",
        {"action": "market_reject", "version": task.version},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response.json()["error"]["fields"]


def test_counts_per_box(client, staff):
    instance = start(staff)
    start(staff)
    client.force_login(staff.market_approver)
    assert client.get(f"{BASE}/counts").json() == {"mine": 0, "department": 2, "done": 0, "copied": 0}
    task = open_task(instance, "market_review")
    client.post(f"{BASE}/{task.pk}/claim", {"version": task.version}, content_type="application/json")
    assert client.get(f"{BASE}/counts").json() == {"mine": 1, "department": 1, "done": 0, "copied": 0}


def test_list_query_count_does_not_grow_with_tasks(client, staff, django_assert_max_num_queries):
    for _ in range(4):
        start(staff)
    client.force_login(staff.market_approver)
    # session, user and the throttle cache are a fixed cost; the tasks are one query
    with django_assert_max_num_queries(12):
        response = client.get(BASE, {"box": "department"})
    assert response.json()["count"] == 4


def test_bad_box_is_a_422_naming_the_field(client, staff):
    client.force_login(staff.market_approver)
    response = client.get(BASE, {"box": "everything"})
    assert response.status_code == 422
    assert "box" in response.json()["error"]["fields"]


def test_release_gives_the_task_back_to_the_department(client, staff):
    task = open_task(start(staff), "market_review")
    client.force_login(staff.market_approver)
    claimed = client.post(
        f"{BASE}/{task.pk}/claim", {"version": task.version}, content_type="application/json"
    )
    released = client.post(
        f"{BASE}/{task.pk}/release", {"version": claimed.json()["version"]}, content_type="application/json"
    )
    assert released.status_code == 200 and released.json()["status"] == TaskStatus.OPEN
    assert client.get(f"{BASE}/counts").json() == {"mine": 0, "department": 1, "done": 0, "copied": 0}
    assert [h["kind"] for h in released.json()["history"]][-2:] == ["claim", "release"]


def test_filters_by_process_and_clock_status(client, staff):
    start(staff)
    client.force_login(staff.market_approver)
    assert client.get(BASE, {"box": "department", "process": runtime_fixtures.CODE}).json()["count"] == 1
    assert client.get(BASE, {"box": "department", "process": "other.process"}).json()["count"] == 0
    assert client.get(BASE, {"box": "department", "status": "overdue"}).json()["count"] == 0
    assert client.get(BASE, {"box": "department", "status": "normal"}).json()["count"] == 1


def test_a_post_over_the_parent_department_sees_a_child_departments_unclaimed_task(client, staff, city):
    """Scope runs down the tree: the 市场监管局's approver sees the task of its 分局, the 分局's
    approver does not see the parent's."""
    from yiwang.workflow.services.runtime import instance_start

    branch_office = factories.create_department("明湖分局", parent=staff.market, division=city)
    local = factories.create_official(department=branch_office, role="approver", display_name="分局审查员")
    instance = instance_start(
        actor=staff.clerk,
        definition_code=runtime_fixtures.CODE,
        subject=staff.subject_dept,
        department=staff.subject_dept,
        params={"market_department": branch_office.pk, "fire_department": staff.fire.pk},
    )
    child_task = open_task(instance, "market_review")
    parent_task = open_task(start(staff), "market_review")

    parent_view = {row["id"] for row in listing(client, staff.market_approver, "department")["items"]}
    local_view = {row["id"] for row in listing(client, local, "department")["items"]}

    assert {child_task.pk, parent_task.pk} <= parent_view
    assert child_task.pk in local_view and parent_task.pk not in local_view
