"""Base classes for the Django admin pages of every package: access from roles, writes
through the services.

How a save reaches a service: Django admin validates a form, then saves it, and only
validation can put a message beside a field. The services validate *and* write, so a
`ServiceForm` calls its service while the form is validated (in place of model validation);
the service's Chinese field messages land on the form, and its permission check and audit
record come with it. `ServiceAdmin` runs every POST in one transaction and rolls it back
unless the admin finished saving, so a form shown again with errors has written nothing.

Who may do what is a permission predicate (`accounts.rbac`), never Django's per-model
permissions: `RoleViewMixin` decides who sees a page, `ReadOnlyMixin` shuts every write.

Not named `admin.py`: Django's autodiscover would import it as the kernel app's admin.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.db import transaction
from django.http import HttpResponseRedirect

from yiwang.core.accounts.rbac import has_permission
from yiwang.core.errors import DomainError, InvalidInput

_SAVED = "_yiwang_admin_saved"


class RoleViewMixin:
    """For a ModelAdmin or an inline: who may view is `view_permission`, granted by a role."""

    view_permission = "core.admin.access"

    def has_view_permission(self, request, obj=None):
        return has_permission(request.user, self.view_permission)


class ReadOnlyMixin:
    """For a ModelAdmin or an inline (whose `has_add_permission` also takes `obj`): shown,
    never added, changed or deleted here."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


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


class ServiceAdmin(RoleViewMixin, admin.ModelAdmin):
    """Permission predicates instead of Django's model permissions; one transaction per POST."""

    def manage(self, request) -> bool:
        raise NotImplementedError

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
