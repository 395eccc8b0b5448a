"""The API shell: one error envelope for every status, throttling, docs, bearer and session auth."""

import pytest

from yiwang.config.api import ANON_THROTTLE, USER_THROTTLE
from yiwang.core.tests import factories

pytestmark = pytest.mark.django_db


def _error(response) -> dict:
    body = response.json()
    assert set(body) == {"error"}
    return body["error"]


def test_openapi_and_interactive_docs_are_served(client):
    assert client.get("/api/v1/openapi.json").json()["info"]["title"].startswith("yiwang")
    assert client.get("/api/v1/docs").status_code == 200


def test_signed_out_call_is_a_chinese_401_envelope(client):
    response = client.get("/api/v1/me")
    assert response.status_code == 401
    assert _error(response) == {
        "code": "not_authenticated",
        "message": "请先登录或提供有效的API令牌",
        "fields": {},
    }


def test_unknown_object_is_a_404_envelope(client, sys_admin):
    client.force_login(sys_admin)
    response = client.get("/api/v1/orgs/departments/987654321")
    assert response.status_code == 404
    assert _error(response)["code"] == "not_found"


def test_broken_json_is_a_400_envelope(client):
    response = client.post("/api/v1/auth/register", "{not json", content_type="application/json")
    assert response.status_code == 400
    assert _error(response)["message"] == "请求格式错误"


def test_anonymous_calls_are_limited_per_address_with_retry_after(client, monkeypatch):
    monkeypatch.setattr(ANON_THROTTLE, "num_requests", 3)
    statuses = [
        client.post("/api/v1/auth/register", {}, content_type="application/json").status_code
        for _ in range(4)
    ]
    assert statuses[:3] == [422, 422, 422]
    assert statuses[3] == 429
    response = client.post("/api/v1/auth/register", {}, content_type="application/json")
    assert _error(response)["code"] == "rate_limited"
    assert int(response["Retry-After"]) > 0


def test_another_address_is_not_limited_by_the_first(client, monkeypatch):
    monkeypatch.setattr(ANON_THROTTLE, "num_requests", 1)
    client.post("/api/v1/auth/register", {}, content_type="application/json", REMOTE_ADDR="10.0.0.1")
    blocked = client.post(
        "/api/v1/auth/register", {}, content_type="application/json", REMOTE_ADDR="10.0.0.1"
    )
    other = client.post("/api/v1/auth/register", {}, content_type="application/json", REMOTE_ADDR="10.0.0.2")
    assert (blocked.status_code, other.status_code) == (429, 422)


def test_a_forged_forwarded_for_header_does_not_dodge_the_limit(client, monkeypatch):
    monkeypatch.setattr(ANON_THROTTLE, "num_requests", 1)
    client.post("/api/v1/auth/register", {}, content_type="application/json", HTTP_X_FORWARDED_FOR="1.1.1.1")
    again = client.post(
        "/api/v1/auth/register", {}, content_type="application/json", HTTP_X_FORWARDED_FOR="2.2.2.2"
    )
    assert again.status_code == 429


def test_signed_in_users_have_their_own_buckets_even_with_the_same_name(client, monkeypatch):
    monkeypatch.setattr(USER_THROTTLE, "num_requests", 2)
    first = factories.create_citizen(display_name="张伟")
    second = factories.create_citizen(display_name="张伟")
    client.force_login(first)
    assert [client.get("/api/v1/me").status_code for _ in range(3)] == [200, 200, 429]
    client.force_login(second)
    assert client.get("/api/v1/me").status_code == 200


def test_bearer_token_works_without_a_session_and_csrf(client, citizen):
    from yiwang.core.accounts.services.tokens import api_token_create

    _, secret = api_token_create(actor=citizen, name="集成", days=30)
    response = client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert response.status_code == 200
    assert response.json()["username"] == citizen.username
    assert client.get("/api/v1/me", HTTP_AUTHORIZATION="Bearer yw_not-a-token").status_code == 401


def test_session_writes_need_the_csrf_token(citizen):
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    browser.force_login(citizen)
    response = browser.post("/api/v1/me/tokens", {"name": "x", "days": 1}, content_type="application/json")
    assert response.status_code == 403
    assert _error(response)["code"] == "permission_denied"


def test_list_limit_above_200_is_refused(client, sys_admin):
    client.force_login(sys_admin)
    response = client.get("/api/v1/orgs/departments?limit=201")
    assert response.status_code == 422
    assert "limit" in _error(response)["fields"]


def test_an_offset_beyond_any_list_is_refused_not_a_database_overflow(client, sys_admin):
    client.force_login(sys_admin)
    response = client.get("/api/v1/roles?offset=9223372036854775808")
    assert response.status_code == 422
    assert "offset" in _error(response)["fields"]
    assert client.get("/api/v1/roles?offset=10000000").status_code == 200
