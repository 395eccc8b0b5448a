"""签名密钥 of issuing departments: generate, rotate, revoke.

- A department has at most one *active* key per algorithm (a conditional unique constraint);
  it signs every licence the department issues with that algorithm.
- Rotating (generating while a key is active) retires the old key: it signs nothing more, and
  what it signed still verifies — its public key stays published at /api/v1/licenses/keys.
- Revoking is for a key that must no longer be trusted (compromised, lost, withdrawn). A
  revoked key cannot sign, and **every** licence it signed — before or after the revocation
  date — verifies as forged ("签名密钥已吊销"): once the private key may be in other hands, a
  signature dated before the revocation proves nothing, since a forger can choose the date.
  The issuer re-issues the affected licences (license_revise signs with the new key).
- The private key (PKCS#8 PEM) is stored only encrypted with core.personal_data (SM4-GCM under
  YIWANG_DATA_KEYS, rotated by `yiwang rotate-keys`) and is never returned by any API.
"""

from __future__ import annotations

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from yiwang.core import personal_data
from yiwang.core.audit import services as audit
from yiwang.core.errors import Conflict, InvalidInput, PermissionDenied, invalid
from yiwang.core.orgs.models import Department
from yiwang.licenses import signing
from yiwang.licenses.models import KeyStatus, SigningKey
from yiwang.licenses.permissions import can_signing_key_manage

_SHORT = {signing.Algorithm.SM2: "SM2", signing.Algorithm.ED25519: "ED25519"}


def default_algorithm() -> signing.Algorithm:
    """YIWANG_LICENSE_ALGORITHM: the algorithm new licences are signed with."""
    return signing.Algorithm(settings.LICENSE_ALGORITHM)


def _algorithm(value) -> signing.Algorithm:
    if value in (None, ""):
        return default_algorithm()
    try:
        return signing.Algorithm(value)
    except ValueError:
        raise invalid("algorithm", "签名算法应为 SM2-SM3 或 Ed25519") from None


def _next_key_id(department: Department, algorithm: signing.Algorithm, year: int) -> str:
    """`<issuer USCC>-SM2-2026-1`: readable, unique, and says whose key and when."""
    prefix = f"{department.uscc}-{_SHORT[algorithm]}-{year}-"
    taken = SigningKey.objects.filter(key_id__startswith=prefix).values_list("key_id", flat=True)
    numbers = [int(k[len(prefix) :]) for k in taken if k[len(prefix) :].isdigit()]
    return f"{prefix}{max(numbers, default=0) + 1}"


@transaction.atomic
def signing_key_generate(*, actor, department: Department, algorithm=None) -> SigningKey:
    """A new active key for the department; an active key of the same algorithm is retired."""
    if department is None:
        raise invalid("department_id", "请指定颁发机构")
    if not can_signing_key_manage(actor, department):
        raise PermissionDenied(f"没有管理“{department.name}”签名密钥的权限（licenses.key.manage）")
    algorithm = _algorithm(algorithm)
    if not department.uscc:
        raise invalid("department_id", f"“{department.name}”没有统一社会信用代码，不能作为颁发机构")
    # One rotation at a time per department: the lock orders two administrators' clicks.
    Department.objects.select_for_update().filter(pk=department.pk).first()
    now = timezone.now()
    old = SigningKey.objects.filter(
        department=department, algorithm=algorithm, status=KeyStatus.ACTIVE
    ).first()
    if old is not None:
        old.status, old.retired_at = KeyStatus.RETIRED, now
        old.save(update_fields=["status", "retired_at"])
    pair = signing.generate_key(algorithm)
    key = SigningKey(
        department=department,
        key_id=_next_key_id(department, algorithm, timezone.localdate().year),
        algorithm=algorithm.value,
        public_pem=pair.public_pem,
        private_pem_encrypted=personal_data.encrypt(pair.private_pem),
        fingerprint=signing.fingerprint(pair.public_pem),
        created_at=now,
        created_by=actor,
    )
    try:
        with transaction.atomic():
            key.save(force_insert=True)
    except IntegrityError:  # SQLite has no row lock: a concurrent rotation won
        raise Conflict("该颁发机构的签名密钥正在被他人轮换，请刷新后重试") from None
    audit.record(
        actor=actor,
        action="licenses.key.rotated" if old else "licenses.key.generated",
        target=key,
        changes={
            "key_id": key.key_id,
            "algorithm": key.algorithm,
            "fingerprint": key.fingerprint,
            "retired": old.key_id if old else None,
        },
    )
    return key


@transaction.atomic
def signing_key_revoke(*, actor, key: SigningKey, reason: str) -> SigningKey:
    """Revoke a key: it signs nothing more and all it signed verifies as forged (see above)."""
    if not can_signing_key_manage(actor, key.department):
        raise PermissionDenied(f"没有管理“{key.department.name}”签名密钥的权限（licenses.key.manage）")
    reason = reason.strip() if isinstance(reason, str) else ""
    if not reason or len(reason) > 200:
        raise InvalidInput(fields={"reason": "请填写吊销原因（1–200字）"})
    key = SigningKey.objects.select_for_update().get(pk=key.pk)
    if key.status == KeyStatus.REVOKED:
        raise Conflict(f"密钥 {key.key_id} 已于 {timezone.localtime(key.revoked_at):%Y-%m-%d} 吊销")
    before = key.status
    key.status, key.revoked_at, key.revoked_reason = KeyStatus.REVOKED, timezone.now(), reason
    key.save(update_fields=["status", "revoked_at", "revoked_reason"])
    audit.record(
        actor=actor,
        action="licenses.key.revoked",
        target=key,
        changes={"key_id": key.key_id, "status": [before, key.status], "reason": reason},
    )
    return key


def signing_key_for_issuer(department: Department, algorithm: signing.Algorithm | None = None) -> SigningKey:
    """The key that signs for `department` now; Conflict naming the department if it has none."""
    algorithm = algorithm or default_algorithm()
    key = SigningKey.objects.filter(
        department=department, algorithm=algorithm, status=KeyStatus.ACTIVE
    ).first()
    if key is None:
        raise Conflict(
            f"颁发机构“{department.name}”没有可用的 {algorithm.value} 签名密钥，请部门管理员先生成密钥",
            code="no_signing_key",
        )
    return key


def signing_key_sign(key: SigningKey, message: bytes) -> bytes:
    """Sign with a key's private half, decrypted only for this call. Revoked or retired keys
    cannot sign (checked here too, not only by the caller's choice of key)."""
    if key.status != KeyStatus.ACTIVE:
        raise Conflict(f"密钥 {key.key_id} 已{key.get_status_display()}，不能再签名")
    return signing.sign(
        algorithm=key.algorithm, private_pem=personal_data.decrypt(key.private_pem_encrypted), message=message
    )
