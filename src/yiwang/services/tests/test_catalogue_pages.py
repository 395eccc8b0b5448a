"""The public 办事指南 and the catalogue's workbench pages."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from yiwang.core.tests import factories as core
from yiwang.services.models import ServiceItem, ServiceItemVersion, ServiceWindow, VersionStatus
from yiwang.services.services import catalogue
from yiwang.services.tests.factories import catalogue_item, food_item

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _memory_storage(settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    }


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def text(response) -> str:
    return response.content.decode()


# --- 办事指南 ---------------------------------------------------------------------------------------
def test_the_guide_shows_every_element_with_materials_and_limits(service_city):
    item = food_item(service_city, life_events=("operating_permit",), keywords="开饭店")
    page = Client().get(reverse("services:guide", args=[item.pk]))
    assert page.status_code == 200
    body = text(page)
    for expected in (
        "食品经营许可",
        item.implementation_code,
        "行政许可",
        "申请书",
        "可用电子证照“营业执照”免提交",
        "经营场所平面图",
        "可容缺后补",
        "20工作日",
        "10工作日",
        "承诺件",
        "5级 · 互联网办理",
        "全程网办（0次）",
        "市政务服务中心",  # 受理部门
        "审查",
        "电子送达",
        "经营许可",
        "食品经营许可证",
    ):
        assert expected in body, expected
    assert 'href="?print=1"' in body and "Ctrl+P" in body
    assert reverse("services:apply", args=[item.pk]) in body  # 网办深度 5: 在线办理


def test_print_variant_has_no_navigation(service_city):
    item = food_item(service_city)
    page = Client().get(reverse("services:guide", args=[item.pk]), {"print": "1"})
    body = text(page)
    assert page.status_code == 200 and "main-nav" not in body and "services/print.css" in body
    assert "申请材料" in body


def test_no_apply_button_below_online_acceptance(service_city):
    item = food_item(service_city, online_depth=3)
    body = text(Client().get(reverse("services:guide", args=[item.pk])))
    assert "在线办理" not in body and "3级 · 互联网预审" in body


def test_unpublished_and_offline_items_are_404_but_a_published_version_stays_readable(service_city):
    draft = catalogue_item(service_city)
    assert Client().get(reverse("services:guide", args=[draft.pk])).status_code == 404
    assert Client().get(reverse("services:guide_version", args=[draft.pk, 1])).status_code == 404
    item = catalogue_item(service_city, base_code="330100ABCD0002", publish=True)
    catalogue.item_unpublish(actor=service_city.service_manager, item=item, reason="暂停")
    assert Client().get(reverse("services:guide", args=[item.pk])).status_code == 404
    old = Client().get(reverse("services:guide_version", args=[item.pk, 1]))
    assert old.status_code == 200 and "本事项已下线" in text(old)
    assert Client().get("/services/items/99999999999999999999/").status_code == 404


# --- workbench -----------------------------------------------------------------------------------
def test_items_list_is_scoped_and_query_counted(service_city, django_assert_max_num_queries):
    for index in range(8):
        food_item(service_city, name=f"市场事项{index}", base_code=f"330100ABCD{index:04d}")
    other = core.create_department("市卫健委", division=service_city.city)
    food_item(service_city, department=other, name="卫健事项", base_code="330100ABCE0001")
    admin = signed_in(service_city.market_admin)
    with django_assert_max_num_queries(12):
        page = admin.get(reverse("services:items_office"))
    body = text(page)
    assert page.status_code == 200 and "市场事项7" in body and "卫健事项" not in body
    manager = signed_in(service_city.service_manager)
    assert "卫健事项" in text(manager.get(reverse("services:items_office")))
    assert signed_in(service_city.citizen).get(reverse("services:items_office")).status_code == 404
    assert signed_in(service_city.clerk).get(reverse("services:items_office")).status_code == 403


def test_another_departments_admin_gets_404_on_every_item_page(service_city):
    item = catalogue_item(service_city)
    fire_admin = signed_in(core.create_official(department=service_city.fire, role="dept_admin"))
    for name, args in (
        ("item_office", [item.pk]),
        ("item_version", [item.pk, 1]),
        ("version_edit", [item.pk, 1]),
    ):
        assert fire_admin.get(reverse(f"services:{name}", args=args)).status_code == 404, name
    assert (
        fire_admin.post(
            reverse("services:item_submit", args=[item.pk, 1]), {"expected_version": 1}
        ).status_code
        == 404
    )


def test_create_edit_with_materials_and_a_template_submit_and_publish_on_the_pages(service_city):
    city = service_city
    admin = signed_in(city.market_admin)
    created = admin.post(
        reverse("services:item_create"),
        {
            "department": city.market.pk,
            "base_code": "330100ABCD0042",
            "name": "个体工商户登记",
            "item_type": "confirmation",
        },
    )
    item = ServiceItem.objects.get(base_code="330100ABCD0042")
    assert created.status_code == 302 and created["Location"] == reverse(
        "services:version_edit", args=[item.pk, 1]
    )
    edit_url = reverse("services:version_edit", args=[item.pk, 1])
    assert admin.get(edit_url).status_code == 200
    version = item.versions.get()
    data = {
        "expected_version": version.edit_version,
        "name": "个体工商户登记",
        "item_type": "confirmation",
        "subjects": ["citizen"],
        "legal_basis": "《促进个体工商户发展条例》",
        "conditions": "有经营能力的公民",
        "power_source": "法定本级行使",
        "exercise_level": "city",
        "statutory_limit": "15",
        "statutory_limit_unit": "working_days",
        "promised_limit": "99",  # more than the statutory limit: refused beside the field
        "promised_limit_unit": "working_days",
        "handling_kind": "commitment",
        "online_depth": "4",
        "visits": "0",
        "handling_forms": ["online"],
        "fee_free": "on",
        "scope": "city",
        "process_code": "services.commitment",
        "result_kind": "document",
        "delivery_methods": ["electronic"],
        "materials-TOTAL_FORMS": "2",
        "materials-INITIAL_FORMS": "0",
        "materials-0-code": "id_card",
        "materials-0-name": "居民身份证",
        "materials-0-required": "on",
        "materials-0-is_key": "on",
        "materials-0-form": "original",
        "materials-0-copies": "1",
        "materials-0-template_file": SimpleUploadedFile("登记表.pdf", PDF, content_type="application/pdf"),
        "materials-1-form": "electronic",
        "materials-1-copies": "1",
        "materials-1-required": "on",
        "materials-1-is_key": "on",
        "fields-TOTAL_FORMS": "1",
        "fields-INITIAL_FORMS": "0",
        "fields-0-code": "trade_name",
        "fields-0-label": "字号名称",
        "fields-0-type": "text",
        "fields-0-required": "on",
    }
    refused = admin.post(edit_url, data)
    assert refused.status_code == 400
    assert "承诺办结时限不能超过法定办结时限（15个工作日）" in text(refused)
    assert not version.materials.exists()  # nothing stored, the file included
    from yiwang.core.files.models import Attachment

    assert not Attachment.objects.filter(owner_type="services.item_version").exists()
    data["promised_limit"] = "5"
    data["materials-0-template_file"] = SimpleUploadedFile("登记表.pdf", PDF, content_type="application/pdf")
    saved = admin.post(edit_url, data)
    assert saved.status_code == 302, text(saved)[:3000]
    version.refresh_from_db()
    material = version.materials.get()
    assert (version.promised_limit, material.code, material.template.name) == (5, "id_card", "登记表.pdf")
    assert version.form_fields[0]["code"] == "trade_name"

    submitted = admin.post(
        reverse("services:item_submit", args=[item.pk, 1]), {"expected_version": version.edit_version}
    )
    assert submitted.status_code == 302
    assert admin.post(reverse("services:item_publish", args=[item.pk, 1]), {"opinion": ""}).status_code == 403
    manager = signed_in(city.service_manager)
    review = manager.get(reverse("services:item_office", args=[item.pk]))
    assert "审核通过并发布" in text(review) and "退回修改" in text(review)
    assert (
        manager.post(reverse("services:item_publish", args=[item.pk, 1]), {"opinion": "同意"}).status_code
        == 302
    )
    assert ServiceItemVersion.objects.get(pk=version.pk).status == VersionStatus.PUBLISHED
    guide = text(Client().get(reverse("services:guide", args=[item.pk])))
    file_url = reverse("services:guide_file", args=[item.pk, 1, material.pk, "template"])
    assert file_url in guide
    download = Client().get(file_url)
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    assert (
        Client().get(reverse("services:guide_file", args=[item.pk, 1, material.pk, "sample"])).status_code
        == 404
    )

    # a new draft copies the material and its template (a copy owned by the new version)
    assert admin.post(reverse("services:item_draft_new", args=[item.pk])).status_code == 302
    draft = item.versions.get(number=2)
    copied = draft.materials.get()
    assert copied.template.owner_id == str(draft.pk) and copied.template.file_id == material.template.file_id


def test_a_stale_edit_page_gets_409_and_a_returned_opinion_is_shown(service_city):
    item = catalogue_item(service_city)
    version = item.versions.get()
    admin = signed_in(service_city.market_admin)
    stale = admin.post(
        reverse("services:version_edit", args=[item.pk, 1]),
        {
            "expected_version": version.edit_version - 1,
            "name": "x",
            "item_type": "licensing",
            "exercise_level": "city",
            "statutory_limit": "1",
            "statutory_limit_unit": "working_days",
            "promised_limit": "1",
            "promised_limit_unit": "working_days",
            "handling_kind": "commitment",
            "online_depth": "1",
            "visits": "1",
            "scope": "city",
            "process_code": "services.commitment",
            "result_kind": "document",
            "materials-TOTAL_FORMS": "0",
            "materials-INITIAL_FORMS": "0",
            "fields-TOTAL_FORMS": "0",
            "fields-INITIAL_FORMS": "0",
        },
    )
    assert stale.status_code == 409 and "已被他人修改" in text(stale)
    version.refresh_from_db()
    catalogue.version_submit(
        actor=service_city.market_admin, version=version, expected_version=version.edit_version
    )
    manager = signed_in(service_city.service_manager)
    empty = manager.post(reverse("services:item_return", args=[item.pk, 1]), {"opinion": ""})
    assert empty.status_code == 400 and "请填写退回意见" in text(empty)
    manager.post(reverse("services:item_return", args=[item.pk, 1]), {"opinion": "请补充设定依据的条款号"})
    page = text(admin.get(reverse("services:item_office", args=[item.pk])))
    assert "请补充设定依据的条款号" in page and "修改第1版" in page


def test_windows_page(service_city):
    manager = signed_in(service_city.service_manager)
    page = manager.get(reverse("services:windows_office"))
    assert page.status_code == 200 and "综合受理一号窗口" in text(page)
    refused = manager.post(
        reverse("services:windows_office"),
        {"department": service_city.hall.pk, "code": "A01", "name": "重复"},
    )
    assert refused.status_code == 400 and "已有编号为 A01 的窗口" in text(refused)
    assert (
        manager.post(
            reverse("services:windows_office"),
            {"department": service_city.hall.pk, "code": "A02", "name": "二号"},
        ).status_code
        == 302
    )
    window = ServiceWindow.objects.get(code="A02")
    assert manager.post(reverse("services:window_deactivate", args=[window.pk])).status_code == 302
    assert not ServiceWindow.objects.get(pk=window.pk).is_active
    assert signed_in(service_city.market_admin).get(reverse("services:windows_office")).status_code == 403


def test_the_guide_shows_the_items_public_rating_aggregate(client, service_city):
    from yiwang.services.models import Rating
    from yiwang.services.tests.factories import completed_application, food_item

    city = service_city
    item = food_item(city)
    for level in (5, 4, 2):
        application = completed_application(city, item, city.enterprise)
        Rating.objects.create(
            application=application, item=item, department=city.market, channel="online", level=level
        )
    page = client.get(f"/services/items/{item.pk}/").content.decode()
    assert "好差评：3 次评价，平均 3.7 分，好评率 66.7%" in page
