"""Holidays and 调休 working days from the `chinese-calendar` package (STANDARDS.md §2).

The package covers 2004–2026 (version 1.11.0). Its `holidays` map includes weekend days inside
a holiday break; we keep them, so the calendar page shows the whole break with its name.
"""

from __future__ import annotations

from datetime import date
from importlib.metadata import version

from yiwang.core.workcal.models import DayKind


def package_source() -> str:
    return f"chinese-calendar {version('chinese-calendar')}"


def package_years() -> list[int]:
    from chinese_calendar import constants

    return sorted({day.year for day in constants.holidays})


def package_days(year: int) -> list[tuple[date, str, str]]:
    """(date, kind, Chinese name) for one year, in date order; empty if the package lacks it."""
    from chinese_calendar import constants

    rows = [
        (day, DayKind.HOLIDAY.value, constants.Holiday(english).chinese)
        for day, english in constants.holidays.items()
        if day.year == year
    ]
    rows += [
        (day, DayKind.WORKDAY.value, constants.Holiday(english).chinese)
        for day, english in constants.workdays.items()
        if day.year == year
    ]
    return sorted(rows)


def seed_if_empty(sender=None, using="default", **kwargs) -> None:
    """post_migrate: a database with no calendar year at all gets the package's years.

    The 0002 migration seeds a new database; this covers a database emptied afterwards
    (`flush`, and the test runner's flush between transactional tests), the same way the
    built-in roles are re-created. A city that has entered its own data is never touched:
    only a calendar with no year at all is filled.
    """
    from yiwang.core.workcal.models import CalendarDay, CalendarYear

    if sender is not None and sender.label != "workcal":
        return
    if CalendarYear.objects.using(using).exists():
        return
    source = package_source()
    days, years = [], []
    for year in package_years():
        years.append(CalendarYear(year=year, source=source))
        days += [CalendarDay(date=day, kind=kind, name=name) for day, kind, name in package_days(year)]
    CalendarDay.objects.using(using).bulk_create(days, batch_size=500, ignore_conflicts=True)
    CalendarYear.objects.using(using).bulk_create(years, ignore_conflicts=True)
