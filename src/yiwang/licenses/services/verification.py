"""核验: is this licence genuine and in force? Public, no actor, nothing about the holder
beyond the masked name the licence itself shows ("张*三") — GB/T 36905 核验 with 个人信息保护法's
minimum-necessary rule (an enterprise's name is public and shown in full).

Two ways in:
- by 证照标识 (typed or scanned from the QR): the registry row is re-checked against its own
  signature (data decrypted, payload rebuilt, SM3 digest and signature verified), so a row
  altered in the database reports *forged*, not *valid*;
- by a signed licence JSON (services/payload.py): checked offline against the published key
  named by `key_id`, then the registry is asked whether it has since been revoked or replaced;
- by the licence PDF: the same signed JSON, embedded in it as `license.json` (pdf_document.py).

Statuses, first match wins: forged (bad identifier, unknown or revoked key, signature or
content mismatch) → not_found → revoked → superseded → expired (valid_until before today) →
valid. A revoked key makes every licence it signed *forged*, whenever it was signed
(services/keys.py says why). The public result shows the revocation date, not its reason: the
reason is written for the holder and may say more about them than a verifier needs.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date

from django.db import models
from django.utils import timezone

from yiwang.core.errors import InvalidInput
from yiwang.core.personal_data import mask_name
from yiwang.licenses import identifiers, pdf_document, signing
from yiwang.licenses.models import HolderCodeType, KeyStatus, License, LicenseStatus, SigningKey
from yiwang.licenses.services.payload import PAYLOAD_KEYS, decode_signature, forged_reason, sm3_hex

MAX_DOCUMENT_BYTES = 256 * 1024
MAX_PDF_BYTES = 4 * 1024 * 1024  # a licence PDF is ~40 KB, plus the issuer's seal (≤ 512 KB)
NO_SIGNED_DATA = "该PDF不含电子证照签名数据"


class VerificationStatus(models.TextChoices):
    VALID = "valid", "有效"
    EXPIRED = "expired", "已过期"
    REVOKED = "revoked", "已吊销"
    SUPERSEDED = "superseded", "已被新版本替代"
    FORGED = "forged", "伪造或被篡改"
    NOT_FOUND = "not_found", "未找到"


@dataclass(frozen=True)
class VerificationResult:
    status: str
    reason: str
    identifier: str = ""
    type_code: str = ""
    type_name: str = ""
    issuer_name: str = ""
    issuer_code: str = ""
    issued_on: date | None = None
    valid_from: date | None = None
    valid_until: date | None = None  # None with valid_from set: 长期
    version: int | None = None
    holder_name: str = ""  # a natural person's name masked (张*丰); a legal person's is public
    key_id: str = ""
    algorithm: str = ""
    revoked_on: date | None = None
    current_identifier: str = ""  # the newest version, when this one is superseded

    @property
    def status_label(self) -> str:
        return VerificationStatus(self.status).label


def shown_holder_name(name: str, holder_code_type) -> str:
    """What a verifier sees of the holder: 企业名称 are public (企业信用信息公示), people's names
    are masked to the first and last character."""
    return name if holder_code_type == HolderCodeType.USCC else mask_name(name)


def _of_row(license_: License, status: str, reason: str, **extra) -> VerificationResult:
    return VerificationResult(
        status=status,
        reason=reason,
        identifier=license_.identifier,
        type_code=license_.type_code,
        type_name=license_.type_name,
        issuer_name=license_.issuer_name,
        issuer_code=license_.issuer_code,
        issued_on=license_.issued_on,
        valid_from=license_.valid_from,
        valid_until=license_.valid_until,
        version=license_.version,
        holder_name=shown_holder_name(license_.holder_name, license_.holder_code_type),
        key_id=license_.key.key_id,
        algorithm=license_.algorithm,
        **extra,
    )


def _registry_status(license_: License, today: date) -> tuple[str, str, dict]:
    """Status from the registry row of a licence whose signature holds."""
    if license_.status == LicenseStatus.REVOKED:
        revoked_on = timezone.localdate(license_.revoked_at) if license_.revoked_at else None
        return (
            VerificationStatus.REVOKED,
            f"该证照已于{revoked_on or ''}被颁发机构吊销",
            {"revoked_on": revoked_on},
        )
    if license_.status == LicenseStatus.SUPERSEDED:
        newest = (
            License.objects.filter(series=license_.series)
            .order_by("-version")
            .values_list("identifier", flat=True)
        )
        return (
            VerificationStatus.SUPERSEDED,
            "该证照已变更，此版本已被新版本替代",
            {"current_identifier": newest.first() or ""},
        )
    if license_.is_expired(today):
        return VerificationStatus.EXPIRED, f"该证照已于{license_.valid_until}到期", {}
    return VerificationStatus.VALID, "证照真实有效，签名验证通过", {}


def license_verify_identifier(text) -> VerificationResult:
    """Verify by 证照标识. Always a result, never an exception: a malformed identifier is forged."""
    raw = text if isinstance(text, str) else ""
    if len(raw) > 256:  # the longest identifier is ~100 characters
        return VerificationResult(
            status=VerificationStatus.FORGED, reason="证照标识过长", identifier=raw[:200]
        )
    try:
        normal = identifiers.validate_identifier(raw)
    except identifiers.InvalidIdentifier as error:
        return VerificationResult(status=VerificationStatus.FORGED, reason=str(error), identifier=raw[:200])
    license_ = License.objects.select_related("key").filter(identifier=normal).first()
    if license_ is None:
        return VerificationResult(
            status=VerificationStatus.NOT_FOUND,
            reason="证照库中没有此证照标识，请核对后重新输入",
            identifier=normal,
        )
    problem = forged_reason(license_)
    if problem:
        return _of_row(license_, VerificationStatus.FORGED, problem)
    status, reason, extra = _registry_status(license_, timezone.localdate())
    return _of_row(license_, status, reason, **extra)


# --- a signed licence JSON, offline ----------------------------------------------------------
def _document(document) -> dict:
    if isinstance(document, bytes | bytearray):
        if len(document) > MAX_DOCUMENT_BYTES:
            raise InvalidInput(fields={"document": "文件过大（至多256 KB）"})
        try:
            document = json.loads(bytes(document).decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            raise InvalidInput(fields={"document": "不是有效的 JSON 签名证照文件"}) from None
    if not isinstance(document, dict):
        raise InvalidInput(
            fields={"document": "签名证照应为 JSON 对象：payload、signature、key_id、algorithm"}
        )
    errors = {}
    if not isinstance(document.get("payload"), dict):
        errors["payload"] = "缺少签名内容（payload 对象）"
    for field, label in (("signature", "签名值"), ("key_id", "密钥标识"), ("algorithm", "签名算法")):
        if not isinstance(document.get(field), str) or not document[field]:
            errors[field] = f"缺少{label}"
    if errors:
        raise InvalidInput(fields=errors)
    return document


def _date(value) -> date | None:
    try:
        return date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


def _of_payload(payload: dict, status: str, reason: str, **extra) -> VerificationResult:
    def text(key: str) -> str:
        value = payload.get(key)
        return value[:200] if isinstance(value, str) else ""

    version = payload.get("version")
    return VerificationResult(
        status=status,
        reason=reason,
        identifier=text("identifier"),
        type_code=text("type_code"),
        type_name=text("type_name"),
        issuer_name=text("issuer_name"),
        issuer_code=text("issuer_code"),
        issued_on=_date(payload.get("issued_on")),
        valid_from=_date(payload.get("valid_from")),
        valid_until=_date(payload.get("valid_until")),
        version=version if isinstance(version, int) and not isinstance(version, bool) else None,
        holder_name=shown_holder_name(text("holder_name"), payload.get("holder_code_type")),
        key_id=text("key_id"),
        algorithm=text("algorithm"),
        **extra,
    )


def _signed_problem(document: dict, key: SigningKey | None) -> str | None:
    payload = document["payload"]
    if key is None:
        return f"未知的签名密钥 {document['key_id'][:64]}（不在公布的颁发机构公钥中）"
    if document["algorithm"] != key.algorithm:
        return "签名算法与签名密钥不符"
    if payload.get("key_id") != key.key_id or payload.get("algorithm") != key.algorithm:
        return "签名内容中的密钥标识或算法与签名不符"
    try:
        parsed = identifiers.parse_identifier(
            payload.get("identifier") if isinstance(payload.get("identifier"), str) else ""
        )
    except identifiers.InvalidIdentifier as error:
        return f"证照标识无效：{error}"
    try:
        message = signing.canonical(payload)
    except ValueError as error:
        return f"签名内容格式无效：{error}"
    signature = decode_signature(document["signature"])
    if signature is None or not signing.verify(
        algorithm=key.algorithm, public_pem=key.public_pem, message=message, signature=signature
    ):
        return "签名无效：证照内容已被篡改，或并非由该密钥签署"
    if key.status == KeyStatus.REVOKED:
        return "签名密钥已吊销"
    if set(payload) != PAYLOAD_KEYS or payload["version"] != parsed.version:
        return "签名内容的项目与电子证照格式不符"
    if parsed.issuer_code != key.department.uscc or payload.get("issuer_code") != parsed.issuer_code:
        return "签名密钥不属于证照上的颁发机构"
    return None


def license_verify_signed(document) -> VerificationResult:
    """Verify an uploaded signed licence (dict, or the JSON file's bytes). A malformed file is
    InvalidInput naming what is missing; a well-formed one that does not verify is forged."""
    document = _document(document)
    payload = document["payload"]
    key = SigningKey.objects.select_related("department").filter(key_id=document["key_id"][:64]).first()
    problem = _signed_problem(document, key)
    if problem:
        return _of_payload(payload, VerificationStatus.FORGED, problem)
    license_ = License.objects.filter(identifier=payload["identifier"]).first()
    today = timezone.localdate()
    if license_ is not None:
        if license_.payload_sm3 != sm3_hex(signing.canonical(payload)):
            return _of_payload(payload, VerificationStatus.FORGED, "与证照库中的记录不符")
        status, reason, extra = _registry_status(license_, today)
        return _of_payload(payload, status, reason, **extra)
    valid_until = _date(payload.get("valid_until"))
    if valid_until is not None and valid_until < today:
        return _of_payload(payload, VerificationStatus.EXPIRED, f"签名有效，但该证照已于{valid_until}到期")
    return _of_payload(payload, VerificationStatus.VALID, "签名验证通过（证照库中暂无此证照的状态记录）")


def license_verify_file(data: bytes) -> VerificationResult:
    """Verify an uploaded file: a licence PDF (by the signed JSON embedded in it) or a signed
    licence JSON, told apart by the PDF's `%PDF-` header. A PDF without the embedded JSON is
    forged — nothing in it can be checked; one that cannot be read is InvalidInput."""
    if not pdf_document.is_pdf(data):
        return license_verify_signed(data)
    if len(data) > MAX_PDF_BYTES:
        raise InvalidInput(fields={"document": f"PDF文件过大（至多{MAX_PDF_BYTES // 1024 // 1024} MB）"})
    try:
        embedded = pdf_document.embedded_signed_json(data, limit=MAX_DOCUMENT_BYTES)
    except pdf_document.UnreadablePdf:
        raise InvalidInput(fields={"document": "无法读取该PDF文件（文件已损坏或格式无效）"}) from None
    except pdf_document.AttachmentTooLarge:
        raise InvalidInput(fields={"document": "PDF中的签名数据过大（至多256 KB）"}) from None
    if embedded is None:
        return VerificationResult(status=VerificationStatus.FORGED, reason=NO_SIGNED_DATA)
    return license_verify_signed(embedded)
