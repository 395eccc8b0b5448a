"""Django admin for 行政区划, 部门 and 网格 (master data), writing through the services
(see `yiwang.core.service_admin` for how a `ServiceForm` does that)."""

from __future__ import annotations

from django.contrib import admin

from yiwang.core.orgs import restructure, services
from yiwang.core.orgs.models import Department, Division, Grid
from yiwang.core.orgs.permissions import can_department_manage, can_division_manage, can_grid_manage
from yiwang.core.service_admin import ServiceAdmin, ServiceForm, VersionedForm


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
    """One form, three services: the plain edit, the move (机构改革, rewrites the subtree's
    paths) and the reclassification (kind, USCC). Each bumps the version, so the next one is
    checked against the version the previous one left; the first checks the editor's."""

    error_fields = {"parent_id": "parent"}
    restructuring = ("parent", "kind", "uscc")

    class Meta:
        model = Department
        fields = ["name", "short_name", "parent", "kind", "uscc", "is_active", "sort_order"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # As Django's construct_instance does: a field the POST leaves out entirely keeps its
        # value (a cleared <select> or text box is still sent, empty). Nobody is moved to the
        # top level because a client did not know about the parent field.
        self.omitted = {
            name
            for name in self.restructuring
            if name in self.fields
            and self.is_bound
            and self.fields[name].widget.value_omitted_from_data(self.data, self.files, self.add_prefix(name))
        }
        for name in self.omitted:
            self.fields[name].required = False

    def apply(self):
        data = {
            **self.cleaned_data,
            **{name: getattr(self.instance, name) for name in self.omitted},
        }
        department = self.instance
        expected = data["expected_version"]

        def then(call, **kwargs):
            nonlocal expected
            before = department.version
            call(actor=self.actor, department=department, expected_version=expected, **kwargs)
            if department.version != before:
                expected = department.version

        then(
            services.department_update,
            name=data["name"],
            short_name=data["short_name"],
            is_active=data["is_active"],
            sort_order=data["sort_order"],
        )
        if data["parent"] != department.parent:
            then(restructure.department_move, new_parent=data["parent"])
        kind = data["kind"] if data["kind"] != department.kind else None
        uscc = data["uscc"] or ""
        uscc = uscc if uscc != (department.uscc or "") else None
        if kind is not None or uscc is not None:
            then(restructure.department_reclassify, kind=kind, uscc=uscc)
        return department


@admin.register(Department)
class DepartmentAdmin(ServiceAdmin):
    list_display = ["name", "kind", "division", "parent", "uscc", "uscc_flagged", "is_active", "sort_order"]
    list_select_related = ["division", "parent"]
    list_filter = ["kind", "is_active", ("uscc_flagged", admin.EmptyFieldListFilter)]
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
                "uscc_flagged",
                "is_active",
                "sort_order",
                "expected_version",
            ]
        return DepartmentCreateForm.Meta.fields

    def get_readonly_fields(self, request, obj=None):
        # The division is the department's identity in names and codes; a department of
        # another division is a new department. Parent, kind and USCC go through `restructure`.
        return ["division", "uscc_flagged"] if obj else []


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
