"""Page forms of the officials' licence pages: the list's filter, 颁发 (with one input per field
the licence type declares), 变更 and 吊销.

They check the shape of the input; the services are the authority, and their
`InvalidInput.fields` ("holder_id", "data.经营项目"…) are shown beside the matching inputs.
"""

from __future__ import annotations

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from yiwang.core.web.forms import PageForm, text_field
from yiwang.licenses.models import HolderKind
from yiwang.licenses.selectors_official import STATUS_FILTERS
from yiwang.licenses.services.shapes import MAX_TEXT
from yiwang.licenses.verdicts import STATUS_LABELS

DATA_PREFIX = "data_"
# Service field names → this form's inputs.
SERVICE_FIELDS = {"holder_id": "holder_code", "issuer_id": "issuer", "type_code": None, "data": None}


def _date_field(label, *, required: bool = False, help_text="") -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        help_text=help_text,
        input_formats=["%Y-%m-%d"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "required": format_lazy(_("请填写{label}"), label=label),
            "invalid": format_lazy(_("{label}应按 年-月-日 填写，如 2026-01-31"), label=label),
        },
    )


def _data_field(spec: dict) -> forms.Field:
    """One input for a field the licence type declares (shapes.check_field_specs)."""
    label, required = spec["label"], spec.get("required", True)
    if spec["type"] == "date":
        return _date_field(label, required=required)
    if spec["type"] == "enum":
        return forms.ChoiceField(
            label=label,
            required=required,
            choices=[("", _("请选择")), *((c, c) for c in spec["choices"])],
            error_messages={
                "required": format_lazy(_("请选择{label}"), label=label),
                "invalid_choice": format_lazy(_("{label}不在可选项中"), label=label),
            },
        )
    if spec["type"] == "number":
        return text_field(
            label, max_length=24, required=required, widget=forms.TextInput(attrs={"inputmode": "decimal"})
        )
    return text_field(label, max_length=MAX_TEXT, required=required)


class ServiceErrorsMixin:
    def add_service_errors(self, error) -> None:
        for field, reason in (error.fields or {}).items():
            name = SERVICE_FIELDS.get(field, field)
            if isinstance(name, str) and name.startswith("data."):
                name = DATA_PREFIX + name.removeprefix("data.")
            self.add_error(name if name in self.fields else None, str(reason))
        if not error.fields:
            self.add_error(None, str(error.message))


class DataFieldsMixin:
    def add_data_fields(self, specs: list[dict]) -> None:
        self.data_names = [spec["name"] for spec in specs]
        for spec in specs:
            self.fields[DATA_PREFIX + spec["name"]] = _data_field(spec)

    def data_fields(self):
        return [self[DATA_PREFIX + name] for name in self.data_names]

    def licence_data(self) -> dict:
        """照面信息 as the service takes it: dates as ISO text, blanks left out."""
        data = {}
        for name in self.data_names:
            value = self.cleaned_data.get(DATA_PREFIX + name)
            if value not in (None, ""):
                data[name] = value.isoformat() if hasattr(value, "isoformat") else value
        return data


class LicenseFilterForm(PageForm):
    type = forms.TypedChoiceField(
        label=_("证照类型"),
        required=False,
        coerce=int,
        empty_value=None,
        error_messages={"invalid_choice": _("证照类型不存在")},
    )
    status = forms.ChoiceField(
        label=_("状态"),
        required=False,
        choices=[("", _("全部")), *((code, STATUS_LABELS[code]) for code in STATUS_FILTERS)],
        error_messages={"invalid_choice": _("状态不存在")},
    )
    q = text_field(_("证照标识或编号"), max_length=128, required=False)

    def __init__(self, *args, types, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["type"].choices = [("", _("全部类型")), *((t.pk, t.name) for t in types)]


class IssueForm(ServiceErrorsMixin, DataFieldsMixin, PageForm):
    holder_code = text_field(_("持证主体证件号码"), max_length=18)
    number = text_field(_("证照编号"), max_length=64)
    issued_on = _date_field(_("颁发日期"), help_text=_("留空为今天"))
    valid_from = _date_field(_("有效期起始"), help_text=_("留空为颁发日期"))
    valid_until = _date_field(_("有效期截止"), help_text=_("留空按证照类型的有效期规则计算"))

    def __init__(self, *args, license_type, issuers, **kwargs):
        super().__init__(*args, **kwargs)
        if license_type.holder_kind == HolderKind.CITIZEN:
            label, help_text = _("持证人身份证号"), _("18位公民身份号码")
        else:
            label, help_text = _("持证单位统一社会信用代码"), _("18位统一社会信用代码")
        holder = self.fields["holder_code"]
        holder.label, holder.help_text = label, help_text
        holder.error_messages.update(
            required=format_lazy(_("请填写{label}"), label=label),
            max_length=format_lazy(_("{label}应为18位"), label=label),
        )
        holder.widget.attrs.update(autocomplete="off", spellcheck="false")
        if len(issuers) > 1:
            self.fields["issuer"] = forms.TypedChoiceField(
                label=_("颁发机构"),
                coerce=int,
                choices=[("", _("请选择")), *((d.pk, d.name) for d in issuers)],
                error_messages={
                    "required": _("请选择颁发机构"),
                    "invalid_choice": _("您不能以该机构的名义颁发此证照"),
                },
            )
        self.issuers = {d.pk: d for d in issuers}
        self.add_data_fields(license_type.fields)

    def head_fields(self):
        return [self[name] for name in ("holder_code", "number", "issuer") if name in self.fields]

    def date_fields(self):
        return [self[name] for name in ("issued_on", "valid_from", "valid_until")]

    def issuer(self):
        if "issuer" in self.fields:
            return self.issuers.get(self.cleaned_data["issuer"])
        return next(iter(self.issuers.values()), None)


class ReviseForm(ServiceErrorsMixin, DataFieldsMixin, PageForm):
    number = text_field(_("证照编号"), max_length=64)
    valid_from = _date_field(_("有效期起始"), required=True)
    valid_until = _date_field(_("有效期截止"), help_text=_("留空按证照类型的有效期规则计算（长期证照留空）"))
    reason = text_field(
        _("变更原因"), max_length=200, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, license_type, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_data_fields(license_type.fields)

    def head_fields(self):
        return [self[name] for name in ("number", "valid_from", "valid_until")]


class RevokeForm(PageForm):
    reason = text_field(_("吊销原因"), max_length=200, widget=forms.Textarea(attrs={"rows": 3}))
