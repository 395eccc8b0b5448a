"""Import 行政区划 from a file: parents before children, each row in its own savepoint."""

from __future__ import annotations

from yiwang.core import codes
from yiwang.core.errors import DomainError, PermissionDenied
from yiwang.core.orgs.imports.common import (
    chunks,
    excel_mangled,
    failed,
    failed_from_error,
    in_batches,
    record_summary,
    unchanged,
)
from yiwang.core.orgs.imports.reading import ImportRow
from yiwang.core.orgs.imports.report import ImportReport, RowResult, RowStatus
from yiwang.core.orgs.models import Division
from yiwang.core.orgs.permissions import can_division_manage
from yiwang.core.orgs.services import division_create

LABELS = {"code": "区划代码", "name": "名称", "parent": "上级区划代码"}
_LEVELS = ["province", "city", "county", "township", "village"]


def _depth(code: str) -> int:
    """Provinces first, villages last, so that a parent later in the file exists in time."""
    try:
        return _LEVELS.index(codes.division_level(codes.validate_division_code(code)))
    except codes.CodeInvalid:
        return len(_LEVELS)  # fails anyway; reported at its own line


def _known(rows: list[ImportRow]) -> dict[str, Division]:
    wanted = sorted({v for row in rows for v in (row.get("code"), row.get("parent_code")) if v})
    known: dict[str, Division] = {}
    for part in chunks(wanted):
        known.update((d.code, d) for d in Division.objects.select_related("parent").filter(code__in=part))
    return known


def _one(*, actor, row: ImportRow, known: dict[str, Division], seen: dict[str, int]) -> RowResult:
    raw = row.get("code")
    if mangled := excel_mangled(LABELS["code"], raw):
        return failed(row.line, raw, mangled)
    try:
        code = codes.validate_division_code(raw)
    except codes.CodeInvalid as error:
        return failed(row.line, raw, {LABELS["code"]: str(error)})
    if code in seen:
        return failed(row.line, code, {LABELS["code"]: f"区划代码 {code} 与第{seen[code]}行重复"})
    seen[code] = row.line
    name, parent_code = row.get("name"), row.get("parent_code")
    existing = known.get(code)
    if existing is not None:
        if existing.name == name and (existing.parent.code if existing.parent_id else "") == parent_code:
            return unchanged(row.line, code)
        message = f"行政区划代码 {code} 已存在，但名称或上级区划与文件不同；导入不修改已有区划"
        return failed(row.line, code, {LABELS["code"]: message})
    parent = known.get(parent_code) if parent_code else None
    if parent_code and parent is None:
        return failed(row.line, code, {LABELS["parent"]: f"上级区划代码 {parent_code} 不存在"})
    try:  # division_create is @transaction.atomic: the row's own savepoint
        known[code] = division_create(actor=actor, code=code, name=name, parent=parent)
    except DomainError as error:
        return failed_from_error(row.line, code, error, LABELS)
    return RowResult(line=row.line, status=RowStatus.CREATED, key=code)


def divisions_import(*, actor, rows: list[ImportRow]) -> ImportReport:
    """Each row through `division_create` (same rules, permission and audit as a form); a row
    that exists identically is reported unchanged, so importing a file twice is harmless."""
    if not can_division_manage(actor):
        raise PermissionDenied()
    rows = sorted(rows, key=lambda r: (_depth(r.get("code")), r.line))
    known = _known(rows)
    seen: dict[str, int] = {}
    report = ImportReport(kind="divisions")
    report.rows = in_batches(rows, lambda row: _one(actor=actor, row=row, known=known, seen=seen))
    report.rows.sort(key=lambda r: r.line)
    record_summary(actor=actor, report=report)
    return report
