"""电子印章 on the workbench (issue 4 §3): the issuing departments whose keys an official
manages, each with its seal image as the licence PDF stamps it (or the default seal drawn when
none is set), and an upload that sets or replaces it.

Thin: the selectors scope (no licenses.key.manage → 403; a department out of scope → 404), the
service checks the image and audits; a refused image is shown beside its department's input.
"""

from __future__ import annotations

import base64

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from yiwang.core import errors
from yiwang.core.web.views._shared import official_required
from yiwang.licenses.forms_workbench import SealForm
from yiwang.licenses.seal import seal_png_default
from yiwang.licenses.selectors_seal import issuer_seals, seal_department_get, seal_departments_for
from yiwang.licenses.services.seals import issuer_seal_set


def _departments(request):
    try:
        return list(seal_departments_for(actor=request.user))
    except errors.PermissionDenied as denied:
        raise PermissionDenied(denied.message) from None


def _default_preview(department) -> str:
    png = seal_png_default(department.name, pixels=240)
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


def _render(request, departments, *, forms=None, status: int = 200):
    seals = issuer_seals(d.pk for d in departments)
    forms = forms or {}
    rows = []
    for department in departments:
        form = forms.get(department.pk) or SealForm(department_id=department.pk)
        seal = seals.get(department.pk)
        rows.append(
            {
                "department": department,
                "seal": seal,
                "default_preview": None if seal else _default_preview(department),
                "form": form.mark_invalid_fields(),
            }
        )
    return render(request, "licenses/office_seal.html", {"rows": rows}, status=status)


@official_required
@require_GET
def seal_page(request):
    return _render(request, _departments(request))


@official_required
@require_POST
def seal_upload(request, department_id: int):
    departments = _departments(request)
    try:
        department = seal_department_get(actor=request.user, department_id=department_id)
    except errors.NotFound:
        raise Http404() from None
    form = SealForm(request.POST, request.FILES, department_id=department.pk)
    if form.is_valid():
        try:
            issuer_seal_set(actor=request.user, department=department, upload=form.cleaned_data["file"])
        except errors.InvalidInput as invalid:
            form.add_service_errors(invalid)
        except errors.PermissionDenied as denied:
            raise PermissionDenied(denied.message) from None
        else:
            messages.success(
                request,
                _("已更新“%(name)s”的电子印章，此后下载的证照PDF将使用新印章") % {"name": department.name},
            )
            return redirect("licenses:office_seal")
    return _render(request, departments, forms={department.pk: form}, status=400)
