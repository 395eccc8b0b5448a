"""/workbench/calendar/: the year month by month; administrators set or clear a day."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone

from yiwang.core.accounts.models import UserKind
from yiwang.core.errors import DomainError
from yiwang.core.workcal import selectors, services
from yiwang.core.workcal.forms import DayForm
from yiwang.core.workcal.permissions import can_calendar_manage
from yiwang.core.workcal.validation import FIRST_YEAR, LAST_YEAR


def _apply(request, form: DayForm) -> str | None:
    """Run the chosen service; on a domain error put its reasons on the form and return the message."""
    data = form.cleaned_data
    try:
        if data["action"] == "clear":
            services.calendar_day_clear(actor=request.user, date=data["date"])
            messages.success(request, f"已清除 {data['date']} 的设置")
        else:
            services.calendar_day_set(
                actor=request.user, date=data["date"], kind=data["kind"], name=data["name"]
            )
            messages.success(request, f"已设置 {data['date']}")
    except DomainError as error:
        for field, reason in error.fields.items():
            form.add_error(field if field in form.fields else None, reason)
        return error.message
    return None


@login_required
def year_view(request, year: int | None = None):
    if request.user.kind != UserKind.OFFICIAL:
        raise PermissionDenied
    year = timezone.localdate().year if year is None else year
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise Http404
    can_manage = can_calendar_manage(request.user)
    form, error, status = DayForm(initial={"action": "set"}), "", 200
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied
        form = DayForm(request.POST)
        error = "提交的内容有误" if not form.is_valid() else _apply(request, form)
        if not error:
            return redirect("workcal:year", year=form.cleaned_data["date"].year)
        status = 422
    context = {
        "year": year,
        "known": selectors.calendar_year_known(year=year),
        "months": selectors.calendar_year_months(year=year),
        "can_manage": can_manage,
        "form": form,
        "error": error,
    }
    return render(request, "workcal/year.html", context, status=status)
