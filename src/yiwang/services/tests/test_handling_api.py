"""The officials' application API: the inbox (bounded queries), one application, actions,
and the refusals in the one error envelope."""

from __future__ import annotations

import pytest

from yiwang.services.models import ApplicationStatus, Outcome
from yiwang.services.services.handling import application_accept, application_pre_review_pass
from yiwang.services.tests.factories import food_item, joint_item, submitted_application

pytestmark = pytest.mark.django_db
BASE = "/api/v1/services/office/applications"


def post(client, url, body):
    return client.post(url, body, content_type="application/json")


def test_the_inbox_reads_in_a_fixed_number_of_queries(client, service_city, django_assert_max_num_queries):
    city = service_city
    item = food_item(city)
    for _ in range(3):
        submitted_application(city, item, city.enterprise)
    client.force_login(city.clerk)
    client.get(BASE)  # warm the per-process caches (definitions, calendar)
    # 8 are the request's (session, user, throttle cache); the inbox's own: posts, departments,
    # the page's tasks (one ordered query per box), their applications, and the capped counts
    # (one per box and kind) — the same for 3 rows or 10.
    bound = 19
    with django_assert_max_num_queries(bound):
        body = client.get(BASE, {"box": "intake"}).json()
    assert len(body["items"]) == 3 and body["counts"]["intake"] == 3
    for _ in range(7):
        submitted_application(city, item, city.enterprise)
    with django_assert_max_num_queries(bound):
        body = client.get(BASE, {"box": "intake"}).json()
    assert len(body["items"]) == 10
    with django_assert_max_num_queries(bound):
        everything = client.get(BASE, {"box": "all", "per_page": 4}).json()
    assert len(everything["items"]) == 4 and everything["has_next"] is True
    row = everything["items"][0]
    assert row["step"] == "预审" and row["task_due_at"] and row["clock_status"] == "normal"
    assert row["applicant_name"] == "示范餐饮有限公司"


def test_a_bad_box_or_page_is_a_422_not_a_500(client, service_city):
    client.force_login(service_city.clerk)
    assert client.get(BASE, {"box": "nope"}).status_code == 422
    assert client.get(BASE, {"page": "0"}).status_code == 422
    assert client.get(BASE + "/abc").status_code == 404


def test_the_whole_commitment_path_through_the_api(client, service_city):
    city = service_city
    application = submitted_application(city, food_item(city), city.enterprise)
    url = f"{BASE}/{application.pk}"
    client.force_login(city.clerk)
    assert post(client, url + "/pre-review", {"opinion": "齐全"}).status_code == 200
    accepted = post(client, url + "/accept", {})
    assert accepted.status_code == 200, accepted.json()
    assert accepted.json()["status"] == ApplicationStatus.ACCEPTED and accepted.json()["receipt_url"]
    client.force_login(city.market_approver)
    assert post(client, url + "/review", {"agree": True, "opinion": "符合"}).status_code == 200
    refused = post(client, url + "/decide", {"approve": False, "opinion": "不予"})
    assert refused.status_code == 422 and refused.json()["error"]["fields"] == {"reason": "请填写理由"}
    decided = post(client, url + "/decide", {"approve": True, "opinion": "准予"})
    assert decided.status_code == 200
    assert decided.json()["outcome"] == Outcome.APPROVED and decided.json()["license_identifier"]


def test_refusals_come_in_the_envelope(client, service_city):
    city = service_city
    application = submitted_application(city, food_item(city), city.enterprise)
    url = f"{BASE}/{application.pk}"
    client.force_login(city.fire_approver)
    hidden = client.get(url)
    assert hidden.status_code == 404 and hidden.json()["error"]["code"] == "not_found"
    client.force_login(city.clerk)
    early = post(client, url + "/accept", {})
    assert early.status_code == 409 and "预审" in early.json()["error"]["message"]
    application_pre_review_pass(actor=city.clerk, application=application)
    client.force_login(city.market_approver)
    denied = post(client, url + "/accept", {})
    assert denied.status_code == 403 and "窗口人员" in denied.json()["error"]["message"]
    client.force_login(city.clerk)
    bad = post(client, url + "/correction", {"items": [{"code": "site_plan", "problem": ""}]})
    assert bad.status_code == 422
    assert bad.json()["error"]["fields"] == {"items.site_plan": "经营场所平面图：请写明需要补正的内容"}
    malformed = post(client, url + "/correction", {"items": "everything"})
    assert malformed.status_code == 422
    client.force_login(city.citizen)
    assert client.get(url).status_code == 404


def test_the_joint_department_sees_and_reviews_its_branch(client, service_city):
    city = service_city
    application = submitted_application(city, joint_item(city), city.enterprise)
    application_pre_review_pass(actor=city.clerk, application=application)
    application_accept(actor=city.clerk, application=application)
    client.force_login(city.fire_approver)
    inbox = client.get(BASE, {"box": "review"}).json()
    assert [row["id"] for row in inbox["items"]] == [application.pk]
    assert inbox["items"][0]["step"] == "协办部门审查"
    detail = client.get(f"{BASE}/{application.pk}").json()
    assert detail["actions"]["review"] is True and detail["actions"]["decide"] is False
    reviewed = post(client, f"{BASE}/{application.pk}/review", {"agree": False, "opinion": "消防通道不达标"})
    assert reviewed.status_code == 200
    assert [s["state"] for s in reviewed.json()["steps"]] == ["lead_review"]


def test_box_counts_stop_at_the_cap_and_the_page_says_99_plus(client, service_city, monkeypatch):
    from yiwang.services import selectors_handling

    city = service_city
    item = food_item(city)
    for _ in range(3):
        submitted_application(city, item, city.enterprise)
    monkeypatch.setattr(selectors_handling, "COUNT_CAP", 2)
    client.force_login(city.clerk)
    assert client.get(BASE).json()["counts"]["intake"] == 2
