"""The message log in the admin: every delivery, read-only (a log is never edited)."""

from django.contrib import admin

from yiwang.core.notify.models import Delivery
from yiwang.core.service_admin import ReadOnlyMixin


@admin.register(Delivery)
class DeliveryAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("created_at", "recipient", "channel", "address_masked", "status", "backend", "message")
    list_filter = ("channel", "status")
    date_hierarchy = "created_at"
    list_select_related = ("recipient", "message")
    search_fields = ("message__title", "recipient__username")
    readonly_fields = [field.name for field in Delivery._meta.fields]
