"""The digital letter a scan starts from: the rendered PDF, its text lines with boxes
(from pdfium), where the signer block, the number and the place-date sit, and the pages
rasterised."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PIL import Image

from vanthu.samplegen.canvas import nfc as _nfc
from vanthu.samplegen.render import render_letter


def blank_handwritten_slots(layout: dict) -> tuple[dict, dict[str, str]]:
    """The layout with the number and the day blanked (as printed before registration),
    and the digits the pen fills in: ``{"number": "10989", "day": "21"}``."""
    out = dict(layout)
    filled: dict[str, str] = {}
    number_line = _nfc(layout.get("number_line") or "")
    m = re.match(r"^(Số\s*:?\s*)(\d+)(.*)$", number_line)
    if m:
        filled["number"] = m.group(2)
        out["number_line"] = m.group(1) + "\u00a0" * (3 * len(m.group(2)) + 4) + m.group(3)
    place_date = _nfc(layout.get("place_date") or "")
    m = re.match(r"^(.*ngày\s+)(\d{1,2})(\s+tháng.*)$", place_date)
    if m:
        filled["day"] = m.group(2)
        out["place_date"] = m.group(1) + "\u00a0" * 8 + m.group(3)
    return out, filled


def render_pdf(layout: dict, pdf_path: Path) -> Path:
    render_letter(layout, Path(pdf_path))
    return Path(pdf_path)


@dataclass
class TextLine:
    text: str
    box: tuple[float, float, float, float]  # x0, y0, x1, y1 in points, origin top-left
    chars: list[tuple[str, tuple[float, float, float, float]]]


def pdf_lines(pdf_path: Path) -> list[list[TextLine]]:
    """Text lines of each page with boxes in points (top-left origin), from pdfium."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(pdf_path))
    pages: list[list[TextLine]] = []
    try:
        for page in pdf:
            height = page.get_height()
            tp = page.get_textpage()
            n = tp.count_chars()
            rows: dict[int, list[tuple[str, tuple[float, float, float, float]]]] = {}
            for i in range(n):
                ch = tp.get_text_range(i, 1)
                if not ch or ch in "\r\n":
                    continue
                left, b, r, t = tp.get_charbox(i, loose=True)
                box = (left, height - t, r, height - b)
                if ch.isspace() and r - left <= 0:
                    continue
                key = int(round((height - (b + t) / 2) / 4.0))
                rows.setdefault(key, []).append((ch, box))
            lines: list[TextLine] = []
            for key in sorted(rows):
                chars = sorted(rows[key], key=lambda c: c[1][0])
                # split a row into segments at wide gaps (the two header columns)
                seg: list[tuple[str, tuple[float, float, float, float]]] = []
                for ch, box in chars:
                    if seg and box[0] - seg[-1][1][2] > 25:
                        lines.append(_line(seg))
                        seg = []
                    seg.append((ch, box))
                if seg:
                    lines.append(_line(seg))
            pages.append(lines)
            tp.close()
            page.close()
    finally:
        pdf.close()
    return pages


def _line(chars: list[tuple[str, tuple[float, float, float, float]]]) -> TextLine:
    ink = [b for c, b in chars if not c.isspace()] or [b for _, b in chars]
    box = (min(b[0] for b in ink), min(b[1] for b in ink), max(b[2] for b in ink), max(b[3] for b in ink))
    return TextLine(_nfc("".join(c for c, _ in chars)), box, chars)


def _squash(s: str) -> str:
    return re.sub(r"\s+", "", _nfc(s).replace("\u00a0", " "))


def find_line(
    pages: list[list[TextLine]], text: str, page: int | None = None, last: bool = False
) -> tuple[int, TextLine] | None:
    """The first (or last) line whose text contains ``text`` (spaces ignored)."""
    want = _squash(text)
    if not want:
        return None
    hits = [
        (p, ln)
        for p, lines in enumerate(pages)
        for ln in lines
        if (page is None or p == page) and want in _squash(ln.text)
    ]
    if not hits:
        return None
    return hits[-1] if last else hits[0]


def anchors(layout: dict, pages: list[list[TextLine]]) -> dict[str, Any]:
    """Where the signer block, the number line and the place-date are (points)."""
    out: dict[str, Any] = {}
    signer = [_nfc(s) for s in (layout.get("signer") or []) if str(s).strip()]
    if signer:
        name = find_line(pages, signer[-1], last=True)
        first = None
        if name is not None:
            first = find_line(pages[: name[0] + 1], signer[0], page=name[0], last=True)
        if name is not None:
            p, ln = name
            top = first[1].box[1] if first is not None else ln.box[1] - 80
            x0 = min(ln.box[0], first[1].box[0] if first else ln.box[0])
            x1 = max(ln.box[2], first[1].box[2] if first else ln.box[2])
            # the title lines above the blank signature space
            titles = [t for t in pages[p] if top - 1 <= t.box[1] < ln.box[1] - 30 and t.box[0] > 250]
            sign_top = max((t.box[3] for t in titles), default=ln.box[1] - 54)
            out["signer"] = {"page": p, "box": (x0, top, x1, ln.box[3]), "space": (x0, sign_top, x1, ln.box[1])}
    number = _nfc(layout.get("number_line") or "")
    if number:
        hit = find_line(pages, number.split("/")[0][:12] or number, page=0)
        if hit is not None:
            out["number"] = {"page": 0, "box": hit[1].box, "line": hit[1]}
    place_date = _nfc(layout.get("place_date") or "")
    if place_date:
        hit = find_line(pages, place_date[:10], page=0)
        if hit is not None:
            out["place_date"] = {"page": 0, "box": hit[1].box, "line": hit[1]}
    return out


def rasterise(pdf_path: Path, dpi: int, grey: bool = False) -> list[Image.Image]:
    from vanthu.pipeline.ocr.raster import render_pdf_pages

    return [img.convert("L" if grey else "RGB") for _, img in render_pdf_pages(pdf_path, dpi=dpi)]
