"""The audit log in the Django admin: read-only for everyone, superusers included — the
records are append-only (the database refuses UPDATE/DELETE), so the admin offers no edits."""

from django.contrib import admin

from yiwang.core.audit.models import AuditRecord
from yiwang.core.service_admin import ReadOnlyMixin, RoleViewMixin


@admin.register(AuditRecord)
class AuditRecordAdmin(RoleViewMixin, ReadOnlyMixin, admin.ModelAdmin):
    view_permission = "audit.record.view"
    list_display = (
        "created_at",
        "actor_name",
        "action",
        "target_type",
        "target_id",
        "target_repr",
        "client_address",
        "channel",
        "chain",
        "seq",
    )
    list_filter = ("action", "target_type", "channel", "created_at", "chain")
    search_fields = ("actor_name", "action", "target_id", "target_repr")
    date_hierarchy = "created_at"
    ordering = ("-created_at", "-id")
    show_full_result_count = False  # counting a large log on every page view is wasteful
    readonly_fields = [field.name for field in AuditRecord._meta.fields]
