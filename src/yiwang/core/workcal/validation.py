"""Field checks shared by the services, the admin forms and the workbench form.

Each returns the cleaned value or raises InvalidInput naming the field in Chinese.
"""

from __future__ import annotations

from datetime import date

from yiwang.core.errors import InvalidInput
from yiwang.core.workcal.models import CalendarDay, CalendarYear, DayKind

# The platform's plausible range: chinese-calendar starts at 2004; leave room either side.
FIRST_YEAR, LAST_YEAR = 2000, 2100
NAME_MAX = 64
NOTE_MAX = 255


def clean_year(year) -> int:
    if isinstance(year, bool) or not isinstance(year, int):
        raise InvalidInput("年份应为整数", fields={"year": "年份应为整数"})
    if not FIRST_YEAR <= year <= LAST_YEAR:
        reason = f"年份应在{FIRST_YEAR}至{LAST_YEAR}之间"
        raise InvalidInput(reason, fields={"year": reason})
    return year


def clean_day(*, day, kind, name) -> tuple[date, str, str]:
    """Validate one calendar exception; collect every field's error at once."""
    errors: dict[str, str] = {}
    if not isinstance(day, date):
        errors["date"] = "日期不能为空，格式为 YYYY-MM-DD"
    elif not FIRST_YEAR <= day.year <= LAST_YEAR:
        errors["date"] = f"日期应在{FIRST_YEAR}年至{LAST_YEAR}年之间"
    if kind not in DayKind.values:
        errors["kind"] = "类型应为“法定节假日（休）”或“调休上班日（班）”"
    elif kind == DayKind.WORKDAY and isinstance(day, date) and day.weekday() < 5:
        # A weekday is a working day already; a 调休上班日 only makes sense on a weekend.
        errors["kind"] = "调休上班日应为周六或周日"
    name = (name or "").strip()
    if len(name) > NAME_MAX:
        errors["name"] = f"名称不能超过{NAME_MAX}个字"
    elif not name and kind == DayKind.HOLIDAY:
        errors["name"] = "法定节假日须填写名称，如“国庆节”"
    if errors:
        raise InvalidInput(next(iter(errors.values())) if len(errors) == 1 else None, fields=errors)
    return day, kind, name


def clean_note(note) -> str:
    note = (note or "").strip()
    if len(note) > NOTE_MAX:
        reason = f"说明不能超过{NOTE_MAX}个字"
        raise InvalidInput(reason, fields={"note": reason})
    return note


def clean_year_open(year) -> int:
    """A year may be opened once, and only after its holidays are entered: opening an empty
    year would compute deadlines as if it had none — the silent guess STANDARDS.md §2 forbids."""
    year = clean_year(year)
    if CalendarYear.objects.filter(year=year).exists():
        reason = f"{year}年已是已录入年份"
        raise InvalidInput(reason, fields={"year": reason})
    if not CalendarDay.objects.filter(date__year=year, kind=DayKind.HOLIDAY).exists():
        reason = f"请先录入{year}年的法定节假日，再开放该年度"
        raise InvalidInput(reason, fields={"year": reason})
    return year
