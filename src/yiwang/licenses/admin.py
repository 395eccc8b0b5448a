"""The licence library in the Django admin: read-only. Types, keys and licences change only
through the audited services (API and pages); the admin shows them. Private keys, holder
codes and licence data are never shown here — not even encrypted."""

from __future__ import annotations

from django.contrib import admin

from yiwang.core.personal_data import mask_name
from yiwang.core.service_admin import ReadOnlyMixin, RoleViewMixin
from yiwang.licenses.models import IssuerSeal, License, LicenseType, LicenseUse, SigningKey


@admin.register(LicenseType)
class LicenseTypeAdmin(RoleViewMixin, ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("code", "name", "holder_kind", "defining_department", "is_active", "version")
    list_select_related = ("defining_department",)
    list_filter = ("holder_kind", "is_active")
    search_fields = ("code", "name")
    fields = (
        "code",
        "name",
        "holder_kind",
        "defining_department",
        "issuers",
        "fields",
        "validity",
        "layout",
        "replaces",
        "is_active",
        "created_at",
        "version",
    )
    readonly_fields = fields


@admin.register(SigningKey)
class SigningKeyAdmin(RoleViewMixin, ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("key_id", "department", "algorithm", "status", "created_at", "retired_at", "revoked_at")
    list_select_related = ("department",)
    list_filter = ("algorithm", "status")
    search_fields = ("key_id", "department__name", "fingerprint")
    # private_pem_encrypted is left out on purpose.
    fields = (
        "key_id",
        "department",
        "algorithm",
        "status",
        "fingerprint",
        "public_pem",
        "created_at",
        "created_by",
        "retired_at",
        "revoked_at",
        "revoked_reason",
    )
    readonly_fields = fields


@admin.register(License)
class LicenseAdmin(RoleViewMixin, ReadOnlyMixin, admin.ModelAdmin):
    list_display = (
        "identifier",
        "type_name",
        "holder_masked",
        "issuer_name",
        "issued_on",
        "valid_until",
        "status",
    )
    list_filter = ("status", "algorithm")
    search_fields = ("identifier", "number")
    show_full_result_count = False
    fields = (
        "identifier",
        "version",
        "type_code",
        "type_name",
        "number",
        "holder_masked",
        "holder_code_type",
        "issuer_name",
        "issuer_code",
        "issued_on",
        "valid_from",
        "valid_until",
        "algorithm",
        "key",
        "payload_sm3",
        "signature",
        "status",
        "superseded_by",
        "revoked_at",
        "revoked_reason",
        "created_at",
    )
    readonly_fields = fields

    @admin.display(description="持证主体")
    def holder_masked(self, license_: License) -> str:
        return mask_name(license_.holder_name)


@admin.register(LicenseUse)
class LicenseUseAdmin(RoleViewMixin, ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("at", "license", "used_by", "purpose", "subject_type", "subject_id")
    list_select_related = ("license", "used_by")
    search_fields = ("license__identifier", "purpose")
    fields = ("license", "used_by", "purpose", "subject_type", "subject_id", "at")
    readonly_fields = fields


@admin.register(IssuerSeal)
class IssuerSealAdmin(RoleViewMixin, ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("department", "width", "height", "transparent", "updated_by", "updated_at")
    list_select_related = ("department", "updated_by")
    fields = ("department", "attachment", "width", "height", "transparent", "updated_by", "updated_at")
    readonly_fields = fields
