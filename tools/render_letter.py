#!/usr/bin/env python3
"""Render a "layout source" JSON into an A4 PDF laid out per Nghị định 30/2020/NĐ-CP.

The input is the format of ``corpus/letters/*.json``: the printed lines of each
region of the page (``header_left``, ``header_right``, ``number_line``,
``place_date``, ``marks``, ``subject_left``, ``title``, ``recipients``, ``body``,
``distribution``, ``signer``), plus an optional ``stamp`` (lines of an incoming
"ĐẾN" receipt stamp).  Other keys (``source`` …) are ignored.

The output is deterministic: the same layout and the same font files give a
byte-identical PDF (fixed creation date, no random ids), so the PDFs can serve
as fixtures and as the clean input of a synthetic-scan generator.

Usage::

    python tools/render_letter.py LAYOUT.json OUT.pdf

    from render_letter import render_letter
    render_letter(layout_dict, Path("out.pdf"))

Fonts: Liberation Serif (regular, bold, italic, bold-italic) with Vietnamese
glyphs.  On Debian 12 that is the package ``fonts-liberation2``
(``/usr/share/fonts/truetype/liberation2``); the older ``fonts-liberation``
1.07 in ``/usr/share/fonts/truetype/liberation`` has no Vietnamese letters
(ư, ơ, ạ, ế …) and is only used if it has them (Debian 13 ships 2.x there).
Set ``VANTHU_FONT_DIR`` to use another directory holding the four
``LiberationSerif-*.ttf`` files.
"""

from __future__ import annotations

import json
import os
import re
import sys
import tempfile
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timezone
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable, Sequence

from fpdf import FPDF

__all__ = ["render_letter", "render_file", "find_font_dir", "FontsNotFoundError", "main"]

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


@lru_cache(maxsize=None)
def find_font_dir(override: str | None = None) -> Path:
    """Return the directory of Liberation Serif TTFs that cover Vietnamese."""
    candidates: list[str] = []
    if override:
        candidates.append(override)
    env = os.environ.get("VANTHU_FONT_DIR")
    if env:
        candidates.append(env)
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
BODY_X0 = 85.0          # 30 mm left margin
BODY_X1 = 539.0         # ~20 mm right margin
BODY_CX = (BODY_X0 + BODY_X1) / 2
TOP_Y = 62.0            # first baseline region of a page
BOTTOM_Y = 790.0        # last baseline allowed on a page
PAGE_NO_Y = 36.0        # baseline of the page number on pages 2+

LEFT_X0, LEFT_X1 = 50.0, 292.0     # header / Nơi nhận column
LEFT_CX = (LEFT_X0 + LEFT_X1) / 2
RIGHT_X0, RIGHT_X1 = 278.0, 552.0  # motto / place-date column
RIGHT_CX = (RIGHT_X0 + RIGHT_X1) / 2
SIGN_X0, SIGN_X1 = 300.0, 540.0    # signer column
SIGN_CX = (SIGN_X0 + SIGN_X1) / 2

BODY_SIZE = 14.0
BODY_LEADING = 17.5
PARA_GAP = 5.0
FIRST_INDENT = 28.35    # 10 mm
SIGNATURE_SPACE = 54.0  # height of one blank signer line

FIXED_DATE = datetime(2024, 1, 1, tzinfo=timezone.utc)
INK = (0, 0, 0)
MARK_INK = (190, 20, 20)     # urgency marks: red stamp ink
STAMP_INK = (40, 50, 150)    # receipt stamp: blue-violet ink


# ---------------------------------------------------------------------------
# Text helpers


def _nfc(s: Any) -> str:
    return unicodedata.normalize("NFC", str(s))


def _lines(layout: dict, key: str) -> list[str]:
    value = layout.get(key) or []
    if isinstance(value, str):
        value = [value]
    return [_nfc(v) for v in value]


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


def wrap_words(
    c: Canvas, words: Sequence[Word], size: float, first_width: float, width: float
) -> list[list[Word]]:
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


class Renderer:
    def __init__(self, layout: dict, font_dir: Path) -> None:
        self.layout = layout
        self.c = Canvas(font_dir)
        self.page = 0
        self.y = TOP_Y  # current baseline cursor
        self.page_top = TOP_Y

    # -- pages ---------------------------------------------------------------
    def new_page(self) -> None:
        self.c.pdf.add_page()
        self.page += 1
        self.c.set_color(INK)
        if self.page >= 2:
            self.c.centred(PAGE_W / 2, PAGE_NO_Y, str(self.page), "", 13)
            self.y = TOP_Y + 4
        else:
            self.y = TOP_Y
        self.page_top = self.y

    def ensure(self, needed: float) -> None:
        """Start a new page if a block of `needed` points below the cursor does not fit."""
        if self.y + needed > BOTTOM_Y:
            self.new_page()

    # -- header --------------------------------------------------------------
    def header(self) -> None:
        c = self.c
        left = _lines(self.layout, "header_left")
        right = _lines(self.layout, "header_right")
        n_parent = _parent_line_count(self.layout, left)

        top = TOP_Y
        # Left column: parent line(s) regular, issuing body bold, a short rule under it.
        yl = top
        last_issuer_w = 0.0
        for k, line in enumerate(left):
            style = "" if k < n_parent else "B"
            size = 13.0
            for part in wrap_plain(c, line, style, size, LEFT_X1 - LEFT_X0, balanced=True):
                w = c.centred(LEFT_CX, yl, part, style, size)
                if style == "B" and part.strip("* "):
                    last_issuer_w = w
                yl += 15.0
        if left and left[-1].strip() not in {"*", "***"} and last_issuer_w:
            rule = max(50.0, last_issuer_w / 3)
            c.hline(LEFT_CX - rule / 2, LEFT_CX + rule / 2, yl - 15.0 + 7.0)
            yl += 2.0

        # Right column: motto bold (first line 13 pt, second 14 pt), rule under the second.
        yr = top
        for k, line in enumerate(right):
            size = fit_size(c, line, "B", 13.0 if k == 0 else 14.0, RIGHT_X1 - RIGHT_X0, 11.0)
            w = c.centred(RIGHT_CX, yr, line, "B", size)
            if k == 1 or len(right) == 1:  # rule under "Độc lập - Tự do - Hạnh phúc" (or a lone line)
                c.hline(RIGHT_CX - w / 2, RIGHT_CX + w / 2, yr + 3.5)
            yr += 15.5 if k == 0 else 17.0

        # Number line (left) and place/date (right) share one baseline.
        base = max(yl, yr) + 9.0
        number = _nfc(self.layout.get("number_line") or "")
        place_date = _nfc(self.layout.get("place_date") or "")
        if number:
            size = fit_size(c, number, "", 13.0, LEFT_X1 - LEFT_X0, 10.0)
            c.centred(LEFT_CX, base, number, "", size)
        if place_date:
            size = fit_size(c, place_date, "I", 14.0, RIGHT_X1 - RIGHT_X0, 10.0)
            c.centred(RIGHT_CX, base, place_date, "I", size)
        yl = base + 16.0
        yr = base + 16.0

        # Trích yếu of a công văn: small, centred under the number.
        sub_w = LEFT_X1 - LEFT_X0 - 6
        for line in _lines(self.layout, "subject_left"):
            size = fit_size(c, line, "", 12.0, sub_w, 11.0)
            for part in wrap_plain(c, line, "", size, sub_w, balanced=True):
                c.centred(LEFT_CX, yl, part, "", size)
                yl += 14.0

        # Urgency / secrecy marks: bold, boxed, near the number.
        marks = [m for m in _lines(self.layout, "marks") if m.strip()]
        if marks:
            yl += 6.0
            size = 13.0
            pad_x, box_h = 7.0, 21.0
            widths = [c.width(m, "B", size) + 2 * pad_x for m in marks]
            total = sum(widths) + 10.0 * (len(marks) - 1)
            x = LEFT_CX - total / 2
            c.set_color(MARK_INK)
            for m, w in zip(marks, widths):
                c.rect(x, yl - 15.0, w, box_h, 1.2)
                c.text(x + pad_x, yl, m, "B", size)
                x += w + 10.0
            c.set_color(INK)
            yl += box_h

        # Incoming receipt stamp ("ĐẾN"): boxed, small, left column.
        stamp = [ln for ln in _lines(self.layout, "stamp") if ln.strip()]
        if stamp:
            yl = self.stamp(stamp, yl + 4.0)

        self.y = max(yl, yr) + 8.0

    def stamp(self, lines: list[str], top_baseline: float) -> float:
        """Draw an incoming receipt stamp (Phụ lục IV): the receiving unit (bold),
        "ĐẾN" (bold, larger), then Số / Ngày / Chuyển lines.  Returns the next baseline."""
        c = self.c
        pad = 6.0
        rows: list[tuple[str, str, float, bool, float]] = []  # text, style, size, centred, leading
        for k, line in enumerate(lines):
            if line.strip().upper() == "ĐẾN":
                rows.append((line.strip(), "B", 14.0, True, 16.0))
            elif k == 0:
                rows.append((line.strip(), "B", 10.0, True, 12.5))
            else:
                rows.append((line, "", 10.0, False, 12.5))
        inner_w = max(c.width(t, st, sz) for t, st, sz, _, _ in rows)
        box_w = min(max(inner_w + 2 * pad, 130.0), LEFT_X1 - LEFT_X0 - 20)
        x0 = max(LEFT_X0, LEFT_CX - box_w / 2 - 25.0)  # a little left of the column centre
        box_h = sum(r[4] for r in rows) + pad
        box_top = top_baseline - 6.0
        c.set_color(STAMP_INK)
        c.rect(x0, box_top, box_w, box_h, 1.1)
        y = box_top + pad
        for t, st, sz, centre, leading in rows:
            baseline = y + leading - 3.0
            sz = fit_size(c, t, st, sz, box_w - 2 * pad, 7.0)
            if centre:
                c.centred(x0 + box_w / 2, baseline, t, st, sz)
            else:
                c.text(x0 + pad, baseline, t, st, sz)
            y += leading
        c.set_color(INK)
        return box_top + box_h + 14.0

    # -- title ---------------------------------------------------------------
    def title(self) -> None:
        lines = _lines(self.layout, "title")
        if not lines:
            return
        c = self.c
        self.y += 10.0
        last_w = 0.0
        last_base = self.y
        for k, line in enumerate(lines):
            size = 15.0 if k == 0 else 14.0
            for part in wrap_plain(c, line, "B", size, 430.0, balanced=True):
                last_w = c.centred(BODY_CX, self.y, part, "B", size)
                last_base = self.y
                self.y += 19.0 if k == 0 else 17.0
        rule = min(max(60.0, last_w / 3), 160.0)
        c.hline(BODY_CX - rule / 2, BODY_CX + rule / 2, last_base + 9.0)
        self.y = last_base + 9.0 + 19.0

    # -- recipients ----------------------------------------------------------
    def recipients(self) -> None:
        lines = _lines(self.layout, "recipients")
        if not lines:
            return
        c = self.c
        size = BODY_SIZE
        self.y += 6.0
        first = lines[0]
        m = re.match(r"^(.*?:)\s*(.*)$", first)
        label, head_rest = (m.group(1), m.group(2)) if m else ("", first)
        items = ([head_rest] if head_rest else []) + lines[1:]
        label_w = c.width(label + " ", "", size) if label else 0.0
        if label and label_w > 0.4 * (BODY_X1 - BODY_X0):
            # Long label (e.g. a Công điện's "THỦ TƯỚNG CHÍNH PHỦ điện:"): label alone, items below.
            c.text(BODY_X0 + FIRST_INDENT, self.y, label, "", size)
            self.y += BODY_LEADING
            rows: list[Row] = []
            for item in items:
                rows += self._paragraph([Word(t) for t in item.split()], size, BODY_X0, BODY_X1, FIRST_INDENT, True)
            self.flow(rows)
            return
        item_ws = [c.width(it, "", size) for it in items] or [0.0]
        block_w = label_w + max(item_ws)
        x_label = BODY_CX - block_w / 2
        x_label = max(BODY_X0 + FIRST_INDENT, min(x_label, BODY_X0 + 2 * FIRST_INDENT + 30))
        if x_label + block_w > BODY_X1:
            x_label = max(BODY_X0 + FIRST_INDENT, BODY_X1 - block_w)
        x_items = x_label + label_w
        if label:
            c.text(x_label, self.y, label, "", size)
        if not items:
            self.y += BODY_LEADING
        for item in items:
            wrapped = wrap_words(c, [Word(t) for t in item.split()], size, BODY_X1 - x_items, BODY_X1 - x_items)
            for line in wrapped:
                self.ensure(0)
                draw_line(c, x_items, self.y, line, size, BODY_X1 - x_items, False)
                self.y += BODY_LEADING
        self.y += 4.0

    # -- body ----------------------------------------------------------------
    def _paragraph(
        self,
        words: list[Word],
        size: float,
        x0: float,
        x1: float,
        indent: float,
        justify: bool,
        centre: bool = False,
        keep_next: bool = False,
    ) -> list[Row]:
        """Break a paragraph into rows (not drawn yet; see `flow`)."""
        c = self.c
        width = x1 - x0
        lines = wrap_words(c, words, size, width - indent, width)
        rows: list[Row] = []
        for k, line in enumerate(lines):
            last = k == len(lines) - 1
            if centre:
                text_w = sum(c.width(w.text, w.style, size) for w in line)
                text_w += sum(c.width(" ", w.style, size) for w in line[:-1])
                lx, lw, just = (x0 + x1) / 2 - text_w / 2, text_w, False
            else:
                lx = x0 + (indent if k == 0 else 0.0)
                lw, just = x1 - lx, justify and not last
            rows.append(Row(tuple(line), lx, lw, just, size, size * 1.25, keep_next and last))
        rows.append(Row(None, 0.0, 0.0, False, size, PARA_GAP))
        return rows

    def flow(self, rows: Sequence[Row], tail_height: float = 0.0) -> None:
        """Place rows on pages.  Headings keep with the next line, and the last two
        lines of text move to a new page with the closing block (`tail_height`)
        when that block would otherwise stand alone on the next page."""
        text_idx = [i for i, r in enumerate(rows) if r.words is not None]
        tail_start = text_idx[-2] if len(text_idx) >= 2 else (text_idx[0] if text_idx else len(rows))
        for i, r in enumerate(rows):
            if r.words is None:
                self.y += r.advance
                continue
            at_top = self.y <= self.page_top + 0.01
            # The lowest baseline that must still fit on this page if row i goes here.
            last_y = self.y
            if tail_height and i == tail_start:
                last_y = self.y + sum(rr.advance for rr in rows[i:]) + tail_height
            elif r.keep_next:
                j = next((j for j in range(i + 1, len(rows)) if rows[j].words is not None), None)
                if j is not None:
                    last_y = self.y + sum(rr.advance for rr in rows[i:j])
            if not at_top and last_y > BOTTOM_Y:
                self.new_page()
            draw_line(self.c, r.x, self.y, r.words, r.size, r.width, r.justify)
            self.y += r.advance

    def body_rows(self) -> list[Row]:
        lines = _lines(self.layout, "body")
        rows: list[Row] = []
        if not lines:
            return rows
        rows.append(Row(None, 0.0, 0.0, False, BODY_SIZE, 6.0))
        has_title = bool(_lines(self.layout, "title"))
        decision_re = re.compile(r"^(QUYẾT ĐỊNH|QUYẾT NGHỊ|NGHỊ QUYẾT|CHỈ THỊ|THÔNG BÁO)\s*:\s*$")
        decision_idx = next((k for k, ln in enumerate(lines) if decision_re.match(ln.strip())), None)
        para = self._paragraph
        for k, line in enumerate(lines):
            s = line.strip()
            if not s:
                rows.append(Row(None, 0.0, 0.0, False, BODY_SIZE, BODY_LEADING / 2))
                continue
            tokens = s.split()
            letters = [ch for ch in s if ch.isalpha()]
            all_caps = bool(letters) and all(ch.isupper() for ch in letters)
            if decision_re.match(s):
                # "QUYẾT ĐỊNH:" between the grounds and the articles: bold, centred.
                rows.append(Row(None, 0.0, 0.0, False, BODY_SIZE, 2.0))
                rows += para([Word(t, "B") for t in tokens], BODY_SIZE, BODY_X0, BODY_X1, 0, False, True, True)
            elif k == 0 and has_title and all_caps and not any(ch.isdigit() for ch in s):
                # Authority line of a decision: "CHỦ TỊCH ỦY BAN NHÂN DÂN …"
                rows += para([Word(t, "B") for t in tokens], BODY_SIZE, BODY_X0, BODY_X1, 0, False, True, True)
            elif decision_idx is not None and k < decision_idx and re.match(
                r"^(Căn cứ|Theo đề nghị|Xét đề nghị|Xét )", s
            ):
                # Grounds of a decision are printed in italics.
                rows += para([Word(t, "I") for t in tokens], BODY_SIZE, BODY_X0, BODY_X1, FIRST_INDENT, True)
            elif re.match(r"^[IVXL]+\.\s", s):
                rows += para([Word(t, "B") for t in tokens], BODY_SIZE, BODY_X0, BODY_X1, FIRST_INDENT, True, False, True)
            elif m := re.match(r"^(Điều\s+\d+[a-z]?\.)\s", s):
                n_head = len(m.group(1).split())
                words = [Word(t, "B" if j < n_head else "") for j, t in enumerate(tokens)]
                rows += para(words, BODY_SIZE, BODY_X0, BODY_X1, FIRST_INDENT, True)
            else:
                rows += para([Word(t) for t in tokens], BODY_SIZE, BODY_X0, BODY_X1, FIRST_INDENT, True)
        return rows

    # -- closing block ---------------------------------------------------------
    def closing_layout(self) -> tuple[list[tuple[float, str, str, float, float]], list[tuple[float, str]], float]:
        """Lay out "Nơi nhận" (left) and the signer block (right); offsets from the top baseline."""
        c = self.c
        dist = _lines(self.layout, "distribution")
        signer = _lines(self.layout, "signer")
        dist_ops: list[tuple[float, str, str, float, float]] = []  # dy, text, style, size, x
        dy = 0.0
        dist_w = LEFT_X1 - BODY_X0 + 10
        for k, line in enumerate(dist):
            if k == 0 and line.rstrip().endswith(":"):
                dist_ops.append((dy, line, "BI", 12.0, BODY_X0))
                dy += 14.0
                continue
            hang = c.width("- ", "", 11.0) if line.startswith("- ") else 0.0
            words = [Word(t) for t in line.split()]
            for j, wl in enumerate(wrap_words(c, words, 11.0, dist_w, dist_w - hang)):
                dist_ops.append((dy, " ".join(w.text for w in wl), "", 11.0, BODY_X0 + (hang if j else 0.0)))
                dy += 12.5
        dist_h = dy
        sign_ops: list[tuple[float, str]] = []
        dy = 0.0
        for line in signer:
            if not line.strip():
                dy += SIGNATURE_SPACE
                continue
            for part in wrap_plain(c, line, "B", 14.0, SIGN_X1 - SIGN_X0, balanced=True):
                sign_ops.append((dy, part))
                dy += 17.0
        return dist_ops, sign_ops, max(dist_h, dy)

    def closing(self) -> None:
        dist_ops, sign_ops, needed = self.closing_layout()
        if not dist_ops and not sign_ops:
            return
        c = self.c
        self.y += 10.0
        if self.y + needed > BOTTOM_Y + 10:
            self.new_page()
        top = self.y
        for dy, text, style, size, x in dist_ops:
            c.text(x, top + dy, text, style, size)
        for dy, text in sign_ops:
            c.centred(SIGN_CX, top + dy, text, "B", 14.0)
        self.y = top + needed

    # -- all -------------------------------------------------------------------
    def render(self) -> FPDF:
        pdf = self.c.pdf
        title = " ".join(_lines(self.layout, "subject_left") or _lines(self.layout, "title")[1:] or _lines(self.layout, "title"))
        if title:
            pdf.set_title(title)
        issuer = " ".join(ln for ln in _lines(self.layout, "header_left") if ln.strip("* "))
        if issuer:
            pdf.set_author(issuer)
        pdf.set_creator("vanthu tools/render_letter.py")
        self.new_page()
        self.header()
        self.title()
        self.recipients()
        self.flow(self.body_rows(), self.closing_layout()[2])
        self.closing()
        return pdf


# ---------------------------------------------------------------------------
# API


def render_letter(layout: dict, out_path: Path, font_dir: Path | str | None = None) -> None:
    """Render `layout` (a layout-source dict) to an A4 PDF at `out_path`.

    Deterministic: the same layout and fonts give byte-identical output.
    The file is written to a temporary name and moved into place.
    """
    fonts = find_font_dir(str(font_dir) if font_dir else None)
    pdf = Renderer(layout, fonts).render()
    data = bytes(pdf.output())
    out_path = Path(out_path)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=out_path.name + ".", suffix=".tmp", dir=out_path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.chmod(tmp, 0o644)  # mkstemp creates 0600; give the usual file mode
        os.replace(tmp, out_path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def render_file(layout_path: Path | str, out_path: Path | str) -> None:
    with open(layout_path, encoding="utf-8") as fh:
        layout = json.load(fh)
    render_letter(layout, Path(out_path))


def main(argv: Iterable[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if len(args) != 2 or args[0] in {"-h", "--help"}:
        print("usage: python tools/render_letter.py LAYOUT.json OUT.pdf", file=sys.stderr)
        return 2
    try:
        render_file(args[0], args[1])
    except FontsNotFoundError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 3
    except (OSError, json.JSONDecodeError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
