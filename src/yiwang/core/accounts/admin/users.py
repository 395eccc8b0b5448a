"""Users in the admin: officials are added and changed through the account services, citizens
and enterprises are shown read-only.

Personal data is never shown here, neither ciphertext nor plaintext: lists and forms show the
masked forms (110105********002X, 138****5678); the full value is read only through the
audited reveal on the workbench. A person is found by full phone or ID number through the
blind index. Passwords are set only through Django's change-password form, whose save is
audited here.
"""

from __future__ import annotations

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db import transaction
from django.db.models import Prefetch, Q
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.html import format_html
from django.views.decorators.debug import sensitive_post_parameters

from yiwang.core import codes, personal_data
from yiwang.core.accounts.admin.forms import OfficialChangeForm, OfficialCreateForm, UserViewForm
from yiwang.core.accounts.admin.inlines import AgentInline, PostInline
from yiwang.core.accounts.models import Post, User, UserKind
from yiwang.core.accounts.permissions import can_user_administer
from yiwang.core.accounts.rbac import has_permission
from yiwang.core.accounts.selectors import user_list_for_actor
from yiwang.core.audit import services as audit
from yiwang.core.service_admin import ServiceAdmin


def _masked(stored: str, mask) -> str:
    # Not `User.phone_masked`: a list page must still open when one value cannot be decrypted.
    if not stored:
        return ""
    try:
        return mask(personal_data.decrypt(stored))
    except (personal_data.DecryptionFailed, ValueError):
        return "（无法解密，请检查 YIWANG_DATA_KEYS）"


_ACCOUNT = ["username", "kind", "display_name", "is_active", "expected_version"]
_PERSONAL = ["masked_phone", "masked_id_number", "email"]
_SECURITY = ["password_link", "date_joined", "failed_logins", "locked_until", "lock_count"]


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
