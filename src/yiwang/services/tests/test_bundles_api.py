"""/api/v1/services — 一件事: the public bundles, their management, and one bundle application
from draft to submission and withdrawal."""

import json

import pytest
from django.test import Client

from yiwang.core.files.tests.samples import PDF, upload
from yiwang.services.models import Application, Bundle, BundleApplication
from yiwang.services.tests.factories import create_bundle, fire_item, food_item, issue_business_license

BASE = "/api/v1/services"


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def send(client, method: str, path: str, data=None):
    body = json.dumps(data if data is not None else {}, ensure_ascii=False)
    return client.generic(method, BASE + path, body, content_type="application/json")


@pytest.fixture
def restaurant(service_city):
    city = service_city
    city.items = {"food": food_item(city), "fire": fire_item(city)}
    city.bundle = create_bundle(city, [city.items["food"], city.items["fire"]])
    issue_business_license(city, city.enterprise)
    return city


def test_the_public_reads_published_bundles_with_the_merged_form(restaurant, client):
    city = restaurant
    rows = client.get(f"{BASE}/bundles").json()
    assert rows["count"] == 1 and rows["items"][0]["code"] == city.bundle.code
    detail = client.get(f"{BASE}/bundles/{city.bundle.code}").json()
    assert [f["code"] for f in detail["shared_fields"]] == ["contact_name", "contact_phone", "address"]
    assert {m["code"]: m["replaceable_by"] for m in detail["materials"]}["business_license"] == ["电子证照"]
    assert [i["department"] for i in detail["items"]] == [city.market.name, city.fire.name]
    assert client.get(f"{BASE}/bundles/no-such-bundle").status_code == 404
    assert client.get(f"{BASE}/bundles?life_event=birth").json()["count"] == 0


def test_the_manager_creates_updates_publishes_and_unpublishes(restaurant):
    city = restaurant
    manager = signed_in(city.service_manager)
    payload = {
        "code": "open-shop",
        "name": "开办小店一件事",
        "life_event": "start_business",
        "subject": "enterprise",
        "lead_department_id": city.market.pk,
        "item_ids": [city.items["food"].pk, city.items["fire"].pk],
    }
    assert send(signed_in(city.citizen), "POST", "/bundles", payload).status_code == 403
    bad = send(manager, "POST", "/bundles", {**payload, "life_event": "nope", "lead_department_id": 999999})
    assert bad.status_code == 422 and "lead_department_id" in bad.json()["error"]["fields"]
    created = send(manager, "POST", "/bundles", payload)
    assert created.status_code == 201 and created.json()["status"] == "draft"
    updated = send(manager, "PUT", "/bundles/open-shop", {"version": 1, "keywords": "小店 开店"})
    assert updated.status_code == 200 and updated.json()["version"] == 2
    assert send(manager, "PUT", "/bundles/open-shop", {"version": 1, "name": "旧"}).status_code == 409
    assert send(manager, "POST", "/bundles/open-shop/publish").json()["status"] == "published"
    assert send(manager, "POST", "/bundles/open-shop/unpublish").json()["status"] == "offline"
    assert send(manager, "POST", "/bundles/open-shop/unpublish").status_code == 409
    assert send(manager, "POST", "/bundles/nothing/publish").status_code == 404


def test_one_bundle_application_from_draft_to_withdrawal(restaurant):
    city = restaurant
    api = signed_in(city.enterprise)
    created = send(api, "POST", "/bundle-applications", {"bundle_code": city.bundle.code})
    assert created.status_code == 201
    body = created.json()
    draft_id = body["id"]
    assert body["status_label"] == "草稿" and len(body["applications"]) == 2
    assert {m["code"]: m["free_note"] for m in body["materials"]}["business_license"].startswith(
        "已由电子证照"
    )

    saved = send(
        api,
        "PUT",
        f"/bundle-applications/{draft_id}",
        {
            "version": body["version"],
            "form": {
                "contact_name": "王店长",
                "contact_phone": "13800138000",
                "address": "人民路1号",
                "business_scope": "热食",
                "seats": 60,
            },
        },
    )
    assert saved.status_code == 200
    answers = {a["code"]: a["value"] for a in saved.json()["answers"]}
    assert answers["contact_phone"] != "13800138000" and answers["contact_phone"].startswith("138")

    for code in ("application_form", "site_plan", "fire_plan"):
        response = api.post(
            f"{BASE}/bundle-applications/{draft_id}/materials/{code}/files",
            {"file": upload(f"{code}.pdf", PDF)},
        )
        assert response.status_code == 201
    states = {m["code"]: m["satisfied"] for m in response.json()["materials"]}
    assert states["site_plan"] and states["fire_plan"]

    first = send(api, "POST", f"/bundle-applications/{draft_id}/submit", {"client_token": "tok-1"})
    again = send(api, "POST", f"/bundle-applications/{draft_id}/submit", {"client_token": "tok-1"})
    assert first.status_code == again.status_code == 200
    assert first.json()["number"] == again.json()["number"] and first.json()["status_label"] == "待受理"
    assert Application.objects.exclude(number=None).count() == 2
    assert send(api, "GET", "/bundle-applications").json()["items"][0]["number"] == first.json()["number"]

    withdrawn = send(api, "POST", f"/bundle-applications/{draft_id}/withdraw", {"reason": "暂不开业"})
    assert withdrawn.status_code == 200 and withdrawn.json()["status_label"] == "已撤回"


def test_bad_and_foreign_requests_are_refused_without_500(restaurant):
    city = restaurant
    draft = send(
        signed_in(city.enterprise), "POST", "/bundle-applications", {"bundle_code": city.bundle.code}
    ).json()
    stranger = signed_in(city.other_citizen)
    assert send(stranger, "GET", f"/bundle-applications/{draft['id']}").status_code == 404
    assert (
        send(stranger, "PUT", f"/bundle-applications/{draft['id']}", {"version": 1, "form": {}}).status_code
        == 404
    )
    assert send(stranger, "POST", f"/bundle-applications/{draft['id']}/submit", {}).status_code == 404
    assert (
        send(stranger, "POST", "/bundle-applications", {"bundle_code": city.bundle.code}).status_code == 422
    )
    assert send(stranger, "GET", "/bundle-applications/99999999999999999999").status_code in (404, 422)
    owner = signed_in(city.enterprise)
    bad = send(owner, "PUT", f"/bundle-applications/{draft['id']}", {"version": 1, "form": {"seats": "很多"}})
    assert bad.status_code == 422 and bad.json()["error"]["fields"]["form.seats"].startswith("座位数")
    missing = send(owner, "POST", f"/bundle-applications/{draft['id']}/submit", {"client_token": "坏 令牌"})
    assert missing.status_code == 422
    incomplete = send(owner, "POST", f"/bundle-applications/{draft['id']}/submit", {})
    assert incomplete.status_code == 422 and "materials.site_plan" in incomplete.json()["error"]["fields"]
    assert send(owner, "POST", "/bundle-applications", {"bundle_code": "nope"}).status_code == 404
    assert send(owner, "POST", f"/bundle-applications/{draft['id']}/materials/zzz/files").status_code == 422
    assert BundleApplication.objects.filter(is_draft=False).count() == 0
    assert Bundle.objects.get().popularity == 0
