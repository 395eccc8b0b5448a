"""服务窗口 on the workbench: the halls' windows, adding one, switching one off
(services.window.manage; nobody else sees the page: 403)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from yiwang.core import errors
from yiwang.core.web.views._shared import official_required
from yiwang.services import selectors_catalogue as catalogue
from yiwang.services.forms_catalogue import WindowForm
from yiwang.services.services.catalogue import window_create
from yiwang.services.services.catalogue import window_deactivate as deactivate
from yiwang.services.views_catalogue_office import checked


def _render(request, form, *, error="", status=200):
    windows = checked(catalogue.windows_for_office, actor=request.user)
    context = {"windows": windows, "form": form.mark_invalid_fields(), "error": error}
    return render(request, "services/catalogue/office_windows.html", context, status=status)


@official_required
@require_http_methods(["GET", "POST"])
def windows_office(request):
    checked(catalogue.windows_for_office, actor=request.user)
    departments = list(catalogue.active_departments())
    if request.method == "GET":
        return _render(request, WindowForm(departments=departments))
    form = WindowForm(request.POST, departments=departments)
    if form.is_valid():
        data = form.cleaned_data
        try:
            window = window_create(
                actor=request.user,
                department=form.departments.get(data["department"]),
                code=data["code"],
                name=data["name"],
            )
        except errors.InvalidInput as invalid:
            form.add_service_errors(invalid)
        except errors.PermissionDenied as denied:
            raise PermissionDenied(denied.message) from None
        else:
            messages.success(request, _("已新增窗口“%(name)s”") % {"name": str(window)})
            return redirect("services:windows_office")
    return _render(request, form, status=400)


@official_required
@require_POST
def window_deactivate(request, window_id: int):
    window = checked(catalogue.window_get_for_office, actor=request.user, window_id=window_id)
    try:
        deactivate(actor=request.user, window=window)
    except errors.Conflict as conflict:
        departments = list(catalogue.active_departments())
        return _render(request, WindowForm(departments=departments), error=conflict.message, status=409)
    messages.success(request, _("窗口“%(name)s”已停用") % {"name": str(window)})
    return redirect("services:windows_office")
