"""Roles and permissions as data, and the scope an official may see.

Each package declares its permission codes in `<package>/permissions.py` as `DECLARED`:
`(code, 中文名称, default role codes)`. After every migrate, `sync_permissions` creates the
missing permission rows and grants a *new* permission to its default roles once; after that
the grants are data that administrators change.

Scope: a post gives its role's permissions over its department and that department's
children (`Department.path` prefix), or over the whole city when `city_wide`.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass

from django.apps import apps as django_apps
from django.db.models import Q, QuerySet

BUILTIN_ROLES: tuple[tuple[str, str, str], ...] = (
    ("sys_admin", "系统管理员", "管理区划、部门、网格、角色、日历与流程定义"),
    ("dept_admin", "部门管理员", "管理本部门及下级部门的人员与岗位"),
    ("window_clerk", "窗口人员", "预审、受理、一次性告知"),
    ("approver", "审批人员", "审查与决定"),
    ("hotline_agent", "12345坐席", "受理来电、知识库答复、派单"),
    ("handler", "承办人员", "签收、办理、答复工单"),
    ("data_admin", "数据管理员", "编目、发布数据与审批共享申请"),
    ("supervisor", "监察人员", "电子监察、督办、查看审计日志"),
    ("leader", "领导", "查看统计与监察"),
    ("service_manager", "政务服务管理员", "审核发布政务服务事项与一件事、差评回访与申诉复核"),
)


def declared_permissions() -> list[tuple[str, str, tuple[str, ...]]]:
    found: list[tuple[str, str, tuple[str, ...]]] = []
    for config in django_apps.get_app_configs():
        if not config.name.startswith("yiwang."):
            continue
        try:
            module = importlib.import_module(f"{config.name}.permissions")
        except ModuleNotFoundError as error:
            if error.name != f"{config.name}.permissions":
                raise
            continue
        found.extend((code, name, tuple(roles)) for code, name, roles in getattr(module, "DECLARED", ()))
    return found


def sync_permissions(sender=None, using="default", **kwargs) -> None:
    """post_migrate: make sure built-in roles and every declared permission exist."""
    Permission = django_apps.get_model("accounts", "Permission")
    Role = django_apps.get_model("accounts", "Role")
    if sender is not None and sender.label != "accounts":
        return
    roles = {}
    for code, name, description in BUILTIN_ROLES:
        role, _ = Role.objects.using(using).get_or_create(
            code=code, defaults={"name": name, "description": description, "builtin": True}
        )
        roles[code] = role
    for code, name, default_roles in declared_permissions():
        permission, created = Permission.objects.using(using).get_or_create(
            code=code, defaults={"name": name}
        )
        if created:
            for role_code in {"sys_admin", *default_roles}:
                if role_code in roles:
                    roles[role_code].permissions.add(permission)


@dataclass(frozen=True)
class Grant:
    permission: str
    department_id: int
    department_path: str
    city_wide: bool


def _grants(user) -> list[Grant]:
    """All (permission, department) grants of a user, loaded once per user object."""
    cached = getattr(user, "_yiwang_grants", None)
    if cached is not None:
        return cached
    Post = django_apps.get_model("accounts", "Post")
    rows = (
        Post.objects.filter(user_id=user.pk, user__is_active=True, department__is_active=True)
        .values_list("role__permissions__code", "department_id", "department__path", "city_wide")
        .exclude(role__permissions__code=None)
    )
    grants = [Grant(*row) for row in rows]
    user._yiwang_grants = grants
    return grants


def forget_grants(user) -> None:
    user.__dict__.pop("_yiwang_grants", None)


def has_permission(user, permission: str) -> bool:
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return any(g.permission == permission for g in _grants(user))


def permissions_over(user, department) -> set[str]:
    """The permission codes a user holds over one department (through it, an ancestor, or a
    city-wide post)."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return set()
    return {
        g.permission for g in _grants(user) if g.city_wide or department.path.startswith(g.department_path)
    }


@dataclass(frozen=True)
class Scope:
    """Which departments' objects a permission reaches for one user."""

    city_wide: bool
    department_paths: tuple[str, ...]

    @property
    def empty(self) -> bool:
        return not self.city_wide and not self.department_paths

    def includes_path(self, path: str | None) -> bool:
        if self.city_wide:
            return True
        return bool(path) and any(path.startswith(p) for p in self.department_paths)

    def includes(self, department) -> bool:
        return department is not None and self.includes_path(department.path)

    def filter(self, queryset: QuerySet, department_field: str = "department") -> QuerySet:
        if self.city_wide:
            return queryset
        if not self.department_paths:
            return queryset.none()
        condition = Q()
        for path in self.department_paths:
            condition |= Q(**{f"{department_field}__path__startswith": path})
        return queryset.filter(condition)


def scope_for(user, permission: str) -> Scope:
    if not has_permission(user, permission):
        return Scope(city_wide=False, department_paths=())
    grants = [g for g in _grants(user) if g.permission == permission]
    if any(g.city_wide for g in grants):
        return Scope(city_wide=True, department_paths=())
    paths = sorted({g.department_path for g in grants})
    # Drop paths already covered by an ancestor path.
    kept = tuple(p for p in paths if not any(p != q and p.startswith(q) for q in paths))
    return Scope(city_wide=False, department_paths=kept)
