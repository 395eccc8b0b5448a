"""The applicant's status pages of 一件事 (issue 5 §5): /me/bundles/ (我的一件事) and
/me/bundles/<id>/ — the one combined status (草稿 / 待受理 / 待补正 / 审查中 / 已办结), the latest
deadline, each item's row (department, status, deadline, result, a link to the item's own
application page for 补正) and 撤回 of every item still open.

Thin: parse → one selector or service → render. Another person's bundle application is a 404.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from yiwang.core import errors
from yiwang.services import selectors_bundles as selectors
from yiwang.services.forms_applying import WithdrawForm
from yiwang.services.models.applications import OPEN_STATUSES
from yiwang.services.services.bundle_submitting import bundle_application_withdraw
from yiwang.services.views_bundles import application_url, found

PER_PAGE = 20


def _reload(request, bundle_application_id):
    return found(
        selectors.bundle_application_get, actor=request.user, bundle_application_id=bundle_application_id
    )


# --- status --------------------------------------------------------------------------------
def render_status(request, bundle_application, *, withdraw_form=None, error="", status=200):
    combined = selectors.bundle_application_status(bundle_application)
    for child in combined.children:
        # a draft item is edited here, in the merged form, not on its own page
        child.url = "" if bundle_application.is_draft else application_url(child.application.pk)
    can_withdraw = not bundle_application.is_draft and any(
        c.status in OPEN_STATUSES for c in combined.children
    )
    context = {
        "bundle_application": bundle_application,
        "bundle": bundle_application.bundle,
        "combined": combined,
        "materials": selectors.bundle_application_materials(bundle_application),
        "withdraw_form": (withdraw_form or WithdrawForm()).mark_invalid_fields() if can_withdraw else None,
        "error": error,
    }
    return render(request, "services/bundles/mine.html", context, status=status)


@never_cache
@login_required
@require_GET
def my_bundle(request, bundle_application_id: int):
    return render_status(request, _reload(request, bundle_application_id))


@never_cache
@login_required
@require_GET
def my_bundles(request):
    rows = selectors.bundle_applications_for_applicant(actor=request.user)
    page_obj = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "services/bundles/my_list.html", {"page_obj": page_obj})


@login_required
@require_POST
def bundle_withdraw_view(request, bundle_application_id: int):
    bundle_application = _reload(request, bundle_application_id)
    form = WithdrawForm(request.POST)
    if not form.is_valid():
        return render_status(request, bundle_application, withdraw_form=form, status=400)
    try:
        bundle_application_withdraw(
            actor=request.user, bundle_application=bundle_application, reason=form.cleaned_data["reason"]
        )
    except errors.InvalidInput as refused:
        form.add_service_errors(refused)
        return render_status(request, bundle_application, withdraw_form=form, status=400)
    except (errors.Conflict, errors.PermissionDenied) as refused:
        return render_status(request, bundle_application, error=refused.message, status=409)
    messages.success(request, _("已撤回尚未办结的全部事项"))
    return redirect("services:my_bundle", bundle_application_id=bundle_application.pk)
