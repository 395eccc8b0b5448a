"""File owner type `services.item_version` (core/files/owners.py): the 空表 and 样表 of an item
version's materials, the owner id the version's id.

Who may see them: anyone signed in once the version is published (or superseded — an
applicant reads the version they applied under); before that, the department's item
managers and the 政务服务管理局's publishers, like the draft itself. Anonymous visitors of the
public 办事指南 download them through the guide's own link (views_catalogue_public.py).
Who may add them: the item managers, while the version is still a draft or returned.
"""

from __future__ import annotations

from yiwang.core.ids import as_id
from yiwang.services.models import ServiceItemVersion, VersionStatus
from yiwang.services.permissions import can_item_manage, can_item_publish, is_signed_in

ITEM_VERSION_OWNER = "services.item_version"
PUBLIC_STATUSES = (VersionStatus.PUBLISHED, VersionStatus.SUPERSEDED)


def _version(owner_id: str) -> ServiceItemVersion | None:
    # Exact digits only, so "007" is not version 7.
    if not isinstance(owner_id, str) or not owner_id.isdigit() or owner_id != str(as_id(owner_id)):
        return None
    return ServiceItemVersion.objects.select_related("item__department").filter(pk=int(owner_id)).first()


def item_files_can_view(actor, owner_id: str) -> bool:
    if not is_signed_in(actor):
        return False
    version = _version(owner_id)
    if version is None:
        return False
    if version.status in PUBLIC_STATUSES:
        return True
    return can_item_publish(actor) or can_item_manage(actor, version.item.department)


def item_files_can_attach(actor, owner_id: str) -> bool:
    version = _version(owner_id)
    return (
        version is not None
        and version.editable
        and is_signed_in(actor)
        and can_item_manage(actor, version.item.department)
    )


def register() -> None:
    from yiwang.core.files.owners import register_owner

    register_owner(ITEM_VERSION_OWNER, can_view=item_files_can_view, can_attach=item_files_can_attach)
