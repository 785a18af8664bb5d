"""Stage 3: positioned words -> lines, column-aware.

Words are grouped into rows by vertical overlap, and each row is cut where a gap is
much wider than a space: the two-column header ("ỦY BAN NHÂN DÂN | CỘNG HÒA XÃ HỘI…")
and the signature row ("Nơi nhận: | KT. CHỦ TỊCH") become separate lines, each with
its column. Plain-text pages become lines without geometry.
"""

from __future__ import annotations

import re
from functools import cache
from statistics import median

from vanthu.models.document import Line, PageText, Word
from vanthu.pipeline.rules.loader import rules
from vanthu.pipeline.text.normalize import collapse

#: long lines needed to find the text block's middle (a title is centred on it); fewer: the page's middle
MIN_BLOCK_LINES = 3


def assemble_lines(pages: list[PageText]) -> list[Line]:
    lines: list[Line] = []
    for page in pages:
        if page.plain_lines is not None:
            lines.extend(Line(text=t, page=page.number) for t in page.plain_lines)
        else:
            lines.extend(_page_lines(page))
    return lines


def _ocr_rows(words: list[Word], tolerance: float = 0.35) -> list[list[Word]]:
    """Rows of an OCR page from the engine's own lines: Tesseract keeps apart columns
    whose baselines are offset (the signer block beside "Nơi nhận"); its lines are
    joined into one row when they sit on one baseline side by side (the two header
    columns, cut again later at the column edge)."""
    groups: dict[int, list[Word]] = {}
    loose: list[list[Word]] = []
    for w in words:
        if w.line is None:
            loose.append([w])
        else:
            groups.setdefault(w.line, []).append(w)
    tlines = list(groups.values()) + loose

    def mid(ws: list[Word]) -> float:
        return (median(x.y0 for x in ws) + median(x.y1 for x in ws)) / 2

    rows: list[list[Word]] = []
    for tl in sorted(tlines, key=mid):
        m = mid(tl)
        h = median(x.y1 - x.y0 for x in tl)
        best, best_d = None, None
        for row in rows[-4:]:
            rh = median(x.y1 - x.y0 for x in row)
            d = abs(m - mid(row))
            overlaps = any(x.x0 < y.x1 and y.x0 < x.x1 for x in row for y in tl)
            if d <= tolerance * max(h, rh) and not overlaps and (best_d is None or d < best_d):
                best, best_d = row, d
        if best is not None:
            best.extend(tl)
        else:
            rows.append(list(tl))
    return rows


def _rows(words: list[Word], tolerance: float = 0.35) -> list[list[Word]]:
    """Words grouped into printed rows by vertical centre. OCR boxes hug each word's
    own ink (accents above, descenders below), so their centres scatter more around a
    baseline than a text layer's font boxes: they get a wider tolerance."""
    rows: list[list[Word]] = []
    for w in sorted(words, key=lambda w: (w.y0 + w.y1) / 2):
        mid = (w.y0 + w.y1) / 2
        best, best_d = None, None
        # the last few rows, not only the last: two columns whose baselines are offset by
        # half a line (the signer block beside "Nơi nhận") interleave in centre order
        for row in rows[-3:]:
            top = median(x.y0 for x in row)
            bottom = median(x.y1 for x in row)
            d = abs(mid - (top + bottom) / 2)
            if d <= tolerance * (bottom - top) and (best_d is None or d < best_d):
                best, best_d = row, d
        if best is not None:
            best.append(w)
        else:
            rows.append([w])
    return rows


def _segments(row: list[Word]) -> list[list[Word]]:
    row = sorted(row, key=lambda w: w.x0)
    height = median(w.y1 - w.y0 for w in row)
    limit = max(2.2 * height, 1.0)
    segs = [[row[0]]]
    for w in row[1:]:
        # a form blank left for the pen ("Số:      /UBND", "ngày      tháng") is one line
        blank = _BLANK_BEFORE.match(segs[-1][-1].text) and _BLANK_AFTER.match(w.text)
        if w.x0 - segs[-1][-1].x1 > limit and not blank:
            segs.append([w])
        else:
            segs[-1].append(w)
    return segs


class _Split(list):
    """A row already cut into its column parts."""

    def __init__(self, parts: list[list[Word]]):
        super().__init__(w for part in parts for w in part)
        self.parts = parts


_BLANK_BEFORE = re.compile(r"^(?:S[ốôóoỐÔÓO]\s*[:;.]?|ngày|tháng)$")
_BLANK_AFTER = re.compile(r"^(?:[/\-][\wĐđ]|tháng$|năm$)")
_DATE_ROW = re.compile(r"ngày.*(?:tháng|năm)", re.IGNORECASE)
_HEADER_END = re.compile(r"^(?:Kính|Kinh)\s+g[ửuở]i|^(?:Căn\s+cứ|Thực\s+hiện)\b")


@cache
def _motto_starts() -> frozenset[str]:
    """The first words of the motto lines ("CỘNG", "Độc", "ĐẢNG"): where the right column begins."""
    return frozenset(m.split()[0] for m in rules().phrases["motto"])


def _cut(row: list[Word], x_split: float, width: float) -> list[list[Word]] | None:
    """Cut a row at its widest gap near ``x_split``: left words | right words."""
    row = sorted(row, key=lambda w: w.x0)
    height = median(w.y1 - w.y0 for w in row)
    best, best_gap = None, 0.5 * height
    for k in range(1, len(row)):
        gap = row[k].x0 - row[k - 1].x1
        if x_split - 0.15 * width <= row[k].x0 <= x_split + 0.1 * width and gap > best_gap:
            best, best_gap = k, gap
    if best is None:
        return None
    return [*_segments(row[:best]), *_segments(row[best:])]


def _split_columns(rows: list[list[Word]], width: float) -> list[list[Word]]:
    """The header and the signature rows are two columns: cut them at the column edge
    (the national motto's left edge; the signer block's left edge)."""
    out: list[list[Word]] = list(rows)
    motto = next(
        (
            (i, w)
            for i, r in enumerate(rows[:12])
            for w in sorted(r, key=lambda w: w.x0)
            if w.text in _motto_starts() and w.x0 > width * 0.3
        ),
        None,
    )
    if motto is not None:
        x_split = motto[1].x0 - 2
        for i, row in enumerate(rows):
            text = " ".join(w.text for w in sorted(row, key=lambda w: w.x0))
            if i > motto[0] + 1 and (_HEADER_END.match(text) or len(row) > 14):
                break
            parts = _cut(row, x_split, width)
            if parts:
                out[i] = _Split(parts)
            if i > motto[0] and _DATE_ROW.search(text):
                break  # nothing right of the column edge below the place and date
    for i, row in enumerate(rows):
        ordered = sorted(row, key=lambda w: w.x0)
        if (
            len(ordered) > 2
            and ordered[0].text.startswith(("Nơi", "Noi"))
            and ordered[1].text.startswith(("nhận", "nhân"))
        ):
            after = ordered[2:]
            x_split = after[0].x0 - 2 if after[0].x0 - ordered[1].x1 > 8 else width * 0.45
            for k in range(i, len(rows)):
                parts = _cut(rows[k], x_split, width)
                if parts:
                    out[k] = _Split(parts)
            break
    return out


def _is_page_number(seg: list[Word], y0: float, y1: float, height: float | None) -> bool:
    """A lone number (or "- 2 -", "Trang 2") in the top or bottom margin."""
    text = " ".join(w.text for w in seg).strip("-– ").lower().removeprefix("trang").strip()
    if not text.isdigit() or len(text) > 3 or not height:
        return False
    return y1 < 0.08 * height or y0 > 0.93 * height


#: the least share of a line's height another line must cover for the first to be read twice
DOUBLE_READ_OVERLAP = 0.8


def _page_lines(page: PageText) -> list[Line]:
    if not page.words:
        return []
    width = page.width or max(w.x1 for w in page.words)
    out: list[Line] = []
    if page.source == "ocr" and any(w.line is not None for w in page.words):
        rows = _ocr_rows(list(page.words))
    else:
        rows = _rows(list(page.words), 0.5 if page.source == "ocr" else 0.35)
    rows = _split_columns(rows, width)
    # the left margin of the body: the most common x0 of long lines
    starts = [round(min(w.x0 for w in r)) for r in rows if len(r) > 6]
    margin = median(starts) if starts else 0.1 * width
    # the middle of the text block, which a title is centred on: ND30's margins are not
    # equal (left 30-35 mm, right 15-20 mm), and a scan may sit off the middle of its page
    # (the right edge of the block: where most full lines end; a paragraph's last line ends short)
    ends = sorted(round(max(w.x1 for w in r)) for r in rows if len(r) > 6)
    right = ends[int(0.9 * (len(ends) - 1))] if len(ends) >= MIN_BLOCK_LINES else None
    middle = (margin + right) / 2 if starts and right else width / 2
    for row in rows:
        for seg in _segments(row) if not isinstance(row, _Split) else row.parts:
            x0, x1 = min(w.x0 for w in seg), max(w.x1 for w in seg)
            y0, y1 = min(w.y0 for w in seg), max(w.y1 for w in seg)
            if _is_page_number(seg, y0, y1, page.height):
                continue
            centre = (x0 + x1) / 2
            if x1 < width * 0.56 and x0 < width * 0.4 and (isinstance(row, _Split) or len(_segments(row)) > 1):
                column = "left"
            elif abs(centre - middle) < width * 0.04 and x0 > margin + width * 0.06 and not isinstance(row, _Split):
                column = "center"
            elif x0 > width * 0.42:
                column = "right"
            elif x1 < width * 0.5:
                column = "left"
            else:
                column = "full"
            sizes = [w.size for w in seg if w.size]
            out.append(
                Line(
                    text=collapse(_join_words(seg) if page.unit == "pt" else " ".join(w.text for w in seg)),
                    page=page.number,
                    x0=x0,
                    y0=y0,
                    x1=x1,
                    y1=y1,
                    size=median(sizes) if sizes else y1 - y0,
                    bold=sum(w.bold for w in seg) > len(seg) / 2,
                    italic=sum(w.italic for w in seg) > len(seg) / 2,
                    confidence=min(w.confidence for w in seg),
                    column=column,
                    unit=page.unit,
                    indent=x0 > margin + 0.02 * width,
                )
            )
    return _without_double_reads(out) if page.source == "ocr" else out


def _without_double_reads(lines: list[Line]) -> list[Line]:
    """The lines without those the engine read twice: a line that lies within another's box
    and says part of what it says ("TRƯỞNG" inside "PHÓ TRƯỞNG BAN") is that line again."""

    def inside(a: Line, b: Line) -> bool:
        h = (a.y1 or 0) - (a.y0 or 0)
        overlap = min(a.y1 or 0, b.y1 or 0) - max(a.y0 or 0, b.y0 or 0)
        return (b.x0 or 0) <= (a.x0 or 0) and (a.x1 or 0) <= (b.x1 or 0) and overlap >= DOUBLE_READ_OVERLAP * h

    return [
        a
        for a in lines
        if not any(
            b is not a and len(a.text) < len(b.text) and a.text.strip() and a.text in b.text and inside(a, b)
            for b in lines
        )
    ]


def _join_words(seg: list) -> str:
    """The words of a text-layer line segment, spaced; a word in a much smaller font set
    right against the one before it (a subscript: "KGVX" + "VHTin534" in "Lưu: VT, KGVXVHTin534")
    is joined to it, as printed."""
    parts: list[str] = []
    prev = None
    for w in seg:
        glued = (
            prev is not None
            and w.size
            and prev.size
            and w.size < 0.8 * prev.size
            and 0 <= w.x0 - prev.x1 < 0.15 * prev.size
        )
        if glued:
            parts[-1] += w.text
        else:
            parts.append(w.text)
        prev = w
    return " ".join(parts)
