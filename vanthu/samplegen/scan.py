#!/usr/bin/env python3
"""Synthetic scans of Decree-30 letters, deterministic by seed.

A layout source (``../shared/corpus/letters/ID.json``, ``samples/src/ID.json``) is rendered
to a digital A4 PDF by :mod:`vanthu.samplegen.render`, rasterised with pypdfium2 and degraded at
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
    python -m vanthu.samplegen.scan LAYOUT.json... --out DIR

    from vanthu.samplegen.scan import scan_letter, write_scan
    scan = scan_letter(layout, "noisy", seed=7)      # -> Scan (pages, dpi, meta)
    paths = write_scan(scan, Path("out"), "ID")
"""

from __future__ import annotations

import argparse
import io
import json
import sys
import tempfile
import time
import zlib
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image

from vanthu.samplegen.canvas import nfc as _nfc
from vanthu.samplegen.degrade import clean_pages, hard_pages, noisy_pages, photo_pages
from vanthu.samplegen.digital import anchors, blank_handwritten_slots, pdf_lines, rasterise, render_pdf
from vanthu.samplegen.marks import add_marks

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
    """ "clean,noisy" → ["clean", "noisy"]; ValueError naming any unknown level."""
    levels = [lv.strip() for lv in spec.split(",") if lv.strip()]
    bad = [lv for lv in levels if lv not in LEVELS]
    if bad:
        raise ValueError(f"unknown level(s) {', '.join(bad)}; choose from {', '.join(LEVELS)}")
    return levels


FIXED_TIME = time.gmtime(datetime(2024, 1, 1, tzinfo=UTC).timestamp())


@dataclass
class Scan:
    """A degraded letter: page images plus what was drawn on them (for tests, benchmarks)."""

    level: str
    pages: list[Image.Image]
    dpi: int
    seed: int
    handwritten: bool = False
    meta: dict[str, Any] = field(default_factory=dict)


def _rng(seed: int, *salt: str) -> np.random.Generator:
    mix = zlib.crc32("\x1f".join(salt).encode("utf-8"))
    return np.random.default_rng([int(seed) & 0xFFFFFFFF, mix])


def scan_pages(
    layout: dict,
    level: str,
    seed: int = 0,
    *,
    handwritten: bool = False,
    dpi: int | None = None,
    pdf_path: Path | None = None,
    noise: float = 1.0,
    photo_size: int = 3200,
    bleed: bool = True,
    stamp_pen: bool = False,
) -> Scan:
    """Render and degrade ``layout`` at ``level`` (the module docstring). ``dpi`` overrides
    the level's resolution; ``noise`` scales the sensor noise (lower it for small committed
    samples: i.i.d. noise is what JPEG compresses worst); ``photo_size`` is the long side of a
    photo in pixels (3200 ≈ a 12 MP phone at ~270 dpi); ``bleed=False`` leaves out the hard
    level's bleed-through (same random stream otherwise); ``stamp_pen``: pen-written stamp."""
    if level not in LEVELS:
        raise ValueError(f"unknown level {level!r}; choose from {', '.join(LEVELS)}")
    ident = _nfc(layout.get("number_line") or "") + _nfc(layout.get("place_date") or "")
    rng = _rng(seed, level, ident, "hw" if handwritten else "")
    meta: dict[str, Any] = {"level": level, "seed": seed}
    hw_values: dict[str, str] | None
    src, hw_values = layout, None
    if handwritten:
        if level not in ("noisy", "hard"):
            raise ValueError("handwritten numbers are drawn at the noisy and hard levels only")
        src, hw_values = blank_handwritten_slots(layout)
    res, where, pages = _letter_pages(src, level, rng, dpi, pdf_path, handwritten)
    if level == "clean":
        out = clean_pages(pages, rng, noise)
        meta["dpi"] = res
        return Scan(level, out, res, seed, False, meta)

    pages = add_marks(
        pages,
        layout,
        where,
        res,
        rng,
        seal=True,
        stamp=level == "noisy",
        signature=True,
        handwritten=hw_values,
        meta=meta,
        stamp_pen=stamp_pen,
    )
    skews: list[float] = []
    if level == "noisy":
        out = noisy_pages(pages, rng, noise, skews)
    elif level == "hard":
        out = hard_pages(pages, rng, res, noise, bleed, skews)
    else:  # photo
        out, quads = photo_pages(pages, rng, photo_size, noise)
        meta["quads"] = quads
    meta["dpi"] = res
    if skews:
        meta["skew"] = skews
    return Scan(level, out, res, seed, handwritten, meta)


def _letter_pages(
    src: dict, level: str, rng: np.random.Generator, dpi: int | None, pdf_path: Path | None, handwritten: bool
) -> tuple[int, dict[str, Any], list[Image.Image]]:
    """The digital letter rendered (or ``pdf_path``), its anchors, and its pages rasterised
    at the level's resolution (drawn from ``rng`` at the hard level)."""
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
    return res, where, pages


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
        first.save(
            buf,
            "PDF",
            save_all=True,
            append_images=rest,
            resolution=float(scan.dpi),
            quality=q,
            creationDate=FIXED_TIME,
            modDate=FIXED_TIME,
            producer="vanthu scan_letter",
        )
    elif fmt in ("jpg", "jpeg"):
        scan.pages[0].save(buf, "JPEG", quality=q, optimize=True)
    elif fmt == "png":
        scan.pages[0].save(buf, "PNG", optimize=True, dpi=(scan.dpi, scan.dpi))
    else:
        raise ValueError(f"unknown format {fmt!r}")
    return buf.getvalue()


def write_scan(scan: Scan, out_dir: Path, doc_id: str, fmt: str | None = None, quality: int | None = None) -> Path:
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


def scan_file(
    layout_path: Path,
    out_dir: Path,
    levels: list[str],
    seed: int = 0,
    handwritten: bool = False,
    dpi: int | None = None,
    fmt: str | None = None,
    quality: int | None = None,
    meta: bool = False,
    noise: float = 1.0,
    photo_size: int = 3200,
) -> list[Path]:
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
                json.dumps(info, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
            )
    return written


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Synthetic scans of layout sources (deterministic by seed).")
    ap.add_argument("sources", nargs="+", type=Path, help="layout JSON files or folders of them")
    ap.add_argument("--out", type=Path, required=True, help="output folder (outside the repo, or out/)")
    ap.add_argument("--levels", default="clean,noisy,hard,photo", help="comma-separated: " + ",".join(LEVELS))
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument(
        "--handwritten",
        action="store_true",
        help="number and day written by pen into blanks (noisy and hard; names gain -hw)",
    )
    ap.add_argument("--dpi", type=int, default=None, help="override the level's resolution")
    ap.add_argument(
        "--format",
        choices=("pdf", "jpg", "png"),
        default=None,
        help="override the output format (jpg/png hold page 1 only)",
    )
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
            for path in scan_file(
                src,
                args.out,
                levels,
                args.seed,
                args.handwritten,
                args.dpi,
                args.format,
                args.quality,
                args.meta,
                args.noise,
                args.photo_size,
            ):
                print(path)
        except (OSError, ValueError) as exc:
            print(f"error: {src}: {exc}", file=sys.stderr)
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
