"""证照类型 and 签名密钥: defined, edited, rotated and revoked by whom they should be, and audited."""

from __future__ import annotations

import pytest
from django.db import IntegrityError

from yiwang.core import personal_data
from yiwang.core.audit.models import AuditRecord
from yiwang.core.errors import Conflict, InvalidInput, PermissionDenied
from yiwang.core.tests import factories
from yiwang.licenses import signing
from yiwang.licenses.models import KeyStatus, SigningKey
from yiwang.licenses.services.keys import signing_key_generate, signing_key_revoke, signing_key_sign
from yiwang.licenses.services.types import license_type_create, license_type_update
from yiwang.licenses.tests import library_fixtures
from yiwang.licenses.tests.library_fixtures import HEALTH_FIELDS

pytestmark = pytest.mark.django_db
library = library_fixtures.library  # the fixture, used by name


def _create(lib, **overrides):
    arguments = {
        "actor": lib.sys_admin,
        "code": f"{lib.market.uscc}010",
        "name": "出生医学证明",
        "holder_kind": "citizen",
        "defining_department": lib.market,
        "issuers": [lib.market],
        "fields": HEALTH_FIELDS,
        "validity": {"long_term": True},
    }
    return license_type_create(**{**arguments, **overrides})


def test_a_type_is_created_by_the_administrator_and_audited(library):
    created = _create(library)
    assert created.holder_code_type == "111"
    assert list(created.issuers.all()) == [library.market]
    assert AuditRecord.objects.filter(action="licenses.type.created", target_id=str(created.pk)).exists()


def test_an_approver_cannot_define_a_type(library):
    with pytest.raises(PermissionDenied, match="licenses.type.manage"):
        _create(library, actor=library.approver)


def test_a_type_code_must_carry_the_defining_body_uscc_and_three_digits(library):
    with pytest.raises(InvalidInput) as wrong_body:
        _create(library, code=f"{library.police.uscc}010")
    assert library.market.uscc in wrong_body.value.fields["code"]
    with pytest.raises(InvalidInput) as short:
        _create(library, code=f"{library.market.uscc}1")
    assert "21位" in short.value.fields["code"]
    with pytest.raises(InvalidInput) as bad_check:
        _create(
            library, code=f"{library.market.uscc[:17]}{'0' if library.market.uscc[17] != '0' else '1'}010"
        )
    assert "统一社会信用代码" in bad_check.value.fields["code"]
    with pytest.raises(InvalidInput) as taken:
        _create(library, code=library.food_type.code)
    assert "已存在" in taken.value.fields["code"]


def test_every_bad_part_of_a_type_is_named(library):
    no_uscc = factories.create_department("市档案馆", division=library.market.division)
    with pytest.raises(InvalidInput) as refused:
        _create(
            library,
            name="",
            holder_kind="robot",
            issuers=[no_uscc],
            fields=[
                {"name": "Bad Name", "label": "", "type": "blob"},
                {"name": "kind", "label": "类别", "type": "enum", "choices": []},
                {"name": "kind", "label": "重复", "type": "text", "choices": ["x"]},
            ],
            validity={"years": 0},
            layout={"accent": "blue", "order": ["nowhere"]},
            replaces=["", "x"],
        )
    fields = refused.value.fields
    assert set(fields) >= {
        "name",
        "holder_kind",
        "issuer_ids",
        "fields[0].name",
        "fields[0].label",
        "fields[0].type",
        "fields[1].choices",
        "fields[2].name",
        "fields[2].choices",
        "validity",
        "layout.accent",
        "layout.order",
        "replaces",
    }
    assert "市档案馆" in fields["issuer_ids"]


def test_a_stale_type_edit_is_refused_and_a_fresh_one_audited(library):
    license_type = library.food_type
    read = license_type.version
    license_type_update(
        actor=library.sys_admin, license_type=license_type, expected_version=read, name="食品经营许可"
    )
    with pytest.raises(Conflict):
        license_type_update(
            actor=library.sys_admin, license_type=license_type, expected_version=read, replaces=["营业执照"]
        )
    license_type.refresh_from_db()
    assert license_type.name == "食品经营许可"
    assert license_type.version == read + 1
    record = AuditRecord.objects.get(action="licenses.type.updated")
    assert record.changes == {"name": ["食品经营许可证", "食品经营许可"]}


def test_changing_fields_keeps_the_layout_order_consistent(library):
    with pytest.raises(InvalidInput) as refused:
        license_type_update(
            actor=library.sys_admin,
            license_type=library.food_type,
            expected_version=library.food_type.version,
            fields=[{"name": "business_scope", "label": "经营项目", "type": "text"}],
        )
    assert "category" in refused.value.fields["layout.order"]


# --- keys ------------------------------------------------------------------------------------
def test_a_generated_key_is_published_and_its_private_half_kept_encrypted(library):
    key = library.key
    assert key.status == KeyStatus.ACTIVE
    assert key.key_id == f"{library.market.uscc}-SM2-{key.created_at.year}-1"
    assert "PRIVATE KEY" not in key.private_pem_encrypted
    private_pem = personal_data.decrypt(key.private_pem_encrypted)
    message = b"yiwang"
    signature = signing.sign(algorithm=key.algorithm, private_pem=private_pem, message=message)
    assert signing.verify(
        algorithm=key.algorithm, public_pem=key.public_pem, message=message, signature=signature
    )
    assert key.fingerprint == signing.fingerprint(key.public_pem)
    assert AuditRecord.objects.filter(action="licenses.key.generated", target_id=str(key.pk)).exists()


def test_rotation_retires_the_old_key_and_activates_a_new_one(library):
    new = signing_key_generate(actor=library.market_admin, department=library.market)
    library.key.refresh_from_db()
    assert library.key.status == KeyStatus.RETIRED and library.key.retired_at is not None
    assert new.status == KeyStatus.ACTIVE
    assert new.key_id.endswith("-2")
    assert AuditRecord.objects.get(action="licenses.key.rotated").changes["retired"] == library.key.key_id
    with pytest.raises(Conflict, match="不能再签名"):
        signing_key_sign(library.key, b"x")


def test_only_one_active_key_per_department_and_algorithm(library):
    duplicate = SigningKey(
        department=library.market,
        key_id="duplicate",
        algorithm=library.key.algorithm,
        public_pem=library.key.public_pem,
        private_pem_encrypted=library.key.private_pem_encrypted,
        fingerprint=library.key.fingerprint,
    )
    with pytest.raises(IntegrityError):
        duplicate.save()


def test_an_ed25519_key_may_sit_beside_the_sm2_key(library):
    ed = signing_key_generate(actor=library.market_admin, department=library.market, algorithm="Ed25519")
    assert ed.key_id.startswith(f"{library.market.uscc}-ED25519-")
    library.key.refresh_from_db()
    assert library.key.status == KeyStatus.ACTIVE


def test_keys_are_managed_only_by_the_department_administrator(library):
    police_admin = factories.create_official(department=library.police, role="dept_admin")
    with pytest.raises(PermissionDenied, match="市市场监督管理局"):
        signing_key_generate(actor=police_admin, department=library.market)
    with pytest.raises(PermissionDenied):
        signing_key_generate(actor=library.approver, department=library.market)
    with pytest.raises(InvalidInput) as refused:
        signing_key_generate(actor=library.market_admin, department=library.market, algorithm="RSA")
    assert "algorithm" in refused.value.fields


def test_a_department_without_uscc_cannot_hold_a_key(library):
    no_uscc = factories.create_department("市档案馆", division=library.market.division)
    with pytest.raises(InvalidInput, match="统一社会信用代码"):
        signing_key_generate(actor=library.sys_admin, department=no_uscc)


def test_a_revoked_key_signs_nothing_and_revoking_needs_a_reason(library):
    with pytest.raises(InvalidInput) as refused:
        signing_key_revoke(actor=library.market_admin, key=library.key, reason=" ")
    assert "reason" in refused.value.fields
    revoked = signing_key_revoke(actor=library.market_admin, key=library.key, reason="私钥疑似泄露")
    assert revoked.status == KeyStatus.REVOKED and revoked.revoked_reason == "私钥疑似泄露"
    with pytest.raises(Conflict, match="不能再签名"):
        signing_key_sign(revoked, b"x")
    with pytest.raises(Conflict, match="已于"):
        signing_key_revoke(actor=library.market_admin, key=library.key, reason="再次")
    assert AuditRecord.objects.filter(action="licenses.key.revoked").count() == 1
