"""Issuing, revising and revoking: who may, what is checked, what the holder is told."""

from __future__ import annotations

import json
import threading
from datetime import date

import pytest
import time_machine
from django.db import connection, connections
from django.utils import timezone

from yiwang.core import personal_data
from yiwang.core.audit.models import AuditRecord
from yiwang.core.errors import Conflict, InvalidInput, PermissionDenied
from yiwang.core.notify.models import Message
from yiwang.core.tests import factories
from yiwang.licenses.identifiers import parse_identifier
from yiwang.licenses.models import License, LicenseStatus, SerialCounter
from yiwang.licenses.services.issuing import license_issue
from yiwang.licenses.services.keys import signing_key_generate, signing_key_revoke
from yiwang.licenses.services.revising import license_revise, license_revoke
from yiwang.licenses.services.verification import license_verify_identifier
from yiwang.licenses.tests import library_fixtures
from yiwang.licenses.tests.library_fixtures import FOOD_DATA, issue_food, issue_health

pytestmark = pytest.mark.django_db
library = library_fixtures.library  # the fixture, used by name


def test_an_issued_licence_has_its_identifier_metadata_and_encrypted_content(library):
    issued = issue_food(library)
    parsed = parse_identifier(issued.identifier)
    assert (parsed.type_code, parsed.issuer_code, parsed.version) == (
        library.food_type.code,
        library.market.uscc,
        1,
    )
    assert issued.serial == f"{timezone.localdate().year}00000001"
    assert issued.series == issued.identifier.rsplit(".", 2)[0]
    assert issued.holder_code_type == "001"
    assert issued.holder_code_index == personal_data.blind_index("uscc", library.enterprise.uscc)
    # the content is stored encrypted, never as plain text
    assert (
        "热食类" not in issued.data_encrypted and library.enterprise.uscc not in issued.holder_code_encrypted
    )
    assert json.loads(personal_data.decrypt(issued.data_encrypted)) == FOOD_DATA
    assert issued.key == library.key and issued.algorithm == "SM2-SM3"
    record = AuditRecord.objects.get(action="licenses.license.issued")
    assert record.changes["identifier"] == issued.identifier
    assert Message.objects.filter(recipient=library.enterprise, title__contains="电子证照").exists()


def test_a_citizen_licence_carries_the_id_number_type_111(library):
    issued = issue_health(library)
    assert issued.holder_code_type == "111"
    assert personal_data.decrypt(issued.holder_code_encrypted) == library.citizen.id_number
    assert issued.holder_code_index == library.citizen.id_number_index


def test_serials_count_up_per_type_and_issuer(library):
    first, second = issue_food(library), issue_food(library, number="JY2")
    other_type = issue_health(library)
    assert int(second.serial) == int(first.serial) + 1
    assert other_type.serial.endswith("00000001")


def test_missing_and_wrong_fields_are_each_named(library):
    with pytest.raises(InvalidInput) as refused:
        issue_food(
            library, data={"category": "小卖部", "capital": "十万", "founded_on": "2026-02-30", "extra": 1}
        )
    fields = refused.value.fields
    assert fields["data.business_scope"] == "缺少“经营项目”"
    assert "食品销售经营者" in fields["data.category"]
    assert "数字" in fields["data.capital"]
    assert "YYYY-MM-DD" in fields["data.founded_on"]
    assert fields["data.extra"] == "此证照类型没有该信息项"
    assert "经营项目" in refused.value.message
    assert not License.objects.exists()


def test_numbers_and_dates_are_kept_in_a_signable_form(library):
    issued = issue_food(library, data={**FOOD_DATA, "capital": 12.5, "founded_on": "2020-01-31"})
    data = json.loads(personal_data.decrypt(issued.data_encrypted))
    assert data["capital"] == "12.5" and data["founded_on"] == "2020-01-31"


def test_the_holder_kind_must_match_the_type(library):
    with pytest.raises(InvalidInput) as refused:
        issue_food(library, holder=library.citizen)
    assert "法人" in refused.value.fields["holder_id"]
    with pytest.raises(InvalidInput):
        issue_health(library, holder=library.enterprise)


def test_an_official_of_another_department_cannot_issue(library):
    with pytest.raises(PermissionDenied, match="licenses.issue"):
        issue_food(library, actor=library.police_approver)
    with pytest.raises(InvalidInput) as refused:
        issue_food(library, actor=library.sys_admin, issuer=library.police)
    assert "不是" in refused.value.fields["issuer_id"]
    with pytest.raises(PermissionDenied):
        issue_food(library, actor=library.clerk)


def test_an_issuer_without_an_active_key_is_named_and_no_serial_is_spent(library):
    signing_key_revoke(actor=library.market_admin, key=library.key, reason="停用")
    with pytest.raises(Conflict, match="市市场监督管理局") as refused:
        issue_food(library)
    assert refused.value.code == "no_signing_key"
    assert not SerialCounter.objects.exists()


def test_validity_follows_the_type_rule_unless_given(library):
    with time_machine.travel(date(2026, 3, 1), tick=False):
        five_years = issue_food(library)
        given = issue_food(library, valid_until=date(2027, 1, 1))
    assert (five_years.valid_from, five_years.valid_until) == (date(2026, 3, 1), date(2031, 2, 28))
    assert given.valid_until == date(2027, 1, 1)
    with pytest.raises(InvalidInput) as refused:
        issue_food(library, valid_from=date(2026, 5, 1), valid_until=date(2026, 4, 1))
    assert "valid_until" in refused.value.fields


def test_a_future_issue_date_is_refused(library):
    with pytest.raises(InvalidInput) as refused:
        issue_food(library, issued_on=date(2999, 1, 1))
    assert "issued_on" in refused.value.fields


def test_a_long_term_type_has_no_end_date(library):
    library.health_type.validity = {"long_term": True}
    library.health_type.save()
    assert issue_health(library).valid_until is None


# --- revise and revoke -----------------------------------------------------------------------
def test_revising_issues_the_next_version_and_supersedes_the_old(library):
    old = issue_food(library)
    new = license_revise(
        actor=library.approver,
        license=old,
        data={**FOOD_DATA, "business_scope": "热食类、冷食类食品制售"},
        reason="增加经营项目",
    )
    old.refresh_from_db()
    assert new.version == 2 and new.series == old.series and new.serial == old.serial
    assert parse_identifier(new.identifier).version == 2
    assert old.status == LicenseStatus.SUPERSEDED and old.superseded_by == new
    assert AuditRecord.objects.get(action="licenses.license.revised").changes["data"] == ["business_scope"]
    with pytest.raises(Conflict, match="已被新版本替代"):
        license_revise(actor=library.approver, license=old, number="X")


def test_another_department_cannot_revise_or_revoke(library):
    issued = issue_food(library)
    with pytest.raises(PermissionDenied):
        license_revise(actor=library.police_approver, license=issued, number="X")
    with pytest.raises(PermissionDenied, match="licenses.revoke"):
        license_revoke(actor=library.police_approver, license=issued, reason="越权")


def test_revoking_needs_a_reason_and_tells_the_holder(library):
    issued = issue_food(library)
    with pytest.raises(InvalidInput) as refused:
        license_revoke(actor=library.approver, license=issued, reason="")
    assert "reason" in refused.value.fields
    revoked = license_revoke(actor=library.approver, license=issued, reason="违反食品安全法被吊销")
    assert revoked.status == LicenseStatus.REVOKED and revoked.revoked_by == library.approver
    assert Message.objects.filter(recipient=library.enterprise, title__contains="吊销").exists()
    with pytest.raises(Conflict):
        license_revoke(actor=library.approver, license=issued, reason="再次")


def _issue_on_own_connection(lib, results, barrier):
    try:
        barrier.wait(timeout=10)
        results.append(issue_food(lib).serial)
    except Exception as error:  # reported to the main thread, which fails the test
        results.append(repr(error))
    finally:
        connections.close_all()


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite serialises writers on one database lock; the counter row is what PostgreSQL must lock",
)
@pytest.mark.django_db(transaction=True)
def test_two_officials_issuing_at_once_get_different_serials(library):
    results: list[str] = []
    barrier = threading.Barrier(2)
    threads = [
        threading.Thread(target=_issue_on_own_connection, args=(library, results, barrier)) for _ in range(2)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(results) == 2 and all(r.isdigit() for r in results), results
    assert len(set(results)) == 2
    assert License.objects.count() == 2


def test_an_issue_by_hand_passes_the_issuer_explicitly(library):
    second_issuer = factories.create_department("县市场监督管理局", parent=library.market)
    second_issuer.uscc = factories.make_uscc(registrar="1", kind="1", division="330100")
    second_issuer.save()
    library.food_type.issuers.add(second_issuer)
    with pytest.raises(InvalidInput) as ambiguous:
        license_issue(
            actor=library.approver,
            license_type=library.food_type,
            holder=library.enterprise,
            number="A1",
            data=FOOD_DATA,
        )
    assert "issuer_id" in ambiguous.value.fields
    issued = issue_food(library, issuer=library.market)
    assert issued.issuer == library.market


def test_with_ed25519_configured_licences_are_signed_and_verified_with_ed25519(library, settings):
    settings.LICENSE_ALGORITHM = "Ed25519"
    with pytest.raises(Conflict, match="Ed25519"):
        issue_food(library)
    signing_key_generate(actor=library.market_admin, department=library.market, algorithm="Ed25519")
    issued = issue_food(library)
    assert issued.algorithm == "Ed25519" and issued.key.key_id.startswith(f"{library.market.uscc}-ED25519-")
    assert license_verify_identifier(issued.identifier).status == "valid"
