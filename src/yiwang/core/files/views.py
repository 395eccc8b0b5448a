"""The download page: the same visibility as the API; anything not visible is a plain 404."""

from django.contrib.auth.decorators import login_required
from django.http import Http404

from yiwang.core.errors import NotFound
from yiwang.core.files.responses import attachment_download
from yiwang.core.files.selectors import attachment_get


@login_required
def download(request, attachment_id: int):
    try:
        return attachment_download(attachment_get(actor=request.user, attachment_id=attachment_id))
    except NotFound:
        raise Http404() from None
