"""OCR post-correction from data (``pipeline/rules/data/ocr_fixes.json``).

Applied to Tesseract's words before line assembly, so the parsers see corrected text:
character substitutions (Ð → Đ), whole-word misreads (``Sô:`` → ``Số:``, ``VIv`` →
``V/v``), line rules with context (``nắm 2024`` → ``năm 2024``) and vocabulary-guided
accents: a run of words equal to a fixed phrase of the Decree 30 layout (a type name,
a province, ``ỦY BAN NHÂN DÂN``…) once diacritics are removed takes the phrase's
accents (``THÔNG BẢO`` → ``THÔNG BÁO``, ``UY BẠN NHÂN DẪN`` → ``ỦY BAN NHÂN DÂN``).
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Sequence
from functools import lru_cache
from importlib import resources

from vanthu.models.document import Word
from vanthu.pipeline.ocr.lexicon import lexicon, syllable_key
from vanthu.pipeline.ocr.syllables import fix_syllables

#: how far below a line (in its heights) the next line may start and still be the line
#: its text runs on into, for the syllable correction's neighbours
MAX_RUN_ON_GAP = 1.0
_INNER = "\u2063"  # INVISIBLE SEPARATOR: not whitespace to str.split() nor to a regex's \s


def strip_marks(text: str) -> str:
    """Letters without diacritics, case-folded (đ → d)."""
    decomposed = unicodedata.normalize("NFD", text)
    base = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return base.replace("đ", "d").replace("Đ", "D").casefold()


class Fixes:
    def __init__(
        self, data: dict, type_names: Sequence[str], type_abbrs: Sequence[str] = (), officials: Sequence[str] = ()
    ) -> None:
        self.chars = str.maketrans(data["chars"])
        self.words: dict[str, str] = data["words"]
        self.symbol_parts = set(data.get("symbol_parts", [])) | set(type_abbrs)
        self.symbol_lookalikes: dict[str, str] = data.get("symbol_lookalikes", {})
        # surnames that differ only in their marks ("Trịnh", "Trình"): the commoner one,
        # listed first, is the guess for a misread; either is kept as read (``fix_surname``)
        self.surnames: dict[str, str] = {}
        for n in data.get("surnames", []):
            self.surnames.setdefault(strip_marks(n), n)
        self.surname_set = frozenset(data.get("surnames", []))
        self.line_rules = [(re.compile(p), r) for p, r in data["line_rules"]]
        self.word_rules = [(re.compile(p), r) for p, r in data.get("word_rules", [])]
        phrases = list(data["phrases"]) + [t.upper() for t in type_names]
        phrases += [f"TỈNH {p.upper()}" for p in data["provinces"]] + [f"tỉnh {p}" for p in data["provinces"]]
        phrases += list(data["provinces"])
        # (titles of two words or more: "TRƯỞNG" alone would turn "MÔI TRƯỜNG" into "MÔI TRƯỞNG")
        phrases += [t.upper() for t in officials if len(t.split()) > 1] + [t for t in officials if len(t.split()) > 1]
        # index by the stripped first token; longest phrases first
        self.phrases: dict[str, list[tuple[list[str], list[str]]]] = {}
        for ph in sorted(dict.fromkeys(phrases), key=lambda s: -len(s.split())):  # stable: first spelling wins
            toks = ph.split()
            self.phrases.setdefault(strip_marks(toks[0]), []).append(([strip_marks(t) for t in toks], toks))
        # the same phrases by their second word, for a first word misread ("GHỦ TỊCH")
        self.by_second: dict[str, list[tuple[list[str], list[str]]]] = {}
        for entries in self.phrases.values():
            for keys, toks in entries:
                if len(keys) > 1:
                    self.by_second.setdefault(keys[1], []).append((keys, toks))


@lru_cache(maxsize=1)
def fixes() -> Fixes:
    data = json.loads(resources.files("vanthu.pipeline.rules").joinpath("data/ocr_fixes.json").read_text("utf-8"))
    types = json.loads(resources.files("vanthu.pipeline.rules").joinpath("data/doc_types.json").read_text("utf-8"))
    units = json.loads(resources.files("vanthu.pipeline.rules").joinpath("data/units.json").read_text("utf-8"))
    return Fixes(
        data,
        [t["name"] for t in types["types"] if t.get("title")],
        [a for t in types["types"] for a in t.get("abbr", [])],
        units.get("officials", []),
    )


def _case_like(model: str, target: str) -> str:
    """``target``'s letters in ``model``'s case pattern (UPPER, Title or lower)."""
    if model.isupper() and len(model) > 1:
        return target.upper()
    if target.isupper() and len(target) > 1:
        target = target.lower()
    if model[:1].isupper():
        return target[:1].upper() + target[1:]
    return target[:1].lower() + target[1:]


def _same_line(a: Word, b: Word) -> bool:
    return min(a.y1, b.y1) - max(a.y0, b.y0) > 0.3 * min(a.y1 - a.y0, b.y1 - b.y0) and b.x0 >= a.x0


def _lines(words: list[Word]) -> list[list[Word]]:
    """Words grouped by the OCR engine's lines (by geometry when it gave none)."""
    out: list[list[Word]] = []
    for w in words:
        prev = out[-1][-1] if out else None
        same = prev is not None and (
            prev.line == w.line if w.line is not None and prev.line is not None else _same_line(prev, w)
        )
        if same:
            out[-1].append(w)
        else:
            out.append([w])
    return out


def _runs_on(line: list[Word], nxt: list[Word]) -> bool:
    """``nxt`` is the line the text of ``line`` runs on into: just below it, overlapping
    it across, with nothing ending ``line`` (a full stop, a colon, a semicolon)."""
    a0, a1 = min(w.x0 for w in line), max(w.x1 for w in line)
    b0, b1 = min(w.x0 for w in nxt), max(w.x1 for w in nxt)
    top, bottom = min(w.y0 for w in line), max(w.y1 for w in line)
    height = max(bottom - top, 1e-6)
    gap = min(w.y0 for w in nxt) - bottom
    overlap = min(a1, b1) - max(a0, b0)
    ends = line[-1].text.rstrip()[-1:] in {".", ":", ";", "!", "?"}
    return not ends and -0.3 * height <= gap <= MAX_RUN_ON_GAP * height and overlap > 0.5 * min(a1 - a0, b1 - b0)


def _plain(text: str, fx: Fixes) -> str:
    """One word with the whole-word misreads, the characters and the word rules fixed."""
    text = fx.words.get(text, text).translate(fx.chars)
    for pattern, repl in fx.word_rules:
        text = pattern.sub(repl, text)
    return text


def _fix_phrases(texts: list[str], fx: Fixes) -> list[str]:
    texts = list(texts)
    stripped = [strip_marks(t) for t in texts]
    i = 0
    while i < len(texts):
        found = None
        # already one of the spellings the vocabulary knows ("THỨ TRƯỞNG" and "THỦ
        # TRƯỞNG" read alike without their marks): nothing to correct
        for _keys, toks in fx.phrases.get(stripped[i], ()):
            span = texts[i : i + len(toks)]
            if [t.casefold() for t in span] == [t.casefold() for t in toks]:
                found = toks
                break
        if found:
            i += len(found)
            continue
        for exact in (True, False):  # an exact phrase beats a one-letter-off one
            pool = fx.phrases.get(stripped[i], [])
            if not exact and i + 1 < len(texts):
                pool = pool + [e for e in fx.by_second.get(stripped[i + 1], ()) if e[0][0] != stripped[i]]
            for keys, toks in pool:
                n = len(keys)
                got, span = stripped[i : i + n], texts[i : i + n]
                if got and got[-1] != keys[-1] and got[-1].rstrip(",;.") == keys[-1]:
                    # the phrase runs into a list: "TT Tinh ủy, TT HĐND tỉnh"
                    got = got[:-1] + [keys[-1]]
                    span = span[:-1] + [span[-1].rstrip(",;.")]
                if (got != keys) if exact else not _near(got, keys, span):
                    continue
                if n == 1 and not (texts[i].isupper() and len(keys[0]) >= 3 and toks[0].isupper()):
                    continue  # one word: only capitals (a header word), and only when long enough
                found = toks
                break
            if found:
                break
        if found:
            for k, tok in enumerate(found):
                word = texts[i + k]
                last = k == len(found) - 1 and not tok.endswith((",", ";", "."))
                tail = word[len(word.rstrip(",;.")) :] if last else ""
                texts[i + k] = _case_like(word[: len(word) - len(tail)], tok) + tail
            i += len(found)
        else:
            i += 1
    return texts


def phrase_indices(texts: list[str]) -> set[int]:
    """Indices of the words that spell a phrase of two words or more of the vocabulary
    exactly (case aside): right by definition, so no later guess may change them."""
    fx = fixes()
    stripped = [strip_marks(t) for t in texts]
    folded = [t.casefold().strip(".,;:") for t in texts]
    out: set[int] = set()
    for i in range(len(texts)):
        for _keys, toks in fx.phrases.get(stripped[i], ()):
            # (two words or more: "QUẬN" alone says nothing of "QUẬN LÝ")
            if len(toks) > 1 and folded[i : i + len(toks)] == [t.casefold() for t in toks]:
                out.update(range(i, i + len(toks)))
                break
    return out


def one_edit(a: str, b: str) -> bool:
    """True when ``a`` and ``b`` differ by one inserted, deleted or replaced letter."""
    if abs(len(a) - len(b)) > 1 or a == b:
        return False
    if len(a) > len(b):
        a, b = b, a
    for k in range(len(a)):
        if a[k] != b[k]:
            return a[k + (len(a) == len(b)) :] == b[k + 1 :]
    return True


def _near(got: list[str], keys: list[str], texts: list[str]) -> bool:
    """A phrase in capitals of two or more words with one letter misread in one word
    (``PHÓ CHỦ TIC`` → ``PHÓ CHỦ TỊCH``)."""
    if len(got) != len(keys) or len(keys) < 2 or not all(t.isupper() for t in texts):
        return False
    diff = [(g, k, t) for g, k, t in zip(got, keys, texts) if g != k]
    if len(diff) != 1 or min(len(diff[0][0]), len(diff[0][1])) < 3 or not one_edit(diff[0][0], diff[0][1]):
        return False
    # only a word that cannot be Vietnamese ("TIC"): "CHI BỘ TRONG" is no "BỘ TRƯỞNG"
    return not lexicon().known(syllable_key(diff[0][2].lower().strip(".,;:")))


def _titled(t: str) -> bool:
    return t[:1].isupper() and not t.isupper() and t.isalpha()


def fix_surname(word: str) -> str:
    """A surname a scan misread by its marks (``Nguyên`` → ``Nguyễn``), or by one letter
    when the word is no syllable (``Nguyêu`` → ``Nguyễn``); a word already spelt as one of
    the surnames stays ("Trình" and "Trịnh" are both surnames)."""
    fx = fixes()
    if word in fx.surname_set:
        return word
    bare = strip_marks(word)
    if bare in fx.surnames:
        return fx.surnames[bare]
    # no syllable at all, one letter from a single surname ("Nguyêu", "Phùug", "Tểân")
    if len(bare) < 3 or lexicon().known(syllable_key(word.lower())):
        return word
    near = {s for b, s in fx.surnames.items() if one_edit(bare, b)}
    return near.pop() if len(near) == 1 else word


def _fix_surnames(texts: list[str], fx: Fixes) -> list[str]:
    """A personal name (two or more title-case words) whose first word is a misread
    surname: ``Nguyên Hoàng Giang`` → ``Nguyễn Hoàng Giang``."""
    out = list(texts)
    # only a line that is a name (two to five words, all letters): "Quảng Ngãi, ngày …"
    # must keep "Quảng" though "Quang" is a surname
    if not 2 <= len(texts) <= 5 or not all(x.isalpha() for x in texts):
        return out
    for i, t in enumerate(texts):
        if not _titled(t) or i + 1 >= len(texts) or not _titled(texts[i + 1]):
            continue
        if i > 0 and _titled(texts[i - 1]):
            continue  # inside a name or a proper noun, not its start
        out[i] = fix_surname(t)
    # a name whose surname lost its first letter to a signature stroke: "rần Ngọc Căng"
    first = out[0]
    if 3 <= len(out) <= 5 and first.islower() and all(_titled(x) for x in out[1:]):
        key = strip_marks(first)
        whole = [n for n in fx.surname_set if n[1:] == first]
        if len(whole) == 1:
            out[0] = whole[0]
        elif key in fx.surnames and len(key) >= 3:  # ... or read in lower case: "nguyên Hoàng Giang"
            out[0] = fx.surnames[key]
    # a short line that is a name with one word read in lower case: "Phùng thành Vinh"
    if 3 <= len(out) <= 5 and out[0] in fx.surname_set and all(x.isalpha() for x in out):
        rest = out[1:]
        if sum(_titled(x) for x in rest) * 2 >= len(rest):
            out = [out[0]] + [x[:1].upper() + x[1:] if x.islower() else x for x in rest]
    return out


def _fix_symbol_part(part: str, known: set[str]) -> str:
    if part in known or not part[:1].isupper():
        return part
    collapsed = re.sub("Đ{2,}", "Đ", part)
    if collapsed in known:
        return collapsed
    spots = [k for k, ch in enumerate(collapsed) if ch == "D"]
    for k in spots:
        cand = collapsed[:k] + "Đ" + collapsed[k + 1 :]
        if cand in known:
            return cand
    if len(spots) == 2:
        cand = collapsed.replace("D", "Đ")
        if cand in known:
            return cand
    for k, ch in enumerate(collapsed):  # "TIr" → "TTr": one letter read as its look-alike
        for alt in fixes().symbol_lookalikes.get(ch, ""):
            cand = collapsed[:k] + alt + collapsed[k + 1 :]
            if cand in known:
                return cand
    return part


def fix_symbol(text: str, known: set[str]) -> str:
    """``87/HĐĐĐND-KTNS`` → ``87/HĐND-KTNS``, ``7603/TTr-HDTĐ`` → ``7603/TTr-HĐTĐ``; also
    the tail of a symbol broken at a line end (``HDTĐ``)."""
    if "/" not in text and "-" not in text:
        m = re.match(r"^([A-ZĐ]{3,})([.,;:)]?)$", text)
        if m and ("D" in m.group(1) or "ĐĐ" in m.group(1)):
            return _fix_symbol_part(m.group(1), known) + m.group(2)
        return text
    m = re.match(r"^(.*?\d/|/)(.+?)([.,;:)]?)$", text)  # (or "/TTr-UBND" after "Số: 09 ")
    if not m:
        return text
    head, body, tail = m.groups()
    parts = re.split(r"([/\-])", body)
    return head + "".join(p if p in "/-" else _fix_symbol_part(p, known) for p in parts) + tail


def correct_words(words: list[Word]) -> list[Word]:
    """The words with OCR misreads corrected (boxes and confidences unchanged)."""
    fx = fixes()
    out: list[Word] = []
    lines = _lines(words)
    for k, line in enumerate(lines):
        texts = [_plain(w.text, fx) for w in line]
        texts = _fix_phrases(texts, fx)
        texts = _fix_surnames(texts, fx)
        # a word pair broken at the line's end ("CHÍNH SÁCH QUẬN / LÝ GIÁ"): the word
        # before and the word after, on the lines the text runs on from and into, vouch
        # for the marks as neighbours on the line do (they are read, never changed)
        before = [out[-1].text] if k and _runs_on(lines[k - 1], line) else []
        after = [_plain(lines[k + 1][0].text, fx)] if k + 1 < len(lines) and _runs_on(line, lines[k + 1]) else []
        keep = {i + len(before) for i in phrase_indices(texts)} | set(range(len(before)))
        keep |= {len(before) + len(texts)} if after else set()
        texts = fix_syllables(before + texts + after, keep)[len(before) : len(before) + len(texts)]
        texts = [fix_symbol(t, fx.symbol_parts) for t in texts]
        # a word may now hold a space (syllables the scan ran together, spaced again):
        # the line rules count words, so that space is held by a mark no rule matches
        joined = " ".join(t.replace(" ", _INNER) for t in texts)
        for pattern, repl in fx.line_rules:
            new = pattern.sub(repl, joined)
            if new != joined and len(new.split()) == len(texts):
                joined = new
        if len(joined.split()) == len(line):
            texts = joined.split()
        texts = [t.replace(_INNER, " ") for t in texts]
        out.extend(w if w.text == t else w.model_copy(update={"text": t}) for w, t in zip(line, texts))
    return out
