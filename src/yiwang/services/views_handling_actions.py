"""The action forms of the officials' application page: parse the posted form, call one
handling service, then back to the page (303) — or the page again with the refusal beside
its field (400), on top (403: another role's step; 409: the application moved on)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from yiwang.core import errors
from yiwang.core.web.views._shared import official_required
from yiwang.services import forms_handling
from yiwang.services.selectors_handling import application_get_for_official
from yiwang.services.services import handling, handling_decide
from yiwang.services.services.handling_reveal import application_personal_data_reveal, revealable_fields
from yiwang.services.views_handling import render_detail

DONE = {
    "pre-review": "已预审通过",
    "correction": "已发出一次性告知，等待申请人补正",
    "accept": "已受理，受理回执已生成",
    "not-accept": "已不予受理，不予受理通知书已生成",
    "review": "已提交审查意见",
    "decide": "已作出决定",
    "decide-immediate": "已受理并办结",
    "deliver": "已记录送达",
}


def _call(op: str, *, actor, application, form):
    data = form.cleaned_data
    if op == "pre-review":
        return handling.application_pre_review_pass(
            actor=actor, application=application, opinion=data["opinion"]
        )
    if op == "correction":
        return handling.application_request_correction(
            actor=actor, application=application, items=form.items(), note=data["note"]
        )
    if op == "accept":
        return handling.application_accept(
            actor=actor,
            application=application,
            opinion=data["opinion"],
            deficiency_note=data["deficiency_note"],
        )
    if op == "not-accept":
        return handling.application_not_accept(actor=actor, application=application, reason=data["reason"])
    if op == "review":
        return handling_decide.application_review(
            actor=actor, application=application, agree=data["agree"] == "yes", opinion=data["opinion"]
        )
    if op == "decide":
        return handling_decide.application_decide(
            actor=actor,
            application=application,
            approve=data["approve"] == "yes",
            opinion=data["opinion"],
            reason=data["reason"],
            basis=data["basis"],
        )
    if op == "decide-immediate":
        return handling_decide.application_decide_immediate(
            actor=actor, application=application, opinion=data["opinion"]
        )
    return handling_decide.application_deliver(actor=actor, application=application, note=data["note"])


def _application(request, application_id: int):
    try:
        return application_get_for_official(actor=request.user, application_id=application_id)
    except errors.NotFound:
        raise Http404() from None


@never_cache
@official_required
@require_POST
def office_application_act(request, application_id: int, op: str):
    if op not in forms_handling.FORMS:
        raise Http404()
    application = _application(request, application_id)
    form_class = forms_handling.FORMS[op]
    extra = {"materials": list(application.materials.all())} if op == "correction" else {}
    form = form_class(request.POST, prefix=op, **extra)
    status, error = 400, ""
    if form.is_valid():
        try:
            _call(op, actor=request.user, application=application, form=form)
        except errors.NotFound:
            raise Http404() from None
        except errors.InvalidInput as invalid:
            form.add_service_errors(invalid)
        except errors.PermissionDenied as denied:
            error, status = denied.message, 403
        except errors.Conflict as conflict:
            error, status = conflict.message, 409
        else:
            messages.success(request, DONE[op])
            return redirect("services:office_application", application_id=application.pk)
    return render_detail(
        request, application.pk, bound={op: form.mark_invalid_fields()}, error=error, status=status
    )


@never_cache
@official_required
@require_POST
def office_application_reveal(request, application_id: int):
    """The full value after the read is recorded (查看事由 required)."""
    application = _application(request, application_id)
    form = forms_handling.RevealForm(request.POST, prefix="reveal", fields=revealable_fields(application))
    status, error, revealed = 400, "", None
    if form.is_valid():
        try:
            label, value = application_personal_data_reveal(
                actor=request.user,
                application=application,
                field=form.cleaned_data["field"],
                purpose=form.cleaned_data["purpose"],
            )
            revealed, status = {"label": label, "value": value}, 200
        except errors.InvalidInput as invalid:
            form.add_service_errors(invalid)
        except errors.PermissionDenied as denied:
            error, status = denied.message, 403
    return render_detail(
        request, application.pk, bound={"reveal": form, "revealed": revealed}, error=error, status=status
    )
