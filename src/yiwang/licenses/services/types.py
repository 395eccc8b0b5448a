"""证照类型: define and edit the kinds of licence (GB/T 36902 目录, GB/T 36903 元数据).

The 证照类型代码 is the defining body's 统一社会信用代码 (GB 32100-2015) followed by 3 digits
(GB/T 36904-2018, STANDARDS.md §1). Code and holder kind are the type's identity: every
licence's identifier and holder code type depend on them, so they never change. Fields,
validity, layout and materials may change; they apply to licences issued (or revised) after.
"""

from __future__ import annotations

import re

from django.db import IntegrityError, transaction

from yiwang.core import codes
from yiwang.core.audit import services as audit
from yiwang.core.concurrency import save_if_version
from yiwang.core.errors import InvalidInput, PermissionDenied, invalid
from yiwang.licenses.models import HolderKind, LicenseType
from yiwang.licenses.permissions import can_license_type_manage
from yiwang.licenses.services import shapes

_TYPE_CODE = re.compile(r"[0-9A-Z]{18}\d{3}")


def _check_code(code, defining_department, errors: dict[str, str]) -> str:
    text = (code or "").strip().upper() if isinstance(code, str) else ""
    if not _TYPE_CODE.fullmatch(text):
        errors["code"] = "证照类型代码应为21位：定义机构的统一社会信用代码（18位）加3位数字"
        return text
    try:
        codes.validate_uscc(text[:18])
    except codes.CodeInvalid as error:
        errors["code"] = f"证照类型代码中的统一社会信用代码无效：{error}"
        return text
    if defining_department is not None and defining_department.uscc and defining_department.uscc != text[:18]:
        errors["code"] = f"证照类型代码的前18位应为定义机构的统一社会信用代码 {defining_department.uscc}"
    elif LicenseType.objects.filter(code=text).exists():
        errors["code"] = f"证照类型代码 {text} 已存在"
    return text


def _check_name(name, errors: dict[str, str]) -> str:
    text = (name or "").strip() if isinstance(name, str) else ""
    if not text or len(text) > 64:
        errors["name"] = "证照名称不能为空，至多64字"
    return text


def _check_issuers(issuers, errors: dict[str, str]) -> list:
    """Issuing departments: each needs a USCC, the 颁发机构代码 inside every identifier."""
    issuers = list(issuers or [])
    if not issuers:
        errors["issuer_ids"] = "请至少指定一个颁发机构"
    without = [d.name for d in issuers if not d.uscc]
    if without:
        errors["issuer_ids"] = f"颁发机构须有统一社会信用代码：{'、'.join(without)}"
    inactive = [d.name for d in issuers if not d.is_active]
    if inactive:
        errors["issuer_ids"] = f"颁发机构已停用：{'、'.join(inactive)}"
    return issuers


def _shape(errors, *, fields, validity, layout, replaces):
    specs = shapes.check_field_specs(fields, errors)
    return {
        "fields": specs,
        "validity": shapes.check_validity(validity, errors),
        "layout": shapes.check_layout(layout, {s["name"] for s in specs if s.get("name")}, errors),
        "replaces": shapes.check_replaces(replaces, errors),
    }


@transaction.atomic
def license_type_create(
    *,
    actor,
    code: str,
    name: str,
    holder_kind: str,
    defining_department,
    issuers,
    fields,
    validity,
    layout=None,
    replaces=None,
) -> LicenseType:
    if not can_license_type_manage(actor):
        raise PermissionDenied("没有管理证照类型的权限（licenses.type.manage）")
    errors: dict[str, str] = {}
    if defining_department is None:
        errors["defining_department_id"] = "请指定定义机构"
    code = _check_code(code, defining_department, errors)
    name = _check_name(name, errors)
    if holder_kind not in HolderKind.values:
        errors["holder_kind"] = "持证主体类别应为 citizen（自然人）或 legal_person（法人）"
    issuers = _check_issuers(issuers, errors)
    shaped = _shape(errors, fields=fields, validity=validity, layout=layout, replaces=replaces)
    if errors:
        raise InvalidInput(fields=errors)
    license_type = LicenseType(
        code=code, name=name, holder_kind=holder_kind, defining_department=defining_department, **shaped
    )
    try:
        with transaction.atomic():
            license_type.save(force_insert=True)
    except IntegrityError:  # two administrators creating the same code at once
        raise invalid("code", f"证照类型代码 {code} 已存在") from None
    license_type.issuers.set(issuers)
    audit.record(
        actor=actor,
        action="licenses.type.created",
        target=license_type,
        changes={"code": code, "name": name, "holder_kind": holder_kind, "issuers": [d.pk for d in issuers]},
    )
    return license_type


_UNSET = object()


@transaction.atomic
def license_type_update(
    *,
    actor,
    license_type: LicenseType,
    expected_version: int | None,
    name=None,
    issuers=None,
    fields=None,
    validity=None,
    layout=_UNSET,
    replaces=None,
    is_active=None,
) -> LicenseType:
    """Edit what may change (None / left out: unchanged). `expected_version` is the version the
    editor read: the loser of two concurrent edits gets a 409."""
    if not can_license_type_manage(actor):
        raise PermissionDenied("没有管理证照类型的权限（licenses.type.manage）")
    errors: dict[str, str] = {}
    wanted: dict = {}
    if name is not None:
        wanted["name"] = _check_name(name, errors)
    if fields is not None:
        wanted["fields"] = shapes.check_field_specs(fields, errors)
    if validity is not None:
        wanted["validity"] = shapes.check_validity(validity, errors)
    if layout is not _UNSET:
        names = {s["name"] for s in wanted.get("fields", license_type.fields) if s.get("name")}
        wanted["layout"] = shapes.check_layout(layout, names, errors)
    elif "fields" in wanted and license_type.layout.get("order"):
        names = {s["name"] for s in wanted["fields"] if s.get("name")}
        wanted["layout"] = shapes.check_layout(license_type.layout, names, errors)
    if replaces is not None:
        wanted["replaces"] = shapes.check_replaces(replaces, errors)
    if is_active is not None:
        wanted["is_active"] = bool(is_active)
    new_issuers = _check_issuers(issuers, errors) if issuers is not None else None
    if errors:
        raise InvalidInput(fields=errors)
    changes = {k: [getattr(license_type, k), v] for k, v in wanted.items() if getattr(license_type, k) != v}
    old_issuers = sorted(license_type.issuers.values_list("pk", flat=True))
    if new_issuers is not None and sorted(d.pk for d in new_issuers) != old_issuers:
        changes["issuers"] = [old_issuers, sorted(d.pk for d in new_issuers)]
    if not changes:
        return license_type
    for field in changes:
        if field != "issuers":
            setattr(license_type, field, wanted[field])
    # The version moves with any change, the issuers included, so a stale editor is told.
    save_if_version(
        license_type, expected_version=expected_version, fields=[f for f in changes if f != "issuers"]
    )
    if "issuers" in changes:
        license_type.issuers.set(new_issuers)
    audit.record(actor=actor, action="licenses.type.updated", target=license_type, changes=changes)
    return license_type
