"""Zones of a page read again on their own: the signer block a seal hid from the page
reading, and the digits of a handwritten slot (the number, the day)."""

from __future__ import annotations

import dataclasses
import os
import tempfile
from pathlib import Path

from vanthu.models.document import Word
from vanthu.pipeline.ocr import tesseract
from vanthu.pipeline.ocr.options import OcrOptions
from vanthu.pipeline.ocr.postcorrect import correct_words
from vanthu.pipeline.ocr.reading import drop_noise
from vanthu.pipeline.ocr.tesseract import PageTimedOut

#: the cap height (px) a handwritten digit crop is also read at
DIGIT_CAP_HEIGHT = 40.0
#: a block with this many readable words (confidence 0.6, two letters) was read
SIGNER_READABLE_WORDS = 4


def reread_signer_zone(grey, words: list[Word], opts: OcrOptions, path: str | Path, number: int):
    """The signer block beside "Nơi nhận" read again on its own when the page reading
    left it (nearly) empty: a black seal and a signature over the title and the name
    make Tesseract's layout analysis take the whole block for a picture. Read as one
    block of text (``--psm 6``), the title and the name come out. Returns (words, reread)."""
    from PIL import Image

    from vanthu.pipeline.rules.loader import patterns

    height, width = grey.shape[:2]
    rows: dict[int, list[Word]] = {}
    for w in words:
        if w.line is not None:
            rows.setdefault(w.line, []).append(w)
    label = next(
        (
            r
            for r in rows.values()
            if r[0].x0 < 0.4 * width and patterns().distribution_label.match(" ".join(w.text for w in r))
        ),
        None,
    )
    if label is None:
        return words, False
    line_h = max(w.y1 - w.y0 for w in label)
    top = int(max(0, label[0].y0 - line_h))
    bottom = int(min(height, label[0].y0 + 0.22 * height))
    left = int(0.45 * width)
    # (a line of the distribution list that runs past the middle is no part of the block)
    spill = {ln for ln, r in rows.items() if min(w.x0 for w in r) < left}

    def in_zone(w: Word) -> bool:
        return w.x0 >= left and top <= w.y0 <= bottom and w.line not in spill

    zone = [w for w in words if in_zone(w)]
    if _readable(zone) >= SIGNER_READABLE_WORDS or bottom - top < 4 * line_h:
        return words, False  # the block was read (or there is no room for one)
    try:
        data = tesseract.run_tesseract(
            Image.fromarray(grey[top:bottom, left:width]), dataclasses.replace(opts, psm=6), path, number
        )
    except PageTimedOut:
        return words, False
    first = 1 + max((w.line for w in words if w.line is not None), default=-1)
    found = [
        w.model_copy(update={"line": first + (w.line or 0)})
        for w in tesseract.words_from_data(data, offset=(left, top))
    ]
    found = correct_words(drop_noise(found))
    if _readable(found) <= _readable(zone):
        return words, False
    kept = [w for w in words if not in_zone(w)]
    # the new reading's own copy of a spilling distribution line is dropped
    found = [
        w
        for w in found
        if not any(k.x0 - 5 <= w.x0 <= k.x1 + 5 and abs(k.y0 - w.y0) < line_h / 2 for k in kept if k.line in spill)
    ]
    return kept + found, True


def _readable(ws: list[Word]) -> int:
    return sum(w.confidence >= 0.6 and len(w.text) >= 2 for w in ws)


def read_digits(crop, opts: OcrOptions, path: str | Path) -> tuple[str, float]:
    """Digits in a small crop (a handwritten number or day): one line, digits only.

    Tesseract is no handwriting reader, and which scale it reads a pen stroke best at
    varies: the crop is read as it is and scaled to a 40-px cap height, and the answer
    Tesseract is surest of wins. That confidence goes into the field's provenance, and
    a low one raises a warning on the field.

    The variants go to one Tesseract process as a list of images (its model loads once:
    0.1 s of a 0.12 s reading of a crop, measured), read as one line (``--psm 7``);
    those that give nothing are read again as one word (``--psm 8``).
    """
    from PIL import Image, ImageOps

    variants = [crop]
    factor = DIGIT_CAP_HEIGHT / (crop.height / 2.0)
    if factor < 0.9:
        variants.append(
            crop.resize((max(int(crop.width * factor), 1), max(int(crop.height * factor), 1)), Image.Resampling.LANCZOS)
        )
    found: dict[int, tuple[str, float]] = {}
    with tempfile.TemporaryDirectory(prefix="vanthu-digits-") as tmp:
        files = []
        for i, image in enumerate(variants):
            files.append(os.path.join(tmp, f"{i}.bmp"))
            tesseract.uncompressed(ImageOps.expand(image, border=20, fill=255)).save(files[-1])
        for psm in (7, 8):
            todo = [i for i in range(len(variants)) if i not in found]
            if not todo:
                break
            got = _read_listed([files[i] for i in todo], psm, opts, os.path.join(tmp, f"psm{psm}.txt"))
            if got is None:  # Tesseract failed or timed out: what was read so far
                break
            for i, words in zip(todo, got):
                if words:
                    found[i] = ("".join(t for t, _ in words), min(c for _, c in words) / 100.0)
    best = ("", 0.0)
    for i in sorted(found):
        if found[i][1] > best[1]:
            best = found[i]
    return best


def _read_listed(files: list[str], psm: int, opts: OcrOptions, listing: str) -> list[list[tuple[str, float]]] | None:
    """The digit words of each image in ``files``, read by one Tesseract process."""
    pytesseract = tesseract.pytesseract_for(opts)
    Path(listing).write_text("".join(f + "\n" for f in files), encoding="utf-8")
    config = f"--oem 1 --psm {psm} -c tessedit_char_whitelist=0123456789"
    try:
        data = pytesseract.image_to_data(
            listing, lang=opts.lang, config=config, output_type=pytesseract.Output.DICT, timeout=min(opts.timeout, 30)
        )
    except (pytesseract.TesseractError, RuntimeError):
        return None
    words: list[list[tuple[str, float]]] = [[] for _ in files]
    for page, text, conf in zip(data["page_num"], data["text"], data["conf"]):
        text = str(text).strip()
        if text and 1 <= int(page) <= len(files):
            words[int(page) - 1].append((text, float(conf)))
    return words
