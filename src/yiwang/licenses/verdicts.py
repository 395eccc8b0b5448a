"""What the pages call each status of a licence (verification.VerificationStatus codes). The
public page says 伪造或无效: a verifier cannot tell a forgery from a typo, the reason says which."""

from django.utils.translation import gettext_lazy as _

from yiwang.licenses.services.reading import effective_status

STATUS_LABELS = {
    "valid": _("有效"),
    "expired": _("已过期"),
    "revoked": _("已吊销"),
    "superseded": _("已被新版本替代"),
    "forged": _("伪造或无效"),
    "not_found": _("未找到"),
}


def label_of(status: str) -> str:
    return STATUS_LABELS.get(status, status)


def with_status(licenses):
    """Each licence of a page with its shown status (expiry by date applied) and label."""
    for license_ in licenses:
        license_.shown_status = effective_status(license_)
        license_.shown_status_label = label_of(license_.shown_status)
    return licenses
