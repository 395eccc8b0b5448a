"""Editing a draft (or returned) version on one page: every element of the 实施清单, the
materials as rows (each with its 空表/样表 file) and the 申请表 fields as rows. One save calls
one service (`version_save`), which stores everything or nothing and names every problem at
once, each beside its input; a stale page (someone saved meanwhile) gets a 409."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from yiwang.core import errors
from yiwang.core.web.views._shared import official_required
from yiwang.services import selectors_catalogue as catalogue
from yiwang.services.forms_catalogue import (
    FormFieldFormSet,
    MaterialFormSet,
    VersionForm,
    add_row_errors,
    kept_rows,
    version_initial,
)
from yiwang.services.permissions import can_item_manage
from yiwang.services.services.catalogue import version_save
from yiwang.services.services.catalogue_checks import content_of
from yiwang.services.views_catalogue_office import checked

_MATERIAL_KEYS = (
    "code",
    "name",
    "required",
    "is_key",
    "form",
    "copies",
    "license_type",
    "shared_data",
    "notes",
)


def _material_initial(material) -> dict:
    initial = {key: getattr(material, key) for key in _MATERIAL_KEYS}
    initial.update(template_id=material.template_id, sample_id=material.sample_id)
    return initial


def _field_initial(spec: dict) -> dict:
    return {
        **spec,
        "choices": "，".join(spec.get("choices") or []),
        "max_length": spec.get("max_length") or None,
    }


def _forms(request, version, materials, departments, license_types):
    data, files = (request.POST, request.FILES) if request.method == "POST" else (None, None)
    form = VersionForm(
        data,
        initial=version_initial(content_of(version), version.edit_version),
        departments=departments,
        license_types=license_types,
    )
    material_set = MaterialFormSet(
        data,
        files,
        initial=[_material_initial(m) for m in materials],
        prefix="materials",
        form_kwargs={"license_types": license_types},
    )
    for index, row in enumerate(material_set.forms):  # the files a stored row has now
        row.current = materials[index] if index < len(materials) else None
    field_set = FormFieldFormSet(
        data, initial=[_field_initial(spec) for spec in version.form_fields or []], prefix="fields"
    )
    return form, material_set, field_set


def _render(request, version, form, material_set, field_set, *, error="", status=200):
    context = {
        "item": version.item,
        "version": version,
        "form": form.mark_invalid_fields(),
        "materials": material_set,
        "fields": field_set,
        "error": error,
    }
    return render(request, "services/catalogue/office_version_edit.html", context, status=status)


@official_required
@require_http_methods(["GET", "POST"])
def version_edit(request, item_id: int, number: int):
    version = checked(catalogue.version_get_for_office, actor=request.user, item_id=item_id, number=number)
    if not can_item_manage(request.user, version.item.department):
        raise PermissionDenied(_("事项由实施部门的部门管理员编制"))
    if not version.editable:
        messages.error(request, _("第%(n)s版已提交或已发布，不能修改") % {"n": version.number})
        return redirect("services:item_version", version.item.pk, version.number)
    materials = list(version.materials.select_related("template", "sample"))
    departments = list(catalogue.active_departments())
    license_types = list(catalogue.license_types_for_items())
    form, material_set, field_set = _forms(request, version, materials, departments, license_types)
    if request.method == "GET":
        return _render(request, version, form, material_set, field_set)
    if form.is_valid() & material_set.is_valid() & field_set.is_valid():  # every form checked
        material_rows, field_rows = kept_rows(material_set), kept_rows(field_set)
        content = form.content()
        content["form_fields"] = [row.spec() for row in field_rows]
        uploads = {
            (index, kind): row.cleaned_data[f"{kind}_file"]
            for index, row in enumerate(material_rows)
            for kind in ("template", "sample")
            if row.cleaned_data.get(f"{kind}_file")
        }
        try:
            version_save(
                actor=request.user,
                version=version,
                content=content,
                materials=[row.spec() for row in material_rows],
                uploads=uploads,
                expected_version=form.cleaned_data["expected_version"],
            )
        except errors.InvalidInput as invalid:
            rows = {"materials": material_rows, "form_fields": field_rows}
            add_row_errors(invalid, version_form=form, rows=rows)
        except errors.Conflict as conflict:
            return _render(
                request, version, form, material_set, field_set, error=conflict.message, status=409
            )
        except errors.PermissionDenied as denied:
            raise PermissionDenied(denied.message) from None
        else:
            messages.success(request, _("已保存第%(n)s版") % {"n": version.number})
            return redirect("services:item_office", version.item.pk)
    return _render(request, version, form, material_set, field_set, status=400)
