"""Login and logout pages. The lockout and password checks live in accounts.services.login."""

from django.contrib.auth import authenticate, login, logout
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST


def _safe_next(request, default: str = "/") -> str:
    target = request.POST.get("next") or request.GET.get("next") or default
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return default


def login_view(request):
    error = ""
    identifier = ""
    if request.method == "POST":
        identifier = request.POST.get("identifier", "")
        user = authenticate(request, username=identifier, password=request.POST.get("password", ""))
        if user is not None:
            login(request, user, backend="yiwang.core.accounts.backends.UsernameOrPhoneBackend")
            return redirect(_safe_next(request))
        failure = getattr(request, "yiwang_login_error", None)
        error = failure.message if failure else "用户名/手机号或密码错误"
    return render(
        request, "web/login.html", {"error": error, "identifier": identifier, "next": _safe_next(request)},
        status=400 if error else 200,
    )


@require_POST
def logout_view(request):
    logout(request)
    return redirect("web:home")
