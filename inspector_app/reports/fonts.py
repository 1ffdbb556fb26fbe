"""Fonts of the documents: a Chinese TrueType font found on this machine, embedded (subset) in
every PDF, and fallback fonts for the rare characters it lacks.

reportlab reads TrueType outlines only (Noto CJK, being CFF-based, is refused), and it draws a
character its font lacks as nothing at all. So every text of a document is checked before the
document is built (`FontSet.cover`): a character the main font lacks is drawn in the first
fallback font that has it, and a character no font on the machine has is refused, naming the
character and the field (`ReportError`, rule `report_glyph_missing`), never silently dropped.
"""

from __future__ import annotations

import hashlib
import os
import sys
import threading
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from inspector_app.reports.errors import ReportError

# What a main font must have: the documents' own labels use these (a Latin-only or symbol
# font further down the list never becomes the main font).
PROBE = "审查组备案表廉洁承诺书企业实地核查报告抽样单反馈第页共内部资料注意保密0123456789AZaz"

INSTALL_HINT = (
    "Debian/Ubuntu：sudo apt-get install fonts-wqy-microhei；"
    "Windows：系统字体 微软雅黑（msyh.ttc）或 宋体（simsun.ttc）"
)
RARE_HINT = (
    "请安装含此字的 TrueType 字体后重试（Debian/Ubuntu：fonts-hanazono 或 fonts-arphic-uming；"
    "Windows：可选功能“中文(简体)补充字体”中的 SimSun-ExtB，simsunb.ttf），或核对该字段的内容"
)


@dataclass(frozen=True)
class FontFile:
    """A TrueType font file (or one font of a .ttc collection) that may be on this machine."""

    path: Path
    subfont: int = 0

    @property
    def label(self) -> str:
        """How a message names the font."""
        return f"{self.path}" + (f"#{self.subfont}" if self.subfont else "")

    @property
    def registered_name(self) -> str:
        """The name reportlab knows the font by (stable, so documents are byte-identical)."""
        digest = hashlib.sha256(self.label.encode("utf-8")).hexdigest()[:10]
        return f"InspectorCJK-{digest}"


def _windows_fonts() -> list[FontFile]:
    folders = [Path(os.environ.get("WINDIR", r"C:\Windows")) / "Fonts"]
    local = os.environ.get("LOCALAPPDATA")
    if local:
        folders.append(Path(local) / "Microsoft" / "Windows" / "Fonts")
    names = [
        ("msyh.ttc", 0),  # 微软雅黑
        ("simsun.ttc", 0),  # 宋体
        ("simhei.ttf", 0),  # 黑体
        ("simkai.ttf", 0),  # 楷体
        ("simfang.ttf", 0),  # 仿宋
        ("msjh.ttc", 0),  # 微軟正黑體
        ("simsunb.ttf", 0),  # SimSun-ExtB: CJK extension B
        ("mingliub.ttc", 0),  # MingLiU-ExtB
        ("seguisym.ttf", 0),  # symbols
    ]
    return [FontFile(folder / name, index) for folder in folders for name, index in names]


def _mac_fonts() -> list[FontFile]:
    return [
        FontFile(Path("/System/Library/Fonts/STHeiti Light.ttc")),
        FontFile(Path("/System/Library/Fonts/STHeiti Medium.ttc")),
        FontFile(Path("/System/Library/Fonts/Supplemental/Arial Unicode.ttf")),
        FontFile(Path("/Library/Fonts/Arial Unicode.ttf")),
    ]


def _linux_fonts() -> list[FontFile]:
    share = Path("/usr/share/fonts/truetype")
    return [
        FontFile(share / "wqy" / "wqy-microhei.ttc", 0),  # fonts-wqy-microhei
        FontFile(share / "wqy" / "wqy-zenhei.ttc", 0),  # fonts-wqy-zenhei
        FontFile(share / "arphic" / "uming.ttc", 0),  # fonts-arphic-uming
        FontFile(share / "arphic" / "ukai.ttc", 0),  # fonts-arphic-ukai
        FontFile(share / "droid" / "DroidSansFallbackFull.ttf", 0),  # fonts-droid-fallback
        FontFile(share / "hanazono" / "HanaMinA.ttf", 0),  # fonts-hanazono: extension A
        FontFile(share / "hanazono" / "HanaMinB.ttf", 0),  # fonts-hanazono: extension B
        FontFile(share / "dejavu" / "DejaVuSans.ttf", 0),  # Latin, symbols
    ]


def candidate_fonts() -> list[FontFile]:
    """Return the fonts to look for on this platform, the preferred main font first."""
    if sys.platform.startswith("win"):
        return _windows_fonts()
    if sys.platform == "darwin":
        return _mac_fonts() + _linux_fonts()
    return _linux_fonts()


_loaded: dict[FontFile, TTFont | None] = {}
_lock = threading.Lock()


def _load(font: FontFile) -> TTFont | None:
    """Return the font registered with reportlab, or None when it is absent or unusable
    (a CFF-based OpenType font, a damaged file). Loaded once per process."""
    with _lock:
        if font not in _loaded:
            loaded: TTFont | None = None
            if font.path.is_file():
                try:
                    loaded = TTFont(font.registered_name, str(font.path), subfontIndex=font.subfont)
                    pdfmetrics.registerFont(loaded)
                except Exception:  # reportlab raises TTFError and others for unusable files
                    loaded = None
            _loaded[font] = loaded
        return _loaded[font]


def _has(ttf: TTFont, char: str) -> bool:
    return ord(char) in ttf.face.charToGlyph


def is_invisible(char: str) -> bool:
    """Control and format characters (zero-width joiners, BOM): they draw nothing anyway."""
    return unicodedata.category(char) in ("Cc", "Cf") and char != "\n"


@dataclass(frozen=True)
class Missing:
    """A character that no font has, and the field it was found in."""

    char: str
    field: str

    def describe(self) -> str:
        """The character, its code point and its field, for a message."""
        return f"字段「{self.field}」中的字“{self.char}”（U+{ord(self.char):04X}）"


class FontSet:
    """The main Chinese font and the fallbacks available on this machine.

    Args:
        candidates: the fonts to look for, preferred first (default: this platform's list).

    Raises:
        ReportError: no usable Chinese TrueType font (rule `report_font_missing`); the message
            names what to install.
    """

    def __init__(self, candidates: Sequence[FontFile] | None = None) -> None:
        self._candidates = list(candidate_fonts() if candidates is None else candidates)
        self.main_file: FontFile | None = None
        for font in self._candidates:
            ttf = _load(font)
            if ttf is not None and all(_has(ttf, c) for c in PROBE):
                self.main_file = font
                self._main = ttf
                break
        if self.main_file is None:
            looked = "、".join(f.label for f in self._candidates) or "（无）"
            raise ReportError(
                "report_font_missing",
                f"找不到可嵌入的中文 TrueType 字体，无法生成 PDF。请安装：{INSTALL_HINT}。"
                f"已查找：{looked}。没有生成任何文件。",
            )
        self.main = self.main_file.registered_name
        self._fallback: dict[str, str] = {}  # char -> registered font name

    def _fallback_for(self, char: str) -> str | None:
        for font in self._candidates:
            if font == self.main_file:
                continue
            ttf = _load(font)
            if ttf is not None and _has(ttf, char):
                return font.registered_name
        return None

    def cover(self, texts: Iterable[tuple[str, str]]) -> None:
        """Check every (field, text) before a document is built: find a font for each
        character the main font lacks.

        Raises:
            ReportError: some character is in no font on this machine (rule
                `report_glyph_missing`); the message names each such character and its field.
        """
        missing: list[Missing] = []
        seen: set[str] = set()
        for field, text in texts:
            for char in text:
                if char in self._fallback or char in seen or char == "\n" or is_invisible(char):
                    continue
                if _has(self._main, char):
                    seen.add(char)
                    continue
                name = self._fallback_for(char)
                if name is None:
                    seen.add(char)
                    missing.append(Missing(char, field))
                else:
                    self._fallback[char] = name
        if missing:
            listed = "；".join(m.describe() for m in missing[:5])
            more = f"等 {len(missing)} 个字" if len(missing) > 5 else ""
            raise ReportError(
                "report_glyph_missing",
                f"{listed}{more}在本机的字体中都没有，打印出来会缺字，因此没有生成文件。{RARE_HINT}。",
            )

    def font_of(self, char: str) -> str:
        """Return the registered font that draws `char` (call `cover` first).

        Raises:
            ReportError: `cover` did not see this character and no font has it.
        """
        if char in self._fallback:
            return self._fallback[char]
        if _has(self._main, char):
            return self.main
        self.cover([("文本", char)])
        return self._fallback[char]

    def runs(self, text: str) -> list[tuple[str, str]]:
        """Split `text` into (font name, text) runs, each drawable in its font; invisible
        characters are left out, a tab becomes a space."""
        result: list[tuple[str, str]] = []
        for char in text.replace("\t", " "):
            if is_invisible(char):
                continue
            font = self.main if char == "\n" else self.font_of(char)
            if result and result[-1][0] == font:
                result[-1] = (font, result[-1][1] + char)
            else:
                result.append((font, char))
        return result

    def markup(self, text: str) -> str:
        """Return `text` as Paragraph markup: XML escaped, line breaks kept, each character
        the main font lacks in its fallback font."""
        parts = []
        for font, run in self.runs(text):
            escaped = escape(run).replace("\n", "<br/>")
            parts.append(escaped if font == self.main else f'<font name="{font}">{escaped}</font>')
        return "".join(parts)
