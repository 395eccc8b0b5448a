"""督办 box (issue 3 §5): the notices pressed on my departments, to acknowledge, and those
监察人员 sent. Thin, like views_supervision.py: one selector or service per request."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import F
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_GET, require_http_methods

from yiwang.core import errors
from yiwang.core.web.views._shared import official_required
from yiwang.workflow import selectors_supervision as selectors
from yiwang.workflow.forms_supervision import AcknowledgeForm
from yiwang.workflow.permissions import can_supervise
from yiwang.workflow.services.supervision import notice_acknowledge

PER_PAGE = 20
# 发出的督办: for 监察人员 and 领导, every notice sent over their supervision scope.
NOTICE_BOXES = {"received": gettext_noop("收到的督办"), "sent": gettext_noop("发出的督办")}


def _notices_page(request, *, box: str, failed=None, error: str = "", status: int = 200):
    box = box if box in NOTICE_BOXES else "received"
    may_send = can_supervise(request.user, None)
    if box == "sent" and not may_send:
        box = "received"
    notices = selectors.notices_for_actor(actor=request.user, box=box)
    if box == "received":  # waiting for our reply first, then the newest
        notices = notices.order_by(F("acknowledged_at").desc(nulls_first=True), "-created_at", "-id")
    page_obj = Paginator(notices, PER_PAGE).get_page(request.GET.get("page"))
    failed_id, failed_form = failed if failed else (None, None)
    for notice in page_obj:
        # The sender does not answer their own notice (the service would refuse).
        if box == "received" and notice.acknowledged_at is None and notice.sender_id != request.user.pk:
            notice.ack_form = (
                failed_form
                if notice.pk == failed_id
                else AcknowledgeForm(prefix=f"notice-{notice.pk}", initial={"version": notice.version})
            )
    boxes = [(code, name) for code, name in NOTICE_BOXES.items() if code == "received" or may_send]
    context = {
        "box": box,
        "boxes": boxes,
        "page_obj": page_obj,
        "pending": selectors.notices_for_actor(actor=request.user, box="received", pending_only=True).count(),
        "error": error,
    }
    return render(request, "workflow/supervision_notices.html", context, status=status)


@official_required
@require_GET
def notices(request):
    return _notices_page(request, box=request.GET.get("box", "received"))


@official_required
@require_http_methods(["POST"])
def acknowledge(request, notice_id: int):
    """督办反馈: the pressed department replies; a stale version is a 409 on the same page."""
    try:
        notice = selectors.notice_get_for_actor(actor=request.user, notice_id=notice_id)
    except errors.NotFound:
        raise Http404() from None
    form = AcknowledgeForm(request.POST, prefix=f"notice-{notice.pk}")
    error, status = "", 400
    if form.is_valid():
        try:
            notice_acknowledge(
                actor=request.user,
                notice=notice,
                reply=form.cleaned_data["reply"],
                expected_version=form.cleaned_data["version"],
            )
            messages.success(request, _("已反馈"))
            return redirect("supervision:notices")
        except errors.InvalidInput as invalid:
            form.add_service_errors(invalid)
            error = "" if invalid.fields else invalid.message
        except errors.PermissionDenied as denied:
            error, status = denied.message, 403
        except errors.NotFound:
            raise Http404() from None
        except errors.Conflict as conflict:
            error, status = conflict.message, 409
    form.mark_invalid_fields()
    return _notices_page(request, box="received", failed=(notice.pk, form), error=error, status=status)
