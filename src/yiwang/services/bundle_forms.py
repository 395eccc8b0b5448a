"""一件事的合并申请表与合并材料清单: what makes a bundle "one application" for the applicant.

- Fields: a field code used by two or more items (e.g. `contact_phone`) is 共同信息 — asked once,
  shown first, and its answer goes to every item that asks for it. The other fields are asked
  in the section of their item. A shared code must mean the same in every item (same type and
  choices), else the answer could be valid for one item and not another: `form_conflicts`
  names such codes and `bundle_publish` refuses them.
- Materials: by code (ItemMaterial.code is stable across items, catalogue.py), so one upload
  satisfies every item that needs it; each row says which items need it and whether a licence
  or shared data can replace it (免提交).

Everything here works on `(item, version)` pairs: the published versions for the public guide
and for publishing, the versions the child applications were made under for a bundle
application (an application keeps the version it was made under, issue 5 §1).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from yiwang.services.forms_spec import FormField, fields_of
from yiwang.services.models import DeliveryMethod


@dataclass
class SharedField:
    field: FormField  # required if any item requires it
    item_names: list[str]


@dataclass
class ItemSection:
    item: object
    version: object
    fields: list[FormField]


@dataclass
class MergedForm:
    shared: list[SharedField]
    sections: list[ItemSection]
    codes_by_item: dict[int, set[str]]  # item id → every code its own form asks

    @property
    def all_fields(self) -> list[FormField]:
        """Each code once: what the merged answers are checked against."""
        return [s.field for s in self.shared] + [f for section in self.sections for f in section.fields]


@dataclass
class MergedMaterial:
    code: str
    name: str
    required: bool  # required by at least one item
    item_names: list[str]
    item_ids: list[int]
    replaceable_by: list[str] = field(default_factory=list)  # 免提交 notes from the materials list
    notes: list[str] = field(default_factory=list)


def published_entries(bundle) -> list[tuple[object, object]]:
    """(item, published version) per bundle item, in the bundle's order; an item without a
    published version is left out (publishing refuses such bundles)."""
    entries = bundle.entries.select_related("item__published_version", "item__department")
    return [(e.item, e.item.published_version) for e in entries if e.item.published_version_id]


def _fields_by_item(entries) -> list[tuple[object, object, list[FormField]]]:
    return [(item, version, fields_of(version.form_fields)) for item, version in entries]


def merged_form_of(entries) -> MergedForm:
    per_item = _fields_by_item(entries)
    users: dict[str, list[tuple[object, FormField]]] = {}
    for item, _version, fields in per_item:
        for form_field in fields:
            users.setdefault(form_field.code, []).append((item, form_field))
    shared = []
    for code, uses in users.items():  # dicts keep first-appearance order
        if len(uses) < 2:
            continue
        first = uses[0][1]
        required = any(f.required for _item, f in uses)
        merged = FormField(
            code=code,
            label=first.label,
            type=first.type,
            required=required,
            choices=first.choices,
            max_length=min((f.max_length for _i, f in uses if f.max_length), default=0),
            help=first.help,
        )
        shared.append(SharedField(field=merged, item_names=[item.name for item, _f in uses]))
    shared_codes = {s.field.code for s in shared}
    sections = [
        ItemSection(item=item, version=version, fields=[f for f in fields if f.code not in shared_codes])
        for item, version, fields in per_item
    ]
    codes_by_item = {item.pk: {f.code for f in fields} for item, _v, fields in per_item}
    return MergedForm(shared=shared, sections=sections, codes_by_item=codes_by_item)


def merged_form(bundle) -> MergedForm:
    return merged_form_of(published_entries(bundle))


def form_conflicts(entries) -> dict[str, str]:
    """`form.<code>` → why the code cannot be asked once: the items define it differently."""
    definitions: dict[str, list[tuple[object, FormField]]] = {}
    for item, _version, fields in _fields_by_item(entries):
        for form_field in fields:
            definitions.setdefault(form_field.code, []).append((item, form_field))
    conflicts = {}
    for code, uses in definitions.items():
        shapes = {(f.type, f.choices) for _item, f in uses}
        if len(shapes) > 1:
            described = "、".join(
                f"{item.name}（{f.type}{'：' + '/'.join(f.choices) if f.choices else ''}）"
                for item, f in uses
            )
            conflicts[f"form.{code}"] = f"共同字段“{code}”在各事项中的类型或选项不一致：{described}"
    return conflicts


def merged_materials_of(entries) -> list[MergedMaterial]:
    merged: dict[str, MergedMaterial] = {}
    for item, version in entries:
        for material in version.materials.all():
            row = merged.get(material.code)
            if row is None:
                row = merged[material.code] = MergedMaterial(
                    code=material.code, name=material.name, required=False, item_names=[], item_ids=[]
                )
            row.required = row.required or material.required
            row.item_names.append(item.name)
            row.item_ids.append(item.pk)
            if material.license_type and "电子证照" not in row.replaceable_by:
                row.replaceable_by.append("电子证照")
            if material.shared_data and "共享数据" not in row.replaceable_by:
                row.replaceable_by.append("共享数据")
            if material.notes and material.notes not in row.notes:
                row.notes.append(material.notes)
    return list(merged.values())


def merged_materials(bundle) -> list[MergedMaterial]:
    return merged_materials_of(published_entries(bundle))


def delivery_methods_of(version) -> list[str]:
    """The version's 送达方式 in its order; electronic when it lists none (as applying.py)."""
    methods = [m for m in (version.delivery_methods or []) if m in DeliveryMethod.values]
    return methods or [DeliveryMethod.ELECTRONIC]


def common_delivery_methods(versions) -> list[str]:
    """The 送达方式 every item offers, in the first item's order: results are delivered together,
    so the applicant chooses one way for all."""
    versions = list(versions)
    if not versions:
        return [DeliveryMethod.ELECTRONIC]
    common = delivery_methods_of(versions[0])
    for version in versions[1:]:
        offered = set(delivery_methods_of(version))
        common = [m for m in common if m in offered]
    return common


def answers_for(codes: set[str], answers: dict) -> dict:
    """The part of the merged answers one item asks for (a missing answer as "")."""
    return {code: answers.get(code, "") for code in codes}
