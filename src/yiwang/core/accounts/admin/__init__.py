"""Django admin for users (posts inline), roles with their permissions, and permissions.

Django's autodiscover imports this package; registering happens here, the admin classes live
in `users` (with `forms` and `inlines`) and `roles`. Writes go through the account services
(see `yiwang.core.service_admin`), role edits included (`accounts.services.roles`).
"""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.models import Group
from django.shortcuts import redirect

from yiwang.core.accounts.admin.roles import PermissionAdmin, RoleAdmin
from yiwang.core.accounts.admin.users import UserAdmin
from yiwang.core.accounts.models import Permission, Role, User

# Roles are data (accounts.Role); Django's groups would be a second, unused mechanism.
if admin.site.is_registered(Group):
    admin.site.unregister(Group)


def _own_password_change(request, extra_context=None):
    """The admin's own "change my password" page would bypass the audited `password_change`
    service and its rules; send the administrator to the platform's page instead."""
    return redirect("web:me_password")


admin.site.password_change = _own_password_change

admin.site.register(User, UserAdmin)
admin.site.register(Role, RoleAdmin)
admin.site.register(Permission, PermissionAdmin)
