"""Page forms of 申请. They carry the input's shape; the services decide what is valid and their
per-field reasons ("form.<code>", "materials.<code>") are shown beside the same inputs.

The application form is built from the version's `form_fields` (forms_spec.py). Its inputs are
all optional here — a draft may be saved half-filled; submission names what is missing. An
answer that is personal data (身份证号, 电话) is never put back into the page: its input shows
the masked value as a placeholder and a blank input keeps what is stored.
"""

from __future__ import annotations

import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from yiwang.core.web.forms import PageForm, text_field
from yiwang.services.models import DeliveryMethod

PREFIX = "f_"  # input names: f_<field code>; the service calls them form.<code>
ANSWER_MAX = 5000  # the shape only; each field's own limit is the service's (forms_spec.py)


def _widget(spec, masked: str):
    if spec.type == "textarea":
        return forms.Textarea(attrs={"rows": 4})
    if spec.type == "date":
        return forms.DateInput(attrs={"type": "date"})
    if spec.type == "number":
        return forms.TextInput(attrs={"inputmode": "decimal"})
    if spec.type == "choice":
        return forms.Select(choices=[("", _("请选择"))] + [(c, c) for c in spec.choices])
    if spec.sensitive:
        attrs = {"autocomplete": "off", "placeholder": masked or ""}
        if spec.type == "phone":
            attrs["inputmode"] = "tel"
        return forms.TextInput(attrs=attrs)
    return forms.TextInput()


class ApplicationForm(PageForm):
    """申请表 plus 送达方式, the version read (optimistic lock) and the submission token."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=2**31 - 1)
    client_token = forms.CharField(widget=forms.HiddenInput, max_length=64, required=False)
    delivery_method = forms.ChoiceField(label=_("送达方式"), required=False)
    delivery_address = text_field(_("邮寄地址"), max_length=255, required=False)

    def __init__(self, *args, specs=(), answers=None, methods=(), **kwargs):
        super().__init__(*args, **kwargs)
        answers = {a.code: a for a in (answers or [])}
        self.specs = list(specs)
        self.material_errors: dict[str, str] = {}
        for spec in self.specs:
            answer = answers.get(spec.code)
            masked = answer.value if answer is not None and spec.sensitive else ""
            field = forms.CharField(
                label=spec.label,
                required=False,
                max_length=ANSWER_MAX,
                error_messages={"max_length": f"{spec.label}过长"},
                help_text=(f"{spec.help} " if spec.help else "")
                + (str(_("已填写，留空则保持不变")) if masked else ""),
                widget=_widget(spec, masked),
            )
            field.spec_required = spec.required
            self.fields[PREFIX + spec.code] = field
            if answer is not None and not spec.sensitive:
                self.initial.setdefault(PREFIX + spec.code, answer.value)
        self.fields["delivery_method"].choices = [(m, DeliveryMethod(m).label) for m in methods]
        self.fields["delivery_method"].spec_required = True
        self.initial.setdefault("client_token", uuid.uuid4().hex)
        # Answers first, then delivery, as the page reads.
        self.order_fields([PREFIX + s.code for s in self.specs] + ["delivery_method", "delivery_address"])

    def answer_fields(self):
        return [self[PREFIX + spec.code] for spec in self.specs]

    def answers(self) -> dict:
        """What to save: every answer typed, except blank personal-data inputs (kept as stored)."""
        data = {}
        for spec in self.specs:
            value = self.cleaned_data.get(PREFIX + spec.code, "")
            if spec.sensitive and not value:
                continue
            data[spec.code] = value
        return data

    def add_service_errors(self, error) -> None:
        for key, reason in (error.fields or {}).items():
            if key.startswith("form."):
                self.add_error(PREFIX + key[5:] if PREFIX + key[5:] in self.fields else None, reason)
            elif key.startswith("materials."):
                self.material_errors[key[10:]] = reason
            elif key in self.fields and key not in ("version", "client_token"):
                self.add_error(key, reason)
            else:
                self.add_error(None, reason)
        if not error.fields:
            self.add_error(None, error.message)


class UploadForm(PageForm):
    file = forms.FileField(
        label=_("选择文件"),
        error_messages={"required": _("请选择要上传的文件"), "empty": _("文件为空")},
    )


class ReuseForm(PageForm):
    personal_material_id = forms.IntegerField(
        min_value=1, max_value=2**63 - 1, error_messages={"required": _("请选择我的材料")}
    )


class WithdrawForm(PageForm):
    reason = text_field(_("撤回理由"), max_length=500, widget=forms.Textarea(attrs={"rows": 3}))


class ResubmitForm(PageForm):
    note = text_field(
        _("补正说明"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class PrincipalForm(PageForm):
    principal = forms.TypedChoiceField(
        label=_("申请人"),
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": _("请选择申请人")},
    )

    def __init__(self, *args, principals=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["principal"].choices = [(p.pk, p.display_name) for p in principals]
        if principals:
            self.initial.setdefault("principal", principals[0].pk)


class WindowApplyForm(PageForm):
    """窗口代办: who stands at the counter (身份证号 and 姓名, or the enterprise's code), for which
    item, at which window."""

    id_number = text_field(
        _("身份证号"), max_length=18, required=False, widget=forms.TextInput(attrs={"autocomplete": "off"})
    )
    name = text_field(_("姓名"), max_length=128, required=False)
    uscc = text_field(
        _("统一社会信用代码（企业办事时填写）"),
        max_length=18,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    item = forms.TypedChoiceField(
        label=_("办理事项"), coerce=int, error_messages={"required": _("请选择办理事项")}
    )
    window = forms.TypedChoiceField(
        label=_("受理窗口"), coerce=int, error_messages={"required": _("请选择受理窗口")}
    )

    def __init__(self, *args, items=(), windows=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].choices = [("", _("请选择"))] + [
            (i.pk, f"{i.name}（{i.department.name}）") for i in items
        ]
        self.fields["window"].choices = [(w.pk, f"{w.name}（{w.department.name}）") for w in windows]

    def add_service_errors(self, error) -> None:
        renamed = {"item_id": "item", "window_id": "window"}
        fields = {renamed.get(k, k): v for k, v in (error.fields or {}).items()}
        super().add_service_errors(type(error)(error.message, fields=fields))
