"""/api/v1/calendar: reads, deadline arithmetic, administrator edits, and the error envelope."""

from __future__ import annotations

import pytest

from yiwang.core.audit.models import AuditRecord
from yiwang.core.workcal.models import CalendarDay

pytestmark = pytest.mark.django_db

BASE = "/api/v1/calendar"


def post(client, path, body):
    return client.post(f"{BASE}{path}", body, content_type="application/json")


def put(client, path, body):
    return client.put(f"{BASE}{path}", body, content_type="application/json")


@pytest.fixture
def signed_in(client, official):
    client.force_login(official)
    return client


@pytest.fixture
def admin_client(client, sys_admin):
    client.force_login(sys_admin)
    return client


def test_years_lists_known_years_and_warns_of_next_year(signed_in, late_2026):
    body = signed_in.get(f"{BASE}/years").json()
    assert [y["year"] for y in body["known"]] == list(range(2004, 2027))
    assert body["missing"] == [2027]


def test_year_lists_its_holidays_and_adjusted_days(signed_in, django_assert_max_num_queries):
    # session, user, the throttle's cache rows (database cache), then one query for the year
    # and one for its days: constant, whatever the number of days.
    with django_assert_max_num_queries(10):
        response = signed_in.get(f"{BASE}/2026")
    body = response.json()
    assert body["known"] is True and body["source"] == "chinese-calendar 1.11.0"
    days = {d["date"]: (d["kind"], d["name"]) for d in body["days"]}
    assert len(days) == 39
    assert days["2026-10-01"] == ("holiday", "国庆节")
    assert days["2026-02-14"] == ("workday", "春节")
    assert body["days"][0]["kind_label"] == "法定节假日（休）"


def test_unknown_year_answers_with_no_days(signed_in):
    body = signed_in.get(f"{BASE}/2027").json()
    assert body == {"year": 2027, "known": False, "source": "", "days": []}


def test_deadline_in_working_days_across_national_day(signed_in):
    response = post(
        signed_in, "/deadline", {"start": "2026-09-30T10:00:00+08:00", "amount": 3, "unit": "working_days"}
    )
    assert response.status_code == 200
    assert response.json() == {"due": "2026-10-10T23:59:59+08:00", "unit": "working_days"}


def test_deadline_start_without_offset_is_local_time(signed_in):
    response = post(
        signed_in, "/deadline", {"start": "2026-03-10T11:00:00", "amount": 2, "unit": "working_hours"}
    )
    assert response.json()["due"] == "2026-03-10T14:30:00+08:00"


def test_deadline_in_natural_days_moves_off_a_holiday(signed_in):
    response = post(
        signed_in, "/deadline", {"start": "2026-09-24T10:00:00+08:00", "amount": 7, "unit": "natural_days"}
    )
    assert response.json()["due"] == "2026-10-08T23:59:59+08:00"


def test_elapsed_working_hours_across_a_weekend(signed_in):
    body = {"start": "2026-03-13T16:30:00+08:00", "end": "2026-03-16T11:00:00+08:00", "unit": "working_hours"}
    assert post(signed_in, "/elapsed", body).json() == {"amount": 3.0, "unit": "working_hours"}


def test_elapsed_working_days(signed_in):
    body = {"start": "2026-09-30T10:00:00+08:00", "end": "2026-10-11T09:00:00+08:00", "unit": "working_days"}
    assert post(signed_in, "/elapsed", body).json()["amount"] == 3


def test_deadline_into_2027_is_the_calendar_year_missing_envelope(signed_in):
    response = post(
        signed_in, "/deadline", {"start": "2026-12-28T10:00:00+08:00", "amount": 5, "unit": "working_days"}
    )
    assert response.status_code == 409
    assert response.json() == {
        "error": {
            "code": "calendar_year_missing",
            "message": "2027年的节假日数据尚未录入，无法计算期限",
            "fields": {},
        }
    }


@pytest.mark.parametrize(
    "body, field, message",
    [
        ({"start": "2026-03-10T09:00:00+08:00", "amount": 1, "unit": "weeks"}, "unit", "时间单位应为"),
        ({"start": "not a time", "amount": 1, "unit": "working_days"}, "start", "时间格式应为 ISO 8601"),
        (
            {"start": "2026-03-10T09:00:00+08:00", "amount": 1.5, "unit": "working_days"},
            "amount",
            "按日计算的期限数量应为整数",
        ),
        (
            {"start": "2026-03-10T09:00:00+08:00", "amount": -1, "unit": "natural_hours"},
            "amount",
            "期限数量应在0至20000之间",
        ),
        (
            {"start": "2026-03-10T09:00:00+08:00", "amount": 99999, "unit": "working_days"},
            "amount",
            "期限数量应在0至3660之间",
        ),
        (
            {"start": "9999-12-31T23:00:00+08:00", "amount": 48, "unit": "natural_hours"},
            "start",
            "开始时间应在2000年至2100年之间",
        ),
        ({"amount": 1, "unit": "working_days"}, "start", "此项为必填项"),
    ],
)
def test_bad_deadline_requests_are_422_naming_the_field(signed_in, body, field, message):
    response = post(signed_in, "/deadline", body)
    assert response.status_code == 422
    assert message in response.json()["error"]["fields"][field]


def test_elapsed_with_end_before_start_is_422(signed_in):
    body = {"start": "2026-03-10T09:00:00+08:00", "end": "2026-03-09T09:00:00+08:00", "unit": "natural_hours"}
    response = post(signed_in, "/elapsed", body)
    assert response.status_code == 422
    assert response.json()["error"]["fields"] == {"end": "结束时间不能早于开始时间"}


def test_admin_sets_and_clears_a_day_through_the_api_and_both_are_audited(admin_client):
    response = put(admin_client, "/days/2026-12-31", {"kind": "holiday", "name": "示范市假日"})
    assert response.status_code == 200
    assert response.json() == {
        "date": "2026-12-31",
        "kind": "holiday",
        "kind_label": "法定节假日（休）",
        "name": "示范市假日",
    }
    assert admin_client.delete(f"{BASE}/days/2026-12-31").status_code == 204
    assert not CalendarDay.objects.filter(date="2026-12-31").exists()
    assert list(AuditRecord.objects.order_by("created_at").values_list("action", flat=True)) == [
        "workcal.day.set",
        "workcal.day.cleared",
    ]


def test_bad_day_input_is_422_with_chinese_field_messages(admin_client):
    response = put(admin_client, "/days/2026-02-30", {"kind": "holiday", "name": "x"})
    assert response.status_code == 422
    assert "date" in response.json()["error"]["fields"]
    response = put(admin_client, "/days/2026-03-10", {"kind": "workday", "name": ""})
    assert response.status_code == 422
    assert response.json()["error"]["fields"] == {"kind": "调休上班日应为周六或周日"}


def test_clearing_a_plain_day_is_404(admin_client):
    assert admin_client.delete(f"{BASE}/days/2026-03-10").status_code == 404


def test_an_official_without_the_permission_gets_403_on_put(signed_in):
    response = put(signed_in, "/days/2026-12-31", {"kind": "holiday", "name": "假日"})
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "permission_denied"
    assert signed_in.delete(f"{BASE}/days/2026-10-01").status_code == 403
    assert CalendarDay.objects.filter(date="2026-10-01").exists()


def test_anonymous_gets_401_on_put_and_on_reads(client):
    response = put(client, "/days/2026-12-31", {"kind": "holiday", "name": "假日"})
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"
    assert client.get(f"{BASE}/2026").status_code == 401
    assert not CalendarDay.objects.filter(date="2026-12-31").exists()


def test_year_outside_the_supported_range_is_422(signed_in):
    response = signed_in.get(f"{BASE}/1900")
    assert response.status_code == 422
    assert "year" in response.json()["error"]["fields"]


def test_a_year_that_is_not_a_number_is_422_not_a_page(signed_in):
    response = signed_in.get(f"{BASE}/RU")
    assert response.status_code == 422
    assert "year" in response.json()["error"]["fields"]
