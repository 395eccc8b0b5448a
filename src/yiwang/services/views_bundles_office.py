"""一件事管理 on the workbench (/workbench/services/bundles/, services.bundle.manage — the
政务服务管理员): the list with 发布 / 下线, a new bundle, and editing one (its items included;
guarded by the version it was read at, 409 when stale). Every refusal is shown beside its
input; a publish refused lists every reason (an item unpublished, not 网上可办, for another
服务对象, a shared field defined differently) on top of the list.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from yiwang.core import errors
from yiwang.core.orgs.models import Department
from yiwang.core.web.views._shared import official_required
from yiwang.services import selectors_bundles as selectors
from yiwang.services.forms_bundles import BundleForm
from yiwang.services.models import ServiceItem
from yiwang.services.services import bundles


def _checked(call, **kwargs):
    try:
        return call(**kwargs)
    except errors.NotFound:
        raise Http404() from None
    except errors.PermissionDenied as denied:
        raise PermissionDenied(denied.message) from None


def _choices():
    departments = Department.objects.filter(is_active=True).order_by("name")
    items = ServiceItem.objects.select_related("department").order_by("department__name", "name")
    return {"departments": departments, "items": items}


def _render_list(request, *, error="", problems=None, status=200):
    rows = _checked(selectors.bundles_for_manager, actor=request.user)
    context = {"bundles": rows, "error": error, "problems": problems or []}
    return render(request, "services/bundles/office.html", context, status=status)


@official_required
@require_GET
def bundles_office(request):
    return _render_list(request)


def _render_form(request, form, bundle=None, *, error="", status=200):
    context = {"form": form.mark_invalid_fields(), "bundle": bundle, "error": error}
    return render(request, "services/bundles/office_form.html", context, status=status)


def _arguments(form) -> dict:
    data = form.cleaned_data
    return {
        "name": data["name"],
        "life_event": data["life_event"],
        "subject": data["subject"],
        "lead_department": Department.objects.filter(pk=data["lead_department"]).first(),
        "description": data["description"],
        "keywords": data["keywords"],
        "item_ids": list(data["items"]),
    }


@official_required
@require_http_methods(["GET", "POST"])
def bundle_office_create(request):
    _checked(selectors.bundles_for_manager, actor=request.user)
    if request.method == "GET":
        return _render_form(request, BundleForm(**_choices()))
    form = BundleForm(request.POST, **_choices())
    if form.is_valid():
        try:
            bundle = bundles.bundle_create(
                actor=request.user, code=form.cleaned_data["code"], **_arguments(form)
            )
        except errors.InvalidInput as refused:
            form.add_service_errors(refused)
        except errors.PermissionDenied as denied:
            raise PermissionDenied(denied.message) from None
        else:
            messages.success(request, _("已新建一件事“%(name)s”（未发布）") % {"name": bundle.name})
            return redirect("services:bundles_office")
    return _render_form(request, form, status=400)


@official_required
@require_http_methods(["GET", "POST"])
def bundle_office_edit(request, code: str):
    bundle = _checked(selectors.bundle_get_for_manager, actor=request.user, code=code)
    initial = {
        "version": bundle.version,
        "code": bundle.code,
        "name": bundle.name,
        "life_event": bundle.life_event,
        "subject": bundle.subject,
        "lead_department": bundle.lead_department_id,
        "description": bundle.description,
        "keywords": bundle.keywords,
        "items": [entry.item_id for entry in bundle.entries.all()],
    }
    if request.method == "GET":
        return _render_form(request, BundleForm(initial=initial, editing=True, **_choices()), bundle)
    form = BundleForm(request.POST, initial=initial, editing=True, **_choices())
    if form.is_valid():
        try:
            bundles.bundle_update(
                actor=request.user,
                bundle=bundle,
                expected_version=form.cleaned_data["version"],
                **_arguments(form),
            )
        except errors.InvalidInput as refused:
            form.add_service_errors(refused)
        except errors.PermissionDenied as denied:
            raise PermissionDenied(denied.message) from None
        except errors.Conflict:
            stale = _("该一件事已被他人修改（您打开的是旧版本），请刷新页面后重新修改")
            return _render_form(request, form, bundle, error=stale, status=409)
        else:
            messages.success(request, _("已保存一件事“%(name)s”") % {"name": bundle.name})
            return redirect("services:bundles_office")
    return _render_form(request, form, bundle, status=400)


@official_required
@require_POST
def bundle_office_publish(request, code: str):
    bundle = _checked(selectors.bundle_get_for_manager, actor=request.user, code=code)
    try:
        bundles.bundle_publish(actor=request.user, bundle=bundle)
    except errors.InvalidInput as refused:
        problems = list(refused.fields.values()) or [refused.message]
        error = _("“%(name)s”不能发布：") % {"name": bundle.name}
        return _render_list(request, error=error, problems=problems, status=400)
    messages.success(request, _("已发布“%(name)s”，门户可检索并一次申请") % {"name": bundle.name})
    return redirect("services:bundles_office")


@official_required
@require_POST
def bundle_office_unpublish(request, code: str):
    bundle = _checked(selectors.bundle_get_for_manager, actor=request.user, code=code)
    try:
        bundles.bundle_unpublish(actor=request.user, bundle=bundle)
    except errors.Conflict as conflict:
        return _render_list(request, error=conflict.message, status=409)
    messages.success(request, _("已下线“%(name)s”；已提交的申请继续办理") % {"name": bundle.name})
    return redirect("services:bundles_office")
