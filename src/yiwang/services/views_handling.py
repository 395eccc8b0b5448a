"""办件 on the workbench (issue 5 §4, §7): the inbox with its boxes and deadlines, one
application with its materials, history and the forms of the actor's current step, and the
downloads of its files and decision documents.

Thin: parse → one selector → render. An application outside the actor's scope is a 404; the
actions post to views_handling_actions.py, which re-renders this page with the refusal.
"""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from yiwang.core import errors
from yiwang.core.files.models import Attachment
from yiwang.core.files.responses import attachment_download
from yiwang.core.web.views._shared import official_required
from yiwang.services import forms_handling
from yiwang.services.documents_store import APPLICATION_OWNER
from yiwang.services.models import DecisionDocument
from yiwang.services.selectors_handling import (
    BOXES,
    application_box_counts,
    application_get_for_official,
    application_list_for_official,
)
from yiwang.services.selectors_handling_detail import application_detail_for_official


@official_required
@require_GET
def office_applications(request):
    box = request.GET.get("box", "intake")
    found = application_list_for_official(actor=request.user, box=box, page=request.GET.get("page", "1"))
    counts = application_box_counts(actor=request.user)
    context = {
        "page": found,
        "boxes": [(code, name, counts.get(code)) for code, name in BOXES.items()],
    }
    return render(request, "services/handling/inbox.html", context)


def action_forms(detail, *, bound: dict | None = None) -> dict:
    """The forms of the actions the actor may take now; `bound` replaces one with the posted
    (refused) form so its errors show beside its fields."""
    bound = bound or {}
    materials = detail.materials
    built = {}
    for op, form_class in forms_handling.FORMS.items():
        key = op.replace("-", "_")
        if not detail.actions.get(key):
            continue
        if op in bound:
            built[key] = bound[op]
        elif form_class is forms_handling.CorrectionForm:
            built[key] = form_class(prefix=op, materials=materials)
        else:
            built[key] = form_class(prefix=op)
    return built


def render_detail(
    request, application_id: int, *, bound: dict | None = None, error: str = "", status: int = 200
):
    try:
        detail = application_detail_for_official(actor=request.user, application_id=application_id)
    except errors.NotFound:
        raise Http404() from None
    reveal_form = (bound or {}).get("reveal") or forms_handling.RevealForm(
        prefix="reveal", fields=detail.revealable
    )
    context = {
        "detail": detail,
        "application": detail.application,
        "forms": action_forms(detail, bound=bound),
        "reveal_form": reveal_form.mark_invalid_fields(),
        "revealed": (bound or {}).get("revealed"),
        "error": error,
    }
    return render(request, "services/handling/detail.html", context, status=status)


@official_required
@require_GET
def office_application(request, application_id: int):
    return render_detail(request, application_id)


@official_required
@require_GET
def office_application_file(request, application_id: int, attachment_id: int):
    """A file of the application (material, receipt, document) for an official who may see it:
    `?inline=1` previews a PDF or an image in the browser (材料预览), else a download."""
    try:
        application = application_get_for_official(actor=request.user, application_id=application_id)
    except errors.NotFound:
        raise Http404() from None
    attachment = (
        Attachment.objects.select_related("file")
        .filter(pk=attachment_id, owner_type=APPLICATION_OWNER, owner_id=str(application.pk))
        .first()
    )
    if attachment is None:
        raise Http404()
    try:
        return attachment_download(attachment, inline=request.GET.get("inline") == "1")
    except errors.NotFound:
        raise Http404() from None


@official_required
@require_GET
def office_document(request, document_id: int):
    """A decision document's signed PDF."""
    document = DecisionDocument.objects.select_related("pdf__file").filter(pk=document_id).first()
    if document is None or document.pdf is None:
        raise Http404()
    try:
        application_get_for_official(actor=request.user, application_id=document.application_id)
        return attachment_download(document.pdf)
    except errors.NotFound:
        raise Http404() from None
