"""Reads of the catalogue: the officials' lists (scoped), the public 办事指南, the windows.

Officials: a department administrator sees the items of their departments (and below), the
政务服务管理局's publishers see every item; anything else is a 404, never a 403. The public
sees published items only; a version they may read is a published or superseded one (an
applicant reads the version they applied under, services.Application.item_version).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import OuterRef, Q, QuerySet, Subquery

from yiwang.core.accounts.rbac import scope_for
from yiwang.core.errors import NotFound, PermissionDenied
from yiwang.core.files.models import Attachment
from yiwang.core.ids import as_id
from yiwang.core.orgs.models import Department
from yiwang.licenses.models import LicenseType
from yiwang.services.models import (
    DeliveryMethod,
    HandlingForm,
    ItemMaterial,
    ItemStatus,
    LifeEvent,
    ServiceItem,
    ServiceItemVersion,
    ServiceWindow,
    SubjectKind,
    Theme,
    VersionStatus,
)
from yiwang.services.models.catalogue import ONLINE_DEPTH_ONLINE, ONLINE_DEPTHS
from yiwang.services.permissions import can_item_publish, can_window_manage
from yiwang.services.services.catalogue_fields import PROCESS_CODES, PROCESS_STEPS

OPEN_STATUSES = (VersionStatus.DRAFT, VersionStatus.SUBMITTED, VersionStatus.RETURNED)
PUBLIC_STATUSES = (VersionStatus.PUBLISHED, VersionStatus.SUPERSEDED)
OFFICE_FILTERS = {"draft", "published", "offline", "pending"}


# --- officials ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class CatalogueReach:
    publisher: bool
    manage_scope: object  # core.accounts.rbac.Scope of services.item.manage

    def includes(self, department) -> bool:
        return self.publisher or self.manage_scope.includes(department)


def catalogue_reach(*, actor) -> CatalogueReach:
    """What the actor may do with the catalogue; PermissionDenied when nothing."""
    reach = CatalogueReach(
        publisher=can_item_publish(actor), manage_scope=scope_for(actor, "services.item.manage")
    )
    if not reach.publisher and reach.manage_scope.empty:
        raise PermissionDenied("没有编制或审核政务服务事项的权限")
    return reach


def items_for_office(*, actor, status: str = "", text: str = "", department_id=None) -> QuerySet[ServiceItem]:
    """Items the actor manages or reviews, each with its version in the making (number, status)."""
    reach = catalogue_reach(actor=actor)
    open_versions = ServiceItemVersion.objects.filter(item=OuterRef("pk"), status__in=OPEN_STATUSES)
    items = ServiceItem.objects.select_related("department", "published_version").annotate(
        open_number=Subquery(open_versions.values("number")[:1]),
        open_status=Subquery(open_versions.values("status")[:1]),
    )
    if not reach.publisher:
        items = reach.manage_scope.filter(items)
    if status == "pending":
        items = items.filter(versions__status=VersionStatus.SUBMITTED)
    elif status in OFFICE_FILTERS:
        items = items.filter(status=status)
    if as_id(department_id):
        items = items.filter(department_id=as_id(department_id))
    text = (text or "").strip()[:64]
    if text:
        items = items.filter(Q(name__icontains=text) | Q(implementation_code__icontains=text.upper()))
    return items.order_by("-updated_at", "-pk")


def item_get_for_office(*, actor, item_id) -> ServiceItem:
    reach = catalogue_reach(actor=actor)
    item = (
        ServiceItem.objects.select_related("department", "department__division", "published_version")
        .filter(pk=as_id(item_id))
        .first()
        if as_id(item_id)
        else None
    )
    if item is None or not reach.includes(item.department):
        raise NotFound("事项不存在或无权查看")
    return item


def item_versions(*, item: ServiceItem) -> QuerySet[ServiceItemVersion]:
    """Every version, newest first: superseded ones are kept for ever."""
    return item.versions.select_related("created_by", "reviewed_by").order_by("-number")


def version_get_for_office(*, actor, item_id, number) -> ServiceItemVersion:
    item = item_get_for_office(actor=actor, item_id=item_id)
    version = _version_of(item, number)
    if version is None:
        raise NotFound("事项版本不存在")
    return version


def _version_of(item: ServiceItem, number, statuses=None) -> ServiceItemVersion | None:
    if not as_id(number):
        return None
    versions = item.versions.select_related("acceptance_department", "item__department")
    if statuses:
        versions = versions.filter(status__in=statuses)
    version = versions.filter(number=as_id(number)).first()
    if version is not None:
        version.item = item
    return version


def departments_for_drafting(*, actor) -> QuerySet[Department]:
    """Where the actor may create items: active departments in their manage scope."""
    scope = scope_for(actor, "services.item.manage")
    departments = Department.objects.filter(is_active=True).select_related("division")
    if not scope.city_wide:
        departments = _under(scope, departments)
    return departments.order_by("sort_order", "pk")


def _under(scope, departments: QuerySet) -> QuerySet:
    if not scope.department_paths:
        return departments.none()
    condition = Q()
    for path in scope.department_paths:
        condition |= Q(path__startswith=path)
    return departments.filter(condition)


def active_departments() -> QuerySet[Department]:
    """Choices for 受理部门, 并联审批部门 and a window's hall."""
    return Department.objects.filter(is_active=True).order_by("sort_order", "pk")


def license_types_for_items() -> QuerySet[LicenseType]:
    return LicenseType.objects.filter(is_active=True).order_by("code")


# --- the public ----------------------------------------------------------------------------------
def item_get_published(item_id) -> ServiceItem:
    """A published item (已下线 or never published: NotFound)."""
    item = (
        ServiceItem.objects.select_related("department", "published_version")
        .filter(pk=as_id(item_id), status=ItemStatus.PUBLISHED, published_version__isnull=False)
        .first()
        if as_id(item_id)
        else None
    )
    if item is None:
        raise NotFound("事项不存在或未发布")
    return item


def items_published(
    *, department_id=None, subject: str = "", life_event: str = "", theme: str = ""
) -> QuerySet[ServiceItem]:
    """Published items; the key fields are ",code," lists (one icontains each, no join)."""
    items = ServiceItem.objects.select_related("department").filter(
        status=ItemStatus.PUBLISHED, published_version__isnull=False
    )
    if as_id(department_id):
        items = items.filter(department_id=as_id(department_id))
    for field, value in (("subject_keys", subject), ("life_event_keys", life_event), ("theme_keys", theme)):
        if value:
            items = items.filter(**{f"{field}__icontains": f",{str(value)[:32]},"})
    return items.order_by("department_id", "base_code", "pk")


def version_get_public(item_id, number) -> ServiceItemVersion:
    """A published or superseded version of an item ever published."""
    item = (
        ServiceItem.objects.select_related("department").filter(pk=as_id(item_id)).first()
        if as_id(item_id)
        else None
    )
    version = _version_of(item, number, PUBLIC_STATUSES) if item is not None else None
    if version is None:
        raise NotFound("事项版本不存在或未发布")
    return version


def material_file_public(*, item_id, number, material_id, kind: str) -> Attachment:
    """The 空表 or 样表 of a material of a public version."""
    version = version_get_public(item_id, number)
    material = (
        ItemMaterial.objects.select_related("template__file", "sample__file")
        .filter(version=version, pk=as_id(material_id))
        .first()
        if as_id(material_id) and kind in ("template", "sample")
        else None
    )
    attachment = getattr(material, kind, None) if material is not None else None
    if attachment is None:
        raise NotFound("文件不存在")
    return attachment


def _labels(values, enum) -> list[str]:
    names = dict(enum.choices)
    return [str(names.get(v, v)) for v in values or []]


def guide_of(version: ServiceItemVersion) -> dict:
    """Everything a 办事指南 shows of a version, labels resolved (one query per list)."""
    materials = list(version.materials.select_related("template", "sample"))
    codes = {m.license_type for m in materials if m.license_type} | {version.result_license_type} - {""}
    type_names = dict(LicenseType.objects.filter(code__in=codes).values_list("code", "name"))
    for material in materials:
        material.license_type_name = type_names.get(material.license_type, "")
        material.files = [
            {"kind": kind, "label": label, "attachment": attachment}
            for kind, label, attachment in (
                ("template", "空表", material.template),
                ("sample", "样表", material.sample),
            )
            if attachment is not None
        ]
    item = version.item
    return {
        "item": item,
        "version": version,
        "materials": materials,
        "joint_departments": list(version.joint_departments.order_by("sort_order", "pk")),
        "acceptance_department": version.acceptance_department or item.department,
        "subjects": _labels(version.subjects, SubjectKind),
        "handling_forms": _labels(version.handling_forms, HandlingForm),
        "delivery_methods": _labels(version.delivery_methods, DeliveryMethod),
        "life_events": _labels(version.life_events, LifeEvent),
        "themes": _labels(version.themes, Theme),
        "online_depth_label": ONLINE_DEPTHS.get(version.online_depth, ""),
        "online": version.online_depth >= ONLINE_DEPTH_ONLINE,
        "visits_label": "全程网办（0次）" if version.visits == 0 else f"{version.visits}次",
        "process_name": PROCESS_CODES.get(version.process_code, version.process_code),
        "steps": PROCESS_STEPS.get(version.process_code, []),
        "result_license_type_name": type_names.get(version.result_license_type, ""),
        "is_current": item.published_version_id == version.pk and item.status == ItemStatus.PUBLISHED,
        # Files of a public version download through the guide's own link, others through files/.
        "public_files": version.status in PUBLIC_STATUSES,
    }


# --- windows -------------------------------------------------------------------------------------
def windows_for_office(*, actor) -> QuerySet[ServiceWindow]:
    if not can_window_manage(actor):
        raise PermissionDenied("没有管理服务窗口的权限（services.window.manage）")
    return ServiceWindow.objects.select_related("department").order_by(
        "department__sort_order", "department_id", "code"
    )


def window_get_for_office(*, actor, window_id) -> ServiceWindow:
    windows = windows_for_office(actor=actor)
    window = windows.filter(pk=as_id(window_id)).first() if as_id(window_id) else None
    if window is None:
        raise NotFound("窗口不存在")
    return window


def windows_active(*, department=None) -> QuerySet[ServiceWindow]:
    """Windows in use (for window staff choosing where they sit, and 一次一评)."""
    windows = ServiceWindow.objects.select_related("department").filter(is_active=True)
    if department is not None:
        windows = windows.filter(department=department)
    return windows.order_by("department_id", "code")
