"""Request-scoped context (client address, channel) for audit; Prometheus request metrics."""

from __future__ import annotations

import time

from django.conf import settings

from yiwang.core import request_context


def client_address(request) -> str | None:
    """REMOTE_ADDR, or the address the nearest trusted proxy saw (YIWANG_PROXY_COUNT)."""
    if settings.PROXY_COUNT > 0:
        forwarded = [
            part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()
        ]
        if len(forwarded) >= settings.PROXY_COUNT:
            return forwarded[-settings.PROXY_COUNT]
    return request.META.get("REMOTE_ADDR") or None


class ClientAddressMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        channel = ("api:" if request.path.startswith("/api/") else "page:") + request.path
        token = request_context.set_current(
            request_context.RequestContext(client_address=client_address(request), channel=channel[:255])
        )
        try:
            return self.get_response(request)
        finally:
            request_context.reset(token)


class MetricsMiddleware:
    """Counts requests and their durations when YIWANG_METRICS is on."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not settings.METRICS_ENABLED:
            return self.get_response(request)
        from yiwang.core.web.metrics import observe_request

        started = time.perf_counter()
        response = self.get_response(request)
        observe_request(request, response, time.perf_counter() - started)
        return response


class ChineseFirstLocaleMiddleware:
    """Chinese unless the person chose English with the switch (the language cookie).

    Django's LocaleMiddleware would follow the browser's Accept-Language, so an official on
    an English-language browser would get English pages they never asked for; a Chinese
    government platform speaks Chinese first.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.utils import translation

        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        supported = {code for code, _ in settings.LANGUAGES}
        language = chosen if chosen in supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        from django.utils.cache import patch_vary_headers

        patch_vary_headers(response, ("Cookie",))
        return response


def _has_nul(value) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_has_nul(k) or _has_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_nul(v) for v in value)
    return False


class NulCharacterGuardMiddleware:
    """Refuse the NUL character anywhere in a request, once for every package.

    PostgreSQL cannot store U+0000 in text, so a NUL that reached a query would be a 500 on
    PostgreSQL and silently stored on SQLite. No legitimate form or API field carries one.
    """

    message = "内容不能包含空字符（\\0）"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        field = self._offending_field(request)
        if field is None:
            return self.get_response(request)
        if request.path.startswith("/api/"):
            from django.http import JsonResponse

            body = {"error": {"code": "invalid", "message": self.message, "fields": {field: self.message}}}
            return JsonResponse(body, status=422, json_dumps_params={"ensure_ascii": False})
        from yiwang.core.web.views.errors import bad_request

        return bad_request(request)

    def _offending_field(self, request) -> str | None:
        import json

        if "\x00" in request.path:
            return "__path__"
        for key, values in request.GET.lists():
            if _has_nul(key) or any(_has_nul(v) for v in values):
                return key.replace("\x00", "") or "__query__"
        if request.method in ("POST", "PUT", "PATCH", "DELETE"):
            content_type = request.content_type or ""
            if content_type == "application/json":
                try:
                    data = json.loads(request.body or b"null")
                except (ValueError, UnicodeDecodeError):
                    return None  # not JSON: the API answers with its own parse error
                if isinstance(data, dict):
                    for key, value in data.items():
                        if _has_nul(key) or _has_nul(value):
                            return str(key).replace("\x00", "") or "__all__"
                elif _has_nul(data):
                    return "__all__"
            elif content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
                for key, values in request.POST.lists():
                    if _has_nul(key) or any(_has_nul(v) for v in values):
                        return key.replace("\x00", "") or "__all__"
        return None
