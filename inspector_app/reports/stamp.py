"""The visible signature stamp (签章), drawn with reportlab as a small one-page PDF.

pyHanko's own CJK text stamp mis-scales TrueType fonts whose units-per-em is not 1000
(WenQuanYi Micro Hei has 2048), so the stamp's appearance is drawn here and pyHanko only
places it, as a static stamp.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

STAMP_FONT = "InspectorStampCJK"
FONT_CANDIDATES = (
    Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"),  # Debian fonts-wqy-microhei
    Path("C:/Windows/Fonts/simhei.ttf"),
    Path("C:/Windows/Fonts/msyh.ttc"),
)
"""TrueType CJK fonts, in order of preference (reportlab rejects CFF-based Noto CJK)."""

STAMP_RED = (0.75, 0.05, 0.05)


class StampFontMissing(RuntimeError):
    """No CJK TrueType font was found to draw the stamp with."""


def _register_font() -> str:
    if STAMP_FONT in pdfmetrics.getRegisteredFontNames():
        return STAMP_FONT
    for path in FONT_CANDIDATES:
        if path.is_file():
            pdfmetrics.registerFont(TTFont(STAMP_FONT, str(path)))
            return STAMP_FONT
    raise StampFontMissing(
        "找不到用于签章的中文 TrueType 字体（如 WenQuanYi Micro Hei，Debian 软件包 "
        "fonts-wqy-microhei）。请安装后重试。"
    )


@dataclass(frozen=True)
class StampText:
    """What a stamp says: the meaning of the signature, who signed, their certificate number
    and when."""

    meaning: str
    name: str
    certificate_no: str
    signed_at: datetime

    def lines(self) -> list[str]:
        """Return the stamp's lines, first the meaning."""
        return [
            self.meaning,
            f"签名人：{self.name}",
            f"证书编号：{self.certificate_no}",
            f"时间：{self.signed_at.strftime('%Y-%m-%d %H:%M')} {_offset(self.signed_at)}",
        ]


def _offset(moment: datetime) -> str:
    offset = moment.utcoffset()
    if offset is None:
        return ""
    minutes = int(offset.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    return f"UTC{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def stamp_pdf(text: StampText, width: float, height: float) -> bytes:
    """Return a one-page PDF of `width` x `height` points showing the stamp (a red frame and
    the lines of `text`), byte-identical for the same input (reportlab's invariant mode)."""
    font = _register_font()
    out = io.BytesIO()
    page = canvas.Canvas(out, pagesize=(width, height), invariant=1, pageCompression=1)
    red = STAMP_RED
    page.setStrokeColorRGB(*red)
    page.setFillColorRGB(*red)
    page.setLineWidth(1.2)
    page.rect(1.5, 1.5, width - 3, height - 3)
    lines = text.lines()
    size = min(10.0, (height - 10) / (len(lines) + 0.6))
    y = height - 6 - size * 1.1
    page.setFont(font, size * 1.15)
    page.drawString(6, y, lines[0])
    page.setFont(font, size * 0.9)
    for line in lines[1:]:
        y -= size * 1.15
        page.drawString(6, y, line)
    page.showPage()
    page.save()
    return out.getvalue()
