"""Small helpers the page views share: who may open the workbench, htmx detection."""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.http import Http404

from yiwang.core.accounts.models import UserKind


def official_required(view):
    """Workbench pages: sign-in first; for anyone but an official the page does not exist
    (a 404, like any object outside a person's scope)."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.user.kind != UserKind.OFFICIAL:
            raise Http404()
        return view(request, *args, **kwargs)

    return wrapper


def is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"
