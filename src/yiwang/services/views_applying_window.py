"""窗口代办 (issue 5 §3, 线上线下一体化): the 窗口人员 finds the person at the counter by
身份证号 and 姓名 (accounts' blind-index look-up) or the enterprise by 统一社会信用代码, chooses
the item and the window, and fills in the same application record the person would online;
submitting passes 预审 at once (applying_submit.py)."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from yiwang.core import errors
from yiwang.core.web.views._shared import official_required
from yiwang.services import selectors_applications as selectors
from yiwang.services.forms_applying import WindowApplyForm
from yiwang.services.models import ItemStatus, ServiceItem
from yiwang.services.services.applying import application_draft_create
from yiwang.services.views_applying import found
from yiwang.services.views_applying_edit import edit_page

ITEMS_SHOWN = 500


def _items():
    return list(
        ServiceItem.objects.filter(status=ItemStatus.PUBLISHED, published_version__isnull=False)
        .select_related("department")
        .order_by("name", "id")[:ITEMS_SHOWN]
    )


@never_cache
@official_required
@require_http_methods(["GET", "POST"])
def window_apply(request):
    windows = list(selectors.windows_for_clerk(actor=request.user))
    if not windows:
        raise Http404()  # not a 窗口人员 of any hall
    items = _items()
    form = WindowApplyForm(request.POST or None, items=items, windows=windows)
    context = {"form": form}
    if request.method == "GET" or not form.is_valid():
        context["form"] = form.mark_invalid_fields()
        return render(
            request, "services/applying/window_apply.html", context, status=400 if request.POST else 200
        )
    data = form.cleaned_data
    try:
        applicant = selectors.applicant_find_for_window(
            id_number=data["id_number"], name=data["name"], uscc=data["uscc"]
        )
        item = selectors.item_get_for_applying(item_id=data["item"])
        window = selectors.window_get_for_clerk(actor=request.user, window_id=data["window"])
        application = application_draft_create(
            actor=request.user, item=item, applicant=applicant, channel="window", window=window
        )
    except (errors.InvalidInput, errors.NotFound, errors.PermissionDenied) as refused:
        if isinstance(refused, errors.InvalidInput):
            form.add_service_errors(refused)
        else:
            form.add_error(None, refused.message)
        context["form"] = form.mark_invalid_fields()
        return render(request, "services/applying/window_apply.html", context, status=400)
    return redirect("services:window_application_edit", application_id=application.pk)


@never_cache
@official_required
@require_http_methods(["GET", "POST"])
def window_application_edit(request, application_id: int):
    application = found(
        selectors.application_get_for_window, actor=request.user, application_id=application_id
    )
    return edit_page(request, application)
