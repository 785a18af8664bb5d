"""Is a page's text layer Vietnamese as printed? A scanned PDF may carry the invisible
layer of another OCR engine that dropped the accents (``Kinh gui: So Noi vu``), read the
page with an English model (accents gone, look-alike letters swapped) or put the right
words in the wrong order. Such a layer is read again by OCR.

Three cheap scores of the layer's syllables (underthesea's word list, ``ocr.lexicon``):
the share that are Vietnamese syllables, the share that carry a tone or vowel mark
(printed Vietnamese: well over half) and the share of neighbours that stand together in
Vietnamese. Under a minimum the layer is refused; between the minimum and a sure value
(a borderline layer) a strip of the page is OCR'd and the layer kept only when it agrees
(:func:`agreement`, asked by ``read.pdf``). Digital PDFs score well above the sure values
and never pay for an OCR.
"""

from __future__ import annotations

import difflib
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from vanthu.models.document import Word

DEFAULT_MIN_KNOWN_SHARE = 0.5  # (a) Vietnamese syllables, at least
DEFAULT_MIN_MARKED_SHARE = 0.25  # (b) syllables with a tone or vowel mark, at least
DEFAULT_SURE_KNOWN_SHARE = 0.75  # above every sure value the layer is kept unchecked
DEFAULT_SURE_MARKED_SHARE = 0.5  # (digital letters: 0.69 and more)
DEFAULT_SURE_PAIR_SHARE = 0.3  # neighbours that stand together in Vietnamese
DEFAULT_MIN_AGREEMENT = 0.5  # (c) agreement with the strip's OCR, at least
MIN_SYLLABLES_JUDGED = 20  # a page with fewer syllables is not judged (a stamp, a title)

#: why a layer was refused: the code in ``Source.text_source_reason``
NOT_VIETNAMESE, NO_MARKS, DISAGREES = "layer-not-vietnamese", "layer-without-accents", "layer-disagrees-with-scan"
OK, CHECK = "ok", "check"

_PUNCT = "\"'“”‘’.,;:!?()[]{}<>«»…-–—/\\*"


@dataclass(frozen=True)
class Scores:
    syllables: int
    known: float  # (a)
    marked: float  # (b)
    pairs: float  # neighbours that make a word or stand together in running text


def syllables(words: Sequence[Word] | Sequence[str]) -> list[str]:
    """The lower-case alphabetic syllables of ``words`` (punctuation stripped; numbers,
    symbols and codes such as ``UBND-VX`` left out)."""
    out = []
    for w in words:
        text = w if isinstance(w, str) else w.text
        for part in unicodedata.normalize("NFC", text).split():
            s = part.strip(_PUNCT).lower()
            if s.isalpha():
                out.append(s)
    return out


def scores(sylls: list[str], cache_dir=None) -> Scores:
    from vanthu.pipeline.ocr.lexicon import lexicon, syllable_key

    lex = lexicon(cache_dir)
    keys = [syllable_key(s) for s in sylls]
    n = max(len(keys), 1)
    known = sum(lex.known(k) for k in keys) / n
    marked = sum(bool(k[1]) or k[0] != unicodedata.normalize("NFC", _plain(k[0])) for k in keys) / n
    pairs = sum(lex.pair(a, b) or lex.seen(a, b) for a, b in zip(keys, keys[1:])) / max(len(keys) - 1, 1)
    return Scores(len(keys), round(known, 3), round(marked, 3), round(pairs, 3))


def _plain(s: str) -> str:
    return "".join(ch for ch in unicodedata.normalize("NFD", s) if not unicodedata.combining(ch)).replace("đ", "d")


def verdict(words: Sequence[Word], cache_dir=None) -> str:
    """``"ok"`` (keep the layer), ``"check"`` (borderline: compare a strip with OCR) or
    the reason it is refused (``NOT_VIETNAMESE``, ``NO_MARKS``)."""
    sylls = syllables(words)
    if len(sylls) < MIN_SYLLABLES_JUDGED:
        return OK
    s = scores(sylls, cache_dir)
    if s.known < DEFAULT_MIN_KNOWN_SHARE:
        return NOT_VIETNAMESE
    if s.marked < DEFAULT_MIN_MARKED_SHARE:
        return NO_MARKS
    sure = (
        s.known >= DEFAULT_SURE_KNOWN_SHARE
        and s.marked >= DEFAULT_SURE_MARKED_SHARE
        and s.pairs >= DEFAULT_SURE_PAIR_SHARE
    )
    return OK if sure else CHECK


def agreement(layer: Sequence[str], ocr: Sequence[str]) -> float:
    """How far the layer's syllables in a strip, in reading order, match what OCR reads
    there (0-1; accents ignored: either reading may miss one)."""
    a, b = [_plain(s) for s in layer], [_plain(s) for s in ocr]
    if not a or not b:
        return 0.0
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()
