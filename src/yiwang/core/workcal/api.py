"""/api/v1/calendar: the working-day calendar and deadline arithmetic (STANDARDS.md §2).

Reads and arithmetic: any signed-in user. Changes: `workcal.calendar.manage` (the services
check it). A year without data answers 409 `calendar_year_missing`.
"""

from __future__ import annotations

import datetime as dt

from ninja import Path, Router, Status

from yiwang.core.workcal import selectors, services, units
from yiwang.core.workcal.schemas import (
    DayOut,
    DaySetIn,
    DeadlineIn,
    DeadlineOut,
    ElapsedIn,
    ElapsedOut,
    YearDaysOut,
    YearsOut,
)
from yiwang.core.workcal.validation import FIRST_YEAR, LAST_YEAR

router = Router(tags=["workcal"])


@router.get("/years", response=YearsOut, summary="已录入与缺失的日历年度")
def years(request):
    return {"known": selectors.known_years(), "missing": selectors.missing_years()}


@router.put("/days/{date}", response=DayOut, summary="设置节假日或调休上班日")
def day_set(request, date: dt.date, payload: DaySetIn):
    return services.calendar_day_set(actor=request.auth, date=date, kind=payload.kind, name=payload.name)


@router.delete("/days/{date}", response={204: None}, summary="清除某日的节假日/调休设置")
def day_clear(request, date: dt.date):
    services.calendar_day_clear(actor=request.auth, date=date)
    return Status(204, None)


@router.post("/deadline", response=DeadlineOut, summary="计算期限届满时间")
def deadline(request, payload: DeadlineIn):
    due = units.deadline(start=payload.start, amount=payload.amount, unit=payload.unit)
    return {"due": due, "unit": payload.unit}


@router.post("/elapsed", response=ElapsedOut, summary="计算两时刻之间已用时间")
def elapsed(request, payload: ElapsedIn):
    amount = units.elapsed(start=payload.start, end=payload.end, unit=payload.unit)
    return {"amount": amount, "unit": payload.unit}


# Last: Django tries patterns in order, and "/{year}" would also match "/deadline".
@router.get("/{year}", response=YearDaysOut, summary="某年的节假日与调休上班日")
def year_days(request, year: int = Path(..., ge=FIRST_YEAR, le=LAST_YEAR)):
    known = selectors.calendar_year_known(year=year)
    return {
        "year": year,
        "known": known is not None,
        "source": known.source if known else "",
        "days": selectors.calendar_year_days(year=year),
    }
