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
