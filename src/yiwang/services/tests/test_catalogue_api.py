"""/api/v1/services/items and /windows end to end."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from yiwang.core.tests import factories as core
from yiwang.services.models import ServiceItem
from yiwang.services.tests.factories import CATALOGUE_CONTENT, catalogue_item, food_item

pytestmark = pytest.mark.django_db
BASE = "/api/v1/services"


def send(client, method: str, path: str, data=None):
    body = json.dumps(data, ensure_ascii=False) if data is not None else ""
    return client.generic(method, BASE + path, body, content_type="application/json")


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_draft_submit_publish_and_read_the_guide_through_the_api(service_city):
    city = service_city
    admin, publisher, anonymous = signed_in(city.market_admin), signed_in(city.service_manager), Client()
    created = send(
        admin,
        "POST",
        "/items",
        {
            "department_id": city.market.pk,
            "base_code": "330100ABCD0007",
            "content": {"name": "食品经营许可", "item_type": "licensing"},
        },
    )
    assert created.status_code == 201, created.content
    body = created.json()
    item_id, number = body["item_id"], body["number"]
    assert body["implementation_code"].startswith("330100ABCD0007-330100000000-000-")
    updated = send(
        admin,
        "PUT",
        f"/items/{item_id}/versions/{number}",
        {
            "expected_version": body["edit_version"],
            "content": {**CATALOGUE_CONTENT, "name": "食品经营许可", "acceptance_department": city.hall.pk},
        },
    )
    assert updated.status_code == 200, updated.content
    assert updated.json()["acceptance_department"] == city.hall.pk
    stale = send(
        admin,
        "PUT",
        f"/items/{item_id}/versions/{number}",
        {"expected_version": body["edit_version"], "content": {"visits": 1}},
    )
    assert stale.status_code == 409
    materials = send(
        admin,
        "PUT",
        f"/items/{item_id}/versions/{number}/materials",
        {
            "expected_version": updated.json()["edit_version"],
            "materials": [
                {"code": "business_license", "name": "营业执照", "license_type": city.business_type.code}
            ],
        },
    )
    assert materials.status_code == 200 and materials.json()["materials"][0]["code"] == "business_license"
    submitted = send(
        admin,
        "POST",
        f"/items/{item_id}/versions/{number}/submit",
        {"expected_version": materials.json()["edit_version"]},
    )
    assert submitted.status_code == 200 and submitted.json()["status"] == "submitted"
    assert send(admin, "POST", f"/items/{item_id}/versions/{number}/publish", {}).status_code == 403
    assert anonymous.get(f"{BASE}/items/{item_id}").status_code == 404  # not yet published
    published = send(publisher, "POST", f"/items/{item_id}/versions/{number}/publish", {"opinion": "同意"})
    assert published.status_code == 200 and published.json()["status"] == "published"

    guide = anonymous.get(f"{BASE}/items/{item_id}")
    assert guide.status_code == 200
    data = guide.json()
    assert data["item"]["subjects"] == ["enterprise"] and data["version"]["promised_limit"] == 10
    assert data["materials"][0]["license_type_name"] == "营业执照"
    assert data["acceptance_department_name"] == "市政务服务中心" and data["steps"][0] == "申请"
    listed = anonymous.get(f"{BASE}/items", {"subject": "enterprise", "theme": "food_drug"}).json()
    assert [row["id"] for row in listed["items"]] == [item_id]
    assert anonymous.get(f"{BASE}/items", {"subject": "citizen"}).json()["count"] == 0

    versions = admin.get(f"{BASE}/items/{item_id}/versions")
    assert [v["status"] for v in versions.json()] == ["published"]
    draft = send(admin, "POST", f"/items/{item_id}/drafts")
    assert draft.status_code == 201 and draft.json()["number"] == 2
    assert send(admin, "POST", f"/items/{item_id}/drafts").status_code == 409
    offline = send(publisher, "POST", f"/items/{item_id}/unpublish", {"reason": "暂停办理"})
    assert offline.status_code == 200 and offline.json()["status"] == "offline"
    assert anonymous.get(f"{BASE}/items/{item_id}").status_code == 404
    assert send(publisher, "POST", f"/items/{item_id}/restore").json()["status"] == "published"


def test_bad_fields_come_back_named_and_malformed_bodies_are_not_500(service_city):
    admin = signed_in(service_city.market_admin)
    item = catalogue_item(service_city)
    version = item.versions.get()
    refused = send(
        admin,
        "PUT",
        f"/items/{item.pk}/versions/1",
        {"expected_version": version.edit_version, "content": {"online_depth": 9, "subjects": ["alien"]}},
    )
    assert refused.status_code == 422
    assert set(refused.json()["error"]["fields"]) == {"online_depth", "subjects"}
    for body in ("{not json", "[]", '{"expected_version": "x", "content": 5}', '{"content": {}}'):
        response = admin.generic(
            "PUT", f"{BASE}/items/{item.pk}/versions/1", body, content_type="application/json"
        )
        assert response.status_code in (400, 422), (body, response.status_code)
    for path in ("/items", f"/items/{item.pk}/versions/1/materials", f"/items/{item.pk}/versions/1/submit"):
        assert admin.generic(
            "POST" if path.endswith(("items", "submit")) else "PUT",
            BASE + path,
            "\x00{",
            content_type="application/json",
        ).status_code in (400, 422)
    assert Client().get(f"{BASE}/items", {"offset": "-1"}).status_code in (400, 422)
    assert Client().get(f"{BASE}/items/99999999999999999999").status_code == 404


def test_another_departments_admin_sees_nothing_and_anonymous_officials_calls_need_sign_in(service_city):
    item = catalogue_item(service_city)
    fire_admin = signed_in(core.create_official(department=service_city.fire, role="dept_admin"))
    assert fire_admin.get(f"{BASE}/items/{item.pk}/versions").status_code == 404
    assert (
        send(
            fire_admin, "PUT", f"/items/{item.pk}/versions/1", {"expected_version": 1, "content": {}}
        ).status_code
        == 404
    )
    assert send(fire_admin, "POST", f"/items/{item.pk}/drafts").status_code == 404
    assert Client().get(f"{BASE}/items/{item.pk}/versions").status_code == 401
    citizen = signed_in(service_city.citizen)
    assert citizen.get(f"{BASE}/items/{item.pk}/versions").status_code == 403


def test_windows_through_the_api(service_city):
    manager = signed_in(service_city.service_manager)
    created = send(
        manager,
        "POST",
        "/windows",
        {"department_id": service_city.hall.pk, "code": "C03", "name": "不动产窗口"},
    )
    assert created.status_code == 201 and created.json()["code"] == "C03"
    duplicate = send(
        manager, "POST", "/windows", {"department_id": service_city.hall.pk, "code": "c03", "name": "重复"}
    )
    assert duplicate.status_code == 422 and "C03" in duplicate.json()["error"]["fields"]["code"]
    assert manager.get(f"{BASE}/windows").json()["count"] == 2
    off = send(manager, "POST", f"/windows/{created.json()['id']}/deactivate")
    assert off.status_code == 200 and off.json()["is_active"] is False
    assert signed_in(service_city.market_admin).get(f"{BASE}/windows").status_code == 403


def test_the_public_list_costs_the_same_few_queries_however_many_items(
    service_city, django_assert_max_num_queries
):
    for index in range(12):
        food_item(service_city, name=f"事项{index}", base_code=f"330100ABCD{index:04d}")
    assert ServiceItem.objects.count() == 12
    client = Client()
    with django_assert_max_num_queries(10):  # the throttle's cache (6), count, page
        response = client.get(f"{BASE}/items", {"limit": 50})
    assert response.json()["count"] == 12
