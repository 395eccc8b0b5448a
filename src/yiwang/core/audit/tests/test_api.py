"""GET /api/v1/audit/records and POST /api/v1/audit/verify."""

import pytest

from yiwang.core.audit.models import AuditRecord
from yiwang.core.audit.tests.helpers import append_only_disabled

URL = "/api/v1/audit/records"


def test_supervisor_lists_records_newest_first(
    client, supervisor, some_records, django_assert_max_num_queries
):
    client.force_login(supervisor)
    with django_assert_max_num_queries(12):
        response = client.get(URL)
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 3
    assert [item["action"] for item in body["items"]] == [
        "orgs.department.created",
        "accounts.user.locked",
        "orgs.department.updated",
    ]
    assert body["items"][1]["changes"] == {"reason": "多次失败"}
    assert body["items"][1]["actor_name"] == "系统管理员"


def test_filters_narrow_the_list(client, supervisor, some_records):
    department, other = some_records
    client.force_login(supervisor)

    def actions(**params):
        response = client.get(URL, params)
        assert response.status_code == 200, response.json()
        return [item["action"] for item in response.json()["items"]]

    assert actions(action="orgs.department.") == ["orgs.department.created", "orgs.department.updated"]
    assert actions(actor_name="系统管理") == ["accounts.user.locked", "orgs.department.updated"]
    assert actions(target_type="orgs.department", target_id=str(other.pk)) == ["orgs.department.created"]
    today = AuditRecord.objects.first().created_at.date().isoformat()
    assert len(actions(since=today, until=today)) == 3
    assert actions(until="2000-01-01") == []
    assert actions(since="2999-01-01T00:00") == []
    assert actions(client_address="192.0.2.1") == []


def test_paging_is_limited_to_200(client, supervisor, some_records):
    client.force_login(supervisor)
    body = client.get(URL, {"limit": 1, "offset": 1}).json()
    assert body["count"] == 3 and [item["action"] for item in body["items"]] == ["accounts.user.locked"]
    assert client.get(URL, {"limit": 201}).status_code == 422


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"since": "2026-13-01"}, "since", "起始时间格式应为"),
        ({"since": "yesterday"}, "since", "起始时间格式应为"),
        ({"until": "2026-02-30"}, "until", "截止时间格式应为"),
        ({"until": "0001-01-01"}, "until", "截止时间应在 1900 至 2999 年之间"),
        ({"since": "2026-11-02", "until": "2026-11-01"}, "until", "截止时间不能早于起始时间"),
        ({"client_address": "999.1.1.1"}, "client_address", "客户端地址应为 IPv4 或 IPv6 地址"),
        ({"target_id": "x" * 65}, "target_id", "对象ID不能超过 64 个字符"),
        # A NUL is refused before or by the filter (the site may strip it earlier); either way a 422.
        ({"action": "a\x00b"}, "action", ""),
    ],
)
def test_malformed_filters_get_a_chinese_422(client, supervisor, params, field, message):
    client.force_login(supervisor)
    response = client.get(URL, params)
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "invalid" and message in error["fields"][field]


def test_window_clerk_is_refused(client, window_clerk, some_records):
    client.force_login(window_clerk)
    response = client.get(URL)
    assert response.status_code == 403 and response.json()["error"]["code"] == "permission_denied"
    assert client.post("/api/v1/audit/verify").status_code == 403


def test_anonymous_gets_401(client, some_records):
    assert client.get(URL).status_code == 401
    assert client.post("/api/v1/audit/verify").status_code == 401


def test_verify_reports_intact_then_the_altered_record(client, supervisor, some_records):
    client.force_login(supervisor)
    body = client.post("/api/v1/audit/verify").json()
    assert body == {"intact": True, "chains": 1, "records": 3, "problems": []}
    altered = AuditRecord.objects.order_by("id")[1]
    with append_only_disabled():
        AuditRecord.objects.filter(pk=altered.pk).update(target_repr="别的对象")
    body = client.post("/api/v1/audit/verify").json()
    assert body["intact"] is False
    assert body["problems"] == [
        {
            "chain": altered.chain,
            "seq": altered.seq,
            "record_id": altered.pk,
            "kind": "altered",
            "kind_label": "记录被篡改",
            "detail": body["problems"][0]["detail"],
        }
    ]
    assert f"记录 ID {altered.pk}" in body["problems"][0]["detail"]


def test_the_endpoints_are_described_in_openapi(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert "get" in paths["/api/v1/audit/records"] and "post" in paths["/api/v1/audit/verify"]
