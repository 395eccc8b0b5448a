"""Reads of organisations. Divisions, departments and grids are public master data: every
signed-in user may list them (an official needs them to route work)."""

from __future__ import annotations

from django.db.models import QuerySet

from yiwang.core.errors import NotFound
from yiwang.core.orgs.models import Department, Division, Grid


def division_list(*, parent_code: str | None = None, level: str | None = None, query: str = "") -> QuerySet:
    divisions = Division.objects.select_related("parent")
    if parent_code:
        divisions = divisions.filter(parent__code=parent_code)
    if level:
        divisions = divisions.filter(level=level)
    if query:
        divisions = divisions.filter(name__contains=query) | divisions.filter(code__startswith=query)
    return divisions.order_by("code")


def division_get(*, code: str) -> Division:
    try:
        return Division.objects.select_related("parent").get(code=code)
    except Division.DoesNotExist:
        raise NotFound() from None


def department_list(*, division_code: str | None = None, parent_id: int | None = None, query: str = "") -> QuerySet:
    departments = Department.objects.select_related("division", "parent").filter(is_active=True)
    if division_code:
        departments = departments.filter(division__code=division_code)
    if parent_id:
        departments = departments.filter(parent_id=parent_id)
    if query:
        departments = departments.filter(name__contains=query)
    return departments


def department_get(*, department_id: int) -> Department:
    try:
        return Department.objects.select_related("division", "parent").get(pk=department_id)
    except (Department.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


def department_descendants(department: Department) -> QuerySet:
    return Department.objects.filter(path__startswith=department.path)


def grid_list(*, division_code: str | None = None) -> QuerySet:
    grids = Grid.objects.select_related("division", "department")
    if division_code:
        grids = grids.filter(division__code__startswith=division_code)
    return grids


def grid_get(*, code: str) -> Grid:
    try:
        return Grid.objects.select_related("division", "department").get(code=code)
    except Grid.DoesNotExist:
        raise NotFound() from None
