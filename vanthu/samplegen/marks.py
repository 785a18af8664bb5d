"""Ink on the page: a seal, a pen signature, the "ĐẾN" receipt stamp, pen digits in the
blanks, and the degradations of a scan (noise, speckle, rotation)."""

from __future__ import annotations

import math
import re
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFont

from vanthu.samplegen.canvas import find_font_dir
from vanthu.samplegen.canvas import nfc as _nfc
from vanthu.samplegen.digital import TextLine

RED = (200, 28, 38)
BLUE = (25, 45, 160)
STAMP_RED = (205, 30, 45)


def _font(name: str, size: float) -> ImageFont.FreeTypeFont:
    for directory in (
        find_font_dir(),
        Path("/usr/share/fonts/truetype/liberation2"),
        Path("/usr/share/fonts/truetype/dejavu"),
    ):
        path = Path(directory) / name
        if path.is_file():
            return ImageFont.truetype(str(path), max(1, int(round(size))))
    return ImageFont.truetype(str(find_font_dir() / "LiberationSerif-Bold.ttf"), max(1, int(round(size))))


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
    d.line(
        [(x0, yy), ((x0 + x1) / 2, yy + height * 0.05), (x1, yy - height * 0.06)],
        fill=(*colour, 220),
        width=lw,
        joint="curve",
    )
    return img


def draw_receipt_stamp(
    dpi: int, number: str, when: str, unit: str, rng: np.random.Generator, colour=STAMP_RED, pen: bool = False
) -> Image.Image:
    """The rectangular "ĐẾN" receipt stamp (Phụ lục IV, Decree 30) with its own Số/Ngày
    (with ``pen``: written in by hand, ``draw_pen_digits``)."""
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
    for k, (label, value) in enumerate((("Số", number), ("Ngày", when))):
        y = (8.2 + 4.2 * k) * mm
        d.text((20 * mm, y), f"{label}:" if pen else f"{label}: {value}", font=reg, fill=ink, anchor="lm")
        if pen:
            digits = draw_pen_digits(value, int((3.6 - 0.9 * k) * mm), rng, colour)
            img.alpha_composite(digits, (int((27 + 2 * k) * mm), int(y - digits.height / 2)))
    d.text((3 * mm, 16.3 * mm), "Chuyển: ...................................", font=reg, fill=ink, anchor="lm")
    img = img.rotate(float(rng.uniform(-4, 4)), resample=Image.BICUBIC, expand=True)
    return _mottle(img, rng, 0.3)


def draw_pen_digits(text: str, height: int, rng: np.random.Generator, colour=BLUE) -> Image.Image:
    """Digits written by pen: an oblique sans face, each digit jittered and tilted."""
    font = _font("DejaVuSans-Oblique.ttf", height)
    glyphs = []
    for ch in text:
        g = Image.new("RGBA", (int(height * 1.1), int(height * 1.5)), (0, 0, 0, 0))
        ImageDraw.Draw(g).text((g.width / 2, g.height / 2), ch, font=font, fill=(*colour, 240), anchor="mm")
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


def _to_px(box: tuple[float, ...], dpi: int) -> tuple[float, ...]:
    return tuple(v * dpi / 72.0 for v in box)


def _least_ink_spot(
    ink: np.ndarray, w: int, h: int, region: tuple[int, int, int, int], rng: np.random.Generator
) -> tuple[int, int]:
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


def add_marks(
    pages: list[Image.Image],
    layout: dict,
    where: dict[str, Any],
    dpi: int,
    rng: np.random.Generator,
    *,
    seal: bool,
    stamp: bool,
    signature: bool,
    handwritten: dict[str, str] | None,
    meta: dict[str, Any],
    stamp_pen: bool = False,
) -> list[Image.Image]:
    """Signature, seal, receipt stamp and pen digits, drawn on the clean colour pages."""
    pages = list(pages)
    sig = where.get("signer")
    if sig is not None and (seal or signature):
        _sign_and_seal(pages, layout, sig, dpi, rng, seal=seal, signature=signature, meta=meta)
    printed = [_nfc(x) for x in (layout.get("stamp") or []) if str(x).strip()]
    if stamp and pages and printed:
        # the layout already prints a receipt stamp: do not add a second one
        meta["stamp"] = _printed_stamp(printed)
    elif stamp and pages:
        _add_receipt_stamp(pages, layout, dpi, rng, meta, stamp_pen)
    if handwritten:
        _add_pen_digits(pages, where, dpi, rng, handwritten, meta)
    return pages


def _sign_and_seal(
    pages: list[Image.Image],
    layout: dict,
    sig: dict[str, Any],
    dpi: int,
    rng: np.random.Generator,
    *,
    seal: bool,
    signature: bool,
    meta: dict[str, Any],
) -> None:
    """A pen signature in the signer's blank space, a seal over its left third."""
    mm = dpi / 25.4
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
        centre = (min(bx0, cx - 20 * mm) + rng.uniform(-3, 3) * mm, (sy0 + sy1) / 2 + rng.uniform(-4, 2) * mm)
        pages[p] = _paste(pages[p], layer, centre, opacity=0.88)
        meta["seal"] = {"page": p, "centre": [round(v) for v in centre], "diameter": size}


def _printed_stamp(printed: list[str]) -> dict[str, Any]:
    """What a receipt stamp printed by the layout says (number, date)."""
    text = " ".join(printed)
    no = re.search(r"Số\s*:\s*(\d+)", text)
    day = re.search(r"Ngày\s*:\s*(\d{1,2}/\d{1,2}/\d{4})", text)
    return {
        "page": 0,
        "number": no.group(1) if no else "",
        "printed": True,
        "date": "/".join(f"{int(v):02d}" if k < 2 else v for k, v in enumerate(day.group(1).split("/"))) if day else "",
    }


def _add_receipt_stamp(
    pages: list[Image.Image], layout: dict, dpi: int, rng: np.random.Generator, meta: dict, pen: bool = False
) -> None:
    """A "ĐẾN" stamp with its own number and date on the emptiest spot of the header area."""
    mm = dpi / 25.4
    number, when, _ = receipt_stamp_values(layout, rng)
    unit = RECEIVING_UNITS[int(rng.integers(0, len(RECEIVING_UNITS)))]
    layer = draw_receipt_stamp(dpi, number, when, unit, rng, pen=pen)
    page = np.asarray(pages[0].convert("L"))
    h, w = page.shape
    # the header area: top third of the page, left part, away from the printed text
    region = (int(4 * mm), int(3 * mm), int(w * 0.66), int(h * 0.40))
    x, y = _least_ink_spot(
        cv2.dilate((page < 140).astype(np.uint8), np.ones((25, 25), np.uint8)),
        layer.width,
        layer.height,
        region,
        rng,
    )
    pages[0] = _paste(pages[0], layer, (x + layer.width / 2, y + layer.height / 2), opacity=0.9)
    meta["stamp"] = {
        "page": 0,
        "number": number,
        "date": when,
        "unit": unit,
        "box": [x, y, x + layer.width, y + layer.height],
    }


def _add_pen_digits(
    pages: list[Image.Image],
    where: dict[str, Any],
    dpi: int,
    rng: np.random.Generator,
    handwritten: dict[str, str],
    meta: dict[str, Any],
) -> None:
    """The number and the day written by pen into the blanks of page 1."""
    mm = dpi / 25.4
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
        meta.setdefault("pen", []).append(
            {
                "field": key,
                "text": handwritten[key],
                "pen_colour": "blue" if colour == BLUE else "black",
                "centre": [round(v) for v in centre],
            }
        )


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


def stamp_leaks(record: dict | None, meta: dict) -> list[str]:
    """The receipt stamp's number or date found in the letter's number or date fields."""
    stamp = meta.get("stamp")
    if not record or not stamp:
        return []
    leaks = []
    number = str(record.get("number") or "")
    ns = str(record.get("number_symbol") or "")
    if number.lstrip("0") == stamp["number"] or ns.split("/")[0].lstrip("0") == stamp["number"]:
        leaks.append(f"number {number or ns!r} is the stamp's {stamp['number']}")
    d, m, y = stamp["date"].split("/")
    if record.get("date") == f"{y}-{m}-{d}":
        leaks.append(f"date {record['date']} is the stamp's {stamp['date']}")
    return leaks
