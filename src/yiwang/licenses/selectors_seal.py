"""Reads of 电子印章: the departments whose seal an official manages, and a seal's PNG bytes
for the licence PDF.

Scope is licenses.key.manage; only departments that issue licences (an issuer of some type, or
holding a signing key) are listed — a seal on a department that issues nothing stamps nothing.
Out of scope → NotFound; no right at all → PermissionDenied.
"""

from __future__ import annotations

import logging

from django.core.files.storage import default_storage
from django.db.models import Q, QuerySet

from yiwang.core.accounts.rbac import scope_for
from yiwang.core.errors import NotFound, PermissionDenied
from yiwang.core.ids import as_id
from yiwang.core.orgs.models import Department
from yiwang.licenses.models import IssuerSeal

logger = logging.getLogger("yiwang.licenses.seals")
PERMISSION = "licenses.key.manage"


def seal_departments_for(*, actor) -> QuerySet[Department]:
    """Issuing departments where the actor manages keys (and so the seal), by name."""
    scope = scope_for(actor, PERMISSION)
    if scope.empty:
        raise PermissionDenied("没有管理电子印章的权限（licenses.key.manage）")
    issuing = Q(issuable_license_types__isnull=False) | Q(signing_keys__isnull=False)
    departments = Department.objects.filter(issuing, is_active=True).distinct()
    if not scope.city_wide:
        paths = Q()
        for path in scope.department_paths:
            paths |= Q(path__startswith=path)
        departments = departments.filter(paths)
    return departments.order_by("sort_order", "name", "id")


def seal_department_get(*, actor, department_id) -> Department:
    """One department whose seal the actor manages; any other is NotFound."""
    department = seal_departments_for(actor=actor).filter(pk=as_id(department_id)).first()
    if department is None:
        raise NotFound("部门不存在或无权管理其电子印章")
    return department


def issuer_seals(department_ids) -> dict[int, IssuerSeal]:
    """The seals of these departments, by department id (for the page's previews)."""
    seals = IssuerSeal.objects.select_related("attachment", "updated_by").filter(
        department_id__in=list(department_ids)
    )
    return {seal.department_id: seal for seal in seals}


def issuer_seal_png(department_id: int) -> bytes | None:
    """The issuer's seal image for its licences' PDFs, or None (the default seal is drawn).
    A blob missing from storage is logged and falls back to the default: a lost picture must
    not keep a holder from their licence."""
    seal = IssuerSeal.objects.select_related("attachment__file").filter(department_id=department_id).first()
    if seal is None:
        return None
    stored = seal.attachment.file
    try:
        with default_storage.open(stored.storage_name, "rb") as handle:
            return handle.read()
    except OSError:
        logger.error("电子印章图片 %s（部门 %s）在存储中缺失，改用默认印章", stored.sha256, department_id)
        return None
