"""Changes to an issued licence: 变更 (a new version) and 吊销 (GB/T 36901–36905-2018).

变更 never edits a signed row: it issues version n+1 under the same series and serial, signed
with the issuer's current key, and marks version n 已被替代 (superseded_by set), which still
verifies — as superseded, naming the newest version. 吊销 marks the newest version revoked;
verifiers see it at once (verification reads the row, nothing is cached).
"""

from __future__ import annotations

import json

from django.db import transaction
from django.utils import timezone

from yiwang.core import personal_data
from yiwang.core.audit import services as audit
from yiwang.core.errors import Conflict, InvalidInput, PermissionDenied, invalid
from yiwang.licenses import identifiers
from yiwang.licenses.models import License, LicenseStatus
from yiwang.licenses.permissions import can_license_issue, can_license_revoke
from yiwang.licenses.services import shapes
from yiwang.licenses.services.issuing import (
    checked_dates,
    holder_code_for,
    required_text,
    sign_and_save,
    tell_holder,
)

_UNSET = object()


def _locked_current(license_: License, verb: str) -> License:
    current = (
        License.objects.select_for_update()
        .select_related("issuer", "license_type", "holder")
        .get(pk=license_.pk)
    )
    if current.status != LicenseStatus.VALID:
        raise Conflict(f"只能{verb}有效的最新版本证照（此版本{current.get_status_display()}）")
    return current


@transaction.atomic
def license_revise(
    *, actor, license: License, data=None, number=None, valid_from=None, valid_until=_UNSET, reason: str = ""
) -> License:
    """变更: the next version with changed content; the old version becomes 已被替代. Left-out
    arguments keep the old values; `valid_until=None` recomputes it from the type's rule."""
    if not can_license_issue(actor, license.issuer):
        raise PermissionDenied(f"没有以“{license.issuer.name}”名义变更证照的权限（licenses.issue）")
    old = _locked_current(license, "变更")
    if old.version >= identifiers.VERSION_MAX:
        raise Conflict(f"证照版本已达上限 {identifiers.VERSION_MAX}，请重新颁发")
    reason = reason.strip() if isinstance(reason, str) else ""
    if len(reason) > 200:
        raise invalid("reason", "变更原因至多200字")
    license_type = old.license_type
    holder_code, index_kind = holder_code_for(license_type, old.holder)
    old_data = json.loads(personal_data.decrypt(old.data_encrypted))
    new_data = shapes.check_data(license_type.fields, old_data if data is None else data)
    number = old.number if number is None else required_text("number", "证照编号", number, 64)
    errors: dict[str, str] = {}
    _, valid_from, valid_until = checked_dates(
        errors,
        issued_on=None,
        valid_from=valid_from or old.valid_from,
        valid_until=old.valid_until if valid_until is _UNSET else valid_until,
        rule=license_type.validity,
    )
    if errors:
        raise InvalidInput(fields=errors)
    version = old.version + 1
    text = identifiers.build_identifier(
        type_code=old.type_code, issuer_code=old.issuer_code, serial=old.serial, version=version
    )
    new = License(
        license_type=license_type,
        type_code=old.type_code,
        type_name=license_type.name,
        identifier=text,
        series=old.series,
        serial=old.serial,
        version=version,
        number=number,
        holder=old.holder,
        holder_name=old.holder.display_name,
        holder_code_type=old.holder_code_type,
        issuer=old.issuer,
        issuer_code=old.issuer_code,
        issuer_name=old.issuer.name,
        issued_on=timezone.localdate(),
        valid_from=valid_from,
        valid_until=valid_until,
        created_by=actor,
    )
    sign_and_save(new, holder_code=holder_code, index_kind=index_kind, data=new_data)
    old.status, old.superseded_by = LicenseStatus.SUPERSEDED, new
    old.save(update_fields=["status", "superseded_by"])
    changed = sorted(k for k in set(old_data) | set(new_data) if old_data.get(k) != new_data.get(k))
    audit.record(
        actor=actor,
        action="licenses.license.revised",
        target=new,
        changes={
            "from": old.identifier,
            "to": text,
            "data": changed,
            "number": number != old.number,
            "reason": reason,
        },
    )
    tell_holder(new, "您的电子证照已变更", f"“{new.type_name}”已更新为第{version}版，旧版本不再有效。")
    return new


@transaction.atomic
def license_revoke(*, actor, license: License, reason: str) -> License:
    """吊销 by the issuer, with a reason; verifiers see it at once (nothing is cached)."""
    if not can_license_revoke(actor, license):
        raise PermissionDenied(f"没有吊销“{license.issuer.name}”所发证照的权限（licenses.revoke）")
    reason = reason.strip() if isinstance(reason, str) else ""
    if not reason or len(reason) > 200:
        raise InvalidInput(fields={"reason": "请填写吊销原因（1–200字）"})
    current = _locked_current(license, "吊销")
    current.status, current.revoked_at = LicenseStatus.REVOKED, timezone.now()
    current.revoked_reason, current.revoked_by = reason, actor
    current.save(update_fields=["status", "revoked_at", "revoked_reason", "revoked_by"])
    audit.record(
        actor=actor,
        action="licenses.license.revoked",
        target=current,
        changes={"identifier": current.identifier, "status": ["valid", "revoked"], "reason": reason},
    )
    tell_holder(
        current, "您的电子证照已被吊销", f"“{current.type_name}”已被{current.issuer_name}吊销：{reason}"
    )
    return current
