"""Reads of organisations. Divisions, departments and grids are public master data: every
signed-in user may list them (an official needs them to route work)."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from yiwang.core.errors import InvalidInput, NotFound
from yiwang.core.orgs.models import Department, Division, Grid


def division_list(*, parent_code: str | None = None, level: str | None = None, query: str = "") -> QuerySet:
    divisions = Division.objects.select_related("parent")
    if parent_code:
        divisions = divisions.filter(parent__code=parent_code)
    if level:
        divisions = divisions.filter(level=level)
    query = (query or "").strip()
    if query:
        divisions = divisions.filter(Q(name__contains=query) | Q(code__startswith=query))
    return divisions.order_by("code")


def _plausible_code(code) -> bool:
    # Division and grid codes are digits; anything else cannot exist (and a NUL would make
    # PostgreSQL raise instead of answering "no such row").
    return isinstance(code, str) and code.isascii() and code.isdigit() and len(code) <= 32


def division_get(*, code: str) -> Division:
    if not _plausible_code(code):
        raise NotFound()
    try:
        return Division.objects.select_related("parent").get(code=code)
    except Division.DoesNotExist:
        raise NotFound() from None


def division_for_input(*, code: str | None, field: str) -> Division | None:
    """A division named in a request body: missing is fine, unknown is the field's error."""
    if not code:
        return None
    division = Division.objects.filter(code=code).first() if _plausible_code(code) else None
    if division is None:
        raise InvalidInput(fields={field: f"行政区划 {code} 不存在"})
    return division


def department_list(
    *,
    division_code: str | None = None,
    parent_id: int | None = None,
    query: str = "",
    include_inactive: bool = False,
) -> QuerySet:
    departments = Department.objects.select_related("division", "parent")
    if not include_inactive:
        departments = departments.filter(is_active=True)
    if division_code:
        departments = departments.filter(division__code=division_code)
    if parent_id:
        departments = departments.filter(parent_id=parent_id)
    query = (query or "").strip()
    if query:
        departments = departments.filter(Q(name__contains=query) | Q(short_name__contains=query))
    return departments.order_by("sort_order", "id")


def department_get(*, department_id: int) -> Department:
    try:
        return Department.objects.select_related("division", "parent").get(pk=department_id)
    except (Department.DoesNotExist, ValueError, TypeError, OverflowError):
        raise NotFound() from None


def department_for_input(*, department_id: int | None, field: str) -> Department | None:
    """A department named in a request body: missing is fine, unknown is the field's error."""
    if not department_id:
        return None
    department = Department.objects.select_related("division").filter(pk=department_id).first()
    if department is None:
        raise InvalidInput(fields={field: "部门不存在"})
    return department


def department_descendants(department: Department) -> QuerySet:
    return Department.objects.filter(path__startswith=department.path)


def grid_list(*, division_code: str | None = None, department_id: int | None = None) -> QuerySet:
    grids = Grid.objects.select_related("division", "department")
    if division_code:
        grids = grids.filter(division__code__startswith=division_code)
    if department_id:
        grids = grids.filter(department_id=department_id)
    return grids.order_by("code")


def grid_get(*, code: str) -> Grid:
    if not _plausible_code(code):
        raise NotFound()
    try:
        return Grid.objects.select_related("division", "department").get(code=code)
    except Grid.DoesNotExist:
        raise NotFound() from None
