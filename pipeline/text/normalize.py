"""Vietnamese text hygiene: NFC, whitespace, tone-mark placement.

Both tone placements occur in real letters ("HÒA"/"HOÀ", "ỦY"/"UỶ"); underthesea's
``text_normalize`` puts them in one canonical place. It also re-tokenises symbols such
as ``419/TB-UBND`` ("419 / TB-UBND"), so it is applied to alphabetic words only and
everything else passes through untouched.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_WS = re.compile(r"\s+")
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
_HAS_TONE = re.compile(r"[\u0300\u0301\u0303\u0309\u0323]")


def nfc(text: str) -> str:
    """NFC, with the look-alike Ð (U+00D0) read as Đ and odd spaces as spaces."""
    text = unicodedata.normalize("NFC", text)
    return text.replace("\u00d0", "Đ").replace("\u00a0", " ").replace("\u200b", "")


def collapse(text: str) -> str:
    return _WS.sub(" ", text).strip()


@lru_cache(maxsize=65536)
def _canon_word(word: str) -> str:
    # Only words that carry a tone mark can be affected by its placement.
    if not _HAS_TONE.search(unicodedata.normalize("NFD", word)):
        return word
    from vanthu.pipeline.text.engines import underthesea  # CRF-free, offline; loaded on first need

    out = nfc(underthesea("text_normalize")(word))
    return out if len(out) == len(word) else word


def canon(text: str) -> str:
    """NFC + collapsed whitespace + canonical tone placement (case kept)."""
    text = collapse(nfc(text))
    return _WORD.sub(lambda m: _canon_word(m.group(0)), text)


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """A comparison key: canonical, case-folded."""
    return canon(text).casefold()


def fold_accents(text: str) -> str:
    """A search key that ignores case and accents: "Sở Xây dựng" and "so xay dung" give the
    same key (đ read as d). For finding a unit by what a clerk types, never for output."""
    text = unicodedata.normalize("NFD", nfc(text).casefold().replace("đ", "d"))
    return collapse("".join(c for c in text if not unicodedata.combining(c)))


# --- comparison key (evaluation) ---------------------------------------------------------
_TONES = "\u0300\u0301\u0303\u0309\u0323"  # grave, acute, tilde, hook above, dot below
# Open syllables ending in oa / oe / uy (not "quy"): the tone may sit on either vowel.
# Canonical form (after NFD + casefold): tone on the first vowel, as in "hòa", "ủy".
# The look-ahead refuses a following letter or mark, so "hoàn", "hoặc", "khuyến" and
# "ngoài" (whose tone never moves) are left alone.
_END = r"(?![\w\u0300-\u036f])"
_TONE_PLACEMENT = re.compile(rf"(o)([{_TONES}]?)([ae])([{_TONES}]?){_END}|((?<!q)u)([{_TONES}]?)(y)([{_TONES}]?){_END}")
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"))


def _tone_on_first_vowel(m: re.Match[str]) -> str:
    v1, t1, v2, t2 = (m.group(1), m.group(2), m.group(3), m.group(4))
    if v1 is None:
        v1, t1, v2, t2 = (m.group(5), m.group(6), m.group(7), m.group(8))
    if t1 and t2:
        return m.group(0)
    return f"{v1}{t1 or t2}{v2}"


def move_tones(text: str) -> str:
    """The tone of an open oa / oe / uy syllable on its first vowel ("hoà" -> "hòa", "uỷ" -> "ủy"),
    by rule alone (no model); ``text`` is NFD and case-folded, and stays NFD."""
    return _TONE_PLACEMENT.sub(_tone_on_first_vowel, text)


def compare_key(value: object) -> str | None:
    """A key to compare a printed value with the truth (evaluation): NFC, Ð read as Đ, invisible
    characters dropped, case-folded, tones placed by rule, whitespace collapsed; ``None`` stays
    ``None``. Unlike :func:`fold` it needs no language model, so every run compares alike."""
    if value is None:
        return None
    text = str(value).replace("\u00d0", "Đ").translate(_INVISIBLE)
    text = unicodedata.normalize("NFC", text).casefold()
    text = move_tones(unicodedata.normalize("NFD", text))
    return " ".join(unicodedata.normalize("NFC", text).split())
