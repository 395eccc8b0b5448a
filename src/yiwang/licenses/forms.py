"""Page forms of 证照核验 and 我的证照. They check the shape of the input; the services decide
the rest and their `InvalidInput.fields` are shown beside the same fields."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from yiwang.core.web.forms import PageForm, text_field
from yiwang.licenses.services.verification import MAX_PDF_BYTES

SHARE_HOURS = [(1, _("1 小时")), (24, _("1 天")), (168, _("7 天"))]


class VerifyForm(PageForm):
    identifier = text_field(
        _("证照标识"),
        max_length=256,
        help_text=_("如 1.2.156.3005.2.…，可在证照上二维码旁找到"),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false", "inputmode": "url"}),
    )


class UploadForm(PageForm):
    # The service's errors about the file's content name these parts of it; they belong here.
    DOCUMENT_PARTS = ("document", "payload", "signature", "key_id", "algorithm")

    document = forms.FileField(
        label=_("电子证照PDF或签名证照文件（JSON）"),
        help_text=_(
            "在“我的证照”下载的电子证照PDF（至多4 MB）或签名证照文件（至多256 KB）；文件只用于本次核验，不会保存"
        ),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf,application/json,.json"}),
        error_messages={
            "required": _("请选择签名证照文件"),
            "empty": _("签名证照文件是空的"),
            "invalid": _("请选择签名证照文件"),
        },
    )

    def clean_document(self):
        upload = self.cleaned_data["document"]
        # The larger PDF limit here; the service holds a JSON to its own 256 KB.
        if upload.size > MAX_PDF_BYTES:
            raise forms.ValidationError(_("文件过大（PDF至多4 MB，签名证照文件至多256 KB）"))
        return upload

    def add_service_errors(self, error) -> None:
        reasons = [str(reason) for field, reason in error.fields.items() if field in self.DOCUMENT_PARTS]
        if reasons:
            self.add_error("document", "；".join(reasons))
        else:
            super().add_service_errors(error)


class ShareForm(PageForm):
    hours = forms.TypedChoiceField(
        label=_("链接有效时长"),
        choices=SHARE_HOURS,
        coerce=int,
        initial=24,
        error_messages={
            "required": _("请选择链接有效时长"),
            "invalid_choice": _("链接有效时长应为1小时、1天或7天"),
        },
    )
