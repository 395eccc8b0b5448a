"""The figures page and its CSV (UTF-8 with BOM, parses back; text is never a formula)."""

from __future__ import annotations

import csv
import io
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.urls import reverse

from yiwang.services.tests.factories import completed_application, food_item

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")
MARCH = {"date_from": "2026-03-01", "date_to": "2026-03-31"}


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def city(service_city):
    food = food_item(service_city)
    for day, due in ((10, 12), (20, 15)):
        completed_application(
            service_city,
            food,
            service_city.enterprise,
            submitted_at=datetime(2026, 3, 2, 10, tzinfo=SHANGHAI),
            decided_at=datetime(2026, 3, day, 10, tzinfo=SHANGHAI),
            due_at=datetime(2026, 3, due, 23, tzinfo=SHANGHAI),
            working_days_used=day / 2,
            promised_working_days=10,
        )
    return service_city


def test_the_page_shows_the_figures_for_the_period(city):
    page = signed_in(city.supervisor).get(reverse("services:figures"), MARCH)
    assert page.status_code == 200
    html = page.content.decode()
    for text in (
        "网上可办率",
        "100.0%",
        "按时办结率",
        "50.0%",
        "承诺时限压缩比",
        "7.5",
        "统计期间：2026-03-01 至 2026-03-31",
    ):
        assert text in html
    bad = signed_in(city.supervisor).get(
        reverse("services:figures"), {"date_from": "2026-04-01", "date_to": "2026-03-01"}
    )
    assert bad.status_code == 400 and "截止日期不能早于起始日期" in bad.content.decode()
    garbage = signed_in(city.supervisor).get(
        reverse("services:figures"), {"date_from": "x", "department": "abc"}
    )
    assert garbage.status_code == 400


def test_only_officials_with_the_right_see_it(city):
    url = reverse("services:figures")
    assert signed_in(city.market_admin).get(url).status_code == 403
    assert signed_in(city.citizen).get(url).status_code == 404
    assert signed_in(city.service_manager).get(url).status_code == 200
    assert signed_in(city.market_admin).get(reverse("services:figures_csv")).status_code == 403


def test_the_csv_parses_back_and_never_carries_a_formula(city):
    city.market.name = '=HYPERLINK("http://evil")'
    city.market.save(update_fields=["name"])
    response = signed_in(city.supervisor).get(
        reverse("services:figures_csv"), {**MARCH, "department": city.market.pk}
    )
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    assert response.content.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    table = dict(rows[1:])
    assert rows[0] == ["指标", "数值"]
    assert table["统计期间"] == "2026-03-01 至 2026-03-31"
    assert table["统计范围"] == '\'=HYPERLINK("http://evil")'
    assert (table["网上可办率"], table["按时办结率"], table["办结件数"]) == ("100.0%", "50.0%", "2")
    assert (table["平均实际用时（工作日）"], table["承诺时限压缩比"], table["平均分"]) == ("7.5", "50.0%", "")
