"""Syllable correction of one OCR line by the lexicon (``lexicon``).

Tesseract's commonest errors on Vietnamese are in the diacritics: ``buỗi`` for
``buổi``, ``tỉnh thần`` for ``tinh thần``, ``chuyên hóa`` for ``chuyển hóa``. Each of
these has the right letters and wrong marks. A syllable that does not exist, or a
pair of syllables that forms no word while a variant with other marks does, is
replaced by the variant the dictionary supports.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection

from vanthu.pipeline.ocr.lexicon import TONE_CHARS, Lexicon, bare, lexicon, render, syllable_key

#: how much commoner in running text the hook-above spelling of a syllable must be for
#: an acute with no neighbour to vouch for it to be read as a misread hook
_HOOK_MARGIN = 20
_WORD = re.compile(r"^(?P<pre>\W*)(?P<core>[^\W\d_]+)(?P<post>\W*)$")

Key = tuple[str, int]


def _case_as(model: str, word: str) -> str:
    if model.isupper() and len(model) > 1:
        return word.upper()
    if model[:1].isupper():
        return word[:1].upper() + word[1:]
    return word


def fix_syllables(texts: list[str], keep: Collection[int]) -> list[str]:
    """One OCR line's words with impossible syllables and mark-swapped word pairs fixed.
    Words at the indices in ``keep`` (a phrase the vocabulary knows: "TỈNH LẠNG SƠN",
    ``postcorrect.phrase_indices``) are not touched."""
    lex = lexicon()
    texts = [_unhyphen(t, lex) if i not in keep else t for i, t in enumerate(texts)]
    parts = [_WORD.match(t) for t in texts]
    keys = [syllable_key(m.group("core").lower()) if m else None for m in parts]
    out = list(texts)
    for i, m in enumerate(parts):
        key = keys[i]  # (None exactly where the word is no syllable: ``m`` is None)
        if m is None or key is None or i in keep:
            continue
        core = m.group("core")
        if not lex.known(key) or _two_tones(core):
            single = _one_mark_less(core, keys, i, lex)
            if single is not None:
                keys[i] = syllable_key(single.lower())
                out[i] = m.group("pre") + single + m.group("post")
                continue
            glued = _unglue(core, lex)
            if glued:
                out[i] = m.group("pre") + glued + m.group("post")
                continue
        best = _better_syllable(parts, keys, i, lex)
        if best is not None:
            keys[i] = best
            out[i] = m.group("pre") + _case_as(core, _retone(core.lower(), key, best)) + m.group("post")
    for i in range(len(parts) - 1):
        pair = _both_marks_misread(parts, keys, i, keep, lex)
        if pair is not None:
            for j, new_key in zip((i, i + 1), pair):
                pm = parts[j]
                assert pm is not None  # (_both_marks_misread answers only for two syllables)
                keys[j] = new_key
                out[j] = pm.group("pre") + _case_as(pm.group("core"), render(new_key)) + pm.group("post")
    return out


def _both_marks_misread(parts: list, keys: list, i: int, keep: Collection[int], lex: Lexicon) -> tuple[Key, Key] | None:
    """Two neighbours in capitals that make no word, each misread in its marks ("VÀ MỖI
    TRƯƠNG" for "VÀ MÔI TRƯỜNG"): the one dictionary word their letters make with other
    marks on both, when neither is bound in a word with its other neighbour. None otherwise."""
    a, b = keys[i], keys[i + 1]
    ma, mb = parts[i], parts[i + 1]
    if a is None or b is None or i in keep or i + 1 in keep or ma.group("post") or mb.group("pre"):
        return None
    ca, cb = ma.group("core"), mb.group("core")
    # (in capitals only: a header or a title; in running text the pair is too often a
    # rare word the dictionary lacks, and a change of both its syllables too bold)
    capitals = ca.isupper() and cb.isupper()
    if not capitals or min(len(ca), len(cb)) < 2 or not (lex.known(a) and lex.known(b)):
        return None
    if lex.pair(a, b) or lex.seen(a, b):
        return None
    prev = keys[i - 1] if i > 0 and parts[i - 1] and not parts[i - 1].group("post") else None
    nxt = keys[i + 2] if i + 2 < len(keys) and not mb.group("post") else None
    if lex.pair(prev, a) or lex.seen(prev, a) or lex.pair(b, nxt) or lex.seen(b, nxt):
        return None
    found = [
        (x, y)
        for x in lex.by_bare.get(bare(a[0]), ())
        if x != a
        for y in lex.by_bare.get(bare(b[0]), ())
        if y != b and lex.pair(x, y)
    ]
    return found[0] if len(found) == 1 else None


_HYPHENED = re.compile(r"^(?P<pre>\W*)(?P<a>[^\W\d_]+)-(?P<b>[^\W\d_]+)(?P<post>\W*)$")


def _unhyphen(text: str, lex: Lexicon) -> str:
    """A speck read as a hyphen between the two syllables of a word whose second is in
    lower case ("công-tác", "Xây-dựng" → "công tác", "Xây dựng"): Vietnamese joins no
    word's syllables by a hyphen (names in capitals keep theirs: "Rịa-Vũng")."""
    m = _HYPHENED.match(text)
    if not m or not (m.group("a")[1:].islower() and m.group("b").islower()):
        return text
    if not lex.pair(syllable_key(m.group("a").lower()), syllable_key(m.group("b"))):
        return text
    return f"{m.group('pre')}{m.group('a')} {m.group('b')}{m.group('post')}"


def _better_syllable(parts: list, keys: list, i: int, lex: Lexicon) -> Key | None:
    """The syllable word ``i`` should be (its key), or None when it stays as read."""
    m, key = parts[i], keys[i]
    known = lex.known(key)
    prev = keys[i - 1] if i > 0 and not (parts[i - 1] and parts[i - 1].group("post")) else None
    nxt = keys[i + 1] if i + 1 < len(keys) and not m.group("post") else None
    if _stays(parts, keys, i, lex, prev, nxt):
        return None
    cands = [c for c in lex.by_bare.get(bare(key[0]), ()) if c != key]
    if not known:
        # an impossible syllable: first try the ones that differ only in the tone
        same_base = [c for c in cands if c[0] == key[0]]
        cands = same_base or cands
    else:
        prev, nxt = _vouching_neighbours(parts, keys, i, lex, prev, nxt)
    if not cands:
        return None
    return _choose(cands, key, known, prev, nxt, lex)


def _stays(parts: list, keys: list, i: int, lex: Lexicon, prev: Key | None, nxt: Key | None) -> bool:
    """Word ``i`` is right as read: it makes a word with a neighbour, is written so in
    real text, or is a capitalised name."""
    key, core = keys[i], parts[i].group("core")
    known = lex.known(key)
    # a neighbour already bound in a word with its other neighbour ("TRIỂN KHAI") does
    # not bind this one too ("KHAI THỊ" is a word, but not in "TRIỂN KHAI THỊ HÀNH")
    free_prev = None if prev is not None and i > 1 and lex.pair(keys[i - 2], prev) else prev
    free_nxt = None if nxt is not None and i + 2 < len(keys) and lex.pair(nxt, keys[i + 2]) else nxt
    if known and (lex.pair(free_prev, key) or lex.pair(key, free_nxt) or lex.seen(prev, key) or lex.seen(key, nxt)):
        return True  # a word, or written that way in real text ("cấp tỉnh")
    if known and (lex.pair(prev, key) or lex.pair(key, nxt)) and not _in_capitals(parts, i):
        return True
    # a proper name or a capitalised header word may be any real syllable
    return (
        core[:1].isupper()
        and (known or not core.isupper())
        and not _in_capitals(parts, i)
        and not _lower_neighbour_says_tone(parts, keys, i, lex)
        and not _hook_makes_word(parts, keys, i, lex)
    )


def _hook_makes_word(parts: list, keys: list, i: int, lex: Lexicon) -> bool:
    """A capitalised syllable read with an acute that makes no word with the next one, while
    its hooked spelling does ("Tống Bí thư", "Tống cục": the hook read as an acute, the
    commonest misread; a surname "Tống" makes no word with the name after it)."""
    if i + 1 >= len(parts) or not parts[i + 1] or parts[i].group("post"):
        return False
    key, nxt = keys[i], keys[i + 1]
    if key[1] != 2 or lex.pair(key, nxt) or lex.seen(key, nxt):
        return False
    return lex.known((key[0], 3)) and lex.pair((key[0], 3), nxt)


def _vouching_neighbours(
    parts: list, keys: list, i: int, lex: Lexicon, prev: Key | None, nxt: Key | None
) -> tuple[Key | None, Key | None]:
    """The neighbours whose words may vouch for a change of a real syllable."""
    # a capitalised neighbour (a name, a title) says nothing about this word, but
    # for the second syllable of a word in a name ("Truyền hỉnh" → "Truyền hình")
    prev = prev if i > 0 and (not _titled(parts[i - 1]) or _upper_neighbour_says_tone(parts, keys, i, lex)) else None
    nxt = nxt if i + 1 < len(parts) and not _titled(parts[i + 1]) else None
    # ... nor does one already bound in a word with its other neighbour
    # ("địa bàn tỉnh" must not become "bàn tính")
    if prev is not None and i > 1 and lex.pair(keys[i - 2], prev):
        prev = None
    if nxt is not None and i + 2 < len(keys) and lex.pair(nxt, keys[i + 2]):
        nxt = None
    return prev, nxt


def _choose(cands: list[Key], key: Key, known: bool, prev: Key | None, nxt: Key | None, lex: Lexicon) -> Key | None:
    """The candidate the neighbours and the frequencies support, or None."""

    def score(c: Key) -> tuple[int, int, int]:
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
    # a change into a word that real text writes beside the same neighbour ("tiếp tức" →
    # "tiếp tục"; the read pair is neither a word nor written, or it would have stayed)
    written = (lex.pair(prev, best) and lex.seen(prev, best)) or (lex.pair(best, nxt) and lex.seen(best, nxt))
    if known and support == 0:
        # no neighbour to ask: an acute or a tilde on a syllable that running text
        # nearly always writes with the hook ("(đế báo cáo)", "(đẽ b/c)" → "(để …)")
        # (the hat may be lost with it: "đẽ" is "để")
        hooked = max(
            (c for c in lex.by_bare.get(bare(key[0]), ()) if c[1] == 3),
            key=lambda c: (lex.uses[c], c[0] == key[0]),
            default=(key[0], 3),
        )
        if key[1] not in (2, 4) or lex.uses[hooked] < _HOOK_MARGIN * max(1, lex.uses[key]):
            return None  # (an acute or a tilde: the marks a small hook is misread as)
        return hooked
    if known and lex.freq[best] < 2 * lex.freq[key] and not (hook or written):
        # a real syllable is only changed when the change makes a word, and only
        # into a much commoner one ("có gì" stays, though "cớ gì" is a word), or a
        # change into a word real text writes ("THỊ HÀNH" → "THI HÀNH", "tiếp tức" → "tiếp tục")
        return None
    if not known and support == 0 and _ambiguous(cands, lex):
        return None
    return best


def _two_tones(core: str) -> bool:
    return sum(ch in _TONE_MARKS for ch in unicodedata.normalize("NFD", core)) == 2


_TONE_MARKS = frozenset(TONE_CHARS.values())


def _one_mark_less(core: str, keys: list, i: int, lex: Lexicon) -> str | None:
    """A syllable the scan read with one mark too many: a vowel twice, with its marks
    ("MIÊỀN" → "MIỀN", "BỔỐ SUNG" → "BỔ SUNG", "TRIẾỂN" → "TRIỂN"), or two tones
    ("Phứớc" → "Phước"). The variants with one vowel or one tone less that are real
    syllables compete: one that keeps a tone (the scan saw one), then one that makes a
    word with a neighbour, then the commoner. None when no variant is a syllable."""
    nfd = unicodedata.normalize("NFD", core)
    tones = [k for k, ch in enumerate(nfd) if ch in _TONE_MARKS]
    variants: list[str] = []
    if len(tones) == 2:
        variants += [unicodedata.normalize("NFC", nfd[:k] + nfd[k + 1 :]) for k in tones]
    for k in range(len(core) - 1):
        if bare(core[k]).lower() in "aeiouy" and bare(core[k]).lower() == bare(core[k + 1]).lower():
            variants += [core[:k] + core[k + 1 :], core[: k + 1] + core[k + 2 :]]
    real = [(v, syllable_key(v.lower())) for v in dict.fromkeys(variants)]
    real = [(v, c) for v, c in real if lex.known(c)]
    if not real:
        return None
    prev = keys[i - 1] if i > 0 else None
    nxt = keys[i + 1] if i + 1 < len(keys) else None

    def score(vc: tuple[str, Key]) -> tuple[bool, bool, int]:
        c = vc[1]
        return (c[1] != 0, bool(lex.pair(prev, c) or lex.pair(c, nxt)), lex.freq[c])

    return max(real, key=score)[0]


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
    if i + 1 >= len(parts) or not parts[i + 1] or not parts[i + 1].group("core").islower() or parts[i].group("post"):
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
        nfd = unicodedata.normalize("NFD", orig).replace(TONE_CHARS[old[1]], TONE_CHARS[new[1]])
        return unicodedata.normalize("NFC", nfd)
    return render(new)


def _ambiguous(cands: list[tuple[str, int]], lex: Lexicon) -> bool:
    """True when no variant clearly dominates (the top one is under 3x the next)."""
    f = sorted((lex.freq[c] for c in cands), reverse=True)
    return len(f) > 1 and f[0] < 3 * f[1]
