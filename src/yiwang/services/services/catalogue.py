"""政务服务事项实施清单 (STANDARDS.md §4; issue 5 part 1): drafting items and their versions.

The writes, by module (all importable from here, the one name other areas use):

- catalogue.py            item_create, version_update, version_save (the edit page: fields,
                          materials and their files at once)
- catalogue_materials.py  version_set_materials
- catalogue_review.py     version_submit / version_publish / version_return,
                          version_draft_new, item_unpublish / item_restore
- catalogue_windows.py    window_create / window_deactivate
- catalogue_checks.py     what a version's content must satisfy, field by field
- catalogue_fields.py     the editable elements: labels, limits, enumerations, processes

事项编码 (GB/T 39554.1-2020): the 14-character 基本编码; the 实施编码 adds the 12-digit 区划, 000,
the implementing body's 统一社会信用代码, 1 and 00, e.g.
`511A0138000000-511602000000-000-115113010833722043-1-00` (STANDARDS.md §4).
"""

from __future__ import annotations

import re

from django.db import IntegrityError, transaction
from django.utils import timezone

from yiwang.core.audit import services as audit
from yiwang.core.errors import InvalidInput, PermissionDenied, invalid
from yiwang.core.files.services import file_attach
from yiwang.services.models import ServiceItem, ServiceItemVersion
from yiwang.services.permissions import can_item_manage
from yiwang.services.services.catalogue_checks import CheckedContent, check_content
from yiwang.services.services.catalogue_common import (
    ITEM_VERSION_OWNER,
    locked_version,
    require_edit_version,
    require_manage,
    require_status,
)
from yiwang.services.services.catalogue_materials import (
    check_materials,
    materials_summary,
    replace_materials,
    version_set_materials,
)
from yiwang.services.services.catalogue_review import (
    item_restore,
    item_unpublish,
    version_draft_new,
    version_publish,
    version_return,
    version_submit,
)
from yiwang.services.services.catalogue_windows import window_create, window_deactivate

__all__ = [
    "implementation_code_for",
    "item_create",
    "item_restore",
    "item_unpublish",
    "version_draft_new",
    "version_publish",
    "version_return",
    "version_save",
    "version_set_materials",
    "version_submit",
    "version_update",
    "window_create",
    "window_deactivate",
]

BASE_CODE = re.compile(r"^[0-9A-Z]{14}$")


def implementation_code_for(base_code: str, department) -> str:
    division = department.division.code.ljust(12, "0")
    return f"{base_code}-{division}-000-{department.uscc}-1-00"


def _plain(value):
    """A value as the audit record keeps it (departments by id)."""
    if hasattr(value, "pk"):
        return value.pk
    return value


def _apply(version: ServiceItemVersion, checked: CheckedContent) -> dict:
    """Set the checked values; the changes as [old, new] for the audit record."""
    changes = {}
    for name, value in checked.values.items():
        old = getattr(version, name)
        if _plain(old) != _plain(value):
            changes[name] = [_plain(old), _plain(value)]
            setattr(version, name, value)
    return changes


def _apply_joint(version: ServiceItemVersion, checked: CheckedContent, changes: dict) -> None:
    if checked.joint_departments is None:
        return
    old = sorted(version.joint_departments.values_list("pk", flat=True))
    new = sorted(d.pk for d in checked.joint_departments)
    if old != new:
        version.joint_departments.set(checked.joint_departments)
        changes["joint_departments"] = [old, new]


def _sync_unpublished_item(version: ServiceItemVersion) -> None:
    """An item never published shows its draft's name and type in the managers' list."""
    item = version.item
    if item.published_version_id is None:
        item.name, item.item_type, item.updated_at = version.name, version.item_type, timezone.now()
        item.save(update_fields=["name", "item_type", "updated_at"])


@transaction.atomic
def item_create(*, actor, department, base_code: str, content: dict) -> ServiceItem:
    """A new item (未发布) with its version 1 (草稿). `content` needs at least the name and the
    事项类型; the rest may be filled in before submitting."""
    if department is None:
        raise invalid("department", "请选择实施部门")
    if not can_item_manage(actor, department):
        raise PermissionDenied("没有在该部门编制政务服务事项的权限（services.item.manage）")
    errors: dict = {}
    base_code = base_code.strip().upper() if isinstance(base_code, str) else ""
    if not BASE_CODE.match(base_code):
        errors["base_code"] = "基本编码应为14位数字或大写字母（GB/T 39554.1-2020）"
    if not department.uscc:
        errors["department"] = f"“{department.name}”没有统一社会信用代码，不能生成实施编码"
    if not department.is_active:
        errors["department"] = f"“{department.name}”已停用"
    content = content if isinstance(content, dict) else {}
    for name, reason in (("name", "请填写事项名称"), ("item_type", "请选择事项类型")):
        if not content.get(name):
            errors[name] = reason
    code = implementation_code_for(base_code, department) if not errors else ""
    if code and ServiceItem.objects.filter(implementation_code=code).exists():
        errors["base_code"] = f"本部门已有基本编码为 {base_code} 的事项（实施编码 {code}）"
    item = ServiceItem(department=department, base_code=base_code, implementation_code=code)
    version = ServiceItemVersion(item=item, number=1, created_by=actor)
    checked = check_content(content, version=version)
    errors = {**checked.errors, **errors}
    if errors:
        raise InvalidInput(fields=errors)
    item.name, item.item_type = checked.values["name"], checked.values["item_type"]
    try:
        with transaction.atomic():
            item.save(force_insert=True)
    except IntegrityError:  # the same code created by someone else a moment ago
        raise invalid("base_code", f"实施编码 {code} 已存在") from None
    version.item = item
    _apply(version, checked)
    version.save(force_insert=True)
    _apply_joint(version, checked, {})
    audit.record(
        actor=actor,
        action="services.item.created",
        target=item,
        changes={"implementation_code": code, "department": department.pk, "name": item.name},
    )
    return item


@transaction.atomic
def version_update(
    *, actor, version: ServiceItemVersion, content: dict, expected_version: int
) -> ServiceItemVersion:
    """Change fields of a draft or returned version; every given field is checked (a reason per
    field) and the version as a whole stays consistent."""
    version = locked_version(version)
    require_manage(actor, version.item)
    require_edit_version(version, expected_version)
    require_status(version, "draft", "returned", doing="修改")
    checked = check_content(content, version=version)
    if checked.errors:
        raise InvalidInput(fields=checked.errors)
    changes = _apply(version, checked)
    _apply_joint(version, checked, changes)
    _store_edit(actor, version, changes)
    return version


def _store_edit(actor, version: ServiceItemVersion, changes: dict) -> None:
    version.edit_version += 1
    version.save()
    _sync_unpublished_item(version)
    audit.record(
        actor=actor,
        action="services.item.updated",
        target=version,
        changes={"number": version.number, **changes},
    )


def _attach_uploads(actor, version, materials: list, uploads: dict, errors: dict) -> None:
    """Store the 空表/样表 files chosen on the page and point their rows at them."""
    for (index, kind), upload in sorted(uploads.items(), key=lambda pair: (pair[0][0], pair[0][1])):
        if not 0 <= index < len(materials) or not isinstance(materials[index], dict):
            continue
        try:
            attachment = file_attach(
                actor=actor, owner_type=ITEM_VERSION_OWNER, owner_id=version.pk, upload=upload
            )
        except InvalidInput as error:
            reason = next(iter(error.fields.values()), error.message)
            errors[f"materials[{index}].{kind}_id"] = reason
        else:
            materials[index][f"{kind}_id"] = attachment.pk


@transaction.atomic
def version_save(
    *,
    actor,
    version: ServiceItemVersion,
    content: dict,
    materials: list,
    uploads: dict | None = None,
    expected_version: int,
) -> ServiceItemVersion:
    """The edit page's save: fields, materials and newly chosen files (`uploads`:
    {(row index, "template" | "sample"): file}) in one step; any problem anywhere refuses the
    whole, with every reason at once, and nothing is stored (files included)."""
    version = locked_version(version)
    require_manage(actor, version.item)
    require_edit_version(version, expected_version)
    require_status(version, "draft", "returned", doing="修改")
    errors: dict = {}
    materials = (
        [dict(m) if isinstance(m, dict) else m for m in materials]
        if isinstance(materials, list)
        else materials
    )
    if uploads and isinstance(materials, list):
        _attach_uploads(actor, version, materials, uploads, errors)
    checked = check_content(content, version=version)
    rows, material_errors = check_materials(materials, version=version)
    errors = {**checked.errors, **material_errors, **errors}
    if errors:
        raise InvalidInput(fields=errors)
    changes = _apply(version, checked)
    _apply_joint(version, checked, changes)
    replace_materials(version, rows)
    changes["materials"] = materials_summary(rows)
    _store_edit(actor, version, changes)
    return version
