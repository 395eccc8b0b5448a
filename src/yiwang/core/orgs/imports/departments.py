"""Import 部门 from a file. A department's parent is named, and may come later in the file:
rows are tried in passes until a pass creates nothing; what is left has no parent.

STANDARDS.md §1: a USCC failing its check digit is refused, unless a data steward imports
legacy records (`allow_legacy_uscc`, permission `orgs.import.legacy`): then it is kept and
flagged with the warning instead of being lost. Shape errors fail either way."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from django.db import IntegrityError, transaction

from yiwang.core import codes
from yiwang.core.audit import services as audit
from yiwang.core.errors import DomainError, PermissionDenied, invalid
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
from yiwang.core.orgs.models import Department, DepartmentKind, Division
from yiwang.core.orgs.permissions import can_department_manage, can_import_legacy_uscc
from yiwang.core.orgs.services import department_create

LABELS = {
    "name": "部门名称",
    "uscc": "统一社会信用代码",
    "division": "所属区划代码",
    "parent": "上级部门名称",
    "kind": "部门类型",
    "sort_order": "排序",
}
_KINDS = {**{k.label: k.value for k in DepartmentKind}, **{k.value: k.value for k in DepartmentKind}}


@dataclass(eq=False)  # compared by identity: the passes track the row objects
class _Plan:
    row: ImportRow
    name: str
    division: Division
    parent_name: str
    kind: str | None  # None: column empty, the default applies and is not compared
    sort_order: int | None
    uscc: str | None
    warning: str | None


def _uscc(raw: str, legacy: bool) -> tuple[str | None, str | None, dict[str, str]]:
    if not raw:
        return None, None, {}
    if mangled := excel_mangled(LABELS["uscc"], raw):
        return None, None, mangled
    try:
        if legacy:
            text, warning = codes.uscc_legacy_problem(raw)
            return text, warning, {}
        return codes.validate_uscc(raw), None, {}
    except codes.CodeInvalid as error:
        return None, None, {LABELS["uscc"]: str(error)}


def _plan(row: ImportRow, divisions: dict[str, Division], legacy: bool) -> _Plan | dict[str, str]:
    """Checks that need nothing but the row itself; the errors keyed by column."""
    errors: dict[str, str] = {}
    code = row.get("division_code")
    division = divisions.get(code)
    if not code:
        errors[LABELS["division"]] = "所属区划代码不能为空"
    elif division is None:
        errors[LABELS["division"]] = excel_mangled(LABELS["division"], code).get(
            LABELS["division"], f"所属区划代码 {code} 不存在"
        )
    uscc, warning, uscc_errors = _uscc(row.get("uscc"), legacy)
    errors.update(uscc_errors)
    kind = row.get("kind")
    if kind and kind.lower() not in _KINDS:
        errors[LABELS["kind"]] = f"部门类型“{kind}”无效，可选：{'、'.join(DepartmentKind.labels)}"
    sort_order = row.get("sort_order")
    if sort_order and not (sort_order.isascii() and sort_order.isdigit() and int(sort_order) <= 32767):
        errors[LABELS["sort_order"]] = "排序应为0–32767的整数"
    if not row.get("name"):
        errors[LABELS["name"]] = "部门名称不能为空"
    if errors:
        return errors
    return _Plan(
        row=row,
        name=row.get("name"),
        division=division,
        parent_name=row.get("parent_name"),
        kind=_KINDS[kind.lower()] if kind else None,
        sort_order=int(sort_order) if sort_order else None,
        uscc=uscc,
        warning=warning,
    )


def _differences(plan: _Plan, existing: Department) -> list[str]:
    different = []
    if plan.uscc and existing.uscc != plan.uscc:
        different.append(LABELS["uscc"])
    if (existing.parent.name if existing.parent_id else "") != plan.parent_name:
        different.append(LABELS["parent"])
    if plan.kind is not None and existing.kind != plan.kind:
        different.append(LABELS["kind"])
    if plan.sort_order is not None and existing.sort_order != plan.sort_order:
        different.append(LABELS["sort_order"])
    return different


class _Index:
    """The departments the file's names can refer to, loaded once (then kept up to date as
    rows are created) instead of two lookups per row and pass. `find` gives a row's named
    parent: in its own division first, then a unique name anywhere; `None` means "not yet" —
    a row of this file still waiting may create it."""

    def __init__(self, plans: list[_Plan]):
        self.waiting = Counter((p.division.pk, p.name) for p in plans)
        self.by_key: dict[tuple[int, str], Department] = {}
        self.by_name: dict[str, list[Department]] = {}
        names = sorted({n for p in plans for n in (p.name, p.parent_name) if n})
        for part in chunks(names):
            for department in Department.objects.select_related("parent").filter(name__in=part):
                self.add(department)

    def add(self, department: Department) -> None:
        self.by_key[(department.division_id, department.name)] = department
        self.by_name.setdefault(department.name, []).append(department)

    def done(self, plan: _Plan) -> None:
        self.waiting[(plan.division.pk, plan.name)] -= 1

    def existing(self, plan: _Plan) -> Department | None:
        return self.by_key.get((plan.division.pk, plan.name))

    def find(self, plan: _Plan) -> Department | None | dict[str, str]:
        name = plan.parent_name
        local = self.by_key.get((plan.division.pk, name))
        if local is not None:
            return local
        if name == plan.name:
            return {LABELS["parent"]: "上级部门名称不能是本部门自身"}
        if self.waiting[(plan.division.pk, name)] > 0:
            return None
        found = self.by_name.get(name, [])
        if len(found) > 1:
            return {LABELS["parent"]: f"上级部门名称“{name}”在多个区划中重名，无法确定上级部门"}
        return found[0] if found else None


def _set_legacy_uscc(*, actor, department: Department, uscc: str, warning: str) -> None:
    """The flagged code is written next to the created department, in the row's savepoint,
    with its own audit record saying it was kept despite the failed check."""
    if Department.objects.filter(uscc=uscc).exists():
        raise invalid("uscc", "该统一社会信用代码已被其他部门使用")
    department.uscc, department.uscc_flagged = uscc, warning
    try:
        with transaction.atomic():
            department.save(update_fields=["uscc", "uscc_flagged"])
    except IntegrityError:
        raise invalid("uscc", "该统一社会信用代码已被其他部门使用") from None
    audit.record(
        actor=actor,
        action="orgs.department.uscc_flagged",
        target=department,
        changes={"uscc": uscc, "warning": warning},
    )


def _create(*, actor, plan: _Plan, parent: Department | None) -> Department:
    department = department_create(
        actor=actor,
        name=plan.name,
        division=plan.division,
        parent=parent,
        kind=plan.kind or DepartmentKind.GOVERNMENT,
        uscc=None if plan.warning else plan.uscc,
        sort_order=100 if plan.sort_order is None else plan.sort_order,
    )
    if plan.warning:
        _set_legacy_uscc(actor=actor, department=department, uscc=plan.uscc, warning=plan.warning)
    return department


def _attempt(*, actor, plan: _Plan, index: _Index) -> RowResult | None:
    line, key = plan.row.line, plan.name
    existing = index.existing(plan)
    if existing is not None:
        different = _differences(plan, existing)
        if not different:
            return unchanged(line, key)
        message = f"部门“{plan.name}”已存在，但{'、'.join(different)}与系统中不同；导入不修改已有部门"
        return failed(line, key, {LABELS["name"]: message})
    parent = index.find(plan) if plan.parent_name else None
    if isinstance(parent, dict):
        return failed(line, key, parent)
    if plan.parent_name and parent is None:
        return None
    try:
        # The row's savepoint: a legacy code is set after the create, and both go or neither.
        with transaction.atomic():
            index.add(_create(actor=actor, plan=plan, parent=parent))
    except DomainError as error:
        return failed_from_error(line, key, error, LABELS)
    if plan.warning:
        fields = {LABELS["uscc"]: plan.warning}
        return RowResult(line=line, status=RowStatus.FLAGGED, key=key, reason=plan.warning, fields=fields)
    return RowResult(line=line, status=RowStatus.CREATED, key=key)


def _divisions(rows: list[ImportRow]) -> dict[str, Division]:
    wanted = sorted({row.get("division_code") for row in rows if row.get("division_code")})
    found: dict[str, Division] = {}
    for part in chunks(wanted):
        found.update((d.code, d) for d in Division.objects.filter(code__in=part))
    return found


def _parents_first(plans: list[_Plan]) -> list[_Plan]:
    """Order rows so that a parent named in the same division of the file comes before its
    children: one pass then creates a whole tree (the passes remain for other cases)."""
    by_key = {(p.division.pk, p.name): p for p in plans}
    depth: dict[int, int] = {}
    for plan in plans:
        chain, current = [], plan
        while current is not None and id(current) not in depth and current not in chain:
            chain.append(current)
            current = by_key.get((current.division.pk, current.parent_name)) if current.parent_name else None
        base = depth.get(id(current), len(plans)) if current is not None else -1  # a cycle goes last
        for offset, item in enumerate(reversed(chain), start=1):
            depth[id(item)] = base + offset
    return sorted(plans, key=lambda p: (depth[id(p)], p.row.line))


def departments_import(*, actor, rows: list[ImportRow], allow_legacy_uscc: bool = False) -> ImportReport:
    if not can_department_manage(actor):
        raise PermissionDenied()
    if allow_legacy_uscc and not can_import_legacy_uscc(actor):
        raise PermissionDenied("没有导入历史统一社会信用代码的权限（仅数据管理员）")
    rows = list(rows)
    divisions = _divisions(rows)
    report = ImportReport(kind="departments")
    waiting: list[_Plan] = []
    seen: dict[tuple[str, str], int] = {}
    failed_lines: dict[str, int] = {}
    for row in rows:
        plan = _plan(row, divisions, allow_legacy_uscc)
        if isinstance(plan, dict):
            report.rows.append(failed(row.line, row.get("name"), plan))
            failed_lines.setdefault(row.get("name"), row.line)
        elif (plan.division.code, plan.name) in seen:
            first = seen[(plan.division.code, plan.name)]
            report.rows.append(failed(row.line, plan.name, {LABELS["name"]: f"部门名称与第{first}行重复"}))
        else:
            seen[(plan.division.code, plan.name)] = row.line
            waiting.append(plan)
    waiting = _parents_first(waiting)
    index = _Index(waiting)

    def step(plan: _Plan) -> RowResult | None:
        result = _attempt(actor=actor, plan=plan, index=index)
        if result is not None:
            index.done(plan)
        return result

    while waiting:
        results = in_batches(waiting, step)
        later = [plan for plan, result in zip(waiting, results, strict=True) if result is None]
        for plan, result in zip(waiting, results, strict=True):
            if result is not None:
                report.rows.append(result)
                if result.status == RowStatus.FAILED:
                    failed_lines.setdefault(plan.name, plan.row.line)
        if len(later) == len(waiting):
            break
        waiting = later
    for plan in waiting:
        note = (
            f"，文件第{failed_lines[plan.parent_name]}行未能导入" if plan.parent_name in failed_lines else ""
        )
        message = f"上级部门不存在（上级部门名称：{plan.parent_name}{note}）"
        report.rows.append(failed(plan.row.line, plan.name, {LABELS["parent"]: message}))
    report.rows.sort(key=lambda r: r.line)
    record_summary(actor=actor, report=report, allow_legacy_uscc=allow_legacy_uscc)
    return report
