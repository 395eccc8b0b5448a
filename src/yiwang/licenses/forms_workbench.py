"""Page forms of the officials' 电子印章 and 用证查询 pages. Shapes only: the services check the
image and the codes, and their `InvalidInput.fields` are shown beside the same inputs."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from yiwang.core.web.forms import PageForm, text_field
from yiwang.licenses.models import HolderKind

# Service field names → this form's inputs.
LOOKUP_FIELDS = {"type_code": "type", "holder": "holder_code", "holder_id": "holder_code"}


class SealForm(PageForm):
    file = forms.FileField(
        label=_("印章图片（PNG）"),
        help_text=_("PNG格式，至多512KB，接近正方形（边长64–2048像素），建议透明背景"),
        widget=forms.ClearableFileInput(attrs={"accept": ".png,image/png"}),
        error_messages={
            "required": _("请选择印章图片（PNG）"),
            "empty": _("印章图片是空文件"),
            "invalid": _("请选择印章图片（PNG）"),
        },
    )

    def __init__(self, *args, department_id: int, **kwargs):
        # One form per department on the page: distinct ids (file-12, file-12-error).
        kwargs.setdefault("auto_id", f"%s-{department_id}")
        super().__init__(*args, **kwargs)


def _looks_like_id_number(code: str) -> bool:
    # As selectors.holder_for_code tells them apart: 17 digits then a digit or X.
    return len(code) == 18 and code[:17].isdigit()


class LookupForm(PageForm):
    holder_code = text_field(
        _("持证主体证件号码"),
        max_length=18,
        help_text=_("自然人填18位公民身份号码，法人填18位统一社会信用代码"),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    type = forms.ChoiceField(
        label=_("证照类型"),
        error_messages={"required": _("请选择证照类型"), "invalid_choice": _("证照类型不存在")},
    )
    purpose = text_field(
        _("用证事由"),
        max_length=200,
        help_text=_("如：办理食品经营许可。持证人可在“用证记录”中看到"),
    )

    def __init__(self, *args, types, **kwargs):
        super().__init__(*args, **kwargs)
        self.types = {t.code: t for t in types}
        self.fields["type"].choices = [("", _("请选择")), *((t.code, f"{t.name}（{t.code}）") for t in types)]

    def clean(self):
        data = super().clean()
        code = (data.get("holder_code") or "").strip().upper()
        license_type = self.types.get(data.get("type") or "")
        if code and license_type is not None:
            citizen = license_type.holder_kind == HolderKind.CITIZEN
            if citizen and not _looks_like_id_number(code):
                self.add_error("holder_code", _("该证照的持证主体是自然人，请填写18位公民身份号码"))
            elif not citizen and _looks_like_id_number(code):
                self.add_error("holder_code", _("该证照的持证主体是法人，请填写统一社会信用代码"))
        return data

    def add_service_errors(self, error) -> None:
        for field, reason in (error.fields or {}).items():
            name = LOOKUP_FIELDS.get(field, field)
            self.add_error(name if name in self.fields else None, str(reason))
        if not error.fields:
            self.add_error(None, str(error.message))
