"""The message log in the admin: every delivery, read-only (a log is never edited)."""

from django.contrib import admin

from yiwang.core.notify.models import Delivery


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = ("created_at", "recipient", "channel", "address_masked", "status", "backend", "message")
    list_filter = ("channel", "status")
    date_hierarchy = "created_at"
    list_select_related = ("recipient", "message")
    search_fields = ("message__title", "recipient__username")
    readonly_fields = [field.name for field in Delivery._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
