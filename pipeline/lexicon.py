"""Vietnamese syllable lexicon for OCR correction, from underthesea's word list
(``Viet74K.txt``, shipped inside the underthesea package: nothing is downloaded).

Tesseract's commonest errors on Vietnamese are in the diacritics: ``buỗi`` for
``buổi``, ``tỉnh thần`` for ``tinh thần``, ``chuyên hóa`` for ``chuyển hóa``. Each of
these has the right letters and wrong marks. A syllable that does not exist, or a
pair of syllables that forms no word while a variant with other marks does, is
replaced by the variant the dictionary supports.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from functools import lru_cache
from importlib import resources

_TONES = {"\u0300": 1, "\u0301": 2, "\u0309": 3, "\u0303": 4, "\u0323": 5}
_TONE_CHARS = {v: k for k, v in _TONES.items()}
_WORD = re.compile(r"^(?P<pre>\W*)(?P<core>[^\W\d_]+)(?P<post>\W*)$")


@lru_cache(maxsize=65536)
def syllable_key(s: str) -> tuple[str, int]:
    """(letters with their vowel marks, tone) of a lower-case syllable: ``hoá`` and
    ``hóa`` (old and new tone placement) have the same key."""
    tone = 0
    base = []
    for ch in unicodedata.normalize("NFD", s):
        if ch in _TONES:
            tone = _TONES[ch]
        else:
            base.append(ch)
    return unicodedata.normalize("NFC", "".join(base)), tone


def bare(s: str) -> str:
    d = unicodedata.normalize("NFD", s)
    return "".join(ch for ch in d if not unicodedata.combining(ch)).replace("đ", "d")


def render(key: tuple[str, int]) -> str:
    """The syllable written with its tone on the vowel modern spelling puts it on."""
    base, tone = key
    if not tone:
        return base
    idx = _tone_position(base)
    if idx is None:
        return base
    nfd = unicodedata.normalize("NFD", base[idx]) + _TONE_CHARS[tone]
    return unicodedata.normalize("NFC", base[:idx] + nfd + base[idx + 1:])


def _tone_position(base: str) -> int | None:
    vowels = [i for i, ch in enumerate(base) if bare(ch) in "aeiouy"]
    if base.startswith(("qu", "gi")) and len(vowels) > 1:
        vowels = vowels[1:]
    if not vowels:
        return None
    for i in vowels:  # a vowel with a shape mark takes the tone (ơ, ư, â, ê, ô, ă)
        if base[i] in "ăâêôơư":
            if base[i] == "ư" and i + 1 < len(base) and base[i + 1] == "ơ":
                return i + 1
            return i
    if len(vowels) == 1:
        return vowels[0]
    # two or three vowels: on the second if a consonant follows, else on the first
    last = vowels[-1]
    if last + 1 < len(base):
        return vowels[-1] if len(vowels) >= 2 else vowels[0]
    return vowels[-2] if len(vowels) >= 2 else vowels[0]


class Lexicon:
    def __init__(self, words: list[str]) -> None:
        self.freq: Counter[tuple[str, int]] = Counter()
        self.pairs: set[tuple[tuple[str, int], tuple[str, int]]] = set()
        for w in words:
            sylls = w.lower().split()
            keys = [syllable_key(s) for s in sylls if s.isalpha()]
            if len(keys) != len(sylls):
                continue
            self.freq.update(keys)
            for a, b in zip(keys, keys[1:]):
                self.pairs.add((a, b))
        self.by_bare: dict[str, list[tuple[str, int]]] = {}
        for k in self.freq:
            self.by_bare.setdefault(bare(k[0]), []).append(k)

    def known(self, key: tuple[str, int]) -> bool:
        return key in self.freq

    def pair(self, a: tuple[str, int] | None, b: tuple[str, int] | None) -> bool:
        return a is not None and b is not None and (a, b) in self.pairs


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    text = resources.files("underthesea").joinpath("corpus/data/Viet74K.txt").read_text("utf-8")
    return Lexicon(unicodedata.normalize("NFC", text).splitlines())


def _case_as(model: str, word: str) -> str:
    if model.isupper() and len(model) > 1:
        return word.upper()
    if model[:1].isupper():
        return word[:1].upper() + word[1:]
    return word


def fix_syllables(texts: list[str]) -> list[str]:
    """One OCR line's words with impossible syllables and mark-swapped word pairs fixed."""
    lex = lexicon()
    parts = [_WORD.match(t) for t in texts]
    keys = [syllable_key(m.group("core").lower()) if m else None for m in parts]
    out = list(texts)
    for i, m in enumerate(parts):
        if m is None:
            continue
        core = m.group("core")
        key = keys[i]
        prev = keys[i - 1] if i > 0 and not (parts[i - 1] and parts[i - 1].group("post")) else None
        nxt = keys[i + 1] if i + 1 < len(keys) and not m.group("post") else None
        known = lex.known(key)
        if known and (lex.pair(prev, key) or lex.pair(key, nxt)):
            continue
        if core[:1].isupper() and (known or not core.isupper()):
            continue  # a proper name or a capitalised header word may be any real syllable
        cands = [c for c in lex.by_bare.get(bare(key[0]), ()) if c != key]
        if not known:
            # an impossible syllable: first try the ones that differ only in the tone
            same_base = [c for c in cands if c[0] == key[0]]
            cands = same_base or cands
        else:
            # a capitalised neighbour (a name, a title) says nothing about this word
            prev = prev if i > 0 and not _titled(parts[i - 1]) else None
            nxt = nxt if i + 1 < len(parts) and not _titled(parts[i + 1]) else None
            # ... nor does one already bound in a word with its other neighbour
            # ("địa bàn tỉnh" must not become "bàn tính")
            if prev is not None and i > 1 and lex.pair(keys[i - 2], prev):
                prev = None
            if nxt is not None and i + 2 < len(keys) and lex.pair(nxt, keys[i + 2]):
                nxt = None
        if not cands:
            continue

        def score(c: tuple[str, int]) -> tuple[int, int]:
            return (2 * lex.pair(prev, c) + 2 * lex.pair(c, nxt), lex.freq[c])

        best = max(cands, key=score)
        support = score(best)[0]
        # Tesseract's commonest mark error on Vietnamese: the hook above read as an acute
        # (để → đế, Cổng → Cống, kiểm → kiếm, thẩm → thấm). Undoing it needs only the
        # word it makes, not a frequency margin.
        hook = known and key[1] == 2 and best == (key[0], 3)
        if known and (support == 0 or (lex.freq[best] < 2 * lex.freq[key] and not hook)):
            # a real syllable is only changed when the change makes a word, and only
            # into a much commoner one ("có gì" stays, though "cớ gì" is a word)
            continue
        if not known and support == 0 and _ambiguous(cands, lex):
            continue
        keys[i] = best
        out[i] = m.group("pre") + _case_as(core, _retone(core.lower(), key, best)) + m.group("post")
    return out


def _titled(m) -> bool:
    core = m.group("core") if m else ""
    return core[:1].isupper() and not core.isupper()


def _retone(orig: str, old: tuple[str, int], new: tuple[str, int]) -> str:
    """``new`` written with its tone where ``orig`` had one (keeps the letter's own
    placement style: ``xoá`` stays old-style, ``hóa`` new-style)."""
    if old[1] and new[1] and old[0] == new[0]:
        nfd = unicodedata.normalize("NFD", orig).replace(_TONE_CHARS[old[1]], _TONE_CHARS[new[1]])
        return unicodedata.normalize("NFC", nfd)
    return render(new)


def _ambiguous(cands: list[tuple[str, int]], lex: Lexicon) -> bool:
    """True when no variant clearly dominates (the top one is under 3x the next)."""
    f = sorted((lex.freq[c] for c in cands), reverse=True)
    return len(f) > 1 and f[0] < 3 * f[1]
