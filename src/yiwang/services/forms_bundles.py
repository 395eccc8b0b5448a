"""Page forms of 一件事. They carry the input's shape; the services decide what is valid and their
per-field reasons are shown beside the same inputs.

The merged application form is the applying pages' `ApplicationForm` (forms_applying.py) built
from the merged fields (bundle_forms.MergedForm.all_fields: each code once), so a shared field
has one input and its "form.<code>" reason appears beside it once.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from yiwang.core.web.forms import PageForm, text_field
from yiwang.services.forms_applying import ApplicationForm
from yiwang.services.models import LifeEvent, SubjectKind

SERVICE_FIELDS = {"item_ids": "items", "lead_department_id": "lead_department"}


class BundleForm(PageForm):
    """新建 / 修改一件事 (政务服务管理员)."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1, max_value=2**31 - 1)
    code = text_field(
        _("一件事代码"),
        help_text=_("用于网址，2–64位小写字母、数字、下划线或横线，如 open-restaurant；创建后不能修改"),
    )
    name = text_field(_("名称"), max_length=128)
    life_event = forms.ChoiceField(
        label=_("人生事件"),
        choices=LifeEvent.choices,
        error_messages={"required": _("请选择人生事件"), "invalid_choice": _("人生事件无效")},
    )
    subject = forms.ChoiceField(
        label=_("服务对象"),
        choices=SubjectKind.choices,
        error_messages={"required": _("请选择服务对象"), "invalid_choice": _("服务对象无效")},
    )
    lead_department = forms.TypedChoiceField(
        label=_("牵头部门"),
        coerce=int,
        error_messages={"required": _("请选择牵头部门"), "invalid_choice": _("牵头部门无效")},
        help_text=_("邮寄或窗口领取时，由牵头部门窗口统一送达全部办理结果"),
    )
    description = text_field(
        _("说明"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    keywords = text_field(
        _("检索关键词"), max_length=255, required=False, help_text=_("以空格分隔，如：开饭店 餐馆")
    )
    items = forms.TypedMultipleChoiceField(
        label=_("包含的事项"),
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("请选择包含的事项"), "invalid_choice": _("事项无效")},
        help_text=_(
            "发布时须至少两个已发布、可网上办理（网办深度≥4）且面向该服务对象的事项，通常来自不同部门"
        ),
    )

    def __init__(self, *args, departments=(), items=(), editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead_department"].choices = [("", _("请选择"))] + [(d.pk, d.name) for d in departments]
        self.fields["items"].choices = [
            (i.pk, f"{i.name}（{i.department.name}，{i.get_status_display()}）") for i in items
        ]
        if editing:
            self.fields["code"].disabled = True
            self.fields["code"].required = False

    def add_service_errors(self, error) -> None:
        for key, reason in (error.fields or {}).items():
            name = SERVICE_FIELDS.get(key, key)
            self.add_error(name if name in self.fields and name != "version" else None, reason)
        if not error.fields:
            self.add_error(None, error.message)


def bundle_application_form(specs, answers, methods, bundle_application, data=None) -> ApplicationForm:
    return ApplicationForm(
        data,
        specs=specs,
        answers=answers,
        methods=methods,
        initial={
            "version": bundle_application.version,
            "delivery_method": bundle_application.delivery_method,
            "delivery_address": bundle_application.delivery_address,
        },
    )
