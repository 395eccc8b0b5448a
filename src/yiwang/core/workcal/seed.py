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
