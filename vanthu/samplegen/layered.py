"""Scans that carry another OCR engine's invisible text layer, for the tests of the text
layer judgement (``pipeline/read/language.py``): each page of a digital letter rendered
as an image, with its words written invisibly over it (``pipeline/ocr/searchable.py``)
after one of these changes:

* ``faithful``: the words as printed (a good layer, to be kept);
* ``stripped``: accents and marks dropped (``Kinh gui: So Noi vu``);
* ``english``: read as by an English model: marks dropped and some letters swapped for
  look-alikes (``rn`` for ``m``, ``1`` for ``l`` …);
* ``shuffled``: the right words in the wrong places.
"""

from __future__ import annotations

import random
import unicodedata
from pathlib import Path

from vanthu.models.document import Word

KINDS = ("faithful", "stripped", "english", "shuffled")
LOOK_ALIKES = {"m": "rn", "l": "1", "o": "0", "e": "c", "h": "b", "u": "v", "a": "o", "n": "ri"}
SWAP_SHARE = 0.35  # words of the English layer with a look-alike letter
WORD_WIDTH_SHARE = 0.85  # of its printed width, an invisible word is stretched over


def strip_marks(text: str) -> str:
    nfd = unicodedata.normalize("NFD", text)
    return "".join(ch for ch in nfd if not unicodedata.combining(ch)).replace("đ", "d").replace("Đ", "D")


def _english(text: str, rng: random.Random) -> str:
    text = strip_marks(text)
    spots = [i for i, ch in enumerate(text) if ch in LOOK_ALIKES]
    if spots and rng.random() < SWAP_SHARE:
        i = rng.choice(spots)
        text = text[:i] + LOOK_ALIKES[text[i]] + text[i + 1 :]
    return text


def changed(words: tuple[Word, ...], kind: str, seed: int = 0) -> tuple[Word, ...]:
    """``words`` as the layer of ``kind`` has them (boxes kept)."""
    rng = random.Random(seed)
    if kind == "faithful":
        return words
    if kind == "stripped":
        return tuple(w.model_copy(update={"text": strip_marks(w.text)}) for w in words)
    if kind == "english":
        return tuple(w.model_copy(update={"text": _english(w.text, rng)}) for w in words)
    if kind == "shuffled":
        texts = [w.text for w in words]
        rng.shuffle(texts)
        return tuple(w.model_copy(update={"text": t}) for w, t in zip(words, texts))
    raise ValueError(f"unknown layer {kind!r}; choose from {', '.join(KINDS)}")


def layered_scan(letter: Path, target: Path, kind: str, *, dpi: int = 150, seed: int = 0) -> Path:
    """Write ``target``: the digital PDF ``letter`` as page images at ``dpi`` under a text
    layer of ``kind``. Each invisible word is set at a size that fits its box (not
    stretched over it: stretched glyphs run into the next word when the layer is read)."""
    from fpdf import FPDF
    from fpdf.enums import TextMode

    from vanthu.pipeline.ocr.raster import page_images
    from vanthu.pipeline.ocr.searchable import font_path
    from vanthu.pipeline.read.detect import load_input
    from vanthu.pipeline.read.pdf import read_pdf
    from vanthu.pipeline.settings import Settings

    inp = load_input(letter)
    pdf = FPDF(unit="pt")
    pdf.set_auto_page_break(False)
    pdf.add_font("layer", fname=str(font_path()))
    images = dict(page_images(inp.path, inp.media_type, dpi=dpi))
    for p in read_pdf(inp, Settings()):
        pdf.add_page(format=(p.width, p.height))
        pdf.image(images[p.number].convert("L"), x=0, y=0, w=p.width, h=p.height)
        pdf.text_mode = TextMode.INVISIBLE
        for w in changed(p.words, kind, seed + p.number):
            pdf.set_font("layer", size=w.y1 - w.y0)
            natural = pdf.get_string_width(w.text) or 1.0
            pdf.set_font("layer", size=(w.y1 - w.y0) * min(1.0, WORD_WIDTH_SHARE * (w.x1 - w.x0) / natural))
            pdf.text(w.x0, w.y1 - (w.y1 - w.y0) * 0.2, w.text)
        pdf.text_mode = TextMode.FILL
    target.write_bytes(bytes(pdf.output()))
    return target
