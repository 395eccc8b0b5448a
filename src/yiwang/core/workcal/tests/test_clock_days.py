"""Working and natural days around the 2026 holidays (行政许可法 §82, 民法典 §201–§203)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from yiwang.core.workcal import clock
from yiwang.core.workcal.errors import CalendarYearMissing

from .conftest import at, end_of

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "day, working",
    [
        (date(2026, 2, 14), True),  # Saturday, 春节 调休
        (date(2026, 2, 16), False),  # Monday, 春节
        (date(2026, 2, 23), False),  # Monday, last day of the 春节 break
        (date(2026, 2, 24), True),
        (date(2026, 5, 9), True),  # Saturday, 劳动节 调休
        (date(2026, 9, 20), True),  # Sunday, 国庆 调休
        (date(2026, 9, 25), False),  # Friday, 中秋
        (date(2026, 10, 1), False),
        (date(2026, 10, 10), True),  # Saturday, 国庆 调休
        (date(2026, 3, 7), False),  # a plain Saturday
        (date(2026, 3, 9), True),  # a plain Monday
    ],
)
def test_is_working_day_follows_holidays_and_adjusted_weekends(day, working):
    assert clock.is_working_day(day) is working


def test_is_working_day_reads_an_aware_datetime_in_local_time():
    # 2026-09-30 16:30 UTC is already 10-01 00:30 in Shanghai: 国庆.
    assert clock.is_working_day(datetime(2026, 9, 30, 16, 30, tzinfo=UTC)) is False


def test_start_day_does_not_count_and_deadline_is_the_end_of_the_last_day():
    # Tue 2026-03-10 → 1 working day → end of Wed 03-11.
    assert clock.add_working_days(at(2026, 3, 10, 16), 1) == end_of(2026, 3, 11)


def test_working_days_skip_the_national_day_break_and_count_the_adjusted_saturday():
    start = at(2026, 9, 30, 10)  # Wednesday before 国庆
    assert clock.add_working_days(start, 1) == end_of(2026, 10, 8)  # 10-01..10-07 are holidays
    assert clock.add_working_days(start, 2) == end_of(2026, 10, 9)
    assert clock.add_working_days(start, 3) == end_of(2026, 10, 10)  # Saturday 调休 counts
    assert clock.add_working_days(start, 4) == end_of(2026, 10, 12)  # 10-11 is a plain Sunday


def test_working_days_across_mid_autumn_and_the_adjusted_sunday_before_it():
    assert clock.add_working_days(at(2026, 9, 18, 9), 1) == end_of(2026, 9, 20)  # Sunday 调休
    assert clock.add_working_days(at(2026, 9, 24, 9), 1) == end_of(2026, 9, 28)  # 09-25 中秋 + weekend


def test_working_days_across_spring_festival():
    start = at(2026, 2, 13, 15)  # Friday
    assert clock.add_working_days(start, 1) == end_of(2026, 2, 14)  # Saturday 调休
    assert clock.add_working_days(start, 2) == end_of(2026, 2, 24)  # 02-15..02-23 off
    # 02-24..02-27 (Tue–Fri) then Saturday 02-28 调休.
    assert clock.add_working_days(start, 6) == end_of(2026, 2, 28)


def test_working_days_across_labour_day():
    start = at(2026, 4, 30, 11)
    assert clock.add_working_days(start, 1) == end_of(2026, 5, 6)
    assert clock.add_working_days(start, 4) == end_of(2026, 5, 9)  # Saturday 调休


def test_zero_working_days_ends_the_same_day():
    assert clock.add_working_days(at(2026, 3, 10, 9), 0) == end_of(2026, 3, 10)


def test_a_utc_start_is_read_as_its_local_day():
    # 2026-09-30 17:00 UTC = 10-01 01:00 Shanghai: the start day is 10-01, still → 10-08.
    start = datetime(2026, 9, 30, 17, 0, tzinfo=UTC)
    due = clock.add_working_days(start, 1)
    assert due == end_of(2026, 10, 8)
    assert due.utcoffset() == timedelta(hours=8)


def test_a_naive_datetime_is_refused():
    with pytest.raises(ValueError):
        clock.add_working_days(datetime(2026, 3, 10, 9), 1)


@pytest.mark.parametrize(
    "start_day", [date(2026, 2, 12), date(2026, 4, 29), date(2026, 9, 17), date(2026, 9, 29)]
)
@pytest.mark.parametrize("n", [1, 3, 7, 20])
def test_elapsed_working_days_at_the_deadline_equals_the_limit(start_day, n):
    start = at(start_day.year, start_day.month, start_day.day, 14)
    due = clock.add_working_days(start, n)
    assert clock.working_days_between(start, due) == n
    assert clock.working_days_between(start, due - timedelta(seconds=1)) == n - 1


def test_elapsed_working_days_count_only_complete_days_after_the_start_day():
    start = at(2026, 9, 30, 10)
    assert clock.working_days_between(start, at(2026, 9, 30, 23)) == 0
    assert clock.working_days_between(start, at(2026, 10, 8, 12)) == 0  # 10-08 still in progress
    assert clock.working_days_between(start, at(2026, 10, 9, 0)) == 1
    assert clock.working_days_between(start, at(2026, 10, 11, 9)) == 3  # 10-08, 10-09, 10-10 (调休)


def test_elapsed_needs_b_not_before_a():
    with pytest.raises(ValueError):
        clock.working_days_between(at(2026, 3, 10), at(2026, 3, 9))


def test_natural_days_ending_on_a_holiday_move_to_the_next_working_day():
    # 2026-09-24 + 7 days = 10-01 (国庆) → end of 10-08.
    assert clock.add_natural_days(at(2026, 9, 24, 10), 7) == end_of(2026, 10, 8)


def test_natural_days_ending_on_a_plain_weekend_move_to_monday():
    assert clock.add_natural_days(at(2026, 3, 2, 10), 5) == end_of(2026, 3, 9)  # Sat 03-07 → Mon 03-09


def test_natural_days_ending_on_an_adjusted_saturday_stay_there():
    assert clock.add_natural_days(at(2026, 10, 3, 10), 7) == end_of(2026, 10, 10)


def test_natural_days_ending_on_a_working_day_pass_through_holidays():
    assert clock.add_natural_days(at(2026, 9, 30, 10), 9) == end_of(2026, 10, 9)


def test_natural_days_elapsed():
    assert clock.natural_days_between(at(2026, 9, 30, 10), at(2026, 10, 9, 0)) == 8


def test_natural_hours_ignore_the_calendar_even_into_an_unknown_year():
    assert clock.add_natural_hours(at(2026, 12, 31, 20), 24) == at(2027, 1, 1, 20)
    assert clock.natural_hours_between(at(2026, 12, 31, 20), at(2027, 1, 1, 20)) == 24


def test_a_deadline_running_into_2027_is_an_explicit_error():
    with pytest.raises(CalendarYearMissing) as caught:
        clock.add_working_days(at(2026, 12, 28, 10), 5)
    error = caught.value
    assert error.year == 2027
    assert error.code == "calendar_year_missing"
    assert error.message == "2027年的节假日数据尚未录入，无法计算期限"


def test_every_function_that_touches_2027_refuses():
    with pytest.raises(CalendarYearMissing):
        clock.is_working_day(date(2027, 1, 4))
    with pytest.raises(CalendarYearMissing):
        clock.add_natural_days(at(2026, 12, 30), 5)
    with pytest.raises(CalendarYearMissing):
        clock.working_days_between(at(2026, 12, 30), at(2027, 1, 10))
    with pytest.raises(CalendarYearMissing):
        clock.add_working_hours(at(2026, 12, 31, 16), 8)
    with pytest.raises(CalendarYearMissing):
        clock.working_hours_between(at(2026, 12, 31, 16), at(2027, 1, 4, 12))


def test_a_deadline_inside_2026_is_computed_with_two_queries(django_assert_max_num_queries):
    with django_assert_max_num_queries(2):
        clock.add_working_days(at(2026, 1, 5, 9), 200)


def test_a_shared_calendar_reads_each_year_once_and_forgets_it_after_the_block(
    django_assert_num_queries,
):
    """A workflow move computes several due times: inside `shared_calendar()` the rows are read
    once (two queries); outside, a change to the calendar is seen at once."""
    from yiwang.core.workcal.models import CalendarDay, DayKind

    with clock.shared_calendar(), django_assert_num_queries(2):
        first = clock.add_working_days(at(2026, 9, 30, 10), 5)
        again = clock.add_working_days(at(2026, 9, 30, 10), 5)
        clock.working_days_between(at(2026, 9, 30, 10), first)
    assert first == again == end_of(2026, 10, 13)

    CalendarDay.objects.update_or_create(date=date(2026, 10, 12), defaults={"kind": DayKind.HOLIDAY})
    assert clock.add_working_days(at(2026, 9, 30, 10), 5) == end_of(2026, 10, 14)
