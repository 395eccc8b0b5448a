"""Domain errors: one exception family, mapped by the API to one envelope and by pages to a message.

`{"error": {"code": ..., "message": ..., "fields": {...}}}` with the HTTP status of the class.
Messages are Chinese, because they are shown to the people who use the platform.
"""

from __future__ import annotations


class DomainError(Exception):
    status = 400
    code = "bad_request"
    default_message = "请求无效"

    def __init__(self, message: str | None = None, *, code: str | None = None, fields: dict | None = None):
        self.message = message or self.default_message
        if code:
            self.code = code
        self.fields: dict[str, str] = fields or {}
        super().__init__(self.message)

    def as_envelope(self) -> dict:
        return {"error": {"code": self.code, "message": self.message, "fields": self.fields}}


class InvalidInput(DomainError):
    """A field failed validation; `fields` names each one and why."""

    status = 422
    code = "invalid"
    default_message = "提交的内容有误"


class NotAuthenticated(DomainError):
    status = 401
    code = "not_authenticated"
    default_message = "请先登录"


class PermissionDenied(DomainError):
    status = 403
    code = "permission_denied"
    default_message = "没有权限执行此操作"


class NotFound(DomainError):
    """Also raised for objects outside the actor's scope: a 403 would confirm they exist."""

    status = 404
    code = "not_found"
    default_message = "对象不存在或无权查看"


class Conflict(DomainError):
    status = 409
    code = "conflict"
    default_message = "数据已被他人修改，请刷新后重试"


class RateLimited(DomainError):
    status = 429
    code = "rate_limited"
    default_message = "请求过于频繁，请稍后再试"


def invalid(field: str, reason: str) -> InvalidInput:
    """Shorthand for a single-field validation error: `raise invalid("uscc", "统一社会信用代码校验位错误")`."""
    return InvalidInput(reason, fields={field: reason})
