"""The drawing layer of the letter renderer: the fonts (Liberation Serif with Vietnamese
glyphs), the A4 page geometry of Decree 30 (Nghị định 30/2020/NĐ-CP), and a thin canvas
over FPDF with line wrapping.

Fonts: on Debian 12 the package ``fonts-liberation2`` (``/usr/share/fonts/truetype/liberation2``);
the older ``fonts-liberation`` 1.07 in ``/usr/share/fonts/truetype/liberation`` has no
Vietnamese letters (ư, ơ, ạ, ế …) and is only used if it has them (Debian 13 ships 2.x
there). ``VANTHU_FONT_DIR`` (read by :mod:`vanthu.pipeline.settings`) names another
directory holding the four ``LiberationSerif-*.ttf`` files.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any

from fpdf import FPDF

# ---------------------------------------------------------------------------
# Fonts

FONT_FAMILY = "LiberationSerif"
FONT_FILES = {
    "": "LiberationSerif-Regular.ttf",
    "B": "LiberationSerif-Bold.ttf",
    "I": "LiberationSerif-Italic.ttf",
    "BI": "LiberationSerif-BoldItalic.ttf",
}
FONT_DIR_CANDIDATES = (
    "/usr/share/fonts/truetype/liberation2",
    "/usr/share/fonts/truetype/liberation",
)
# Letters that Liberation 1.x lacks: ư ơ Ư Ơ ạ ế ộ ữ ỹ.
_VIETNAMESE_PROBE = "ươƯƠạếộữỹĐđ"


class FontsNotFoundError(RuntimeError):
    """No directory holds Liberation Serif with Vietnamese glyphs."""


def _has_vietnamese(directory: Path) -> bool:
    from fontTools.ttLib import TTFont  # fpdf2 depends on fontTools

    for name in FONT_FILES.values():
        path = directory / name
        if not path.is_file():
            return False
    with TTFont(str(directory / FONT_FILES[""]), lazy=True) as font:
        cmap = font.getBestCmap()
    return all(ord(ch) in cmap for ch in _VIETNAMESE_PROBE)


@cache
def find_font_dir(override: str | None = None) -> Path:
    """Return the directory of Liberation Serif TTFs that cover Vietnamese."""
    candidates: list[str] = []
    if override:
        candidates.append(override)
    from vanthu.pipeline.settings import load_settings

    env = load_settings().font_dir
    if env:
        candidates.append(str(env))
    candidates.extend(FONT_DIR_CANDIDATES)
    for cand in candidates:
        if _has_vietnamese(Path(cand)):
            return Path(cand)
    raise FontsNotFoundError(
        "Liberation Serif with Vietnamese glyphs not found in "
        + ", ".join(candidates)
        + ". On Debian 12 install it with: apt-get install -y fonts-liberation2 "
        "(fonts-liberation 1.07 has no Vietnamese letters), or set VANTHU_FONT_DIR."
    )


# ---------------------------------------------------------------------------
# Page geometry (points, A4 portrait)

PAGE_W = 595.28
PAGE_H = 841.89
BODY_X0 = 85.0  # 30 mm left margin
BODY_X1 = 539.0  # ~20 mm right margin
BODY_CX = (BODY_X0 + BODY_X1) / 2
TOP_Y = 62.0  # first baseline region of a page
BOTTOM_Y = 790.0  # last baseline allowed on a page
PAGE_NO_Y = 36.0  # baseline of the page number on pages 2+

LEFT_X0, LEFT_X1 = 50.0, 292.0  # header / Nơi nhận column
LEFT_CX = (LEFT_X0 + LEFT_X1) / 2
RIGHT_X0, RIGHT_X1 = 278.0, 552.0  # motto / place-date column
RIGHT_CX = (RIGHT_X0 + RIGHT_X1) / 2
SIGN_X0, SIGN_X1 = 300.0, 540.0  # signer column
SIGN_CX = (SIGN_X0 + SIGN_X1) / 2

BODY_SIZE = 14.0
BODY_LEADING = 17.5
PARA_GAP = 5.0
FIRST_INDENT = 28.35  # 10 mm
SIGNATURE_SPACE = 54.0  # height of one blank signer line

FIXED_DATE = datetime(2024, 1, 1, tzinfo=UTC)
INK = (0, 0, 0)
MARK_INK = (190, 20, 20)  # urgency marks: red stamp ink
STAMP_INK = (40, 50, 150)  # receipt stamp: blue-violet ink


# ---------------------------------------------------------------------------
# Text helpers


def nfc(s: Any) -> str:
    return unicodedata.normalize("NFC", str(s))


def lines_of(layout: dict, key: str) -> list[str]:
    value = layout.get(key) or []
    if isinstance(value, str):
        value = [value]
    return [nfc(v) for v in value]


@dataclass(frozen=True)
class Word:
    text: str
    style: str = ""


@dataclass(frozen=True)
class Row:
    """One laid-out line of body text (or, with words=None, vertical space)."""

    words: tuple[Word, ...] | None
    x: float
    width: float
    justify: bool
    size: float
    advance: float
    keep_next: bool = False


class Canvas:
    """Thin layer over FPDF: absolute-positioned text by baseline, cached widths."""

    def __init__(self, font_dir: Path) -> None:
        pdf = FPDF(orientation="P", unit="pt", format="A4")
        pdf.set_creation_date(FIXED_DATE)
        pdf.set_auto_page_break(False)
        pdf.set_margins(0, 0, 0)
        pdf.c_margin = 0
        for style, name in FONT_FILES.items():
            pdf.add_font(FONT_FAMILY, style, str(font_dir / name))
        self.pdf = pdf
        self._font: tuple[str, float] | None = None
        self._widths: dict[tuple[str, float, str], float] = {}
        self.color = INK

    def font(self, style: str, size: float) -> None:
        if self._font != (style, size):
            self.pdf.set_font(FONT_FAMILY, style, size)
            self._font = (style, size)

    def width(self, text: str, style: str = "", size: float = BODY_SIZE) -> float:
        key = (style, size, text)
        w = self._widths.get(key)
        if w is None:
            self.font(style, size)
            w = self.pdf.get_string_width(text)
            self._widths[key] = w
        return w

    def set_color(self, rgb: tuple[int, int, int]) -> None:
        self.color = rgb
        self.pdf.set_text_color(*rgb)
        self.pdf.set_draw_color(*rgb)

    def text(self, x: float, baseline: float, s: str, style: str = "", size: float = BODY_SIZE) -> None:
        if not s:
            return
        self.font(style, size)
        self.pdf.text(x, baseline, s)

    def centred(self, cx: float, baseline: float, s: str, style: str = "", size: float = BODY_SIZE) -> float:
        w = self.width(s, style, size)
        self.text(cx - w / 2, baseline, s, style, size)
        return w

    def hline(self, x0: float, x1: float, y: float, width: float = 0.6) -> None:
        self.pdf.set_line_width(width)
        self.pdf.line(x0, y, x1, y)

    def rect(self, x: float, y: float, w: float, h: float, width: float = 0.9) -> None:
        self.pdf.set_line_width(width)
        self.pdf.rect(x, y, w, h)


def _split_long_word(c: Canvas, word: str, style: str, size: float, width: float) -> list[str]:
    """Break a token wider than a line (URLs, long symbols) by characters."""
    parts, cur = [], ""
    for ch in word:
        if cur and c.width(cur + ch, style, size) > width:
            parts.append(cur)
            cur = ch
        else:
            cur += ch
    if cur:
        parts.append(cur)
    return parts


def wrap_words(c: Canvas, words: Sequence[Word], size: float, first_width: float, width: float) -> list[list[Word]]:
    """Greedy line breaking of styled words; the first line may be narrower."""
    lines: list[list[Word]] = []
    cur: list[Word] = []
    cur_w = 0.0
    avail = first_width
    queue = list(words)
    i = 0
    while i < len(queue):
        w = queue[i]
        ww = c.width(w.text, w.style, size)
        if ww > avail and not cur:
            pieces = _split_long_word(c, w.text, w.style, size, avail)
            queue[i : i + 1] = [Word(p, w.style) for p in pieces]
            w = queue[i]
            ww = c.width(w.text, w.style, size)
        add = ww if not cur else c.width(" ", cur[-1].style, size) + ww
        if cur and cur_w + add > avail + 0.01:
            lines.append(cur)
            cur, cur_w, avail = [], 0.0, width
            continue
        cur.append(w)
        cur_w += add
        i += 1
    if cur or not lines:
        lines.append(cur)
    return lines


def draw_line(
    c: Canvas, x0: float, baseline: float, words: Sequence[Word], size: float, width: float, justify: bool
) -> None:
    """Draw one line word by word; each word but the last carries its space glyph,
    so text extraction sees real spaces; justification widens the gaps."""
    if not words:
        return
    texts = [w.text + (" " if k < len(words) - 1 else "") for k, w in enumerate(words)]
    natural = sum(c.width(t, w.style, size) for t, w in zip(texts, words))
    extra = 0.0
    if justify and len(words) > 1:
        extra = max(0.0, (width - natural) / (len(words) - 1))
        if extra > size * 1.2:  # a nearly empty line: do not stretch it absurdly
            extra = 0.0
    # Merge runs of same-style words into one text object when not justified.
    x = x0
    if extra == 0.0:
        run, run_style = "", words[0].style
        for t, w in zip(texts, words):
            if w.style != run_style:
                c.text(x, baseline, run, run_style, size)
                x += c.width(run, run_style, size)
                run, run_style = "", w.style
            run += t
        c.text(x, baseline, run, run_style, size)
        return
    for t, w in zip(texts, words):
        c.text(x, baseline, t, w.style, size)
        x += c.width(t, w.style, size) + extra


def fit_size(c: Canvas, s: str, style: str, size: float, width: float, minimum: float) -> float:
    while size > minimum and c.width(s, style, size) > width:
        size -= 0.5
    return size


def wrap_plain(c: Canvas, s: str, style: str, size: float, width: float, balanced: bool = False) -> list[str]:
    """Wrap a single-style string; `balanced` evens out line lengths (for centred text)."""
    words = [Word(t, style) for t in s.split()]
    if not words:
        return [""]
    lines = wrap_words(c, words, size, width, width)
    if balanced and len(lines) > 1:
        lo = max(c.width(w.text, style, size) for w in words)
        hi = width
        for _ in range(20):  # narrowest width that keeps the same number of lines
            mid = (lo + hi) / 2
            if len(wrap_words(c, words, size, mid, mid)) > len(lines):
                lo = mid
            else:
                hi = mid
        lines = wrap_words(c, words, size, hi, hi)
    return [" ".join(w.text for w in line) for line in lines]


# ---------------------------------------------------------------------------
# Regions


GENERIC_COLLECTIVE = {
    "ỦY BAN NHÂN DÂN",
    "UỶ BAN NHÂN DÂN",
    "HỘI ĐỒNG NHÂN DÂN",
}


def _parent_line_count(layout: dict, lines: list[str]) -> int:
    """How many leading header_left lines name the parent body (printed regular)."""
    override = layout.get("header_left_parent_lines")
    if isinstance(override, int):
        return max(0, min(override, len(lines)))
    text_lines = [ln for ln in lines if ln.strip().strip("*").strip()]
    n = len(text_lines)
    if n <= 1:
        return 0
    first_generic = text_lines[0].strip().upper() in GENERIC_COLLECTIVE
    if n == 2:
        return 0 if first_generic else 1
    return 2 if first_generic else 1
