"""电子监察 pages (issue 3 §5): the figures with their charts, the overdue list with 督办 and
过错问责, the exports, and the 督办 box where a pressed department acknowledges.

Thin: each view parses a form, calls one selector or service, and renders; the selectors
decide what the actor may see (out of scope → 404, no supervision right → 403)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.timezone import localdate
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from yiwang.core import errors
from yiwang.core.accounts.rbac import has_permission
from yiwang.core.files.responses import content_disposition
from yiwang.core.web.views._shared import official_required
from yiwang.workflow import selectors_supervision as selectors
from yiwang.workflow import supervision_export as export_tables
from yiwang.workflow.forms_supervision import (
    AccountabilityForm,
    PressForm,
    SupervisionFilterForm,
)
from yiwang.workflow.models_supervision import AccountabilityKind
from yiwang.workflow.permissions import can_supervise
from yiwang.workflow.selectors import definition_of
from yiwang.workflow.selectors_runtime import state_name_of, task_get_for_actor
from yiwang.workflow.services.supervision import accountability_record, notice_press

PER_PAGE = 20
RECENT_ACCOUNTABILITIES = 20
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _require_supervision(actor) -> None:
    """Checked before the filter, so someone without the right gets 403, not their typos."""
    if not can_supervise(actor, None):
        raise PermissionDenied("workflow.supervision.view")


def _read(request, form: SupervisionFilterForm, *, figures: bool = True, overdue: bool = True) -> dict:
    """The figures and overdue rows for a valid filter; {} when the filter is wrong."""
    if not form.is_valid():
        return {}
    kwargs = form.selector_kwargs()
    found = {}
    try:
        if figures:
            found["figures"] = selectors.supervision_figures(actor=request.user, **kwargs)
        if overdue:
            found["overdue"] = selectors.overdue_list(
                actor=request.user, department_id=kwargs["department_id"], process=kwargs["process"]
            )
    except errors.PermissionDenied as denied:
        raise PermissionDenied(denied.message) from None
    except errors.InvalidInput as invalid:
        form.add_selector_errors(invalid)
        return {}
    except errors.NotFound as missing:  # a department outside the scope, named in the URL
        form.add_error("department", missing.message)
        return {}
    return found


def _chart_data(figures: dict) -> dict:
    """What supervision.js draws; the tables on the page show the same numbers."""
    departments = figures["by_department"]
    processes = figures["by_process"]

    def share(rate):
        return None if rate is None else round(rate * 100, 1)

    return {
        "departments": {
            "title": _("各部门在办、预警、超期"),
            "names": [row["name"] for row in departments],
            "series": [
                {
                    "name": _("正常在办"),
                    "values": [max(row["open"] - row["warning"] - row["overdue"], 0) for row in departments],
                },
                {"name": _("预警"), "values": [row["warning"] for row in departments]},
                {"name": _("超期"), "values": [row["overdue"] for row in departments]},
            ],
        },
        "processes": {
            "title": _("各流程按时、提前办结率（%）"),
            "names": [row["name"] for row in processes],
            "series": [
                {"name": _("按时办结率"), "values": [share(row["on_time_rate"]) for row in processes]},
                {"name": _("提前办结率"), "values": [share(row["early_rate"]) for row in processes]},
            ],
        },
    }


@official_required
@require_GET
def dashboard(request):
    _require_supervision(request.user)
    form = SupervisionFilterForm(request.GET, actor=request.user)
    found = _read(request, form)
    form.mark_invalid_fields()
    context = {"form": form, "query": _query(request), "kinds": AccountabilityKind.choices}
    if found:
        figures = found["figures"]
        context.update(
            figures=figures,
            # The cards count 办件 (instances); the department table counts their 待办 (tasks).
            totals=figures["process_totals"],
            chart_data=_chart_data(figures),
            overdue_page=Paginator(found["overdue"], PER_PAGE).get_page(request.GET.get("page")),
            accountabilities=_recent_accountabilities(request, form),
            can_press=has_permission(request.user, "workflow.supervision.press"),
            can_record=has_permission(request.user, "workflow.accountability.record"),
        )
    return render(request, "workflow/supervision.html", context, status=200 if found else 400)


def _recent_accountabilities(request, form) -> list:
    rows = selectors.accountabilities_for_actor(
        actor=request.user, department_id=form.cleaned_data.get("department")
    )
    rows = list(rows.select_related("instance__definition")[:RECENT_ACCOUNTABILITIES])
    for row in rows:  # the process's name, as the other tables show it
        row.process_name = definition_of(version=row.instance.definition).name
    return rows


def _query(request) -> str:
    """The filter as a query string, for export links and for coming back after a form."""
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


@official_required
@require_GET
def export(request, table: str, fmt: str):
    """统计表 or 超期清单 as CSV (UTF-8 with BOM, what Excel in China opens) or XLSX."""
    if table not in ("figures", "overdue") or fmt not in CONTENT_TYPES:
        raise Http404()
    _require_supervision(request.user)
    form = SupervisionFilterForm(request.GET, actor=request.user)
    found = _read(request, form, figures=table == "figures", overdue=table == "overdue")
    if not found:
        form.mark_invalid_fields()
        return render(request, "workflow/supervision.html", {"form": form, "query": ""}, status=400)
    if table == "figures":
        headers, rows = export_tables.figures_table(found["figures"])
        period = found["figures"]["period"]
        name, title = f"电子监察统计_{period['start']}_{period['end']}", "电子监察统计"
    else:
        headers, rows = export_tables.overdue_table(found["overdue"])
        name, title = f"超期清单_{localdate().isoformat()}", "超期清单"
    if fmt == "csv":
        content = export_tables.to_csv(headers, rows)
    else:
        content = export_tables.to_xlsx(headers, rows, title=title)
    response = HttpResponse(content, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = content_disposition(f"{name}.{fmt}", fmt)
    response["Cache-Control"] = "private, no-store"
    return response


# --- 督办 and 过错问责 on one overdue task ---------------------------------------------------------
def _task_or_404(request, task_id: int):
    try:
        return task_get_for_actor(actor=request.user, task_id=task_id)
    except errors.NotFound:
        raise Http404() from None


def _back(request) -> str:
    """Back to the dashboard with the filter the official came from (never another site)."""
    dashboard_url = reverse("supervision:dashboard")
    target = request.POST.get("next", "")
    if target.startswith(dashboard_url) and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return dashboard_url


def _task_form_page(request, task_id: int, *, form_class, template: str, write, done: str):
    """GET shows the form; POST runs `write(task, cleaned_data)`, then back to the dashboard.
    A refusal is shown on the form page with its status (400, 403, 409)."""
    _require_supervision(request.user)
    task = _task_or_404(request, task_id)
    task.state_name = state_name_of(task)
    form = form_class(request.POST if request.method == "POST" else None)
    error, status = "", 200
    if request.method == "POST":
        if form.is_valid():
            try:
                write(task, form.cleaned_data)
                messages.success(request, done)
                return redirect(_back(request))
            except errors.InvalidInput as invalid:
                form.add_service_errors(invalid)
                status = 400
            except errors.PermissionDenied as denied:
                error, status = denied.message, 403
            except errors.Conflict as conflict:
                error, status = conflict.message, 409
            except errors.NotFound:
                raise Http404() from None
        else:
            status = 400
    form.mark_invalid_fields()
    context = {"task": task, "form": form, "error": error, "next": request.POST.get("next", "")}
    return render(request, template, context, status=status)


@official_required
@require_http_methods(["GET", "POST"])
def press(request, task_id: int):
    def write(task, data):
        notice_press(
            actor=request.user,
            instance=task.instance,
            task=task,
            message=data["message"],
            respond_by=data.get("respond_by"),
        )

    return _task_form_page(
        request,
        task_id,
        form_class=PressForm,
        template="workflow/supervision_press.html",
        write=write,
        done=_("已督办，等待被督办部门反馈"),
    )


@official_required
@require_http_methods(["GET", "POST"])
def accountability(request, task_id: int):
    def write(task, data):
        accountability_record(
            actor=request.user,
            instance=task.instance,
            task=task,
            kind=data["kind"],
            reason=data["reason"],
        )

    return _task_form_page(
        request,
        task_id,
        form_class=AccountabilityForm,
        template="workflow/supervision_accountability.html",
        write=write,
        done=_("已记录过错问责"),
    )
