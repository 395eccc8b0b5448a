"""Master-data import: 行政区划 and 部门 lists from CSV (UTF-8, with or without BOM, or the
GBK/GB18030 Excel saves in China), Chinese or English headers.

House rule: imports keep every row — good ones loaded through the same services a form uses
(rules, permission, audit), bad ones reported with their line and reason. Each row has its
own savepoint; one `orgs.import.completed` audit record summarises the import.
"""

from __future__ import annotations

from yiwang.core.errors import PermissionDenied
from yiwang.core.orgs.imports.departments import departments_import
from yiwang.core.orgs.imports.divisions import divisions_import
from yiwang.core.orgs.imports.reading import (
    DEPARTMENT_COLUMNS,
    DIVISION_COLUMNS,
    MAX_BYTES,
    MAX_ROWS,
    ImportRow,
    parse,
    read_upload,
)
from yiwang.core.orgs.imports.report import ImportReport, RowResult, RowStatus
from yiwang.core.orgs.permissions import can_department_manage, can_division_manage, can_import_legacy_uscc

KINDS = ("divisions", "departments")


def may_import(actor, kind: str) -> bool:
    return can_division_manage(actor) if kind == "divisions" else can_department_manage(actor)


def import_file(*, actor, kind: str, data, allow_legacy_uscc: bool = False) -> ImportReport:
    """`data`: the file's bytes or an uploaded file. Permission first (a 403 does not depend
    on the file), then the file as a whole (422 if unreadable), then the rows."""
    if kind not in KINDS or not may_import(actor, kind):
        raise PermissionDenied()
    if allow_legacy_uscc and (kind != "departments" or not can_import_legacy_uscc(actor)):
        raise PermissionDenied("没有导入历史统一社会信用代码的权限（仅数据管理员）")
    if not isinstance(data, bytes):
        data = read_upload(data)
    if kind == "divisions":
        return divisions_import(actor=actor, rows=parse(data, DIVISION_COLUMNS))
    return departments_import(
        actor=actor, rows=parse(data, DEPARTMENT_COLUMNS), allow_legacy_uscc=allow_legacy_uscc
    )


__all__ = [
    "KINDS",
    "MAX_BYTES",
    "MAX_ROWS",
    "ImportReport",
    "ImportRow",
    "RowResult",
    "RowStatus",
    "departments_import",
    "divisions_import",
    "import_file",
    "may_import",
    "parse",
    "read_upload",
]
