"""Reading personal data in full: permission-checked, scoped, and logged (个人信息保护法 §51)."""

from __future__ import annotations

from django.db import transaction

from yiwang.core.accounts.models import User
from yiwang.core.accounts.permissions import can_personal_data_reveal
from yiwang.core.accounts.selectors import user_get_for_actor
from yiwang.core.audit import services as audit
from yiwang.core.errors import InvalidInput, PermissionDenied

REVEALABLE = {"id_number": "身份证号", "phone": "手机号码"}


@transaction.atomic
def personal_data_reveal(*, actor: User, subject_id: int, field: str, purpose: str) -> str:
    """The full value of one field of a person the actor may see, with the read recorded:
    who read whose data, which field, why, through which screen or API, from where."""
    if field not in REVEALABLE:
        raise InvalidInput(fields={"field": "只能查看身份证号或手机号码"})
    purpose = (purpose or "").strip()
    subject = user_get_for_actor(actor=actor, user_id=subject_id)
    if subject.pk == actor.pk:
        # One's own data needs no permission, but the view is still recorded: the log must
        # account for every full view, and a shared or stolen session reads "oneself" too.
        audit.record(
            actor=actor,
            action="core.personal_data.revealed",
            target=subject,
            changes={"field": field, "purpose": purpose[:200] or "本人查看"},
        )
        return getattr(subject, field)
    if not can_personal_data_reveal(actor):
        raise PermissionDenied("没有查看完整个人信息的权限")
    if not purpose or len(purpose) > 200:
        raise InvalidInput(fields={"purpose": "请填写查看事由（1–200字）"})
    audit.record(
        actor=actor,
        action="core.personal_data.revealed",
        target=subject,
        changes={"field": field, "purpose": purpose},
    )
    return getattr(subject, field)
