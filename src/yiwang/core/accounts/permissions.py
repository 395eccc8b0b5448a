"""Permission codes of accounts, and the predicates the services call."""

from datetime import date

from django.db.models import Q
from django.utils import timezone

from yiwang.core.accounts.rbac import has_permission, permissions_over, scope_for

DECLARED = [
    ("core.admin.access", "进入系统管理后台", ()),
    ("accounts.user.view", "查看本部门人员", ("dept_admin", "supervisor", "leader")),
    ("accounts.user.manage", "管理人员与岗位", ("dept_admin",)),
    ("accounts.role.manage", "管理角色与权限", ()),
    ("accounts.personal_data.reveal", "查看完整个人信息", ("dept_admin", "window_clerk", "approver")),
]


def can_user_list(actor) -> bool:
    """May see the list of people in their scope at all (the list itself is scoped)."""
    return has_permission(actor, "accounts.user.view")


def can_user_manage(actor, department) -> bool:
    return scope_for(actor, "accounts.user.manage").includes(department)


def can_grant_city_wide(actor) -> bool:
    return scope_for(actor, "accounts.user.manage").city_wide


def can_user_administer(actor, user) -> bool:
    """Unlock, edit or deactivate an account: an official through any of their posts in the
    actor's management scope; a citizen or enterprise (no posts) only with city-wide scope."""
    if actor is None or user.pk == getattr(actor, "pk", None):
        return False
    departments = [post.department for post in user.posts.select_related("department")]
    if not departments:
        return can_grant_city_wide(actor)
    return any(can_user_manage(actor, department) for department in departments)


def can_role_grant(actor, role, department) -> bool:
    """No escalation: a manager may hand out only a role whose every permission the manager
    holds over that department (等保 2.0 权限分离: a 部门管理员 cannot mint a 系统管理员)."""
    if not can_user_manage(actor, department):
        return False
    return set(role.permissions.values_list("code", flat=True)) <= permissions_over(actor, department)


def can_role_manage(actor) -> bool:
    """Create, edit and delete roles and their permissions (系统管理员 by default)."""
    return has_permission(actor, "accounts.role.manage")


def can_personal_data_reveal(actor) -> bool:
    return has_permission(actor, "accounts.personal_data.reveal")


def can_act_for_enterprise(user, enterprise, *, today: date | None = None) -> bool:
    """The enterprise account itself, or a citizen (经办人) whose authorisation has not run out."""
    from yiwang.core.accounts.models import EnterpriseAgent

    if user.pk == enterprise.pk:
        return True
    today = today or timezone.localdate()
    return (
        EnterpriseAgent.objects.filter(enterprise=enterprise, agent_id=user.pk)
        .filter(Q(valid_until=None) | Q(valid_until__gte=today))
        .exists()
    )
