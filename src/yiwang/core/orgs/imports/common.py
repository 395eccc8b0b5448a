"""Pieces both imports share: turning a service's field errors into a row's reasons, and the
one summary audit record per import."""

from __future__ import annotations

import re
from collections.abc import Callable

from django.db import transaction

from yiwang.core.audit import services as audit
from yiwang.core.errors import DomainError
from yiwang.core.orgs.imports.report import ImportReport, RowResult, RowStatus

CHUNK = 500  # codes per `IN (…)` query: well under every database's parameter limit
# Rows per transaction. Each row is its own savepoint (the service's @transaction.atomic), so a
# bad row loses nothing else; committing every BATCH rows keeps the audit chain head that a
# transaction locks (decisions.md: sharded audit chains) held for a second, not for the minutes
# a 20,000-row file takes. A crash mid-way leaves whole batches; importing the file again is
# harmless (existing rows are "已存在，未改动") and finishes it.
BATCH = 200

# Excel shows a long digit string such as 330102001000 as 3.30102E+11 and saves it so.
_EXCEL_NUMBER = re.compile(r"\d(\.\d+)?[eE]\+?\d+")


def excel_mangled(label: str, value: str) -> dict[str, str]:
    if _EXCEL_NUMBER.fullmatch(value or ""):
        return {label: f"{label}被Excel改成了科学计数法（{value}），请将该列设为文本格式后重新导出"}
    return {}


def reason_of(fields: dict[str, str]) -> str:
    """One line naming each field: a message that already names its column is kept as is."""
    return "；".join(
        message if label in message else f"{label}：{message}" for label, message in fields.items()
    )


def failed(line: int, key: str, fields: dict[str, str]) -> RowResult:
    return RowResult(line=line, status=RowStatus.FAILED, key=key, reason=reason_of(fields), fields=fields)


def failed_from_error(line: int, key: str, error: DomainError, labels: dict[str, str]) -> RowResult:
    """A service's `InvalidInput.fields` (keyed by parameter name) keyed by the file's columns."""
    fields = {labels.get(name, name): message for name, message in error.fields.items()}
    return failed(line, key, fields or {"": error.message})


def unchanged(line: int, key: str) -> RowResult:
    return RowResult(line=line, status=RowStatus.UNCHANGED, key=key, reason=RowStatus.UNCHANGED.label)


def in_batches(items: list, attempt: Callable) -> list:
    """`attempt(item)` for each item, BATCH items per transaction; the results in order."""
    results: list = []
    for start in range(0, len(items), BATCH):
        with transaction.atomic():
            results.extend(attempt(item) for item in items[start : start + BATCH])
    return results


def chunks(values: list[str]):
    for start in range(0, len(values), CHUNK):
        yield values[start : start + CHUNK]


def record_summary(*, actor, report: ImportReport, **extra) -> None:
    audit.record(
        actor=actor,
        action="orgs.import.completed",
        target=None,
        changes={"kind": report.kind, **report.counts(), **extra},
    )
