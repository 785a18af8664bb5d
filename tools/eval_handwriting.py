#!/usr/bin/env python3
"""Evaluation (not a test): the handwritten number, day and month slots of page 1 read by
each digit reader, per letter, against the answer keys.

    .venv/bin/python tools/eval_handwriting.py ../shared/real [--cache /tmp/hw] [--readers rapidocr,tesseract]

Page 1 of every scan is cleaned and read once (the slow part: the result is kept in
``--cache``, so a second run only re-reads the slots). Then for each reader, the slots
are located and read as ``pipeline.ocr.handwriting`` does in ``vanthu extract``, and each
letter's number, day and month is reported as ``right``, ``wrong`` (kept, not the key's),
``blank`` (left empty: unsure or unreadable) or ``print`` (not re-read: the page reading
had clean digits there; scored as right or wrong in the totals). Totals are given for the
tuning and the checking part (``vanthu.scoring.split_of``); failures are listed for the
tuning part only.

Also, with ``--pen N``: N generated pen-digit crops (``vanthu.samplegen.marks.draw_pen_digits``
on a white crop, blue or black) per reader, right/wrong/blank.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

KINDS = ("number", "day", "month")


def capture(pdf: Path, cache: Path) -> Path:
    """Page 1 of ``pdf`` cleaned and read, kept in ``cache/SLUG/`` (words.json, detail.png,
    pen.png)."""
    from PIL import Image

    from vanthu.pipeline.ocr.options import OcrOptions
    from vanthu.pipeline.ocr.orientation import upright_reading
    from vanthu.pipeline.ocr.raster import page_images
    from vanthu.pipeline.ocr.reading import PageSource
    from vanthu.pipeline.read.detect import load_input

    out = cache / pdf.name.split(".")[0]
    if (out / "words.json").is_file():
        return out
    out.mkdir(parents=True, exist_ok=True)
    inp = load_input(pdf)
    opts = OcrOptions(timeout=900)
    _, rgb = next(page_images(inp.path, inp.media_type, dpi=opts.dpi, pages=[1], arrays=True))
    Image.fromarray(rgb).save(out / "colour.png")
    prep, words, _ = upright_reading(PageSource(rgb), opts, inp.path, 1)
    Image.fromarray(prep.detail if prep.detail is not None else prep.grey).save(out / "detail.png")
    if prep.pen is not None:
        Image.fromarray(prep.pen).save(out / "pen.png")
    (out / "words.json").write_text(json.dumps([w.model_dump() for w in words]), encoding="utf-8")
    return out


def truth_slots(key: dict) -> dict[str, str]:
    ns = key.get("number_symbol") or ""
    date = key.get("date") or ""
    out = {"number": ns.split("/")[0]}
    if len(date) == 10:
        out["day"], out["month"] = date[8:10], date[5:7]
    return out


def same(a: str, b: str) -> bool:
    return a.lstrip("0") == b.lstrip("0") and bool(a)


def slots_read(page: Path, reader_name: str) -> dict[str, tuple[str, str, float]]:
    """kind -> (outcome, digits) of one captured page read with ``reader_name``."""
    from PIL import Image

    from vanthu.models.document import Word
    from vanthu.pipeline.ocr.digits import digit_reader, floor_of
    from vanthu.pipeline.ocr.handwriting import slot_edits
    from vanthu.pipeline.ocr.options import OcrOptions

    words = [Word(**w) for w in json.loads((page / "words.json").read_text(encoding="utf-8"))]
    detail = Image.open(page / "detail.png")
    pen = Image.open(page / "pen.png") if (page / "pen.png").is_file() else None
    read = digit_reader(reader_name, OcrOptions(timeout=900), page)
    edits = slot_edits(
        words,
        detail,
        read,
        page_height=float(detail.height),
        pen=pen,
        floor=floor_of(reader_name),
        lines=reader_name == "rapidocr",
    )
    return edits.slots


def score(slots: dict, truth: dict[str, str]) -> dict[str, tuple[str, str, float]]:
    out = {}
    for kind in KINDS:
        want = truth.get(kind)
        if want is None:
            continue
        state, digits, conf = slots.get(kind, ("missing", "", 0.0))
        if state == "kept" or state == "print":
            outcome = "right" if same(digits, want) else "wrong"
            if state == "print":
                outcome = f"print-{outcome}"
        else:
            outcome = state  # unsure / unreadable / missing
        if state == "unsure":  # (would it have been right: for calibrating the floor)
            outcome = f"unsure-{'right' if same(digits, want) else 'wrong'}"
        out[kind] = (outcome, digits, conf)
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("folder", type=Path)
    ap.add_argument("--cache", type=Path, default=Path("/tmp/vanthu-eval-handwriting"))
    ap.add_argument("--readers", default="rapidocr,tesseract")
    ap.add_argument("--pen", type=int, default=0, help="also read N generated pen-digit crops")
    args = ap.parse_args(argv)
    logging.disable(logging.INFO)
    from vanthu.scoring import split_of

    readers = args.readers.split(",")
    totals: dict[tuple[str, str, str], dict[str, int]] = {}
    for key_path in sorted(args.folder.glob("*.truth.json")):
        slug = key_path.name.split(".")[0]
        pdf = args.folder / f"{slug}.pdf"
        key = json.loads(key_path.read_text(encoding="utf-8"))
        if key.get("kind", "scan") != "scan" or not pdf.is_file():
            continue
        page = capture(pdf, args.cache)
        truth = truth_slots(key)
        split = split_of(slug)
        for name in readers:
            got = score(slots_read(page, name), truth)
            cells = []
            for kind, (outcome, digits, conf) in got.items():
                t = totals.setdefault((name, split, kind), {})
                base = outcome.removeprefix("print-")
                t[base] = t.get(base, 0) + 1
                cells.append(f"{kind}={outcome}({digits or '-'}/{truth[kind]} {conf:.2f})")
            print(f"{split:5} {slug:26} {name:9} " + " ".join(cells), flush=True)
    print()
    for (name, split, kind), t in sorted(totals.items()):
        n = sum(t.values())
        kept = t.get("right", 0) + t.get("wrong", 0)
        prec = t.get("right", 0) / kept if kept else 1.0
        print(
            f"{name:9} {split:5} {kind:6} right {t.get('right', 0):2}/{n}  wrong {t.get('wrong', 0)}  "
            f"blank {n - kept}  precision {prec:.2f}  recall {t.get('right', 0) / n:.2f}"
        )
    if args.pen:
        pen_eval(readers, args.pen)
    return 0


def pen_crops(n: int, seed: int = 19):
    """``n`` (text, crop) pairs: 1-3 generated pen digits on paper, as the slot reader
    gets them (a grey crop)."""
    import numpy as np
    from PIL import Image

    from vanthu.samplegen.marks import BLUE, draw_pen_digits

    rng = np.random.default_rng(seed)
    for _ in range(n):
        text = str(int(rng.integers(1, 10 ** int(rng.integers(1, 4)))))
        if rng.random() < 0.3 and len(text) == 1:
            text = "0" + text
        colour = BLUE if rng.random() < 0.6 else (30, 30, 40)
        layer = draw_pen_digits(text, int(rng.integers(40, 80)), rng, colour)
        page = Image.new("RGBA", (layer.width + 24, layer.height + 24), (250, 248, 240, 255))
        page.alpha_composite(layer, (12, 12))
        yield text, page.convert("L")


def pen_eval(readers: list[str], n: int) -> None:
    from vanthu.pipeline.ocr.digits import digit_reader, floor_of
    from vanthu.pipeline.ocr.options import OcrOptions

    crops = list(pen_crops(n))
    for name in readers:
        read = digit_reader(name, OcrOptions(timeout=900), "pen")
        t = {"right": 0, "wrong": 0, "blank": 0}
        for text, crop in crops:
            digits, conf = read(crop, "number")
            outcome = "blank" if conf < floor_of(name) or not digits else "right" if digits == text else "wrong"
            t[outcome] += 1
        kept = t["right"] + t["wrong"]
        print(
            f"generated pen digits, {name:9}: right {t['right']}/{n}  wrong {t['wrong']}  blank {t['blank']}  "
            f"precision {t['right'] / kept if kept else 1.0:.2f}"
        )


if __name__ == "__main__":
    raise SystemExit(main())
