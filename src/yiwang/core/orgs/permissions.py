"""Permission codes of organisations, and the predicates the services call."""

from yiwang.core.accounts.rbac import has_permission

DECLARED = [
    ("orgs.division.manage", "管理行政区划", ()),
    ("orgs.department.manage", "管理部门", ()),
    ("orgs.grid.manage", "管理网格", ()),
]


def can_division_manage(actor) -> bool:
    return has_permission(actor, "orgs.division.manage")


def can_department_manage(actor) -> bool:
    return has_permission(actor, "orgs.department.manage")


def can_grid_manage(actor) -> bool:
    return has_permission(actor, "orgs.grid.manage")
