"""Review and life of an item's versions: 提交审核 → 发布 or 退回, a new draft from the published
version, and taking an item off the portal (下线) and back.

The department writes, the 政务服务管理局 checks (two keys, services/permissions.py). Published
versions are kept for ever: publishing a new one marks the old one 已被替代, and an application
keeps pointing at the version it was made under (`Application.item_version`), so its guide,
materials list and time limit stay what the applicant was shown. Taking an item offline changes
the item only; running applications go on under their version.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone

from yiwang.core.audit import services as audit
from yiwang.core.errors import Conflict, InvalidInput, invalid
from yiwang.core.files.services import file_copy
from yiwang.services import search
from yiwang.services.models import (
    ItemMaterial,
    ItemStatus,
    ServiceItem,
    ServiceItemVersion,
    VersionStatus,
)
from yiwang.services.services.catalogue_checks import check_complete, check_content, content_of
from yiwang.services.services.catalogue_common import (
    ITEM_VERSION_OWNER,
    item_managers,
    item_publishers,
    locked_item,
    locked_version,
    require_edit_version,
    require_manage,
    require_publish,
    require_status,
    tell,
)
from yiwang.services.services.catalogue_materials import check_materials

OPEN = (VersionStatus.DRAFT, VersionStatus.SUBMITTED, VersionStatus.RETURNED)
OPINION_MAX = 500
# Fields of a version that belong to its review, not its content: not copied to a new draft.
_NOT_COPIED = {
    "id",
    "item",
    "number",
    "status",
    "created_by",
    "created_at",
    "submitted_at",
    "reviewed_by",
    "reviewed_at",
    "review_opinion",
    "published_at",
    "edit_version",
}


def _text(value, field: str, label: str, *, required: bool) -> str:
    text = value.strip() if isinstance(value, str) else ""
    if required and not text:
        raise invalid(field, f"请填写{label}")
    if len(text) > OPINION_MAX or "\x00" in text:
        raise invalid(field, f"{label}至多{OPINION_MAX}个字符")
    return text


def _material_specs(version: ServiceItemVersion) -> list[dict]:
    return [
        {
            "code": m.code,
            "name": m.name,
            "required": m.required,
            "form": m.form,
            "copies": m.copies,
            "is_key": m.is_key,
            "license_type": m.license_type,
            "shared_data": m.shared_data,
            "notes": m.notes,
            "template_id": m.template_id,
            "sample_id": m.sample_id,
        }
        for m in version.materials.all()
    ]


@transaction.atomic
def version_submit(*, actor, version: ServiceItemVersion, expected_version: int) -> ServiceItemVersion:
    """草稿/已退回 → 待审核 (frozen). The whole version is checked again: a licence type or a
    department may have been switched off since it was written."""
    version = locked_version(version)
    require_manage(actor, version.item)
    require_edit_version(version, expected_version)
    require_status(version, VersionStatus.DRAFT, VersionStatus.RETURNED, doing="提交审核")
    errors = check_content(content_of(version), version=version).errors
    errors.update(check_materials(_material_specs(version), version=version)[1])
    errors.update(check_complete(version))
    if errors:
        raise InvalidInput("事项内容不完整或有误，请按提示修改后再提交", fields=errors)
    version.status, version.submitted_at = VersionStatus.SUBMITTED, timezone.now()
    version.edit_version += 1
    version.save(update_fields=["status", "submitted_at", "edit_version"])
    audit.record(
        actor=actor, action="services.item.submitted", target=version, changes={"number": version.number}
    )
    tell(
        item_publishers(),
        item=version.item,
        title=f"事项待审核：{version.name}（第{version.number}版）",
        body=f"{version.item.department.name}提交了事项“{version.name}”，请审核发布或退回。",
    )
    return version


def _copy_to_item(item: ServiceItem, version: ServiceItemVersion) -> None:
    """The published version's fields the portal filters by, on the item row (models docstring)."""
    item.name = version.name
    item.item_type = version.item_type
    item.handling_kind = version.handling_kind
    item.online_depth = version.online_depth
    item.subject_keys = f",{','.join(version.subjects)}," if version.subjects else ""
    item.life_event_keys = f",{','.join(version.life_events)}," if version.life_events else ""
    item.theme_keys = f",{','.join(version.themes)}," if version.themes else ""


@transaction.atomic
def version_publish(*, actor, version: ServiceItemVersion, opinion: str = "") -> ServiceItemVersion:
    """待审核 → 已发布; the version published before becomes 已被替代 (kept, never deleted)."""
    version = locked_version(version)
    item = locked_item(version.item)
    require_publish(actor, item)
    require_status(version, VersionStatus.SUBMITTED, doing="发布")
    opinion = _text(opinion, "opinion", "审核意见", required=False)
    now = timezone.now()
    previous = item.published_version
    if previous is not None and previous.pk != version.pk:
        previous.status = VersionStatus.SUPERSEDED
        previous.save(update_fields=["status"])
    version.status, version.published_at = VersionStatus.PUBLISHED, now
    version.reviewed_by, version.reviewed_at, version.review_opinion = actor, now, opinion
    version.save(update_fields=["status", "published_at", "reviewed_by", "reviewed_at", "review_opinion"])
    _copy_to_item(item, version)
    item.status, item.published_version, item.updated_at = ItemStatus.PUBLISHED, version, now
    item.save()
    search.index_item(item)
    audit.record(
        actor=actor,
        action="services.item.published",
        target=version,
        changes={
            "number": version.number,
            "superseded": previous.number if previous else None,
            "opinion": opinion,
        },
    )
    tell(
        item_managers(item.department),
        item=item,
        title=f"事项已发布：{version.name}（第{version.number}版）",
        body=opinion,
    )
    return version


@transaction.atomic
def version_return(*, actor, version: ServiceItemVersion, opinion: str) -> ServiceItemVersion:
    """待审核 → 已退回, with the reason the department needs to fix it."""
    version = locked_version(version)
    require_publish(actor, version.item)
    require_status(version, VersionStatus.SUBMITTED, doing="退回")
    opinion = _text(opinion, "opinion", "退回意见", required=True)
    version.status = VersionStatus.RETURNED
    version.reviewed_by, version.reviewed_at, version.review_opinion = actor, timezone.now(), opinion
    version.edit_version += 1
    version.save(update_fields=["status", "reviewed_by", "reviewed_at", "review_opinion", "edit_version"])
    audit.record(
        actor=actor,
        action="services.item.returned",
        target=version,
        changes={"number": version.number, "opinion": opinion},
    )
    tell(
        item_managers(version.item.department),
        item=version.item,
        title=f"事项被退回：{version.name}（第{version.number}版）",
        body=opinion,
    )
    return version


def _open_conflict(open_version: ServiceItemVersion) -> Conflict:
    label = VersionStatus(open_version.status).label
    return Conflict(f"已有未发布的第{open_version.number}版（{label}），请在该版本上修改，不能再新建草稿")


@transaction.atomic
def version_draft_new(*, actor, item: ServiceItem) -> ServiceItemVersion:
    """A new 草稿 copied from the published version (fields, 并联审批部门, materials with their
    空表/样表), numbered one above the last. One version in the making per item."""
    item = locked_item(item)
    require_manage(actor, item)
    open_version = item.versions.filter(status__in=OPEN).first()
    if open_version is not None:
        raise _open_conflict(open_version)
    source = item.published_version
    if source is None:
        raise Conflict("事项尚无已发布的版本可供复制")
    last = item.versions.order_by("-number").values_list("number", flat=True).first() or 0
    draft = ServiceItemVersion(item=item, number=last + 1, status=VersionStatus.DRAFT, created_by=actor)
    for model_field in ServiceItemVersion._meta.concrete_fields:
        if model_field.name not in _NOT_COPIED:
            setattr(draft, model_field.attname, getattr(source, model_field.attname))
    try:
        with transaction.atomic():
            draft.save(force_insert=True)
    except IntegrityError:  # item_one_open_version: another draft made at the same moment
        raise Conflict("已有未发布的版本，请刷新后在该版本上修改") from None
    draft.joint_departments.set(source.joint_departments.all())
    copies: dict[int, int] = {}
    materials = list(source.materials.select_related("template", "sample"))
    for attachment in {a.pk: a for m in materials for a in (m.template, m.sample) if a}.values():
        copies[attachment.pk] = file_copy(
            actor=actor, attachment=attachment, owner_type=ITEM_VERSION_OWNER, owner_id=draft.pk
        ).pk
    ItemMaterial.objects.bulk_create(
        ItemMaterial(
            version=draft,
            position=m.position,
            code=m.code,
            name=m.name,
            required=m.required,
            form=m.form,
            copies=m.copies,
            is_key=m.is_key,
            license_type=m.license_type,
            shared_data=m.shared_data,
            notes=m.notes,
            template_id=copies.get(m.template_id),
            sample_id=copies.get(m.sample_id),
        )
        for m in materials
    )
    audit.record(
        actor=actor,
        action="services.item.draft_created",
        target=draft,
        changes={"number": draft.number, "from": source.number},
    )
    return draft


@transaction.atomic
def item_unpublish(*, actor, item: ServiceItem, reason: str) -> ServiceItem:
    """已发布 → 已下线: gone from the portal and from applying; running applications keep their
    version and go on (nothing else changes)."""
    item = locked_item(item)
    require_publish(actor, item)
    reason = _text(reason, "reason", "下线原因", required=True)
    if item.status != ItemStatus.PUBLISHED:
        raise Conflict("只有已发布的事项可以下线")
    item.status, item.updated_at = ItemStatus.OFFLINE, timezone.now()
    item.save(update_fields=["status", "updated_at"])
    search.index_item(item)
    audit.record(actor=actor, action="services.item.unpublished", target=item, changes={"reason": reason})
    tell(item_managers(item.department), item=item, title=f"事项已下线：{item.name}", body=reason)
    return item


@transaction.atomic
def item_restore(*, actor, item: ServiceItem) -> ServiceItem:
    """已下线 → 已发布 again, with the version that was published."""
    item = locked_item(item)
    require_publish(actor, item)
    if item.status != ItemStatus.OFFLINE or item.published_version_id is None:
        raise Conflict("只有已下线的事项可以恢复发布")
    item.status, item.updated_at = ItemStatus.PUBLISHED, timezone.now()
    item.save(update_fields=["status", "updated_at"])
    search.index_item(item)
    audit.record(actor=actor, action="services.item.restored", target=item, changes={})
    tell(item_managers(item.department), item=item, title=f"事项已恢复发布：{item.name}")
    return item
