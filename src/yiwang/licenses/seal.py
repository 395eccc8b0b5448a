"""The default electronic seal: a red ring, the issuer's name along its upper arc, a star inside.

Used when an issuing department has no seal image of its own. It is drawn in vector on the
licence PDF (`draw_default_seal`) and can be had as a PNG (`seal_png_default`, with Pillow, which
reportlab already depends on) for pages that show the seal. Both draw from one geometry
(`ring_layout`), given in units of the seal's radius, so they look alike. The seal is an image
only: what proves a licence is the signature printed under it.
"""

from __future__ import annotations

import io
import math
from dataclasses import dataclass

from PIL import Image, ImageDraw, ImageFont
from reportlab.lib.colors import HexColor
from reportlab.pdfgen.canvas import Canvas

from yiwang.licenses.fonts import cjk_font

SEAL_RED = "#E60012"
RING_WIDTH = 0.055  # of the radius
STAR_RADIUS = 0.30
MAX_SPAN_DEGREES = 250.0  # the name runs from lower left over the top to lower right
TEXT_OUTER = 0.86  # the outer edge of the name's characters


@dataclass(frozen=True)
class RingChar:
    char: str
    angle: float  # degrees, counter-clockwise from the positive x axis
    radius: float  # of the character's centre, in units of the seal's radius
    size: float  # font size, in units of the seal's radius


def ring_layout(name: str) -> list[RingChar]:
    """Where each character of `name` sits: evenly along an arc centred on the top."""
    chars = [c for c in name if not c.isspace()]
    if not chars:
        return []
    count = len(chars)
    centre_radius = 0.70
    size = min(0.30, centre_radius * math.radians(MAX_SPAN_DEGREES) / (count * 1.08))
    centre_radius = TEXT_OUTER - size / 2
    step = math.degrees(size * 1.08 / centre_radius)
    span = step * (count - 1)
    return [RingChar(c, 90 + span / 2 - i * step, centre_radius, size) for i, c in enumerate(chars)]


def star_points(radius: float = STAR_RADIUS) -> list[tuple[float, float]]:
    """The ten corners of a five-pointed star pointing up, centred on the origin."""
    inner = radius * math.sin(math.radians(18)) / math.sin(math.radians(126))
    points = []
    for i in range(10):
        r = radius if i % 2 == 0 else inner
        a = math.radians(90 + i * 36)
        points.append((r * math.cos(a), r * math.sin(a)))
    return points


def draw_default_seal(
    canvas: Canvas, *, cx: float, cy: float, radius: float, issuer_name: str, font_name: str
) -> None:
    """Draw the default seal centred on (cx, cy), slightly translucent like ink over print."""
    canvas.saveState()
    canvas.translate(cx, cy)
    canvas.scale(radius, radius)
    red = HexColor(SEAL_RED)
    canvas.setStrokeColor(red)
    canvas.setFillColor(red)
    canvas.setFillAlpha(0.88)
    canvas.setStrokeAlpha(0.88)
    canvas.setLineWidth(RING_WIDTH)
    canvas.circle(0, 0, 1 - RING_WIDTH / 2, stroke=1, fill=0)
    path = canvas.beginPath()
    corners = star_points()
    path.moveTo(*corners[0])
    for corner in corners[1:]:
        path.lineTo(*corner)
    path.close()
    canvas.drawPath(path, stroke=0, fill=1)
    for placed in ring_layout(issuer_name):
        canvas.saveState()
        canvas.rotate(placed.angle - 90)  # the character's top faces outwards
        canvas.setFont(font_name, placed.size)
        # CJK glyphs sit about 0.12 em below to 0.88 em above the baseline: centre the box.
        canvas.drawCentredString(0, placed.radius - 0.38 * placed.size, placed.char)
        canvas.restoreState()
    canvas.restoreState()


def seal_png_default(issuer_name: str, *, pixels: int = 480) -> bytes:
    """The default seal as a transparent PNG, `pixels` wide.

    The name is written with the configured CJK font; with only the built-in fallback font
    (which Pillow cannot read) the PNG has the ring and the star but no name.
    """
    scale = 4  # draw large and shrink: Pillow does not anti-alias circles and polygons
    size = pixels * scale
    radius = size / 2
    image = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    red = _rgba(SEAL_RED)
    ring = RING_WIDTH * radius
    draw.ellipse((ring / 2, ring / 2, size - ring / 2, size - ring / 2), outline=red, width=round(ring))
    draw.polygon([(radius + x * radius, radius - y * radius) for x, y in star_points()], fill=red)
    font = cjk_font()
    if font.embedded:
        for placed in ring_layout(issuer_name):
            glyph = ImageFont.truetype(font.path, round(placed.size * radius), index=0)
            box = round(placed.size * radius * 1.6)
            tile = Image.new("RGBA", (box, box), (0, 0, 0, 0))
            ImageDraw.Draw(tile).text((box / 2, box / 2), placed.char, font=glyph, fill=red, anchor="mm")
            tile = tile.rotate(placed.angle - 90, resample=Image.Resampling.BICUBIC, expand=True)
            a = math.radians(placed.angle)
            x = radius + placed.radius * radius * math.cos(a) - tile.width / 2
            y = radius - placed.radius * radius * math.sin(a) - tile.height / 2
            image.alpha_composite(tile, (round(x), round(y)))
    image = image.resize((pixels, pixels), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def _rgba(hex_colour: str) -> tuple[int, int, int, int]:
    value = hex_colour.lstrip("#")
    return (int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16), 255)
