"""The workbench form for setting or clearing one calendar day (administrators only)."""

from __future__ import annotations

from django import forms

from yiwang.core.workcal.models import DayKind


class DayForm(forms.Form):
    ACTIONS = (("set", "设置"), ("clear", "清除"))

    date = forms.DateField(
        label="日期",
        error_messages={"required": "日期不能为空", "invalid": "日期格式应为 YYYY-MM-DD"},
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    kind = forms.ChoiceField(
        label="类型",
        choices=DayKind.choices,
        required=False,
        error_messages={"invalid_choice": "类型应为“法定节假日（休）”或“调休上班日（班）”"},
    )
    name = forms.CharField(
        label="名称",
        max_length=64,
        required=False,
        error_messages={"max_length": "名称不能超过64个字"},
    )
    action = forms.ChoiceField(
        label="操作", choices=ACTIONS, error_messages={"required": "请选择操作", "invalid_choice": "操作无效"}
    )
