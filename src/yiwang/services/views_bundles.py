"""The public and applicant pages of 一件事一次办 (issue 5 §5):

- /services/bundles/<code>/: the guide — life event, items with departments and limits, the
  merged materials (免提交 where a licence can replace one), the shared fields, 一次申请;
- /services/bundles/<code>/apply/ (POST): a draft with one child draft per item → its form;
- /me/bundles/<id>/edit/: the merged form (共同信息 once, then each item's own), the merged
  materials with upload / 我的材料 / 免提交, 送达方式, 保存 and 提交 (a uuid client_token);
- /me/bundles/<id>/: the one combined status, each item's row and result, 撤回.

Thin: parse → one selector or service → render. Another person's bundle application is a 404.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from yiwang.core import errors
from yiwang.services import selectors_bundles as selectors
from yiwang.services.bundle_forms import (
    common_delivery_methods,
    merged_form_of,
    merged_materials_of,
    published_entries,
)
from yiwang.services.forms_applying import ReuseForm, UploadForm
from yiwang.services.forms_bundles import bundle_application_form
from yiwang.services.models import LifeEvent, SubjectKind
from yiwang.services.models.applications import FREE_SOURCES
from yiwang.services.permissions import acts_for
from yiwang.services.selectors_applications import (
    PERSONAL_MATERIALS_SHOWN,
    personal_material_get,
    personal_material_list,
)
from yiwang.services.services.bundle_applying import (
    bundle_application_create,
    bundle_application_save,
    bundle_material_reuse,
    bundle_material_upload,
)
from yiwang.services.services.bundle_submitting import (
    bundle_application_save_and_submit,
)

PER_PAGE = 20


def found(call, **kwargs):
    try:
        return call(**kwargs)
    except errors.NotFound:
        raise Http404() from None


def application_url(application_id: int) -> str:
    """The item application's own page (the applying pages'), if mounted."""
    try:
        return reverse("services:my_application", args=[application_id])
    except NoReverseMatch:
        return ""


# --- the public guide ----------------------------------------------------------------------
def _label(choices, value) -> str:
    return choices(value).label if value in choices.values else value


def _render_detail(request, bundle, *, error="", status=200):
    entries = published_entries(bundle)
    principals = []
    if request.user.is_authenticated:
        principals = selectors.bundle_principals_for(actor=request.user, bundle=bundle)
    context = {
        "bundle": bundle,
        "life_event_label": _label(LifeEvent, bundle.life_event),
        "subject_label": _label(SubjectKind, bundle.subject),
        "entries": entries,
        "departments": sorted({item.department.name for item, _v in entries}),
        "form": merged_form_of(entries),
        "materials": merged_materials_of(entries),
        "principals": principals,
        "error": error,
    }
    return render(request, "services/bundles/detail.html", context, status=status)


@require_GET
def bundle_detail(request, code: str):
    return _render_detail(request, found(selectors.bundle_get_published, code=code))


@login_required
@require_POST
def bundle_apply(request, code: str):
    bundle = found(selectors.bundle_get_published, code=code)
    try:
        applicant = selectors.bundle_principal_get(
            actor=request.user, bundle=bundle, applicant_id=request.POST.get("applicant")
        )
        draft = bundle_application_create(actor=request.user, bundle=bundle, applicant=applicant)
    except (errors.InvalidInput, errors.PermissionDenied) as refused:
        reason = next(iter(getattr(refused, "fields", {}).values()), refused.message)
        return _render_detail(request, bundle, error=reason, status=403)
    messages.success(
        request, _("已为您建立“%(name)s”的申请草稿，共同信息只需填写一次") % {"name": bundle.name}
    )
    return redirect("services:bundle_edit", bundle_application_id=draft.pk)


# --- the merged form -----------------------------------------------------------------------
def _form(bundle_application, data=None):
    children = list(bundle_application.applications.all())
    merged = merged_form_of([(c.item, c.item_version) for c in children])
    form = bundle_application_form(
        merged.all_fields,
        selectors.bundle_application_answers(bundle_application, merged.all_fields),
        common_delivery_methods(c.item_version for c in children),
        bundle_application,
        data,
    )
    return form, merged


def _groups(form, merged) -> list[dict]:
    """共同信息 first, then each item's own fields, as bound fields of the one form."""
    groups = [
        {
            "title": _("共同信息"),
            "note": _("以下信息各事项都需要，只填一次"),
            "fields": [(form["f_" + s.field.code], s.item_names) for s in merged.shared],
        }
    ]
    for section in merged.sections:
        if section.fields:
            groups.append(
                {
                    "title": section.version.name,
                    "note": section.item.department.name,
                    "fields": [(form["f_" + f.code], ()) for f in section.fields],
                }
            )
    return [g for g in groups if g["fields"]]


def _personal(request, bundle_application) -> list:
    if not acts_for(request.user, bundle_application.applicant):
        return []
    rows = personal_material_list(actor=request.user, principal=bundle_application.applicant)
    return list(rows[:PERSONAL_MATERIALS_SHOWN])


def render_edit(request, bundle_application, *, form=None, merged=None, error="", status=200):
    if form is None:
        form, merged = _form(bundle_application)
    personal = _personal(request, bundle_application)
    materials = selectors.bundle_application_materials(bundle_application)
    for row in materials:
        row.choices = [p for p in personal if p.code == row.code]
        row.error = getattr(form, "material_errors", {}).get(row.code, "")
    context = {
        "bundle_application": bundle_application,
        "bundle": bundle_application.bundle,
        "form": form.mark_invalid_fields(),
        "groups": _groups(form, merged),
        "materials": materials,
        "free_sources": FREE_SOURCES,
        "upload_form": UploadForm(),
        "error": error,
    }
    return render(request, "services/bundles/edit.html", context, status=status)


def _reload(request, bundle_application_id):
    return found(
        selectors.bundle_application_get, actor=request.user, bundle_application_id=bundle_application_id
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def bundle_edit(request, bundle_application_id: int):
    bundle_application = _reload(request, bundle_application_id)
    if not bundle_application.is_draft:
        return redirect("services:my_bundle", bundle_application_id=bundle_application.pk)
    if request.method == "GET":
        return render_edit(request, bundle_application)
    form, merged = _form(bundle_application, request.POST)
    if not form.is_valid():
        return render_edit(request, bundle_application, form=form, merged=merged, status=400)
    given = {
        "actor": request.user,
        "bundle_application": bundle_application,
        "form": form.answers(),
        "delivery_method": form.cleaned_data["delivery_method"] or None,
        "delivery_address": form.cleaned_data["delivery_address"],
        "expected_version": form.cleaned_data["version"],
    }
    try:
        if request.POST.get("intent") == "submit":
            submitted = bundle_application_save_and_submit(
                **given, client_token=form.cleaned_data["client_token"]
            )
            messages.success(
                request,
                _("已提交，编号 %(number)s；各事项已分送各部门并行办理") % {"number": submitted.number},
            )
            return redirect("services:my_bundle", bundle_application_id=submitted.pk)
        bundle_application_save(**given)
    except errors.InvalidInput as refused:
        # What was typed may have been saved before the submission was refused: a new version.
        bundle_application = _reload(request, bundle_application_id)
        data = request.POST.copy()
        data["version"] = str(bundle_application.version)
        form, merged = _form(bundle_application, data)
        form.is_valid()
        form.add_service_errors(refused)
        return render_edit(request, bundle_application, form=form, merged=merged, status=400)
    except errors.Conflict as conflict:
        bundle_application = _reload(request, bundle_application_id)
        if not bundle_application.is_draft:  # a second click: the first went through
            return redirect("services:my_bundle", bundle_application_id=bundle_application.pk)
        return render_edit(
            request, bundle_application, form=form, merged=merged, error=conflict.message, status=409
        )
    messages.success(request, _("草稿已保存"))
    return redirect("services:bundle_edit", bundle_application_id=bundle_application.pk)


def _material_done(request, bundle_application, call, **kwargs):
    try:
        call(actor=request.user, bundle_application=bundle_application, **kwargs)
    except (errors.InvalidInput, errors.Conflict) as refused:
        reason = next(iter(getattr(refused, "fields", {}).values()), refused.message)
        messages.error(request, reason)
    else:
        messages.success(request, _("材料已提交，所有需要该材料的事项共用这一份"))
    return redirect("services:bundle_edit", bundle_application_id=bundle_application.pk)


@login_required
@require_POST
def bundle_material_upload_view(request, bundle_application_id: int, code: str):
    bundle_application = _reload(request, bundle_application_id)
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, "；".join(e for errs in form.errors.values() for e in errs))
        return redirect("services:bundle_edit", bundle_application_id=bundle_application.pk)
    return _material_done(
        request, bundle_application, bundle_material_upload, code=code, upload=form.cleaned_data["file"]
    )


@login_required
@require_POST
def bundle_material_reuse_view(request, bundle_application_id: int, code: str):
    bundle_application = _reload(request, bundle_application_id)
    form = ReuseForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请选择我的材料"))
        return redirect("services:bundle_edit", bundle_application_id=bundle_application.pk)
    personal = found(
        personal_material_get,
        actor=request.user,
        personal_material_id=form.cleaned_data["personal_material_id"],
        principal=bundle_application.applicant,
    )
    return _material_done(
        request, bundle_application, bundle_material_reuse, code=code, personal_material=personal
    )
