"""核验: valid, expired, revoked, superseded, forged and not found, by identifier and by a signed
licence JSON — and never more of the holder than the licence shows."""

from __future__ import annotations

import base64
import json
from dataclasses import asdict
from datetime import date, timedelta

import pytest
import time_machine

from yiwang.core import personal_data
from yiwang.core.errors import InvalidInput
from yiwang.licenses import signing
from yiwang.licenses.identifiers import ALPHABET, build_identifier, parse_identifier
from yiwang.licenses.models import License
from yiwang.licenses.services.keys import signing_key_generate, signing_key_revoke
from yiwang.licenses.services.payload import signed_document, sm3_hex, stored_payload
from yiwang.licenses.services.revising import license_revise, license_revoke
from yiwang.licenses.services.verification import license_verify_identifier, license_verify_signed
from yiwang.licenses.tests import library_fixtures
from yiwang.licenses.tests.library_fixtures import FOOD_DATA, issue_food, issue_health

pytestmark = pytest.mark.django_db
library = library_fixtures.library  # the fixture, used by name


def test_a_fresh_licence_verifies_valid_showing_only_the_masked_holder_name(library):
    issued = issue_health(library)
    result = license_verify_identifier(issued.identifier)
    assert result.status == "valid"
    assert (result.type_name, result.issuer_name, result.version) == ("健康证明", "市市场监督管理局", 1)
    assert result.holder_name == "张*丰"
    shown = json.dumps(asdict(result), default=str, ensure_ascii=False)
    assert "张三丰" not in shown and library.citizen.id_number not in shown and "食品从业人员" not in shown


def test_an_enterprise_name_is_public_and_shown_in_full(library):
    assert license_verify_identifier(issue_food(library).identifier).holder_name == "示范餐饮有限公司"


def test_the_identifier_may_be_typed_in_lower_case_or_full_width(library):
    issued = issue_food(library)
    typed = issued.identifier.lower().replace(".", "．")
    assert license_verify_identifier(typed).status == "valid"


def test_a_revised_licence_leaves_the_old_version_superseded(library):
    old = issue_food(library)
    new = license_revise(actor=library.approver, license=old, number="JY-NEW")
    result = license_verify_identifier(old.identifier)
    assert result.status == "superseded" and result.current_identifier == new.identifier
    assert license_verify_identifier(new.identifier).status == "valid"


def test_a_revocation_is_visible_at_once_without_its_reason(library):
    issued = issue_food(library)
    license_revoke(actor=library.approver, license=issued, reason="经营者申请注销")
    result = license_verify_identifier(issued.identifier)
    assert result.status == "revoked" and result.revoked_on is not None
    assert "注销" not in result.reason


def test_a_licence_expires_by_date(library):
    with time_machine.travel(date(2026, 3, 1), tick=False):
        issued = issue_health(library)
    assert issued.valid_until == date(2027, 2, 28)
    with time_machine.travel(date(2027, 2, 28), tick=False):
        assert license_verify_identifier(issued.identifier).status == "valid"
    with time_machine.travel(date(2027, 3, 1), tick=False):
        result = license_verify_identifier(issued.identifier)
    assert result.status == "expired" and "2027-02-28" in result.reason


@pytest.mark.parametrize(
    "tamper",
    [
        lambda row: setattr(
            row, "data_encrypted", personal_data.encrypt(json.dumps({**FOOD_DATA, "business_scope": "全部"}))
        ),
        lambda row: setattr(row, "holder_name", "另一家公司"),
        lambda row: setattr(row, "valid_until", row.valid_until + timedelta(days=3650)),
        lambda row: setattr(row, "data_encrypted", row.data_encrypted[:-4] + "AAAA"),
        lambda row: setattr(row, "signature", base64.b64encode(b"\x30\x00").decode()),
    ],
    ids=["data", "holder-name", "valid-until", "ciphertext", "signature"],
)
def test_a_tampered_row_reports_forged(library, tamper):
    issued = issue_food(library)
    row = License.objects.get(pk=issued.pk)
    tamper(row)
    row.save()
    result = license_verify_identifier(issued.identifier)
    assert result.status == "forged", result
    assert result.reason


def test_a_tampered_row_whose_digest_was_also_recomputed_still_fails_the_signature(library):
    issued = issue_food(library)
    row = License.objects.get(pk=issued.pk)
    row.number = "FORGED-1"
    row.payload_sm3 = sm3_hex(signing.canonical(stored_payload(row)))
    row.save()
    result = license_verify_identifier(issued.identifier)
    assert result.status == "forged" and "签名" in result.reason


def test_a_retired_key_still_verifies_and_a_revoked_key_makes_its_licences_forged(library):
    issued = issue_food(library)
    signing_key_generate(actor=library.market_admin, department=library.market)  # rotation
    assert license_verify_identifier(issued.identifier).status == "valid"
    signing_key_revoke(actor=library.market_admin, key=issued.key, reason="私钥泄露")
    result = license_verify_identifier(issued.identifier)
    assert (result.status, result.reason) == ("forged", "签名密钥已吊销")


def _wrong_check(identifier: str) -> str:
    check = identifier[-1]
    return identifier[:-1] + ALPHABET[(ALPHABET.index(check) + 1) % len(ALPHABET)]


def test_a_wrong_check_character_or_garbage_is_forged_with_the_reason(library):
    issued = issue_food(library)
    wrong = license_verify_identifier(_wrong_check(issued.identifier))
    assert wrong.status == "forged" and "校验位错误" in wrong.reason
    for garbage in ("", "abc", "1.2.156.3005.2.x", None, "1.2.156.3005.2" + ".1" * 200):
        result = license_verify_identifier(garbage)
        assert result.status == "forged" and result.reason


def test_a_well_formed_identifier_never_issued_is_not_found(library):
    parsed = parse_identifier(issue_food(library).identifier)
    unknown = build_identifier(
        type_code=parsed.type_code, issuer_code=parsed.issuer_code, serial="99999999", version=1
    )
    assert license_verify_identifier(unknown).status == "not_found"


# --- the signed licence JSON, offline ----------------------------------------------------------
def test_a_downloaded_signed_licence_verifies_offline_also_as_file_bytes(library):
    issued = issue_food(library)
    document = signed_document(issued)
    assert license_verify_signed(document).status == "valid"
    assert license_verify_signed(json.dumps(document, ensure_ascii=False).encode()).status == "valid"


def test_an_altered_signed_licence_is_forged(library):
    document = signed_document(issue_food(library))
    document["payload"]["data"]["business_scope"] = "全部"
    result = license_verify_signed(document)
    assert result.status == "forged" and "签名无效" in result.reason


def test_an_unknown_key_or_mismatched_algorithm_is_forged(library):
    document = signed_document(issue_food(library))
    unknown = {**document, "key_id": "NOT-A-KEY"}
    assert "未知的签名密钥" in license_verify_signed(unknown).reason
    other = {**document, "algorithm": "Ed25519"}
    assert license_verify_signed(other).status == "forged"


def test_a_signed_licence_with_a_wrong_check_character_is_forged(library):
    document = signed_document(issue_food(library))
    document["payload"]["identifier"] = _wrong_check(document["payload"]["identifier"])
    result = license_verify_signed(document)
    assert result.status == "forged" and "校验位错误" in result.reason


def test_a_signed_licence_follows_the_registry_revoked_and_key_revoked(library):
    issued = issue_food(library)
    document = signed_document(issued)
    license_revoke(actor=library.approver, license=issued, reason="注销")
    assert license_verify_signed(document).status == "revoked"
    signing_key_revoke(actor=library.market_admin, key=issued.key, reason="泄露")
    assert license_verify_signed(document).reason == "签名密钥已吊销"


def test_an_expired_signed_licence_says_so(library):
    with time_machine.travel(date(2026, 3, 1), tick=False):
        document = signed_document(issue_health(library))
    with time_machine.travel(date(2027, 3, 1), tick=False):
        assert license_verify_signed(document).status == "expired"


@pytest.mark.parametrize(
    "document",
    [b"not json", b"\xff\xfe", b"[]", {}, {"payload": [], "signature": 1, "key_id": "", "algorithm": None}],
)
def test_a_malformed_signed_licence_is_refused_naming_what_is_wrong(library, document):
    with pytest.raises(InvalidInput) as refused:
        license_verify_signed(document)
    assert refused.value.fields


def test_a_payload_with_floats_or_huge_numbers_is_forged_not_an_error(library):
    document = signed_document(issue_food(library))
    document["payload"]["version"] = 1.0
    assert license_verify_signed(document).status == "forged"
    document["payload"]["version"] = 2**80
    assert license_verify_signed(document).status == "forged"
