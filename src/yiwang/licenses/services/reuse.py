"""用证 (免提交): other modules ask for a holder's licence instead of a copy from the applicant.

Every successful look-up is a use of the holder's personal data: it writes a LicenseUse row the
holder sees on their own page (who, when, for what) and an audit record (个人信息保护法 §51;
GB/T 36905 用证日志). A look-up that finds nothing is audited too: whether a person holds a
licence is itself information about them.
"""

from __future__ import annotations

from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone

from yiwang.core.audit import services as audit
from yiwang.core.errors import InvalidInput, PermissionDenied, invalid
from yiwang.licenses.models import License, LicenseStatus, LicenseType, LicenseUse
from yiwang.licenses.permissions import can_license_use
from yiwang.licenses.services.payload import forged_reason
from yiwang.licenses.services.reading import LicenseContent, license_content

_CANDIDATES = 5  # newest valid licences tried in turn; a forged row is skipped, never handed out


def _subject(subject) -> tuple[str, str]:
    """What the licence is used for: a model instance (an application) or (type, id) strings."""
    if subject is None:
        return "", ""
    if isinstance(subject, models.Model):
        return f"{subject._meta.app_label}.{subject._meta.model_name}", str(subject.pk)
    if (
        isinstance(subject, tuple)
        and len(subject) == 2
        and all(isinstance(part, str) for part in subject)
        and len(subject[0]) <= 100
        and len(subject[1]) <= 64
    ):
        return subject[0].strip(), subject[1].strip()
    raise invalid("subject", "办理对象应为（类型, 编号），类型至多100字，编号至多64字")


@transaction.atomic
def license_lookup(*, actor, holder, type_code: str, purpose: str, subject=None) -> License | None:
    """The holder's valid, unexpired licence of that type (newest version first), or None.
    Officials need licenses.use; holders (and an enterprise's 经办人) may look up their own."""
    if holder is None:
        raise invalid("holder", "请指定持证主体")
    if not can_license_use(actor, holder):
        raise PermissionDenied("没有调用电子证照的权限（licenses.use）")
    purpose = purpose.strip() if isinstance(purpose, str) else ""
    errors: dict[str, str] = {}
    if not purpose or len(purpose) > 200:
        errors["purpose"] = "请填写用证事由（1–200字）"
    license_type = LicenseType.objects.filter(code=type_code).first() if isinstance(type_code, str) else None
    if license_type is None:
        errors["type_code"] = "证照类型不存在"
    if errors:
        raise InvalidInput(fields=errors)
    subject_type, subject_id = _subject(subject)
    today = timezone.localdate()
    candidates = (
        License.objects.select_related("key", "issuer", "license_type")
        .filter(holder=holder, license_type=license_type, status=LicenseStatus.VALID)
        .filter(Q(valid_until=None) | Q(valid_until__gte=today))
        .order_by("-issued_on", "-version", "-id")[:_CANDIDATES]
    )
    found = next((c for c in candidates if forged_reason(c) is None), None)
    if found is not None:
        LicenseUse.objects.create(
            license=found, used_by=actor, purpose=purpose, subject_type=subject_type, subject_id=subject_id
        )
    audit.record(
        actor=actor,
        action="licenses.license.used" if found else "licenses.license.looked_up",
        target=found or holder,
        changes={
            "holder": holder.pk,
            "type": license_type.code,
            "purpose": purpose,
            "subject": f"{subject_type}:{subject_id}" if subject_type else "",
            "found": found.identifier if found else None,
        },
    )
    return found


@transaction.atomic
def license_lookup_content(
    *, actor, holder, type_code: str, purpose: str, subject=None
) -> LicenseContent | None:
    """license_lookup for a person at a screen (the officials' 用证 page): the found licence
    with its content (照面信息, holder code as the licence shows it), or None. The use is
    logged by license_lookup; if the content cannot be read the whole look-up is undone."""
    found = license_lookup(actor=actor, holder=holder, type_code=type_code, purpose=purpose, subject=subject)
    return None if found is None else license_content(found)
