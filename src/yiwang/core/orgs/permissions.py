"""Permission codes of organisations, and the predicates the services call."""

from yiwang.core.accounts.rbac import has_permission

DECLARED = [
    ("orgs.division.manage", "管理行政区划", ()),
    ("orgs.department.manage", "管理部门", ()),
    ("orgs.grid.manage", "管理网格", ()),
    # STANDARDS.md §1: only a data steward may keep a legacy USCC whose check digit fails.
    ("orgs.import.legacy", "导入校验位错误的历史统一社会信用代码", ("data_admin",)),
]


def can_division_manage(actor) -> bool:
    return has_permission(actor, "orgs.division.manage")


def can_department_manage(actor) -> bool:
    return has_permission(actor, "orgs.department.manage")


def can_grid_manage(actor) -> bool:
    return has_permission(actor, "orgs.grid.manage")


def can_import_legacy_uscc(actor) -> bool:
    return has_permission(actor, "orgs.import.legacy")
