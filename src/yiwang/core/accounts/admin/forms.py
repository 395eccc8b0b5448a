"""The user forms of the admin: new officials and their account changes go through the
account services; citizens and enterprises are shown, not edited."""

from __future__ import annotations

from django import forms

from yiwang.core.accounts.models import Role, User
from yiwang.core.accounts.services.officials import official_update
from yiwang.core.accounts.services.users import official_create
from yiwang.core.orgs.models import Department
from yiwang.core.service_admin import ServiceForm, VersionedForm


class OfficialCreateForm(ServiceForm):
    """新增工作人员: the account and its first post, through `official_create`."""

    password1 = forms.CharField(label="密码", strip=False, widget=forms.PasswordInput)
    password2 = forms.CharField(label="确认密码", strip=False, widget=forms.PasswordInput)
    phone = forms.CharField(label="手机号码", required=False, max_length=20)
    department = forms.ModelChoiceField(label="部门", queryset=Department.objects.filter(is_active=True))
    role = forms.ModelChoiceField(label="角色", queryset=Role.objects.all())
    city_wide = forms.BooleanField(label="全市范围", required=False)
    error_fields = {"password": "password1"}

    class Meta:
        model = User
        fields = ["username", "display_name", "email"]

    def clean(self):
        data = super().clean()
        if data.get("password1") and data.get("password1") != data.get("password2"):
            self.add_error("password2", "两次输入的密码不一致")
        return data

    def apply(self):
        data = self.cleaned_data
        return official_create(
            actor=self.actor,
            username=data["username"],
            password=data["password1"],
            display_name=data["display_name"],
            phone=data["phone"],
            email=data["email"],
            department=data["department"],
            role=data["role"],
            city_wide=data["city_wide"],
        )


class OfficialChangeForm(ServiceForm, VersionedForm):
    class Meta:
        model = User
        fields = ["display_name", "is_active"]

    def apply(self):
        data = self.cleaned_data
        return official_update(
            actor=self.actor,
            user=self.instance,
            expected_version=data["expected_version"],
            display_name=data["display_name"],
            is_active=data["is_active"],
        )


class UserViewForm(forms.ModelForm):
    """Citizens and enterprises change their own data on the portal; here they are read-only."""

    class Meta:
        model = User
        fields: list[str] = []
