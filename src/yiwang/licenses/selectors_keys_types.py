"""Reads of the workbench's 签名密钥 and 证照类型 pages, scoped to who may manage them.

- Keys: the departments where the actor holds licenses.key.manage that can issue (a USCC, the
  颁发机构代码 in every identifier) or already hold keys; a department or key outside that scope
  is NotFound, no right at all PermissionDenied. Keys come with their public half only.
- Types are city-wide (licenses.type.manage): every type, inactive ones too.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from yiwang.core.accounts.rbac import has_permission, scope_for
from yiwang.core.errors import NotFound, PermissionDenied
from yiwang.core.ids import as_id
from yiwang.core.orgs.models import Department
from yiwang.licenses.models import LicenseType, SigningKey
from yiwang.licenses.selectors import license_type_get, license_type_list

KEY_PERMISSION = "licenses.key.manage"
TYPE_PERMISSION = "licenses.type.manage"


def key_departments_for(*, actor) -> QuerySet[Department]:
    scope = scope_for(actor, KEY_PERMISSION)
    if scope.empty:
        raise PermissionDenied("没有管理证照签名密钥的权限（licenses.key.manage）")
    departments = Department.objects.filter(
        Q(is_active=True) & (Q(uscc__isnull=False) & ~Q(uscc="") | Q(signing_keys__isnull=False))
    ).distinct()
    if not scope.city_wide:
        paths = Q()
        for path in scope.department_paths:
            paths |= Q(path__startswith=path)
        departments = departments.filter(paths)
    return departments.order_by("sort_order", "name", "id")


def key_department_get(*, actor, department_id) -> Department:
    department = key_departments_for(actor=actor).filter(pk=as_id(department_id)).first()
    if department is None:
        raise NotFound("部门不存在或无权管理其签名密钥")
    return department


def signing_keys_by_department(department_ids) -> dict[int, list[SigningKey]]:
    """Each department's keys, newest first; the private key column is never loaded."""
    keys = (
        SigningKey.objects.filter(department_id__in=list(department_ids))
        .defer("private_pem_encrypted", "public_pem")
        .order_by("department_id", "-created_at", "-id")
    )
    grouped: dict[int, list[SigningKey]] = {}
    for key in keys:
        grouped.setdefault(key.department_id, []).append(key)
    return grouped


def signing_key_get_for_manager(*, actor, key_pk) -> SigningKey:
    departments = key_departments_for(actor=actor)
    key = (
        SigningKey.objects.select_related("department")
        .filter(pk=as_id(key_pk), department__in=departments)
        .first()
    )
    if key is None:
        raise NotFound("签名密钥不存在或无权管理")
    return key


def _require_type_manager(actor) -> None:
    if not has_permission(actor, TYPE_PERMISSION):
        raise PermissionDenied("没有管理证照类型的权限（licenses.type.manage）")


def license_types_for_manager(*, actor) -> QuerySet[LicenseType]:
    _require_type_manager(actor)
    return license_type_list(include_inactive=True)


def license_type_get_for_manager(*, actor, type_id) -> LicenseType:
    _require_type_manager(actor)
    return license_type_get(type_id=type_id)


def type_departments() -> QuerySet[Department]:
    """Choices for 定义机构 and 颁发机构: active departments (the service names those lacking a USCC)."""
    return Department.objects.filter(is_active=True).order_by("sort_order", "name", "id")
