"""电子监察 page forms (issue 3 §5): the filter, 督办, 过错问责 and 督办反馈.

They check only the shape of the input; the selectors and services are the authority on the
rest, and their `InvalidInput.fields` are shown beside the same fields."""

from __future__ import annotations

from datetime import date

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from yiwang.core.accounts.rbac import scope_for
from yiwang.core.orgs.models import Department
from yiwang.core.web.forms import PageForm, text_field
from yiwang.workflow.models import ProcessDefinitionVersion
from yiwang.workflow.models_supervision import AccountabilityKind

# Where a selector's field name differs from the form's.
SELECTOR_FIELDS = {"department_id": "department"}


def departments_in_scope(actor) -> list[tuple[int, str]]:
    """(id, name) of the active departments the actor's 电子监察 reaches, for the filter."""
    scope = scope_for(actor, "workflow.supervision.view")
    if scope.empty:
        return []
    departments = Department.objects.filter(is_active=True)
    if not scope.city_wide:
        condition = Q()
        for path in scope.department_paths:
            condition |= Q(path__startswith=path)
        departments = departments.filter(condition)
    return list(departments.order_by("path", "sort_order", "id").values_list("id", "name"))


def current_processes() -> list[tuple[str, str]]:
    """(code, name) of every process whose definition is loaded, current version."""
    rows = ProcessDefinitionVersion.objects.filter(is_current=True).order_by("code")
    return list(rows.values_list("code", "name"))


def _date_field(label) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=False,
        input_formats=["%Y-%m-%d"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("请按 年-月-日 填写日期，如 2026-01-31")},
    )


class SupervisionFilterForm(PageForm):
    start = _date_field(_("统计起始日期"))
    end = _date_field(_("统计截止日期"))
    department = forms.TypedChoiceField(
        label=_("部门"),
        required=False,
        coerce=int,
        empty_value=None,
        error_messages={"invalid_choice": _("该部门不在您的监察范围内")},
    )
    process = forms.ChoiceField(
        label=_("流程"), required=False, error_messages={"invalid_choice": _("流程不存在")}
    )

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].choices = [("", _("全部部门")), *departments_in_scope(actor)]
        self.fields["process"].choices = [("", _("全部流程")), *current_processes()]

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if isinstance(start, date) and isinstance(end, date) and end < start:
            self.add_error("end", _("截止日期不能早于起始日期"))
        return cleaned

    def selector_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "start": data.get("start"),
            "end": data.get("end"),
            "department_id": data.get("department"),
            "process": data.get("process") or "",
        }

    def add_selector_errors(self, error) -> None:
        for field, reason in (error.fields or {}).items():
            name = SELECTOR_FIELDS.get(field, field)
            self.add_error(name if name in self.fields else None, reason)
        if not error.fields:
            self.add_error(None, error.message)


class PressForm(PageForm):
    message = text_field(_("督办意见"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
    respond_by = forms.DateField(
        label=_("反馈时限"),
        required=False,
        input_formats=["%Y-%m-%d"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("可不填；填写则为该日 24 时前反馈"),
        error_messages={"invalid": _("请按 年-月-日 填写反馈时限")},
    )


class AccountabilityForm(PageForm):
    kind = forms.ChoiceField(
        label=_("过错类型"),
        choices=AccountabilityKind.choices,
        error_messages={"required": _("请选择过错类型"), "invalid_choice": _("过错类型无效")},
    )
    reason = text_field(_("问责理由"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))


class AcknowledgeForm(PageForm):
    reply = text_field(_("反馈意见"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
    version = forms.IntegerField(min_value=1, max_value=2**31 - 1, widget=forms.HiddenInput())
