"""Personal API tokens: random secrets shown once, stored as SHA-256, revocable, expiring."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from yiwang.core.accounts.models import ApiToken, User
from yiwang.core.audit import services as audit
from yiwang.core.errors import InvalidInput, NotFound

TOKEN_PREFIX = "yw_"


def token_digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@transaction.atomic
def api_token_create(*, actor: User, name: str, days: int = 90) -> tuple[ApiToken, str]:
    """Returns the token row and its secret; the secret is never stored or shown again."""
    errors = {}
    name = (name or "").strip()
    if not name or len(name) > 64:
        errors["name"] = "令牌名称为1–64个字"
    if not isinstance(days, int) or not 1 <= days <= settings.API_TOKEN_MAX_DAYS:
        errors["days"] = f"有效期应为1–{settings.API_TOKEN_MAX_DAYS}天"
    if errors:
        raise InvalidInput(fields=errors)
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=actor,
        name=name,
        prefix=secret[: len(TOKEN_PREFIX) + 6],
        token_hash=token_digest(secret),
        expires_at=timezone.now() + timedelta(days=days),
    )
    audit.record(actor=actor, action="core.api_token.created", target=token, changes={"days": days})
    return token, secret


@transaction.atomic
def api_token_revoke(*, actor: User, token_id: int) -> ApiToken:
    token = ApiToken.objects.filter(pk=token_id, user=actor).first()
    if token is None:
        raise NotFound()
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit.record(actor=actor, action="core.api_token.revoked", target=token)
    return token


def api_token_authenticate(secret: str) -> User | None:
    """The active user a live token belongs to, or None."""
    if not secret or not secret.startswith(TOKEN_PREFIX) or len(secret) > 128:
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(token_hash=token_digest(secret), revoked_at=None, expires_at__gt=timezone.now())
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    now = timezone.now()
    # Touch at most once a minute: a busy integration must not turn every read into a write.
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=1):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
