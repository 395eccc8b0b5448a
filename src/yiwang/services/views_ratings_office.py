"""好差评 in the workbench: the aggregates by item, department and window with the recent 差评,
the rectification list, and one rectification with the actions of whoever holds its current
task (整改完成 / 情况说明 / 申诉, 申诉复核, 回访).

Thin: parse → one selector or service → render. Out of scope → 404; no 好差评 right → 403."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_GET, require_http_methods

from yiwang.core import errors
from yiwang.core.web.views._shared import official_required
from yiwang.services import selectors_ratings as selectors
from yiwang.services.forms_ratings import (
    AppealForm,
    PeriodFilterForm,
    RespondForm,
    ReviewAppealForm,
    RevisitForm,
)
from yiwang.services.models import RectificationStatus
from yiwang.services.permissions import can_rating_view
from yiwang.services.services import rectifications as services
from yiwang.workflow.permissions import can_task_work

PER_PAGE = 20
TABS = {"item": "按事项", "department": "按部门", "window": "按窗口"}
# The forms of each state of the rectification process, and what each posts to.
STATE_FORMS = {
    "rectify": {"respond": RespondForm, "appeal": AppealForm},
    "appeal_review": {"review": ReviewAppealForm},
    "revisit": {"revisit": RevisitForm},
}


@official_required
@require_GET
def ratings_office(request):
    if not can_rating_view(request.user, None):
        raise PermissionDenied("services.rating.view")
    by = request.GET.get("by", "item")
    by = by if by in TABS else "item"
    form = PeriodFilterForm(request.GET, actor=request.user, permission=selectors.RATING_VIEW)
    context = {"form": form, "by": by, "tabs": TABS.items(), "query": _query(request, "by")}
    status = 400
    if form.is_valid():
        kwargs = form.selector_kwargs()
        try:
            context["rows"] = selectors.rating_summary(actor=request.user, by=by, **kwargs)
            context["totals"] = selectors.rating_totals(actor=request.user, **kwargs)
            bad = selectors.bad_ratings_for_actor(actor=request.user, **kwargs)
            context["bad_page"] = Paginator(bad, PER_PAGE).get_page(request.GET.get("page"))
            status = 200
        except (errors.InvalidInput, errors.NotFound) as error:
            form.add_error(None, error.message)
    form.mark_invalid_fields()
    return render(request, "services/ratings/office.html", context, status=status)


def _query(request, *dropped) -> str:
    query = request.GET.copy()
    for name in ("page", *dropped):
        query.pop(name, None)
    return query.urlencode()


@official_required
@require_GET
def rectifications(request):
    status = request.GET.get("status", "")
    status = status if status in RectificationStatus.values else ""
    rows = selectors.rectification_list_for_actor(actor=request.user, status=status)
    page_obj = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    context = {"page_obj": page_obj, "status": status, "statuses": RectificationStatus.choices}
    return render(request, "services/ratings/rectifications.html", context)


def application_link(application_id: int) -> str:
    """The official's application page (helper D's `office_application`), if it exists yet."""
    try:
        return reverse("services:office_application", args=[application_id])
    except NoReverseMatch:
        return ""


def _write(request, rectification, op: str, data: dict):
    actor = request.user
    if op == "respond":
        services.rectification_respond(
            actor=actor, rectification=rectification, text=data["text"], unfounded=data["kind"] == "explained"
        )
    elif op == "appeal":
        services.rectification_appeal(actor=actor, rectification=rectification, reason=data["reason"])
    elif op == "review":
        services.rectification_review_appeal(
            actor=actor,
            rectification=rectification,
            upheld=data["decision"] == "upheld",
            opinion=data["opinion"],
        )
    else:
        services.rectification_revisit(
            actor=actor,
            rectification=rectification,
            satisfied=data["result"] == "satisfied",
            note=data["note"],
        )


@official_required
@require_http_methods(["GET", "POST"])
def rectification(request, rectification_id: int):
    try:
        found = selectors.rectification_get_for_actor(actor=request.user, rectification_id=rectification_id)
    except errors.NotFound:
        raise Http404() from None
    task = selectors.rectification_current_task(found)
    workable = task is not None and can_task_work(request.user, task)
    classes = STATE_FORMS.get(task.state, {}) if workable else {}
    op = request.POST.get("op", "") if request.method == "POST" else ""
    if request.method == "POST" and op not in classes:
        return redirect("services:rectification", rectification_id=found.pk)  # the task moved on
    forms = {name: cls(request.POST if name == op else None, prefix=name) for name, cls in classes.items()}
    error, status = "", 200
    if op:
        form = forms[op]
        if form.is_valid():
            try:
                _write(request, found, op, form.cleaned_data)
                messages.success(request, "已办理")
                return redirect("services:rectification", rectification_id=found.pk)
            except errors.InvalidInput as invalid:
                form.add_service_errors(invalid)
                status = 400
            except (errors.PermissionDenied, errors.Conflict) as refused:
                error, status = refused.message, refused.status
            except errors.NotFound:
                raise Http404() from None
        else:
            status = 400
    for form in forms.values():
        form.mark_invalid_fields()
    context = {
        "rectification": found,
        "rating": found.rating,
        "task": task,
        "forms": forms,
        "error": error,
        "application_url": application_link(found.rating.application_id),
    }
    return render(request, "services/ratings/rectification.html", context, status=status)
