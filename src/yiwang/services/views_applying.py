"""The applicant's pages of 申请 (issue 5 §3): start an application, 我的办件, one application's
status page (progress, deadline, materials and what satisfied them, 一次性告知 with uploads,
补正提交, 撤回, receipt and result), and 我的材料.

Thin: parse → one selector or service → render. Another person's application is a 404; a
refusal is shown beside its field (400) or on top (409).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from yiwang.core import errors
from yiwang.services import selectors_applications as selectors
from yiwang.services.forms_applying import PrincipalForm, ResubmitForm, UploadForm, WithdrawForm
from yiwang.services.models import ApplicationStatus
from yiwang.services.models.applications import FREE_SOURCES, OPEN_STATUSES
from yiwang.services.permissions import is_applicant_kind
from yiwang.services.services.applying import SUBJECT_NAMES, application_draft_create
from yiwang.services.services.applying_form import form_answers
from yiwang.services.services.applying_materials import latest_notice
from yiwang.services.services.applying_submit import application_resubmit, application_withdraw
from yiwang.services.services.my_materials import personal_material_deactivate

PER_PAGE = 20


def found(call, **kwargs):
    try:
        return call(**kwargs)
    except errors.NotFound:
        raise Http404() from None


@login_required
@require_http_methods(["GET", "POST"])
def apply(request, item_id: int):
    """GET asks whom for (an enterprise's 经办人 may apply for it); POST makes the draft."""
    item = found(selectors.item_get_for_applying, item_id=item_id)
    version = item.published_version
    context = {"item": item, "version": version, "error": ""}
    if not is_applicant_kind(request.user):
        context["error"] = _("工作人员请通过窗口代为申请。")
        return render(request, "services/applying/apply.html", context, status=403)
    principals = selectors.principals_for(actor=request.user, version=version)
    context["subjects"] = "、".join(SUBJECT_NAMES.get(s, s) for s in version.subjects)
    form = PrincipalForm(request.POST or None, principals=principals)
    context["form"] = form
    if not principals:
        context["error"] = _("本事项的服务对象为%(subjects)s，您不能申请。") % {
            "subjects": context["subjects"]
        }
        return render(request, "services/applying/apply.html", context, status=403 if request.POST else 200)
    if request.method == "GET" or not form.is_valid():
        return render(request, "services/applying/apply.html", context, status=400 if request.POST else 200)
    principal = next(p for p in principals if p.pk == form.cleaned_data["principal"])
    try:
        application = application_draft_create(actor=request.user, item=item, applicant=principal)
    except (errors.InvalidInput, errors.PermissionDenied) as refused:
        context["error"] = refused.message
        status = 400 if isinstance(refused, errors.InvalidInput) else refused.status
        return render(request, "services/applying/apply.html", context, status=status)
    return redirect("services:application_edit", application_id=application.pk)


@login_required
@require_GET
def my_applications(request):
    status = request.GET.get("status", "")
    if status not in ApplicationStatus.values:
        status = ""
    rows = selectors.application_list_for_applicant(actor=request.user, status=status or None)
    page_obj = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    statuses = [(value, label) for value, label in ApplicationStatus.choices]
    return render(
        request,
        "services/applying/my_applications.html",
        {"page_obj": page_obj, "status": status, "statuses": statuses},
    )


def decorate_materials(rows, application, material_errors=None, personal=()) -> list:
    """Per material, what the page needs: its error, whether it may be changed now (a draft,
    or 待补正 for a material the notice named) and which of its files may be removed (while
    待补正 only those added since the notice: the first submission stays on record)."""
    material_errors = material_errors or {}
    draft = application.status == ApplicationStatus.DRAFT
    notice = None if draft else latest_notice(application)
    for row in rows:
        row.error = material_errors.get(row.code, "")
        row.editable = draft or (application.status == ApplicationStatus.SUPPLEMENT and bool(row.problem))
        row.file_rows = [
            (f, row.editable and (draft or notice is None or f.created_at >= notice.issued_at))
            for f in row.files.all()
        ]
        row.free = row.source in FREE_SOURCES
        # 我的材料 to pick from, this material's own code first.
        row.choices = [p for p in personal if p.code == row.code] + [
            p for p in personal if p.code != row.code
        ]
    return rows


def _rate_url(application) -> str:
    if (
        application.status != ApplicationStatus.COMPLETED
        or application.ratings.filter(channel="online").exists()
    ):
        return ""
    try:  # the 好差评 pages (another area) may not be mounted
        return reverse("services:rate", args=[application.pk])
    except NoReverseMatch:
        return ""


def application_page_context(request, application, **extra) -> dict:
    """What the status page shows; `extra` carries bound forms with their errors."""
    supplement = application.status == ApplicationStatus.SUPPLEMENT
    personal = []
    if supplement:
        personal = list(
            selectors.personal_material_list(actor=request.user, principal=application.applicant)[
                : selectors.PERSONAL_MATERIALS_SHOWN
            ]
        )
    materials = list(application.materials.prefetch_related("files__file").select_related("license"))
    decorate_materials(materials, application, extra.get("material_errors"), personal)
    context = {
        "application": application,
        "version": application.item_version,
        "answers": form_answers(application),
        "materials": materials,
        "free_sources": FREE_SOURCES,
        "progress": selectors.application_progress(application=application),
        "documents": list(application.documents.select_related("pdf")),
        "receipt": application.receipt,
        "licence_url": reverse("licenses:wallet_detail", args=[application.license_id])
        if application.license_id
        else "",
        "rate_url": _rate_url(application),
        "can_withdraw": application.status in OPEN_STATUSES and application.decided_at is None,
        "supplement": supplement,
        "upload_form": UploadForm(),
        "withdraw_form": WithdrawForm(),
        "resubmit_form": ResubmitForm(),
    }
    context.update({k: v for k, v in extra.items() if k != "material_errors"})
    for form_name in ("withdraw_form", "resubmit_form"):
        context[form_name].mark_invalid_fields()
    return context


def render_application(request, application, *, status=200, **extra):
    return render(
        request,
        "services/applying/my_application.html",
        application_page_context(request, application, **extra),
        status=status,
    )


@never_cache  # personal data (masked, but the applicant's own)
@login_required
@require_GET
def my_application(request, application_id: int):
    application = found(
        selectors.application_get_for_applicant, actor=request.user, application_id=application_id
    )
    if application.status == ApplicationStatus.DRAFT:
        return redirect("services:application_edit", application_id=application.pk)
    return render_application(request, application)


@never_cache
@login_required
@require_POST
def application_withdraw_view(request, application_id: int):
    application = found(
        selectors.application_get_for_applicant, actor=request.user, application_id=application_id
    )
    form = WithdrawForm(request.POST)
    if not form.is_valid():
        return render_application(request, application, withdraw_form=form, status=400)
    try:
        application_withdraw(actor=request.user, application=application, reason=form.cleaned_data["reason"])
    except errors.InvalidInput as refused:
        form.add_service_errors(refused)
        return render_application(request, application, withdraw_form=form, status=400)
    except (errors.Conflict, errors.PermissionDenied) as refused:
        return render_application(request, application, error=refused.message, status=refused.status)
    messages.success(request, _("申请已撤回"))
    return redirect("services:my_application", application_id=application.pk)


@never_cache
@login_required
@require_POST
def application_resubmit_view(request, application_id: int):
    application = found(
        selectors.application_get_for_applicant, actor=request.user, application_id=application_id
    )
    form = ResubmitForm(request.POST)
    if not form.is_valid():
        return render_application(request, application, resubmit_form=form, status=400)
    try:
        application_resubmit(actor=request.user, application=application, note=form.cleaned_data["note"])
    except errors.InvalidInput as refused:
        material_errors = {k[10:]: v for k, v in refused.fields.items() if k.startswith("materials.")}
        form.add_service_errors(
            errors.InvalidInput(
                refused.message, fields={k: v for k, v in refused.fields.items() if k == "note"}
            )
        )
        return render_application(
            request, application, resubmit_form=form, material_errors=material_errors, status=400
        )
    except errors.Conflict as refused:
        return render_application(request, application, error=refused.message, status=409)
    messages.success(request, _("补正材料已提交，办理时限继续计算"))
    return redirect("services:my_application", application_id=application.pk)


@never_cache
@login_required
@require_GET
def my_materials(request):
    rows = selectors.personal_material_list(actor=request.user)
    page_obj = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "services/applying/my_materials.html", {"page_obj": page_obj})


@login_required
@require_POST
def my_material_deactivate(request, material_id: int):
    personal = found(selectors.personal_material_get, actor=request.user, personal_material_id=material_id)
    personal_material_deactivate(actor=request.user, personal_material=personal)
    messages.success(request, _("已停用“%(name)s”，今后申请时不再列出") % {"name": personal.name})
    return redirect("services:my_materials")
