"""Reads of the licence library, scoped to what the actor may see (out of scope → NotFound).

- types and published public keys are open (a verifier needs the keys, GB/T 36905);
- a holder sees their own licences and who used them;
- an official sees the licences of the departments they may issue or revoke for.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils import timezone

from yiwang.core import codes, personal_data
from yiwang.core.accounts.models import User, UserKind
from yiwang.core.accounts.rbac import has_permission, scope_for
from yiwang.core.errors import InvalidInput, NotFound, PermissionDenied
from yiwang.core.ids import as_id
from yiwang.licenses.models import License, LicenseStatus, LicenseType, LicenseUse, ShareLink, SigningKey


def _signed_in(actor) -> bool:
    return actor is not None and getattr(actor, "is_authenticated", False) and actor.is_active


# --- types and keys (public) -----------------------------------------------------------------
def license_type_list(*, include_inactive: bool = False) -> QuerySet[LicenseType]:
    types = LicenseType.objects.select_related("defining_department").prefetch_related("issuers")
    return types if include_inactive else types.filter(is_active=True)


def license_type_get(*, type_id) -> LicenseType:
    license_type = LicenseType.objects.filter(pk=as_id(type_id)).first() if as_id(type_id) else None
    if license_type is None:
        raise NotFound("证照类型不存在")
    return license_type


def license_type_for_input(*, code, field: str = "type_code") -> LicenseType:
    license_type = (
        LicenseType.objects.filter(code=code).first() if isinstance(code, str) and len(code) <= 21 else None
    )
    if license_type is None:
        raise InvalidInput(fields={field: "证照类型不存在"})
    return license_type


def signing_key_list(*, department_id: int | None = None) -> QuerySet[SigningKey]:
    """Published public keys, every status: a retired key still verifies what it signed, and a
    verifier must be able to see that a key was revoked. Never the private key (the API's
    output schema has no field for it)."""
    keys = SigningKey.objects.select_related("department").order_by("department_id", "-created_at", "-id")
    return keys.filter(department_id=department_id) if department_id else keys


def signing_key_get(*, key_id) -> SigningKey:
    key = (
        SigningKey.objects.select_related("department").filter(key_id=key_id).first()
        if isinstance(key_id, str) and len(key_id) <= 64
        else None
    )
    if key is None:
        raise NotFound("签名密钥不存在")
    return key


# --- the holder's wallet ---------------------------------------------------------------------
def licenses_for_holder(*, actor, include_superseded: bool = False) -> QuerySet[License]:
    """我的证照: the actor's own licences, newest first; superseded versions on request."""
    if not _signed_in(actor):
        return License.objects.none()
    licenses = License.objects.select_related("license_type", "issuer").filter(holder_id=actor.pk)
    if not include_superseded:
        licenses = licenses.exclude(status=LicenseStatus.SUPERSEDED)
    return licenses.order_by("-issued_on", "-id")


def license_get_for_holder(*, actor, license_id) -> License:
    license_ = (
        License.objects.select_related("license_type", "issuer", "key").filter(pk=as_id(license_id)).first()
        if as_id(license_id) and _signed_in(actor)
        else None
    )
    if license_ is None or license_.holder_id != actor.pk:
        raise NotFound("证照不存在或无权查看")
    return license_


def license_uses_for_holder(*, actor) -> QuerySet[LicenseUse]:
    """Who used the actor's licences, when and for what (个人信息保护法 §45: the right to know)."""
    if not _signed_in(actor):
        return LicenseUse.objects.none()
    return (
        LicenseUse.objects.select_related("license", "used_by")
        .filter(license__holder_id=actor.pk)
        .order_by("-at", "-id")
    )


def share_links_for_holder(*, actor, license: License, current_only: bool = False) -> QuerySet[ShareLink]:
    """The share links of one of the actor's licences, newest first; `current_only` keeps
    those not yet expired (working or withdrawn), as the wallet page lists them."""
    if not _signed_in(actor) or license.holder_id != actor.pk:
        return ShareLink.objects.none()
    links = ShareLink.objects.filter(license=license)
    if current_only:
        links = links.filter(expires_at__gt=timezone.now())
    return links.order_by("-created_at", "-id")


def share_link_get_for_holder(*, actor, share_id) -> ShareLink:
    """One share link of the actor's own licences; another holder's is NotFound."""
    link = (
        ShareLink.objects.select_related("license").filter(pk=as_id(share_id)).first()
        if as_id(share_id) and _signed_in(actor)
        else None
    )
    if link is None or link.license.holder_id != actor.pk:
        raise NotFound("分享链接不存在")
    return link


# --- officials -------------------------------------------------------------------------------
def license_get_for_official(*, actor, license_id, permission: str) -> License:
    """A licence of a department where the actor holds `permission` (licenses.issue or
    licenses.revoke); any other licence is NotFound."""
    scope = scope_for(actor, permission)
    license_ = (
        License.objects.select_related("issuer", "license_type", "holder", "key")
        .filter(pk=as_id(license_id))
        .first()
        if as_id(license_id) and not scope.empty
        else None
    )
    if license_ is None or not scope.includes(license_.issuer):
        raise NotFound("证照不存在或无权查看")
    return license_


def holder_for_code(*, actor, code, permission: str, field: str = "holder_code") -> User:
    """A holder named by 公民身份号码 or 统一社会信用代码, found through the blind index. Only an
    official holding `permission` may look people up; anyone else may name only themselves —
    otherwise "no such account" would tell any signed-in user who is registered."""
    text = code.strip().upper() if isinstance(code, str) else ""
    if not has_permission(actor, permission):
        if _signed_in(actor) and text and text in (actor.id_number, actor.uscc or ""):
            return actor
        raise PermissionDenied(f"没有权限（{permission}）")
    holder = None
    try:
        if len(text) == 18 and text[:17].isdigit():
            number = codes.validate_id_number(text)
            holder = User.objects.filter(
                kind=UserKind.CITIZEN, id_number_index=personal_data.blind_index("id_number", number)
            ).first()
        else:
            holder = User.objects.filter(kind=UserKind.ENTERPRISE, uscc=codes.validate_uscc(text)).first()
    except codes.CodeInvalid as error:
        raise InvalidInput(fields={field: str(error)}) from None
    if holder is None or not holder.is_active:
        raise InvalidInput(fields={field: "未找到该持证主体的账号"})
    return holder
