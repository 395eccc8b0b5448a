"""Reads of the working-day calendar. The calendar is public information: no scope applies."""

from __future__ import annotations

import calendar as pycalendar
from dataclasses import dataclass
from datetime import date

from django.utils import timezone

from yiwang.core.workcal.models import CalendarDay, CalendarYear, DayKind


@dataclass(frozen=True)
class DayCell:
    date: date
    kind: str  # "holiday", "workday" (调休上班) or "" (the plain weekday/weekend rule)
    name: str

    @property
    def is_weekend(self) -> bool:
        return self.date.weekday() >= 5

    @property
    def is_working(self) -> bool:
        if self.kind:
            return self.kind == DayKind.WORKDAY
        return not self.is_weekend


@dataclass(frozen=True)
class Month:
    year: int
    month: int
    weeks: list[list[DayCell | None]]  # Monday first; None pads days of other months


def calendar_year_days(*, year: int) -> list[CalendarDay]:
    """The year's exception days (holidays and 调休 working days), in date order."""
    return list(CalendarDay.objects.filter(date__year=year).order_by("date"))


def calendar_year_known(*, year: int) -> CalendarYear | None:
    return CalendarYear.objects.filter(year=year).first()


def known_years() -> list[CalendarYear]:
    return list(CalendarYear.objects.order_by("year"))


def missing_years(*, around: date | None = None) -> list[int]:
    """Years among (this year, next year) with no calendar data: the admin home warns of them."""
    today = around or timezone.localdate()
    wanted = [today.year, today.year + 1]
    known = set(CalendarYear.objects.filter(year__in=wanted).values_list("year", flat=True))
    return [year for year in wanted if year not in known]


def _month(year: int, month: int, exceptions: dict[date, CalendarDay]) -> Month:
    weeks = []
    for week in pycalendar.Calendar(firstweekday=0).monthdatescalendar(year, month):
        row: list[DayCell | None] = []
        for day in week:
            entry = exceptions.get(day)
            row.append(
                None
                if day.month != month
                else DayCell(date=day, kind=entry.kind if entry else "", name=entry.name if entry else "")
            )
        weeks.append(row)
    return Month(year=year, month=month, weeks=weeks)


def calendar_month(*, year: int, month: int) -> Month:
    """One month as weeks of day cells, with holidays and 调休 days marked (one query)."""
    rows = CalendarDay.objects.filter(date__year=year, date__month=month)
    return _month(year, month, {row.date: row for row in rows})


def calendar_year_months(*, year: int) -> list[Month]:
    """The twelve months of a year for the calendar page (one query)."""
    exceptions = {row.date: row for row in calendar_year_days(year=year)}
    return [_month(year, month, exceptions) for month in range(1, 13)]
