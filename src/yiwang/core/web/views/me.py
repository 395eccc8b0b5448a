"""我的信息: one's own profile (masked personal data, revealed on request), password,
personal API tokens, and enterprise links. Every write goes through an accounts service."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from yiwang.core.accounts.models import UserKind
from yiwang.core.accounts.selectors import api_tokens_of, enterprise_agents_of, enterprises_of_agent, posts_of
from yiwang.core.accounts.services.login import password_change
from yiwang.core.accounts.services.personal import personal_data_reveal
from yiwang.core.accounts.services.tokens import api_token_create, api_token_revoke
from yiwang.core.accounts.services.users import enterprise_register
from yiwang.core.errors import DomainError, InvalidInput, NotFound
from yiwang.core.files.owner_types import USER_OWNER
from yiwang.core.files.views import attachment_panel
from yiwang.core.web.forms import ApiTokenForm, EnterpriseRegisterForm, PasswordChangeForm
from yiwang.core.web.views._shared import is_htmx


def _render_me(request, *, status: int = 200, **overrides):
    user = request.user
    context = {
        "profile": user,
        "revealed": {},
        "password_form": PasswordChangeForm(),
        "token_form": ApiTokenForm(prefix="token"),
        "enterprise_form": EnterpriseRegisterForm(prefix="enterprise"),
        "tokens": api_tokens_of(user),
        "now": timezone.now(),
        "posts": posts_of(user) if user.kind == UserKind.OFFICIAL else [],
        "agents": enterprise_agents_of(enterprise=user) if user.kind == UserKind.ENTERPRISE else [],
        "agencies": enterprises_of_agent(agent=user) if user.kind == UserKind.CITIZEN else [],
        "new_secret": "",
        # 我的材料: one's own files (an ID scan, a certificate) kept for later applications.
        "files_panel": attachment_panel(
            actor=user, owner_type=USER_OWNER, owner_id=user.pk, next_url=reverse("web:me") + "#files"
        ),
    }
    context.update(overrides)
    for key in ("password_form", "token_form", "enterprise_form"):
        context[key].mark_invalid_fields()
    return render(request, "web/me.html", context, status=status)


@login_required
def me_view(request):
    return _render_me(request)


@never_cache  # a full 身份证号 must not stay in a shared cache or the browser's
@login_required
@require_POST
def me_reveal(request):
    """Shows one's own full 身份证号 or phone; htmx swaps in just the value."""
    field = request.POST.get("field", "")
    try:
        value = personal_data_reveal(actor=request.user, subject_id=request.user.pk, field=field, purpose="")
    except InvalidInput as error:
        reason = "；".join(_(text) for text in error.fields.values()) or _(error.message)
        return render(request, "web/partials/_notice.html", {"error": reason}, status=422)
    if is_htmx(request):
        return render(request, "web/partials/_revealed.html", {"value": value, "field": field})
    return _render_me(request, revealed={field: value})


@login_required
@require_POST
def me_password(request):
    form = PasswordChangeForm(request.POST)
    if form.is_valid():
        try:
            password_change(
                actor=request.user,
                old_password=form.cleaned_data["old_password"],
                new_password=form.cleaned_data["new_password"],
            )
        except InvalidInput as error:
            form.add_service_errors(error)
        else:
            update_session_auth_hash(request, request.user)  # stay signed in on this device
            messages.success(request, _("密码已修改"))
            return redirect("web:me")
    return _render_me(request, password_form=form, status=422)


@never_cache  # the secret is shown once; no cache may keep it
@login_required
@require_POST
def me_token_create(request):
    form = ApiTokenForm(request.POST, prefix="token")
    if form.is_valid():
        try:
            token, secret = api_token_create(
                actor=request.user, name=form.cleaned_data["name"], days=form.cleaned_data["days"]
            )
        except InvalidInput as error:
            form.add_service_errors(error)
        else:
            # Not a redirect: the secret is shown on this one response and never again.
            return _render_me(request, new_secret=secret, new_token=token)
    return _render_me(request, token_form=form, status=422)


@login_required
@require_POST
def me_token_revoke(request, token_id: int):
    try:
        token = api_token_revoke(actor=request.user, token_id=token_id)
    except NotFound:
        raise Http404() from None
    messages.success(request, _("令牌“%(name)s”已吊销") % {"name": token.name})
    return redirect("web:me")


@login_required
@require_POST
def me_enterprise_register(request):
    form = EnterpriseRegisterForm(request.POST, prefix="enterprise")
    if form.is_valid():
        data = form.cleaned_data
        try:
            enterprise = enterprise_register(
                agent=request.user,
                username=data["username"],
                password=data["password"],
                name=data["name"],
                uscc=data["uscc"],
                legal_representative=data["legal_representative"],
                phone=data["phone"],
            )
        except InvalidInput as error:
            form.add_service_errors(error)
        except DomainError as error:
            form.add_error(None, _(error.message))
        else:
            messages.success(
                request, _("企业“%(name)s”已注册，您是它的经办人") % {"name": enterprise.display_name}
            )
            return redirect("web:me")
    return _render_me(request, enterprise_form=form, status=422)
