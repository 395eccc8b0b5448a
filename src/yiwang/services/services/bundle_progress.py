"""一件事的办结与统一送达 (issue 5 §5: all results delivered together).

The workflow effects (effects.py) call `bundle_child_finished` in the transaction that ends an
application of a bundle (办结, 不予受理 or 撤回). Each item's department decides on its own
clock; the applicant is told once, when the last item has ended, with every result listed:

- 电子送达: every completed item is marked delivered now (送达记录 “一件事统一送达”) and so is
  the bundle — the licences are already in 我的证照 and the documents on the status page;
- 邮寄 / 窗口领取: nothing is marked; the lead department's window hands the results over
  together and records it with `bundle_deliver`.

The bundle application row is locked first, so two departments deciding at the same moment
are ordered and exactly one of them sees "every item has ended".
"""

from __future__ import annotations

from django.db import transaction
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from yiwang.core.audit import services as audit
from yiwang.core.errors import Conflict, InvalidInput, PermissionDenied
from yiwang.core.notify import services as notify
from yiwang.services.models import Application, ApplicationStatus, BundleApplication, DeliveryMethod
from yiwang.services.models.applications import ENDED_STATUSES
from yiwang.services.permissions import can_application_deliver

DELIVERY_NOTE = "一件事统一送达"


def _link(bundle_application) -> str:
    try:
        return reverse("services:my_bundle", args=[bundle_application.pk])
    except NoReverseMatch:
        return ""


def _result_line(child: Application) -> str:
    name = child.item_version.name if child.item_version_id else child.item.name
    if child.status == ApplicationStatus.COMPLETED:
        line = f"{name}：{child.get_outcome_display() or '已办结'}"
        if child.license_id:
            line += f"，已颁发电子证照“{child.license.type_name}”（编号{child.license.number}）"
        return line
    return f"{name}：{ApplicationStatus(child.status).label}"


@transaction.atomic
def bundle_child_finished(application) -> None:
    """Called (in the deciding transaction) when an application with a bundle ends; when the
    last one ends, the bundle's results are delivered together."""
    if application.bundle_application_id is None:
        return
    bundle_application = (
        BundleApplication.objects.select_for_update()
        .select_related("bundle", "applicant")
        .get(pk=application.bundle_application_id)
    )
    if bundle_application.completed_at is not None:
        return  # already completed (an effect repeated): deliver once
    children = list(
        bundle_application.applications.select_related("item", "item_version", "license").order_by("id")
    )
    for child in children:  # the caller's copy is the one just decided, saved or not
        if child.pk == application.pk:
            child.status, child.outcome = application.status, application.outcome
    if not children or any(child.status not in ENDED_STATUSES for child in children):
        return
    now = timezone.now()
    bundle_application.completed_at = now
    completed = [c for c in children if c.status == ApplicationStatus.COMPLETED]
    electronic = bundle_application.delivery_method == DeliveryMethod.ELECTRONIC
    if electronic and completed:
        Application.objects.filter(pk__in=[c.pk for c in completed], delivered_at__isnull=True).update(
            delivered_at=now, delivery_note=DELIVERY_NOTE
        )
        bundle_application.delivered_at = now
    bundle_application.save(update_fields=["completed_at", "delivered_at"])
    audit.record(
        actor=None,
        action="services.bundle_application.completed",
        target=bundle_application,
        changes={
            "children": {c.number or c.pk: c.status for c in children},
            "delivered": bundle_application.delivered_at is not None,
        },
    )
    if any(c.status != ApplicationStatus.WITHDRAWN for c in children):
        _notify_completed(bundle_application, children, electronic=electronic)


def _notify_completed(bundle_application, children, *, electronic: bool) -> None:
    lines = [_result_line(c) for c in children]
    if electronic:
        lines.append("办理结果已统一电子送达：电子证照在“我的证照”，决定文书在一件事办理页下载。")
    elif bundle_application.delivery_method == DeliveryMethod.MAIL:
        lines.append("办理结果将统一邮寄送达。")
    else:
        lines.append(f"请到{bundle_application.bundle.lead_department.name}窗口统一领取办理结果。")
    notify.notify(
        recipient=bundle_application.applicant,
        title=f"您的“{bundle_application.bundle.name}”已全部办结",
        body="\n".join(lines),
        link=_link(bundle_application),
        category="services",
    )


@transaction.atomic
def bundle_deliver(*, actor, bundle_application: BundleApplication, note: str = "") -> BundleApplication:
    """窗口统一送达 of a bundle delivered by mail or at the window: every completed item and the
    bundle are marked delivered at once (the 运单号 or who collected it goes in `note`)."""
    bundle_application = (
        BundleApplication.objects.select_for_update()
        .select_related("bundle__lead_department", "applicant")
        .get(pk=bundle_application.pk)
    )
    if not can_application_deliver(actor, bundle_application.bundle.lead_department):
        raise PermissionDenied("没有为该一件事办理送达的权限（services.application.deliver）")
    note = note.strip() if isinstance(note, str) else ""
    if len(note) > 200:
        raise InvalidInput(fields={"note": "送达记录至多200个字符"})
    if bundle_application.completed_at is None:
        raise Conflict("该一件事尚未全部办结，办结后统一送达")
    if bundle_application.delivered_at is not None:
        raise Conflict("该一件事的办理结果已送达")
    now = timezone.now()
    delivery_note = f"{DELIVERY_NOTE}：{note}" if note else DELIVERY_NOTE
    delivered = list(
        bundle_application.applications.filter(
            status=ApplicationStatus.COMPLETED, delivered_at__isnull=True
        ).values_list("pk", flat=True)
    )
    Application.objects.filter(pk__in=delivered).update(delivered_at=now, delivery_note=delivery_note[:255])
    bundle_application.delivered_at = now
    bundle_application.save(update_fields=["delivered_at"])
    audit.record(
        actor=actor,
        action="services.bundle_application.delivered",
        target=bundle_application,
        changes={"note": note, "applications": delivered},
    )
    notify.notify(
        recipient=bundle_application.applicant,
        title=f"您的“{bundle_application.bundle.name}”办理结果已送达",
        body=delivery_note,
        link=_link(bundle_application),
        category="services",
    )
    return bundle_application
