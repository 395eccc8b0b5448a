"""The pages of 一件事一次办: the public guide, one application through one merged form, the one
combined status, and the 政务服务管理员's workbench."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from yiwang.core.files.tests.samples import PDF, upload
from yiwang.services.models import Application, ApplicationStatus, Bundle, BundleApplication, BundleStatus
from yiwang.services.tests.factories import create_bundle, fire_item, food_item, issue_business_license

FORM = {
    "f_contact_name": "王店长",
    "f_contact_phone": "13800138000",
    "f_address": "示例市人民路1号",
    "f_business_scope": "热食类食品制售",
    "f_seats": "80",
    "delivery_method": "electronic",
    "delivery_address": "",
}


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def restaurant(service_city):
    city = service_city
    city.items = {"food": food_item(city), "fire": fire_item(city)}
    city.bundle = create_bundle(city, [city.items["food"], city.items["fire"]], description="开饭店，一次办")
    issue_business_license(city, city.enterprise)
    return city


def _apply(city, client):
    response = client.post(reverse("services:bundle_apply", args=[city.bundle.code]))
    assert response.status_code == 302
    return BundleApplication.objects.latest("id")


def _version(draft):
    draft.refresh_from_db()
    return str(draft.version)


def test_the_public_guide_shows_items_shared_fields_and_free_materials(restaurant, client):
    city = restaurant
    page = client.get(reverse("services:bundle_detail", args=[city.bundle.code])).content.decode()
    assert city.bundle.name in page and city.market.name in page and city.fire.name in page
    assert "共同信息（只填一次）" in page and "联系电话" in page
    assert "可由电子证照免提交" in page
    assert "登录后一次申请" in page
    city.bundle.status = BundleStatus.OFFLINE
    city.bundle.save(update_fields=["status"])
    assert client.get(reverse("services:bundle_detail", args=[city.bundle.code])).status_code == 404


def test_apply_once_fill_once_upload_once_submit_once(restaurant):
    city = restaurant
    client = signed_in(city.enterprise)
    draft = _apply(city, client)
    edit_url = reverse("services:bundle_edit", args=[draft.pk])
    page = client.get(edit_url).content.decode()
    assert page.count('name="f_address"') == 1 and "共同信息" in page
    assert "免提交" in page and "营业执照" in page
    token = re.search(r'name="client_token" value="([0-9a-f]{32})"', page).group(1)

    # bad answers are named beside their inputs
    response = client.post(
        edit_url, {**FORM, "f_seats": "很多", "version": _version(draft), "intent": "save"}
    )
    assert response.status_code == 400 and "座位数：" in response.content.decode()

    for code in ("application_form", "site_plan", "fire_plan"):
        response = client.post(
            reverse("services:bundle_material_upload", args=[draft.pk, code]),
            {"file": upload(f"{code}.pdf", PDF)},
        )
        assert response.status_code == 302
    response = client.post(
        edit_url, {**FORM, "version": _version(draft), "client_token": token, "intent": "submit"}
    )
    assert response.status_code == 302 and response.url == reverse("services:my_bundle", args=[draft.pk])
    # the double click's second request lands on the same bundle application
    again = client.post(
        edit_url, {**FORM, "version": _version(draft), "client_token": token, "intent": "submit"}
    )
    assert again.status_code == 302
    assert BundleApplication.objects.filter(is_draft=False).count() == 1
    assert Application.objects.filter(status=ApplicationStatus.SUBMITTED).count() == 2

    status_page = client.get(reverse("services:my_bundle", args=[draft.pk])).content.decode()
    assert "待受理" in status_page and city.fire.name in status_page
    for child in Application.objects.filter(bundle_application=draft):
        assert reverse("services:my_application", args=[child.pk]) in status_page
    assert city.bundle.name in client.get(reverse("services:my_bundles")).content.decode()

    response = client.post(reverse("services:bundle_withdraw", args=[draft.pk]), {"reason": ""})
    assert response.status_code == 400 and "请填写撤回理由" in response.content.decode()
    response = client.post(reverse("services:bundle_withdraw", args=[draft.pk]), {"reason": "暂不开业"})
    assert response.status_code == 302
    assert "已撤回" in client.get(reverse("services:my_bundle", args=[draft.pk])).content.decode()


def test_submitting_an_incomplete_bundle_names_what_is_missing_and_keeps_what_was_typed(restaurant):
    city = restaurant
    client = signed_in(city.enterprise)
    draft = _apply(city, client)
    response = client.post(
        reverse("services:bundle_edit", args=[draft.pk]),
        {**FORM, "f_seats": "", "version": _version(draft), "intent": "submit"},
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "座位数：必填" in page and "申请材料尚不齐全" in page
    draft.refresh_from_db()
    assert draft.is_draft and draft.form_data["address"] == "示例市人民路1号"


def test_another_citizen_gets_404_everywhere(restaurant):
    city = restaurant
    draft = _apply(city, signed_in(city.enterprise))
    stranger = signed_in(city.other_citizen)
    for name in ("services:bundle_edit", "services:my_bundle"):
        assert stranger.get(reverse(name, args=[draft.pk])).status_code == 404
    assert (
        stranger.post(reverse("services:bundle_withdraw", args=[draft.pk]), {"reason": "x"}).status_code
        == 404
    )
    url = reverse("services:bundle_material_upload", args=[draft.pk, "site_plan"])
    assert stranger.post(url, {"file": upload("x.pdf", PDF)}).status_code == 404
    # a citizen is not the bundle's 服务对象 (法人): told so, nothing made
    response = stranger.post(reverse("services:bundle_apply", args=[city.bundle.code]))
    assert response.status_code == 403 and BundleApplication.objects.count() == 1


def test_the_workbench_creates_publishes_and_unpublishes(restaurant):
    city = restaurant
    client = signed_in(city.service_manager)
    assert client.get(reverse("services:bundles_office")).status_code == 200
    data = {
        "code": "birth",
        "name": "新生儿出生一件事",
        "life_event": "birth",
        "subject": "enterprise",
        "lead_department": city.market.pk,
        "items": [city.items["food"].pk],
    }
    response = client.post(reverse("services:bundle_office_create"), {**data, "code": "坏代码", "name": ""})
    assert response.status_code == 400 and "请填写名称" in response.content.decode()
    assert client.post(reverse("services:bundle_office_create"), data).status_code == 302
    response = client.post(reverse("services:bundle_office_publish", args=["birth"]))
    assert response.status_code == 400 and "一件事至少包含2个事项" in response.content.decode()
    edit = reverse("services:bundle_office_edit", args=["birth"])
    items = [city.items["food"].pk, city.items["fire"].pk]
    response = client.post(edit, {**data, "items": items, "version": "1"})
    assert response.status_code == 302
    stale = client.post(edit, {**data, "items": items, "name": "旧的", "version": "1"})
    assert stale.status_code == 409
    assert client.post(reverse("services:bundle_office_publish", args=["birth"])).status_code == 302
    assert Bundle.objects.get(code="birth").status == BundleStatus.PUBLISHED
    assert client.post(reverse("services:bundle_office_unpublish", args=["birth"])).status_code == 302
    assert Bundle.objects.get(code="birth").status == BundleStatus.OFFLINE


def test_the_workbench_is_for_the_service_manager_only(restaurant):
    city = restaurant
    assert signed_in(city.market_admin).get(reverse("services:bundles_office")).status_code == 403
    assert signed_in(city.citizen).get(reverse("services:bundles_office")).status_code == 404
    response = signed_in(city.market_admin).post(
        reverse("services:bundle_office_publish", args=[city.bundle.code])
    )
    assert response.status_code == 403
