#!/usr/bin/env python3
"""Synthetic scans of Decree-30 letters, deterministic by seed.

A layout source (``../shared/corpus/letters/ID.json``, ``samples/src/ID.json``) is rendered
to a digital A4 PDF by ``tools/render_letter.py``, rasterised with pypdfium2 and degraded at
one of four levels:

``clean``
    300 dpi grey, slight sensor noise. Written as an image-only PDF ``ID.scan-clean.pdf``.
``noisy``
    300 dpi colour: a blue signature, a red circular seal over the signer block, a red
    rectangular "ĐẾN" receipt stamp in the header area with its own Số and Ngày (never the
    letter's), speckle, blur, a skew of up to ±1.5°. ``ID.scan-noisy.pdf``.
``hard``
    150–200 dpi, bleed-through of the mirrored back page, lower contrast, a seal and a
    signature, a 3° skew. ``ID.scan-hard.pdf``.
``photo``
    a phone photo: the page warped in perspective on a darker background, uneven shading,
    a seal and a signature, JPEG. ``ID.scan-photo.jpg`` for a one-page letter; a PDF of one
    photo per page (``ID.scan-photo.pdf``, as phone scanner apps write) for longer ones.

With ``handwritten=True`` (levels noisy and hard) the letter is printed with a blank
number and day (``Số:      /BNV-TCBC``, ``ngày    tháng 11``) and the number and the day
are written into the blanks in pen; the file name gains ``-hw``
(``ID.scan-noisy-hw.pdf``). The answer key stays the letter's.

The file names pair with the answer keys in ``vanthu eval`` (the ID is the name up to the
first dot): put the outputs in a folder ``scans/`` beside a ``truth/`` folder, or use
``vanthu eval OUTDIR --truth ../shared/corpus/truth``.

Usage::

    python tools/scan_letter.py LAYOUT.json... --out DIR [--levels clean,noisy] [--seed 7]
    python tools/scan_letter.py ../shared/corpus/letters --out /tmp/scans

    from scan_letter import scan_letter
    scan = scan_letter(layout, "noisy", seed=7)      # -> Scan (pages, dpi, meta)
    paths = write_scan(scan, Path("out"), "ID")
"""

from __future__ import annotations

import argparse
import io
import json
import math
import re
import sys
import tempfile
import time
import unicodedata
import zlib
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

sys.path.insert(0, str(Path(__file__).resolve().parent))
from render_letter import find_font_dir, render_letter  # noqa: E402

__all__ = [
    "LEVELS",
    "parse_levels",
    "Scan",
    "scan_letter",
    "scan_pdf",
    "write_scan",
    "scan_file",
    "output_name",
    "main",
]

LEVELS = ("clean", "noisy", "hard", "photo")


def parse_levels(spec: str) -> list[str]:
    """"clean,noisy" → ["clean", "noisy"]; ValueError naming any unknown level."""
    levels = [lv.strip() for lv in spec.split(",") if lv.strip()]
    bad = [lv for lv in levels if lv not in LEVELS]
    if bad:
        raise ValueError(f"unknown level(s) {', '.join(bad)}; choose from {', '.join(LEVELS)}")
    return levels
A4_MM = (210.0, 297.0)
RED = (200, 28, 38)
BLUE = (25, 45, 160)
STAMP_RED = (205, 30, 45)
FIXED_TIME = time.gmtime(datetime(2024, 1, 1, tzinfo=timezone.utc).timestamp())


@dataclass
class Scan:
    """A degraded letter: page images plus what was drawn on them (for tests, benchmarks)."""

    level: str
    pages: list[Image.Image]
    dpi: int
    seed: int
    handwritten: bool = False
    meta: dict[str, Any] = field(default_factory=dict)


def _nfc(s: Any) -> str:
    return unicodedata.normalize("NFC", str(s))


def _rng(seed: int, *salt: str) -> np.random.Generator:
    mix = zlib.crc32("\x1f".join(salt).encode("utf-8"))
    return np.random.default_rng([int(seed) & 0xFFFFFFFF, mix])


def _font(name: str, size: float) -> ImageFont.FreeTypeFont:
    for directory in (find_font_dir(), Path("/usr/share/fonts/truetype/liberation2"),
                      Path("/usr/share/fonts/truetype/dejavu")):
        path = Path(directory) / name
        if path.is_file():
            return ImageFont.truetype(str(path), max(1, int(round(size))))
    return ImageFont.truetype(str(find_font_dir() / "LiberationSerif-Bold.ttf"), max(1, int(round(size))))


# ----------------------------------------------------------------------------- the digital letter
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
                l, b, r, t = tp.get_charbox(i, loose=True)
                box = (l, height - t, r, height - b)
                if ch.isspace() and r - l <= 0:
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


def find_line(pages: list[list[TextLine]], text: str, page: int | None = None,
              last: bool = False) -> tuple[int, TextLine] | None:
    """The first (or last) line whose text contains ``text`` (spaces ignored)."""
    want = _squash(text)
    if not want:
        return None
    hits = [(p, ln) for p, lines in enumerate(pages) for ln in lines
            if (page is None or p == page) and want in _squash(ln.text)]
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
            out["signer"] = {"page": p, "box": (x0, top, x1, ln.box[3]),
                             "space": (x0, sign_top, x1, ln.box[1])}
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


# ----------------------------------------------------------------------------- ink drawing
def _multiply(page: Image.Image, layer: Image.Image, opacity: float = 1.0) -> Image.Image:
    """Print ``layer`` (RGBA) onto ``page`` like ink: colours multiply, black stays black."""
    base = np.asarray(page.convert("RGB"), dtype=np.float32)
    lay = np.asarray(layer, dtype=np.float32)
    alpha = lay[..., 3:4] / 255.0 * opacity
    ink = lay[..., :3]
    mixed = base * (1 - alpha) + (base * ink / 255.0) * alpha
    return Image.fromarray(np.clip(mixed, 0, 255).astype(np.uint8), "RGB")


def _mottle(layer: Image.Image, rng: np.random.Generator, strength: float = 0.35) -> Image.Image:
    """Uneven ink of a rubber stamp: random holes in the alpha channel."""
    arr = np.asarray(layer).copy()
    h, w = arr.shape[:2]
    small = rng.random((max(2, h // 6), max(2, w // 6))).astype(np.float32)
    noise = cv2.resize(small, (w, h), interpolation=cv2.INTER_CUBIC)
    grain = rng.random((h, w)).astype(np.float32)
    keep = np.clip(1.0 - strength * noise - 0.25 * (grain > 0.92), 0.2, 1.0)
    arr[..., 3] = (arr[..., 3].astype(np.float32) * keep).astype(np.uint8)
    return Image.fromarray(arr, "RGBA")


def draw_seal(size: int, issuer: str, rng: np.random.Generator, colour=RED) -> Image.Image:
    """A round official seal (two rings, the issuer's name around, a star in the centre)."""
    img = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    d = ImageDraw.Draw(img)
    ink = (*colour, 255)
    c = size / 2
    lw = max(2, size // 70)
    d.ellipse((lw, lw, size - lw, size - lw), outline=ink, width=lw * 2)
    r_in = size * 0.32
    d.ellipse((c - r_in, c - r_in, c + r_in, c + r_in), outline=ink, width=lw)
    # star
    pts = []
    for k in range(10):
        rad = size * (0.12 if k % 2 == 0 else 0.05)
        ang = -math.pi / 2 + k * math.pi / 5
        pts.append((c + rad * math.cos(ang), c + rad * math.sin(ang)))
    d.polygon(pts, fill=ink)
    # the issuer's name along the ring
    text = (_nfc(issuer).upper() or "CƠ QUAN") + " *"
    font = _font("LiberationSans-Bold.ttf", size * 0.075)
    radius = size * 0.40
    step = min(size * 0.075 * 0.85 / radius, 2 * math.pi * 0.92 / max(1, len(text)))
    span = step * len(text)
    for k, ch in enumerate(text):
        if ch.isspace():
            continue
        ang = -math.pi / 2 - span / 2 + (k + 0.5) * step
        glyph = Image.new("RGBA", (int(size * 0.12), int(size * 0.12)), (0, 0, 0, 0))
        ImageDraw.Draw(glyph).text((glyph.width / 2, glyph.height / 2), ch, font=font, fill=ink, anchor="mm")
        glyph = glyph.rotate(-math.degrees(ang) - 90, resample=Image.BICUBIC)
        x = c + radius * math.cos(ang) - glyph.width / 2
        y = c + radius * math.sin(ang) - glyph.height / 2
        img.alpha_composite(glyph, (int(x), int(y)))
    img = img.rotate(float(rng.uniform(-25, 25)), resample=Image.BICUBIC)
    return _mottle(img, rng)


def draw_signature(width: int, height: int, rng: np.random.Generator, colour=BLUE) -> Image.Image:
    """A scribbled pen signature: a few smooth loops and a flourish."""
    img = Image.new("RGBA", (width, height), (0, 0, 0, 0))
    d = ImageDraw.Draw(img)
    n = int(rng.integers(5, 9))
    xs = np.linspace(width * 0.08, width * 0.85, n) + rng.normal(0, width * 0.02, n)
    ys = height * 0.55 + rng.normal(0, height * 0.18, n)
    t = np.linspace(0, 1, 400)
    px = np.interp(t, np.linspace(0, 1, n), xs) + np.sin(t * math.pi * n * 1.5) * width * 0.03
    py = np.interp(t, np.linspace(0, 1, n), ys) + np.cos(t * math.pi * n * 1.5) * height * 0.22
    lw = max(2, height // 40)
    d.line(list(zip(px.tolist(), py.tolist())), fill=(*colour, 235), width=lw, joint="curve")
    # underline flourish
    x0, x1 = width * rng.uniform(0.05, 0.2), width * rng.uniform(0.7, 0.95)
    yy = height * rng.uniform(0.75, 0.85)
    d.line([(x0, yy), ((x0 + x1) / 2, yy + height * 0.05), (x1, yy - height * 0.06)],
           fill=(*colour, 220), width=lw, joint="curve")
    return img


def draw_receipt_stamp(dpi: int, number: str, when: str, unit: str, rng: np.random.Generator,
                       colour=STAMP_RED) -> Image.Image:
    """The rectangular "ĐẾN" receipt stamp (Phụ lục IV, Decree 30) with its own Số/Ngày."""
    mm = dpi / 25.4
    w, h = int(48 * mm), int(19 * mm)
    img = Image.new("RGBA", (w, h), (0, 0, 0, 0))
    d = ImageDraw.Draw(img)
    ink = (*colour, 255)
    lw = max(2, int(0.5 * mm))
    d.rectangle((lw, lw, w - lw, h - lw), outline=ink, width=lw)
    small = _font("LiberationSans-Bold.ttf", 2.6 * mm)
    big = _font("LiberationSans-Bold.ttf", 6.0 * mm)
    reg = _font("LiberationSans-Regular.ttf", 3.0 * mm)
    d.text((w / 2, 3.0 * mm), _nfc(unit), font=small, fill=ink, anchor="mm")
    d.line((2 * mm, 5.2 * mm, w - 2 * mm, 5.2 * mm), fill=ink, width=max(1, lw // 2))
    d.text((3 * mm, 10.3 * mm), "ĐẾN", font=big, fill=ink, anchor="lm")
    d.text((20 * mm, 8.2 * mm), f"Số: {number}", font=reg, fill=ink, anchor="lm")
    d.text((20 * mm, 12.4 * mm), f"Ngày: {when}", font=reg, fill=ink, anchor="lm")
    d.text((3 * mm, 16.3 * mm), "Chuyển: ...................................", font=reg, fill=ink, anchor="lm")
    img = img.rotate(float(rng.uniform(-4, 4)), resample=Image.BICUBIC, expand=True)
    return _mottle(img, rng, 0.3)


def draw_pen_digits(text: str, height: int, rng: np.random.Generator, colour=BLUE) -> Image.Image:
    """Digits written by pen: an oblique sans face, each digit jittered and tilted."""
    font = _font("DejaVuSans-Oblique.ttf", height)
    glyphs = []
    for ch in text:
        g = Image.new("RGBA", (int(height * 1.1), int(height * 1.5)), (0, 0, 0, 0))
        ImageDraw.Draw(g).text((g.width / 2, g.height / 2), ch, font=font, fill=(*colour, 240),
                               anchor="mm")
        glyphs.append(g.rotate(float(rng.uniform(-12, 8)), resample=Image.BICUBIC))
    adv = int(height * 0.62)
    out = Image.new("RGBA", (adv * len(text) + glyphs[0].width, int(height * 1.7)), (0, 0, 0, 0))
    for k, g in enumerate(glyphs):
        out.alpha_composite(g, (k * adv + int(rng.integers(-2, 3)), int(height * 0.1 + rng.integers(-3, 4))))
    return out.rotate(float(rng.uniform(-5, 5)), resample=Image.BICUBIC, expand=True)


# ----------------------------------------------------------------------------- degradations
def _paste(page: Image.Image, layer: Image.Image, centre: tuple[float, float], opacity: float = 1.0) -> Image.Image:
    full = Image.new("RGBA", page.size, (0, 0, 0, 0))
    full.alpha_composite(layer, (int(centre[0] - layer.width / 2), int(centre[1] - layer.height / 2)))
    return _multiply(page, full, opacity)


def add_noise(arr: np.ndarray, rng: np.random.Generator, sigma: float) -> np.ndarray:
    noisy = arr.astype(np.float32) + rng.normal(0, sigma, arr.shape).astype(np.float32)
    return np.clip(noisy, 0, 255).astype(np.uint8)


def add_speckle(arr: np.ndarray, rng: np.random.Generator, density: float) -> np.ndarray:
    """Dust and toner specks: small dark dots, a few white holes."""
    out = arr.copy()
    h, w = out.shape[:2]
    n = int(density * h * w / 1e4)
    ys, xs = rng.integers(0, h, n), rng.integers(0, w, n)
    rs = 1 + (rng.random(n) < 0.3).astype(int)  # mostly 1 px, some 2 px (at 300 dpi)
    vals = rng.integers(30, 140, n)
    for y, x, r, v in zip(ys, xs, rs, vals):
        cv2.circle(out, (int(x), int(y)), int(r), (int(v),) * 3 if out.ndim == 3 else int(v), -1)
    m = n // 4
    ys, xs = rng.integers(0, h, m), rng.integers(0, w, m)
    for y, x in zip(ys, xs):
        cv2.circle(out, (int(x), int(y)), 1, (250,) * 3 if out.ndim == 3 else 250, -1)
    return out


def rotate_page(arr: np.ndarray, angle: float, fill: int | tuple = 255) -> np.ndarray:
    """Rotate by ``angle`` degrees (positive = counter-clockwise) about the centre, same size."""
    h, w = arr.shape[:2]
    m = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    border = fill if arr.ndim == 2 else (tuple(fill) if isinstance(fill, tuple) else (fill,) * 3)
    return cv2.warpAffine(arr, m, (w, h), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT,
                          borderValue=border)


def _to_px(box: tuple[float, ...], dpi: int) -> tuple[float, ...]:
    return tuple(v * dpi / 72.0 for v in box)


def _least_ink_spot(ink: np.ndarray, w: int, h: int, region: tuple[int, int, int, int],
                    rng: np.random.Generator) -> tuple[int, int]:
    """Top-left corner of a ``w``×``h`` window inside ``region`` covering the least ink."""
    x0, y0, x1, y1 = region
    integral = cv2.integral((ink > 0).astype(np.uint8))
    best, best_xy = None, (x0, y0)
    step = max(8, min(w, h) // 8)
    for y in range(y0, max(y0 + 1, y1 - h), step):
        for x in range(x0, max(x0 + 1, x1 - w), step):
            s = integral[y + h, x + w] - integral[y, x + w] - integral[y + h, x] + integral[y, x]
            s += rng.random() * 0.5 + (y - y0) * 0.05  # among blank spots, the highest
            if best is None or s < best:
                best, best_xy = s, (x, y)
    return best_xy


def _issuer(layout: dict) -> str:
    lines = [ln for ln in (layout.get("header_left") or []) if str(ln).strip("* ")]
    return " ".join(lines[-1:]) if lines else ""


def _letter_date(layout: dict) -> date | None:
    m = re.search(r"ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})", _nfc(layout.get("place_date") or ""))
    if not m:
        return None
    try:
        return date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
    except ValueError:
        return None


RECEIVING_UNITS = (
    "VĂN PHÒNG UBND TỈNH",
    "SỞ NỘI VỤ",
    "UBND HUYỆN ĐÔNG SƠN",
    "SỞ TÀI CHÍNH",
    "UBND XÃ TÂN PHÚ",
    "TRƯỜNG THPT NGUYỄN DU",
)


def receipt_stamp_values(layout: dict, rng: np.random.Generator) -> tuple[str, str, date]:
    """A receipt number and date that differ from the letter's."""
    number_line = _nfc(layout.get("number_line") or "")
    m = re.search(r"(\d+)", number_line)
    letter_no = m.group(1) if m else ""
    while True:
        number = str(int(rng.integers(100, 4000)))
        if number != letter_no.lstrip("0"):
            break
    base = _letter_date(layout) or date(2025, 1, 15)
    when = base + timedelta(days=int(rng.integers(2, 12)))
    return number, when.strftime("%d/%m/%Y"), when


def add_marks(pages: list[Image.Image], layout: dict, where: dict[str, Any], dpi: int,
              rng: np.random.Generator, *, seal: bool, stamp: bool, signature: bool,
              handwritten: dict[str, str] | None, meta: dict[str, Any]) -> list[Image.Image]:
    """Signature, seal, receipt stamp and pen digits, drawn on the clean colour pages."""
    pages = list(pages)
    mm = dpi / 25.4
    sig = where.get("signer")
    if sig is not None and (seal or signature):
        p = sig["page"]
        sx0, sy0, sx1, sy1 = _to_px(sig["space"], dpi)
        bx0, by0, bx1, by1 = _to_px(sig["box"], dpi)
        cx = (sx0 + sx1) / 2
        if signature:
            sw, sh = int(45 * mm), int(max(14 * mm, (sy1 - sy0) * 0.9))
            layer = draw_signature(sw, sh, rng)
            centre = (cx + rng.uniform(-5, 5) * mm, (sy0 + sy1) / 2)
            pages[p] = _paste(pages[p], layer, centre)
            meta["signature"] = {"page": p, "centre": [round(v) for v in centre]}
        if seal:
            size = int(rng.uniform(34, 40) * mm)
            layer = draw_seal(size, _issuer(layout), rng)
            # over the left third of the signature, overlapping the title line
            centre = (min(bx0, cx - 20 * mm) + rng.uniform(-3, 3) * mm,
                      (sy0 + sy1) / 2 + rng.uniform(-4, 2) * mm)
            pages[p] = _paste(pages[p], layer, centre, opacity=0.88)
            meta["seal"] = {"page": p, "centre": [round(v) for v in centre], "diameter": size}
    printed = [_nfc(x) for x in (layout.get("stamp") or []) if str(x).strip()]
    if stamp and pages and printed:
        # the layout already prints a receipt stamp: do not add a second one
        text = " ".join(printed)
        no = re.search(r"Số\s*:\s*(\d+)", text)
        day = re.search(r"Ngày\s*:\s*(\d{1,2}/\d{1,2}/\d{4})", text)
        meta["stamp"] = {"page": 0, "number": no.group(1) if no else "", "printed": True,
                         "date": "/".join(f"{int(v):02d}" if k < 2 else v
                                          for k, v in enumerate(day.group(1).split("/"))) if day else ""}
    elif stamp and pages:
        number, when, _ = receipt_stamp_values(layout, rng)
        unit = RECEIVING_UNITS[int(rng.integers(0, len(RECEIVING_UNITS)))]
        layer = draw_receipt_stamp(dpi, number, when, unit, rng)
        page = np.asarray(pages[0].convert("L"))
        h, w = page.shape
        # the header area: top third of the page, left part, away from the printed text
        region = (int(4 * mm), int(3 * mm), int(w * 0.66), int(h * 0.40))
        x, y = _least_ink_spot(cv2.dilate((page < 140).astype(np.uint8), np.ones((25, 25), np.uint8)),
                              layer.width, layer.height, region, rng)
        pages[0] = _paste(pages[0], layer, (x + layer.width / 2, y + layer.height / 2), opacity=0.9)
        meta["stamp"] = {"page": 0, "number": number, "date": when, "unit": unit,
                         "box": [x, y, x + layer.width, y + layer.height]}
    if handwritten:
        colour = BLUE if rng.random() < 0.7 else (30, 30, 40)
        meta["handwritten"] = dict(handwritten)
        for key, anchor in (("number", "number"), ("day", "place_date")):
            if key not in handwritten or anchor not in where:
                continue
            line: TextLine = where[anchor]["line"]
            gap = _blank_gap(line)
            if gap is None:
                continue
            gx0, gx1, gy0, gy1 = (v * dpi / 72.0 for v in gap)
            size = int(min((gy1 - gy0) * 0.95, (gx1 - gx0) / (0.6 * len(handwritten[key]) + 0.5)))
            layer = draw_pen_digits(handwritten[key], size, rng, colour)
            centre = ((gx0 + gx1) / 2 + rng.uniform(-1, 1) * mm, (gy0 + gy1) / 2 - rng.uniform(0, 1.2) * mm)
            pages[0] = _paste(pages[0], layer, centre)
            meta.setdefault("pen", []).append({"field": key, "text": handwritten[key],
                                               "pen_colour": "blue" if colour == BLUE else "black",
                                               "centre": [round(v) for v in centre]})
    return pages


def _blank_gap(line: TextLine) -> tuple[float, float, float, float] | None:
    """The widest run of (non-breaking) spaces in a printed line: x0, x1, y0, y1 (points)."""
    best = None
    run: list[tuple[float, float, float, float]] = []
    for ch, box in line.chars + [("x", (1e9, 0, 1e9, 0))]:
        if ch in "\u00a0 ":
            run.append(box)
            continue
        if len(run) >= 3:
            x0, x1 = run[0][0], run[-1][2]
            if best is None or x1 - x0 > best[1] - best[0]:
                best = (x0, x1, line.box[1], line.box[3])
        run = []
    return best


def scan_pages(layout: dict, level: str, seed: int = 0, *, handwritten: bool = False,
               dpi: int | None = None, pdf_path: Path | None = None, noise: float = 1.0,
               photo_size: int = 3200, bleed: bool = True) -> Scan:
    """Render and degrade ``layout`` at ``level`` (see the module docstring).

    ``dpi`` overrides the level's resolution; ``noise`` scales the sensor noise (lower it
    for small committed samples: i.i.d. noise is what JPEG compresses worst);
    ``photo_size`` is the long side of a photo in pixels (3200 ≈ a 12 MP phone at ~270 dpi);
    ``bleed=False`` leaves out the hard level's bleed-through (same random stream otherwise).
    """
    if level not in LEVELS:
        raise ValueError(f"unknown level {level!r}; choose from {', '.join(LEVELS)}")
    ident = _nfc(layout.get("number_line") or "") + _nfc(layout.get("place_date") or "")
    rng = _rng(seed, level, ident, "hw" if handwritten else "")
    meta: dict[str, Any] = {"level": level, "seed": seed}
    hw_values: dict[str, str] | None = None
    src = layout
    if handwritten:
        if level not in ("noisy", "hard"):
            raise ValueError("handwritten numbers are drawn at the noisy and hard levels only")
        src, hw_values = blank_handwritten_slots(layout)
    with tempfile.TemporaryDirectory(prefix="vanthu-scan-") as tmp:
        pdf = Path(tmp) / "letter.pdf"
        if pdf_path is not None and not handwritten:
            pdf = Path(pdf_path)
        else:
            render_pdf(src, pdf)
        if level == "hard":
            res = dpi or int(rng.integers(150, 201))
        else:
            res = dpi or 300
        where = anchors(src, pdf_lines(pdf))
        pages = rasterise(pdf, res)
    if level == "clean":
        out = []
        for img in pages:
            arr = np.asarray(img.convert("L"))
            arr = cv2.GaussianBlur(arr, (0, 0), 0.5)
            out.append(Image.fromarray(add_noise(arr, rng, 3.0 * noise), "L"))
        meta["dpi"] = res
        return Scan(level, out, res, seed, False, meta)

    pages = add_marks(pages, layout, where, res, rng, seal=True, stamp=level == "noisy",
                      signature=True, handwritten=hw_values, meta=meta)
    out = []
    skews = []
    if level == "noisy":
        for img in pages:
            arr = np.asarray(img)
            arr = add_speckle(arr, rng, 0.35)
            arr = cv2.GaussianBlur(arr, (0, 0), float(rng.uniform(0.8, 1.2)))
            angle = float(rng.uniform(-1.5, 1.5))
            arr = rotate_page(arr, angle, (250, 250, 248))
            arr = add_noise(arr, rng, 5.0 * noise)
            skews.append(round(angle, 3))
            out.append(Image.fromarray(arr, "RGB"))
    elif level == "hard":
        n = len(pages)
        for k, img in enumerate(pages):
            arr = np.asarray(img).astype(np.float32)
            back_src = pages[k + 1] if k + 1 < n and n > 1 else pages[(k + 1) % n]
            back = np.asarray(back_src.convert("L"), dtype=np.float32)[:, ::-1]
            if back_src is img:  # one page: shift the mirrored copy so lines do not coincide
                back = np.roll(back, int(res * 0.09), axis=0)
            back = cv2.GaussianBlur(back, (0, 0), res / 150.0)
            strength = float(rng.uniform(0.22, 0.30)) if bleed else float(rng.uniform(0.22, 0.30)) * 0
            veil = 1.0 - strength * (1.0 - back / 255.0)
            arr = arr * veil[..., None]
            # lower contrast: ink greyish, paper darker and yellowish
            lo, hi = float(rng.uniform(55, 75)), float(rng.uniform(205, 220))
            arr = lo + arr * (hi - lo) / 255.0
            arr[..., 2] *= 0.95
            arr = arr.astype(np.uint8)
            arr = add_speckle(arr, rng, 0.3)
            arr = cv2.GaussianBlur(arr, (0, 0), 0.6)
            angle = float(rng.choice([-1.0, 1.0]) * rng.uniform(2.8, 3.2))
            arr = rotate_page(arr, angle, (int(hi), int(hi), int(hi * 0.95)))
            arr = add_noise(arr, rng, 6.0 * noise)
            skews.append(round(angle, 3))
            out.append(Image.fromarray(arr, "RGB"))
    else:  # photo
        quads = []
        for img in pages:
            photo, quad = photograph(img, rng, photo_size, noise)
            quads.append(quad)
            out.append(photo)
        meta["quads"] = quads
    meta["dpi"] = res
    if skews:
        meta["skew"] = skews
    return Scan(level, out, res, seed, handwritten, meta)


def photograph(page: Image.Image, rng: np.random.Generator, long_side: int = 3200,
               noise: float = 1.0) -> tuple[Image.Image, list[list[int]]]:
    """A phone photo of ``page``: perspective, darker background, uneven light, blur, noise."""
    src = np.asarray(page.convert("RGB"))
    ph, pw = src.shape[:2]
    H = long_side
    W = int(round(H * 3 / 4))
    # the page fills ~80% of the frame, tilted camera: corners moved independently
    scale = min(W * 0.84 / pw, H * 0.86 / ph)
    cw, ch = pw * scale, ph * scale
    ox, oy = (W - cw) / 2, (H - ch) / 2
    j = rng.uniform(-1, 1, (4, 2)) * np.array([W * 0.035, H * 0.025])
    top_in = rng.uniform(0.01, 0.05) * W  # top edge farther from the camera: narrower
    dst = np.array([
        [ox + top_in, oy], [ox + cw - top_in, oy],
        [ox + cw, oy + ch], [ox, oy + ch],
    ]) + j
    srcq = np.array([[0, 0], [pw, 0], [pw, ph], [0, ph]], dtype=np.float32)
    m = cv2.getPerspectiveTransform(srcq, dst.astype(np.float32))
    # background: a darker table with texture
    base = np.array(rng.uniform([60, 50, 40], [110, 95, 80]), dtype=np.float32)
    tex = cv2.resize(rng.random((H // 40, W // 40)).astype(np.float32), (W, H), interpolation=cv2.INTER_CUBIC)
    bg = base[None, None, :] * (0.8 + 0.4 * tex[..., None])
    warped = cv2.warpPerspective(src, m, (W, H), flags=cv2.INTER_AREA if scale < 1 else cv2.INTER_LINEAR,
                                 borderMode=cv2.BORDER_CONSTANT, borderValue=(0, 0, 0))
    mask = cv2.warpPerspective(np.full((ph, pw), 255, np.uint8), m, (W, H))
    mask = cv2.GaussianBlur(mask, (0, 0), 1.5).astype(np.float32)[..., None] / 255.0
    img = warped.astype(np.float32) * mask + bg * (1 - mask)
    # uneven light: a linear fall-off in a random direction and a soft vignette
    yy, xx = np.mgrid[0:H, 0:W].astype(np.float32)
    ang = rng.uniform(0, 2 * math.pi)
    lin = (xx / W - 0.5) * math.cos(ang) + (yy / H - 0.5) * math.sin(ang)
    light = 1.0 - float(rng.uniform(0.25, 0.35)) * (lin + 0.5)
    r2 = ((xx / W - 0.5) ** 2 + (yy / H - 0.5) ** 2)
    light *= 1.0 - 0.25 * r2
    warm = np.array([1.0, 0.97, 0.9], dtype=np.float32)
    img = img * light[..., None] * warm
    img = cv2.GaussianBlur(img, (0, 0), 0.9)
    img = img + rng.normal(0, 4.0 * noise, img.shape).astype(np.float32)
    out = Image.fromarray(np.clip(img, 0, 255).astype(np.uint8), "RGB")
    return out, [[int(round(x)), int(round(y))] for x, y in dst]


# ----------------------------------------------------------------------------- output
def output_name(doc_id: str, level: str, n_pages: int, handwritten: bool = False) -> str:
    """``ID.scan-LEVEL[-hw].pdf``; a one-page photo is ``ID.scan-photo.jpg``."""
    stem = f"{doc_id}.scan-{level}{'-hw' if handwritten else ''}"
    if level == "photo" and n_pages == 1:
        return stem + ".jpg"
    return stem + ".pdf"


def encode(scan: Scan, fmt: str, quality: int | None = None) -> bytes:
    """The scan as bytes: ``pdf`` (image-only, one JPEG per page), ``jpg`` or ``png`` (page 1)."""
    buf = io.BytesIO()
    q = quality or {"clean": 80, "noisy": 75, "hard": 70, "photo": 80}[scan.level]
    if fmt == "pdf":
        first, *rest = scan.pages
        # fixed dates: Pillow otherwise stamps the current time into /Info
        first.save(buf, "PDF", save_all=True, append_images=rest, resolution=float(scan.dpi),
                   quality=q, creationDate=FIXED_TIME, modDate=FIXED_TIME, producer="vanthu scan_letter")
    elif fmt in ("jpg", "jpeg"):
        scan.pages[0].save(buf, "JPEG", quality=q, optimize=True)
    elif fmt == "png":
        scan.pages[0].save(buf, "PNG", optimize=True, dpi=(scan.dpi, scan.dpi))
    else:
        raise ValueError(f"unknown format {fmt!r}")
    return buf.getvalue()


def write_scan(scan: Scan, out_dir: Path, doc_id: str, fmt: str | None = None,
               quality: int | None = None) -> Path:
    """Write ``scan`` under ``out_dir`` with the name :func:`output_name` gives."""
    name = output_name(doc_id, scan.level, len(scan.pages), scan.handwritten)
    if fmt is not None:
        name = name.rsplit(".", 1)[0] + "." + fmt
    path = Path(out_dir) / name
    data = encode(scan, path.suffix.lstrip(".").lower(), quality)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    with open(fd, "wb") as fh:
        fh.write(data)
    Path(tmp).chmod(0o644)
    Path(tmp).replace(path)
    return path


def scan_letter(layout: dict, level: str, seed: int = 0, **kw: Any) -> Scan:
    return scan_pages(layout, level, seed, **kw)


def scan_pdf(layout: dict, level: str, seed: int = 0, **kw: Any) -> bytes:
    """Convenience: the scan of ``layout`` as PDF bytes."""
    return encode(scan_pages(layout, level, seed, **kw), "pdf")


def layout_sources(paths: list[Path]) -> list[Path]:
    out: list[Path] = []
    for p in paths:
        if p.is_dir():
            out += sorted(q for q in p.glob("*.json") if not q.name.endswith(".expected.json"))
        else:
            out.append(p)
    return out


def scan_file(layout_path: Path, out_dir: Path, levels: list[str], seed: int = 0,
              handwritten: bool = False, dpi: int | None = None, fmt: str | None = None,
              quality: int | None = None, meta: bool = False, noise: float = 1.0,
              photo_size: int = 3200) -> list[Path]:
    """Scan one layout source at ``levels``; returns the written paths."""
    layout = json.loads(Path(layout_path).read_text(encoding="utf-8"))
    doc_id = Path(layout_path).name.split(".", 1)[0]
    written = []
    for level in levels:
        hw = handwritten and level in ("noisy", "hard")
        scan = scan_pages(layout, level, seed, handwritten=hw, dpi=dpi, noise=noise, photo_size=photo_size)
        path = write_scan(scan, out_dir, doc_id, fmt, quality)
        written.append(path)
        if meta:
            info = {k: v for k, v in scan.meta.items()}
            (path.parent / (path.name + ".meta.json")).write_text(
                json.dumps(info, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return written


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Synthetic scans of layout sources (deterministic by seed).")
    ap.add_argument("sources", nargs="+", type=Path, help="layout JSON files or folders of them")
    ap.add_argument("--out", type=Path, required=True, help="output folder (outside the repo, or out/)")
    ap.add_argument("--levels", default="clean,noisy,hard,photo", help="comma-separated: " + ",".join(LEVELS))
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--handwritten", action="store_true",
                    help="number and day written by pen into blanks (noisy and hard; names gain -hw)")
    ap.add_argument("--dpi", type=int, default=None, help="override the level's resolution")
    ap.add_argument("--format", choices=("pdf", "jpg", "png"), default=None,
                    help="override the output format (jpg/png hold page 1 only)")
    ap.add_argument("--quality", type=int, default=None, help="JPEG quality")
    ap.add_argument("--meta", action="store_true", help="write NAME.meta.json (stamp number, skew, …)")
    ap.add_argument("--noise", type=float, default=1.0, help="scale of the sensor noise (default 1)")
    ap.add_argument("--photo-size", type=int, default=3200, help="long side of a photo, pixels")
    args = ap.parse_args(argv)
    try:
        levels = parse_levels(args.levels)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    sources = layout_sources(args.sources)
    if not sources:
        print("error: no layout sources found", file=sys.stderr)
        return 1
    for src in sources:
        try:
            for path in scan_file(src, args.out, levels, args.seed, args.handwritten, args.dpi,
                                  args.format, args.quality, args.meta, args.noise, args.photo_size):
                print(path)
        except (OSError, ValueError) as exc:
            print(f"error: {src}: {exc}", file=sys.stderr)
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
