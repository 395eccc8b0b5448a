"""Permission codes of accounts, and the predicates the services call."""

from yiwang.core.accounts.rbac import has_permission, scope_for

DECLARED = [
    ("core.admin.access", "进入系统管理后台", ()),
    ("accounts.user.view", "查看本部门人员", ("dept_admin", "supervisor", "leader")),
    ("accounts.user.manage", "管理人员与岗位", ("dept_admin",)),
    ("accounts.role.manage", "管理角色与权限", ()),
    ("accounts.personal_data.reveal", "查看完整个人信息", ("dept_admin", "window_clerk", "approver")),
]


def can_user_manage(actor, department) -> bool:
    return scope_for(actor, "accounts.user.manage").includes(department)


def can_grant_city_wide(actor) -> bool:
    return scope_for(actor, "accounts.user.manage").city_wide


def can_personal_data_reveal(actor) -> bool:
    return has_permission(actor, "accounts.personal_data.reveal")
