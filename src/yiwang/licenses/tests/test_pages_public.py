"""证照核验 pages (public, no sign-in): by identifier — typed or from the QR code — and by an
uploaded signed licence JSON; what a visitor sees, and what they never see."""

from __future__ import annotations

import json
import re
from datetime import date

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from yiwang.licenses.identifiers import ALPHABET, build_identifier, parse_identifier
from yiwang.licenses.models import License
from yiwang.licenses.services.payload import signed_document
from yiwang.licenses.services.revising import license_revise, license_revoke
from yiwang.licenses.tests import library_fixtures
from yiwang.licenses.tests.library_fixtures import issue_food, issue_health

pytestmark = pytest.mark.django_db
library = library_fixtures.library  # the fixture, used by name
VERIFY = "/licenses/verify/"


def verdict(html: str) -> str:
    found = re.search(r'<h2 id="verdict-h" class="verdict-label">([^<]*)</h2>', html)
    return found.group(1) if found else ""


def reason(html: str) -> str:
    found = re.search(r'<p class="verdict-reason">([^<]*)</p>', html)
    return found.group(1) if found else ""


def open_result(client, identifier: str):
    response = client.get(f"{VERIFY}{identifier}/")
    return response, response.content.decode()


def test_a_valid_licence_shows_valid_with_type_issuer_dates_and_only_the_masked_name(client, library):
    issued = issue_health(library)
    response, html = open_result(client, issued.identifier)
    assert response.status_code == 200
    assert verdict(html) == "有效"
    for shown in ("健康证明", "市市场监督管理局", issued.issued_on.isoformat(), "张*丰", "第 1 版"):
        assert shown in html
    # Nothing of the holder beyond the masked name: no full name, ID number, or licence fields.
    assert "张三丰" not in html and library.citizen.id_number not in html and "食品从业人员" not in html
    assert response["Cache-Control"].startswith("max-age=0")  # a revocation shows on the next load


def test_a_revoked_licence_shows_revoked_at_once_without_the_reason(client, library):
    issued = issue_food(library)
    license_revoke(actor=library.approver, license=issued, reason="经营者申请注销")
    _, html = open_result(client, issued.identifier)
    assert verdict(html) == "已吊销"
    assert "注销" not in html


def test_an_expired_licence_shows_expired_with_its_end_date(client, library):
    with time_machine.travel(date(2026, 3, 1), tick=False):
        issued = issue_health(library)
    with time_machine.travel(date(2027, 3, 1), tick=False):
        _, html = open_result(client, issued.identifier)
    assert verdict(html) == "已过期"
    assert "2027-02-28" in reason(html)


def test_a_superseded_version_names_and_links_the_newest(client, library):
    old = issue_food(library)
    new = license_revise(actor=library.approver, license=old, number="JY-NEW")
    _, html = open_result(client, old.identifier)
    assert verdict(html) == "已被新版本替代"
    assert f'href="{VERIFY}{new.identifier}/"' in html


def test_an_altered_row_shows_forged_with_the_reason(client, library):
    issued = issue_food(library)
    License.objects.filter(pk=issued.pk).update(holder_name="另一家公司")
    _, html = open_result(client, issued.identifier)
    assert verdict(html) == "伪造或无效"
    assert "篡改" in reason(html)


def test_a_typed_identifier_with_a_wrong_check_character_is_forged_with_the_reason(client, library):
    identifier = issue_food(library).identifier
    wrong = identifier[:-1] + ALPHABET[(ALPHABET.index(identifier[-1]) + 1) % len(ALPHABET)]
    response = client.get(VERIFY, {"identifier": wrong})
    html = response.content.decode()
    assert response.status_code == 200
    assert verdict(html) == "伪造或无效"
    assert "校验位错误" in reason(html)


def test_a_typed_identifier_is_normalised_and_sent_to_its_own_page(client, library):
    identifier = issue_food(library).identifier
    response = client.get(VERIFY, {"identifier": "  " + identifier.lower().replace(".", "．") + " "})
    assert response.status_code == 302
    assert response["Location"] == f"{VERIFY}{identifier}/"


def test_an_identifier_never_issued_is_not_found(client, library):
    parsed = parse_identifier(issue_food(library).identifier)
    unknown = build_identifier(
        type_code=parsed.type_code, issuer_code=parsed.issuer_code, serial="99999999", version=1
    )
    response, html = open_result(client, unknown)
    assert response.status_code == 404
    assert verdict(html) == "未找到"


def test_an_empty_identifier_is_named_on_its_field(client, db):
    response = client.get(VERIFY, {"identifier": " "})
    html = response.content.decode()
    assert response.status_code == 400
    assert '<p class="field-error" id="identifier-error">请填写证照标识</p>' in html
    assert 'aria-invalid="true"' in html


def upload(client, content: bytes, name: str = "licence.json"):
    file = SimpleUploadedFile(name, content, content_type="application/json")
    response = client.post(VERIFY, {"document": file})
    return response, response.content.decode()


def test_an_uploaded_signed_licence_verifies_valid(client, library):
    document = signed_document(issue_food(library))
    response, html = upload(client, json.dumps(document, ensure_ascii=False).encode())
    assert response.status_code == 200
    assert verdict(html) == "有效"
    assert "市市场监督管理局" in html and "示范餐饮有限公司" in html


def test_an_uploaded_signed_licence_with_altered_content_is_forged(client, library):
    document = signed_document(issue_food(library))
    document["payload"]["valid_until"] = "2099-12-31"
    _, html = upload(client, json.dumps(document, ensure_ascii=False).encode())
    assert verdict(html) == "伪造或无效"
    assert "签名无效" in reason(html)


def test_an_uploaded_file_that_is_not_a_signed_licence_is_named_on_the_file_field(client, db):
    response, html = upload(client, b"not json")
    assert response.status_code == 400
    assert '<p class="field-error" id="document-error">不是有效的 JSON 签名证照文件</p>' in html
    response, html = upload(client, b'{"payload": {}}')
    assert "缺少签名值" in html and "缺少密钥标识" in html
    response = client.post(VERIFY, {})
    assert '<p class="field-error" id="document-error">请选择签名证照文件</p>' in response.content.decode()


def test_the_verify_page_needs_no_sign_in_and_offers_both_ways(client, db):
    html = client.get(VERIFY).content.decode()
    assert '<label for="identifier">证照标识' in html
    assert '<label for="document">电子证照PDF或签名证照文件（JSON）' in html
    assert 'enctype="multipart/form-data"' in html
    assert "<script>" not in html  # no inline scripts
    assert f'href="{VERIFY}"' in client.get("/").content.decode()  # in everyone's navigation
