"""用证 (免提交), the holder's wallet and share links, and expiry reminders."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from yiwang.core.audit.models import AuditRecord
from yiwang.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from yiwang.core.notify.models import Message
from yiwang.core.tests import factories
from yiwang.licenses.models import License, LicenseUse
from yiwang.licenses.selectors import license_uses_for_holder, licenses_for_holder
from yiwang.licenses.services.reminders import license_expiry_remind
from yiwang.licenses.services.reuse import license_lookup
from yiwang.licenses.services.revising import license_revise, license_revoke
from yiwang.licenses.services.wallet import license_download_signed, share_link_create, share_link_resolve
from yiwang.licenses.tests import library_fixtures
from yiwang.licenses.tests.library_fixtures import issue_food, issue_health

pytestmark = pytest.mark.django_db
library = library_fixtures.library  # the fixture, used by name
SHANGHAI = ZoneInfo("Asia/Shanghai")


def _lookup(lib, actor, holder=None, **overrides):
    arguments = {
        "actor": actor,
        "holder": holder or lib.enterprise,
        "type_code": lib.food_type.code,
        "purpose": "办理食品经营许可延续，免提交许可证",
        "subject": ("services.application", "A-2026-0001"),
    }
    return license_lookup(**{**arguments, **overrides})


def test_a_window_clerk_looks_up_a_licence_and_the_holder_sees_the_use(library):
    issued = issue_food(library)
    found = _lookup(library, library.clerk)
    assert found == issued
    use = LicenseUse.objects.get()
    assert (use.used_by, use.subject_type, use.subject_id) == (
        library.clerk,
        "services.application",
        "A-2026-0001",
    )
    assert AuditRecord.objects.get(action="licenses.license.used").changes["found"] == issued.identifier
    seen = list(license_uses_for_holder(actor=library.enterprise))
    assert seen == [use] and seen[0].used_by.display_name == "窗口人员"
    assert list(license_uses_for_holder(actor=library.citizen)) == []


def test_the_newest_valid_version_is_found_and_nothing_when_revoked(library):
    old = issue_food(library)
    new = license_revise(actor=library.approver, license=old, number="JY-2")
    assert _lookup(library, library.clerk) == new
    license_revoke(actor=library.approver, license=new, reason="注销")
    assert _lookup(library, library.clerk) is None
    assert AuditRecord.objects.filter(action="licenses.license.looked_up").count() == 1
    assert LicenseUse.objects.count() == 1


def test_an_expired_licence_is_not_handed_out(library):
    with time_machine.travel(date(2026, 3, 1), tick=False):
        issue_health(library)
    with time_machine.travel(date(2027, 3, 1), tick=False):
        assert (
            _lookup(library, library.clerk, holder=library.citizen, type_code=library.health_type.code)
            is None
        )


def test_a_forged_row_is_never_handed_out(library):
    issued = issue_food(library)
    License.objects.filter(pk=issued.pk).update(number="FORGED")
    assert _lookup(library, library.clerk) is None


def test_who_may_look_up(library):
    issue_food(library)
    handler = factories.create_official(department=library.police, role="handler")
    with pytest.raises(PermissionDenied, match="licenses.use"):
        _lookup(library, handler)
    with pytest.raises(PermissionDenied):
        _lookup(library, library.citizen)  # not their licence
    assert _lookup(library, library.enterprise) is not None  # the holder's own


def test_a_lookup_needs_a_purpose_and_a_known_type(library):
    with pytest.raises(InvalidInput) as refused:
        _lookup(library, library.clerk, purpose=" ", type_code="NOPE")
    assert set(refused.value.fields) == {"purpose", "type_code"}


# --- wallet and share links ------------------------------------------------------------------
def test_the_wallet_holds_only_ones_own_current_licences(library):
    old = issue_food(library)
    new = license_revise(actor=library.approver, license=old, number="JY-2")
    issue_health(library)
    assert list(licenses_for_holder(actor=library.enterprise)) == [new]
    assert set(licenses_for_holder(actor=library.enterprise, include_superseded=True)) == {old, new}
    assert [lic.type_name for lic in licenses_for_holder(actor=library.citizen)] == ["健康证明"]
    assert list(licenses_for_holder(actor=library.other_citizen)) == []


def test_only_the_holder_downloads_the_signed_licence(library):
    issued = issue_health(library)
    document = license_download_signed(actor=library.citizen, license=issued)
    assert document["payload"]["holder_code"] == library.citizen.id_number
    assert AuditRecord.objects.filter(
        action="licenses.license.downloaded", actor_id=library.citizen.pk
    ).exists()
    with pytest.raises(NotFound):
        license_download_signed(actor=library.other_citizen, license=issued)


def test_a_share_link_works_until_it_expires(library):
    now = datetime(2026, 5, 1, 9, tzinfo=SHANGHAI)
    with time_machine.travel(now, tick=False):
        issued = issue_health(library)
        link, token = share_link_create(actor=library.citizen, license=issued, hours=24)
        assert token not in link.token_sha256
        shared = share_link_resolve(token)
    assert shared.result.status == "valid" and shared.holder_name == "张三丰"
    with time_machine.travel(now + timedelta(hours=24, seconds=1), tick=False), pytest.raises(NotFound):
        share_link_resolve(token)
    with pytest.raises(NotFound):
        share_link_resolve("x" * 43)


def test_only_the_holder_shares_and_only_a_valid_licence(library):
    issued = issue_health(library)
    with pytest.raises(NotFound):
        share_link_create(actor=library.other_citizen, license=issued)
    with pytest.raises(InvalidInput):
        share_link_create(actor=library.citizen, license=issued, hours=0)
    license_revoke(actor=library.approver, license=issued, reason="注销")
    issued.refresh_from_db()
    with pytest.raises(Conflict):
        share_link_create(actor=library.citizen, license=issued)


# --- expiry reminders ------------------------------------------------------------------------
def test_holders_are_reminded_once_thirty_days_before_expiry(library):
    with time_machine.travel(date(2026, 3, 1), tick=False):
        issued = issue_health(library)  # valid until 2027-02-28
    assert license_expiry_remind(today=date(2027, 1, 28)) == 0  # 31 days before
    assert license_expiry_remind(today=date(2027, 1, 29)) == 1
    assert license_expiry_remind(today=date(2027, 1, 30)) == 0
    message = Message.objects.get(recipient=library.citizen, title="电子证照即将到期")
    assert "2027-02-28" in message.body and "30天" in message.body
    issued.refresh_from_db()
    assert issued.reminded_at is not None
