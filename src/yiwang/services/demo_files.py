"""The files the demo applicants hand in: small real documents, so previews and downloads
work like any upload — a one-page A4 PDF in the platform's CJK font (documents_pdf.Sheet) for a
paper material, and a PNG photograph (a drawn silhouette) for 照片. Each is marked 示范材料: the
demo never pretends to hold anybody's real papers.
"""

from __future__ import annotations

import struct
import zlib

from django.core.files.uploadedfile import SimpleUploadedFile

from yiwang.services.documents_pdf import Sheet

DEMO_NOTE = "示范材料：示范市演示数据，内容虚构，仅供演示系统功能使用。"


def pdf_upload(title: str, lines: list[str] | tuple[str, ...] = (), *, name: str = "") -> SimpleUploadedFile:
    """A one-page PDF titled `title`, its lines as paragraphs."""
    sheet = Sheet(title=title, author="示范市演示数据", subject=title).gap(6)
    for line in lines:
        sheet.text(line, "indent")
    sheet.gap(12).text(DEMO_NOTE, "note")
    return SimpleUploadedFile(name or f"{title}.pdf", sheet.render(), content_type="application/pdf")


def _png(width: int, height: int, pixel) -> bytes:
    """A truecolour PNG (ISO/IEC 15948: signature, IHDR, one IDAT, IEND); `pixel(x, y)` → RGB."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(
        b"\x00" + b"".join(bytes(pixel(x, y)) for x in range(width)) for y in range(height)
    )  # filter type 0 (None) on every row
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows, 9))
        + chunk(b"IEND", b"")
    )


def _inside(x: float, y: float, cx: float, cy: float, rx: float, ry: float) -> bool:
    return ((x - cx) / rx) ** 2 + ((y - cy) / ry) ** 2 <= 1


def photo_upload(name: str, *, people: int = 1, background=(255, 255, 255)) -> SimpleUploadedFile:
    """A 2-inch photo (132×176 px): `people` grey silhouettes, head and shoulders, on the
    background colour (white for 身份证, red for 结婚登记照)."""
    width, height = 132 * people, 176
    figure = (96, 104, 116)

    def pixel(x: int, y: int):
        column = x % 132
        head = _inside(column, y, 66, 70, 30, 38)
        shoulders = y > 118 and _inside(column, y, 66, 190, 62, 72)
        return figure if head or shoulders else background

    return SimpleUploadedFile(name, _png(width, height, pixel), content_type="image/png")
