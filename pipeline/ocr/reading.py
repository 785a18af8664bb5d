"""One page image → (cleaned page, corrected words): clean it, crop it to its print,
read it with Tesseract and correct the words. Also the page image a reading takes
(:class:`PageSource`) and the noise Tesseract reads in seals and strokes (:func:`drop_noise`).
"""

from __future__ import annotations

import dataclasses
import re
import threading
from pathlib import Path

from vanthu.models.document import Word
from vanthu.pipeline.ocr import tesseract
from vanthu.pipeline.ocr.lexicon import lexicon, syllable_key
from vanthu.pipeline.ocr.options import OcrOptions
from vanthu.pipeline.ocr.postcorrect import correct_words

_ANCHOR = re.compile(r"^(?:S[ốôóo]\W*|ngày|tháng|năm)", re.IGNORECASE)


#: the fewest letters a word of no confidence must have to be kept as a known syllable
MIN_RESCUED_LETTERS = 3
#: ... and, in capitals, this many
MIN_RESCUED_CAPITALS = 2
#: specks read before or after a word ("_'TỈNH")
_EDGE_SPECKS = re.compile(r"^[\W_]+|[\W_]+$")


def _known_syllable(text: str) -> bool:
    """``text``, its specks aside, is a Vietnamese syllable of three letters or more (two in capitals):
    Tesseract gives no confidence to some whole words that open a line after a speck
    ("_'TỈNH", "PHÒNG" under a title), and a scribble seldom spells a real syllable."""
    word = _EDGE_SPECKS.sub("", text)
    # (two letters in capitals are a header's word: "'UỶ BAN NHÂN DÂN", "SỞ", "BỘ")
    if not word.isalpha() or len(word) < (MIN_RESCUED_LETTERS if not word.isupper() else MIN_RESCUED_CAPITALS):
        return False
    return lexicon().known(syllable_key(word.lower()))


def drop_noise(words: list[Word]) -> list[Word]:
    """Remove specks read as punctuation or single letters with very low confidence
    (seal fragments, bleed-through, handwriting strokes)."""
    out = []
    for w in words:
        alnum = sum(ch.isalnum() for ch in w.text)
        if alnum == 0 and w.confidence < 0.5 and (w.text not in {"-", "–", "+"} or w.confidence < 0.3):
            continue
        if w.confidence < 0.2 and len(w.text) <= 2 and not any(ch.isdigit() for ch in w.text):
            continue
        if len(w.text) == 1 and w.text.isalpha() and w.confidence < 0.6:
            continue
        if (
            w.confidence < 0.1
            and not _ANCHOR.match(w.text)
            and not any(ch.isdigit() or ch == "/" for ch in w.text)
            and not _known_syllable(w.text)
        ):
            continue  # signature scribbles, seal fragments: Tesseract is guessing
        out.append(w)
    return out


#: one page is cleaned at a time: cleaning a 300-dpi page briefly takes about 100 MB
#: (colour planes, ink masks, blob labels), and it takes a seventh of Tesseract's time,
#: so the cores lose nothing by the wait. A 12-page scan's worker peaked at 398 MB
#: cleaning pages side by side, at 358 MB one at a time (measured).
_CLEANING = threading.Lock()


def image_to_words(image, opts: OcrOptions, path: str | Path, number: int):
    """(cleaned page, corrected words) of one page image; PageTimedOut propagates."""
    from PIL import Image

    from vanthu.pipeline.ocr.clean import content_box, prepare_page

    with _CLEANING:
        prep = prepare_page(image, dpi=opts.dpi)
    del image  # (a PageSource's image is held no longer than this: see PageSource)
    box = content_box(prep.grey) or (0, 0, prep.grey.shape[1], prep.grey.shape[0])
    x0, y0, x1, y1 = box
    crop = prep.grey[y0:y1, x0:x1]
    k = min(opts.read_dpi / opts.dpi, 1.0) if opts.read_dpi else 1.0  # (never enlarged)
    if k < 1.0:
        import cv2

        crop = cv2.resize(crop, None, fx=k, fy=k, interpolation=cv2.INTER_AREA)
        opts = dataclasses.replace(opts, dpi=opts.read_dpi)
    data = tesseract.run_tesseract(Image.fromarray(crop), opts, path, number)
    return prep, correct_words(drop_noise(tesseract.words_from_data(data, offset=(x0, y0), scale=k)))


def image_size(image) -> tuple[int, int]:
    """(width, height) of a page image, PIL or array."""
    return (image.width, image.height) if hasattr(image, "width") else (image.shape[1], image.shape[0])


class PageSource:
    """A page image that is let go once it has been cleaned.

    Tesseract reads a page for a second or more, and every page being read held its
    colour image meanwhile (26 MB at 300 dpi). With ``load``, the image is handed out
    once and dropped; in the rare case the page must be read again turned, ``load``
    brings the same pixels back from the file. Without it the image is kept.
    """

    def __init__(self, image, load=None):
        self._image, self._load = image, load
        self.size = image_size(image)

    def take(self):
        image = self._image
        if self._load is not None:
            self._image = None
            if image is None:
                image = self._load()
        return image
