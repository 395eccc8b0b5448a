"""The CJK font of rendered licences (settings.LICENSE_FONT).

A TrueType font (or the first face of a .ttc collection, e.g. Debian's fonts-wqy-microhei) is
embedded as a subset, so the PDF shows the same glyphs everywhere. When the file is missing or
unreadable, reportlab's built-in CID font STSong-Light is used instead: it is not embedded, so a
viewer needs its own Chinese fonts (Adobe's Asian font pack); this is logged once per path and
named in the PDF's Producer.
"""

from __future__ import annotations

import functools
import hashlib
import logging
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFError, TTFont

logger = logging.getLogger("yiwang.licenses.fonts")

FALLBACK_FONT = "STSong-Light"
MONOSPACE_FONT = "Courier"  # the signature is base64: ASCII only, a standard PDF font suffices


@dataclass(frozen=True)
class CjkFont:
    name: str  # the name registered with reportlab
    path: str  # the file, "" for the built-in fallback
    embedded: bool

    @property
    def description(self) -> str:
        if self.embedded:
            return f"{Path(self.path).name}（子集嵌入）"
        return f"{FALLBACK_FONT}（未嵌入，需阅读器的中文字体）"


def configured_path() -> str:
    return getattr(settings, "LICENSE_FONT", "") or ""


def cjk_font(path: str | None = None) -> CjkFont:
    """The font for `path` (default: settings.LICENSE_FONT, read at each call)."""
    return _registered(configured_path() if path is None else path)


@functools.cache
def _registered(path: str) -> CjkFont:
    """Register the font of `path` once; warn once if it cannot be used."""
    if path and Path(path).is_file():
        # One registered name per file, so a test that points the setting elsewhere gets its own.
        name = "YiwangCJK-" + hashlib.sha1(path.encode(), usedforsecurity=False).hexdigest()[:8]
        try:
            # subfontIndex 0: the first face of a collection (WenQuanYi Micro Hei, not its Mono).
            pdfmetrics.registerFont(TTFont(name, path, subfontIndex=0))
        except (TTFError, OSError) as error:
            logger.warning("证照字体 %s 无法读取（%s），改用内置 %s", path, error, FALLBACK_FONT)
        else:
            return CjkFont(name=name, path=path, embedded=True)
    else:
        logger.warning("证照字体 %s 不存在，改用内置 %s（不嵌入）", path or "(未配置)", FALLBACK_FONT)
    pdfmetrics.registerFont(UnicodeCIDFont(FALLBACK_FONT))
    return CjkFont(name=FALLBACK_FONT, path="", embedded=False)
