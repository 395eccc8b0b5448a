"""/api/v1/services — 申请 end to end, and what it answers to other people and bad input."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from yiwang.services.models import Application
from yiwang.services.tests.factories import FOOD_ANSWERS, food_item, issue_business_license, pdf_upload
from yiwang.services.tests.test_applying_withdraw import ask_correction
from yiwang.workflow.models_runtime import ProcessInstance

BASE = "/api/v1/services"


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


def send(client, method: str, path: str, data=None):
    body = json.dumps(data, ensure_ascii=False) if data is not None else ""
    return client.generic(method, BASE + path, body, content_type="application/json")


def test_apply_fill_upload_and_submit_through_the_api(service_city):
    city = service_city
    licence = issue_business_license(city, city.enterprise)
    item = food_item(city)
    api = signed_in(city.enterprise)

    created = send(api, "POST", "/applications", {"item_id": item.pk})
    assert created.status_code == 201, created.content
    body = created.json()
    app_id = body["id"]
    free = next(m for m in body["materials"] if m["code"] == "business_license")
    assert (
        free["source"] == "license"
        and free["license_id"] == licence.pk
        and licence.identifier in free["provided_by"]
    )

    saved = send(api, "PUT", f"/applications/{app_id}", {"form": FOOD_ANSWERS, "version": body["version"]})
    assert saved.status_code == 200, saved.content
    answers = {a["code"]: a["value"] for a in saved.json()["form"]}
    assert answers["contact_phone"] == "138****8000"

    uploaded = api.post(
        f"{BASE}/applications/{app_id}/materials/application_form/files", {"file": pdf_upload()}
    )
    assert uploaded.status_code == 201 and uploaded.json()["source"] == "uploaded"
    file_id = uploaded.json()["files"][0]["id"]
    assert (
        send(api, "POST", f"/applications/{app_id}/materials/site_plan/promise").json()["source"]
        == "promised"
    )

    first = send(api, "POST", f"/applications/{app_id}/submit", {"client_token": "api-1"})
    again = send(api, "POST", f"/applications/{app_id}/submit", {"client_token": "api-1"})
    assert first.status_code == 200 and first.json()["status"] == "submitted"
    assert again.json()["number"] == first.json()["number"] and ProcessInstance.objects.count() == 1
    progress = first.json()["progress"]
    assert [s["name"] for s in progress["steps"]] == ["预审"] and progress["promised"] == "10个工作日"

    listed = api.get(f"{BASE}/applications", {"status": "submitted"}).json()
    assert [row["id"] for row in listed["items"]] == [app_id] and listed["count"] == 1
    assert api.get(f"/files/{file_id}/").status_code == 200  # the applicant downloads their copy
    assert signed_in(city.other_citizen).get(f"/files/{file_id}/").status_code == 404


def test_another_person_gets_404_for_every_operation(service_city):
    city = service_city
    api = signed_in(city.enterprise)
    app_id = send(api, "POST", "/applications", {"item_id": food_item(city).pk}).json()["id"]
    stranger = signed_in(city.other_citizen)
    assert stranger.get(f"{BASE}/applications/{app_id}").status_code == 404
    assert send(stranger, "PUT", f"/applications/{app_id}", {"form": {}, "version": 1}).status_code == 404
    assert send(stranger, "POST", f"/applications/{app_id}/submit", {}).status_code == 404
    assert send(stranger, "POST", f"/applications/{app_id}/withdraw", {"reason": "x"}).status_code == 404
    upload = stranger.post(f"{BASE}/applications/{app_id}/materials/site_plan/files", {"file": pdf_upload()})
    assert upload.status_code == 404
    assert stranger.get(f"{BASE}/applications").json()["count"] == 0
    official = signed_in(city.market_approver)
    assert official.get(f"{BASE}/applications/{app_id}").status_code == 404


def test_bad_input_is_named_and_never_a_500(service_city):
    city = service_city
    api = signed_in(city.enterprise)
    app_id = send(api, "POST", "/applications", {"item_id": food_item(city).pk}).json()["id"]
    checks = [
        send(api, "POST", "/applications", {"item_id": 0}),
        send(api, "POST", "/applications", {"item_id": 2**62}),
        send(api, "POST", "/applications", {"item_id": "abc"}),
        send(api, "PUT", f"/applications/{app_id}", {"form": "not a dict", "version": 1}),
        send(api, "PUT", f"/applications/{app_id}", {"form": {}}),
        send(api, "PUT", f"/applications/{app_id}", {"form": {"contact_phone": ["x"]}, "version": 1}),
        send(api, "PUT", f"/applications/{app_id}", {"form": {}, "version": 1, "delivery_method": "pigeon"}),
        send(api, "POST", f"/applications/{app_id}/submit", {"client_token": "a" * 65}),
        send(api, "POST", f"/applications/{app_id}/materials/no_such/promise"),
        send(api, "POST", f"/applications/{app_id}/materials/site_plan/reuse", {"personal_material_id": 99}),
        send(api, "DELETE", f"/applications/{app_id}/materials/site_plan/files/99999"),
        api.get(f"{BASE}/applications/99999999999999999999"),
        api.get(f"{BASE}/applications", {"status": "bogus"}),
    ]
    assert [r.status_code for r in checks] == [
        422,
        404,
        422,
        422,
        422,
        422,
        422,
        422,
        404,
        404,
        404,
        404,
        422,
    ]
    phone = checks[5].json()["error"]["fields"]
    assert phone == {"form.contact_phone": "联系电话：格式不正确"}
    assert "delivery_method" in checks[6].json()["error"]["fields"]
    incomplete = send(api, "POST", f"/applications/{app_id}/submit", {})
    fields = incomplete.json()["error"]["fields"]
    assert (
        incomplete.status_code == 422 and "materials.application_form" in fields and "form.address" in fields
    )
    wrong_type = api.post(
        f"{BASE}/applications/{app_id}/materials/site_plan/files",
        {"file": SimpleUploadedFile("plan.pdf", b"GIF89a" + b"\x00" * 64, content_type="application/pdf")},
    )
    assert wrong_type.status_code == 422
    assert wrong_type.json()["error"]["fields"]["materials.site_plan"].startswith("不支持的文件类型")


def test_an_agent_applies_for_the_enterprise_and_reuses_its_materials(service_city):
    city = service_city
    item = food_item(city)
    api = signed_in(city.agent)
    assert send(api, "POST", "/applications", {"item_id": item.pk}).status_code == 422  # not for a citizen
    created = send(api, "POST", "/applications", {"item_id": item.pk, "applicant_id": city.enterprise.pk})
    assert created.status_code == 201 and created.json()["applicant_name"] == "示范餐饮有限公司"
    app_id = created.json()["id"]
    api.post(f"{BASE}/applications/{app_id}/materials/site_plan/files", {"file": pdf_upload()})
    materials = api.get(f"{BASE}/materials", {"principal_id": city.enterprise.pk}).json()
    assert [m["code"] for m in materials["items"]] == ["site_plan"]
    other = send(
        api,
        "POST",
        "/applications",
        {"item_id": food_item(city, name="变更").pk, "applicant_id": city.enterprise.pk},
    )
    reused = send(
        api,
        "POST",
        f"/applications/{other.json()['id']}/materials/site_plan/reuse",
        {"personal_material_id": materials["items"][0]["id"]},
    )
    assert reused.status_code == 200 and reused.json()["source"] == "reused"
    stranger = send(
        signed_in(city.other_citizen),
        "POST",
        "/applications",
        {"item_id": item.pk, "applicant_id": city.enterprise.pk},
    )
    assert stranger.status_code == 404


def test_withdraw_and_resubmit_through_the_api(service_city):
    city = service_city
    issue_business_license(city, city.enterprise)
    api = signed_in(city.enterprise)
    app_id = send(api, "POST", "/applications", {"item_id": food_item(city).pk}).json()["id"]
    send(api, "PUT", f"/applications/{app_id}", {"form": FOOD_ANSWERS, "version": 1})
    api.post(f"{BASE}/applications/{app_id}/materials/application_form/files", {"file": pdf_upload()})
    api.post(f"{BASE}/applications/{app_id}/materials/site_plan/files", {"file": pdf_upload(marker="plan")})
    send(api, "POST", f"/applications/{app_id}/submit", {})
    ask_correction(city, Application.objects.get(pk=app_id), {"site_plan": "比例不清"})
    detail = api.get(f"{BASE}/applications/{app_id}").json()
    assert detail["status"] == "supplement" and detail["progress"]["corrections"][0]["problem"] == "比例不清"
    early = send(api, "POST", f"/applications/{app_id}/resubmit", {"note": ""})
    assert early.status_code == 422 and "materials.site_plan" in early.json()["error"]["fields"]
    api.post(f"{BASE}/applications/{app_id}/materials/site_plan/files", {"file": pdf_upload(marker="fixed")})
    assert (
        send(api, "POST", f"/applications/{app_id}/resubmit", {"note": "已改"}).json()["status"]
        == "submitted"
    )
    assert send(api, "POST", f"/applications/{app_id}/withdraw", {"reason": ""}).status_code == 422
    withdrawn = send(api, "POST", f"/applications/{app_id}/withdraw", {"reason": "不办了"})
    assert withdrawn.status_code == 200 and withdrawn.json()["status"] == "withdrawn"
