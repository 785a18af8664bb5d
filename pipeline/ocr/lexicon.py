"""Vietnamese syllable lexicon for OCR correction, from underthesea's word list
(``Viet74K.txt``, shipped inside the underthesea package: nothing is downloaded).

Tesseract's commonest errors on Vietnamese are in the diacritics: ``buỗi`` for
``buổi``, ``tỉnh thần`` for ``tinh thần``, ``chuyên hóa`` for ``chuyển hóa``. Each of
these has the right letters and wrong marks. A syllable that does not exist, or a
pair of syllables that forms no word while a variant with other marks does, is
replaced by the variant the dictionary supports.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import re
import tempfile
import unicodedata
from collections import Counter
from functools import lru_cache
from importlib import resources
from pathlib import Path

_TONES = {"\u0300": 1, "\u0301": 2, "\u0309": 3, "\u0303": 4, "\u0323": 5}
_TONE_CHARS = {v: k for k, v in _TONES.items()}
#: how much commoner in running text the hook-above spelling of a syllable must be for
#: an acute with no neighbour to vouch for it to be read as a misread hook
_HOOK_MARGIN = 20
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
    def __init__(self, words: list[str], running_text: list[list[str]] = ()) -> None:
        """``words``: the dictionary (one word per line, syllables spaced); ``running_text``:
        sentences of real text as syllables, for how often a syllable and a pair of
        neighbours occur in writing (the dictionary says only what exists)."""
        self.uses: Counter[tuple[str, int]] = Counter()
        self.bigrams: Counter[tuple[tuple[str, int], tuple[str, int]]] = Counter()
        for sent in running_text:
            keys = [syllable_key(s) if s.isalpha() else None for s in (x.lower() for x in sent)]
            self.uses.update(k for k in keys if k)
            self.bigrams.update((a, b) for a, b in zip(keys, keys[1:]) if a and b)
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

    def seen(self, a: tuple[str, int] | None, b: tuple[str, int] | None) -> bool:
        """The two syllables stand side by side somewhere in the running text."""
        return a is not None and b is not None and self.bigrams[(a, b)] > 0


#: underthesea's POS tagger ships the VLSP 2013 test set it was scored on (one token per
#: line, a blank line between sentences): about 100,000 syllables of Vietnamese prose.
_RUNNING_TEXT = "pipeline/pos_tag/models/pos_crf_vlsp2013_20230303/test_output.txt"


def _running_text(raw: str) -> list[list[str]]:
    sents: list[list[str]] = [[]]
    for line in unicodedata.normalize("NFC", raw).splitlines():
        token = line.split("\t", 1)[0]
        if token:
            sents[-1].extend(token.split())
        elif sents[-1]:
            sents.append([])
    return sents


def cache_dir() -> Path:
    """Where the built lexicon is kept between runs: ``VANTHU_CACHE_DIR``, else
    ``$XDG_CACHE_HOME/vanthu``, else ``~/.cache/vanthu``."""
    named = os.environ.get("VANTHU_CACHE_DIR")
    if named:
        return Path(named)
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "vanthu"


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    """The lexicon, built from underthesea's files (0.7 s) or loaded from the cache (0.02 s).

    The cached copy is named after a hash of everything it is built from (the word list,
    the running text, this module), so a new underthesea or a change here builds it
    anew; a cache that cannot be read is rebuilt, one that cannot be written is not kept.
    """
    package = resources.files("underthesea")
    words = package.joinpath("corpus/data/Viet74K.txt").read_bytes()
    try:
        running = package.joinpath(_RUNNING_TEXT).read_bytes()
    except (FileNotFoundError, OSError):  # another underthesea version: the dictionary alone
        running = b""
    key = hashlib.sha256(b"\0".join((words, running, Path(__file__).read_bytes()))).hexdigest()[:24]
    path = cache_dir() / f"lexicon-{key}.pickle"
    try:
        with open(path, "rb") as f:
            cached = pickle.load(f)
        if isinstance(cached, Lexicon):
            return cached
    except Exception:  # noqa: BLE001 - none yet, or a damaged one: it is (re)built
        pass
    lex = Lexicon(unicodedata.normalize("NFC", words.decode("utf-8")).splitlines(),
                  _running_text(running.decode("utf-8")))
    tmp = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path.parent, prefix=".lexicon-", delete=False) as f:
            tmp = f.name
            pickle.dump(lex, f, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)  # whole or not at all, whoever writes at the same time
    except OSError:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
    return lex


def _case_as(model: str, word: str) -> str:
    if model.isupper() and len(model) > 1:
        return word.upper()
    if model[:1].isupper():
        return word[:1].upper() + word[1:]
    return word


def fix_syllables(texts: list[str], keep: set[int] | None = None) -> list[str]:
    """One OCR line's words with impossible syllables and mark-swapped word pairs fixed.
    Words at the indices in ``keep`` (a phrase the vocabulary knows: "TỈNH LẠNG SƠN")
    are not touched; by default those are found with the OCR fixes' phrase list."""
    lex = lexicon()
    if keep is None:
        from vanthu.pipeline.ocr.postcorrect import phrase_indices

        keep = phrase_indices(texts)
    parts = [_WORD.match(t) for t in texts]
    keys = [syllable_key(m.group("core").lower()) if m else None for m in parts]
    out = list(texts)
    for i, m in enumerate(parts):
        if m is None or i in keep:
            continue
        core = m.group("core")
        key = keys[i]
        known = lex.known(key)
        if not known:
            glued = _unglue(core, lex)
            if glued:
                out[i] = m.group("pre") + glued + m.group("post")
                continue
        prev = keys[i - 1] if i > 0 and not (parts[i - 1] and parts[i - 1].group("post")) else None
        nxt = keys[i + 1] if i + 1 < len(keys) and not m.group("post") else None
        # a neighbour already bound in a word with its other neighbour ("TRIỂN KHAI") does
        # not bind this one too ("KHAI THỊ" is a word, but not in "TRIỂN KHAI THỊ HÀNH")
        free_prev = None if prev is not None and i > 1 and lex.pair(keys[i - 2], prev) else prev
        free_nxt = None if nxt is not None and i + 2 < len(keys) and lex.pair(nxt, keys[i + 2]) else nxt
        if known and (lex.pair(free_prev, key) or lex.pair(key, free_nxt)
                      or lex.seen(prev, key) or lex.seen(key, nxt)):
            continue  # a word, or written that way in real text ("cấp tỉnh")
        if known and (lex.pair(prev, key) or lex.pair(key, nxt)) and not _in_capitals(parts, i):
            continue
        if core[:1].isupper() and (known or not core.isupper()) and not _in_capitals(parts, i) \
                and not _lower_neighbour_says_tone(parts, keys, i, lex):
            continue  # a proper name or a capitalised header word may be any real syllable
        cands = [c for c in lex.by_bare.get(bare(key[0]), ()) if c != key]
        if not known:
            # an impossible syllable: first try the ones that differ only in the tone
            same_base = [c for c in cands if c[0] == key[0]]
            cands = same_base or cands
        else:
            # a capitalised neighbour (a name, a title) says nothing about this word, but
            # for the second syllable of a word in a name ("Truyền hỉnh" → "Truyền hình")
            prev = prev if i > 0 and (not _titled(parts[i - 1]) or _upper_neighbour_says_tone(parts, keys, i, lex)) \
                else None
            nxt = nxt if i + 1 < len(parts) and not _titled(parts[i + 1]) else None
            # ... nor does one already bound in a word with its other neighbour
            # ("địa bàn tỉnh" must not become "bàn tính")
            if prev is not None and i > 1 and lex.pair(keys[i - 2], prev):
                prev = None
            if nxt is not None and i + 2 < len(keys) and lex.pair(nxt, keys[i + 2]):
                nxt = None
        if not cands:
            continue

        def score(c: tuple[str, int]) -> tuple[int, int, int]:
            # a word of the dictionary counts twice a pair seen in running text; then a
            # change of the tone alone (Tesseract keeps the letters' own marks better
            # than the tone: "ĐỐI MỚI" is "ĐỔI MỚI", not "ĐỜI MỚI")
            support = 2 * lex.pair(prev, c) + 2 * lex.pair(c, nxt) + lex.seen(prev, c) + lex.seen(c, nxt)
            return (support, c[0] == key[0], lex.freq[c])

        best = max(cands, key=score)
        support = 2 * lex.pair(prev, best) + 2 * lex.pair(best, nxt)  # words, not sightings
        # Tesseract's commonest mark error on Vietnamese: the hook above read as an acute
        # (để → đế, Cổng → Cống, kiểm → kiếm, thẩm → thấm). Undoing it needs only the
        # word it makes, not a frequency margin.
        hook = known and key[1] == 2 and best == (key[0], 3)
        # a change of the tone alone into a word that real text writes
        written = best[0] == key[0] and ((lex.pair(prev, best) and lex.seen(prev, best))
                                         or (lex.pair(best, nxt) and lex.seen(best, nxt)))
        if known and support == 0:
            # no neighbour to ask: an acute or a tilde on a syllable that running text
            # nearly always writes with the hook ("(đế báo cáo)", "(đẽ b/c)" → "(để …)")
            # (the hat may be lost with it: "đẽ" is "để")
            hooked = max((c for c in lex.by_bare.get(bare(key[0]), ()) if c[1] == 3),
                         key=lambda c: (lex.uses[c], c[0] == key[0]), default=(key[0], 3))
            if key[1] not in (2, 4) or lex.uses[hooked] < _HOOK_MARGIN * max(1, lex.uses[key]):
                continue  # (an acute or a tilde: the marks a small hook is misread as)
            best = hooked
        elif known and lex.freq[best] < 2 * lex.freq[key] and not (hook or written):
            # a real syllable is only changed when the change makes a word, and only
            # into a much commoner one ("có gì" stays, though "cớ gì" is a word), or a
            # change of its tone alone into a word real text writes ("THỊ HÀNH" → "THI HÀNH")
            continue
        if not known and support == 0 and _ambiguous(cands, lex):
            continue
        keys[i] = best
        out[i] = m.group("pre") + _case_as(core, _retone(core.lower(), key, best)) + m.group("post")
    return out


def _unglue(core: str, lex: Lexicon) -> str | None:
    """Two or three syllables the scan ran together ("trungtâm", "BANNHÂNDÂN",
    "Nơinhận"), spaced again when every piece is a syllable and each neighbouring pair
    is a word or is written in real text; ``None`` when no split is that sure."""
    if len(core) < 4 or len(core) > 24:
        return None
    low = core.lower()

    def ok(a: str, b: str) -> bool:
        ka, kb = syllable_key(a), syllable_key(b)
        return lex.pair(ka, kb) or lex.seen(ka, kb)

    def known(x: str) -> bool:
        # (a one-letter syllable only where Vietnamese has one: "a", "ở", "ý" …)
        return lex.known(syllable_key(x)) and (len(x) > 1 or x in "aáàảãạoóòỏõọôốồổỗộơớờởỡợyý")

    best = None
    for a in range(1, len(low)):
        left, rest = low[:a], low[a:]
        if not known(left):
            continue
        if known(rest) and ok(left, rest):
            best = best or [a]
        for b in range(1, len(rest)):
            mid, right = rest[:b], rest[b:]
            if known(mid) and known(right) and ok(left, mid) and ok(mid, right):
                best = best or [a, a + b]
    if best is None:
        return None
    cuts = [0] + best + [len(core)]
    return " ".join(core[x:y] for x, y in zip(cuts, cuts[1:]))


def _in_capitals(parts: list, i: int) -> bool:
    """A word in a run of capitals (a subject or a heading printed in capitals): its
    neighbours are capitals too, so they can vouch for its marks like lower-case ones."""
    core = parts[i].group("core")
    if not (core.isupper() and len(core) > 1):
        return False
    near = [parts[k].group("core") for k in (i - 1, i + 1) if 0 <= k < len(parts) and parts[k]]
    return bool(near) and all(c.isupper() for c in near)


def _lower_neighbour_says_tone(parts: list, keys: list, i: int, lex: Lexicon) -> bool:
    """A capitalised word of a name whose lower-case next word makes a dictionary word
    with it only once its tone is changed: "Khu Kính tế" is "Khu Kinh tế", "Truyên hình"
    is "Truyền hình" ("kính tế" is no word; a name of its own would not run on in lower case)."""
    if i + 1 >= len(parts) or not parts[i + 1] or not parts[i + 1].group("core").islower() \
            or parts[i].group("post"):
        return False
    return _retoned_pair(lex, keys[i], keys[i + 1], first=True)


def _upper_neighbour_says_tone(parts: list, keys: list, i: int, lex: Lexicon) -> bool:
    """A lower-case word after a capitalised one that makes a dictionary word with it
    only once its tone is changed ("Truyền hỉnh")."""
    if not parts[i - 1] or parts[i - 1].group("post"):
        return False
    return _retoned_pair(lex, keys[i - 1], keys[i], first=False)


def _retoned_pair(lex: Lexicon, a: tuple[str, int], b: tuple[str, int], first: bool) -> bool:
    """(a, b) is neither a dictionary word nor written in running text, but a change of
    the tone of ``a`` (``first``) or of ``b`` alone makes a pair that is both."""
    if lex.pair(a, b) or lex.seen(a, b):
        return False
    x = a if first else b
    for c in lex.by_bare.get(bare(x[0]), ()):
        if c != x and c[0] == x[0]:
            pair = (c, b) if first else (a, c)
            if lex.pair(*pair) and lex.seen(*pair):
                return True
    return False


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
