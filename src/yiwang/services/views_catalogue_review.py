"""The item page's actions (POST): 提交审核, 发布 / 退回 with an opinion, 新建修订草稿, 下线 /
恢复. Each calls one service; a refusal re-renders the item page with the reason (beside its
field, or on top with 409 when the version moved on meanwhile)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from yiwang.core import errors
from yiwang.core.web.views._shared import official_required
from yiwang.services import selectors_catalogue as catalogue
from yiwang.services.forms_catalogue import OpinionForm, ReasonForm
from yiwang.services.services import catalogue as services
from yiwang.services.views_catalogue_office import checked, item_context


def _refused(request, item, error: errors.DomainError, *, forms=None):
    if isinstance(error, errors.PermissionDenied):
        raise PermissionDenied(error.message)
    status = {errors.Conflict: 409, errors.InvalidInput: 400}.get(type(error), 400)
    message = error.message
    if isinstance(error, errors.InvalidInput) and error.fields and not forms:
        message = f"{error.message}：" + "；".join(error.fields.values())
    context = item_context(request, item, forms=forms, error=message)
    return render(request, "services/catalogue/office_item.html", context, status=status)


def _act(request, item, call, success: str, *, forms=None, **kwargs):
    try:
        call(actor=request.user, **kwargs)
    except errors.NotFound:
        raise Http404() from None
    except (errors.InvalidInput, errors.Conflict, errors.PermissionDenied) as error:
        if forms and isinstance(error, errors.InvalidInput):
            for form in forms.values():
                form.add_service_errors(error)
        return _refused(request, item, error, forms=forms)
    messages.success(request, success)
    return redirect("services:item_office", item.pk)


def _expected(request) -> int | None:
    try:
        return int(request.POST.get("expected_version", ""))
    except ValueError:
        return None


@official_required
@require_POST
def item_submit(request, item_id: int, number: int):
    version = checked(catalogue.version_get_for_office, actor=request.user, item_id=item_id, number=number)
    done = _("已提交审核，等待政务服务管理局审核发布")
    return _act(
        request,
        version.item,
        services.version_submit,
        done,
        version=version,
        expected_version=_expected(request),
    )


@official_required
@require_POST
def item_publish(request, item_id: int, number: int):
    version = checked(catalogue.version_get_for_office, actor=request.user, item_id=item_id, number=number)
    form = OpinionForm(request.POST, auto_id="publish-%s")
    if not form.is_valid():
        return _refused(request, version.item, errors.InvalidInput(), forms={"publish": form})
    done = _("第%(n)s版已发布，办事指南已更新") % {"n": version.number}
    return _act(
        request,
        version.item,
        services.version_publish,
        done,
        forms={"publish": form},
        version=version,
        opinion=form.cleaned_data["opinion"],
    )


@official_required
@require_POST
def item_return(request, item_id: int, number: int):
    version = checked(catalogue.version_get_for_office, actor=request.user, item_id=item_id, number=number)
    form = OpinionForm(request.POST, auto_id="return-%s")
    if not form.is_valid():
        return _refused(request, version.item, errors.InvalidInput(), forms={"return": form})
    done = _("第%(n)s版已退回实施部门修改") % {"n": version.number}
    return _act(
        request,
        version.item,
        services.version_return,
        done,
        forms={"return": form},
        version=version,
        opinion=form.cleaned_data["opinion"],
    )


@official_required
@require_POST
def item_draft_new(request, item_id: int):
    item = checked(catalogue.item_get_for_office, actor=request.user, item_id=item_id)
    try:
        draft = services.version_draft_new(actor=request.user, item=item)
    except (errors.Conflict, errors.PermissionDenied) as error:
        return _refused(request, item, error)
    messages.success(request, _("已新建第%(n)s版草稿（复制自现行版本）") % {"n": draft.number})
    return redirect("services:version_edit", item.pk, draft.number)


@official_required
@require_POST
def item_unpublish(request, item_id: int):
    item = checked(catalogue.item_get_for_office, actor=request.user, item_id=item_id)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        return _refused(request, item, errors.InvalidInput(), forms={"unpublish": form})
    done = _("事项已下线：办事指南不再公开，已受理的办件按原版本继续办理")
    return _act(
        request,
        item,
        services.item_unpublish,
        done,
        forms={"unpublish": form},
        item=item,
        reason=form.cleaned_data["reason"],
    )


@official_required
@require_POST
def item_restore(request, item_id: int):
    item = checked(catalogue.item_get_for_office, actor=request.user, item_id=item_id)
    return _act(request, item, services.item_restore, _("事项已恢复发布"), item=item)
