"""好差评 page forms: the ratings, the rectification actions and the period filters.

They check only the shape of the input (a level is a choice, text not too long); the services
are the authority (a 差评 needs a reason, once per application …) and their
`InvalidInput.fields` are shown beside the same fields (`indicators.overall` → `overall`)."""

from __future__ import annotations

from datetime import date

from django import forms
from django.db.models import Q
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from yiwang.core.accounts.rbac import scope_for
from yiwang.core.orgs.models import Department
from yiwang.core.web.forms import PageForm, text_field
from yiwang.services.models.ratings import INDICATORS, RatingLevel

LEVEL_CHOICES = [(str(value), label) for value, label in RatingLevel.choices]  # 5 … 1


def _level_field(label) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        choices=LEVEL_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={
            "required": format_lazy(_("请选择{label}"), label=label),
            "invalid_choice": _("请选择1至5分"),
        },
    )


def _comment_field(help_text) -> forms.CharField:
    return text_field(
        _("评价内容"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=help_text,
    )


class RatingFormBase(PageForm):
    def add_service_errors(self, error) -> None:
        fields = {key.removeprefix("indicators."): reason for key, reason in (error.fields or {}).items()}
        error.fields = fields
        super().add_service_errors(error)


class OnlineRatingForm(RatingFormBase):
    """一事一评: the overall level, the five online indicators (STANDARDS §5) and a comment."""

    level = _level_field(_("总体评价"))
    comment = _comment_field(_("“不满意”或“非常不满意”请说明原因（至少5个字），我们将督促整改"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for key, label in INDICATORS.items():
            self.fields[key] = _level_field(label)
        self.order_fields(["level", *INDICATORS, "comment"])

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "level": data["level"],
            "indicators": {key: data[key] for key in INDICATORS},
            "comment": data.get("comment", ""),
        }


class WindowRatingForm(RatingFormBase):
    """一次一评 on a phone: one level and a comment."""

    level = _level_field(_("您对本次窗口服务的评价"))
    comment = _comment_field(_("不满意请说明原因（至少5个字）"))


def _text_area(label) -> forms.CharField:
    return text_field(label, max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))


class RespondForm(PageForm):
    """整改完成 / 情况说明（差评不实）."""

    kind = forms.ChoiceField(
        label=_("办理方式"),
        choices=[("rectified", _("整改完成")), ("explained", _("情况说明（差评不实）"))],
        widget=forms.RadioSelect,
        error_messages={"required": _("请选择办理方式"), "invalid_choice": _("请选择办理方式")},
    )
    text = _text_area(_("整改情况或情况说明"))


class AppealForm(PageForm):
    reason = _text_area(_("申诉理由"))


class ReviewAppealForm(PageForm):
    decision = forms.ChoiceField(
        label=_("复核结论"),
        choices=[("upheld", _("申诉成立（差评不计）")), ("rejected", _("申诉不成立，退回整改"))],
        widget=forms.RadioSelect,
        error_messages={"required": _("请选择复核结论"), "invalid_choice": _("请选择复核结论")},
    )
    opinion = _text_area(_("复核意见"))


class RevisitForm(PageForm):
    result = forms.ChoiceField(
        label=_("回访结果"),
        choices=[("satisfied", _("满意")), ("unsatisfied", _("不满意，重新整改"))],
        widget=forms.RadioSelect,
        error_messages={"required": _("请选择回访结果"), "invalid_choice": _("请选择回访结果")},
    )
    note = _text_area(_("回访记录"))


# --- filters -----------------------------------------------------------------------------------
def departments_in_scope(actor, permission: str) -> list[tuple[int, str]]:
    scope = scope_for(actor, permission)
    if scope.empty:
        return []
    departments = Department.objects.filter(is_active=True)
    if not scope.city_wide:
        condition = Q()
        for path in scope.department_paths:
            condition |= Q(path__startswith=path)
        departments = departments.filter(condition)
    return list(departments.order_by("path", "sort_order", "id").values_list("id", "name"))


def _date_field(label) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=False,
        input_formats=["%Y-%m-%d"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("请按 年-月-日 填写日期，如 2026-01-31")},
    )


class PeriodFilterForm(PageForm):
    """统计期间 and 部门, for the ratings and the figures pages."""

    date_from = _date_field(_("起始日期"))
    date_to = _date_field(_("截止日期"))
    department = forms.TypedChoiceField(
        label=_("部门"),
        required=False,
        coerce=int,
        empty_value=None,
        error_messages={"invalid_choice": _("该部门不在您的查看范围内")},
    )

    def __init__(self, *args, actor, permission: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].choices = [("", _("全部部门")), *departments_in_scope(actor, permission)]

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if isinstance(start, date) and isinstance(end, date) and end < start:
            self.add_error("date_to", _("截止日期不能早于起始日期"))
        return cleaned

    def selector_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "date_from": data.get("date_from"),
            "date_to": data.get("date_to"),
            "department": data.get("department"),
        }
