"""Numbers people read (DESIGN.md): 办件编号 and 文书文号 from a per-kind, per-year counter that
cannot collide under concurrency — the counter row is locked for the rest of the transaction,
as licenses.services.issuing numbers its serials."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone

from yiwang.services.models import NumberCounter

# kind → format; {year} four digits, {seq} the sequence.
FORMATS = {
    "application": "{year}{seq:08d}",  # 办件编号, e.g. 202600000123 (12 digits)
    "bundle": "YJS{year}{seq:07d}",  # 一件事, e.g. YJS20260000012
    "document": "{year}{seq:06d}",  # 文书 serial; a department prefix is added by the caller
}


def next_number(kind: str, *, year: int | None = None) -> str:
    """The next number of `kind` for `year` (this year, local time, by default). Call inside
    the transaction that uses it: a rolled-back use gives its number back."""
    if kind not in FORMATS:
        raise ValueError(f"unknown number kind {kind!r}")
    year = year or timezone.localdate().year
    lookup = {"kind": kind, "year": year}
    counter = NumberCounter.objects.select_for_update().filter(**lookup).first()
    if counter is None:
        try:
            with transaction.atomic():
                NumberCounter.objects.create(**lookup)
        except IntegrityError:
            pass  # created by a concurrent transaction; its row lock orders us after it
        counter = NumberCounter.objects.select_for_update().get(**lookup)
    counter.last += 1
    counter.save(update_fields=["last"])
    return FORMATS[kind].format(year=year, seq=counter.last)
