"""Calendar changes: permission-checked, validated in Chinese, audited."""

from __future__ import annotations

from datetime import date

import pytest

from yiwang.core.audit.models import AuditRecord
from yiwang.core.errors import InvalidInput, NotFound, PermissionDenied
from yiwang.core.workcal import clock, services
from yiwang.core.workcal.errors import CalendarYearMissing
from yiwang.core.workcal.models import CalendarDay, CalendarYear, DayKind

from .conftest import at, end_of

pytestmark = pytest.mark.django_db


def test_admin_marks_a_day_as_holiday_and_deadlines_follow(sys_admin):
    assert clock.add_working_days(at(2026, 12, 29, 10), 1) == end_of(2026, 12, 30)
    services.calendar_day_set(
        actor=sys_admin, date=date(2026, 12, 30), kind=DayKind.HOLIDAY, name="示范市特别假日"
    )
    assert clock.add_working_days(at(2026, 12, 29, 10), 1) == end_of(2026, 12, 31)
    record = AuditRecord.objects.get(action="workcal.day.set")
    assert record.actor_id == sys_admin.pk
    assert record.changes == {
        "date": "2026-12-30",
        "kind": [None, "holiday"],
        "name": [None, "示范市特别假日"],
    }


def test_changing_a_day_records_old_and_new_values(sys_admin):
    services.calendar_day_set(actor=sys_admin, date=date(2026, 10, 1), kind=DayKind.HOLIDAY, name="国庆")
    record = AuditRecord.objects.get(action="workcal.day.set")
    assert record.changes == {"date": "2026-10-01", "name": ["国庆节", "国庆"]}


def test_setting_the_same_values_again_changes_and_records_nothing(sys_admin):
    services.calendar_day_set(actor=sys_admin, date=date(2026, 10, 1), kind=DayKind.HOLIDAY, name="国庆节")
    assert not AuditRecord.objects.filter(action="workcal.day.set").exists()


def test_clearing_a_day_restores_the_weekday_rule_and_is_audited(sys_admin):
    services.calendar_day_clear(actor=sys_admin, date=date(2026, 10, 10))
    assert clock.is_working_day(date(2026, 10, 10)) is False  # back to a plain Saturday
    record = AuditRecord.objects.get(action="workcal.day.cleared")
    assert record.changes == {"date": "2026-10-10", "kind": "workday", "name": "国庆节"}


def test_clearing_a_plain_day_is_not_found(sys_admin):
    with pytest.raises(NotFound):
        services.calendar_day_clear(actor=sys_admin, date=date(2026, 3, 10))


def test_an_official_without_the_permission_is_refused(official):
    with pytest.raises(PermissionDenied):
        services.calendar_day_set(actor=official, date=date(2026, 12, 30), kind=DayKind.HOLIDAY, name="假日")
    with pytest.raises(PermissionDenied):
        services.calendar_year_open(actor=official, year=2027)
    assert not CalendarDay.objects.filter(date=date(2026, 12, 30)).exists()
    assert not AuditRecord.objects.exists()


@pytest.mark.parametrize(
    "day, kind, name, field, message",
    [
        (date(2026, 3, 10), DayKind.WORKDAY, "调休", "kind", "调休上班日应为周六或周日"),
        (date(2026, 3, 10), "rest", "x", "kind", "类型应为“法定节假日（休）”或“调休上班日（班）”"),
        (date(2026, 3, 10), DayKind.HOLIDAY, "  ", "name", "法定节假日须填写名称，如“国庆节”"),
        (date(2026, 3, 10), DayKind.HOLIDAY, "节" * 65, "name", "名称不能超过64个字"),
        (date(1999, 3, 10), DayKind.HOLIDAY, "节", "date", "日期应在2000年至2100年之间"),
        (None, DayKind.HOLIDAY, "节", "date", "日期不能为空，格式为 YYYY-MM-DD"),
    ],
)
def test_bad_days_are_refused_naming_the_field(sys_admin, day, kind, name, field, message):
    with pytest.raises(InvalidInput) as caught:
        services.calendar_day_set(actor=sys_admin, date=day, kind=kind, name=name)
    assert caught.value.fields[field] == message


def test_opening_2027_needs_its_holidays_first(sys_admin):
    with pytest.raises(InvalidInput) as caught:
        services.calendar_year_open(actor=sys_admin, year=2027, note="国办发明电〔2026〕")
    assert caught.value.fields == {"year": "请先录入2027年的法定节假日，再开放该年度"}
    assert not CalendarYear.objects.filter(year=2027).exists()


def test_opening_a_known_year_again_is_refused(sys_admin):
    with pytest.raises(InvalidInput) as caught:
        services.calendar_year_open(actor=sys_admin, year=2026)
    assert caught.value.fields == {"year": "2026年已是已录入年份"}


def test_after_entering_and_opening_2027_deadlines_run_into_it(sys_admin):
    services.calendar_day_set(actor=sys_admin, date=date(2027, 1, 1), kind=DayKind.HOLIDAY, name="元旦")
    with pytest.raises(CalendarYearMissing):
        clock.add_working_days(at(2026, 12, 31, 10), 1)
    services.calendar_year_open(actor=sys_admin, year=2027, note="国务院办公厅通知")
    assert clock.add_working_days(at(2026, 12, 31, 10), 1) == end_of(2027, 1, 4)  # 01-01 off, then weekend
    year = CalendarYear.objects.get(year=2027)
    assert (year.source, year.note) == ("管理员录入", "国务院办公厅通知")
    assert AuditRecord.objects.filter(action="workcal.year.opened", target_id="2027").exists()


def test_closing_a_year_makes_its_deadlines_an_error_again_and_keeps_its_days(sys_admin):
    services.calendar_year_close(actor=sys_admin, year=2026)
    with pytest.raises(CalendarYearMissing, match="2026年的节假日数据尚未录入"):
        clock.is_working_day(date(2026, 10, 1))
    assert CalendarDay.objects.filter(date__year=2026).count() == 39
    assert AuditRecord.objects.filter(action="workcal.year.closed").count() == 1


def test_year_out_of_range_is_refused(sys_admin):
    with pytest.raises(InvalidInput) as caught:
        services.calendar_year_open(actor=sys_admin, year=1990)
    assert caught.value.fields == {"year": "年份应在2000至2100之间"}
