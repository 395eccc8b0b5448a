"""A4 documents of 一网通办 (受理回执, 决定文书) as PDF: a small builder over reportlab's
platypus, in the licence library's CJK font (licenses.fonts: a subset of the configured TTF
embedded, so the text reads and extracts the same everywhere).

Plain data in, bytes out: no models here. Paragraphs wrap Chinese text (`wordWrap="CJK"`);
tables wrap their cells; the QR code is drawn as vector squares (segno's matrix), so no image
library is involved and it stays sharp when printed.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from xml.sax.saxutils import escape

import segno
from pypdf import PdfReader, PdfWriter
from reportlab import Version as REPORTLAB_VERSION
from reportlab.graphics.shapes import Drawing, Rect
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from yiwang.licenses.fonts import MONOSPACE_FONT, cjk_font

TEXT = colors.HexColor("#1F2328")
MUTED = colors.HexColor("#59636E")
RULE = colors.HexColor("#B0B7BF")
HEAD = colors.HexColor("#EEF1F4")
CONTENT_WIDTH = A4[0] - 40 * mm


def qr_drawing(text: str, size: float = 30 * mm) -> Drawing:
    """The QR code (error correction M) of `text`, `size` points square, dark modules only."""
    qr = segno.make(text, error="m", boost_error=False)
    matrix = qr.matrix
    modules = len(matrix)
    unit = size / modules
    drawing = Drawing(size, size)
    for row, cells in enumerate(matrix):
        column = 0
        while column < modules:
            if cells[column]:
                start = column
                while column < modules and cells[column]:
                    column += 1
                drawing.add(
                    Rect(
                        start * unit, size - (row + 1) * unit, (column - start) * unit, unit,
                        fillColor=colors.black, strokeColor=None, strokeWidth=0,
                    )
                )  # fmt: skip
            column += 1
    return drawing


@dataclass
class Sheet:
    """Build a document top to bottom, then `render()` it."""

    title: str
    author: str = ""
    subject: str = ""
    keywords: str = ""
    flow: list = field(default_factory=list)

    def __post_init__(self) -> None:
        self.font = cjk_font()
        base = {"fontName": self.font.name, "textColor": TEXT, "wordWrap": "CJK"}
        self.styles = {
            "title": ParagraphStyle("title", fontSize=20, leading=28, alignment=TA_CENTER, **base),
            "subtitle": ParagraphStyle("subtitle", fontSize=10.5, leading=16, alignment=TA_CENTER, **base),
            "body": ParagraphStyle("body", fontSize=11.5, leading=20, **base),
            "indent": ParagraphStyle("indent", fontSize=11.5, leading=20, firstLineIndent=23, **base),
            "right": ParagraphStyle("right", fontSize=11.5, leading=20, alignment=TA_RIGHT, **base),
            "cell": ParagraphStyle("cell", fontSize=9.5, leading=14, **base),
            "note": ParagraphStyle("note", fontSize=8.5, leading=13, **{**base, "textColor": MUTED}),
            "mono": ParagraphStyle(
                "mono", fontName=MONOSPACE_FONT, fontSize=6.5, leading=8.5, textColor=MUTED, wordWrap="CJK"
            ),
        }
        self.flow.append(Paragraph(escape(self.title), self.styles["title"]))

    def text(self, value: str, style: str = "body", space: float = 4) -> Sheet:
        lines = escape(value or "").replace("\n", "<br/>")
        self.flow += [Paragraph(lines, self.styles[style]), Spacer(1, space)]
        return self

    def gap(self, height: float = 8) -> Sheet:
        self.flow.append(Spacer(1, height))
        return self

    def table(self, rows: list[list[str]], widths: list[float], *, header: bool = True) -> Sheet:
        """Rows of text; `widths` are shares of the content width (summing to 1)."""
        cells = [[Paragraph(escape(str(value)), self.styles["cell"]) for value in row] for row in rows]
        table = Table(
            cells, colWidths=[share * CONTENT_WIDTH for share in widths], repeatRows=1 if header else 0
        )
        commands = [
            ("GRID", (0, 0), (-1, -1), 0.5, RULE),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("TOPPADDING", (0, 0), (-1, -1), 3),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
        ]
        if header:
            commands.append(("BACKGROUND", (0, 0), (-1, 0), HEAD))
        table.setStyle(TableStyle(commands))
        self.flow += [table, Spacer(1, 8)]
        return self

    def facts(self, pairs: list[tuple[str, str]]) -> Sheet:
        return self.table([[label, value] for label, value in pairs], [0.28, 0.72], header=False)

    def qr(self, text: str, caption: str) -> Sheet:
        """The QR code at the left with its caption beside it."""
        caption_cell = Paragraph(escape(caption), self.styles["note"])
        table = Table([[qr_drawing(text), caption_cell]], colWidths=[34 * mm, CONTENT_WIDTH - 34 * mm])
        table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "MIDDLE")]))
        self.flow += [table, Spacer(1, 6)]
        return self

    def mono(self, value: str) -> Sheet:
        self.flow.append(Paragraph(escape(value), self.styles["mono"]))
        return self

    def render(self, *, attachments: dict[str, bytes] | None = None) -> bytes:
        out = io.BytesIO()
        document = SimpleDocTemplate(
            out,
            pagesize=A4,
            leftMargin=20 * mm,
            rightMargin=20 * mm,
            topMargin=20 * mm,
            bottomMargin=18 * mm,
            title=self.title,
            author=self.author,
            subject=self.subject,
            keywords=self.keywords,
            creator="yiwang",
            producer=f"yiwang (reportlab {REPORTLAB_VERSION}); 字体 {self.font.description}",
        )
        document.build(self.flow)
        data = out.getvalue()
        if attachments:
            writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
            for name, content in attachments.items():
                writer.add_attachment(name, content)
            out = io.BytesIO()
            writer.write(out)
            data = out.getvalue()
        return data
