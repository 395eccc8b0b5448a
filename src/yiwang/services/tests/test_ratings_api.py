"""/api/v1/services 好差评 and figures end to end: ratings, the public summary, rectifications
with their actions, and the figures — with the refusals a client meets."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from yiwang.services.models import Rating, RectificationStatus
from yiwang.services.rating_tokens import make_token
from yiwang.services.tests.factories import completed_application, food_item

pytestmark = pytest.mark.django_db
BASE = "/api/v1/services"
ONES = dict.fromkeys(("overall", "efficiency", "guide_accuracy", "convenience", "usability"), 1)
FIVES = dict.fromkeys(ONES, 5)


def send(client, path: str, data):
    body = data if isinstance(data, str) else json.dumps(data, ensure_ascii=False)
    return client.post(BASE + path, body, content_type="application/json")


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def completed(service_city):
    return completed_application(service_city, food_item(service_city), service_city.enterprise)


def test_rate_then_rectify_respond_and_revisit_through_the_api(service_city, completed):
    city = service_city
    body = {"level": 1, "indicators": ONES, "comment": "材料清单和实际要求不一致"}
    rated = send(signed_in(city.enterprise), f"/applications/{completed.pk}/rating", body)
    assert rated.status_code == 201, rated.json()
    rectification_id = rated.json()["rectification_id"]
    assert rated.json()["level_label"] == "非常不满意" and rectification_id
    again = send(signed_in(city.agent), f"/applications/{completed.pk}/rating", {**body, "level": 5})
    assert again.status_code == 409 and again.json()["error"]["message"] == "该办件已评价，每件只能评价一次"

    approver = signed_in(city.market_approver)
    listed = approver.get(f"{BASE}/rectifications").json()
    assert [r["id"] for r in listed["items"]] == [rectification_id]
    assert listed["items"][0]["comment"] == body["comment"] and listed["items"][0]["due_at"]
    fire = send(signed_in(city.fire_approver), f"/rectifications/{rectification_id}/respond", {"text": "x"})
    assert fire.status_code == 404
    responded = send(approver, f"/rectifications/{rectification_id}/respond", {"text": "已更新办事指南"})
    assert responded.status_code == 200 and responded.json()["status"] == RectificationStatus.REVISITING
    revisited = send(
        signed_in(city.service_manager),
        f"/rectifications/{rectification_id}/revisit",
        {"satisfied": False, "note": "评价人认为仍不清楚"},
    )
    assert revisited.json()["status"] == RectificationStatus.OPEN
    assert revisited.json()["revisit_result"] == "unsatisfied"
    appealed = send(approver, f"/rectifications/{rectification_id}/appeal", {"reason": "指南已按规定公开"})
    assert appealed.json()["status"] == RectificationStatus.APPEALING
    reviewed = send(
        signed_in(city.service_manager),
        f"/rectifications/{rectification_id}/review-appeal",
        {"upheld": True, "opinion": "申诉成立"},
    )
    assert reviewed.json()["status"] == RectificationStatus.REVOKED


def test_refusals_come_in_the_envelope(service_city, completed):
    city = service_city
    path = f"/applications/{completed.pk}/rating"
    assert send(Client(), path, {"level": 5, "indicators": FIVES}).status_code == 401
    assert send(signed_in(city.other_citizen), path, {"level": 5, "indicators": FIVES}).status_code == 404
    wrong = send(signed_in(city.enterprise), path, {"level": "abc", "indicators": [1, 2], "comment": ""})
    assert wrong.status_code == 422
    assert wrong.json()["error"]["fields"] == {
        "level": "请为总体评价选择1至5分",
        "indicators": "分项评价格式有误",
    }
    assert send(signed_in(city.enterprise), path, "{not json").status_code in (400, 422)
    assert send(signed_in(city.enterprise), "/applications/99999999999999999999/rating", {}).status_code in (
        404,
        422,
    )
    assert not Rating.objects.exists()


def test_window_rating_needs_no_sign_in_and_a_bad_token_is_named(service_city, completed):
    token = make_token(completed)
    rated = send(Client(), "/ratings/window", {"token": token, "level": 4, "comment": ""})
    assert rated.status_code == 201 and set(rated.json()) == {"id", "level", "level_label", "created_at"}
    tampered = send(Client(), "/ratings/window", {"token": token + "x", "level": 4})
    assert tampered.status_code == 422 and "二维码无效" in tampered.json()["error"]["fields"]["token"]
    assert send(Client(), "/ratings/window", {"token": token, "level": 5}).status_code == 409


def test_the_public_summary_and_the_office_summary(service_city, completed):
    city = service_city
    send(
        signed_in(city.enterprise),
        f"/applications/{completed.pk}/rating",
        {"level": 2, "indicators": ONES, "comment": "等了太久太久"},
    )
    public = Client().get(f"{BASE}/ratings/summary", {"by": "item"})
    assert public.status_code == 200
    [row] = public.json()["items"]
    assert row == {
        "id": completed.item_id,
        "name": "食品经营许可",
        "count": 1,
        "average": 2.0,
        "good_rate": 0.0,
        "bad_count": 1,
        "rectified_rate": 0.0,
    }
    assert Client().get(f"{BASE}/ratings/summary", {"by": "people"}).status_code == 422
    office = signed_in(city.supervisor).get(f"{BASE}/office/ratings", {"by": "department"})
    assert office.status_code == 200 and office.json()["items"][0]["revisit_rate"] == 0.0
    assert signed_in(city.citizen).get(f"{BASE}/office/ratings").status_code == 403
    assert (
        signed_in(city.supervisor).get(f"{BASE}/office/ratings", {"date_from": "2026-02-30"}).status_code
        == 422
    )


def test_figures_through_the_api(service_city, completed):
    city = service_city
    found = signed_in(city.supervisor).get(f"{BASE}/figures", {"from": "2026-01-01", "to": "2026-12-31"})
    assert found.status_code == 200, found.json()
    body = found.json()
    assert body["period"] == {"from": "2026-01-01", "to": "2026-12-31"}
    assert (body["items"], body["online_rate"], body["department"]) == (1, 1.0, "")
    assert signed_in(city.market_admin).get(f"{BASE}/figures").status_code == 403
    assert signed_in(city.supervisor).get(f"{BASE}/figures", {"from": "2026-13-01"}).status_code == 422
    outside = signed_in(city.supervisor).get(f"{BASE}/figures", {"department": 99999})
    assert outside.status_code == 404
