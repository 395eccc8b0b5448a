"""The audit list's filter form: the same parsers as the API (`audit.filters`)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from yiwang.core.audit import filters


class AuditFilterForm(forms.Form):
    action = forms.CharField(label=_("操作代码"), required=False, help_text=_("前缀匹配，如 core.user."))
    actor_name = forms.CharField(label=_("操作人"), required=False)
    target_type = forms.CharField(label=_("对象类型"), required=False, help_text=_("如 accounts.user"))
    target_id = forms.CharField(label=_("对象ID"), required=False)
    since = forms.CharField(
        label=_("起始日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.CharField(
        label=_("截止日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    client_address = forms.CharField(label=_("客户端地址"), required=False)

    def clean(self):
        cleaned = super().clean()
        parsers = {name: filters.parse_text for name in filters.TEXT_FIELDS}
        parsers.update(since=filters.parse_moment, until=filters.parse_moment)
        for name, parse in parsers.items():
            if name in cleaned:
                try:
                    cleaned[name] = parse(name, cleaned[name])
                except ValueError as error:
                    self.add_error(name, str(error))
        if "client_address" in cleaned:
            try:
                cleaned["client_address"] = filters.parse_address(cleaned["client_address"])
            except ValueError as error:
                self.add_error("client_address", str(error))
        return cleaned

    def describe_errors(self) -> None:
        """Point each invalid field at its message (WCAG 3.3.1: errors identified in text)."""
        for name in self.errors:
            if name in self.fields:
                described = f"{name}-error"
                if self.fields[name].help_text:  # keep the hint Django links when there is no error
                    described += f" {self[name].auto_id}_helptext"
                self.fields[name].widget.attrs.update({"aria-invalid": "true", "aria-describedby": described})
