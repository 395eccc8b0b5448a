"""The licence as a PDF (issue 4 §3): one A4 sheet in the licence's layout.

A pure function over plain data (`LicenseSheet`), so it knows nothing of models or keys: the
caller fills in the masked holder code, the signature and the verification URL. The page, top
to bottom, inside a double frame in the type's accent colour:

- the title (证照名称) large and centred, the 证照标识 and 证照编号 under it;
- a two-column table: 持证主体, the holder code, the type's fields in layout order, 有效期限.
  Long values wrap; if the table does not fit the page at the smallest type size, it continues
  on further pages, each with the same header and footer and "第 n 页 / 共 m 页";
- the issuer's name and 颁发日期 with the seal over them (the issuer's image, or the default
  red seal drawn in vector), and a note on how to verify;
- the footer: "电子签名" with algorithm, key id and the base64 signature in small monospace,
  and at the bottom right a QR code (error correction M) of the verification URL, "扫码核验".

A status note (e.g. 已吊销 on a copy downloaded after revocation) is stamped across every page.
Text is in the configured CJK font, embedded as a subset (see fonts.py).
"""

from __future__ import annotations

import io
import logging
import re
from dataclasses import dataclass
from datetime import date

import segno
from reportlab import Version as REPORTLAB_VERSION
from reportlab.lib.colors import Color, HexColor
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from yiwang.licenses.fonts import MONOSPACE_FONT, CjkFont, cjk_font
from yiwang.licenses.seal import draw_default_seal
from yiwang.licenses.sheet_table import MUTED, TEXT, Table, paragraph, style, tint

logger = logging.getLogger("yiwang.licenses.rendering")

WIDTH, HEIGHT = A4
INSET = 52.0  # from the paper's edge to the content
LEFT, RIGHT, TOP, BOTTOM = INSET, WIDTH - INSET, HEIGHT - INSET, INSET
QR_SIZE = 86.0
SEAL_RADIUS = 59.5  # 42 mm across, the size of a local authority's official seal
_HEX = re.compile(r"#?([0-9A-Fa-f]{3}|[0-9A-Fa-f]{6})")


@dataclass(frozen=True)
class LicenseSheet:
    title: str  # 证照名称, e.g. 营业执照
    identifier: str  # 证照标识
    number: str  # 证照编号, may be ""
    holder_name: str
    holder_code_masked: str  # masked by the caller, e.g. 3399**********031X
    holder_code_type_name: str  # 公民身份号码 / 统一社会信用代码
    issuer_name: str
    issued_on: date
    valid_from: date
    valid_until: date | None  # None: 长期
    fields: tuple[tuple[str, str], ...]  # (label, value) in layout order
    verify_url: str  # absolute URL of the public verification page of this identifier
    signature_b64: str
    key_id: str
    algorithm: str  # e.g. SM2-SM3
    seal_png: bytes | None = None  # the issuer's seal; None: the default seal
    status_note: str = ""  # e.g. 已吊销, stamped across the page
    accent: str = "#B22222"  # the frame's colour

    def __post_init__(self) -> None:
        if not _HEX.fullmatch(self.accent):
            raise ValueError(f"accent must be a hex colour like #B22222, not {self.accent!r}")


def cn_date(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def render_pdf(sheet: LicenseSheet) -> bytes:
    """The licence as PDF bytes (A4 portrait)."""
    font = cjk_font()
    accent = _colour(sheet.accent)
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=A4, pageCompression=1)
    canvas.setTitle(f"{sheet.title} {sheet.identifier}")
    canvas.setAuthor(sheet.issuer_name)
    canvas.setSubject("电子证照")
    canvas.setCreator("yiwang")
    canvas.setKeywords(sheet.identifier)
    canvas.setProducer(f"yiwang (reportlab {REPORTLAB_VERSION}); 字体 {font.description}")
    footer = _Footer(sheet, font)
    table_top = TOP - (92 if sheet.number else 78)
    table_bottom = footer.top + 16 + 150
    table = Table(font=font, accent=accent, left=LEFT, right=RIGHT)
    pages = table.paginate(_rows(sheet), table_top - table_bottom)
    qr_modules = _define_qr(canvas, sheet.verify_url)
    for number, rows in enumerate(pages, start=1):
        _frame(canvas, accent)
        _header(canvas, sheet, font, accent)
        table.draw(canvas, rows, table_top)
        _issuer(canvas, sheet, font, footer.top + 16)
        footer.draw(canvas, qr_modules)
        if len(pages) > 1:
            canvas.setFont(font.name, 7.5)
            canvas.setFillColor(MUTED)
            canvas.drawCentredString(WIDTH / 2, 38, f"第 {number} 页 / 共 {len(pages)} 页")
        if sheet.status_note:
            _stamp(canvas, sheet.status_note, font)
        canvas.showPage()
    canvas.save()
    return out.getvalue()


def _colour(hex_colour: str) -> Color:
    value = hex_colour.lstrip("#")
    if len(value) == 3:
        value = "".join(c * 2 for c in value)
    return HexColor("#" + value)


def _rows(sheet: LicenseSheet) -> list[tuple[str, str]]:
    until = cn_date(sheet.valid_until) if sheet.valid_until else "长期"
    return [
        ("持证主体", sheet.holder_name),
        (sheet.holder_code_type_name, sheet.holder_code_masked),
        *sheet.fields,
        ("有效期限", f"{cn_date(sheet.valid_from)} 至 {until}"),
    ]


def _frame(canvas: Canvas, accent: Color) -> None:
    canvas.setStrokeColor(accent)
    canvas.setLineWidth(2.4)
    canvas.rect(24, 24, WIDTH - 48, HEIGHT - 48)
    canvas.setLineWidth(0.7)
    canvas.rect(30, 30, WIDTH - 60, HEIGHT - 60)


def _header(canvas: Canvas, sheet: LicenseSheet, font: CjkFont, accent: Color) -> None:
    count = max(len(sheet.title), 1)
    spacing = 0.35  # of the size, between characters: titles of certificates are spaced out
    size = min(30.0, (RIGHT - LEFT) / (count * (1 + spacing)))
    width = stringWidth(sheet.title, font.name, size) + size * spacing * (count - 1)
    canvas.saveState()
    canvas.setFillColor(TEXT)
    canvas.setStrokeColor(TEXT)
    canvas.setLineWidth(size * 0.025)  # fill and stroke: a touch of weight, the font has no bold
    canvas.setFont(font.name, size)
    canvas.drawString(WIDTH / 2 - width / 2, TOP - 34, sheet.title, mode=2, charSpace=size * spacing)
    canvas.restoreState()
    canvas.setStrokeColor(accent)
    canvas.setLineWidth(0.8)
    canvas.line(WIDTH / 2 - 60, TOP - 46, WIDTH / 2 + 60, TOP - 46)
    canvas.setFillColor(MUTED)
    lines = [f"证照标识：{sheet.identifier}"] + ([f"证照编号：{sheet.number}"] if sheet.number else [])
    for i, line in enumerate(lines):
        line_size = min(9.5, (RIGHT - LEFT) / max(stringWidth(line, font.name, 1), 1))
        canvas.setFont(font.name, line_size)
        canvas.drawCentredString(WIDTH / 2, TOP - 64 - 14 * i, line)


def _issuer(canvas: Canvas, sheet: LicenseSheet, font: CjkFont, bottom: float) -> None:
    """The issuer and date at the right with the seal over them; how to verify at the left."""
    centre = RIGHT - 125
    canvas.setFillColor(TEXT)
    canvas.setFont(font.name, 11.5)
    canvas.drawCentredString(centre, bottom + 22, cn_date(sheet.issued_on))
    size = 12.5
    while True:  # a long name gets smaller type rather than more than two lines
        name = paragraph(sheet.issuer_name, style(font, size, alignment=TA_CENTER))
        if name.wrap(230, 60)[1] <= 2.9 * size or size <= 7:
            break
        size -= 0.5
    name.drawOn(canvas, centre - 115, bottom + 42)
    note = (
        "本证照由颁发机构以电子签名签发。扫描右下角二维码，或在核验页面输入证照标识，"
        f"可查验其真伪和当前状态：{sheet.verify_url}"
    )
    note_p = paragraph(note, style(font, 8, textColor=MUTED))
    note_p.wrap(centre - 125 - LEFT - 12, 120)
    note_p.drawOn(canvas, LEFT, bottom + 22)
    seal_y = bottom + 42 + name.height / 2 + 8
    if sheet.seal_png:
        try:
            image = ImageReader(io.BytesIO(sheet.seal_png))
            canvas.drawImage(
                image, centre - SEAL_RADIUS, seal_y - SEAL_RADIUS, 2 * SEAL_RADIUS, 2 * SEAL_RADIUS,
                mask="auto", preserveAspectRatio=True,
            )  # fmt: skip
            return
        except Exception as error:  # a broken image must not keep the holder from the licence
            logger.warning("颁发机构印章图片无法读取（%s），改用默认印章", error)
    draw_default_seal(
        canvas, cx=centre, cy=seal_y, radius=SEAL_RADIUS, issuer_name=sheet.issuer_name, font_name=font.name
    )


class _Footer:
    """The signature block at the bottom left, the QR code at the bottom right."""

    def __init__(self, sheet: LicenseSheet, font: CjkFont) -> None:
        width = RIGHT - LEFT - QR_SIZE - 20
        meta = f"签名算法：{sheet.algorithm}　密钥标识：{sheet.key_id}"
        self.meta = paragraph(meta, style(font, 7.5, textColor=MUTED))
        self.meta.wrap(width, HEIGHT)
        per_line = max(int(width / (0.6 * 6.5)), 1)  # Courier is 0.6 em wide
        signature = sheet.signature_b64
        self.lines = [signature[i : i + per_line] for i in range(0, len(signature), per_line)] or [""]
        self.font = font
        self.height = max(16 + self.meta.height + 4 + 8 * len(self.lines), QR_SIZE + 14)
        self.top = BOTTOM + self.height

    def draw(self, canvas: Canvas, qr_modules: int) -> None:
        canvas.setStrokeColor(tint(Color(0.5, 0.5, 0.5), 0.5))
        canvas.setLineWidth(0.5)
        canvas.line(LEFT, self.top + 8, RIGHT, self.top + 8)
        canvas.setFillColor(TEXT)
        canvas.setFont(self.font.name, 9)
        canvas.drawString(LEFT, self.top - 9, "电子签名")
        self.meta.drawOn(canvas, LEFT, self.top - 14 - self.meta.height)
        canvas.setFont(MONOSPACE_FONT, 6.5)
        canvas.setFillColor(MUTED)
        y = self.top - 14 - self.meta.height - 10
        for line in self.lines:
            canvas.drawString(LEFT, y, line)
            y -= 8
        canvas.saveState()
        canvas.translate(RIGHT - QR_SIZE, BOTTOM + 14)
        canvas.scale(QR_SIZE / qr_modules, QR_SIZE / qr_modules)
        canvas.doForm(QR_FORM)
        canvas.restoreState()
        canvas.setFillColor(TEXT)
        canvas.setFont(self.font.name, 8)
        canvas.drawCentredString(RIGHT - QR_SIZE / 2, BOTTOM + 2, "扫码核验")


QR_FORM = "licenseVerifyQR"


def _define_qr(canvas: Canvas, url: str) -> int:
    """The QR code as a form XObject, one unit per module, row 0 at the top; its module count.

    Only the dark modules are drawn (as runs along each row): the paper is the light ones.
    """
    qr = segno.make(url, error="m", boost_error=False)
    size = len(qr.matrix)
    canvas.beginForm(QR_FORM, 0, 0, size, size)
    canvas.setFillColor(Color(0, 0, 0))
    path = canvas.beginPath()
    for row, cells in enumerate(qr.matrix):
        column = 0
        while column < size:  # runs of dark modules, so the form stays small
            if cells[column]:
                start = column
                while column < size and cells[column]:
                    column += 1
                path.rect(start, size - 1 - row, column - start, 1)
            column += 1
    canvas.drawPath(path, stroke=0, fill=1)
    canvas.endForm()
    return size


def _stamp(canvas: Canvas, note: str, font: CjkFont) -> None:
    """The status note, large, red and translucent, diagonally across the page."""
    size = min(120.0, 560 / max(stringWidth(note, font.name, 1), 1))
    canvas.saveState()
    canvas.translate(WIDTH / 2, HEIGHT / 2)
    canvas.rotate(35)
    canvas.setFillColor(Color(0.85, 0.05, 0.05))
    canvas.setFillAlpha(0.22)
    canvas.setFont(font.name, size)
    canvas.drawCentredString(0, -size / 3, note)
    canvas.restoreState()
