"""Page forms. They check only the shape of the input (present, not too long, the two
passwords equal); the services are the authority on what is valid (codes, uniqueness,
password rules), and their `InvalidInput.fields` are shown beside the same fields."""

from __future__ import annotations

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from yiwang.core.accounts.models import UserKind
from yiwang.core.errors import InvalidInput


def text_field(
    label, *, max_length: int = 64, required: bool = True, widget=None, **kwargs
) -> forms.CharField:
    """A text field whose messages name the field (每个字段的错误提示须指明字段)."""
    return forms.CharField(
        label=label,
        max_length=max_length,
        required=required,
        widget=widget,
        error_messages={
            "required": format_lazy(_("请填写{label}"), label=label),
            "max_length": format_lazy(_("{label}不能超过{n}个字符"), label=label, n=max_length),
        },
        **kwargs,
    )


def password_field(label, autocomplete: str = "new-password") -> forms.CharField:
    return text_field(
        label, max_length=128, strip=False, widget=forms.PasswordInput(attrs={"autocomplete": autocomplete})
    )


class PageForm(forms.Form):
    """Ids are the field names (`id_number`, `id_number-error`), so the error beside a field
    can be tied to it with aria-describedby."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "%s")
        super().__init__(*args, **kwargs)

    def add_service_errors(self, error: InvalidInput) -> None:
        """Show a service's per-field reasons beside the fields; others go on top."""
        for field, reason in (error.fields or {}).items():
            self.add_error(field if field in self.fields else None, gettext(reason))
        if not error.fields:
            self.add_error(None, gettext(error.message))

    def mark_invalid_fields(self) -> PageForm:
        """Tie each erroneous input to the message beside it (`FIELD-error`) and its help;
        Django adds aria-invalid itself."""
        for name in self.errors:
            if name in self.fields:
                bound = self[name]
                described = [f"{bound.auto_id}-error"] + (
                    [f"{bound.auto_id}_helptext"] if bound.help_text else []
                )
                self.fields[name].widget.attrs["aria-describedby"] = " ".join(described)
        return self


class RegisterForm(PageForm):
    username = text_field(
        _("用户名"),
        help_text=_("以字母开头，3–64位字母、数字、下划线、点或横线"),
        widget=forms.TextInput(attrs={"autocomplete": "username"}),
    )
    display_name = text_field(_("姓名"), widget=forms.TextInput(attrs={"autocomplete": "name"}))
    id_number = text_field(
        _("身份证号"),
        max_length=18,
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "text"}),
    )
    phone = text_field(
        _("手机号"), max_length=11, widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"})
    )
    password = password_field(_("密码"))
    password_confirm = password_field(_("确认密码"))

    def clean(self):
        data = super().clean()
        if (
            data.get("password")
            and data.get("password_confirm")
            and data["password"] != data["password_confirm"]
        ):
            self.add_error("password_confirm", _("两次输入的密码不一致"))
        return data


class PasswordChangeForm(PageForm):
    old_password = password_field(_("原密码"), autocomplete="current-password")
    new_password = password_field(_("新密码"))
    new_password_confirm = password_field(_("确认新密码"))

    def clean(self):
        data = super().clean()
        new, confirm = data.get("new_password"), data.get("new_password_confirm")
        if new and confirm and new != confirm:
            self.add_error("new_password_confirm", _("两次输入的密码不一致"))
        return data


class ApiTokenForm(PageForm):
    name = text_field(_("令牌名称"))
    days = forms.IntegerField(
        label=_("有效期（天）"),
        initial=90,
        min_value=1,
        error_messages={
            "required": _("请填写有效期（天）"),
            "invalid": _("有效期（天）应为整数"),
            "min_value": _("有效期（天）至少为1天"),
        },
    )


class EnterpriseRegisterForm(PageForm):
    name = text_field(_("企业名称"), max_length=128)
    uscc = text_field(_("统一社会信用代码"), max_length=18)
    legal_representative = text_field(_("法定代表人"))
    username = text_field(_("企业账号用户名"), widget=forms.TextInput(attrs={"autocomplete": "off"}))
    phone = text_field(
        _("联系手机号（可选）"),
        max_length=11,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel"}),
    )
    password = password_field(_("企业账号密码"))


class RevealForm(PageForm):
    field = forms.ChoiceField(
        label=_("查看项"),
        choices=[("id_number", _("身份证号")), ("phone", _("手机号"))],
        error_messages={"required": _("请选择查看项"), "invalid_choice": _("查看项无效")},
    )
    purpose = text_field(_("查看事由"), max_length=200, required=False)


class UserFilterForm(forms.Form):
    q = forms.CharField(label=_("姓名或用户名"), max_length=64, required=False)
    kind = forms.ChoiceField(
        label=_("用户类型"), required=False, choices=[("", _("全部"))] + list(UserKind.choices)
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "filter-%s")
        super().__init__(*args, **kwargs)
