"""Changing and retiring accounts an administrator manages: atomic, checked, audited."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from yiwang.core import personal_data
from yiwang.core.accounts.models import ApiToken, User, UserKind
from yiwang.core.accounts.permissions import can_user_administer
from yiwang.core.accounts.services.users import FieldErrors, check_name, check_phone, set_phone
from yiwang.core.audit import services as audit
from yiwang.core.concurrency import save_if_version
from yiwang.core.errors import InvalidInput, PermissionDenied


@transaction.atomic
def official_update(
    *,
    actor: User,
    user: User,
    expected_version: int | None = None,
    display_name: str | None = None,
    phone: str | None = None,
    is_active: bool | None = None,
) -> User:
    """Edit an official's name, phone or active flag. `expected_version` is the version the
    editor read; a concurrent edit makes the loser's save a 409 (concurrency.save_if_version)."""
    if not can_user_administer(actor, user):
        raise PermissionDenied("无权修改该账号")
    if user.kind != UserKind.OFFICIAL:
        raise InvalidInput(fields={"user": "只能修改工作人员的账号信息"})
    errors = FieldErrors()
    changes: dict[str, list] = {}
    fields: list[str] = []
    if display_name is not None:
        display_name = check_name(errors, "display_name", "姓名", display_name)
        if display_name and display_name != user.display_name:
            changes["display_name"] = [user.display_name, display_name]
            user.display_name = display_name
            fields.append("display_name")
    if phone is not None:
        current = user.phone
        if phone.strip() == "":
            new_phone = ""
        elif current and phone.strip() == current:
            new_phone = current  # unchanged: do not trip the "already used" check on oneself
        else:
            new_phone = check_phone(errors, phone, required=False)
        if "phone" not in errors and new_phone != current:
            # The audit log keeps masked values only: it must not become a copy of the data.
            changes["phone"] = [personal_data.mask_phone(current), personal_data.mask_phone(new_phone)]
            set_phone(user, new_phone)
            fields += ["phone_encrypted", "phone_index"]
    errors.raise_if_any()
    if is_active is not None and is_active != user.is_active:
        changes["is_active"] = [user.is_active, is_active]
        user.is_active = is_active
        fields.append("is_active")
    if not fields:
        return user
    save_if_version(user, expected_version=expected_version, fields=fields)
    audit.record(actor=actor, action="core.user.updated", target=user, changes=changes)
    return user


@transaction.atomic
def user_deactivate(*, actor: User, user: User, reason: str) -> User:
    """停用: the account can no longer sign in, and its API tokens stop working at once."""
    if not can_user_administer(actor, user):
        raise PermissionDenied("无权停用该账号")
    reason = (reason or "").strip()
    if not reason or len(reason) > 200:
        raise InvalidInput(fields={"reason": "请填写停用原因（1–200字）"})
    if not user.is_active:
        return user
    user.is_active = False
    save_if_version(user, expected_version=None, fields=["is_active"])
    revoked = ApiToken.objects.filter(user=user, revoked_at=None).update(revoked_at=timezone.now())
    audit.record(
        actor=actor,
        action="core.user.deactivated",
        target=user,
        changes={"reason": reason, "tokens_revoked": revoked},
    )
    return user
