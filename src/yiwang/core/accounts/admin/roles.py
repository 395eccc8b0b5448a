"""Roles with their permissions, and the permissions themselves, in the admin.

Role edits go through `accounts.services.roles` (see `yiwang.core.service_admin` for how a
`ServiceForm` does that): the same checks, refusals and audit records as the API.
"""

from __future__ import annotations

from django.contrib import admin
from django.db.models import Count

from yiwang.core.accounts.models import Role
from yiwang.core.accounts.permissions import can_role_manage
from yiwang.core.accounts.services import roles
from yiwang.core.service_admin import ReadOnlyMixin, RoleViewMixin, ServiceAdmin, ServiceForm


def _codes(permissions) -> list[str]:
    return [p.code for p in permissions or ()]


class RoleCreateForm(ServiceForm):
    class Meta:
        model = Role
        fields = ["code", "name", "description", "permissions"]

    def apply(self):
        data = self.cleaned_data
        return roles.role_create(
            actor=self.actor,
            code=data["code"],
            name=data["name"],
            description=data["description"],
            permission_codes=_codes(data["permissions"]),
        )


class RoleChangeForm(ServiceForm):
    class Meta:
        model = Role
        fields = ["name", "description", "permissions"]

    def apply(self):
        data = self.cleaned_data
        return roles.role_update(
            actor=self.actor,
            role=self.instance,
            name=data["name"],
            description=data["description"],
            permission_codes=_codes(data["permissions"]),
        )


class RoleAdmin(ServiceAdmin):
    list_display = ["code", "name", "builtin", "permission_count", "description"]
    search_fields = ["code", "name"]
    filter_horizontal = ["permissions"]
    ordering = ["id"]

    def manage(self, request):
        return can_role_manage(request.user)

    # Deleting is offered by the API (`DELETE /api/v1/roles/{code}`), which explains a refusal;
    # the admin's delete page would show its own protected-object list instead.

    def get_form(self, request, obj=None, change=False, **kwargs):
        kwargs["form"] = RoleChangeForm if obj else RoleCreateForm
        return super().get_form(request, obj, change=change, **kwargs)

    def get_fields(self, request, obj=None):
        return (
            ["code", "builtin", "name", "description", "permissions"] if obj else RoleCreateForm.Meta.fields
        )

    def get_readonly_fields(self, request, obj=None):
        return ["code", "builtin"] if obj else []

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(permission_total=Count("permissions"))

    @admin.display(description="权限数", ordering="permission_total")
    def permission_count(self, obj):
        return obj.permission_total


class PermissionAdmin(RoleViewMixin, ReadOnlyMixin, admin.ModelAdmin):
    """Permissions are declared in code (`<package>/permissions.py`) and synced after migrate."""

    list_display = ["code", "name"]
    search_fields = ["code", "name"]
