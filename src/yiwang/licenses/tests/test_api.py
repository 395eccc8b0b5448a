"""/api/v1/licenses end to end: public keys and verification, the wallet, the officials' side."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from yiwang.core import personal_data
from yiwang.licenses.models import License, LicenseType
from yiwang.licenses.tests import library_fixtures
from yiwang.licenses.tests.library_fixtures import FOOD_DATA, FOOD_FIELDS, issue_food, issue_health

pytestmark = pytest.mark.django_db
library = library_fixtures.library  # the fixture, used by name
BASE = "/api/v1/licenses"


def send(client, method: str, path: str, data=None):
    body = json.dumps(data, ensure_ascii=False) if data is not None else ""
    return client.generic(method, BASE + path, body, content_type="application/json")


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_issue_verify_wallet_share_lookup_revise_revoke_through_the_api(library):
    approver = signed_in(library.approver)
    issued = send(
        approver,
        "POST",
        "/issue",
        {
            "type_code": library.food_type.code,
            "holder_code": library.enterprise.uscc,
            "number": "JY23301000000009",
            "data": FOOD_DATA,
        },
    )
    assert issued.status_code == 201, issued.content
    body = issued.json()
    identifier = body["identifier"]
    assert body["holder_code_masked"] == library.enterprise.uscc and body["status"] == "valid"

    anonymous = Client()
    verified = anonymous.get(f"{BASE}/verify/{identifier}")
    assert verified.status_code == 200 and verified.json()["status"] == "valid"

    holder = signed_in(library.enterprise)
    wallet = holder.get(f"{BASE}/mine").json()
    assert [item["identifier"] for item in wallet["items"]] == [identifier]
    signed = holder.get(f"{BASE}/{body['id']}/signed")
    assert signed.status_code == 200
    offline = send(anonymous, "POST", "/verify", signed.json())
    assert offline.json()["status"] == "valid"

    shared = send(holder, "POST", f"/{body['id']}/share", {"hours": 2})
    assert shared.status_code == 201
    opened = anonymous.get(shared.json()["url"])
    assert opened.status_code == 200 and opened.json()["holder_name"] == "示范餐饮有限公司"

    found = send(
        signed_in(library.clerk),
        "POST",
        "/lookup",
        {"holder_code": library.enterprise.uscc, "type_code": library.food_type.code, "purpose": "免提交"},
    )
    assert found.json()["found"] is True and found.json()["license"]["data"]["capital"] == 100
    uses = holder.get(f"{BASE}/mine/uses").json()["items"]
    assert [(u["used_by"], u["purpose"]) for u in uses] == [("窗口人员", "免提交")]

    revised = send(approver, "POST", f"/{body['id']}/revise", {"number": "JY-2", "reason": "更正"})
    assert revised.status_code == 201 and revised.json()["version"] == 2
    assert anonymous.get(f"{BASE}/verify/{identifier}").json()["status"] == "superseded"
    revoked = send(approver, "POST", f"/{revised.json()['id']}/revoke", {"reason": "注销"})
    assert revoked.status_code == 200 and revoked.json()["status"] == "revoked"
    assert anonymous.get(f"{BASE}/verify/{revised.json()['identifier']}").json()["status"] == "revoked"


def test_missing_fields_are_named_in_the_error_envelope(library):
    response = send(
        signed_in(library.approver),
        "POST",
        "/issue",
        {
            "type_code": library.food_type.code,
            "holder_code": library.enterprise.uscc,
            "number": "1",
            "data": {},
        },
    )
    assert response.status_code == 422
    fields = response.json()["error"]["fields"]
    assert fields["data.business_scope"] == "缺少“经营项目”" and "data.category" in fields


def test_a_holder_cannot_reach_another_holders_licence(library):
    issued = issue_health(library)
    other = signed_in(library.other_citizen)
    assert other.get(f"{BASE}/{issued.pk}/signed").status_code == 404
    assert send(other, "POST", f"/{issued.pk}/share", {"hours": 1}).status_code == 404
    assert other.get(f"{BASE}/mine").json()["count"] == 0
    looked_up = send(
        other,
        "POST",
        "/lookup",
        {"holder_code": library.citizen.id_number, "type_code": library.health_type.code, "purpose": "看看"},
    )
    assert looked_up.status_code == 403


def test_an_official_of_another_department_cannot_revoke_or_issue(library):
    issued = issue_food(library)
    police = signed_in(library.police_approver)
    assert send(police, "POST", f"/{issued.pk}/revoke", {"reason": "越权"}).status_code == 404
    assert send(police, "POST", f"/{issued.pk}/revise", {"number": "X"}).status_code == 404
    response = send(
        police,
        "POST",
        "/issue",
        {
            "type_code": library.food_type.code,
            "holder_code": library.enterprise.uscc,
            "number": "1",
            "data": FOOD_DATA,
        },
    )
    assert response.status_code == 403
    assert License.objects.get().status == "valid"


def test_the_keys_endpoint_publishes_public_keys_only(library):
    response = Client().get(f"{BASE}/keys")
    assert response.status_code == 200
    key = response.json()["items"][0]
    assert key["key_id"] == library.key.key_id and key["department_uscc"] == library.market.uscc
    assert key["public_key_raw_hex"].startswith("04") and len(key["public_key_raw_hex"]) == 130
    text = response.content.decode()
    private_pem = personal_data.decrypt(library.key.private_pem_encrypted)
    assert "PRIVATE" not in text and "private" not in text
    assert private_pem.splitlines()[1] not in text
    assert library.key.private_pem_encrypted.split("$")[1][:20] not in text


def test_key_generation_and_revocation_through_the_api(library):
    admin = signed_in(library.market_admin)
    rotated = send(admin, "POST", "/keys", {"department_id": library.market.pk})
    assert rotated.status_code == 201 and rotated.json()["status"] == "active"
    refused = send(signed_in(library.approver), "POST", "/keys", {"department_id": library.market.pk})
    assert refused.status_code == 403
    revoked = send(admin, "POST", f"/keys/{rotated.json()['key_id']}/revoke", {"reason": "泄露"})
    assert revoked.status_code == 200 and revoked.json()["status"] == "revoked"
    assert send(admin, "POST", "/keys/NOPE/revoke", {"reason": "x"}).status_code == 404


def test_types_are_created_and_edited_with_versions(library):
    admin = signed_in(library.sys_admin)
    created = send(
        admin,
        "POST",
        "/types",
        {
            "code": f"{library.market.uscc}020",
            "name": "小餐饮登记证",
            "holder_kind": "legal_person",
            "defining_department_id": library.market.pk,
            "issuer_ids": [library.market.pk],
            "fields": FOOD_FIELDS,
            "validity": {"months": 36},
        },
    )
    assert created.status_code == 201, created.content
    type_id, version = created.json()["id"], created.json()["version"]
    edited = send(
        admin, "PATCH", f"/types/{type_id}", {"version": version, "replaces": ["小餐饮登记证复印件"]}
    )
    assert edited.status_code == 200 and edited.json()["replaces"] == ["小餐饮登记证复印件"]
    stale = send(admin, "PATCH", f"/types/{type_id}", {"version": version, "name": "旧"})
    assert stale.status_code == 409
    bad = send(admin, "PATCH", f"/types/{type_id}", {"version": version + 1, "validity": {"days": 3}})
    assert bad.status_code == 422 and "validity" in bad.json()["error"]["fields"]
    assert send(signed_in(library.approver), "POST", "/types", {}).status_code == 422
    listed = signed_in(library.clerk).get(f"{BASE}/types").json()
    assert {t["code"] for t in listed["items"]} == set(LicenseType.objects.values_list("code", flat=True))


@pytest.mark.parametrize(
    "path",
    ["/verify/abc", "/verify/1.2.156.3005.2", "/verify/%E4%B8%AD", f"/verify/{'9' * 300}"],
)
def test_any_identifier_gets_a_verification_answer(library, path):
    response = Client().get(BASE + path)
    assert response.status_code == 200 and response.json()["status"] == "forged"


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ("{not json", 400),
        (json.dumps({"payload": "x"}), 422),
        (json.dumps({"payload": {}, "signature": "", "key_id": "", "algorithm": ""}), 422),
    ],
)
def test_a_malformed_upload_is_refused_in_the_envelope_never_a_500(library, body, status):
    response = Client().generic("POST", f"{BASE}/verify", body, content_type="application/json")
    assert response.status_code == status and response.json()["error"]["message"]
    if status == 422:
        assert response.json()["error"]["fields"]


def test_an_expired_share_token_is_404(library):
    assert Client().get(f"{BASE}/shared/{'a' * 43}").status_code == 404


def test_wallet_query_count_does_not_grow_with_licences(library, django_assert_max_num_queries):
    for number in range(4):
        issue_food(library, number=f"JY{number}")
    holder = signed_in(library.enterprise)
    with django_assert_max_num_queries(10):
        response = holder.get(f"{BASE}/mine")
    assert response.json()["count"] == 4
