"""一件事的管理与合并: the merged form and materials, and the rules checked at publishing."""

import pytest

from yiwang.core.audit.models import AuditRecord
from yiwang.core.errors import Conflict, InvalidInput, PermissionDenied
from yiwang.services.bundle_forms import merged_form, merged_materials
from yiwang.services.models import Bundle, BundleStatus
from yiwang.services.services.bundles import bundle_create, bundle_publish, bundle_unpublish, bundle_update
from yiwang.services.tests.factories import create_bundle, fire_item, food_item, immediate_item


def _create(city, items, **overrides):
    arguments = {
        "actor": city.service_manager,
        "code": "open-restaurant",
        "name": "开办餐饮店一件事",
        "life_event": "operating_permit",
        "subject": "enterprise",
        "lead_department": city.market,
        "description": "开饭店，一次申请，食品经营许可与消防检查并行办理",
        "keywords": "开饭店 餐馆",
        "item_ids": [item.pk for item in items],
    }
    return bundle_create(**{**arguments, **overrides})


# --- merging ---------------------------------------------------------------------------------
def test_shared_fields_are_asked_once_and_first(service_city):
    city = service_city
    food, fire = food_item(city), fire_item(city)
    form = merged_form(create_bundle(city, [food, fire]))
    assert [s.field.code for s in form.shared] == ["contact_name", "contact_phone", "address"]
    assert form.shared[0].item_names == [food.name, fire.name]
    sections = {s.item.pk: [f.code for f in s.fields] for s in form.sections}
    assert sections == {food.pk: ["business_scope", "opening_date"], fire.pk: ["seats"]}
    codes = [f.code for f in form.all_fields]
    assert len(codes) == len(set(codes)) == 6


def test_one_material_row_per_code_says_which_items_need_it(service_city):
    city = service_city
    food, fire = food_item(city), fire_item(city)
    rows = {m.code: m for m in merged_materials(create_bundle(city, [food, fire]))}
    assert list(rows) == [
        "application_form",
        "business_license",
        "site_plan",
        "health_certificates",
        "fire_plan",
    ]
    assert rows["site_plan"].item_names == [food.name, fire.name]
    assert rows["business_license"].replaceable_by == ["电子证照"]
    assert rows["health_certificates"].required is False


# --- management ------------------------------------------------------------------------------
def test_manager_creates_a_draft_bundle_with_its_items_in_order(service_city):
    city = service_city
    food, fire = food_item(city), fire_item(city)
    bundle = _create(city, [fire, food])
    assert bundle.status == BundleStatus.DRAFT
    assert list(bundle.entries.values_list("item_id", flat=True)) == [fire.pk, food.pk]
    assert AuditRecord.objects.filter(action="services.bundle.created", target_id=str(bundle.pk)).exists()


def test_only_the_service_manager_manages_bundles(service_city):
    city = service_city
    with pytest.raises(PermissionDenied):
        _create(city, [food_item(city), fire_item(city)], actor=city.market_admin)


def test_bad_input_is_named_field_by_field(service_city):
    city = service_city
    food = food_item(city)
    with pytest.raises(InvalidInput) as refused:
        _create(
            city,
            [],
            code="不是代码",
            name="",
            life_event="nope",
            subject="alien",
            lead_department=None,
            item_ids=[food.pk, food.pk],
        )
    fields = refused.value.fields
    assert set(fields) == {"code", "name", "life_event", "subject", "lead_department_id", "item_ids"}
    assert fields["item_ids"] == "事项重复"
    assert "人生事件无效" in fields["life_event"]
    with pytest.raises(InvalidInput) as refused:
        _create(city, [], item_ids=[999999, "x"])
    assert refused.value.fields["item_ids"] == "事项应为事项编号的列表"
    with pytest.raises(InvalidInput) as refused:
        _create(city, [], item_ids=[999999])
    assert refused.value.fields["item_ids"] == "事项不存在：999999"


def test_a_code_is_used_once(service_city):
    city = service_city
    _create(city, [food_item(city), fire_item(city)])
    with pytest.raises(InvalidInput) as refused:
        _create(city, [])
    assert refused.value.fields == {"code": "一件事代码“open-restaurant”已存在"}


def test_publish_and_unpublish(service_city):
    city = service_city
    bundle = _create(city, [food_item(city), fire_item(city)])
    bundle_publish(actor=city.service_manager, bundle=bundle)
    bundle.refresh_from_db()
    assert bundle.status == BundleStatus.PUBLISHED and bundle.published_at is not None
    bundle_unpublish(actor=city.service_manager, bundle=bundle)
    bundle.refresh_from_db()
    assert bundle.status == BundleStatus.OFFLINE
    with pytest.raises(Conflict):
        bundle_unpublish(actor=city.service_manager, bundle=bundle)
    actions = set(AuditRecord.objects.filter(target_id=str(bundle.pk)).values_list("action", flat=True))
    assert {"services.bundle.published", "services.bundle.unpublished"} <= actions


def test_publish_needs_two_published_online_items_for_the_subject(service_city):
    city = service_city
    offline = fire_item(city, name="离线事项", online_depth=3)
    unpublished = fire_item(city, name="未发布事项", published=False)
    for_citizens = immediate_item(city)  # 服务对象：自然人
    bundle = _create(city, [offline, unpublished, for_citizens])
    with pytest.raises(InvalidInput) as refused:
        bundle_publish(actor=city.service_manager, bundle=bundle)
    reason = refused.value.fields["item_ids"]
    assert "事项“离线事项”网办深度为3，须达到4（互联网受理）" in reason
    assert "事项“未发布事项”未发布" in reason
    assert f"事项“{for_citizens.name}”不面向法人" in reason
    single = _create(city, [food_item(city)], code="single")
    with pytest.raises(InvalidInput) as refused:
        bundle_publish(actor=city.service_manager, bundle=single)
    assert refused.value.fields["item_ids"] == "一件事至少包含2个事项"
    assert Bundle.objects.filter(status=BundleStatus.PUBLISHED).count() == 0


def test_a_shared_code_defined_differently_is_refused_naming_code_and_items(service_city):
    city = service_city
    food = food_item(city)
    fire = fire_item(
        city,
        form_fields=[
            {"code": "address", "label": "场所类型", "type": "choice", "choices": ["商场", "独立建筑"]}
        ],
    )
    bundle = _create(city, [food, fire])
    with pytest.raises(InvalidInput) as refused:
        bundle_publish(actor=city.service_manager, bundle=bundle)
    reason = refused.value.fields["form.address"]
    assert "共同字段“address”" in reason and food.name in reason and fire.name in reason


def test_items_without_a_common_delivery_method_are_refused(service_city):
    city = service_city
    bundle = _create(
        city,
        [food_item(city, delivery_methods=("mail",)), fire_item(city, delivery_methods=("window",))],
    )
    with pytest.raises(InvalidInput) as refused:
        bundle_publish(actor=city.service_manager, bundle=bundle)
    assert "没有共同的送达方式" in refused.value.fields["item_ids"]


def test_update_checks_the_version_and_keeps_a_published_bundle_publishable(service_city):
    city = service_city
    food, fire = food_item(city), fire_item(city)
    bundle = _create(city, [food, fire])
    bundle = bundle_publish(actor=city.service_manager, bundle=bundle)
    version = bundle.version
    bundle_update(actor=city.service_manager, bundle=bundle, expected_version=version, name="开饭店一件事")
    assert Bundle.objects.get(pk=bundle.pk).name == "开饭店一件事"
    with pytest.raises(Conflict):
        bundle_update(actor=city.service_manager, bundle=bundle, expected_version=version, name="旧版本")
    with pytest.raises(InvalidInput) as refused:
        bundle_update(
            actor=city.service_manager, bundle=bundle, expected_version=bundle.version, item_ids=[food.pk]
        )
    assert refused.value.fields["item_ids"] == "一件事至少包含2个事项"
    assert list(Bundle.objects.get(pk=bundle.pk).entries.values_list("item_id", flat=True)) == [
        food.pk,
        fire.pk,
    ]
