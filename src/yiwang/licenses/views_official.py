"""电子证照 on the workbench (issue 4 §2, §6): the licences of the departments an official
issues or revokes for, 颁发 with an input per field of the chosen type, and one licence with
its versions, 变更 (a new version) and 吊销.

Thin: each view parses a form and calls one selector or service; out of scope → 404, no
licences right → 403, a refusal is shown beside its field (400) or on top (403, 409).
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from yiwang.core import errors
from yiwang.core.accounts.rbac import has_permission
from yiwang.core.web.views._shared import official_required
from yiwang.licenses import selectors, selectors_official
from yiwang.licenses.forms_official import DATA_PREFIX, IssueForm, LicenseFilterForm, ReviseForm, RevokeForm
from yiwang.licenses.permissions import can_license_issue, can_license_revoke
from yiwang.licenses.services.issuing import license_issue
from yiwang.licenses.services.reading import effective_status, license_read_for_official
from yiwang.licenses.services.revising import license_revise, license_revoke
from yiwang.licenses.verdicts import label_of, with_status

PER_PAGE = 20


def _checked(call, *args, **kwargs):
    """A selector's refusals as Django's: NotFound → 404, PermissionDenied → 403."""
    try:
        return call(*args, **kwargs)
    except errors.NotFound:
        raise Http404() from None
    except errors.PermissionDenied as denied:
        raise PermissionDenied(denied.message) from None


@official_required
@require_GET
def office_list(request):
    types = _checked(selectors_official.license_types_in_reach, actor=request.user)
    form = LicenseFilterForm(request.GET, types=types)
    valid = form.is_valid()
    filters = form.cleaned_data if valid else {}
    rows = selectors_official.licenses_for_official(
        actor=request.user,
        type_id=filters.get("type"),
        status=filters.get("status", ""),
        search=filters.get("q", ""),
    )
    page_obj = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    with_status(page_obj.object_list)
    context = {
        "form": form.mark_invalid_fields(),
        "page_obj": page_obj,
        "can_issue": has_permission(request.user, "licenses.issue"),
        "can_use": has_permission(request.user, "licenses.use"),
        "can_manage_seal": has_permission(request.user, "licenses.key.manage"),
        "can_manage_types": has_permission(request.user, "licenses.type.manage"),
    }
    return render(request, "licenses/office_list.html", context, status=200 if valid else 400)


@official_required
@require_http_methods(["GET", "POST"])
def office_issue(request):
    """Step 1 chooses the type (?type=); step 2 fills in the holder, number, fields and dates."""
    types = _checked(selectors_official.license_types_issuable, actor=request.user)
    chosen = next((t for t in types if str(t.pk) == request.GET.get("type", "")), None)
    context = {"types": types, "chosen": chosen}
    if chosen is None:
        status = 400 if request.method == "POST" or request.GET.get("type") else 200
        context["type_error"] = _("请选择证照类型") if status == 400 else ""
        return render(request, "licenses/office_issue.html", context, status=status)
    issuers = selectors_official.issuers_for(actor=request.user, license_type=chosen)
    form = IssueForm(request.POST if request.method == "POST" else None, license_type=chosen, issuers=issuers)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                issued = _issue(request, form, chosen)
            except errors.InvalidInput as invalid:
                form.add_service_errors(invalid)
            except errors.PermissionDenied as denied:
                form.add_error(None, denied.message)
                status = 403
            else:
                messages.success(
                    request, _("已颁发电子证照 %(identifier)s") % {"identifier": issued.identifier}
                )
                return redirect("licenses:office_detail", license_id=issued.pk)
    context["form"] = form.mark_invalid_fields()
    return render(request, "licenses/office_issue.html", context, status=status)


def _issue(request, form: IssueForm, license_type):
    data = form.cleaned_data
    holder = selectors.holder_for_code(
        actor=request.user, code=data["holder_code"], permission="licenses.issue"
    )
    return license_issue(
        actor=request.user,
        license_type=license_type,
        holder=holder,
        issuer=form.issuer(),
        number=data["number"],
        data=form.licence_data(),
        issued_on=data.get("issued_on"),
        valid_from=data.get("valid_from"),
        valid_until=data.get("valid_until"),
    )


def _render_detail(request, license_, *, revoke_form=None, revise_form=None, error="", status=200):
    try:
        content = license_read_for_official(actor=request.user, license=license_)
    except errors.NotFound:
        raise Http404() from None
    except errors.Conflict as conflict:
        content, error, status = None, conflict.message, 409
    open_ = license_.status == "valid" and content is not None
    if open_ and revise_form is None and can_license_issue(request.user, license_.issuer):
        initial = {
            "number": license_.number,
            "valid_from": license_.valid_from,
            "valid_until": license_.valid_until,
            **{DATA_PREFIX + name: value for name, value in content.data.items()},
        }
        revise_form = ReviseForm(prefix="revise", initial=initial, license_type=license_.license_type)
    if open_ and revoke_form is None and can_license_revoke(request.user, license_):
        revoke_form = RevokeForm(prefix="revoke")
    shown = effective_status(license_)
    context = {
        "licence": license_,
        "content": content,
        "shown_status": shown,
        "shown_status_label": label_of(shown),
        "versions": selectors_official.license_versions(license_),
        "revoke_form": revoke_form.mark_invalid_fields() if revoke_form else None,
        "revise_form": revise_form.mark_invalid_fields() if revise_form else None,
        "error": error,
    }
    return render(request, "licenses/office_detail.html", context, status=status)


def _licence(request, license_id: int):
    return _checked(selectors_official.license_get_for_office, actor=request.user, license_id=license_id)


@never_cache  # shows the licence's content: personal data
@official_required
@require_GET
def office_detail(request, license_id: int):
    return _render_detail(request, _licence(request, license_id))


@never_cache
@official_required
@require_POST
def office_revoke(request, license_id: int):
    license_ = _licence(request, license_id)
    form = RevokeForm(request.POST, prefix="revoke")
    if form.is_valid():
        try:
            license_revoke(actor=request.user, license=license_, reason=form.cleaned_data["reason"])
        except errors.InvalidInput as invalid:
            form.add_service_errors(invalid)
        except (errors.PermissionDenied, errors.Conflict) as refused:
            return _render_detail(request, license_, error=refused.message, status=refused.status)
        else:
            messages.success(request, _("证照已吊销，核验时将立即显示为已吊销"))
            return redirect("licenses:office_detail", license_id=license_.pk)
    return _render_detail(request, license_, revoke_form=form, status=400)


@never_cache
@official_required
@require_POST
def office_revise(request, license_id: int):
    license_ = _licence(request, license_id)
    form = ReviseForm(request.POST, prefix="revise", license_type=license_.license_type)
    if form.is_valid():
        data = form.cleaned_data
        try:
            new = license_revise(
                actor=request.user,
                license=license_,
                data=form.licence_data(),
                number=data["number"],
                valid_from=data["valid_from"],
                valid_until=data.get("valid_until"),
                reason=data.get("reason", ""),
            )
        except errors.InvalidInput as invalid:
            form.add_service_errors(invalid)
        except (errors.PermissionDenied, errors.Conflict) as refused:
            return _render_detail(request, license_, error=refused.message, status=refused.status)
        else:
            messages.success(request, _("已发出新版本 %(identifier)s") % {"identifier": new.identifier})
            return redirect("licenses:office_detail", license_id=new.pk)
    return _render_detail(request, license_, revise_form=form, status=400)
