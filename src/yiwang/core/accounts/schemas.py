"""In/Out schemas of the accounts API, one pair per operation.

Codes are checked here with `yiwang.core.codes` (so a wrong check digit is a 422 naming the
field before anything else runs) and again in the services, which forms and imports call too.
Out schemas carry personal data only masked (110105********002X, 138****5678); the full value
comes only from `POST /users/{id}/reveal`, which is logged.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from ninja import Field, Schema
from pydantic import field_validator

from yiwang.core import codes
from yiwang.core.accounts.models import UserKind
from yiwang.core.schema_types import Text, checked_code


# --- in ------------------------------------------------------------------------------------
class RegisterIn(Schema):
    username: Text = Field(max_length=64, description="用户名：字母开头，3–64位")
    password: Text = Field(max_length=128)
    display_name: Text = Field(max_length=64, description="真实姓名")
    id_number: Text = Field(max_length=32, description="居民身份证号（GB 11643）")
    phone: Text = Field(max_length=32, description="手机号码")
    email: Text = Field("", max_length=254)

    @field_validator("id_number")
    @classmethod
    def check_id_number(cls, value: str) -> str:
        return checked_code(codes.validate_id_number, value)

    @field_validator("phone")
    @classmethod
    def check_phone(cls, value: str) -> str:
        return checked_code(codes.validate_mobile, value)


class LoginIn(Schema):
    username: Text = Field(max_length=64, description="用户名或手机号")
    password: Text = Field(max_length=128)


class PasswordChangeIn(Schema):
    old_password: Text = Field(max_length=128)
    new_password: Text = Field(max_length=128)


class TokenCreateIn(Schema):
    name: Text = Field(max_length=64, description="令牌名称，如“数据同步脚本”")
    days: int = Field(90, description="有效天数")


class EnterpriseRegisterIn(Schema):
    name: Text = Field(max_length=128, description="企业名称")
    uscc: Text = Field(max_length=32, description="统一社会信用代码（GB 32100）")
    legal_representative: Text = Field(max_length=64)
    username: Text = Field(max_length=64)
    password: Text = Field(max_length=128)
    phone: Text = Field("", max_length=32)

    @field_validator("uscc")
    @classmethod
    def check_uscc(cls, value: str) -> str:
        return checked_code(codes.validate_uscc, value)

    @field_validator("phone")
    @classmethod
    def check_phone(cls, value: str) -> str:
        return checked_code(codes.validate_mobile, value)


class AgentAddIn(Schema):
    id_number: Text = Field(max_length=32, description="经办人身份证号")
    display_name: Text = Field(max_length=64, description="经办人姓名")
    valid_until: date | None = Field(None, description="授权截止日期，空为长期")

    @field_validator("id_number")
    @classmethod
    def check_id_number(cls, value: str) -> str:
        return checked_code(codes.validate_id_number, value)


class UserFilters(Schema):
    kind: UserKind | None = None
    department: int | None = Field(None, ge=1, le=2**63 - 1, description="部门ID")
    q: Text = Field("", max_length=64, description="姓名或用户名")


class RevealIn(Schema):
    field: Literal["id_number", "phone"]
    purpose: Text = Field(max_length=200, description="查看事由")


class OfficialCreateIn(Schema):
    username: Text = Field(max_length=64)
    password: Text = Field(max_length=128)
    display_name: Text = Field(max_length=64)
    phone: Text = Field("", max_length=32)
    email: Text = Field("", max_length=254)
    department_id: int = Field(ge=1, le=2**63 - 1)
    role: Text = Field(max_length=32, description="角色代码，如 window_clerk")
    city_wide: bool = False

    @field_validator("phone")
    @classmethod
    def check_phone(cls, value: str) -> str:
        return checked_code(codes.validate_mobile, value)


class OfficialUpdateIn(Schema):
    version: int | None = Field(None, ge=1, description="读取时的版本；不一致时返回409")
    display_name: Text | None = Field(None, max_length=64)
    phone: Text | None = Field(None, max_length=32)
    is_active: bool | None = None

    @field_validator("phone")
    @classmethod
    def check_phone(cls, value: str | None) -> str | None:
        return checked_code(codes.validate_mobile, value)


class DeactivateIn(Schema):
    reason: Text = Field(max_length=200, description="停用原因")


class PostGrantIn(Schema):
    department_id: int = Field(ge=1, le=2**63 - 1)
    role: Text = Field(max_length=32)
    city_wide: bool = False


# --- out -----------------------------------------------------------------------------------
class UserOut(Schema):
    id: int
    username: str
    kind: str
    kind_label: Text = Field(alias="get_kind_display")
    display_name: str
    id_number_masked: str
    phone_masked: str
    email: str
    uscc: str | None
    legal_representative: str
    is_active: bool
    locked_until: datetime | None
    date_joined: datetime
    version: int


class PostOut(Schema):
    id: int
    department_id: int
    department_name: Text = Field(alias="department.name")
    role: Text = Field(alias="role.code")
    role_name: Text = Field(alias="role.name")
    city_wide: bool


class UserDetailOut(UserOut):
    posts: list[PostOut]

    @staticmethod
    def resolve_posts(user) -> list:
        return list(user.posts.select_related("department", "role").order_by("id"))


class TokenOut(Schema):
    id: int
    name: str
    prefix: str
    created_at: datetime
    expires_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None
    revoked: bool

    @staticmethod
    def resolve_revoked(token) -> bool:
        return token.revoked_at is not None


class TokenCreatedOut(TokenOut):
    secret: Text = Field(description="令牌原文，只在创建时返回一次")


class AgentOut(Schema):
    enterprise_id: int
    agent_id: int
    agent_name: Text = Field(alias="agent.display_name")
    valid_until: date | None


class RevealOut(Schema):
    field: str
    value: str


class RoleOut(Schema):
    code: str
    name: str
    description: str
    builtin: bool
    permissions: list[str]

    @staticmethod
    def resolve_permissions(role) -> list[str]:
        return sorted(p.code for p in role.permissions.all())


# --- roles and permissions -------------------------------------------------------------------
class RoleCreateIn(Schema):
    code: Text = Field(max_length=32, description="角色代码：小写字母开头，2–32位小写字母、数字或下划线")
    name: Text = Field(max_length=64, description="角色名称")
    description: Text = Field("", max_length=255, description="说明")
    permissions: list[Text] = Field(default_factory=list, max_length=500, description="权限代码列表")


class RoleUpdateIn(Schema):
    """Fields left out stay as they are; `permissions`, when given, is the complete new list."""

    name: Text | None = Field(None, max_length=64)
    description: Text | None = Field(None, max_length=255)
    permissions: list[Text] | None = Field(None, max_length=500, description="完整的权限代码列表")


class PermissionOut(Schema):
    code: str
    name: str
