"""Who is calling, from where, through which screen: set per request by middleware, read by
audit and personal-data logging. A ContextVar holds a per-request value, not shared state."""

from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass


@dataclass(frozen=True)
class RequestContext:
    client_address: str | None = None
    channel: str = "system"  # "page:/path", "api:/api/v1/…", "cli:command", "task:name"


_DEFAULT = RequestContext()  # frozen: safe to share
_current: ContextVar[RequestContext | None] = ContextVar("yiwang_request_context", default=None)


def current() -> RequestContext:
    return _current.get() or _DEFAULT


def set_current(context: RequestContext):
    """Returns a token for `reset`."""
    return _current.set(context)


def reset(token) -> None:
    _current.reset(token)
