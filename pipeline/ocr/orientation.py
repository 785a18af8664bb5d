"""Pages fed the wrong way into the scanner: a page whose words are mostly no
Vietnamese is read again turned (a quarter turn Tesseract's orientation detector is
sure of, else upside down), and the better reading is kept."""

from __future__ import annotations

import re
from pathlib import Path

from vanthu.models.document import Word
from vanthu.pipeline.ocr import tesseract
from vanthu.pipeline.ocr.options import OcrOptions
from vanthu.pipeline.ocr.reading import PageSource, image_to_words
from vanthu.pipeline.ocr.tesseract import PageTimedOut

#: a page whose words are under this share of real Vietnamese syllables may be on its
#: side or upside down (fed the wrong way into the scanner); it is read turned too
UPRIGHT_MIN_QUALITY = 0.45
#: a page with less ink than this share of its pixels is blank: it is not turned
BLANK_INK_SHARE = 0.004
#: how much better (in ``text_quality``) a turned reading must be to be kept
TURN_MIN_GAIN = 0.2


def text_quality(words: list[Word]) -> float:
    """The share of a page's words (two letters or more) that are real syllables: near
    0.9 on a readable page, near 0.1 on a page read upside down or on its side."""
    from vanthu.pipeline.ocr.lexicon import lexicon, syllable_key

    lex = lexicon()
    cores = [re.sub(r"[^\w]|[\d_]", "", w.text).lower() for w in words]
    cores = [c for c in cores if len(c) >= 2]
    if not cores:
        return 0.0
    return sum(lex.known(syllable_key(c)) for c in cores) / len(cores)


def sideways(words: list[Word]) -> bool:
    """Most words of three letters or more are taller than wide: lines run down the page."""
    long = [w for w in words if len(w.text) >= 3]
    tall = sum((w.y1 - w.y0) > 1.2 * (w.x1 - w.x0) for w in long)
    return len(long) >= 10 and tall > 0.5 * len(long)


def osd_turn(grey, opts: OcrOptions) -> int | None:
    """The quarter turn (90 or 270 degrees clockwise) Tesseract's orientation detector
    is sure a page needs, else ``None``; it cannot tell upside down from upright here."""
    from PIL import Image

    pytesseract = tesseract.pytesseract_for(opts)
    small = Image.fromarray(grey)
    small = small.resize((max(small.width // 2, 1), max(small.height // 2, 1)))
    try:
        osd = pytesseract.image_to_osd(
            tesseract.uncompressed(small),
            config="--psm 0 -c min_characters_to_try=30",
            output_type=pytesseract.Output.DICT,
            timeout=min(opts.timeout, 30),
        )
    except (pytesseract.TesseractError, RuntimeError):
        return None
    turn = int(osd.get("rotate", 0))
    return turn if turn in (90, 270) and float(osd.get("orientation_conf", 0)) >= 2.0 else None


def turned(image, turn: int):
    """A page image (PIL or array) turned ``turn`` degrees clockwise (a multiple of 90)."""
    if hasattr(image, "rotate"):
        return image.rotate(-turn, expand=True)  # PIL turns counter-clockwise
    import numpy as np

    return np.ascontiguousarray(np.rot90(image, k=-(turn // 90)))


def upright_reading(source: PageSource, opts: OcrOptions, path: str | Path, number: int):
    """Read the page; when its words are mostly no Vietnamese and it has print on it,
    read it turned (a quarter turn the orientation detector is sure of, else upside
    down) and keep the better reading. Returns (prep, words, degrees turned)."""
    prep, words = image_to_words(source.take(), opts, path, number)
    quality = text_quality(words)
    if sideways(words):
        quality = 0.0  # Tesseract reads a page on its side as columns of vertical lines
    if quality >= UPRIGHT_MIN_QUALITY or float((prep.grey < 128).mean()) < BLANK_INK_SHARE:
        return prep, words, 0  # readable, or a blank page
    turns = [t for t in (osd_turn(prep.grey, opts),) if t] or [180]
    best = (quality, prep, words, 0)
    for turn in turns:
        try:
            p2, w2 = image_to_words(turned(source.take(), turn), opts, path, number)
        except PageTimedOut:
            break
        q2 = 0.0 if sideways(w2) else text_quality(w2)
        if q2 > best[0] + TURN_MIN_GAIN:
            best = (q2, p2, w2, turn)
    _, prep, words, turn = best
    return prep, words, turn
