"""The demo catalogue (services/demo_catalogue/) checked as data, before any loader writes it:
every form parses, every code, name, enumeration and reference resolves, and the rules of the
实施清单 (STANDARDS.md §4) and of the processes hold — so a loading failure is never the data's.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict

import pytest

from yiwang.core.demo import city
from yiwang.licenses import demo_catalogue as license_catalogue
from yiwang.services import demo_catalogue as catalogue
from yiwang.services.forms_spec import SENSITIVE_TYPES, fields_of, parse_fields
from yiwang.services.models import ItemMaterial, ServiceItemVersion
from yiwang.services.models.applications import DeliveryMethod
from yiwang.services.models.catalogue import (
    APPLICABLE_TYPES,
    ONLINE_DEPTH_ONLINE,
    ONLINE_DEPTHS,
    ExerciseLevel,
    HandlingForm,
    HandlingKind,
    ItemType,
    LifeEvent,
    LimitUnit,
    MaterialForm,
    ResultKind,
    Scope,
    SubjectKind,
    Theme,
)

ITEMS = catalogue.ITEMS
BY_KEY = {item["key"]: item for item in ITEMS}
DEPARTMENTS = {spec["name"]: spec for spec in city.DEPARTMENTS}
LICENSE_TYPES = {spec.name: spec for spec in license_catalogue.TYPES}
HOLDER_SUBJECT = {"citizen": SubjectKind.CITIZEN, "legal_person": SubjectKind.ENTERPRISE}
SLUG = re.compile(r"^[a-z][a-z0-9_]*$")
# Bookkeeping of the review cycle, set by the services, never by the catalogue.
NOT_CONTENT = {
    "id",
    "item",
    "number",
    "status",
    "created_by",
    "created_at",
    "submitted_at",
    "reviewed_by",
    "reviewed_at",
    "review_opinion",
    "published_at",
    "edit_version",
}
CONTENT_FIELDS = {
    field.name for field in ServiceItemVersion._meta.get_fields() if field.concrete or field.many_to_many
} - NOT_CONTENT
MATERIAL_FIELDS = {
    "code",
    "name",
    "required",
    "form",
    "copies",
    "is_key",
    "license_type",
    "shared_data",
    "notes",
}
ids = pytest.mark.parametrize("item", ITEMS, ids=[item["key"] for item in ITEMS])


def _values(choices) -> set[str]:
    return {str(value) for value in choices.values}


def _days(amount: int, unit: str) -> float:
    """Working days are the longer unit: 5 of them span 7 natural days."""
    return amount * 7 / 5 if unit == LimitUnit.WORKING_DAYS else amount


def test_about_twenty_items_from_many_departments_with_unique_keys_and_codes():
    assert 18 <= len(ITEMS) <= 25
    assert len(BY_KEY) == len(ITEMS)
    assert len({item["base_code"] for item in ITEMS}) == len(ITEMS)
    assert len({item["department"] for item in ITEMS}) >= 10


@ids
def test_item_identity_and_departments_exist(item):
    assert SLUG.match(item["key"]), item["key"]
    assert set(item) == {"key", "department", "base_code", "content", "materials"}
    assert item["department"] in DEPARTMENTS
    code = item["base_code"]
    assert re.fullmatch(r"[0-9A-Z]{14}", code), code
    serial = list(DEPARTMENTS).index(item["department"]) + 1
    assert code[4:6] == f"{serial:02d}"
    assert code[6] == catalogue.TYPE_LETTERS[item["content"]["item_type"]]


@ids
def test_content_names_every_version_field_within_its_length(item):
    content = item["content"]
    assert set(content) == CONTENT_FIELDS
    for name, value in content.items():
        field = ServiceItemVersion._meta.get_field(name)
        if isinstance(value, str) and getattr(field, "max_length", None):
            assert len(value) <= field.max_length, name
    assert content["name"] and content["legal_basis"] and content["conditions"]
    assert content["location"] and content["office_hours"] and content["phone"]
    assert content["keywords"] and content["result_name"]
    assert content["fee_free"] == (content["fees"] == "")


@ids
def test_enumerations_are_valid(item):
    content = item["content"]
    assert content["item_type"] in _values(ItemType)
    assert ItemType(content["item_type"]) in APPLICABLE_TYPES
    assert content["subjects"] and set(content["subjects"]) <= _values(SubjectKind)
    assert content["handling_kind"] in _values(HandlingKind)
    assert content["statutory_limit_unit"] in _values(LimitUnit)
    assert content["promised_limit_unit"] in _values(LimitUnit)
    assert content["handling_forms"] and set(content["handling_forms"]) <= _values(HandlingForm)
    assert content["scope"] in _values(Scope)
    assert content["exercise_level"] in _values(ExerciseLevel)
    assert content["life_events"] and set(content["life_events"]) <= _values(LifeEvent)
    assert content["themes"] and set(content["themes"]) <= _values(Theme)
    assert content["result_kind"] in _values(ResultKind)
    assert content["delivery_methods"] and set(content["delivery_methods"]) <= _values(DeliveryMethod)
    assert content["online_depth"] in ONLINE_DEPTHS
    assert 0 <= content["visits"] <= 3


@ids
def test_limits_promise_no_more_than_the_law(item):
    content = item["content"]
    assert content["statutory_limit"] > 0
    promised = _days(content["promised_limit"], content["promised_limit_unit"])
    assert promised <= _days(content["statutory_limit"], content["statutory_limit_unit"])


@ids
def test_process_matches_handling_kind_and_joint_departments(item):
    content = item["content"]
    immediate = content["handling_kind"] == HandlingKind.IMMEDIATE
    assert (content["process_code"] == "services.immediate") == immediate
    if immediate:
        assert content["promised_limit"] <= 1
    joint = content["joint_departments"]
    assert (content["process_code"] == "services.joint") == (len(joint) == 1)
    assert content["process_code"] in {"services.immediate", "services.commitment", "services.joint"}
    assert all(name in DEPARTMENTS and name != item["department"] for name in joint)
    acceptance = content["acceptance_department"]
    assert acceptance is None or acceptance in DEPARTMENTS


@ids
def test_online_depth_agrees_with_visits_and_channels(item):
    content = item["content"]
    online = content["online_depth"] >= ONLINE_DEPTH_ONLINE
    assert (HandlingForm.ONLINE in content["handling_forms"]) == online
    if not online:
        assert content["visits"] >= 1
    # 7 互联网电子证照反馈: only where the result is issued through the licence library.
    if content["online_depth"] == max(ONLINE_DEPTHS):
        assert content["result_kind"] == ResultKind.LICENSE


@ids
def test_form_parses_without_problems(item):
    raw = item["content"]["form_fields"]
    fields, problems = parse_fields(raw)
    assert problems == {}
    assert 3 <= len(fields) == len(raw) <= 8


@ids
def test_materials_are_complete_and_their_codes_unique_slugs(item):
    materials = item["materials"]
    assert 2 <= len(materials) <= 7
    codes = [material["code"] for material in materials]
    assert len(set(codes)) == len(codes)
    for material in materials:
        assert set(material) == MATERIAL_FIELDS
        assert SLUG.match(material["code"]) and len(material["code"]) <= 64
        assert material["name"] and len(material["name"]) <= ItemMaterial._meta.get_field("name").max_length
        assert len(material["notes"]) <= ItemMaterial._meta.get_field("notes").max_length
        assert material["form"] in _values(MaterialForm)
        assert material["copies"] >= 1
    assert any(material["required"] and material["is_key"] for material in materials)


@ids
def test_deficiency_is_offered_only_where_a_required_material_may_wait(item):
    if item["content"]["allows_deficiency"]:
        assert any(m["required"] and not m["is_key"] for m in item["materials"])


@ids
def test_licence_materials_name_a_type_the_applicant_can_hold(item):
    subjects = set(item["content"]["subjects"])
    for material in item["materials"]:
        if material["license_type"]:
            spec = LICENSE_TYPES[material["license_type"]]
            assert material["name"] in spec.replaces
            assert HOLDER_SUBJECT[spec.holder_kind] in subjects


def test_a_material_code_always_means_the_same_licence():
    licence_of = defaultdict(set)
    for item in ITEMS:
        for material in item["materials"]:
            licence_of[material["code"]].add(material["license_type"])
    assert {code: types for code, types in licence_of.items() if len(types) > 1} == {}


@ids
def test_result_licence_is_issuable_from_the_application(item):
    content = item["content"]
    if content["result_kind"] == ResultKind.DOCUMENT:
        assert content["result_license_type"] == "" and content["result_field_map"] == {}
        return
    spec = LICENSE_TYPES[content["result_license_type"]]
    assert content["result_name"] == spec.name
    assert {HOLDER_SUBJECT[spec.holder_kind]} == set(content["subjects"])
    licence_fields = {field["name"]: field for field in spec.fields}
    form = {field.code: field for field in fields_of(content["form_fields"])}
    mapping = content["result_field_map"]
    assert set(mapping) <= set(licence_fields)
    assert {name for name, field in licence_fields.items() if field["required"]} <= set(mapping)
    for name, source in mapping.items():
        if source in {"applicant.name", "applicant.code", "application.number"}:
            continue
        assert source.startswith("form:"), source
        field = form[source.removeprefix("form:")]
        assert field.type not in SENSITIVE_TYPES
        expected = licence_fields[name]["type"]
        if expected == "enum":
            assert field.type == "choice" and set(field.choices) <= set(licence_fields[name]["choices"])
        elif expected in ("date", "number"):
            assert field.type == expected


def test_licence_type_codes_are_those_the_licence_demo_creates():
    market = DEPARTMENTS["市市场监督管理局"]["uscc"]
    assert catalogue.license_type_code("营业执照") == f"{market}001"
    assert catalogue.license_type_code("食品经营许可证") == f"{market}002"
    for name in LICENSE_TYPES:
        assert len(catalogue.license_type_code(name)) <= 32


def test_the_catalogue_shows_each_kind_of_handling():
    content = [item["content"] for item in ITEMS]
    kinds = Counter(c["handling_kind"] for c in content)
    assert kinds[HandlingKind.IMMEDIATE] >= 3
    assert sum(c["process_code"] == "services.joint" for c in content) >= 1
    assert sum(c["online_depth"] < ONLINE_DEPTH_ONLINE for c in content) >= 2
    assert sum(c["allows_deficiency"] for c in content) >= 1
    assert sum(c["result_kind"] == ResultKind.LICENSE for c in content) >= 2


def test_windows_belong_to_service_centres_with_unique_codes():
    assert 4 <= len(catalogue.WINDOWS) <= 6
    pairs = {(window["department"], window["code"]) for window in catalogue.WINDOWS}
    assert len(pairs) == len(catalogue.WINDOWS)
    for window in catalogue.WINDOWS:
        assert DEPARTMENTS[window["department"]]["kind"] == "service_center"
    assert "明湖区政务服务中心" in {window["department"] for window in catalogue.WINDOWS}


@pytest.mark.parametrize("bundle", catalogue.BUNDLES, ids=[b["code"] for b in catalogue.BUNDLES])
def test_bundle_items_exist_span_departments_and_share_fields_consistently(bundle):
    assert SLUG.match(bundle["code"])
    assert bundle["life_event"] in _values(LifeEvent)
    assert bundle["subject"] in _values(SubjectKind)
    assert bundle["lead_department"] in DEPARTMENTS
    items = [BY_KEY[key] for key in bundle["items"]]
    assert len(items) >= 2 and len({item["department"] for item in items}) >= 2
    assert all(bundle["subject"] in item["content"]["subjects"] for item in items)
    assert set.intersection(*(set(item["content"]["delivery_methods"]) for item in items))
    definitions = defaultdict(list)
    for item in items:
        for field in item["content"]["form_fields"]:
            definitions[field["code"]].append(field)
    shared = {code: found for code, found in definitions.items() if len(found) > 1}
    assert len(shared) >= 2
    for code, found in shared.items():
        assert all(field == found[0] for field in found), code
