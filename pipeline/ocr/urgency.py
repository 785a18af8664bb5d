"""Urgency and secrecy stamps in red ink: read before the ink leaves the page.

Cleaning paints every red stroke over with paper (``clean.remove_coloured_ink``): seals
and the ĐẾN receipt stamp would otherwise be read into the header. A "HỎA TỐC" or "MẬT"
stamped in red beside the number line went with them. ``clean.prepare_page`` keeps the
header band's red ink aside (``Prepared.red``, black on white); here each block of it is
read on its own, and a block whose text is a mark (``marks.json``) comes back as one word
at its place on the page, for the layout to find as the marks line. Other red text (the
receipt stamp) is left alone.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import cv2
import numpy as np

from vanthu.models.document import Word
from vanthu.pipeline.ocr import tesseract
from vanthu.pipeline.ocr.options import OcrOptions
from vanthu.pipeline.rules.loader import rules
from vanthu.pipeline.text.normalize import fold

#: letters of one stamp are joined by closing gaps up to this fraction of the page width
JOIN_FRACTION = 0.012
#: a stamp block is between these sizes, in fractions of the page width
MIN_WIDTH, MAX_WIDTH = 0.03, 0.45
MIN_HEIGHT, MAX_HEIGHT = 0.008, 0.08
#: the margin read around a block, in its own heights
PAD = 0.35
#: Tesseract reads one stamp as one line of text
STAMP_PSM = 7
#: a frame's strokes read as these around the word
_FRAME = " .:-|[](){}_=!/\\'\"`~*«»"


def _mark_words() -> dict[str, str]:
    """Folded printed form -> the printed form as the letter prints it."""
    r = rules()
    return {fold(p): p for table in (r.urgency, r.confidentiality) for forms in table.values() for p in forms}


def stamp_blocks(red: np.ndarray) -> list[tuple[int, int, int, int]]:
    """Boxes (x0, y0, x1, y1) of the blocks of red ink the size of a stamp."""
    ink = (red < 128).astype(np.uint8)
    if not ink.any():
        return []
    w = red.shape[1]
    k = max(3, int(w * JOIN_FRACTION))
    joined = cv2.dilate(ink, np.ones((k // 2, k), np.uint8))
    n, _, stats, _ = cv2.connectedComponentsWithStats(joined, connectivity=8)
    out = []
    for i in range(1, n):
        x, y, bw, bh = (int(v) for v in stats[i, :4])
        if MIN_WIDTH * w <= bw <= MAX_WIDTH * w and MIN_HEIGHT * w <= bh <= MAX_HEIGHT * w and bw > bh:
            out.append((x, y, x + bw, y + bh))
    return out


def red_marks(red: np.ndarray | None, opts: OcrOptions, path: str | Path, number: int) -> list[Word]:
    """The urgency and secrecy stamps in the red ink of a page's header band, one word each
    (text as printed, e.g. "HỎA TỐC"); [] when there is none."""
    if red is None:
        return []
    from PIL import Image

    marks = _mark_words()
    one_line = dataclasses.replace(opts, psm=STAMP_PSM)
    out = []
    for x0, y0, x1, y1 in stamp_blocks(red):
        pad = int((y1 - y0) * PAD)
        box = (max(0, x0 - pad), max(0, y0 - pad), min(red.shape[1], x1 + pad), min(red.shape[0], y1 + pad))
        crop = red[box[1] : box[3], box[0] : box[2]]
        words = tesseract.words_from_data(tesseract.run_tesseract(Image.fromarray(crop), one_line, path, number))
        text = " ".join(fold(w.text) for w in words).strip(_FRAME)
        printed = marks.get(" ".join(text.split()))
        if printed is None:
            continue
        conf = min((w.confidence for w in words), default=0.0)
        h = y1 - y0
        out.append(Word(text=printed, x0=x0, y0=y0, x1=x1, y1=y1, size=float(h), confidence=conf, line=None))
    return out
