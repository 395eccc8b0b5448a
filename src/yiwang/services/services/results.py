"""办理结果 and 决定文书.

- 准予: the item's result — an electronic licence issued through the licence library
  (`license_issue`, GB/T 36901–36905: signed by the implementing department's key, in the
  holder's wallet), or, for items whose result is not a licence, a signed 准予决定书;
- 不予: a signed 不予许可决定书 with the reasons, the legal basis and the right to 行政复议 or
  行政诉讼 (行政许可法 §38 ¶2);
- 不予受理: a signed 不予受理通知书 (行政许可法 §32: refused in writing, with the reason).

A document's content is a JSON object of strings; the department's active signing key signs
its canonical bytes (licenses/signing.canonical, SM2 with SM3 by default) — the same key and
the same canonical form as its licences, so one published key list verifies both.
"""

from __future__ import annotations

import base64

from django.utils import timezone

from yiwang.core.errors import Conflict
from yiwang.licenses import signing
from yiwang.licenses.models import KeyStatus, LicenseType
from yiwang.licenses.services.issuing import license_issue
from yiwang.licenses.services.keys import signing_key_for_issuer, signing_key_sign
from yiwang.services.documents_decision import decision_pdf
from yiwang.services.documents_receipt import applicant_code_masked, cn_date, cn_datetime
from yiwang.services.documents_store import attach_generated_pdf
from yiwang.services.models import DecisionDocument, ItemType, ResultKind
from yiwang.services.numbers import next_number

Kind = DecisionDocument.Kind
# 行政复议法 §20 (sixty days) and 行政诉讼法 §46 (six months): what §38 ¶2 requires be told.
REMEDY = (
    "如不服本决定，可以自收到本决定书之日起六十日内依法申请行政复议，"
    "或者自收到本决定书之日起六个月内依法向人民法院提起行政诉讼。"
)
NUMBER_TAG = {Kind.APPROVAL: "准字", Kind.REJECTION: "不许字", Kind.NOT_ACCEPTED: "不受字"}
NOT_ACCEPTED_BASIS = "《中华人民共和国行政许可法》第三十二条"


def license_data_for(application) -> dict:
    """The licence's fields from `result_field_map`: "form:<code>" (the form's answer),
    "applicant.name", "applicant.code" (id number or USCC), "application.number"."""
    applicant = application.applicant
    sources = {
        "applicant.name": applicant.display_name,
        "applicant.code": (applicant.uscc if applicant.kind == "enterprise" else applicant.id_number) or "",
        "application.number": application.number or "",
    }
    data = {}
    for field, source in (application.item_version.result_field_map or {}).items():
        if isinstance(source, str) and source.startswith("form:"):
            value = (application.form_data or {}).get(source.removeprefix("form:"), "")
        else:
            value = sources.get(source, "")
        if value not in ("", None):
            data[field] = value
    return data


def result_issue(*, actor, application) -> None:
    """准予: the licence (application.license) or the signed 准予决定书; the caller saves."""
    version = application.item_version
    if version.result_kind != ResultKind.LICENSE:
        decision_document_create(actor=actor, application=application, kind=Kind.APPROVAL)
        return
    license_type = LicenseType.objects.filter(code=version.result_license_type).first()
    if license_type is None:
        raise Conflict(
            f"事项“{version.name}”的结果证照类型“{version.result_license_type}”不存在，无法颁发证照，请联系事项管理员"
        )
    application.license = license_issue(
        actor=actor,
        license_type=license_type,
        holder=application.applicant,
        number=application.number,
        data=license_data_for(application),
        issuer=application.item.department,
    )


def _document_number(department, kind: str) -> str:
    """`市市场监督管理局不许字〔2026〕12号`: the department's short name, the kind, the year and
    the year's serial (services.numbers, never reused)."""
    serial = next_number("document")
    year, sequence = serial[:4], int(serial[4:])
    return f"{department.short_name or department.name}{NUMBER_TAG[kind]}〔{year}〕{sequence}号"


def _texts(application, kind: str, *, reasons: str, basis: str) -> dict:
    version = application.item_version
    submitted = cn_datetime(application.submitted_at or application.created_at)
    asked = f"你（单位）于{submitted}提出的“{version.name}”申请（办件编号 {application.number}）"
    licensing = version.item_type == ItemType.LICENSING
    if kind == Kind.APPROVAL:
        return {
            "title": version.result_name or "准予决定书",
            "decision": f"{asked}，经审查，符合法定条件、标准，本机关决定{'准予行政许可' if licensing else '予以批准'}。",
            "reasons": "",
            "basis": basis or version.legal_basis,
            "remedy": "",
        }
    if kind == Kind.REJECTION:
        return {
            "title": "不予许可决定书" if licensing else "不予批准决定书",
            "decision": f"{asked}，经审查，本机关决定{'不予行政许可' if licensing else '不予批准'}。",
            "reasons": reasons,
            "basis": basis or version.legal_basis,
            "remedy": REMEDY,
        }
    return {
        "title": "不予受理通知书",
        "decision": f"{asked}，经审查，本机关决定不予受理。",
        "reasons": reasons,
        "basis": basis or (NOT_ACCEPTED_BASIS if licensing else version.legal_basis),
        "remedy": REMEDY,
    }


def decision_document_create(
    *, actor, application, kind: str, reasons: str = "", basis: str = ""
) -> DecisionDocument:
    """Write, sign (the implementing department's key) and keep one decision document."""
    department = application.department
    key = signing_key_for_issuer(department)  # no key: Conflict naming the department
    code_type, code = applicant_code_masked(application.applicant)
    today = timezone.now()
    content = {
        **_texts(application, kind, reasons=reasons, basis=basis),
        "kind": str(kind),
        "number": _document_number(department, kind),
        "application": application.number,
        "item": application.item_version.name,
        "item_code": application.item.implementation_code,
        "applicant": {"name": application.applicant.display_name, "code_type": code_type, "code": code},
        "department": {"name": department.name, "code": department.uscc or ""},
        "date": timezone.localdate(today).isoformat(),
        "date_text": cn_date(today),
        "key_id": key.key_id,
        "algorithm": key.algorithm,
    }
    signature = base64.b64encode(signing_key_sign(key, signing.canonical(content))).decode("ascii")
    pdf = decision_pdf(
        content=content,
        signature_b64=signature,
        key_id=key.key_id,
        algorithm=key.algorithm,
        fingerprint=key.fingerprint,
    )
    attachment = attach_generated_pdf(
        actor=actor, application=application, name=f"{content['title']}-{application.number}.pdf", data=pdf
    )
    return DecisionDocument.objects.create(
        application=application,
        kind=kind,
        number=content["number"],
        content=content,
        signature=signature,
        signing_key=key,
        pdf=attachment,
        created_at=today,
    )


def decision_document_verify(document: DecisionDocument) -> bool:
    """True only when the stored content is what the department's (unrevoked) key signed."""
    key = document.signing_key
    if key is None or key.status == KeyStatus.REVOKED or not document.signature:
        return False
    try:
        message = signing.canonical(document.content)
        signature = base64.b64decode(document.signature, validate=True)
    except (ValueError, TypeError):
        return False
    return signing.verify(
        algorithm=key.algorithm, public_pem=key.public_pem, message=message, signature=signature
    )
