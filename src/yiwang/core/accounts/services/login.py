"""Password login with lockout and back-off (等保 2.0: 登录失败处理功能)."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from yiwang.core import codes, personal_data
from yiwang.core.accounts.models import User
from yiwang.core.audit import services as audit
from yiwang.core.errors import DomainError, PermissionDenied

MAX_LOCK = timedelta(hours=24)


class AccountLocked(DomainError):
    status = 403
    code = "account_locked"
    default_message = "账号已被临时锁定，请稍后再试"


class BadCredentials(DomainError):
    status = 401
    code = "bad_credentials"
    default_message = "用户名/手机号或密码错误"


def _find(identifier: str) -> User | None:
    identifier = (identifier or "").strip()
    try:
        phone = codes.validate_mobile(identifier)
    except codes.CodeInvalid:
        phone = None
    if phone:
        user = User.objects.filter(phone_index=personal_data.blind_index("phone", phone)).first()
        if user:
            return user
    return User.objects.filter(username__iexact=identifier).first()


def lock_period(lock_count: int) -> timedelta:
    """The n-th lock lasts LOGIN_LOCK_MINUTES × 2ⁿ, capped at 24 hours (back-off)."""
    return min(timedelta(minutes=settings.LOGIN_LOCK_MINUTES) * (2**lock_count), MAX_LOCK)


def _record_failure(user: User) -> None:
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        user.failed_logins += 1
        fields = ["failed_logins"]
        if user.failed_logins >= settings.LOGIN_MAX_FAILURES:
            period = lock_period(user.lock_count)
            user.locked_until = timezone.now() + period
            user.lock_count += 1
            user.failed_logins = 0
            fields += ["locked_until", "lock_count"]
            user.save(update_fields=fields)
            audit.record(
                actor=None,
                action="core.user.locked",
                target=user,
                changes={"minutes": int(period.total_seconds() // 60)},
            )
        else:
            user.save(update_fields=fields)
            audit.record(
                actor=None,
                action="core.user.login_failed",
                target=user,
                changes={"failed_logins": user.failed_logins},
            )


def login_check(*, identifier: str, password: str) -> User:
    """The user whose password this is, or BadCredentials / AccountLocked. Failures are
    committed before the error is raised so that the count survives the failed request."""
    user = _find(identifier)
    if user is None:
        make_password(password)  # spend the same time as a real check: no user enumeration by timing
        raise BadCredentials()
    now = timezone.now()
    if user.locked_until and user.locked_until > now:
        minutes = max(1, int((user.locked_until - now).total_seconds() // 60) + 1)
        raise AccountLocked(f"账号已被临时锁定，请{minutes}分钟后再试")
    if not user.check_password(password):
        _record_failure(user)
        raise BadCredentials()
    if not user.is_active:
        raise PermissionDenied("账号已停用")
    if user.failed_logins or user.lock_count or user.locked_until:
        User.objects.filter(pk=user.pk).update(failed_logins=0, lock_count=0, locked_until=None)
    audit.record(actor=user, action="core.user.logged_in", target=user)
    return user


@transaction.atomic
def user_unlock(*, actor, user: User) -> User:
    from yiwang.core.accounts.permissions import can_user_administer

    if not can_user_administer(actor, user):
        raise PermissionDenied("无权解锁该账号")
    was_locked_until = user.locked_until
    User.objects.filter(pk=user.pk).update(failed_logins=0, lock_count=0, locked_until=None)
    audit.record(
        actor=actor, action="core.user.unlocked", target=user, changes={"locked_until": was_locked_until}
    )
    user.refresh_from_db()
    return user


def logout_record(*, actor: User) -> None:
    """The session ends; recorded so that the log shows when a sign-in stopped being usable."""
    audit.record(actor=actor, action="core.user.logged_out", target=actor)


@transaction.atomic
def password_change(*, actor: User, old_password: str, new_password: str) -> None:
    from django.contrib.auth import password_validation
    from django.core.exceptions import ValidationError

    from yiwang.core.errors import InvalidInput

    if not actor.check_password(old_password or ""):
        raise InvalidInput(fields={"old_password": "原密码不正确"})
    if old_password == new_password:
        raise InvalidInput(fields={"new_password": "新密码不能与原密码相同"})
    try:
        password_validation.validate_password(new_password or "", actor)
    except ValidationError as error:
        raise InvalidInput(fields={"new_password": "；".join(str(m) for m in error.messages)}) from None
    actor.set_password(new_password)
    actor.save(update_fields=["password"])
    audit.record(actor=actor, action="core.user.password_changed", target=actor)
