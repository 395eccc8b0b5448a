"""Working hours within settings.OFFICE_HOURS (default 09:00-12:00,13:30-17:30) on working days."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured

from yiwang.core.workcal import clock
from yiwang.core.workcal.checks import office_hours_check
from yiwang.core.workcal.office_hours import parse_office_hours

from .conftest import at

pytestmark = pytest.mark.django_db


def test_working_hours_skip_the_lunch_break():
    assert clock.add_working_hours(at(2026, 3, 10, 11), 2) == at(2026, 3, 10, 14, 30)
    assert clock.working_hours_between(at(2026, 3, 10, 11), at(2026, 3, 10, 14, 30)) == 2


def test_working_hours_ending_at_noon_end_at_noon_not_after_lunch():
    assert clock.add_working_hours(at(2026, 3, 10, 9), 3) == at(2026, 3, 10, 12)


def test_working_hours_skip_the_weekend():
    start = at(2026, 3, 13, 16, 30)  # Friday
    assert clock.add_working_hours(start, 3) == at(2026, 3, 16, 11)  # Monday
    assert clock.working_hours_between(start, at(2026, 3, 16, 11)) == 3


def test_working_hours_skip_the_national_day_break():
    assert clock.add_working_hours(at(2026, 9, 30, 17), 1) == at(2026, 10, 8, 9, 30)


def test_working_hours_run_on_an_adjusted_saturday():
    assert clock.add_working_hours(at(2026, 10, 9, 17), 2) == at(2026, 10, 10, 10, 30)


def test_working_hours_starting_outside_office_hours_start_at_the_next_opening():
    assert clock.add_working_hours(at(2026, 3, 10, 20), 1) == at(2026, 3, 11, 10)
    assert clock.add_working_hours(at(2026, 3, 10, 12, 30), 1) == at(2026, 3, 10, 14, 30)


def test_a_full_working_day_has_seven_office_hours():
    assert clock.working_hours_between(at(2026, 3, 10, 0), at(2026, 3, 11, 0)) == 7
    assert clock.working_hours_between(at(2026, 10, 1, 0), at(2026, 10, 8, 0)) == 0


def test_office_hours_come_from_settings(settings):
    settings.OFFICE_HOURS = "08:30-12:00,14:00-18:00"
    assert clock.add_working_hours(at(2026, 3, 10, 11), 2) == at(2026, 3, 10, 15)


@pytest.mark.parametrize(
    "text",
    ["", "9:00-12:00", "09:00-12:00;13:30-17:30", "12:00-09:00", "09:00-12:00,11:00-17:30", "25:00-26:00"],
)
def test_bad_office_hours_are_refused_with_a_reason(text):
    with pytest.raises(ValueError, match="办公时间格式错误"):
        parse_office_hours(text)


def test_bad_office_hours_setting_is_a_clear_configuration_error(settings):
    settings.OFFICE_HOURS = "9-12"
    with pytest.raises(ImproperlyConfigured, match="YIWANG_OFFICE_HOURS"):
        clock.add_working_hours(at(2026, 3, 10, 9), 1)
    [error] = office_hours_check(None)
    assert error.id == "workcal.E001" and "办公时间格式错误" in error.msg


def test_parsed_office_hours_keep_their_order():
    periods = parse_office_hours("09:00-12:00, 13:30-17:30")
    assert [(s.strftime("%H:%M"), e.strftime("%H:%M")) for s, e in periods] == [
        ("09:00", "12:00"),
        ("13:30", "17:30"),
    ]
