"""申请材料 of a draft version: the whole list replaced at once (the page edits it as rows).

A material's `code` is stable across versions and items (`id_card`, `business_license`), so
我的材料 and 一件事 recognise the same material in another item. A licence type or a
shared-data item that can replace it is what makes it 免提交 (issue 5 part 3). The 空表 and
样表 are attachments of this very version (owner type services.item_version), so a published
version's files never change under it.
"""

from __future__ import annotations

import re

from django.db import transaction

from yiwang.core.audit import services as audit
from yiwang.core.errors import InvalidInput
from yiwang.core.files.models import Attachment
from yiwang.core.ids import as_id
from yiwang.licenses.models import LicenseType
from yiwang.services.models import ItemMaterial, MaterialForm, ServiceItemVersion
from yiwang.services.services.catalogue_common import (
    ITEM_VERSION_OWNER,
    locked_version,
    require_edit_version,
    require_manage,
    require_status,
)

MATERIALS_MAX = 50
CODE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")
KEYS = frozenset(
    {
        "code",
        "name",
        "required",
        "form",
        "copies",
        "is_key",
        "license_type",
        "shared_data",
        "notes",
        "template_id",
        "sample_id",
    }
)
TEXTS = {"name": ("材料名称", 128), "shared_data": ("可替代的共享数据项", 64), "notes": ("填报说明", 500)}


def _text(spec: dict, key: str, where: str, errors: dict) -> str:
    label, limit = TEXTS[key]
    value = spec.get(key, "")
    if value is None:
        value = ""
    if not isinstance(value, str) or "\x00" in value:
        errors[f"{where}.{key}"] = f"{label}应为文字"
        return ""
    value = value.strip()
    if len(value) > limit:
        errors[f"{where}.{key}"] = f"{label}至多{limit}个字符"
    elif key == "name" and not value:
        errors[f"{where}.{key}"] = "请填写材料名称"
    return value


def _flag(spec: dict, key: str, label: str, where: str, errors: dict) -> bool:
    value = spec.get(key, True)
    if not isinstance(value, bool):
        errors[f"{where}.{key}"] = f"{label}应为 true 或 false"
    return bool(value)


def _one(spec, index: int, seen: set, lookups: dict, errors: dict) -> dict | None:
    where = f"materials[{index}]"
    if not isinstance(spec, dict):
        errors[where] = "应为材料定义"
        return None
    for key in spec:
        if key not in KEYS:
            errors[f"{where}.{str(key)[:64]}"] = "未知的材料属性"
    code = spec.get("code")
    if not isinstance(code, str) or not CODE.match(code):
        errors[f"{where}.code"] = "材料代码应为小写字母或数字开头的小写字母、数字、下划线、横线，至多64个字符"
    elif code in seen:
        errors[f"{where}.code"] = f"材料代码“{code}”重复"
    else:
        seen.add(code)
    row = {
        "code": code,
        "name": _text(spec, "name", where, errors),
        "required": _flag(spec, "required", "是否必要", where, errors),
        "is_key": _flag(spec, "is_key", "是否关键材料", where, errors),
        "shared_data": _text(spec, "shared_data", where, errors),
        "notes": _text(spec, "notes", where, errors),
        "form": spec.get("form", MaterialForm.ELECTRONIC),
        "copies": spec.get("copies", 1),
        "license_type": spec.get("license_type") or "",
    }
    if row["form"] not in MaterialForm.values:
        errors[f"{where}.form"] = f"材料形式无效，可选：{'、'.join(str(x) for x in MaterialForm.labels)}"
    if isinstance(row["copies"], bool) or not isinstance(row["copies"], int) or not 1 <= row["copies"] <= 10:
        errors[f"{where}.copies"] = "份数应为1–10的整数"
    license_type = lookups["types"].get(row["license_type"]) if isinstance(row["license_type"], str) else None
    if row["license_type"] and (license_type is None or not license_type.is_active):
        errors[f"{where}.license_type"] = f"证照类型“{str(row['license_type'])[:32]}”不存在或已停用"
    for key, field in (("template_id", "template"), ("sample_id", "sample")):
        value = spec.get(key)
        if value in (None, ""):
            row[field] = None
            continue
        row[field] = lookups["files"].get(as_id(value))
        if row[field] is None:
            errors[f"{where}.{key}"] = "附件不存在，请先上传到本版本"
    return row


def check_materials(materials, *, version: ServiceItemVersion) -> tuple[list[dict], dict]:
    """Clean rows and the problems of each, keyed `materials[i].<key>`."""
    errors: dict = {}
    if not isinstance(materials, list) or len(materials) > MATERIALS_MAX:
        return [], {"materials": f"申请材料应为不超过{MATERIALS_MAX}项的列表"}
    specs = [spec for spec in materials if isinstance(spec, dict)]
    type_codes = {s.get("license_type") for s in specs if isinstance(s.get("license_type"), str)}
    file_ids = {as_id(s.get(k)) for s in specs for k in ("template_id", "sample_id")} - {None}
    lookups = {
        "types": {t.code: t for t in LicenseType.objects.filter(code__in=type_codes - {""})},
        "files": {
            a.pk: a
            for a in Attachment.objects.filter(
                pk__in=file_ids, owner_type=ITEM_VERSION_OWNER, owner_id=str(version.pk)
            )
        },
    }
    seen: set = set()
    rows = [_one(spec, index, seen, lookups, errors) for index, spec in enumerate(materials)]
    return [row for row in rows if row is not None], errors


def replace_materials(version: ServiceItemVersion, rows: list[dict]) -> list[ItemMaterial]:
    """Store checked rows as the version's list (positions in the given order)."""
    version.materials.all().delete()
    return ItemMaterial.objects.bulk_create(
        ItemMaterial(version=version, position=position, **row) for position, row in enumerate(rows)
    )


def materials_summary(rows: list[dict]) -> list[dict]:
    """What the audit record keeps of a list: enough to see what changed."""
    return [
        {
            "code": r["code"],
            "name": r["name"],
            "required": r["required"],
            "license_type": r["license_type"],
            "template": r["template"].pk if r.get("template") else None,
            "sample": r["sample"].pk if r.get("sample") else None,
        }
        for r in rows
    ]


@transaction.atomic
def version_set_materials(
    *, actor, version: ServiceItemVersion, materials: list, expected_version: int
) -> list[ItemMaterial]:
    """Replace a draft's materials list (some items need none: an empty list is fine)."""
    version = locked_version(version)
    require_manage(actor, version.item)
    require_edit_version(version, expected_version)
    require_status(version, "draft", "returned", doing="修改")
    rows, errors = check_materials(materials, version=version)
    if errors:
        raise InvalidInput(fields=errors)
    stored = replace_materials(version, rows)
    version.edit_version += 1
    version.save(update_fields=["edit_version"])
    audit.record(
        actor=actor,
        action="services.item.materials_set",
        target=version,
        changes={"number": version.number, "materials": materials_summary(rows)},
    )
    return stored
