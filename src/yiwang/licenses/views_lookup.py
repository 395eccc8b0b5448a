"""用证查询 on the workbench (issue 4 §5, 免提交): an official with licenses.use names a holder by
身份证号 or 统一社会信用代码, a licence type and the purpose, and sees the holder's valid
licence of that type — or 未找到有效证照. Each look-up goes through services.reuse, so it is
logged as a use of the holder's data and the holder sees it in 用证记录.

A POST (a look-up is recorded) answered in place, never cached: the result is personal data.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from yiwang.core import errors
from yiwang.core.accounts.rbac import has_permission
from yiwang.core.web.views._shared import official_required
from yiwang.licenses import selectors
from yiwang.licenses.forms_workbench import LookupForm
from yiwang.licenses.services.reuse import license_lookup_content

PERMISSION = "licenses.use"


def _render(request, form, *, searched=False, content=None, error="", status=200):
    context = {"form": form.mark_invalid_fields(), "searched": searched, "content": content, "error": error}
    return render(request, "licenses/office_lookup.html", context, status=status)


@never_cache
@official_required
@require_http_methods(["GET", "POST"])
def lookup(request):
    if not has_permission(request.user, PERMISSION):
        raise PermissionDenied("没有调用电子证照的权限（licenses.use）")
    types = list(selectors.license_type_list())
    if request.method == "GET":
        return _render(request, LookupForm(types=types))
    form = LookupForm(request.POST, types=types)
    if not form.is_valid():
        return _render(request, form, status=400)
    data = form.cleaned_data
    try:
        holder = selectors.holder_for_code(
            actor=request.user, code=data["holder_code"], permission=PERMISSION
        )
        content = license_lookup_content(
            actor=request.user, holder=holder, type_code=data["type"], purpose=data["purpose"]
        )
    except errors.InvalidInput as invalid:
        form.add_service_errors(invalid)
        return _render(request, form, status=400)
    except errors.PermissionDenied as denied:
        raise PermissionDenied(denied.message) from None
    except errors.Conflict as conflict:
        return _render(request, form, error=conflict.message, status=409)
    return _render(request, form, searched=True, content=content)
