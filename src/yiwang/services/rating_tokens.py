"""一次一评 at the window (STANDARDS §5): the receipt carries a QR code with a signed token
naming the application, so the person rates from their phone without signing in; the
signature (django.core.signing, salted) stops anyone rating an application they were not
handed a receipt for. One rating per application per channel (models.Rating)."""

from __future__ import annotations

from django.core import signing

_SALT = "yiwang.services.window-rating"
MAX_AGE_DAYS = 30  # a receipt's QR code rates the visit within a month


def make_token(application) -> str:
    return signing.dumps({"a": application.pk}, salt=_SALT, compress=True)


def read_token(token: str) -> int | None:
    """The application id of a valid, unexpired token, or None."""
    try:
        data = signing.loads(token, salt=_SALT, max_age=MAX_AGE_DAYS * 86400)
    except (signing.BadSignature, TypeError, ValueError):
        return None
    value = data.get("a") if isinstance(data, dict) else None
    return value if isinstance(value, int) and not isinstance(value, bool) else None
