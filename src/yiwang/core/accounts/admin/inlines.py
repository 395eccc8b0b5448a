"""Inlines on a user's admin page: an official's posts (岗位), granted and revoked through
the services, and an enterprise's agents (经办人), shown only."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.db import transaction

from yiwang.core.accounts.models import EnterpriseAgent, Post
from yiwang.core.accounts.rbac import has_permission
from yiwang.core.accounts.services.users import post_grant, post_revoke
from yiwang.core.errors import DomainError
from yiwang.core.service_admin import ReadOnlyMixin, RoleViewMixin


class PostFormSet(forms.BaseInlineFormSet):
    """Like ServiceForm for a whole formset: validating it grants and revokes the posts through
    `post_grant` / `post_revoke` in one savepoint, so one refused row changes nothing and its
    reason (e.g. 无权授予该角色) is shown above the rows."""

    actor = None  # set per request by PostInline.get_formset

    def clean(self):
        super().clean()
        self.new_objects, self.changed_objects, self.deleted_objects = [], [], []
        if any(self.errors):
            return
        try:
            with transaction.atomic():
                for form in self.forms:
                    self._apply(form)
        except DomainError as error:
            self.new_objects, self.changed_objects, self.deleted_objects = [], [], []
            message = "；".join(error.fields.values()) if error.fields else error.message
            raise forms.ValidationError(message) from None

    def _apply(self, form) -> None:
        original = (
            Post.objects.select_related("department", "role").get(pk=form.instance.pk)
            if form.instance.pk
            else None
        )
        if self.can_delete and self._should_delete_form(form):
            if original is not None:
                post_revoke(actor=self.actor, post=original)
                self.deleted_objects.append(original)
            return
        if not form.has_changed():
            return
        data = form.cleaned_data
        moved = original is not None and (
            original.department_id != data["department"].pk or original.role_id != data["role"].pk
        )
        if moved:
            post_revoke(actor=self.actor, post=original)
        post = post_grant(
            actor=self.actor,
            user=self.instance,
            department=data["department"],
            role=data["role"],
            city_wide=data["city_wide"],
        )
        if original is None or moved:
            self.new_objects.append(post)
        else:
            self.changed_objects.append((post, form.changed_data))

    def save(self, commit=True):
        return self.new_objects + [post for post, _ in self.changed_objects]


class PostInline(RoleViewMixin, admin.TabularInline):
    model = Post
    formset = PostFormSet
    fields = ["department", "role", "city_wide"]
    autocomplete_fields = ["department"]
    extra = 0
    view_permission = "accounts.user.view"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("department", "role")

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.actor = request.user
        return formset

    def has_add_permission(self, request, obj=None):
        return has_permission(request.user, "accounts.user.manage")

    has_change_permission = has_add_permission
    has_delete_permission = has_add_permission


class AgentInline(RoleViewMixin, ReadOnlyMixin, admin.TabularInline):
    """经办人 of an enterprise: shown, not edited (the enterprise authorises them on the portal)."""

    model = EnterpriseAgent
    fk_name = "enterprise"
    fields = ["agent", "valid_until", "created_at"]
    readonly_fields = fields
    extra = 0
    view_permission = "accounts.user.view"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("agent")
