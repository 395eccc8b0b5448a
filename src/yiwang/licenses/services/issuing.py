"""Issue, revise and revoke electronic licences (GB/T 36901–36905-2018).

A licence gets its 证照标识 `1.2.156.3005.2.<type>.<issuer>.<serial>.<version>.<check>`
(GB/T 36904, licenses.identifiers), metadata per GB/T 36903, and a signature by the issuer's
active key over the canonical payload (services/payload.py). The 流水号 is the year and an
8-digit sequence per (type, issuer, year), taken from a locked counter row, so two officials
issuing at the same moment never get the same serial. Changing a licence issues the next
version (services/revising.py); the old row becomes 已被替代 and still verifies as such.

`license_issue` is the entry point 一网通办 calls when an application is approved (the
services pillar registers its own workflow effect around it: it knows the application's
materials and holder, this package must not import it — DESIGN.md, dependencies point one way).
"""

from __future__ import annotations

import base64
import json
from datetime import date

from django.db import IntegrityError, transaction
from django.utils import timezone

from yiwang.core import personal_data
from yiwang.core.audit import services as audit
from yiwang.core.errors import InvalidInput, PermissionDenied, invalid
from yiwang.core.notify.services import notify
from yiwang.licenses import identifiers, signing
from yiwang.licenses.models import HolderKind, License, LicenseType, SerialCounter
from yiwang.licenses.permissions import can_license_issue
from yiwang.licenses.services import shapes
from yiwang.licenses.services.keys import signing_key_for_issuer, signing_key_sign
from yiwang.licenses.services.payload import build_payload, sm3_hex

_HOLDER_ACCOUNT = {HolderKind.CITIZEN: "citizen", HolderKind.LEGAL_PERSON: "enterprise"}


def _next_serial(license_type: LicenseType, issuer, year: int) -> str:
    lookup = {"license_type": license_type, "issuer": issuer, "year": year}
    counter = SerialCounter.objects.select_for_update().filter(**lookup).first()
    if counter is None:
        try:
            with transaction.atomic():
                SerialCounter.objects.create(**lookup)
        except IntegrityError:
            pass  # another issue created it first; its row lock orders us after it
        counter = SerialCounter.objects.select_for_update().get(**lookup)
    counter.last += 1
    counter.save(update_fields=["last"])
    return f"{year}{counter.last:08d}"


def holder_code_for(license_type: LicenseType, holder) -> tuple[str, str]:
    """(持证主体代码, blind-index kind): 公民身份号码 for citizens, USCC for legal persons."""
    wanted = _HOLDER_ACCOUNT[HolderKind(license_type.holder_kind)]
    if holder is None or holder.kind != wanted or not holder.is_active:
        label = "个人" if wanted == "citizen" else "法人（企业）"
        raise invalid("holder_id", f"“{license_type.name}”的持证主体应为{label}账号")
    code = holder.id_number if wanted == "citizen" else holder.uscc
    if not code:
        missing = "身份证号" if wanted == "citizen" else "统一社会信用代码"
        raise invalid("holder_id", f"持证主体账号缺少{missing}，无法颁发")
    return code, "id_number" if wanted == "citizen" else "uscc"


def _issuer(actor, license_type: LicenseType, issuer):
    issuers = list(license_type.issuers.all())
    if issuer is None:
        mine = [d for d in issuers if can_license_issue(actor, d)]
        if not mine:
            raise PermissionDenied(f"没有颁发“{license_type.name}”的权限（licenses.issue）")
        if len(mine) > 1:
            raise invalid("issuer_id", "您可以多个部门的名义颁发，请选择颁发机构")
        issuer = mine[0]
    elif issuer.pk not in {d.pk for d in issuers}:
        raise invalid("issuer_id", f"“{issuer.name}”不是“{license_type.name}”的颁发机构")
    elif not can_license_issue(actor, issuer):
        raise PermissionDenied(f"没有以“{issuer.name}”名义颁发证照的权限（licenses.issue）")
    if not issuer.uscc or not issuer.is_active:
        raise invalid("issuer_id", f"“{issuer.name}”已停用或没有统一社会信用代码，不能作为颁发机构")
    return issuer


def required_text(field: str, label: str, value, max_length: int) -> str:
    text = value.strip() if isinstance(value, str) else ""
    if not text or len(text) > max_length or "\x00" in text:
        raise invalid(field, f"{label}不能为空，至多{max_length}字")
    return text


def checked_dates(errors, *, issued_on, valid_from, valid_until, rule) -> tuple[date, date, date | None]:
    today = timezone.localdate()
    for field, value in (("issued_on", issued_on), ("valid_from", valid_from), ("valid_until", valid_until)):
        if value is not None and not isinstance(value, date):
            errors[field] = "日期格式应为 YYYY-MM-DD"
    if errors:
        raise InvalidInput(fields=errors)
    issued_on = issued_on or today
    if issued_on > today:
        errors["issued_on"] = "颁发日期不能晚于今天"
    valid_from = valid_from or issued_on
    if valid_until is None:
        valid_until = shapes.valid_until_for(rule, valid_from)
    elif valid_until < valid_from:
        errors["valid_until"] = "有效期截止不能早于有效期起始"
    return issued_on, valid_from, valid_until


def sign_and_save(license_: License, *, holder_code: str, index_kind: str, data: dict) -> License:
    key = signing_key_for_issuer(license_.issuer)
    license_.key, license_.algorithm = key, key.algorithm
    message = signing.canonical(build_payload(license_=license_, holder_code=holder_code, data=data))
    license_.payload_sm3 = sm3_hex(message)
    license_.signature = base64.b64encode(signing_key_sign(key, message)).decode("ascii")
    license_.holder_code_encrypted = personal_data.encrypt(holder_code)
    license_.holder_code_index = personal_data.blind_index(index_kind, holder_code)
    license_.data_encrypted = personal_data.encrypt(json.dumps(data, ensure_ascii=False, sort_keys=True))
    license_.save(force_insert=True)
    return license_


def tell_holder(license_: License, title: str, body: str) -> None:
    notify(recipient=license_.holder, title=title, body=body, category="licenses")


@transaction.atomic
def license_issue(
    *,
    actor,
    license_type: LicenseType,
    holder,
    number: str,
    data: dict,
    issued_on: date | None = None,
    valid_from: date | None = None,
    valid_until: date | None = None,
    issuer=None,
) -> License:
    """Issue version 1 of a licence to `holder` in the name of `issuer` (default: the one issuing
    department of the type the actor may act for). Validity follows the type's rule unless given."""
    if not license_type.is_active:
        raise invalid("type_code", f"证照类型“{license_type.name}”已停用")
    issuer = _issuer(actor, license_type, issuer)
    holder_code, index_kind = holder_code_for(license_type, holder)
    number = required_text("number", "证照编号", number, 64)
    data = shapes.check_data(license_type.fields, data)
    errors: dict[str, str] = {}
    issued_on, valid_from, valid_until = checked_dates(
        errors,
        issued_on=issued_on,
        valid_from=valid_from,
        valid_until=valid_until,
        rule=license_type.validity,
    )
    if errors:
        raise InvalidInput(fields=errors)
    signing_key_for_issuer(issuer)  # no key: refuse before a serial is spent
    serial = _next_serial(license_type, issuer, timezone.localdate().year)
    text = identifiers.build_identifier(
        type_code=license_type.code, issuer_code=issuer.uscc, serial=serial, version=1
    )
    license_ = License(
        license_type=license_type,
        type_code=license_type.code,
        type_name=license_type.name,
        identifier=text,
        series=text.rsplit(".", 2)[0],
        serial=serial,
        version=1,
        number=number,
        holder=holder,
        holder_name=holder.display_name,
        holder_code_type=license_type.holder_code_type,
        issuer=issuer,
        issuer_code=issuer.uscc,
        issuer_name=issuer.name,
        issued_on=issued_on,
        valid_from=valid_from,
        valid_until=valid_until,
        created_by=actor,
    )
    sign_and_save(license_, holder_code=holder_code, index_kind=index_kind, data=data)
    audit.record(
        actor=actor,
        action="licenses.license.issued",
        target=license_,
        changes={"identifier": text, "type": license_type.code, "holder": holder.pk, "issuer": issuer.pk},
    )
    tell_holder(license_, "您获得了一份电子证照", f"{license_.issuer_name}向您颁发了“{license_.type_name}”。")
    return license_
