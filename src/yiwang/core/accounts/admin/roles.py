"""Roles with their permissions, and the permissions themselves, in the admin."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import Count

from yiwang.core.accounts.rbac import has_permission
from yiwang.core.audit import services as audit
from yiwang.core.service_admin import ReadOnlyMixin, RoleViewMixin


class RoleAdmin(RoleViewMixin, admin.ModelAdmin):
    list_display = ["code", "name", "builtin", "permission_count", "description"]
    search_fields = ["code", "name"]
    filter_horizontal = ["permissions"]
    ordering = ["id"]

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
        # No role service yet: audit here, inside the transaction Django's changeform_view
        # opens, so the role and its audit record are written together or not at all.
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


class PermissionAdmin(RoleViewMixin, ReadOnlyMixin, admin.ModelAdmin):
    """Permissions are declared in code (`<package>/permissions.py`) and synced after migrate."""

    list_display = ["code", "name"]
    search_fields = ["code", "name"]
