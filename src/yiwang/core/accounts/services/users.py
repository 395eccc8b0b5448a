"""Creating people and organisations as users; posts and enterprise agents."""

from __future__ import annotations

import re
from datetime import date

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone

from yiwang.core import codes, personal_data
from yiwang.core.accounts.models import EnterpriseAgent, Post, Role, User, UserKind
from yiwang.core.accounts.permissions import (
    can_act_for_enterprise,
    can_grant_city_wide,
    can_role_grant,
    can_user_manage,
)
from yiwang.core.accounts.rbac import forget_grants
from yiwang.core.audit import services as audit
from yiwang.core.errors import InvalidInput, NotFound, PermissionDenied

_USERNAME = re.compile(r"[A-Za-z][A-Za-z0-9_.\-]{2,63}")


class FieldErrors(dict):
    """Collects every field error of a form so the person fixes them all at once."""

    def check(self, field: str, validator, value):
        try:
            return validator(value)
        except codes.CodeInvalid as error:
            self[field] = str(error)
            return None

    def raise_if_any(self) -> None:
        if self:
            raise InvalidInput(fields=dict(self))


def _check_username(errors: FieldErrors, username: str) -> str:
    username = (username or "").strip()
    if not _USERNAME.fullmatch(username):
        errors["username"] = "用户名须以字母开头，由3–64位字母、数字、下划线、点或横线组成"
    elif User.objects.filter(username__iexact=username).exists():
        errors["username"] = "该用户名已被注册"
    return username


def check_name(errors: FieldErrors, field: str, label: str, value: str, max_length: int = 64) -> str:
    value = (value or "").strip()
    if not value:
        errors[field] = f"{label}不能为空"
    elif len(value) > max_length:
        errors[field] = f"{label}不能超过{max_length}个字"
    return value


def _check_password(errors: FieldErrors, password: str, user: User | None = None) -> None:
    try:
        password_validation.validate_password(password or "", user)
    except ValidationError as error:
        errors["password"] = "；".join(str(message) for message in error.messages)


def check_phone(errors: FieldErrors, phone: str, *, required: bool) -> str:
    if not phone:
        if required:
            errors["phone"] = "手机号码不能为空"
        return ""
    value = errors.check("phone", codes.validate_mobile, phone)
    if value and User.objects.filter(phone_index=personal_data.blind_index("phone", value)).exists():
        errors["phone"] = "该手机号码已被其他账号使用"
    return value or ""


def _check_email(errors: FieldErrors, email: str) -> str:
    email = (email or "").strip()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors["email"] = "电子邮箱格式不正确"
        else:
            if len(email) > 254:
                errors["email"] = "电子邮箱不能超过254个字符"
    return email


def set_id_number(user: User, id_number: str) -> None:
    user.id_number_encrypted = personal_data.encrypt(id_number) if id_number else ""
    user.id_number_index = personal_data.blind_index("id_number", id_number) if id_number else ""


def set_phone(user: User, phone: str) -> None:
    user.phone_encrypted = personal_data.encrypt(phone) if phone else ""
    user.phone_index = personal_data.blind_index("phone", phone) if phone else ""


def _save_new(user: User, field_on_conflict: str) -> None:
    try:
        with transaction.atomic():
            user.save(force_insert=True)
    except IntegrityError:
        # Two people registering the same number at the same moment: one wins, one is told.
        raise InvalidInput(fields={field_on_conflict: "该信息已被其他账号使用"}) from None


@transaction.atomic
def citizen_register(
    *,
    username: str,
    password: str,
    display_name: str,
    id_number: str,
    phone: str,
    email: str = "",
    today: date | None = None,
) -> User:
    """个人注册: real name, a valid 身份证号 (GB 11643 check), a mobile number."""
    errors = FieldErrors()
    username = _check_username(errors, username)
    display_name = check_name(errors, "display_name", "姓名", display_name)
    id_number = errors.check("id_number", lambda v: codes.validate_id_number(v, today=today), id_number)
    if (
        id_number
        and User.objects.filter(
            kind=UserKind.CITIZEN, id_number_index=personal_data.blind_index("id_number", id_number)
        ).exists()
    ):
        errors["id_number"] = "该身份证号已注册，请直接登录或找回密码"
    phone = check_phone(errors, phone, required=True)
    email = _check_email(errors, email)
    _check_password(errors, password, User(username=username, display_name=display_name))
    errors.raise_if_any()
    user = User(username=username, kind=UserKind.CITIZEN, display_name=display_name, email=email)
    set_id_number(user, id_number)
    set_phone(user, phone)
    user.set_password(password)
    _save_new(user, "id_number")
    audit.record(actor=user, action="core.user.registered", target=user, changes={"kind": user.kind})
    return user


@transaction.atomic
def enterprise_register(
    *,
    agent: User,
    username: str,
    password: str,
    name: str,
    uscc: str,
    legal_representative: str,
    phone: str = "",
) -> User:
    """法人注册, done by a signed-in citizen who becomes the enterprise's first 经办人."""
    if agent.kind != UserKind.CITIZEN:
        raise PermissionDenied("只有个人用户可以作为经办人注册企业")
    errors = FieldErrors()
    username = _check_username(errors, username)
    name = check_name(errors, "name", "企业名称", name, 128)
    uscc = errors.check("uscc", codes.validate_uscc, uscc)
    if uscc and User.objects.filter(uscc=uscc).exists():
        errors["uscc"] = "该统一社会信用代码已注册"
    legal_representative = check_name(errors, "legal_representative", "法定代表人", legal_representative)
    phone = check_phone(errors, phone, required=False)
    _check_password(errors, password, User(username=username, display_name=name))
    errors.raise_if_any()
    enterprise = User(
        username=username,
        kind=UserKind.ENTERPRISE,
        display_name=name,
        uscc=uscc,
        legal_representative=legal_representative,
    )
    set_phone(enterprise, phone)
    enterprise.set_password(password)
    _save_new(enterprise, "uscc")
    EnterpriseAgent.objects.create(enterprise=enterprise, agent=agent)
    audit.record(actor=agent, action="core.enterprise.registered", target=enterprise, changes={"uscc": uscc})
    return enterprise


@transaction.atomic
def enterprise_agent_add(*, actor: User, enterprise: User, agent: User, valid_until: date | None = None):
    """An existing agent (or the enterprise account) authorises another citizen."""
    if enterprise.kind != UserKind.ENTERPRISE or not can_act_for_enterprise(actor, enterprise):
        raise NotFound()
    if agent.kind != UserKind.CITIZEN or not agent.is_active:
        raise InvalidInput(fields={"agent": "经办人必须是已启用的个人用户"})
    if valid_until is not None and valid_until < timezone.localdate():
        raise InvalidInput(fields={"valid_until": "授权截止日期不能早于今天"})
    link, _ = EnterpriseAgent.objects.update_or_create(
        enterprise=enterprise, agent=agent, defaults={"valid_until": valid_until}
    )
    audit.record(
        actor=actor,
        action="core.enterprise.agent_added",
        target=enterprise,
        changes={"agent": agent.pk, "valid_until": valid_until},
    )
    return link


@transaction.atomic
def official_create(
    *,
    actor: User,
    username: str,
    password: str,
    display_name: str,
    phone: str = "",
    email: str = "",
    department=None,
    role: Role | None = None,
    city_wide: bool = False,
) -> User:
    """A department administrator adds a colleague to a department they manage."""
    if department is None:
        raise InvalidInput(fields={"department": "请选择部门"})
    # Departments are public master data, so a 403 here confirms nothing hidden.
    if not can_user_manage(actor, department):
        raise PermissionDenied("无权管理该部门的人员")
    errors = FieldErrors()
    username = _check_username(errors, username)
    display_name = check_name(errors, "display_name", "姓名", display_name)
    phone = check_phone(errors, phone, required=False)
    email = _check_email(errors, email)
    _check_password(errors, password, User(username=username, display_name=display_name))
    errors.raise_if_any()
    user = User(username=username, kind=UserKind.OFFICIAL, display_name=display_name, email=email)
    set_phone(user, phone)
    user.set_password(password)
    _save_new(user, "phone")
    audit.record(actor=actor, action="core.user.created", target=user, changes={"kind": user.kind})
    if role is not None:
        post_grant(actor=actor, user=user, department=department, role=role, city_wide=city_wide)
    return user


@transaction.atomic
def post_grant(*, actor: User, user: User, department, role: Role, city_wide: bool = False) -> Post:
    if user.kind != UserKind.OFFICIAL:
        raise InvalidInput(fields={"user": "只有工作人员可以担任岗位"})
    if not can_user_manage(actor, department):
        raise PermissionDenied("无权管理该部门的人员")
    if city_wide and not can_grant_city_wide(actor):
        raise PermissionDenied("只有具有全市范围人员管理权限的管理员才能授予全市范围")
    if not can_role_grant(actor, role, department):
        raise PermissionDenied(f"无权授予“{role.name}”角色：该角色含有您在此部门不具备的权限")
    post, created = Post.objects.get_or_create(
        user=user, department=department, role=role, defaults={"city_wide": city_wide}
    )
    if not created and post.city_wide != city_wide:
        post.city_wide = city_wide
        post.save(update_fields=["city_wide"])
    forget_grants(user)
    audit.record(
        actor=actor,
        action="core.post.granted",
        target=user,
        changes={"department": department.pk, "role": role.code, "city_wide": city_wide},
    )
    return post


@transaction.atomic
def post_revoke(*, actor: User, post: Post) -> None:
    if not can_user_manage(actor, post.department):
        raise PermissionDenied("无权管理该部门的人员")
    changes = {"department": post.department_id, "role": post.role.code}
    user = post.user
    post.delete()
    forget_grants(user)
    audit.record(actor=actor, action="core.post.revoked", target=user, changes=changes)
