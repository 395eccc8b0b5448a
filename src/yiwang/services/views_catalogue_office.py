"""事项管理 on the workbench: the list (全部 / 待审核), creating an item, one item with its
versions and the actions its state allows, and any version read in full.

Thin: a selector scopes (outside the actor's reach → 404, no catalogue right at all → 403), one
service writes; refusals are shown beside their field (400) or on top (403, 409).
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from yiwang.core import errors
from yiwang.core.web.views._shared import official_required
from yiwang.services import selectors_catalogue as catalogue
from yiwang.services.forms_catalogue import ItemCreateForm, ItemFilterForm, OpinionForm, ReasonForm
from yiwang.services.models import ItemStatus, VersionStatus
from yiwang.services.permissions import can_item_manage, can_item_publish
from yiwang.services.services.catalogue import item_create as item_create_service

PER_PAGE = 20


def checked(call, *args, **kwargs):
    """A selector's refusals as Django's: NotFound → 404, PermissionDenied → 403."""
    try:
        return call(*args, **kwargs)
    except errors.NotFound:
        raise Http404() from None
    except errors.PermissionDenied as denied:
        raise PermissionDenied(denied.message) from None


@official_required
@require_GET
def items_office(request):
    reach = checked(catalogue.catalogue_reach, actor=request.user)
    form = ItemFilterForm(request.GET)
    filters = form.cleaned_data if form.is_valid() else {}
    rows = catalogue.items_for_office(
        actor=request.user, status=filters.get("status", ""), text=filters.get("q", "")
    )
    page_obj = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "page_obj": page_obj,
        "status": filters.get("status", ""),
        "can_create": not reach.manage_scope.empty,
        "can_publish": reach.publisher,
    }
    return render(request, "services/catalogue/office_items.html", context)


@official_required
@require_http_methods(["GET", "POST"])
def item_create(request):
    departments = list(catalogue.departments_for_drafting(actor=request.user))
    if not departments:
        raise PermissionDenied(_("没有编制政务服务事项的权限"))
    if request.method == "GET":
        form = ItemCreateForm(departments=departments)
        return render(request, "services/catalogue/office_item_create.html", {"form": form})
    form = ItemCreateForm(request.POST, departments=departments)
    if form.is_valid():
        data = form.cleaned_data
        try:
            item = item_create_service(
                actor=request.user,
                department=form.departments.get(data["department"]),
                base_code=data["base_code"],
                content={"name": data["name"], "item_type": data["item_type"]},
            )
        except errors.InvalidInput as invalid:
            form.add_service_errors(invalid)
        except errors.PermissionDenied as denied:
            raise PermissionDenied(denied.message) from None
        else:
            messages.success(request, _("已新建事项“%(name)s”，请继续填写第1版的内容") % {"name": item.name})
            return redirect("services:version_edit", item.pk, 1)
    context = {"form": form.mark_invalid_fields()}
    return render(request, "services/catalogue/office_item_create.html", context, status=400)


def item_context(request, item, *, forms=None, error: str = "") -> dict:
    """The item page's context: versions, and the forms of the actions its state allows."""
    versions = list(catalogue.item_versions(item=item))
    open_version = next((v for v in versions if v.status in catalogue.OPEN_STATUSES), None)
    manager = can_item_manage(request.user, item.department)
    publisher = can_item_publish(request.user)
    submitted = open_version is not None and open_version.status == VersionStatus.SUBMITTED
    forms = forms or {}
    return {
        "item": item,
        "versions": versions,
        "open_version": open_version,
        "can_edit": manager and open_version is not None and open_version.editable,
        "can_draft": manager and open_version is None and item.published_version_id is not None,
        "can_review": publisher and submitted,
        "can_unpublish": publisher and item.status == ItemStatus.PUBLISHED,
        "can_restore": publisher and item.status == ItemStatus.OFFLINE,
        "publish_form": forms.get("publish") or OpinionForm(auto_id="publish-%s"),
        "return_form": forms.get("return") or OpinionForm(auto_id="return-%s"),
        "unpublish_form": forms.get("unpublish") or ReasonForm(),
        "error": error,
    }


@official_required
@require_GET
def item_office(request, item_id: int):
    item = checked(catalogue.item_get_for_office, actor=request.user, item_id=item_id)
    return render(request, "services/catalogue/office_item.html", item_context(request, item))


@official_required
@require_GET
def item_version(request, item_id: int, number: int):
    """Any version in full (a draft, one awaiting review, an old one), as the guide shows it."""
    version = checked(catalogue.version_get_for_office, actor=request.user, item_id=item_id, number=number)
    context = catalogue.guide_of(version)
    context.update(item_context(request, version.item))
    return render(request, "services/catalogue/office_version.html", context)
