"""In/Out schemas of /api/v1/licenses. Shapes only: the services check every value again and
name each bad field in Chinese (fields like "data.经营范围" or "fields[2].type")."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.utils import timezone
from ninja import Field, Schema

from yiwang.core import personal_data
from yiwang.core.schema_types import Text
from yiwang.licenses import signing
from yiwang.licenses.models import HolderCodeType, HolderKind

_ID = {"ge": 1, "le": 2**63 - 1}
_VERSION = Field(ge=1, le=2**31 - 1, description="读取时的版本；已被他人修改时返回409")


# --- types -----------------------------------------------------------------------------------
class LicenseTypeIn(Schema):
    code: Text = Field(max_length=32, description="证照类型代码：定义机构统一社会信用代码（18位）+3位数字")
    name: Text = Field(max_length=64)
    holder_kind: HolderKind = Field(description="citizen 自然人 | legal_person 法人")
    defining_department_id: int = Field(**_ID, description="定义机构（部门ID）")
    issuer_ids: list[int] = Field(max_length=100, description="颁发机构（部门ID）")
    fields: list[Any] = Field(
        max_length=100,
        description='照面信息项：[{"name","label","type":"text|date|number|enum","required","choices"}]',
    )
    validity: Any = Field(description='{"years": n} | {"months": n} | {"long_term": true}')
    layout: Any = Field(None, description='{"accent": "#rrggbb", "order": [信息项名称]}')
    replaces: list[Any] | None = Field(None, max_length=100, description="可替代的申请材料名称")


class LicenseTypeUpdateIn(Schema):
    version: int = _VERSION
    name: Text | None = Field(None, max_length=64)
    issuer_ids: list[int] | None = Field(None, max_length=100)
    fields: list[Any] | None = Field(None, max_length=100)
    validity: Any = None
    layout: Any = None
    replaces: list[Any] | None = Field(None, max_length=100)
    is_active: bool | None = None


class LicenseTypeOut(Schema):
    id: int
    code: str
    name: str
    holder_kind: str
    holder_code_type: str
    defining_department_id: int
    defining_department_name: str = Field(alias="defining_department.name")
    issuer_ids: list[int]
    fields: list[Any]
    validity: dict[str, Any]
    layout: dict[str, Any]
    replaces: list[Any]
    is_active: bool
    version: int

    @staticmethod
    def resolve_issuer_ids(license_type) -> list[int]:
        return sorted(d.pk for d in license_type.issuers.all())


# --- keys ------------------------------------------------------------------------------------
class KeyGenerateIn(Schema):
    department_id: int = Field(**_ID, description="颁发机构（部门ID）")
    algorithm: Text | None = Field(None, max_length=16, description="SM2-SM3（默认）或 Ed25519")


class ReasonIn(Schema):
    reason: Text = Field(max_length=200)


class KeyOut(Schema):
    """A published public key. There is deliberately no field for the private key."""

    key_id: str
    algorithm: str
    status: str
    status_label: str
    public_pem: str
    public_key_raw_hex: str = Field(description="SM2：未压缩点 04‖x‖y；Ed25519：32字节公钥")
    fingerprint: str = Field(description="SM3(DER SubjectPublicKeyInfo)")
    department_id: int
    department_name: str = Field(alias="department.name")
    department_uscc: str | None = Field(alias="department.uscc")
    created_at: datetime
    retired_at: datetime | None
    revoked_at: datetime | None
    revoked_reason: str

    @staticmethod
    def resolve_status_label(key) -> str:
        return key.get_status_display()

    @staticmethod
    def resolve_public_key_raw_hex(key) -> str:
        return signing.public_key_raw_hex(key.public_pem)


class KeyFilters(Schema):
    department_id: int | None = Field(None, **_ID)


# --- licences --------------------------------------------------------------------------------
class IssueIn(Schema):
    type_code: Text = Field(max_length=32)
    holder_code: Text = Field(max_length=32, description="持证主体的公民身份号码或统一社会信用代码")
    number: Text = Field(max_length=64, description="证照编号")
    data: dict[str, Any] = Field(description="照面信息：信息项名称 → 值")
    issuer_id: int | None = Field(None, **_ID, description="颁发机构；可以多个部门名义颁发时必填")
    issued_on: date | None = None
    valid_from: date | None = None
    valid_until: date | None = Field(None, description="不填则按证照类型的有效期规则计算")


class ReviseIn(Schema):
    data: dict[str, Any] | None = Field(None, description="完整的新照面信息；不填表示不变")
    number: Text | None = Field(None, max_length=64)
    valid_from: date | None = None
    valid_until: date | None = Field(None, description="不传表示不变；传 null 表示按规则重新计算")
    reason: Text = Field("", max_length=200)


class LookupIn(Schema):
    holder_code: Text = Field(max_length=32, description="持证主体的公民身份号码或统一社会信用代码")
    type_code: Text = Field(max_length=32)
    purpose: Text = Field(max_length=200, description="用证事由")
    subject_type: Text = Field("", max_length=100, description="办理对象类型，如 services.application")
    subject_id: Text = Field("", max_length=64)


class LicenseOut(Schema):
    id: int
    identifier: str
    version: int
    type_code: str
    type_name: str
    number: str
    holder_name: str
    holder_code_type: str
    holder_code_masked: str
    issuer_id: int
    issuer_name: str
    issuer_code: str
    issued_on: date
    valid_from: date
    valid_until: date | None = Field(description="null 表示长期有效")
    status: str
    status_label: str
    expired: bool
    algorithm: str
    created_at: datetime

    @staticmethod
    def resolve_holder_code_masked(license_) -> str:
        code = personal_data.decrypt(license_.holder_code_encrypted)
        # A USCC is public (企业信用信息公示); a 公民身份号码 is shown masked.
        return (
            code if license_.holder_code_type == HolderCodeType.USCC else personal_data.mask_id_number(code)
        )

    @staticmethod
    def resolve_status_label(license_) -> str:
        return license_.get_status_display()

    @staticmethod
    def resolve_expired(license_) -> bool:
        return license_.is_expired()


class LicenseContentOut(LicenseOut):
    data: dict[str, Any]


class LookupOut(Schema):
    found: bool
    license: LicenseContentOut | None


class UseOut(Schema):
    id: int
    license_id: int
    identifier: str = Field(alias="license.identifier")
    type_name: str = Field(alias="license.type_name")
    used_by: str = Field(description="用证人；“系统”表示平台自动调用")
    purpose: str
    subject_type: str
    subject_id: str
    at: datetime

    @staticmethod
    def resolve_used_by(use) -> str:
        return use.used_by.display_name if use.used_by_id else "系统"


class SignedLicenseIn(Schema):
    payload: dict[str, Any]
    signature: Text = Field(max_length=1024)
    key_id: Text = Field(max_length=64)
    algorithm: Text = Field(max_length=16)


class SignedLicenseOut(SignedLicenseIn):
    pass


class ShareIn(Schema):
    hours: int = Field(72, ge=1, le=720, description="有效时长（小时）")


class ShareOut(Schema):
    id: int = Field(description="撤回时使用：POST /shares/{id}/revoke")
    token: str = Field(description="只显示这一次")
    url: str
    expires_at: datetime


class ShareLinkOut(Schema):
    """A share link as its holder lists it: never the token (only its digest is kept)."""

    id: int
    license_id: int
    created_at: datetime
    expires_at: datetime
    revoked_at: datetime | None = Field(description="撤回时间；null 表示未撤回")
    active: bool = Field(description="现在打开是否有效（未撤回且未过期）")

    @staticmethod
    def resolve_active(link) -> bool:
        return link.revoked_at is None and link.expires_at > timezone.now()


class VerificationOut(Schema):
    status: str = Field(description="valid | expired | revoked | superseded | forged | not_found")
    status_label: str
    reason: str
    identifier: str
    type_code: str
    type_name: str
    issuer_name: str
    issuer_code: str
    issued_on: date | None
    valid_from: date | None
    valid_until: date | None
    version: int | None
    holder_name: str = Field(description="自然人姓名脱敏显示（张*丰）；法人名称为公开信息，完整显示")
    key_id: str
    algorithm: str
    revoked_on: date | None
    current_identifier: str


class SharedOut(Schema):
    verification: VerificationOut
    holder_name: str
    number: str
    expires_at: datetime
