"""The audit log pages: browse and filter (administrators, 监察人员), and verify the chains."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_POST

from yiwang.core import errors
from yiwang.core.audit import selectors
from yiwang.core.audit.forms import AuditFilterForm
from yiwang.core.audit.permissions import can_audit_chain_verify

PER_PAGE = 50


@login_required
@require_GET
def audit_list(request):
    form = AuditFilterForm(request.GET)
    valid = form.is_valid()
    try:
        records = selectors.audit_list(actor=request.user, **(form.cleaned_data if valid else {}))
    except errors.PermissionDenied as denied:
        raise PermissionDenied(denied.message) from None
    except errors.InvalidInput as error:
        for name, reason in error.fields.items():
            form.add_error(name, reason)
        valid = False
    form.describe_errors()
    page_obj = Paginator(records, PER_PAGE).get_page(request.GET.get("page")) if valid else None
    return render(
        request,
        "audit/list.html",
        {
            "form": form,
            "page_obj": page_obj,
            "can_verify": can_audit_chain_verify(request.user),
        },
        status=200 if valid else 400,
    )


@login_required
@require_POST
def audit_verify(request):
    try:
        report = selectors.audit_chains_verify(actor=request.user)
    except errors.PermissionDenied as denied:
        raise PermissionDenied(denied.message) from None
    return render(request, "audit/verify.html", {"report": report})
