"""Reading a licence's content: the 照面信息 and holder code decrypted for the holder or for an
official of the issuing department, and the licence as a PDF for its holder, with its signed
licence JSON embedded (pdf_document.py) so the PDF itself verifies offline.

The content is personal data, so every read is audited, one's own included (个人信息保护法 §51;
core.accounts.services.personal records a person's view of their own 身份证号 the same way: a
shared or stolen session reads "oneself" too). The holder code is shown as the licence shows
it: a 统一社会信用代码 in full (企业信用信息公示), a 公民身份号码 masked.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from django.db import transaction

from yiwang.core import personal_data
from yiwang.core.audit import services as audit
from yiwang.core.errors import Conflict, NotFound
from yiwang.licenses.models import HolderCodeType, License, LicenseStatus
from yiwang.licenses.pdf_document import attach_signed_json
from yiwang.licenses.permissions import can_license_issue, can_license_revoke
from yiwang.licenses.rendering import LicenseSheet, render_pdf
from yiwang.licenses.selectors_seal import issuer_seal_png
from yiwang.licenses.services.payload import signed_document

# Stamped across a PDF downloaded after the licence stopped being valid.
STATUS_NOTES = {"revoked": "已吊销", "superseded": "已被替代", "expired": "已过期"}
DEFAULT_ACCENT = "#B22222"


@dataclass(frozen=True)
class LicenseContent:
    license: License
    holder_code_shown: str
    fields: tuple[tuple[str, str], ...]  # (label, value) in the type's layout order
    data: dict  # values by field name, as signed (for the 变更 form)


def holder_code_shown(license_: License, code: str) -> str:
    return code if license_.holder_code_type == HolderCodeType.USCC else personal_data.mask_id_number(code)


def _ordered_fields(license_: License, data: dict) -> tuple[tuple[str, str], ...]:
    """The type's fields in its layout order (listed names first, then the rest as declared);
    a value whose field the type has since dropped is shown under its own name."""
    specs = {spec["name"]: spec for spec in license_.license_type.fields}
    order = list(license_.license_type.layout.get("order", []))
    names = order + [name for name in specs if name not in order]
    names += [name for name in data if name not in names]
    return tuple(
        (specs[name]["label"] if name in specs else name, str(data[name]))
        for name in names
        if data.get(name) not in (None, "")
    )


def license_content(license_: License) -> LicenseContent:
    """The licence's content, decrypted. No permission check and no audit: callers check and
    record the read (the functions below, and services/reuse.py for 用证)."""
    try:
        data = json.loads(personal_data.decrypt(license_.data_encrypted))
        code = personal_data.decrypt(license_.holder_code_encrypted)
    except (personal_data.DecryptionFailed, ValueError):
        raise Conflict("证照数据无法读取（可能已被篡改），请联系颁发机构") from None
    if not isinstance(data, dict):
        raise Conflict("证照数据无法读取（可能已被篡改），请联系颁发机构")
    return LicenseContent(
        license=license_,
        holder_code_shown=holder_code_shown(license_, code),
        fields=_ordered_fields(license_, data),
        data=data,
    )


def _own(actor, license_: License) -> None:
    # Another holder's licence is "not found", never "forbidden" (services/wallet.py says why).
    if actor is None or not getattr(actor, "is_authenticated", False) or license_.holder_id != actor.pk:
        raise NotFound("证照不存在或无权查看")


@transaction.atomic
def license_read_for_holder(*, actor, license: License) -> LicenseContent:
    """我的证照: one's own licence with its content; the read is audited."""
    _own(actor, license)
    content = license_content(license)
    audit.record(actor=actor, action="licenses.license.read", target=license, changes={"as": "holder"})
    return content


@transaction.atomic
def license_read_for_official(*, actor, license: License) -> LicenseContent:
    """An issuing department's licence with its content, for an official who may issue or
    revoke in its name; anyone else gets NotFound. The read is audited."""
    if not (can_license_issue(actor, license.issuer) or can_license_revoke(actor, license)):
        raise NotFound("证照不存在或无权查看")
    content = license_content(license)
    audit.record(actor=actor, action="licenses.license.read", target=license, changes={"as": "official"})
    return content


def effective_status(license_: License, today=None) -> str:
    """valid | expired | revoked | superseded: the stored status with expiry by date applied
    (the codes of verification.VerificationStatus)."""
    if license_.status != LicenseStatus.VALID:
        return license_.status
    return "expired" if license_.is_expired(today) else "valid"


def status_note(license_: License) -> str:
    return STATUS_NOTES.get(effective_status(license_), "")


def license_sheet(content: LicenseContent, *, verify_url: str) -> LicenseSheet:
    """The PDF's plain data, with the issuer's seal image (selectors_seal) or, when it has
    none, None: the default seal is drawn."""
    license_ = content.license
    return LicenseSheet(
        title=license_.type_name,
        identifier=license_.identifier,
        number=license_.number,
        holder_name=license_.holder_name,
        holder_code_masked=content.holder_code_shown,
        holder_code_type_name=license_.get_holder_code_type_display(),
        issuer_name=license_.issuer_name,
        issued_on=license_.issued_on,
        valid_from=license_.valid_from,
        valid_until=license_.valid_until,
        fields=content.fields,
        verify_url=verify_url,
        signature_b64=license_.signature,
        key_id=license_.key.key_id,
        algorithm=license_.algorithm,
        seal_png=issuer_seal_png(license_.issuer_id),
        status_note=status_note(license_),
        accent=license_.license_type.layout.get("accent") or DEFAULT_ACCENT,
    )


@transaction.atomic
def license_pdf_for_holder(*, actor, license: License, verify_url: str) -> bytes:
    """One's own licence as a PDF whose QR code points at `verify_url`, carrying the signed
    licence JSON as the attachment `license.json`; the download is audited."""
    _own(actor, license)
    content = license_content(license)  # Conflict when the stored data cannot be read
    pdf = attach_signed_json(
        render_pdf(license_sheet(content, verify_url=verify_url)), signed_document(license)
    )
    audit.record(actor=actor, action="licenses.license.downloaded", target=license, changes={"format": "pdf"})
    return pdf
