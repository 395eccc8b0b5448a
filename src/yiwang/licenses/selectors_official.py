"""Reads for the officials' licence pages: the licences of the departments an official may
issue or revoke for, the types they may issue, and one licence with its versions.

Scope is the union of licenses.issue and licenses.revoke: a 审批人员 who may only revoke still
needs to find what they revoke. Out of scope → NotFound; no right at all → PermissionDenied.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.utils import timezone

from yiwang.core.accounts.rbac import Scope, scope_for
from yiwang.core.errors import NotFound, PermissionDenied
from yiwang.licenses.models import License, LicenseStatus, LicenseType, LicenseUse
from yiwang.licenses.permissions import can_license_issue
from yiwang.licenses.selectors import license_get_for_official

STATUS_FILTERS = ("valid", "expired", "revoked", "superseded")
MAX_SEARCH = 128


def _reach(actor) -> Scope:
    issue, revoke = scope_for(actor, "licenses.issue"), scope_for(actor, "licenses.revoke")
    paths = tuple(sorted(set(issue.department_paths) | set(revoke.department_paths)))
    return Scope(city_wide=issue.city_wide or revoke.city_wide, department_paths=paths)


def require_license_office(actor) -> Scope:
    scope = _reach(actor)
    if scope.empty:
        raise PermissionDenied("没有颁发或吊销电子证照的权限（licenses.issue / licenses.revoke）")
    return scope


def licenses_for_official(
    *, actor, type_id: int | None = None, status: str = "", search: str = ""
) -> QuerySet[License]:
    """Every version issued by the departments in reach, newest first, filtered by type, shown
    status (expiry by date applied) and a part of the 证照标识 or the 证照编号."""
    licenses = require_license_office(actor).filter(
        License.objects.select_related("issuer", "license_type"), "issuer"
    )
    if type_id:
        licenses = licenses.filter(license_type_id=type_id)
    today = timezone.localdate()
    current = Q(valid_until=None) | Q(valid_until__gte=today)
    if status == "valid":
        licenses = licenses.filter(current, status=LicenseStatus.VALID)
    elif status == "expired":
        licenses = licenses.filter(status=LicenseStatus.VALID, valid_until__lt=today)
    elif status in (LicenseStatus.REVOKED, LicenseStatus.SUPERSEDED):
        licenses = licenses.filter(status=status)
    text = search.strip().upper()[:MAX_SEARCH] if isinstance(search, str) else ""
    if text:
        licenses = licenses.filter(Q(identifier__contains=text) | Q(number__iexact=search.strip()))
    return licenses.order_by("-created_at", "-id")


def license_types_in_reach(*, actor) -> QuerySet[LicenseType]:
    """Types some department in the actor's reach issues (for the list's filter)."""
    types = require_license_office(actor).filter(LicenseType.objects.all(), "issuers")
    return types.distinct().order_by("code")


def license_types_issuable(*, actor) -> list[LicenseType]:
    """Active types the actor may issue in the name of at least one of their issuers."""
    scope = scope_for(actor, "licenses.issue")
    if scope.empty:
        raise PermissionDenied("没有颁发电子证照的权限（licenses.issue）")
    types = scope.filter(LicenseType.objects.filter(is_active=True), "issuers").distinct()
    return list(types.prefetch_related("issuers").order_by("code"))


def issuers_for(*, actor, license_type: LicenseType) -> list:
    """The type's issuing departments in whose name the actor may issue."""
    return [d for d in license_type.issuers.all() if d.is_active and can_license_issue(actor, d)]


def license_get_for_office(*, actor, license_id) -> License:
    """One licence of a department where the actor may issue or revoke; else NotFound."""
    require_license_office(actor)
    for permission in ("licenses.issue", "licenses.revoke"):
        try:
            return license_get_for_official(actor=actor, license_id=license_id, permission=permission)
        except NotFound:
            continue
    raise NotFound("证照不存在或无权查看")


def license_versions(license_: License) -> QuerySet[License]:
    """Every version of the licence's series, newest first."""
    return License.objects.filter(series=license_.series).order_by("-version")


def license_uses_of(*, actor, license: License) -> QuerySet[LicenseUse]:
    """Who used this licence (any of its versions); only its holder asks."""
    if license.holder_id != getattr(actor, "pk", None):
        return LicenseUse.objects.none()
    return (
        LicenseUse.objects.select_related("license", "used_by")
        .filter(license__series=license.series, license__holder_id=actor.pk)
        .order_by("-at", "-id")
    )
