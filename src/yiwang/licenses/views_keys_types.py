"""签名密钥 and 证照类型 on the workbench: the pages over services/keys.py and services/types.py
that the API alone offered before.

- /workbench/licenses/keys/: per department whose keys the official manages (licenses.key.manage),
  its keys with their public facts only, 生成/轮换 (choosing the algorithm) and 吊销 with a reason.
- /workbench/licenses/types/: list, create and edit licence types (licenses.type.manage), every
  refusal beside its input, the edit guarded by the version it was read at (409 when stale).

Thin: a selector scopes (out of scope → 404, no right → 403), one service writes and audits.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from yiwang.core import errors
from yiwang.core.web.views._shared import official_required
from yiwang.licenses import selectors_keys_types as scoped
from yiwang.licenses.forms_keys_types import KeyGenerateForm, KeyRevokeForm, LicenseTypeForm, type_initial
from yiwang.licenses.services.keys import default_algorithm, signing_key_generate, signing_key_revoke
from yiwang.licenses.services.types import license_type_create, license_type_update


def _checked(call, **kwargs):
    try:
        return call(**kwargs)
    except errors.NotFound:
        raise Http404() from None
    except errors.PermissionDenied as denied:
        raise PermissionDenied(denied.message) from None


# --- keys ----------------------------------------------------------------------------------
def _render_keys(request, *, generate_forms=None, revoke_forms=None, error="", status=200):
    departments = list(_checked(scoped.key_departments_for, actor=request.user))
    keys = scoped.signing_keys_by_department(d.pk for d in departments)
    generate_forms, revoke_forms = generate_forms or {}, revoke_forms or {}
    rows = []
    for department in departments:
        department_keys = keys.get(department.pk, [])
        for key in department_keys:
            if key.status != "revoked":
                key.revoke_form = (
                    revoke_forms.get(key.pk) or KeyRevokeForm(key_pk=key.pk)
                ).mark_invalid_fields()
        generate = generate_forms.get(department.pk) or KeyGenerateForm(
            department_id=department.pk, initial={"algorithm": default_algorithm().value}
        )
        rows.append(
            {"department": department, "keys": department_keys, "form": generate.mark_invalid_fields()}
        )
    return render(request, "licenses/office_keys.html", {"rows": rows, "error": error}, status=status)


@official_required
@require_GET
def keys_page(request):
    return _render_keys(request)


@official_required
@require_POST
def key_generate(request, department_id: int):
    department = _checked(scoped.key_department_get, actor=request.user, department_id=department_id)
    form = KeyGenerateForm(request.POST, department_id=department.pk)
    if form.is_valid():
        try:
            key = signing_key_generate(
                actor=request.user, department=department, algorithm=form.cleaned_data["algorithm"]
            )
        except errors.InvalidInput as invalid:
            form.add_service_errors(invalid)
        except errors.PermissionDenied as denied:
            raise PermissionDenied(denied.message) from None
        except errors.Conflict as conflict:
            return _render_keys(request, error=conflict.message, status=409)
        else:
            messages.success(
                request,
                _("已为“%(name)s”生成签名密钥 %(key)s，此后颁发的证照由它签名；原在用的同算法密钥已轮换停用")
                % {"name": department.name, "key": key.key_id},
            )
            return redirect("licenses:office_keys")
    return _render_keys(request, generate_forms={department.pk: form}, status=400)


@official_required
@require_POST
def key_revoke(request, key_pk: int):
    key = _checked(scoped.signing_key_get_for_manager, actor=request.user, key_pk=key_pk)
    form = KeyRevokeForm(request.POST, key_pk=key.pk)
    if form.is_valid():
        try:
            signing_key_revoke(actor=request.user, key=key, reason=form.cleaned_data["reason"])
        except errors.InvalidInput as invalid:
            form.add_service_errors(invalid)
        except errors.PermissionDenied as denied:
            raise PermissionDenied(denied.message) from None
        except errors.Conflict as conflict:
            return _render_keys(request, error=conflict.message, status=409)
        else:
            messages.success(
                request,
                _("密钥 %(key)s 已吊销：它签发的所有证照核验时将显示为伪造，请尽快重新颁发")
                % {"key": key.key_id},
            )
            return redirect("licenses:office_keys")
    return _render_keys(request, revoke_forms={key.pk: form}, status=400)


# --- types ---------------------------------------------------------------------------------
@official_required
@require_GET
def types_page(request):
    types = _checked(scoped.license_types_for_manager, actor=request.user)
    return render(request, "licenses/office_types.html", {"types": types})


def _render_type(request, form, license_type=None, *, error="", status=200):
    context = {"form": form.mark_invalid_fields(), "license_type": license_type, "error": error}
    return render(request, "licenses/office_type_form.html", context, status=status)


@official_required
@require_http_methods(["GET", "POST"])
def type_create(request):
    _checked(scoped.license_types_for_manager, actor=request.user)
    departments = list(scoped.type_departments())
    if request.method == "GET":
        initial = {"validity_kind": "years", "fields_text": "", "holder_kind": ""}
        return _render_type(request, LicenseTypeForm(initial=initial, departments=departments))
    form = LicenseTypeForm(request.POST, departments=departments)
    status = 400
    if form.is_valid():
        data = form.cleaned_data
        try:
            created = license_type_create(
                actor=request.user,
                code=data["code"],
                name=data["name"],
                holder_kind=data["holder_kind"],
                defining_department=form.departments.get(data["defining_department"]),
                issuers=form.issuer_departments(),
                fields=data["field_specs"],
                validity=data["validity"],
                layout=data["layout"],
                replaces=data["replace_list"],
            )
        except errors.InvalidInput as invalid:
            form.add_service_errors(invalid)
        except errors.PermissionDenied as denied:
            raise PermissionDenied(denied.message) from None
        else:
            messages.success(request, _("已新增证照类型“%(name)s”") % {"name": created.name})
            return redirect("licenses:office_types")
    return _render_type(request, form, status=status)


@official_required
@require_http_methods(["GET", "POST"])
def type_edit(request, type_id: int):
    license_type = _checked(scoped.license_type_get_for_manager, actor=request.user, type_id=type_id)
    departments = list(scoped.type_departments())
    initial = type_initial(license_type)
    if request.method == "GET":
        form = LicenseTypeForm(initial=initial, departments=departments, editing=True)
        return _render_type(request, form, license_type)
    form = LicenseTypeForm(request.POST, initial=initial, departments=departments, editing=True)
    if form.is_valid():
        data = form.cleaned_data
        try:
            license_type_update(
                actor=request.user,
                license_type=license_type,
                expected_version=data.get("version"),
                name=data["name"],
                issuers=form.issuer_departments(),
                fields=data["field_specs"],
                validity=data["validity"],
                layout=data["layout"],
                replaces=data["replace_list"],
                is_active=data["is_active"],
            )
        except errors.InvalidInput as invalid:
            form.add_service_errors(invalid)
        except errors.PermissionDenied as denied:
            raise PermissionDenied(denied.message) from None
        except errors.Conflict:
            stale = _("该证照类型已被他人修改（您打开的是旧版本），请刷新页面后重新修改")
            return _render_type(request, form, license_type, error=stale, status=409)
        else:
            messages.success(request, _("已保存证照类型“%(name)s”") % {"name": license_type.name})
            return redirect("licenses:office_types")
    return _render_type(request, form, license_type, status=400)
