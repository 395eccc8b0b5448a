"""Roles as data: create, edit and delete roles and their permissions (atomic, audited).

Grants need no invalidation after a change: `rbac._grants` caches them on the user *object*,
and every request loads its user afresh (session backend or API token), so a holder of the
role sees the new permissions on their next request.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from django.db import IntegrityError, transaction

from yiwang.core.accounts.models import Permission, Role
from yiwang.core.accounts.permissions import can_role_manage
from yiwang.core.accounts.rbac import forget_grants
from yiwang.core.accounts.services.users import FieldErrors, check_name
from yiwang.core.audit import services as audit
from yiwang.core.errors import Conflict, NotFound, PermissionDenied, invalid

_CODE = re.compile(r"[a-z][a-z0-9_]{1,31}")

# Without these two nobody could open the admin or repair roles again (等保 2.0: the
# system administrator's own rights must not be removable by mistake).
SYS_ADMIN = "sys_admin"
SYS_ADMIN_KEEPS = ("accounts.role.manage", "core.admin.access")


# --- validation ------------------------------------------------------------------------------
def _check_code(errors: FieldErrors, code: str) -> str:
    code = (code or "").strip()
    if not _CODE.fullmatch(code):
        errors["code"] = "角色代码须以小写字母开头，由2–32位小写字母、数字或下划线组成"
    elif Role.objects.filter(code=code).exists():
        errors["code"] = "该角色代码已存在"
    return code


def _check_role_name(errors: FieldErrors, name: str, *, exclude: Role | None = None) -> str:
    name = check_name(errors, "name", "角色名称", name, max_length=64)
    if "name" not in errors:
        others = Role.objects.filter(name=name)
        if exclude is not None:
            others = others.exclude(pk=exclude.pk)
        if others.exists():
            errors["name"] = "已有同名角色"
    return name


def _check_description(errors: FieldErrors, description: str | None) -> str:
    description = (description or "").strip()
    if len(description) > 255:
        errors["description"] = "说明不能超过255个字"
    return description


def _check_permissions(errors: FieldErrors, permission_codes: Iterable[str]) -> list[Permission]:
    if isinstance(permission_codes, str):  # one code where a list was meant
        permission_codes = [permission_codes]
    wanted = {(code or "").strip() for code in permission_codes}
    found = list(Permission.objects.filter(code__in=wanted))
    unknown = sorted(wanted - {p.code for p in found})
    if unknown:
        errors["permissions"] = "以下权限代码不存在：" + "、".join(unknown)
    return found


def _check_sys_admin_keeps(errors: FieldErrors, role: Role, permissions: list[Permission]) -> None:
    if role.code != SYS_ADMIN or "permissions" in errors:
        return
    kept = {p.code for p in permissions}
    missing = [code for code in SYS_ADMIN_KEEPS if code not in kept]
    if missing:
        names = dict(Permission.objects.filter(code__in=missing).values_list("code", "name"))
        listed = "、".join(f"“{names.get(code, code)}”（{code}）" for code in missing)
        errors["permissions"] = f"系统管理员角色必须保留{listed}，否则将无人能够修复角色配置"


# --- writes ----------------------------------------------------------------------------------
@transaction.atomic
def role_create(
    *, actor, code: str, name: str, description: str = "", permission_codes: Iterable[str] = ()
) -> Role:
    if not can_role_manage(actor):
        raise PermissionDenied("没有管理角色与权限的权限")
    errors = FieldErrors()
    code = _check_code(errors, code)
    name = _check_role_name(errors, name)
    description = _check_description(errors, description)
    permissions = _check_permissions(errors, permission_codes)
    errors.raise_if_any()
    role = Role(code=code, name=name, description=description, builtin=False)
    try:
        with transaction.atomic():  # two managers creating the same role at once: one wins
            role.save(force_insert=True)
    except IntegrityError:
        if Role.objects.filter(name=name).exists():
            raise invalid("name", "该角色名称已存在") from None
        raise invalid("code", "该角色代码已存在") from None
    role.permissions.set(permissions)
    audit.record(
        actor=actor,
        action="core.role.created",
        target=role,
        changes={
            "code": code,
            "name": name,
            "description": description,
            "permissions": sorted(p.code for p in permissions),
        },
    )
    forget_grants(actor)
    return role


@transaction.atomic
def role_update(
    *,
    actor,
    role: Role,
    name: str | None = None,
    description: str | None = None,
    permission_codes: Iterable[str] | None = None,
) -> Role:
    """Edit a role's name, description or permissions (its code never changes: posts,
    imports and other cities' configuration name roles by code). Built-in roles may get
    other permissions too, except that 系统管理员 always keeps `SYS_ADMIN_KEEPS`."""
    if not can_role_manage(actor):
        raise PermissionDenied("没有管理角色与权限的权限")
    # Lock the row: two concurrent edits of one role's permissions are applied one after the
    # other, and each audit record lists what that edit really added and removed.
    locked = Role.objects.select_for_update().filter(pk=role.pk).first()
    if locked is None:
        raise NotFound("角色不存在")
    errors = FieldErrors()
    if name is not None:
        name = _check_role_name(errors, name, exclude=locked)
    if description is not None:
        description = _check_description(errors, description)
    permissions = None
    if permission_codes is not None:
        permissions = _check_permissions(errors, permission_codes)
        _check_sys_admin_keeps(errors, locked, permissions)
    errors.raise_if_any()

    changes: dict = {}
    for field, value in (("name", name), ("description", description)):
        if value is not None and getattr(locked, field) != value:
            changes[field] = [getattr(locked, field), value]
            setattr(locked, field, value)
    if changes:
        locked.save(update_fields=list(changes))
    if permissions is not None:
        before = set(locked.permissions.values_list("code", flat=True))
        after = {p.code for p in permissions}
        if before != after:
            locked.permissions.set(permissions)
            changes["permissions_added"] = sorted(after - before)
            changes["permissions_removed"] = sorted(before - after)
    if not changes:
        return locked
    audit.record(
        actor=actor, action="core.role.updated", target=locked, changes={"code": locked.code, **changes}
    )
    forget_grants(actor)  # the actor may hold this role: later checks in this request see the change
    return locked


@transaction.atomic
def role_delete(*, actor, role: Role) -> None:
    """Delete a role nobody holds. Built-in roles stay: the platform's own defaults and
    imports name them; empty one by removing its permissions instead."""
    if not can_role_manage(actor):
        raise PermissionDenied("没有管理角色与权限的权限")
    # The row lock makes a concurrent post grant (which key-share-locks the role through its
    # foreign key) wait for us or finish first, so the count below is the truth.
    locked = Role.objects.select_for_update().filter(pk=role.pk).first()
    if locked is None:
        raise NotFound("角色不存在")
    if locked.builtin:
        raise Conflict(f"“{locked.name}”是内置角色，不能删除；如不再使用，可移除其权限", code="role_builtin")
    held = locked.posts.count()
    if held:
        raise Conflict(f"仍有{held}个岗位使用“{locked.name}”角色，请先撤销这些岗位再删除", code="role_in_use")
    audit.record(
        actor=actor,
        action="core.role.deleted",
        target=locked,
        changes={
            "code": locked.code,
            "name": locked.name,
            "permissions": sorted(locked.permissions.values_list("code", flat=True)),
        },
    )
    locked.delete()
