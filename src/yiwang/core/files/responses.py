"""The download response, shared by the API and the page so both send the same headers."""

from __future__ import annotations

import logging
from urllib.parse import quote

from django.core.files.storage import default_storage
from django.http import FileResponse

from yiwang.core.errors import NotFound
from yiwang.core.files.models import Attachment

logger = logging.getLogger("yiwang.files")


def content_disposition(name: str, extension: str) -> str:
    """RFC 6266 §4.3: an ASCII `filename` for old clients and the real (Chinese) name in the
    RFC 5987 `filename*=UTF-8''…` form, which every current browser prefers."""
    fallback = "".join(ch for ch in name if 32 <= ord(ch) < 127 and ch not in '"\\;%').strip()
    if not fallback.rpartition(".")[0].strip():
        fallback = f"attachment.{extension}"
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, safe='')}"


# Types a browser shows itself without running anything of ours: previewed inline on request.
PREVIEWABLE = frozenset({"application/pdf", "image/png", "image/jpeg", "image/gif", "image/webp"})


def attachment_download(attachment: Attachment, *, inline: bool = False) -> FileResponse:
    """The file as a download; `inline` previews a PDF or an image in the browser instead (材料
    预览). Other types are always downloads."""
    stored = attachment.file
    try:
        handle = default_storage.open(stored.storage_name, "rb")
    except FileNotFoundError:
        logger.error("blob %s of attachment %s is missing from storage", stored.sha256, attachment.pk)
        raise NotFound("文件内容已丢失，请联系管理员", code="file_missing") from None
    response = FileResponse(handle, content_type=stored.content_type)
    response["Content-Length"] = str(stored.size)
    disposition = content_disposition(attachment.name, stored.extension)
    # The type we sniffed is the type we send; browsers must not guess another (and run it).
    response["X-Content-Type-Options"] = "nosniff"
    if inline and stored.content_type in PREVIEWABLE:
        # The browser's own PDF viewer and image display; a CSP sandbox would block the viewer.
        response["Content-Disposition"] = disposition.replace("attachment;", "inline;", 1)
    else:
        response["Content-Disposition"] = disposition
        response["Content-Security-Policy"] = "sandbox"
    response["Cache-Control"] = "private, no-store"
    return response
