"""The one NinjaAPI at /api/v1: auth, throttling, and the single error envelope.

Every error leaves as `{"error": {"code", "message", "fields"}}` with 400/401/403/404/409/422/429,
and the message is Chinese. A request however malformed never gets a 500 from here.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.http import Http404, HttpRequest
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, AuthorizationError, HttpError, Throttled, ValidationError
from ninja.security import APIKeyCookie, HttpBearer
from ninja.throttling import AnonRateThrottle, AuthRateThrottle

from yiwang.core.errors import DomainError
from yiwang.core.validation_messages import pydantic_errors_to_fields

logger = logging.getLogger("yiwang.api")


class SessionAuth(APIKeyCookie):
    """The browser's session, with CSRF checked on unsafe methods (ninja's default)."""

    param_name = settings.SESSION_COOKIE_NAME

    def authenticate(self, request: HttpRequest, key):
        user = getattr(request, "user", None)
        return user if user is not None and user.is_authenticated else None


class TokenAuth(HttpBearer):
    """`Authorization: Bearer yw_…`: a personal API token (stored hashed, revocable)."""

    def authenticate(self, request: HttpRequest, token: str):
        from yiwang.core.accounts.services.tokens import api_token_authenticate

        user = api_token_authenticate(token)
        if user is not None:
            request.user = user
        return user


class UserRateThrottle(AuthRateThrottle):
    """Per signed-in user. Ninja keys on str(request.auth), which for our User is the display
    name: two people called 张伟 would share one bucket. Key on the primary key instead."""

    def get_cache_key(self, request: HttpRequest):
        user = getattr(request, "auth", None)
        if user is None or getattr(user, "pk", None) is None:
            return None  # anonymous calls are limited by ANON_THROTTLE
        return self.cache_format % {"scope": self.scope, "ident": f"user-{user.pk}"}


# Anonymous calls are limited per client address (REMOTE_ADDR, or the trusted proxy's view of
# it with YIWANG_PROXY_COUNT: a client cannot dodge the limit by sending X-Forwarded-For).
ANON_THROTTLE = AnonRateThrottle(settings.API_ANON_RATE)
USER_THROTTLE = UserRateThrottle(settings.API_AUTH_RATE)

api = NinjaAPI(
    title="yiwang 一网 API",
    version="1",
    description="一网通办 · 一网统管 · 一网协同. Errors: `{error: {code, message, fields}}`.",
    urls_namespace="api",
    auth=[TokenAuth(), SessionAuth()],
    throttle=[ANON_THROTTLE, USER_THROTTLE],
    docs_url="/docs",
)


def _envelope(request, code: str, message: str, status: int, fields: dict | None = None):
    return api.create_response(
        request, {"error": {"code": code, "message": message, "fields": fields or {}}}, status=status
    )


@api.exception_handler(DomainError)
def _domain_error(request, exc: DomainError):
    return _envelope(request, exc.code, exc.message, exc.status, exc.fields)


@api.exception_handler(ValidationError)
def _validation_error(request, exc: ValidationError):
    fields = pydantic_errors_to_fields(exc.errors)
    first = next(iter(fields.values()), "提交的内容有误")
    return _envelope(request, "invalid", first if len(fields) == 1 else "提交的内容有误", 422, fields)


@api.exception_handler(AuthenticationError)
def _not_authenticated(request, exc):
    return _envelope(request, "not_authenticated", "请先登录或提供有效的API令牌", 401)


@api.exception_handler(AuthorizationError)
def _forbidden(request, exc):
    return _envelope(request, "permission_denied", "没有权限执行此操作", 403)


@api.exception_handler(Throttled)
def _throttled(request, exc: Throttled):
    response = _envelope(request, "rate_limited", "请求过于频繁，请稍后再试", 429)
    if exc.wait:
        response["Retry-After"] = str(int(exc.wait))
    return response


@api.exception_handler(Http404)
def _not_found(request, exc):
    return _envelope(request, "not_found", "对象不存在或无权查看", 404)


@api.exception_handler(HttpError)
def _http_error(request, exc: HttpError):
    messages = {400: ("bad_request", "请求格式错误"), 405: ("method_not_allowed", "不支持该请求方法")}
    code, message = messages.get(exc.status_code, ("error", "请求无法处理"))
    if exc.status_code == 403:
        code, message = "permission_denied", "没有权限执行此操作（或CSRF校验失败）"
    return _envelope(request, code, message, exc.status_code)


@api.exception_handler(Exception)
def _unexpected(request, exc: Exception):
    logger.exception("unexpected error in %s %s", request.method, request.path)
    return _envelope(request, "server_error", "服务器内部错误，已记录，请稍后再试", 500)


def _mount_routers() -> None:
    from yiwang.core.accounts.api import router as accounts_router
    from yiwang.core.audit.api import router as audit_router
    from yiwang.core.files.api import router as files_router
    from yiwang.core.notify.api import router as notify_router
    from yiwang.core.orgs.api import router as orgs_router
    from yiwang.core.workcal.api import router as workcal_router
    from yiwang.licenses.api import router as licenses_router
    from yiwang.services.api import router as services_router
    from yiwang.workflow.api import router as workflow_router
    from yiwang.workflow.api_supervision import router as supervision_router

    api.add_router("/", accounts_router)
    api.add_router("/orgs", orgs_router)
    api.add_router("/audit", audit_router)
    api.add_router("/calendar", workcal_router)
    api.add_router("/files", files_router)
    api.add_router("/messages", notify_router)
    api.add_router("/workflow", workflow_router)
    api.add_router("/workflow/supervision", supervision_router)
    api.add_router("/licenses", licenses_router)
    api.add_router("/services", services_router)


_mount_routers()
