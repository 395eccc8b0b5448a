"""What the catalogue's writes share: who may write, locking a version against concurrent edits,
and who is told.

Two keys (services/permissions.py): the implementing department's 部门管理员 drafts
(`services.item.manage`, scoped to their departments), the 政务服务管理局 publishes
(`services.item.publish`). An item the actor can neither manage nor publish is a 404.
"""

from __future__ import annotations

from django.db.models import Q
from django.urls import reverse

from yiwang.core.accounts.models import Post, User
from yiwang.core.errors import Conflict, NotFound, PermissionDenied
from yiwang.core.notify.services import Notice, notify_many
from yiwang.services.models import ServiceItem, ServiceItemVersion, VersionStatus
from yiwang.services.owner_types_catalogue import ITEM_VERSION_OWNER  # noqa: F401 - the materials' files
from yiwang.services.permissions import can_item_manage, can_item_publish

NOTIFY_CAP = 50


def item_visible(actor, item: ServiceItem) -> bool:
    return can_item_publish(actor) or can_item_manage(actor, item.department)


def require_manage(actor, item: ServiceItem) -> None:
    if can_item_manage(actor, item.department):
        return
    if can_item_publish(actor):
        raise PermissionDenied("事项由实施部门的部门管理员编制，政务服务管理局负责审核发布")
    raise NotFound("事项不存在或无权查看")


def require_publish(actor, item: ServiceItem) -> None:
    if can_item_publish(actor):
        return
    if can_item_manage(actor, item.department):
        raise PermissionDenied("事项须由政务服务管理局的政务服务管理员审核发布")
    raise NotFound("事项不存在或无权查看")


def locked_version(version: ServiceItemVersion) -> ServiceItemVersion:
    """The version re-read under a row lock: two editors queue here, the second sees the
    first's edit_version and gets a 409."""
    found = (
        ServiceItemVersion.objects.select_for_update(of=("self",))
        .select_related("item", "item__department", "item__department__division")
        .filter(pk=version.pk)
        .first()
    )
    if found is None:
        raise NotFound("事项版本不存在")
    return found


def locked_item(item: ServiceItem) -> ServiceItem:
    found = (
        ServiceItem.objects.select_for_update(of=("self",))
        .select_related("department", "department__division")
        .filter(pk=item.pk)
        .first()
    )
    if found is None:
        raise NotFound("事项不存在或无权查看")
    return found


def require_edit_version(version: ServiceItemVersion, expected_version) -> None:
    if expected_version != version.edit_version:
        raise Conflict(
            "该版本已被他人修改（您打开的是旧内容），请刷新后重新修改",
            fields={"expected_version": "版本已变化，请刷新后重试"},
        )


def require_status(version: ServiceItemVersion, *statuses: str, doing: str) -> None:
    if version.status not in statuses:
        label = VersionStatus(version.status).label
        raise Conflict(f"第{version.number}版当前状态为“{label}”，不能{doing}")


def _holders(permission: str, department=None) -> list[User]:
    """Officials holding `permission` over `department` (None: anywhere). 系统管理员 hold every
    permission to repair roles; they are not the catalogue's editors and are not told."""
    posts = Post.objects.filter(
        user__is_active=True, department__is_active=True, role__permissions__code=permission
    ).exclude(role__code="sys_admin")
    if department is not None:
        ancestors = [department.path[:end] for end in range(1, len(department.path) + 1)]
        posts = posts.filter(Q(city_wide=True) | Q(department__path__in=ancestors))
    ids = posts.values_list("user_id", flat=True).distinct().order_by("user_id")[:NOTIFY_CAP]
    return list(User.objects.filter(pk__in=list(ids)).order_by("pk"))


def item_managers(department) -> list[User]:
    return _holders("services.item.manage", department)


def item_publishers() -> list[User]:
    return _holders("services.item.publish")


def tell(recipients, *, item: ServiceItem, title: str, body: str = "") -> None:
    link = reverse("services:item_office", args=[item.pk])
    notify_many(
        Notice(recipient=user, title=title, body=body, link=link, category="services") for user in recipients
    )
