"""我的证照 (issue 4 §5): a holder's licences, one licence with its content, its PDF and signed
JSON, a time-limited share link (shown once) and its withdrawal (撤回), and 用证记录 — who used the licences and when.

Another holder's licence is a 404 (the selectors and services say so); every read of the
content is audited by the services.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from yiwang.core import errors, personal_data
from yiwang.core.files.responses import content_disposition
from yiwang.licenses import selectors
from yiwang.licenses.forms import ShareForm
from yiwang.licenses.selectors_official import license_uses_of
from yiwang.licenses.services.reading import effective_status, license_pdf_for_holder, license_read_for_holder
from yiwang.licenses.services.wallet import license_download_signed, share_link_create, share_link_revoke
from yiwang.licenses.verdicts import label_of, with_status

PER_PAGE = 20
RECENT_USES = 20
SHARES_SHOWN = 20


def _own(request, license_id: int):
    try:
        return selectors.license_get_for_holder(actor=request.user, license_id=license_id)
    except errors.NotFound:
        raise Http404() from None


def verify_url(request, identifier: str) -> str:
    """The absolute URL of the public verification page: what the PDF's QR code holds."""
    return request.build_absolute_uri(reverse("licenses:verify_result", args=[identifier]))


@login_required
@require_GET
def wallet(request):
    include_superseded = request.GET.get("all") == "1"
    rows = selectors.licenses_for_holder(actor=request.user, include_superseded=include_superseded)
    page_obj = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    with_status(page_obj.object_list)
    return render(
        request, "licenses/wallet.html", {"page_obj": page_obj, "include_superseded": include_superseded}
    )


@login_required
@require_GET
def wallet_uses(request):
    rows = selectors.license_uses_for_holder(actor=request.user)
    page_obj = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "licenses/wallet_uses.html", {"page_obj": page_obj})


def _render_detail(request, license_, *, share_form=None, share=None, error="", status=200):
    try:
        content = license_read_for_holder(actor=request.user, license=license_)
    except errors.Conflict as conflict:
        content, error, status = None, conflict.message, 409
    shown = effective_status(license_)
    form = (share_form or ShareForm()).mark_invalid_fields()
    context = {
        "licence": license_,
        "content": content,
        "shown_status": shown,
        "shown_status_label": label_of(shown),
        "verify_url": verify_url(request, license_.identifier),
        "share_form": form if shown == "valid" else None,
        "share": share,
        "shares": selectors.share_links_for_holder(actor=request.user, license=license_, current_only=True)[
            :SHARES_SHOWN
        ],
        "uses": license_uses_of(actor=request.user, license=license_)[:RECENT_USES],
        "error": error,
    }
    return render(request, "licenses/wallet_detail.html", context, status=status)


@never_cache  # the licence's content is personal data: no shared cache keeps it
@login_required
@require_GET
def wallet_detail(request, license_id: int):
    return _render_detail(request, _own(request, license_id))


@never_cache
@login_required
@require_POST
def wallet_share(request, license_id: int):
    license_ = _own(request, license_id)
    form = ShareForm(request.POST)
    if not form.is_valid():
        return _render_detail(request, license_, share_form=form, status=400)
    try:
        link, token = share_link_create(
            actor=request.user, license=license_, hours=form.cleaned_data["hours"]
        )
    except errors.InvalidInput as invalid:
        form.add_service_errors(invalid)
        return _render_detail(request, license_, share_form=form, status=400)
    except errors.Conflict as conflict:
        return _render_detail(request, license_, error=conflict.message, status=409)
    # Not a redirect: the link is shown on this one response and never again.
    url = request.build_absolute_uri(reverse("licenses:shared", args=[token]))
    return _render_detail(request, license_, share={"url": url, "expires_at": link.expires_at})


@never_cache
@login_required
@require_POST
def wallet_share_revoke(request, license_id: int, share_id: int):
    """撤回 one of the licence's share links; its page then says 链接已失效."""
    license_ = _own(request, license_id)
    try:
        link = selectors.share_link_get_for_holder(actor=request.user, share_id=share_id)
        if link.license_id != license_.pk:
            raise errors.NotFound()
        share_link_revoke(actor=request.user, link=link)
    except errors.NotFound:
        raise Http404() from None
    messages.success(request, _("核验链接已撤回，对方再打开将显示“链接已失效”"))
    return redirect("licenses:wallet_detail", license_id=license_.pk)


def _file_name(license_, extension: str) -> str:
    return f"{license_.type_name}_{license_.number or license_.serial}_v{license_.version}.{extension}"


@never_cache
@login_required
@require_GET
def wallet_pdf(request, license_id: int):
    license_ = _own(request, license_id)
    try:
        pdf = license_pdf_for_holder(
            actor=request.user, license=license_, verify_url=verify_url(request, license_.identifier)
        )
    except errors.Conflict as conflict:
        return _render_detail(request, license_, error=conflict.message, status=409)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition(_file_name(license_, "pdf"), "pdf")
    response["Cache-Control"] = "private, no-store"
    return response


@never_cache
@login_required
@require_GET
def wallet_signed(request, license_id: int):
    license_ = _own(request, license_id)
    try:
        document = license_download_signed(actor=request.user, license=license_)
    except errors.NotFound:
        raise Http404() from None
    except (ValueError, personal_data.DecryptionFailed):
        return _render_detail(
            request, license_, error="证照数据无法读取（可能已被篡改），请联系颁发机构", status=409
        )
    response = JsonResponse(document, json_dumps_params={"ensure_ascii": False, "indent": 2})
    response["Content-Disposition"] = content_disposition(_file_name(license_, "json"), "json")
    response["Cache-Control"] = "private, no-store"
    return response
