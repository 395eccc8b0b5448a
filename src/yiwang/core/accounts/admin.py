"""Django admin for users (posts inline), roles with their permissions, and permissions.

Personal data is never shown in the admin, neither ciphertext nor plaintext: lists and
forms show the masked forms (110105********002X, 138****5678); the full value is read only
through the audited reveal on the workbench. A person is found by full phone or ID number
through the blind index. Passwords are set only through Django's change-password form,
whose save is audited here. Writes go through the account services (see orgs.admin for how
`ServiceForm` and `ServiceAdmin` do that); role edits have no service yet, so `RoleAdmin`
audits them itself inside the admin's transaction.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import Group
from django.db import transaction
from django.db.models import Count, Prefetch, Q
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.html import format_html
from django.views.decorators.debug import sensitive_post_parameters

from yiwang.core import codes, personal_data
from yiwang.core.accounts.models import EnterpriseAgent, Permission, Post, Role, User, UserKind
from yiwang.core.accounts.permissions import can_user_administer
from yiwang.core.accounts.rbac import has_permission
from yiwang.core.accounts.selectors import user_list_for_actor
from yiwang.core.accounts.services.officials import official_update
from yiwang.core.accounts.services.users import official_create, post_grant, post_revoke
from yiwang.core.audit import services as audit
from yiwang.core.errors import DomainError
from yiwang.core.orgs.admin import ServiceAdmin, ServiceForm, VersionedForm
from yiwang.core.orgs.models import Department

# Roles are data (accounts.Role); Django's groups would be a second, unused mechanism.
if admin.site.is_registered(Group):
    admin.site.unregister(Group)


def _own_password_change(request, extra_context=None):
    """The admin's own "change my password" page would bypass the audited `password_change`
    service and its rules; send the administrator to the platform's page instead."""
    return redirect("web:me_password")


admin.site.password_change = _own_password_change


def _masked(stored: str, mask) -> str:
    if not stored:
        return ""
    try:
        return mask(personal_data.decrypt(stored))
    except (personal_data.DecryptionFailed, ValueError):
        return "（无法解密，请检查 YIWANG_DATA_KEYS）"


# --- posts (岗位), inline on an official -----------------------------------------------------
class PostFormSet(forms.BaseInlineFormSet):
    """Like ServiceForm for a whole formset: validating it grants and revokes the posts through
    `post_grant` / `post_revoke` in one savepoint, so one refused row changes nothing and its
    reason (e.g. 无权授予该角色) is shown above the rows."""

    actor = None  # set per request by PostInline.get_formset

    def clean(self):
        super().clean()
        self.new_objects, self.changed_objects, self.deleted_objects = [], [], []
        if any(self.errors):
            return
        try:
            with transaction.atomic():
                for form in self.forms:
                    self._apply(form)
        except DomainError as error:
            self.new_objects, self.changed_objects, self.deleted_objects = [], [], []
            message = "；".join(error.fields.values()) if error.fields else error.message
            raise forms.ValidationError(message) from None

    def _apply(self, form) -> None:
        original = (
            Post.objects.select_related("department", "role").get(pk=form.instance.pk)
            if form.instance.pk
            else None
        )
        if self.can_delete and self._should_delete_form(form):
            if original is not None:
                post_revoke(actor=self.actor, post=original)
                self.deleted_objects.append(original)
            return
        if not form.has_changed():
            return
        data = form.cleaned_data
        moved = original is not None and (
            original.department_id != data["department"].pk or original.role_id != data["role"].pk
        )
        if moved:
            post_revoke(actor=self.actor, post=original)
        post = post_grant(
            actor=self.actor,
            user=self.instance,
            department=data["department"],
            role=data["role"],
            city_wide=data["city_wide"],
        )
        if original is None or moved:
            self.new_objects.append(post)
        else:
            self.changed_objects.append((post, form.changed_data))

    def save(self, commit=True):
        return self.new_objects + [post for post, _ in self.changed_objects]


class PostInline(admin.TabularInline):
    model = Post
    formset = PostFormSet
    fields = ["department", "role", "city_wide"]
    autocomplete_fields = ["department"]
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("department", "role")

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.actor = request.user
        return formset

    def has_view_permission(self, request, obj=None):
        return has_permission(request.user, "accounts.user.view")

    def has_add_permission(self, request, obj=None):
        return has_permission(request.user, "accounts.user.manage")

    has_change_permission = has_add_permission
    has_delete_permission = has_add_permission


class AgentInline(admin.TabularInline):
    """经办人 of an enterprise: shown, not edited (the enterprise authorises them on the portal)."""

    model = EnterpriseAgent
    fk_name = "enterprise"
    fields = ["agent", "valid_until", "created_at"]
    readonly_fields = fields
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("agent")

    def has_view_permission(self, request, obj=None):
        return has_permission(request.user, "accounts.user.view")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# --- users ----------------------------------------------------------------------------------
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


_ACCOUNT = ["username", "kind", "display_name", "is_active", "expected_version"]
_PERSONAL = ["masked_phone", "masked_id_number", "email"]
_SECURITY = ["password_link", "date_joined", "failed_logins", "locked_until", "lock_count"]


@admin.register(User)
class UserAdmin(ServiceAdmin, DjangoUserAdmin):
    view_permission = "accounts.user.view"
    form = UserViewForm
    add_form = OfficialCreateForm
    add_form_template = None
    add_fieldsets = [
        (None, {"fields": ["username", "display_name", "password1", "password2"]}),
        ("岗位", {"fields": ["department", "role", "city_wide"]}),
        ("联系方式", {"fields": ["phone", "email"]}),
    ]
    list_display = [
        "username",
        "display_name",
        "kind",
        "masked_phone",
        "masked_id_number",
        "post_list",
        "is_active",
    ]
    list_filter = ["kind", "is_active"]
    search_fields = ["username", "display_name"]
    ordering = ["username"]
    filter_horizontal = []
    list_select_related = []

    def manage(self, request):
        return has_permission(request.user, "accounts.user.manage")

    def has_change_permission(self, request, obj=None):
        if obj is None:
            return self.manage(request)
        return can_user_administer(request.user, obj)

    def get_queryset(self, request):
        posts = Post.objects.select_related("department", "role").order_by("department__sort_order", "id")
        return user_list_for_actor(actor=request.user).prefetch_related(Prefetch("posts", queryset=posts))

    def get_search_results(self, request, queryset, search_term):
        """Also find a person by full phone or ID number, through the blind index."""
        results, duplicates = super().get_search_results(request, queryset, search_term)
        term = search_term.strip()
        for kind, validator in (("phone", codes.validate_mobile), ("id_number", codes.validate_id_number)):
            try:
                value = validator(term)
            except codes.CodeInvalid:
                continue
            index = {f"{kind}_index": personal_data.blind_index(kind, value)}
            results = queryset.filter(Q(pk__in=results.values("pk")) | Q(**index))
        return results, duplicates

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return self.add_fieldsets
        fieldsets = [(None, {"fields": _ACCOUNT}), ("个人信息（已脱敏）", {"fields": _PERSONAL})]
        if obj.kind == UserKind.ENTERPRISE:
            fieldsets.append(("法人信息", {"fields": ["uscc", "legal_representative"]}))
        fieldsets.append(("账号安全", {"fields": _SECURITY}))
        return fieldsets

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        editable = (
            {"display_name", "is_active", "expected_version"} if obj.kind == UserKind.OFFICIAL else set()
        )
        fields = [name for _, options in self.get_fieldsets(request, obj) for name in options["fields"]]
        return [name for name in fields if name not in editable]

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is not None and obj.kind == UserKind.OFFICIAL:
            kwargs["form"] = OfficialChangeForm
        return super().get_form(request, obj, change=change, **kwargs)

    def get_inlines(self, request, obj):
        if obj is None:
            return []
        return {UserKind.OFFICIAL: [PostInline], UserKind.ENTERPRISE: [AgentInline]}.get(obj.kind, [])

    def save_formset(self, request, form, formset, change):
        formset.save()  # PostFormSet applied its changes through the services while validating

    @admin.display(description="手机号码")
    def masked_phone(self, obj):
        return _masked(obj.phone_encrypted, personal_data.mask_phone)

    @admin.display(description="身份证号")
    def masked_id_number(self, obj):
        return _masked(obj.id_number_encrypted, personal_data.mask_id_number)

    @admin.display(description="岗位")
    def post_list(self, obj):
        return "；".join(f"{post.department} · {post.role}" for post in obj.posts.all())

    @admin.display(description="密码")
    def password_link(self, obj):
        # The change-password view checks the permission itself.
        url = reverse("admin:auth_user_password_change", args=[obj.pk])
        return format_html('<a href="{}">重置密码</a>', url)

    @method_decorator(sensitive_post_parameters())
    def user_change_password(self, request, id, form_url=""):
        """Django's change-password form, with the change audited in the same transaction."""
        user = self.get_object(request, unquote(id))
        before = user.password if user is not None else None
        with transaction.atomic():
            response = super().user_change_password(request, id, form_url)
            if user is not None and request.method == "POST":
                after = User.objects.filter(pk=user.pk).values_list("password", flat=True).first()
                if after != before:
                    audit.record(actor=request.user, action="core.user.password_reset", target=user)
        return response


# --- roles and permissions ---------------------------------------------------------------------
@admin.register(Role)
class RoleAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "builtin", "permission_count", "description"]
    search_fields = ["code", "name"]
    filter_horizontal = ["permissions"]
    ordering = ["id"]

    def has_view_permission(self, request, obj=None):
        return has_permission(request.user, "core.admin.access")

    def has_add_permission(self, request):
        return has_permission(request.user, "accounts.role.manage")

    def has_change_permission(self, request, obj=None):
        return has_permission(request.user, "accounts.role.manage")

    def has_delete_permission(self, request, obj=None):
        return False  # posts refer to roles; retire a role by removing its permissions

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(permission_total=Count("permissions"))

    def get_readonly_fields(self, request, obj=None):
        return ["code", "builtin"] if obj else ["builtin"]

    @admin.display(description="权限数", ordering="permission_total")
    def permission_count(self, obj):
        return obj.permission_total

    def save_model(self, request, obj, form, change):
        request._yiwang_role_before = (
            {
                "name": form.initial.get("name"),
                "permissions": set(obj.permissions.values_list("code", flat=True)),
            }
            if change
            else {"name": None, "permissions": set()}
        )
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        # No role service yet: audit here, inside the admin's transaction (changeform_view).
        super().save_related(request, form, formsets, change)
        role = form.instance
        before = request._yiwang_role_before
        after = set(role.permissions.values_list("code", flat=True))
        changes = {
            "code": role.code,
            "permissions_added": sorted(after - before["permissions"]),
            "permissions_removed": sorted(before["permissions"] - after),
        }
        if before["name"] != role.name:
            changes["name"] = [before["name"], role.name]
        audit.record(
            actor=request.user,
            action="accounts.role.updated" if change else "accounts.role.created",
            target=role,
            changes=changes,
        )


@admin.register(Permission)
class PermissionAdmin(admin.ModelAdmin):
    """Permissions are declared in code (`<package>/permissions.py`) and synced after migrate."""

    list_display = ["code", "name"]
    search_fields = ["code", "name"]

    def has_view_permission(self, request, obj=None):
        return has_permission(request.user, "core.admin.access")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
