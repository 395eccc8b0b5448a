"""The signed licence JSON inside the licence PDF (issue 4 §4): embedded as the file attachment
`license.json` (PDF 1.7 §7.11.4, the document's EmbeddedFiles name tree) after rendering, and
read back from an uploaded PDF, so a printed-out-and-mailed PDF verifies offline like the JSON.

Plain bytes in, plain bytes out: no models, no keys. The attachment holds exactly the bytes the
wallet's "下载签名证照文件" gives (UTF-8, two-space indent, Chinese unescaped).
"""

from __future__ import annotations

import io
import json

from pypdf import PdfReader, PdfWriter

ATTACHMENT_NAME = "license.json"
PDF_MAGIC = b"%PDF-"


class UnreadablePdf(ValueError):
    """The bytes start like a PDF but pypdf cannot read its structure."""


class AttachmentTooLarge(ValueError):
    """The embedded `license.json` is larger than the caller's limit."""


def signed_json_bytes(document: dict) -> bytes:
    # The same serialisation as views_wallet.wallet_signed's JsonResponse.
    return json.dumps(document, ensure_ascii=False, indent=2).encode("utf-8")


def is_pdf(data: bytes) -> bool:
    return data[:5] == PDF_MAGIC


def attach_signed_json(pdf: bytes, document: dict) -> bytes:
    """The PDF with `document` embedded as `license.json`; the pages are unchanged."""
    writer = PdfWriter(clone_from=io.BytesIO(pdf))
    writer.add_attachment(ATTACHMENT_NAME, signed_json_bytes(document))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def embedded_signed_json(pdf: bytes, *, limit: int) -> bytes | None:
    """The bytes of the PDF's `license.json`, or None when it has none. UnreadablePdf when the
    PDF is malformed, AttachmentTooLarge when the attachment exceeds `limit` bytes."""
    try:
        reader = PdfReader(io.BytesIO(pdf), strict=False)
        attachments = [item for item in reader.attachment_list if item.name == ATTACHMENT_NAME]
        if not attachments:
            return None
        content = attachments[0].content
    except Exception as error:  # pypdf raises many kinds (and RecursionError) on hostile input
        raise UnreadablePdf(str(error)) from None
    if not isinstance(content, bytes):
        raise UnreadablePdf("attachment without content")
    if len(content) > limit:
        raise AttachmentTooLarge(len(content))
    return content
