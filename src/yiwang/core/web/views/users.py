"""人员 pages for department administrators: a scoped list and a detail page whose full
personal data is shown only through the audited reveal (个人信息保护法 §51: 查看事由)."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from yiwang.core.accounts.permissions import can_personal_data_reveal, can_user_list
from yiwang.core.accounts.selectors import posts_of, user_get_for_actor, user_list_for_actor
from yiwang.core.accounts.services.personal import personal_data_reveal
from yiwang.core.errors import InvalidInput, NotFound, PermissionDenied
from yiwang.core.files.owner_types import USER_OWNER
from yiwang.core.files.views import attachment_panel
from yiwang.core.web.forms import RevealForm, UserFilterForm
from yiwang.core.web.views._shared import official_required

PAGE_SIZE = 20


@official_required
def user_list(request):
    if not can_user_list(request.user):
        raise Http404()
    filters = UserFilterForm(request.GET or None)
    criteria = filters.cleaned_data if filters.is_valid() else {}
    users = user_list_for_actor(
        actor=request.user, kind=criteria.get("kind") or None, query=criteria.get("q", "")
    ).prefetch_related("posts__department", "posts__role")
    page_obj = Paginator(users, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "web/users.html", {"filters": filters, "page_obj": page_obj})


def _subject_or_404(request, user_id: int):
    try:
        return user_get_for_actor(actor=request.user, user_id=user_id)
    except NotFound:
        raise Http404() from None


def _render_detail(request, subject, *, form=None, revealed=None, error="", status=200):
    return render(
        request,
        "web/user_detail.html",
        {
            "subject": subject,
            "posts": posts_of(subject),
            "reveal_form": (form or RevealForm()).mark_invalid_fields(),
            "revealed": revealed,
            "error": error,
            "can_reveal": can_personal_data_reveal(request.user),
            # The person's own files, to view and download only: they alone add or remove them.
            "files_panel": attachment_panel(
                actor=request.user,
                owner_type=USER_OWNER,
                owner_id=subject.pk,
                next_url=reverse("web:user_detail", args=[subject.pk]),
                may_attach=False,
            ),
        },
        status=status,
    )


@official_required
def user_detail(request, user_id: int):
    return _render_detail(request, _subject_or_404(request, user_id))


@never_cache
@official_required
@require_POST
def user_reveal(request, user_id: int):
    """The full value after personal_data_reveal has recorded who read which field and why."""
    subject = _subject_or_404(request, user_id)
    form = RevealForm(request.POST)
    if not form.is_valid():
        return _render_detail(request, subject, form=form, status=422)
    field = form.cleaned_data["field"]
    try:
        value = personal_data_reveal(
            actor=request.user, subject_id=subject.pk, field=field, purpose=form.cleaned_data["purpose"]
        )
    except InvalidInput as error:
        form.add_service_errors(error)
        return _render_detail(request, subject, form=form, status=422)
    except PermissionDenied as error:
        return _render_detail(request, subject, form=form, error=gettext(error.message), status=403)
    except NotFound:
        raise Http404() from None
    revealed = {"field": field, "label": dict(form.fields["field"].choices)[field], "value": value}
    return _render_detail(request, subject, revealed=revealed)
