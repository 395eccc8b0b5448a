"""`yiwang demo`: the licence catalogue, issuers' keys and the demo holders' licences, once."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from yiwang.core.accounts.models import User
from yiwang.core.audit.models import AuditRecord
from yiwang.core.demo import city
from yiwang.core.notify.models import Message
from yiwang.licenses.models import KeyStatus, License, LicenseStatus, LicenseType, SigningKey
from yiwang.licenses.selectors import licenses_for_holder
from yiwang.licenses.services.payload import signed_document
from yiwang.licenses.services.verification import license_verify_identifier, license_verify_signed

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _quick_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def run_demo() -> None:
    call_command("demo", stdout=io.StringIO())


@pytest.fixture
def demo():
    run_demo()
    return {
        "citizen": User.objects.get(username=city.CITIZEN["username"]),
        "enterprise": User.objects.get(username=city.ENTERPRISE["username"]),
    }


def held(holder, type_name: str, **filters) -> License:
    return License.objects.get(holder=holder, type_name=type_name, **filters)


def test_the_catalogue_has_the_common_licences_coded_by_their_defining_department(demo):
    types = {t.name: t for t in LicenseType.objects.select_related("defining_department")}
    assert {"营业执照", "食品经营许可证", "不动产权证书", "居民户口簿", "出生医学证明"} <= set(types)
    for license_type in types.values():
        assert license_type.code[:18] == license_type.defining_department.uscc
        assert license_type.issuers.exists() and license_type.layout["accent"].startswith("#")
    business = types["营业执照"]
    assert business.holder_kind == "legal_person" and business.validity == {"long_term": True}
    assert business.replaces == ["营业执照", "营业执照副本复印件"]
    assert [f["label"] for f in business.fields][:3] == ["名称", "类型", "法定代表人"]
    assert types["食品经营许可证"].validity == {"years": 5}
    assert types["出生医学证明"].holder_kind == "citizen"
    # Every issuing department signs with one active SM2 key; the market regulator's was made
    # by its own 部门管理员, not by the system administrator.
    for department in {d for t in types.values() for d in t.issuers.all()}:
        keys = SigningKey.objects.filter(department=department, status=KeyStatus.ACTIVE)
        assert [k.algorithm for k in keys] == ["SM2-SM3"]
    market_key = SigningKey.objects.get(department=business.defining_department)
    assert market_key.created_by.username == "deptadmin"


def test_the_enterprise_licences_verify_and_the_canteen_licence_is_about_to_expire(demo):
    business = held(demo["enterprise"], "营业执照")
    result = license_verify_identifier(business.identifier)
    assert result.status == "valid", result.reason
    assert (result.issuer_name, result.holder_name) == ("市市场监督管理局", "示范市云帆科技有限公司")
    assert business.number == demo["enterprise"].uscc and business.created_by.username == "approver"
    assert license_verify_signed(signed_document(business)).status == "valid"

    food = held(demo["enterprise"], "食品经营许可证")
    assert license_verify_identifier(food.identifier).status == "valid"
    assert timezone.localdate() < food.valid_until <= timezone.localdate() + timedelta(days=30)
    assert Message.objects.filter(recipient=demo["enterprise"], title="电子证照即将到期").count() == 1


def test_a_revoked_and_a_superseded_licence_verify_as_such(demo):
    revoked = License.objects.get(status=LicenseStatus.REVOKED)
    result = license_verify_identifier(revoked.identifier)
    assert result.status == "revoked" and result.revoked_on == timezone.localdate()

    old = held(demo["citizen"], "不动产权证书", status=LicenseStatus.SUPERSEDED)
    new = held(demo["citizen"], "不动产权证书", status=LicenseStatus.VALID)
    result = license_verify_identifier(old.identifier)
    assert result.status == "superseded" and result.current_identifier == new.identifier
    assert (old.version, new.version, new.series) == (1, 2, old.series)


def test_the_citizen_wallet_holds_three_valid_licences(demo):
    wallet = list(licenses_for_holder(actor=demo["citizen"]))
    assert sorted(x.type_name for x in wallet) == sorted(["居民户口簿", "不动产权证书", "出生医学证明"])
    for licence in wallet:
        assert license_verify_identifier(licence.identifier).status == "valid"


def test_a_second_run_adds_nothing(demo):
    def snapshot():
        return [m.objects.count() for m in (LicenseType, SigningKey, License, AuditRecord, Message)]

    first = snapshot()
    run_demo()
    assert snapshot() == first


def test_a_type_code_taken_by_another_licence_stops_the_demo_naming_it(demo):
    LicenseType.objects.filter(name="营业执照").update(name="其他证照")
    with pytest.raises(CommandError, match="已用于“其他证照”而不是示范的“营业执照”"):
        run_demo()
