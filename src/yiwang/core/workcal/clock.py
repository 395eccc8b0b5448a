"""Time limits over the working-day calendar (STANDARDS.md §2; 行政许可法 §82, 民法典 §201–§203).

Rules implemented here, in one place:

- A period counted in days starts on the day after the event: the start day itself never
  counts (民法典 §201).
- A period ends at the END of its last day (民法典 §203: "期间的最后一日的截止时间为二十四时").
  We express that moment as 23:59:59 local time, to the second: JSON encoders (Django's,
  JavaScript's) drop sub-millisecond digits, and a deadline must survive a round trip through
  a client unchanged. A day counts as elapsed from its last second on. We do not use the
  office-close moment: online channels accept and decide until midnight, and one end-of-day
  rule keeps a deadline independent of the configured office hours.
- "N working days" are the N days after the start day that are working days: Monday–Friday
  unless the calendar says 法定节假日, plus the Saturdays/Sundays the calendar makes 调休上班日.
- "N natural days" end at the end of day N; if that day is a rest day (holiday or plain
  weekend that is not 调休), the end moves to the end of the next working day.
- Working hours are the office periods of `settings.OFFICE_HOURS` on working days.
- Any day that the computation has to classify must lie in a year with a CalendarYear row,
  else `CalendarYearMissing` (never a silent guess). Natural hours never look at the calendar.

Every function takes aware datetimes and returns aware datetimes in `settings.TIME_ZONE`.
Calendar rows are loaded per call, whole years at a time (two queries per range of years),
and kept only in the call's `_Calendar` object: no module-level state (DESIGN.md, scaling).
A unit of work that computes many times (a workflow move, the clock sweep, a supervision page)
wraps itself in `shared_calendar()`: inside it every call reuses one `_Calendar`, so each year
is read once per unit of work, and nothing outlives it.
Suspension (补正, 特别程序) is left to the workflow engine, which subtracts paused spans
measured with `working_days_between` / `working_hours_between`.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from yiwang.core.workcal.errors import CalendarYearMissing
from yiwang.core.workcal.models import CalendarDay, CalendarYear, DayKind
from yiwang.core.workcal.office_hours import Period, configured_office_hours

__all__ = [
    "CalendarYearMissing",
    "add_natural_days",
    "add_natural_hours",
    "add_working_days",
    "add_working_hours",
    "end_of_day",
    "is_working_day",
    "natural_days_between",
    "natural_hours_between",
    "shared_calendar",
    "working_days_between",
    "working_hours_between",
]

_ONE_DAY = timedelta(days=1)
_END_OF_DAY = time(23, 59, 59)


class _Calendar:
    """The calendar rows one call needs, loaded by whole years on first use."""

    def __init__(self) -> None:
        self._loaded: set[int] = set()
        self._known: set[int] = set()
        self._kinds: dict[date, str] = {}

    def load(self, first_year: int, last_year: int) -> None:
        years = [year for year in range(first_year, last_year + 1) if year not in self._loaded]
        if not years:
            return
        self._known.update(CalendarYear.objects.filter(year__in=years).values_list("year", flat=True))
        rows = CalendarDay.objects.filter(date__range=(date(min(years), 1, 1), date(max(years), 12, 31)))
        self._kinds.update(rows.values_list("date", "kind"))
        self._loaded.update(years)

    def is_working(self, day: date) -> bool:
        if day.year not in self._loaded:
            # Periods often run into the next year; fetch it in the same breath.
            self.load(day.year, day.year + 1)
        if day.year not in self._known:
            raise CalendarYearMissing(day.year)
        kind = self._kinds.get(day)
        if kind == DayKind.HOLIDAY:
            return False
        if kind == DayKind.WORKDAY:
            return True
        return day.weekday() < 5


_shared: ContextVar[_Calendar | None] = ContextVar("yiwang_workcal_shared", default=None)


@contextmanager
def shared_calendar() -> Iterator[None]:
    """Within the block, every computation reuses the calendar rows already loaded (one unit
    of work reads each year once). Nested blocks share the outermost one. A block must not
    outlive its transaction: a calendar edited meanwhile is seen by the next block."""
    if _shared.get() is not None:
        yield
        return
    token = _shared.set(_Calendar())
    try:
        yield
    finally:
        _shared.reset(token)


def _calendar() -> _Calendar:
    return _shared.get() or _Calendar()


def _local(moment: datetime) -> datetime:
    if not isinstance(moment, datetime):
        raise TypeError("expected a datetime")
    if timezone.is_naive(moment):
        raise ValueError("calendar computations need timezone-aware datetimes")
    return moment.astimezone(timezone.get_default_timezone())


def _non_negative(amount, what: str):
    if amount < 0:
        raise ValueError(f"{what} must not be negative")
    return amount


def end_of_day(day: date) -> datetime:
    """The end of a local day, 23:59:59: the end of a period (民法典 §203, "二十四时")."""
    return datetime.combine(day, _END_OF_DAY, tzinfo=timezone.get_default_timezone())


def _last_complete_day(moment: datetime) -> date:
    """The last local day whose end (`end_of_day`) is at or before `moment`."""
    local = _local(moment)
    return local.date() if local.time() >= _END_OF_DAY else local.date() - _ONE_DAY


def is_working_day(day: date | datetime) -> bool:
    """Is this day (a date, or the local date of an aware datetime) a working day?"""
    if isinstance(day, datetime):
        day = _local(day).date()
    return _calendar().is_working(day)


def add_working_days(start: datetime, n: int) -> datetime:
    """End of the n-th working day after the start day (the start day does not count).

    n = 0 gives the end of the start day itself (即办件: same day).
    """
    _non_negative(n, "n")
    calendar = _calendar()
    day = _local(start).date()
    calendar.load(day.year, day.year + min(10, 1 + 2 * n // 365))
    counted = 0
    while counted < n:
        day += _ONE_DAY
        if calendar.is_working(day):
            counted += 1
    return end_of_day(day)


def working_days_between(a: datetime, b: datetime) -> int:
    """Whole working days elapsed after a's day up to b.

    Counts the working days d with a's local date < d and end_of_day(d) <= b. So
    `working_days_between(a, add_working_days(a, n)) == n`, and the day in progress at b does
    not count until it is over. Only the days counted are looked up in the calendar.
    """
    if b < a:
        raise ValueError("b must not be earlier than a")
    calendar = _calendar()
    day, last = _local(a).date() + _ONE_DAY, _last_complete_day(b)
    count = 0
    while day <= last:
        count += calendar.is_working(day)
        day += _ONE_DAY
    return count


def add_natural_days(start: datetime, n: int) -> datetime:
    """End of the n-th day after the start day; a rest day at the end moves it to the end of
    the next working day (STANDARDS.md §2). Only the last day(s) are looked up."""
    _non_negative(n, "n")
    calendar = _calendar()
    day = _local(start).date() + timedelta(days=n)
    while not calendar.is_working(day):
        day += _ONE_DAY
    return end_of_day(day)


def natural_days_between(a: datetime, b: datetime) -> int:
    """Whole days elapsed after a's day up to b (same boundaries as `working_days_between`)."""
    if b < a:
        raise ValueError("b must not be earlier than a")
    return max(0, (_last_complete_day(b) - _local(a).date()).days)


def add_natural_hours(start: datetime, hours: float) -> datetime:
    """start + hours of clock time, whatever the day (e.g. 12345 urgent utilities, 24 hours)."""
    _non_negative(hours, "hours")
    return _local(start) + timedelta(hours=hours)


def natural_hours_between(a: datetime, b: datetime) -> float:
    if b < a:
        raise ValueError("b must not be earlier than a")
    return (b - a).total_seconds() / 3600


def _periods_on(day: date, periods: tuple[Period, ...]) -> list[tuple[datetime, datetime]]:
    zone = timezone.get_default_timezone()
    return [
        (datetime.combine(day, s, tzinfo=zone), datetime.combine(day, e, tzinfo=zone)) for s, e in periods
    ]


def add_working_hours(
    start: datetime, hours: float, *, office_hours: tuple[Period, ...] | None = None
) -> datetime:
    """The moment when `hours` of office time on working days have passed since start.

    Ending exactly at a period's close gives that close (e.g. 12:00, not 13:30). 0 hours → start.
    """
    remaining = timedelta(hours=_non_negative(hours, "hours"))
    moment = _local(start)
    if not remaining:
        return moment
    periods = office_hours or configured_office_hours()
    calendar = _calendar()
    day = moment.date()
    while True:
        if calendar.is_working(day):
            for opens, closes in _periods_on(day, periods):
                if closes <= moment:
                    continue
                begin = max(opens, moment)
                if remaining <= closes - begin:
                    return begin + remaining
                remaining -= closes - begin
        day += _ONE_DAY


def working_hours_between(
    a: datetime, b: datetime, *, office_hours: tuple[Period, ...] | None = None
) -> float:
    """Hours of office time on working days inside [a, b]. Each day from a's to b's is looked up."""
    if b < a:
        raise ValueError("b must not be earlier than a")
    periods = office_hours or configured_office_hours()
    calendar = _calendar()
    a, b = _local(a), _local(b)
    total = timedelta()
    day = a.date()
    while day <= b.date():
        if calendar.is_working(day):
            for opens, closes in _periods_on(day, periods):
                overlap = min(closes, b) - max(opens, a)
                if overlap > timedelta():
                    total += overlap
        day += _ONE_DAY
    return total.total_seconds() / 3600
