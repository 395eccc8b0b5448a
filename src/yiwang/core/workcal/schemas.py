"""In/Out schemas of the calendar API. Validators only parse; rules live in clock/services."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from ninja import Schema
from pydantic import ValidationInfo, field_validator

from yiwang.core.workcal.units import DAY_UNITS, TimeUnit
from yiwang.core.workcal.validation import FIRST_YEAR, LAST_YEAR

MAX_DAYS = 3660
MAX_HOURS = 20000
_UNIT_REASON = "时间单位应为 working_days（工作日）、working_hours（工作小时）、natural_days（自然日）或 natural_hours（自然小时）"


class YearOut(Schema):
    year: int
    source: str
    note: str


class YearsOut(Schema):
    known: list[YearOut]
    missing: list[int]


class DayOut(Schema):
    date: dt.date
    kind: str
    kind_label: str
    name: str

    @staticmethod
    def resolve_kind_label(obj) -> str:
        return obj.get_kind_display()


class YearDaysOut(Schema):
    year: int
    known: bool
    source: str
    days: list[DayOut]


class DaySetIn(Schema):
    kind: str
    name: str = ""


def _moment(value: dt.datetime, label: str) -> dt.datetime:
    if not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise ValueError(f"{label}应在{FIRST_YEAR}年至{LAST_YEAR}年之间")
    # A time without offset is read as the platform's local time (settings.TIME_ZONE).
    return timezone.make_aware(value, timezone.get_default_timezone()) if timezone.is_naive(value) else value


def _unit(value) -> str:
    if value not in TimeUnit.values:
        raise ValueError(_UNIT_REASON)
    return value


class _UnitAndStart(Schema):
    # `unit` first: pydantic validates in field order, and later fields are checked against it.
    unit: str
    start: dt.datetime

    @field_validator("unit")
    @classmethod
    def _unit(cls, value):
        return _unit(value)

    @field_validator("start")
    @classmethod
    def _start(cls, value):
        return _moment(value, "开始时间")


class DeadlineIn(_UnitAndStart):
    amount: float

    @field_validator("amount")
    @classmethod
    def _amount(cls, value, info: ValidationInfo):
        days = info.data.get("unit") in DAY_UNITS
        limit = MAX_DAYS if days else MAX_HOURS
        if not 0 <= value <= limit:
            raise ValueError(f"期限数量应在0至{limit}之间")
        if days and value != int(value):
            raise ValueError("按日计算的期限数量应为整数")
        return value


class DeadlineOut(Schema):
    due: dt.datetime
    unit: str


class ElapsedIn(_UnitAndStart):
    end: dt.datetime

    @field_validator("end")
    @classmethod
    def _end(cls, value, info: ValidationInfo):
        value = _moment(value, "结束时间")
        start = info.data.get("start")
        if start is not None and value < start:
            raise ValueError("结束时间不能早于开始时间")
        return value


class ElapsedOut(Schema):
    amount: float
    unit: str
