"""Writes to the working-day calendar: atomic, permission-checked, audited."""

from __future__ import annotations

from datetime import date

from django.db import IntegrityError, transaction

from yiwang.core.audit import services as audit
from yiwang.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from yiwang.core.workcal import seed
from yiwang.core.workcal.models import CalendarDay, CalendarYear
from yiwang.core.workcal.permissions import can_calendar_manage
from yiwang.core.workcal.validation import clean_day, clean_note, clean_year_open

MANUAL_SOURCE = "管理员录入"


def _require_manage(actor) -> None:
    if not can_calendar_manage(actor):
        raise PermissionDenied()


@transaction.atomic
def calendar_day_set(*, actor, date: date, kind: str, name: str = "") -> CalendarDay:
    """Mark one date as 法定节假日 or 调休上班日 (create or change it)."""
    _require_manage(actor)
    day, kind, name = clean_day(day=date, kind=kind, name=name)
    existing = CalendarDay.objects.select_for_update().filter(date=day).first()
    if existing is None:
        try:
            with transaction.atomic():
                entry = CalendarDay.objects.create(date=day, kind=kind, name=name)
        except IntegrityError:  # another administrator created the same date a moment ago
            raise Conflict() from None
        changes = {"date": day, "kind": [None, kind], "name": [None, name]}
    else:
        entry = existing
        changes = {"date": day}
        for field, value in (("kind", kind), ("name", name)):
            if getattr(entry, field) != value:
                changes[field] = [getattr(entry, field), value]
                setattr(entry, field, value)
        if len(changes) == 1:
            return entry
        entry.save(update_fields=[f for f in ("kind", "name") if f in changes])
    audit.record(actor=actor, action="workcal.day.set", target=entry, changes=changes)
    return entry


@transaction.atomic
def calendar_day_clear(*, actor, date: date) -> None:
    """Remove a date's exception: it reverts to the weekday rule (Mon–Fri work)."""
    _require_manage(actor)
    entry = CalendarDay.objects.select_for_update().filter(date=date).first()
    if entry is None:
        raise NotFound(f"{date} 没有设置节假日或调休")
    changes = {"date": entry.date, "kind": entry.kind, "name": entry.name}
    audit.record(actor=actor, action="workcal.day.cleared", target=entry, changes=changes)
    entry.delete()


@transaction.atomic
def calendar_year_open(*, actor, year: int, note: str = "", source: str = MANUAL_SOURCE) -> CalendarYear:
    """Declare a year's holidays known (e.g. once the State Council publishes them); its
    holidays must be entered first (`clean_year_open`)."""
    _require_manage(actor)
    year = clean_year_open(year)
    note = clean_note(note)
    try:
        with transaction.atomic():
            entry = CalendarYear.objects.create(year=year, source=source[:128], note=note)
    except IntegrityError:
        raise Conflict() from None
    audit.record(
        actor=actor, action="workcal.year.opened", target=entry, changes={"year": year, "note": note}
    )
    return entry


@transaction.atomic
def calendar_year_update(*, actor, year: int, note: str) -> CalendarYear:
    _require_manage(actor)
    entry = CalendarYear.objects.select_for_update().filter(year=year).first()
    if entry is None:
        raise NotFound(f"{year}年尚未录入")
    note = clean_note(note)
    if entry.note != note:
        changes = {"note": [entry.note, note]}
        entry.note = note
        entry.save(update_fields=["note"])
        audit.record(actor=actor, action="workcal.year.updated", target=entry, changes=changes)
    return entry


@transaction.atomic
def calendar_year_close(*, actor, year: int) -> None:
    """Declare a year unknown again; its day rows stay, so reopening restores them."""
    _require_manage(actor)
    entry = CalendarYear.objects.select_for_update().filter(year=year).first()
    if entry is None:
        raise NotFound(f"{year}年尚未录入")
    audit.record(
        actor=actor,
        action="workcal.year.closed",
        target=entry,
        changes={"year": year, "source": entry.source, "note": entry.note},
    )
    entry.delete()


@transaction.atomic
def calendar_seed(*, actor=None, years: list[int] | None = None, replace: bool = False) -> list[int]:
    """Load years from the chinese-calendar package; returns the years written.

    Years already known are skipped (administrators' edits are kept) unless `replace`, which
    reloads them from the package. `actor=None` is the command line (`yiwang calendar seed`):
    whoever holds the server shell; any other actor needs the manage permission.
    """
    if actor is not None:
        _require_manage(actor)
    available = seed.package_years()
    wanted = available if years is None else years
    for year in wanted:
        if year not in available:
            reason = f"chinese-calendar 数据包不含{year}年（仅含{available[0]}–{available[-1]}年）"
            raise InvalidInput(reason, fields={"year": reason})
    known = set(CalendarYear.objects.filter(year__in=wanted).values_list("year", flat=True))
    written = [year for year in wanted if replace or year not in known]
    source = seed.package_source()
    for year in written:
        CalendarDay.objects.filter(date__year=year).delete()
        CalendarDay.objects.bulk_create(
            [CalendarDay(date=day, kind=kind, name=name) for day, kind, name in seed.package_days(year)]
        )
        CalendarYear.objects.update_or_create(year=year, defaults={"source": source, "note": ""})
    if written:
        audit.record(
            actor=actor,
            action="workcal.calendar.seeded",
            target=None,
            changes={"years": written, "source": source, "replace": replace},
        )
    return written
