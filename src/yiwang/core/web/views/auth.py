"""Login, logout and citizen registration. Lockout and password checks live in
accounts.services.login; registration rules in accounts.services.users.citizen_register."""

from django.contrib import messages
from django.contrib.auth import authenticate, login, logout
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from yiwang.core.accounts.services.login import logout_record
from yiwang.core.accounts.services.users import citizen_register
from yiwang.core.errors import InvalidInput
from yiwang.core.web.forms import RegisterForm

BACKEND = "yiwang.core.accounts.backends.UsernameOrPhoneBackend"


def _safe_next(request, default: str = "/") -> str:
    target = request.POST.get("next") or request.GET.get("next") or default
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def login_view(request):
    error = ""
    identifier = ""
    if request.method == "POST":
        identifier = request.POST.get("identifier", "")
        user = authenticate(request, username=identifier, password=request.POST.get("password", ""))
        if user is not None:
            login(request, user, backend=BACKEND)
            return redirect(_safe_next(request))
        failure = getattr(request, "yiwang_login_error", None)
        error = _(failure.message) if failure else _("用户名/手机号或密码错误")
    elif request.GET.get("oidc") == "failed":
        error = _("统一身份认证登录未成功，请重试或使用账号密码登录")
    return render(
        request,
        "web/login.html",
        {"error": error, "identifier": identifier, "next": _safe_next(request)},
        status=400 if error and request.method == "POST" else 200,
    )


@require_POST
def logout_view(request):
    if request.user.is_authenticated:
        logout_record(actor=request.user)
    logout(request)
    return redirect("web:home")


def register_view(request):
    """个人注册. The form checks the shape; citizen_register is the authority (身份证号 check
    digit, uniqueness, password rules) and its reasons are shown beside the fields."""
    if request.user.is_authenticated:
        return redirect("web:me")
    form = RegisterForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = citizen_register(
                username=data["username"],
                password=data["password"],
                display_name=data["display_name"],
                id_number=data["id_number"],
                phone=data["phone"],
            )
        except InvalidInput as error:
            form.add_service_errors(error)
        else:
            login(request, user, backend=BACKEND)
            messages.success(
                request, _("欢迎，%(name)s！注册成功，这是您的个人信息。") % {"name": user.display_name}
            )
            return redirect("web:me")
    status = 422 if form.is_bound and form.errors else 200
    return render(request, "web/register.html", {"form": form.mark_invalid_fields()}, status=status)
