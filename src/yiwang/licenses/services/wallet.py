"""我的证照: what a holder does with their own licences — download the signed licence, share a
time-limited verification link, withdraw it — and the public side of such a link.

A share link's token is shown once; only its SHA-256 is stored (like API tokens), so a leaked
database does not leak working links. The page behind the link shows the verification result
plus the full holder name and 证照编号 — the holder chose to show those — never the holder code
or the licence's fields.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from yiwang.core.audit import services as audit
from yiwang.core.errors import Conflict, NotFound, invalid
from yiwang.licenses.models import License, LicenseStatus, ShareLink
from yiwang.licenses.services.payload import signed_document
from yiwang.licenses.services.verification import VerificationResult, license_verify_identifier

SHARE_HOURS_DEFAULT = 72
SHARE_HOURS_MAX = 30 * 24


def _own(actor, license_: License) -> None:
    # Another holder's licence is "not found", never "forbidden": a 403 would confirm it exists.
    if actor is None or not getattr(actor, "is_authenticated", False) or license_.holder_id != actor.pk:
        raise NotFound("证照不存在或无权查看")


@transaction.atomic
def license_download_signed(*, actor, license: License) -> dict:
    """The signed licence JSON of one's own licence (services/payload.py), the read audited."""
    _own(actor, license)
    document = signed_document(license)
    audit.record(
        actor=actor, action="licenses.license.downloaded", target=license, changes={"format": "signed-json"}
    )
    return document


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


@transaction.atomic
def share_link_create(*, actor, license: License, hours: int = SHARE_HOURS_DEFAULT) -> tuple[ShareLink, str]:
    """A verification link valid for `hours` (1–720); returns the link and its token, shown once."""
    _own(actor, license)
    if isinstance(hours, bool) or not isinstance(hours, int) or not 1 <= hours <= SHARE_HOURS_MAX:
        raise invalid("hours", f"有效时长应为1–{SHARE_HOURS_MAX}小时")
    if license.status != LicenseStatus.VALID or license.is_expired():
        raise Conflict("只能分享有效期内的有效证照")
    token = secrets.token_urlsafe(32)
    link = ShareLink.objects.create(
        license=license,
        token_sha256=_token_hash(token),
        expires_at=timezone.now() + timedelta(hours=hours),
        created_by=actor,
    )
    audit.record(
        actor=actor,
        action="licenses.share.created",
        target=license,
        changes={"share_link": link.pk, "expires_at": link.expires_at},
    )
    return link, token


@transaction.atomic
def share_link_revoke(*, actor, link: ShareLink) -> ShareLink:
    """撤回: the link stops working at once (its page says 链接已失效). Only the licence's holder
    may; anyone else gets NotFound. Withdrawing a withdrawn link changes nothing."""
    link = ShareLink.objects.select_for_update().select_related("license").filter(pk=link.pk).first()
    if link is None:
        raise NotFound("分享链接不存在")
    _own(actor, link.license)
    if link.revoked_at is not None:
        return link
    link.revoked_at = timezone.now()
    link.save(update_fields=["revoked_at"])
    audit.record(
        actor=actor,
        action="licenses.share.revoked",
        target=link.license,
        changes={"share_link": link.pk, "expires_at": link.expires_at},
    )
    return link


@dataclass(frozen=True)
class SharedLicense:
    result: VerificationResult
    holder_name: str
    number: str
    expires_at: datetime


def share_link_resolve(token) -> SharedLicense:
    """Public: what a share link shows while it lasts; NotFound once expired or withdrawn."""
    gone = NotFound("分享链接不存在或已过期")
    if not isinstance(token, str) or not 16 <= len(token) <= 128:
        raise gone
    link = (
        ShareLink.objects.select_related("license")
        .filter(token_sha256=_token_hash(token), revoked_at=None, expires_at__gt=timezone.now())
        .first()
    )
    if link is None:
        raise gone
    license_ = link.license
    return SharedLicense(
        result=license_verify_identifier(license_.identifier),
        holder_name=license_.holder_name,
        number=license_.number,
        expires_at=link.expires_at,
    )
