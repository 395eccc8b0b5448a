"""一网通办 figures in the workbench (issue 5 §7): 网上可办率, 申请渠道, 即办率, 按时办结率,
用时 vs 承诺时限, 承诺时限压缩比 and 满意度 for a period, on the page and as CSV (UTF-8 with BOM,
formula injection neutralised: workflow/supervision_export.py).

Thin: the filter form → `selectors_figures.figures` → render. No figures right → 403."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from yiwang.core import errors
from yiwang.core.files.responses import content_disposition
from yiwang.core.web.views._shared import official_required
from yiwang.services.forms_ratings import PeriodFilterForm
from yiwang.services.permissions import can_figures_view
from yiwang.services.selectors_figures import FIGURES_VIEW, figures
from yiwang.workflow.supervision_export import Rate, to_csv

HEADERS = ["指标", "数值"]


def _read(request) -> tuple[PeriodFilterForm, dict | None]:
    if not can_figures_view(request.user):
        raise PermissionDenied(FIGURES_VIEW)
    form = PeriodFilterForm(request.GET, actor=request.user, permission=FIGURES_VIEW)
    found = None
    if form.is_valid():
        try:
            found = figures(actor=request.user, **form.selector_kwargs())
        except (errors.InvalidInput, errors.NotFound) as error:
            for field, reason in getattr(error, "fields", {}).items():
                form.add_error(field if field in form.fields else None, reason)
            if not getattr(error, "fields", None):
                form.add_error("department", error.message)
    form.mark_invalid_fields()
    return form, found


def _rate(value) -> Rate | None:
    return None if value is None else Rate(value)


def _days(value) -> float | None:
    return None if value is None else round(value, 1)


def figures_rows(found: dict) -> list[list]:
    """(指标, 数值) in the order of the page; rates as `Rate` (percentages in the CSV)."""
    satisfaction = found["satisfaction"]
    return [
        ["统计期间", f"{found['period']['from']:%Y-%m-%d} 至 {found['period']['to']:%Y-%m-%d}"],
        ["统计范围", found["department"] or "全部"],
        ["已发布依申请事项数", found["items"]],
        ["网上可办事项数", found["online_items"]],
        ["网上可办率", _rate(found["online_rate"])],
        ["即办件事项数", found["immediate_items"]],
        ["即办率（事项）", _rate(found["immediate_item_rate"])],
        ["申请件数", found["applications"]],
        ["网上申请", found["channels"]["online"]],
        ["窗口申请", found["channels"]["window"]],
        ["即办件申请数", found["immediate_applications"]],
        ["即办率（办件）", _rate(found["immediate_application_rate"])],
        ["办结件数", found["completed"]],
        ["按时办结件数", found["on_time"]],
        ["按时办结率", _rate(found["on_time_rate"])],
        ["平均实际用时（工作日）", _days(found["avg_working_days_used"])],
        ["平均承诺时限（工作日）", _days(found["avg_promised_working_days"])],
        ["承诺时限压缩比", _rate(found["compression_ratio"])],
        ["评价数", satisfaction["ratings"]],
        ["平均分", satisfaction["average_level"]],
        ["好评率", _rate(satisfaction["good_rate"])],
        ["差评数", satisfaction["bad_count"]],
        ["差评整改率", _rate(satisfaction["rectified_rate"])],
    ]


@official_required
@require_GET
def figures_page(request):
    form, found = _read(request)
    query = request.GET.urlencode()
    context = {"form": form, "found": found, "rows": figures_rows(found) if found else [], "query": query}
    return render(request, "services/ratings/figures.html", context, status=200 if found else 400)


@official_required
@require_GET
def figures_csv(request):
    form, found = _read(request)
    if found is None:
        return render(request, "services/ratings/figures.html", {"form": form, "found": None}, status=400)
    period = found["period"]
    response = HttpResponse(to_csv(HEADERS, figures_rows(found)), content_type="text/csv; charset=utf-8")
    name = f"一网通办统计_{period['from']:%Y-%m-%d}_{period['to']:%Y-%m-%d}.csv"
    response["Content-Disposition"] = content_disposition(name, "csv")
    response["Cache-Control"] = "private, no-store"
    return response
