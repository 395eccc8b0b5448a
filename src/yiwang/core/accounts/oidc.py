"""Login through the provincial identity provider (省统一身份认证平台) with OpenID Connect.

mozilla-django-oidc runs the authorization-code flow (state, nonce, token exchange, RS256
signature checked against the provider's JWKS). This module adds what the platform needs:

- the ID-token checks the library leaves out (OIDC Core §3.1.3.7: `aud` is our client id,
  `iss` is the configured issuer, `exp`/`iat`/`sub` present) and the userinfo `sub` check
  (§5.3.2);
- `citizen_from_identity_provider`, the one write: find the citizen by `sub`, else link the
  citizen registered with the same 身份证号 (blind index), else create one — atomic and audited;
- views that are a 404 when no provider is configured, and send a stale or replayed callback
  back to the login page instead of a 400.

Only citizens sign in this way: officials and enterprises keep their own credentials.
"""

from __future__ import annotations

import hashlib
import logging
import secrets

import jwt
import requests
from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from django.db import IntegrityError, models, transaction
from django.http import Http404
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from yiwang.core import codes, personal_data
from yiwang.core.accounts.models import User, UserKind
from yiwang.core.accounts.services.users import set_id_number
from yiwang.core.audit import services as audit
from yiwang.core.errors import Conflict, DomainError, PermissionDenied, invalid

LOGGER = logging.getLogger(__name__)

NAME_MAX_LENGTH = 64  # as for 个人注册 (accounts.services.users.citizen_register)


# --- the write ----------------------------------------------------------------------------
@transaction.atomic
def citizen_from_identity_provider(*, subject: str, id_number: str, name: str) -> User:
    """The citizen the provincial provider vouches for: the one holding `subject`, else the one
    registered with the same 身份证号 (now linked), else a new one. Officials and enterprises
    are refused, and so is a 身份证号 that contradicts the account the subject is bound to."""
    subject = (subject or "").strip()
    if not subject or len(subject) > 255:
        raise invalid("sub", "统一身份认证标识无效")
    try:
        id_number = codes.validate_id_number(id_number)
    except codes.CodeInvalid as error:
        raise invalid("id_number", str(error))
    index = personal_data.blind_index("id_number", id_number)
    user = User.objects.filter(oidc_subject=subject).first()
    if user is None:
        user = _link_by_id_number(subject=subject, index=index) or _create(
            subject=subject, id_number=id_number, name=name
        )
    if user.kind != UserKind.CITIZEN:
        raise PermissionDenied("统一身份认证只能登录个人账号")
    if not personal_data.same_index(user.id_number_index, index):
        raise Conflict("统一身份认证返回的身份证号与账号登记的不一致")
    return user


def _link_by_id_number(*, subject: str, index: str) -> User | None:
    citizen = User.objects.filter(kind=UserKind.CITIZEN, id_number_index=index).first()
    if citizen is None:
        return None
    # The UPDATE only touches an unlinked account, so two first logins cannot both link it.
    linked = User.objects.filter(pk=citizen.pk, oidc_subject__isnull=True).update(
        oidc_subject=subject, version=models.F("version") + 1
    )
    citizen.refresh_from_db()
    if citizen.oidc_subject != subject:
        # Bound to another subject of the provider: one person, one provincial identity.
        raise Conflict("该身份证号已关联其他统一身份认证账号")
    if linked:
        audit.record(
            actor=citizen, action="core.user.oidc_linked", target=citizen, changes={"oidc_subject": subject}
        )
    return citizen


def _create(*, subject: str, id_number: str, name: str) -> User:
    display_name = (name or "").strip()
    if not display_name:
        raise invalid("name", "统一身份认证未提供姓名")
    if len(display_name) > NAME_MAX_LENGTH:
        raise invalid("name", f"姓名不能超过{NAME_MAX_LENGTH}个字")
    user = User(
        username=_username_for(subject),
        kind=UserKind.CITIZEN,
        display_name=display_name,
        oidc_subject=subject,
    )
    set_id_number(user, id_number)
    user.set_unusable_password()  # this account signs in through the provider only
    try:
        with transaction.atomic():
            user.save(force_insert=True)
    except IntegrityError:
        # The same person finishing a first login in two tabs: the other request created it.
        existing = User.objects.filter(oidc_subject=subject).first()
        if existing is None:
            raise Conflict("账号创建冲突，请重试")
        return existing
    audit.record(
        actor=user,
        action="core.user.registered_oidc",
        target=user,
        changes={"kind": user.kind, "oidc_subject": subject},
    )
    return user


def _username_for(subject: str) -> str:
    """`oidc_` + a hash of the subject: stable, and the subject itself never becomes public."""
    username = "oidc_" + hashlib.sha256(subject.encode()).hexdigest()[:16]
    if User.objects.filter(username__iexact=username).exists():  # taken by someone who typed it
        username += "_" + secrets.token_hex(4)
    return username


# --- the authentication backend -------------------------------------------------------------
def check_id_token(payload: dict, *, client_id: str, issuer: str) -> None:
    """OIDC Core §3.1.3.7 checks that mozilla-django-oidc does not make (it decodes with
    verify_aud off and never looks at iss). Signature, alg and nonce are the library's."""
    audience = payload.get("aud")
    audiences = [audience] if isinstance(audience, str) else list(audience or [])
    if client_id not in audiences:
        raise SuspiciousOperation("ID token audience is not this client")
    if len(audiences) > 1 and payload.get("azp") != client_id:
        raise SuspiciousOperation("ID token has several audiences and azp is not this client")
    if issuer and payload.get("iss") != issuer:
        raise SuspiciousOperation("ID token issuer is not the configured provider")
    for claim in ("iss", "sub", "exp", "iat"):
        if not payload.get(claim):
            raise SuspiciousOperation(f"ID token lacks {claim}")


class ProvincialOIDCBackend(OIDCAuthenticationBackend):
    """Signs a citizen in with the provider's code; every refusal is logged and ends the login."""

    def authenticate(self, request, **kwargs):
        # Only the callback view passes `nonce`; a password form posted to a URL that happens
        # to carry ?code=…&state=… must not start a token exchange.
        if "nonce" not in kwargs:
            return None
        try:
            return super().authenticate(request, **kwargs)
        except (SuspiciousOperation, requests.RequestException, jwt.PyJWTError) as error:
            LOGGER.warning("provincial OIDC login refused: %s", error)
        except (KeyError, TypeError, ValueError):  # a malformed token response or JWKS
            LOGGER.warning("provincial OIDC login refused: malformed provider response", exc_info=True)
        return None

    def get_userinfo(self, access_token, id_token, payload):
        # `payload` is the ID token whose signature and nonce the library has just verified.
        check_id_token(
            payload, client_id=self.OIDC_RP_CLIENT_ID, issuer=self.get_settings("OIDC_OP_ISSUER", "")
        )
        if not self.OIDC_OP_USER_ENDPOINT:
            return dict(payload)  # a provider that puts every claim in the ID token
        userinfo = super().get_userinfo(access_token, id_token, payload)
        if not isinstance(userinfo, dict) or userinfo.get("sub") != payload["sub"]:
            raise SuspiciousOperation("userinfo sub differs from the ID token (OIDC Core §5.3.2)")
        return {**payload, **userinfo}

    def verify_claims(self, claims):
        try:
            codes.validate_id_number(claims.get(settings.OIDC_ID_NUMBER_CLAIM) or "")
        except codes.CodeInvalid as error:
            # The reason, never the number itself: logs are not a place for personal data.
            LOGGER.warning("provincial OIDC login refused for sub %r: %s", claims.get("sub"), error)
            return False
        return True

    def filter_users_by_claims(self, claims):
        return self.UserModel.objects.filter(oidc_subject=claims.get("sub"))

    def create_user(self, claims):
        return self._citizen(claims)

    def update_user(self, user, claims):
        return self._citizen(claims)  # same checks: still a citizen, still the same 身份证号

    def _citizen(self, claims) -> User:
        try:
            return citizen_from_identity_provider(
                subject=claims.get("sub") or "",
                id_number=claims.get(settings.OIDC_ID_NUMBER_CLAIM) or "",
                name=claims.get(settings.OIDC_NAME_CLAIM) or "",
            )
        except DomainError as error:
            LOGGER.warning(
                "provincial OIDC login refused for sub %r: %s %s",
                claims.get("sub"),
                error.message,
                error.fields or "",
            )
            raise SuspiciousOperation(error.message)

    def get_user(self, user_id):
        # The library's get_user ignores is_active; a deactivated citizen's session ends here.
        user = super().get_user(user_id)
        return user if user is not None and user.is_active and user.kind == UserKind.CITIZEN else None


# --- views (wired by OIDC_AUTHENTICATE_CLASS / OIDC_CALLBACK_CLASS in settings) --------------
class ProvincialAuthenticationRequestView(OIDCAuthenticationRequestView):
    """Sends the browser to the provider; a 404 where no provider is configured."""

    def dispatch(self, request, *args, **kwargs):
        if not settings.OIDC_ENABLED:
            raise Http404()
        return super().dispatch(request, *args, **kwargs)


class ProvincialCallbackView(OIDCAuthenticationCallbackView):
    """The provider's redirect back. A state this session never issued (a replayed or stale
    callback, a second tab) ends on the login page with a message rather than a 400."""

    def dispatch(self, request, *args, **kwargs):
        if not settings.OIDC_ENABLED:
            raise Http404()
        return super().dispatch(request, *args, **kwargs)

    def get(self, request):
        try:
            return super().get(request)
        except SuspiciousOperation as error:
            LOGGER.warning("provincial OIDC callback refused: %s", error)
            return self.login_failure()
