"""The licence's two-column table (label | value): type size, wrapping and page breaks.

The table takes the largest type size at which it fits the page. At the smallest size a table
that is still too tall (a 经营范围 of several thousand characters) continues on further pages:
a value too long for the room left is cut between lines, and the rest opens the next page under
"<label>（续）". Nothing is ever drawn outside the room it was given.
"""

from __future__ import annotations

from dataclasses import dataclass
from xml.sax.saxutils import escape

from reportlab.lib.colors import Color
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph

from yiwang.licenses.fonts import CjkFont

LABEL_WIDTH = 118.0
CELL_PAD = 6.0
TYPE_SIZES = (11.5, 10.5, 9.5, 8.5)
TEXT = Color(0.13, 0.13, 0.13)
MUTED = Color(0.38, 0.38, 0.38)


def tint(colour: Color, strength: float) -> Color:
    """The colour mixed into white: strength 0 is white, 1 the colour itself."""
    return Color(*(1 - strength * (1 - c) for c in (colour.red, colour.green, colour.blue)))


def style(font: CjkFont, size: float, **extra) -> ParagraphStyle:
    # wordWrap CJK breaks between any two characters, so long values without spaces wrap too.
    options = {"fontName": font.name, "fontSize": size, "leading": size * 1.45, "textColor": TEXT}
    return ParagraphStyle("licence", wordWrap="CJK", **(options | extra))


def paragraph(text: str, paragraph_style: ParagraphStyle) -> Paragraph:
    """Plain text (never markup) as a paragraph; line breaks kept."""
    return Paragraph(escape(text).replace("\n", "<br/>"), paragraph_style)


@dataclass(frozen=True)
class Row:
    """One row laid out: both cells already wrapped to their widths."""

    label: Paragraph
    value: Paragraph
    height: float


class Table:
    def __init__(self, *, font: CjkFont, accent: Color, left: float, right: float) -> None:
        self.font, self.accent, self.left, self.right = font, accent, left, right
        self.label_width = LABEL_WIDTH - 2 * CELL_PAD
        self._use_size(TYPE_SIZES[0])

    def _use_size(self, size: float) -> None:
        # Less one character: CJK wrapping lets a closing mark (，；）) hang past the line's end.
        self.value_width = self.right - self.left - LABEL_WIDTH - 2 * CELL_PAD - size
        self.label_style = style(self.font, size, alignment=TA_CENTER, textColor=tint(self.accent, 0.9))
        self.value_style = style(self.font, size)

    def paginate(self, rows: list[tuple[str, str]], height: float) -> list[list[Row]]:
        """The rows on pages of `height`: one page at the largest size that fits, else more."""
        for size in TYPE_SIZES:
            self._use_size(size)
            laid = [self._row(label, paragraph(value, self.value_style), height) for label, value in rows]
            if sum(row.height for row in laid) <= height:
                return [laid]
        pages: list[list[Row]] = [[]]
        room = height
        queue = [(label, row) for (label, _), row in zip(rows, laid, strict=True)]
        while queue:
            label, row = queue.pop(0)  # label: the row's own, without （续）
            if row.height <= room:
                pages[-1].append(row)
                room -= row.height
                continue
            fits_a_label = room >= row.label.height + 2 * CELL_PAD
            parts = row.value.split(self.value_width, room - 2 * CELL_PAD) if fits_a_label else []
            if len(parts) == 2:  # the lines that fit here; the rest opens the next page
                head, tail = parts
                head_height = max(row.label.height, head.wrap(self.value_width, room)[1]) + 2 * CELL_PAD
                pages[-1].append(Row(row.label, head, head_height))  # under the row's label as it was
                queue.insert(0, (label, self._row(f"{label}（续）", tail, height)))
            elif not pages[-1]:  # a single line taller than a page: place it rather than loop
                pages[-1].append(row)
            else:
                queue.insert(0, (label, row))
            pages.append([])
            room = height
        return [page for page in pages if page]

    def _row(self, label: str, value: Paragraph, height: float) -> Row:
        label_p = paragraph(label, self.label_style)
        cell = max(label_p.wrap(self.label_width, height)[1], value.wrap(self.value_width, height)[1])
        return Row(label_p, value, cell + 2 * CELL_PAD)

    def draw(self, canvas: Canvas, rows: list[Row], top: float) -> None:
        left, right = self.left, self.right
        y = top
        canvas.setLineWidth(0.6)
        for row in rows:
            canvas.setFillColor(tint(self.accent, 0.07))
            canvas.rect(left, y - row.height, LABEL_WIDTH, row.height, stroke=0, fill=1)
            row.label.drawOn(canvas, left + CELL_PAD, y - (row.height + row.label.height) / 2)
            row.value.drawOn(canvas, left + LABEL_WIDTH + CELL_PAD, y - CELL_PAD - row.value.height)
            y -= row.height
            canvas.setStrokeColor(tint(self.accent, 0.35))
            canvas.line(left, y, right, y)
        canvas.setStrokeColor(tint(self.accent, 0.6))
        canvas.rect(left, y, right - left, top - y)
        canvas.line(left + LABEL_WIDTH, y, left + LABEL_WIDTH, top)
