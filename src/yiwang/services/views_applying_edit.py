"""The application form (草稿): answers, 送达方式, and each material with upload, 从我的材料选用,
容缺后补 and (at a window) 收取纸质件; 保存草稿 and 提交. The same page serves the applicant
(/me/applications/<id>/edit/) and the window clerk applying on their behalf
(/workbench/services/window/applications/<id>/edit/) — one record, 线上线下一体化.

The material actions also serve the status page while 待补正 (一次性告知补正 uploads).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from yiwang.core import errors
from yiwang.services import selectors_applications as selectors
from yiwang.services.forms_applying import ApplicationForm, ReuseForm, UploadForm
from yiwang.services.models import ApplicationStatus
from yiwang.services.models.applications import FREE_SOURCES
from yiwang.services.permissions import acts_for
from yiwang.services.services import applying_materials as materials_service
from yiwang.services.services.applying import application_draft_save, delivery_methods_of
from yiwang.services.services.applying_access import works_at_window
from yiwang.services.services.applying_form import fields_for, form_answers
from yiwang.services.services.applying_submit import application_save_and_submit
from yiwang.services.views_applying import decorate_materials, found, render_application


def _for_clerk(user, application) -> bool:
    return works_at_window(user, application) and not acts_for(user, application.applicant)


def edit_url(user, application) -> str:
    name = (
        "services:window_application_edit" if _for_clerk(user, application) else "services:application_edit"
    )
    return reverse(name, args=[application.pk])


def _form(application, data=None) -> ApplicationForm:
    return ApplicationForm(
        data,
        specs=fields_for(application),
        answers=form_answers(application),
        methods=delivery_methods_of(application.item_version),
        initial={
            "version": application.version,
            "delivery_method": application.delivery_method,
            "delivery_address": application.delivery_address,
        },
    )


def _material_rows(request, application, material_errors):
    """Each material with the 我的材料 the applicant may pick for it, the same code first."""
    rows = list(application.materials.prefetch_related("files__file").select_related("license"))
    personal = []
    if acts_for(request.user, application.applicant):
        personal = list(
            selectors.personal_material_list(actor=request.user, principal=application.applicant)[
                : selectors.PERSONAL_MATERIALS_SHOWN
            ]
        )
    return decorate_materials(rows, application, material_errors, personal)


def render_edit(request, application, *, form=None, material_errors=None, error="", status=200):
    form = form or _form(application)
    context = {
        "application": application,
        "version": application.item_version,
        "form": form.mark_invalid_fields(),
        "materials": _material_rows(
            request, application, {**form.material_errors, **(material_errors or {})}
        ),
        "free_sources": FREE_SOURCES,
        "window_mode": _for_clerk(request.user, application),
        "upload_form": UploadForm(),
        "error": error,
        "action_url": edit_url(request.user, application),
    }
    return render(request, "services/applying/edit.html", context, status=status)


def _after_submit(request, application):
    if _for_clerk(request.user, application):
        messages.success(
            request,
            _("已代为提交，办件编号 %(number)s，预审已通过，请将受理回执交给申请人")
            % {"number": application.number},
        )
        return redirect("services:window_apply")
    messages.success(request, _("已提交，办件编号 %(number)s") % {"number": application.number})
    return redirect("services:my_application", application_id=application.pk)


def edit_page(request, application):
    bundle = application.bundle_application
    if bundle is not None and bundle.is_draft:  # 一件事: edited and submitted as one merged form
        return redirect("services:bundle_edit", bundle_application_id=bundle.pk)
    if application.status != ApplicationStatus.DRAFT:
        if _for_clerk(request.user, application):
            raise Http404()
        return redirect("services:my_application", application_id=application.pk)
    if request.method == "GET":
        return render_edit(request, application)
    form = _form(application, request.POST)
    if not form.is_valid():
        return render_edit(request, application, form=form, status=400)
    given = {
        "actor": request.user,
        "application": application,
        "form": form.answers(),
        "delivery_method": form.cleaned_data["delivery_method"] or None,
        "delivery_address": form.cleaned_data["delivery_address"],
        "expected_version": form.cleaned_data["version"],
    }
    try:
        if request.POST.get("intent") == "submit":
            submitted = application_save_and_submit(**given, client_token=form.cleaned_data["client_token"])
            return _after_submit(request, submitted)
        application_draft_save(**given)
    except errors.InvalidInput as refused:
        # What was typed may have been saved before the submission was refused: a new version.
        application = selectors.application_get_for_editing(actor=request.user, application_id=application.pk)
        data = request.POST.copy()
        data["version"] = str(application.version)
        form = _form(application, data)
        form.is_valid()
        form.add_service_errors(refused)
        return render_edit(request, application, form=form, status=400)
    except errors.Conflict as conflict:
        application = selectors.application_get_for_editing(actor=request.user, application_id=application.pk)
        if application.status != ApplicationStatus.DRAFT:  # a second click: it went through
            return _after_submit(request, application)
        return render_edit(request, application, form=form, error=conflict.message, status=409)
    messages.success(request, _("草稿已保存"))
    return redirect(edit_url(request.user, application))


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def application_edit(request, application_id: int):
    application = found(
        selectors.application_get_for_applicant, actor=request.user, application_id=application_id
    )
    return edit_page(request, application)


# --- material actions (draft, or 待补正 for the materials the notice named) ---------------------
def _editable(request, application_id: int):
    return found(selectors.application_get_for_editing, actor=request.user, application_id=application_id)


def _back(request, application, *, code: str = "", refused=None):
    """Success: back to the page the action came from. Refused: that page, the reason beside
    the material (400), or on top (409)."""
    if refused is None:
        if application.status == ApplicationStatus.DRAFT:
            return redirect(f"{edit_url(request.user, application)}#material-{code}")
        return redirect(f"{reverse('services:my_application', args=[application.pk])}#material-{code}")
    material_errors, error, status = {}, "", refused.status
    if isinstance(refused, errors.InvalidInput):
        reasons = [v for k, v in refused.fields.items() if k.startswith("materials.")]
        material_errors[code] = "；".join(reasons) or refused.fields.get("file") or refused.message
        status = 400  # a form refused, as on every page
    else:
        error = refused.message
    application = selectors.application_get_for_editing(actor=request.user, application_id=application.pk)
    if application.status == ApplicationStatus.DRAFT:
        return render_edit(request, application, material_errors=material_errors, error=error, status=status)
    if not acts_for(request.user, application.applicant):
        raise Http404()
    return render_application(
        request, application, material_errors=material_errors, error=error, status=status
    )


def _act(request, application, code, call, **kwargs):
    try:
        call(actor=request.user, application=application, code=code, **kwargs)
    except (errors.InvalidInput, errors.Conflict, errors.PermissionDenied) as refused:
        return _back(request, application, code=code, refused=refused)
    except errors.NotFound:
        raise Http404() from None
    return _back(request, application, code=code)


@never_cache
@login_required
@require_POST
def material_upload(request, application_id: int, code: str):
    application = _editable(request, application_id)
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        reason = "；".join(form.errors.get("file", [])) or _("请选择要上传的文件")
        return _back(request, application, code=code, refused=errors.invalid(f"materials.{code}", reason))
    return _act(
        request,
        application,
        code,
        materials_service.application_material_upload,
        upload=form.cleaned_data["file"],
    )


@never_cache
@login_required
@require_POST
def material_reuse(request, application_id: int, code: str):
    application = _editable(request, application_id)
    form = ReuseForm(request.POST)
    if not form.is_valid():
        return _back(
            request, application, code=code, refused=errors.invalid(f"materials.{code}", _("请选择我的材料"))
        )
    try:
        personal = selectors.personal_material_get(
            actor=request.user,
            personal_material_id=form.cleaned_data["personal_material_id"],
            principal=application.applicant,
        )
    except errors.NotFound:
        raise Http404() from None
    return _act(
        request, application, code, materials_service.application_material_reuse, personal_material=personal
    )


@never_cache
@login_required
@require_POST
def material_promise(request, application_id: int, code: str):
    application = _editable(request, application_id)
    return _act(request, application, code, materials_service.application_material_promise)


@never_cache
@login_required
@require_POST
def material_paper(request, application_id: int, code: str):
    application = _editable(request, application_id)
    return _act(request, application, code, materials_service.application_material_paper)


@never_cache
@login_required
@require_POST
def material_file_remove(request, application_id: int, code: str, attachment_id: int):
    application = _editable(request, application_id)
    return _act(
        request,
        application,
        code,
        materials_service.application_material_remove_file,
        attachment_id=attachment_id,
    )
