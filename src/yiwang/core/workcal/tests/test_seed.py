"""`yiwang calendar seed` / `show`: loading chinese-calendar is repeatable and keeps edits."""

from __future__ import annotations

from datetime import date
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from yiwang.core.audit.models import AuditRecord
from yiwang.core.workcal import services
from yiwang.core.workcal.models import CalendarDay, CalendarYear, DayKind

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = StringIO()
    call_command("calendar", *args, stdout=out)
    return out.getvalue()


def snapshot():
    return list(CalendarDay.objects.order_by("date").values_list("date", "kind", "name")), list(
        CalendarYear.objects.values_list("year", "source", "note")
    )


def test_seeding_after_the_migration_changes_nothing():
    before = snapshot()
    assert "没有需要载入的年份" in run("seed")
    assert "没有需要载入的年份" in run("seed", "--year", "2026")
    assert snapshot() == before
    assert not AuditRecord.objects.exists()


def test_seeding_loads_a_missing_year_once():
    CalendarDay.objects.filter(date__year=2026).delete()
    CalendarYear.objects.filter(year=2026).delete()
    assert "已载入：2026" in run("seed")
    first = snapshot()
    assert CalendarDay.objects.filter(date__year=2026).count() == 39  # 33 holidays + 6 调休
    assert "没有需要载入的年份" in run("seed")
    assert snapshot() == first
    assert AuditRecord.objects.get(action="workcal.calendar.seeded").changes["years"] == [2026]


def test_seed_keeps_administrator_edits_unless_told_to_replace(sys_admin):
    services.calendar_day_set(actor=sys_admin, date=date(2026, 12, 31), kind=DayKind.HOLIDAY, name="特别假日")
    run("seed")
    assert CalendarDay.objects.filter(date=date(2026, 12, 31)).exists()
    run("seed", "--year", "2026", "--replace")
    replaced = snapshot()
    assert not CalendarDay.objects.filter(date=date(2026, 12, 31)).exists()
    run("seed", "--year", "2026", "--replace")
    assert snapshot() == replaced


def test_seeding_a_year_the_package_lacks_says_so():
    with pytest.raises(CommandError, match="不含2027年"):
        run("seed", "--year", "2027")


def test_show_lists_the_year_in_chinese():
    out = run("show", "2026")
    assert "2026年 · 来源：chinese-calendar 1.11.0" in out
    assert "2026-10-01 四 休 国庆节" in out
    assert "2026-10-10 六 班 国庆节" in out
    assert "2027年的节假日数据尚未录入" in run("show", "2027")
