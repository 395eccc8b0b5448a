"""Attachment pages: upload, delete and download, plus the panel context other pages include.

Visibility is the API's: an owner or attachment the person may not see is a plain 404. The
pages work without JavaScript (a multipart form posting here, then a redirect back to `next`).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from yiwang.core.errors import InvalidInput, NotFound, PermissionDenied
from yiwang.core.files import services
from yiwang.core.files.permissions import can_file_attach
from yiwang.core.files.responses import attachment_download
from yiwang.core.files.selectors import attachment_get, attachment_list
from yiwang.core.files.sniff import ALIASES

# How an included panel names its inputs, so two panels on one page keep distinct ids.
_KEY = "attachments"


def _accept(allowed: list[str]) -> str:
    """The file picker's filter: every allowed type and its aliases (jpg → .jpg,.jpeg,.jpe)."""
    extensions = [*allowed, *(alias for alias, canonical in ALIASES.items() if canonical in allowed)]
    return ",".join(f".{extension}" for extension in extensions)


def attachment_panel(
    *, actor, owner_type: str, owner_id, next_url: str, may_attach: bool = True, error: str = "", key=_KEY
) -> dict:
    """Context for `files/partials/_attachments.html`: an owner's files, and the upload form and
    delete buttons when the viewer may attach (and the including page allows it). NotFound
    when the viewer may not see the owner (the including page turns it into a 404)."""
    owner_id = str(owner_id)
    attachments = list(attachment_list(actor=actor, owner_type=owner_type, owner_id=owner_id))
    allowed = services.allowed_types()
    return {
        "key": key,
        "owner_type": owner_type,
        "owner_id": owner_id,
        "attachments": attachments,
        "can_attach": may_attach and can_file_attach(actor, owner_type=owner_type, owner_id=owner_id),
        "next": next_url,
        "error": error,
        "accept": _accept(allowed),
        "types": "、".join(allowed),
        "limit": services.size_text(settings.UPLOAD_MAX_BYTES),
    }


def _safe_next(request) -> str:
    """Only a path on this site: a foreign `next` would make the form an open redirect."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return resolve_url(settings.LOGIN_REDIRECT_URL)


@login_required
def download(request, attachment_id: int):
    try:
        return attachment_download(attachment_get(actor=request.user, attachment_id=attachment_id))
    except NotFound:
        raise Http404() from None


@login_required
@require_POST
def upload(request):
    """Attach the posted file; a rejected file re-renders the panel with the reason beside it."""
    owner_type = request.POST.get("owner_type", "")
    owner_id = request.POST.get("owner_id", "")
    next_url = _safe_next(request)
    try:
        attachment = services.file_attach(
            actor=request.user, owner_type=owner_type, owner_id=owner_id, upload=request.FILES.get("file")
        )
    except NotFound:
        raise Http404() from None
    except PermissionDenied as error:
        raise DjangoPermissionDenied(_(error.message)) from None
    except InvalidInput as error:
        return _render_rejected(request, error, owner_type=owner_type, owner_id=owner_id, next_url=next_url)
    messages.success(request, _("已上传“%(name)s”") % {"name": attachment.name})
    return redirect(next_url)


def _render_rejected(request, error: InvalidInput, *, owner_type, owner_id, next_url):
    fields = error.fields or {}
    if "file" not in fields:
        # owner_type / owner_id come from hidden inputs: only a tampered form gets here.
        context = {"error": _(error.message), "panel": None, "next": next_url}
        return render(request, "files/upload.html", context, status=422)
    panel = attachment_panel(
        actor=request.user,
        owner_type=owner_type,
        owner_id=owner_id,
        next_url=next_url,
        error=_(fields["file"]),
    )
    context = {"error": _("文件未上传，请按提示修改"), "panel": panel, "next": next_url}
    return render(request, "files/upload.html", context, status=422)


@login_required
@require_POST
def delete(request, attachment_id: int):
    """Remove an attachment (the blob stays for others sharing it); then back to `next`."""
    try:
        attachment = attachment_get(actor=request.user, attachment_id=attachment_id)
        services.file_detach(actor=request.user, attachment=attachment)
    except NotFound:
        raise Http404() from None
    except PermissionDenied as error:
        raise DjangoPermissionDenied(_(error.message)) from None
    messages.success(request, _("已删除“%(name)s”") % {"name": attachment.name})
    return redirect(_safe_next(request))
