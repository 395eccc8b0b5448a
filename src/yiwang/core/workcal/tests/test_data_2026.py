"""The seeded 2026 calendar, checked date by date against the State Council's 2026 notice as
carried by chinese-calendar 1.11.0 (STANDARDS.md §2). A wrong count or a shifted day fails."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from yiwang.core.workcal.models import CalendarDay, CalendarYear, DayKind


def _span(first: date, last: date) -> list[date]:
    return [first + timedelta(days=i) for i in range((last - first).days + 1)]


HOLIDAYS_2026 = {
    "元旦": _span(date(2026, 1, 1), date(2026, 1, 3)),
    "春节": _span(date(2026, 2, 15), date(2026, 2, 23)),
    "清明": _span(date(2026, 4, 4), date(2026, 4, 6)),
    "劳动节": _span(date(2026, 5, 1), date(2026, 5, 5)),
    "端午": _span(date(2026, 6, 19), date(2026, 6, 21)),
    "中秋": _span(date(2026, 9, 25), date(2026, 9, 27)),
    "国庆节": _span(date(2026, 10, 1), date(2026, 10, 7)),
}
WORKDAYS_2026 = {
    date(2026, 1, 4): "元旦",  # Sunday
    date(2026, 2, 14): "春节",  # Saturday
    date(2026, 2, 28): "春节",  # Saturday
    date(2026, 5, 9): "劳动节",  # Saturday
    date(2026, 9, 20): "国庆节",  # Sunday
    date(2026, 10, 10): "国庆节",  # Saturday
}


@pytest.mark.django_db
def test_2026_holidays_are_seeded_with_their_chinese_names():
    rows = CalendarDay.objects.filter(date__year=2026, kind=DayKind.HOLIDAY)
    seeded: dict[str, list[date]] = {}
    for row in rows.order_by("date"):
        seeded.setdefault(row.name, []).append(row.date)
    assert seeded == HOLIDAYS_2026
    assert len(seeded["春节"]) == 9 and len(seeded["国庆节"]) == 7 and len(seeded["劳动节"]) == 5


@pytest.mark.django_db
def test_2026_adjusted_working_weekends_are_seeded():
    rows = CalendarDay.objects.filter(date__year=2026, kind=DayKind.WORKDAY)
    assert {row.date: row.name for row in rows} == WORKDAYS_2026
    assert all(day.weekday() >= 5 for day in WORKDAYS_2026)


@pytest.mark.django_db
def test_years_2004_to_2026_are_known_from_the_package_and_2027_is_not():
    years = dict(CalendarYear.objects.values_list("year", "source"))
    assert sorted(years) == list(range(2004, 2027))
    assert set(years.values()) == {"chinese-calendar 1.11.0"}


@pytest.mark.django_db
def test_2025_spring_festival_break_includes_the_new_fourth_statutory_day():
    # 国务院令第798号 (from 2025): 春节 4 days; the 2025 break ran 1-28 to 2-4 with 调休 on 1-26 and 2-8.
    spring = CalendarDay.objects.filter(date__year=2025, name="春节")
    assert [d.date for d in spring.filter(kind=DayKind.HOLIDAY)] == _span(date(2025, 1, 28), date(2025, 2, 4))
    assert [d.date for d in spring.filter(kind=DayKind.WORKDAY)] == [date(2025, 1, 26), date(2025, 2, 8)]
