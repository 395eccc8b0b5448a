from __future__ import annotations

from datetime import date

import pytest

from yiwang.core.workcal import selectors

pytestmark = pytest.mark.django_db


def test_missing_years_are_this_and_next_year_without_data():
    assert selectors.missing_years(around=date(2026, 11, 22)) == [2027]
    assert selectors.missing_years(around=date(2027, 3, 1)) == [2027, 2028]
    assert selectors.missing_years(around=date(2025, 3, 1)) == []


def test_calendar_month_lays_out_october_2026_from_monday(django_assert_num_queries):
    with django_assert_num_queries(1):
        month = selectors.calendar_month(year=2026, month=10)
    first_week = month.weeks[0]
    assert first_week[:3] == [None, None, None]  # 2026-10-01 is a Thursday
    assert first_week[3].date == date(2026, 10, 1) and first_week[3].kind == "holiday"
    assert first_week[3].name == "国庆节" and not first_week[3].is_working
    saturday_10 = month.weeks[1][5]
    assert saturday_10.date == date(2026, 10, 10) and saturday_10.kind == "workday" and saturday_10.is_working
    plain_sunday = month.weeks[1][6]
    assert plain_sunday.date == date(2026, 10, 11) and plain_sunday.kind == "" and not plain_sunday.is_working


def test_calendar_year_months_reads_the_year_once(django_assert_num_queries):
    with django_assert_num_queries(1):
        months = selectors.calendar_year_months(year=2026)
    assert [m.month for m in months] == list(range(1, 13))
