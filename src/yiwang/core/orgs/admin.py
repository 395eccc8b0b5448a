"""Django admin for 行政区划, 部门 and 网格 (master data), writing through the services.

How a save reaches a service: Django admin validates a form, then saves it, and only
validation can put a message beside a field. The services validate *and* write, so a
`ServiceForm` calls its service while the form is validated (in place of model validation);
the service's Chinese field messages land on the form, and its permission check and audit
record come with it. `ServiceAdmin` runs every POST in one transaction and rolls it back
unless the admin finished saving, so a form shown again with errors has written nothing.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.db import transaction
from django.http import HttpResponseRedirect

from yiwang.core.accounts.rbac import has_permission
from yiwang.core.errors import DomainError, InvalidInput
from yiwang.core.orgs import services
from yiwang.core.orgs.models import Department, Division, Grid
from yiwang.core.orgs.permissions import can_department_manage, can_division_manage, can_grid_manage

_SAVED = "_yiwang_admin_saved"


class ServiceForm(forms.ModelForm):
    """A model form whose validation is its service call. Subclasses define `apply()`,
    which calls the service with `self.actor` and `self.cleaned_data` and returns the object."""

    actor = None  # set per request by ServiceAdmin.get_form
    error_fields: dict[str, str] = {}  # service argument → form field, where they differ

    def apply(self):
        raise NotImplementedError

    def _post_clean(self):
        # Instead of model validation: the service validates and writes. A savepoint keeps a
        # failed call from leaving anything behind.
        if self.errors:
            return
        try:
            with transaction.atomic():
                self.saved = self.apply()
        except InvalidInput as error:
            for field, message in (error.fields or {None: error.message}).items():
                field = self.error_fields.get(field, field)
                self.add_error(field if field in self.fields else None, message)
        except DomainError as error:
            self.add_error(None, error.message)

    def save(self, commit=True):
        return self.saved

    def save_m2m(self):
        """The service saved everything already."""


class VersionField(forms.IntegerField):
    """The version the editor read (concurrency.save_if_version): a concurrent edit ends in
    "数据已被他人修改" instead of a lost update."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs):
        super().__init__(required=False, min_value=1, label="版本", **kwargs)


class VersionedForm(forms.ModelForm):
    expected_version = VersionField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["expected_version"].initial = self.instance.version


class ServiceAdmin(admin.ModelAdmin):
    """Permission predicates instead of Django's model permissions; one transaction per POST."""

    view_permission = "core.admin.access"

    def manage(self, request) -> bool:
        raise NotImplementedError

    def has_view_permission(self, request, obj=None):
        return has_permission(request.user, self.view_permission)

    def has_add_permission(self, request):
        return self.manage(request)

    def has_change_permission(self, request, obj=None):
        return self.manage(request)

    def has_delete_permission(self, request, obj=None):
        return False  # master data is deactivated, never deleted: records refer to it

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        form.actor = request.user  # a fresh class per call (modelform_factory)
        return form

    @admin.display(description="版本")
    def expected_version(self, obj):
        """Shown when the page is read-only; an editable form carries it as a hidden field."""
        return obj.version

    def save_model(self, request, obj, form, change):
        """Every form here is a ServiceForm: the service saved and audited the object."""

    def log_addition(self, request, obj, message):
        setattr(request, _SAVED, True)
        return super().log_addition(request, obj, message)

    def log_change(self, request, obj, message):
        setattr(request, _SAVED, True)
        return super().log_change(request, obj, message)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if request.method != "POST":
            return super().changeform_view(request, object_id, form_url, extra_context)
        try:
            with transaction.atomic():
                response = super().changeform_view(request, object_id, form_url, extra_context)
                if not getattr(request, _SAVED, False):
                    transaction.set_rollback(True)  # shown again with errors: write nothing
                return response
        except DomainError as error:  # e.g. a concurrent edit detected while saving
            messages.error(request, error.message)
            return HttpResponseRedirect(request.get_full_path())


# --- 行政区划 -----------------------------------------------------------------------------
class DivisionCreateForm(ServiceForm):
    class Meta:
        model = Division
        fields = ["code", "name", "parent"]

    def apply(self):
        data = self.cleaned_data
        return services.division_create(
            actor=self.actor, code=data["code"], name=data["name"], parent=data["parent"]
        )


class DivisionChangeForm(ServiceForm, VersionedForm):
    class Meta:
        model = Division
        fields = ["name"]

    def apply(self):
        data = self.cleaned_data
        return services.division_update(
            actor=self.actor,
            division=self.instance,
            name=data["name"],
            expected_version=data["expected_version"],
        )


@admin.register(Division)
class DivisionAdmin(ServiceAdmin):
    list_display = ["code", "name", "level", "parent"]
    list_select_related = ["parent"]
    list_filter = ["level"]
    search_fields = ["code", "name"]
    ordering = ["code"]
    autocomplete_fields = ["parent"]

    def manage(self, request):
        return can_division_manage(request.user)

    def get_form(self, request, obj=None, change=False, **kwargs):
        kwargs["form"] = DivisionChangeForm if obj else DivisionCreateForm
        return super().get_form(request, obj, change=change, **kwargs)

    def get_fields(self, request, obj=None):
        return ["code", "level", "parent", "name", "expected_version"] if obj else ["code", "name", "parent"]

    def get_readonly_fields(self, request, obj=None):
        return ["code", "level", "parent"] if obj else []


# --- 部门 ---------------------------------------------------------------------------------
class DepartmentCreateForm(ServiceForm):
    class Meta:
        model = Department
        fields = ["name", "short_name", "division", "parent", "kind", "uscc", "sort_order"]

    def apply(self):
        data = self.cleaned_data
        return services.department_create(
            actor=self.actor,
            name=data["name"],
            short_name=data["short_name"],
            division=data["division"],
            parent=data["parent"],
            kind=data["kind"],
            uscc=data["uscc"] or None,
            sort_order=data["sort_order"],
        )


class DepartmentChangeForm(ServiceForm, VersionedForm):
    class Meta:
        model = Department
        fields = ["name", "short_name", "is_active", "sort_order"]

    def apply(self):
        data = self.cleaned_data
        return services.department_update(
            actor=self.actor,
            department=self.instance,
            expected_version=data["expected_version"],
            name=data["name"],
            short_name=data["short_name"],
            is_active=data["is_active"],
            sort_order=data["sort_order"],
        )


@admin.register(Department)
class DepartmentAdmin(ServiceAdmin):
    list_display = ["name", "kind", "division", "parent", "uscc", "is_active", "sort_order"]
    list_select_related = ["division", "parent"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "short_name", "uscc"]
    ordering = ["sort_order", "id"]
    autocomplete_fields = ["division", "parent"]

    def manage(self, request):
        return can_department_manage(request.user)

    def get_form(self, request, obj=None, change=False, **kwargs):
        kwargs["form"] = DepartmentChangeForm if obj else DepartmentCreateForm
        return super().get_form(request, obj, change=change, **kwargs)

    def get_fields(self, request, obj=None):
        if obj:
            return [
                "name",
                "short_name",
                "division",
                "parent",
                "kind",
                "uscc",
                "is_active",
                "sort_order",
                "expected_version",
            ]
        return DepartmentCreateForm.Meta.fields

    def get_readonly_fields(self, request, obj=None):
        # Moving a department or changing its code needs a service that rewrites `path`.
        return ["division", "parent", "kind", "uscc"] if obj else []


# --- 网格 ---------------------------------------------------------------------------------
class GridCreateForm(ServiceForm):
    class Meta:
        model = Grid
        fields = ["code", "name", "division", "department", "boundary"]

    def apply(self):
        data = self.cleaned_data
        return services.grid_create(
            actor=self.actor,
            code=data["code"],
            name=data["name"],
            division=data["division"],
            department=data["department"],
            boundary=data["boundary"],
        )


class GridChangeForm(ServiceForm, VersionedForm):
    class Meta:
        model = Grid
        fields = ["name", "department", "boundary"]

    def apply(self):
        data = self.cleaned_data
        return services.grid_update(
            actor=self.actor,
            grid=self.instance,
            expected_version=data["expected_version"],
            name=data["name"],
            department=data["department"],
            boundary=data["boundary"],
        )


@admin.register(Grid)
class GridAdmin(ServiceAdmin):
    list_display = ["code", "name", "division", "department"]
    list_select_related = ["division", "department"]
    search_fields = ["code", "name"]
    ordering = ["code"]
    autocomplete_fields = ["division", "department"]

    def manage(self, request):
        return can_grid_manage(request.user)

    def get_form(self, request, obj=None, change=False, **kwargs):
        kwargs["form"] = GridChangeForm if obj else GridCreateForm
        return super().get_form(request, obj, change=change, **kwargs)

    def get_fields(self, request, obj=None):
        if obj:
            return ["code", "division", "name", "department", "boundary", "expected_version"]
        return GridCreateForm.Meta.fields

    def get_readonly_fields(self, request, obj=None):
        return ["code", "division"] if obj else []
