"""/workbench/calendar/: the year month by month for officials; a set/clear form for admins."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from yiwang.core.audit.models import AuditRecord
from yiwang.core.workcal.models import CalendarDay

pytestmark = pytest.mark.django_db

URL_2026 = reverse("workcal:year", args=[2026])


def cell(html: str, day: str) -> str:
    match = re.search(rf'<td class="([^"]*)"[^>]*>\s*<time datetime="{day}">', html)
    assert match, f"no cell for {day}"
    return match.group(1)


def test_an_official_sees_holidays_and_adjusted_days_marked(client, official, django_assert_max_num_queries):
    client.force_login(official)
    with django_assert_max_num_queries(8):
        response = client.get(URL_2026)
    html = response.content.decode()
    assert response.status_code == 200
    assert "2026年工作日历" in html and "数据来源：chinese-calendar 1.11.0" in html
    assert cell(html, "2026-10-01") == "holiday rest"
    assert cell(html, "2026-10-10") == "workday"  # 调休 Saturday
    assert cell(html, "2026-10-11") == " rest"  # plain Sunday
    assert cell(html, "2026-10-12") == ""
    assert "休 国庆节" in html and "班 春节" in html
    assert "设置或清除某日" not in html  # no form for a non-administrator


def test_the_default_page_is_this_year(client, official, late_2026):
    client.force_login(official)
    assert "2026年工作日历" in client.get(reverse("workcal:year")).content.decode()


def test_a_year_without_data_says_so(client, official):
    client.force_login(official)
    html = client.get(reverse("workcal:year", args=[2027])).content.decode()
    assert "2027年的节假日数据尚未录入，无法计算期限" in html


def test_anonymous_is_sent_to_login(client):
    response = client.get(URL_2026)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("web:login"))


def test_a_citizen_is_refused(client, citizen):
    client.force_login(citizen)
    assert client.get(URL_2026).status_code == 403


def test_an_admin_sets_a_day_through_the_form(client, sys_admin):
    client.force_login(sys_admin)
    assert "设置或清除某日" in client.get(URL_2026).content.decode()
    response = client.post(
        URL_2026, {"date": "2026-12-31", "kind": "holiday", "name": "示范市假日", "action": "set"}
    )
    assert response.status_code == 302
    assert CalendarDay.objects.get(date="2026-12-31").name == "示范市假日"
    assert AuditRecord.objects.filter(action="workcal.day.set", actor_id=sys_admin.pk).count() == 1
    page = client.get(response["Location"]).content.decode()
    assert cell(page, "2026-12-31") == "holiday rest"


def test_an_admin_clears_a_day_through_the_form(client, sys_admin):
    client.force_login(sys_admin)
    response = client.post(URL_2026, {"date": "2026-10-10", "action": "clear"})
    assert response.status_code == 302
    assert not CalendarDay.objects.filter(date="2026-10-10").exists()


def test_form_errors_are_shown_in_chinese_beside_the_field(client, sys_admin):
    client.force_login(sys_admin)
    response = client.post(URL_2026, {"date": "2026-03-10", "kind": "workday", "name": "", "action": "set"})
    html = response.content.decode()
    assert response.status_code == 422
    assert '<p class="field-error" id="kind-error">调休上班日应为周六或周日</p>' in html
    response = client.post(URL_2026, {"date": "2026-02-30", "kind": "holiday", "name": "x", "action": "set"})
    assert '<p class="field-error" id="date-error">日期格式应为 YYYY-MM-DD</p>' in response.content.decode()
    response = client.post(URL_2026, {"date": "2026-03-10", "action": "clear"})
    assert "没有设置节假日或调休" in response.content.decode()
    assert not AuditRecord.objects.exists()


def test_a_non_admin_official_cannot_post(client, official):
    client.force_login(official)
    response = client.post(
        URL_2026, {"date": "2026-12-31", "kind": "holiday", "name": "假日", "action": "set"}
    )
    assert response.status_code == 403
    assert not CalendarDay.objects.filter(date="2026-12-31").exists()
