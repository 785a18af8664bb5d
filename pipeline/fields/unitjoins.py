"""The words of a unit name that its end-finder (``fields/unitbounds.py``) must not take
for its end: a comma inside a domain compound ("Cục Quản lý Khám, chữa bệnh", "Sở Văn hóa,
Thể thao và Du lịch") or a list of bare heads ("các Vụ, Cục thuộc Bộ Y tế"), and a noun of
a department's name that is also a verb ("Cục Kết cấu hạ tầng xây dựng tham mưu …"); with
the unit vocabulary they read."""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache, lru_cache

from vanthu.pipeline.fields.nlp import spans
from vanthu.pipeline.rules.loader import rules
from vanthu.pipeline.text.normalize import fold


@cache
def unit_vocab() -> tuple[list[str], frozenset[str]]:
    """(stop words that end a unit name in lower case, words that continue a name after a
    comma: "các sở, ngành", "UBND các phường, xã")."""
    u = rules().units
    stop = sorted({s.lower() for s in u["stop_words"]}, key=len, reverse=True)
    return stop, frozenset(u["name_continuations"])


@lru_cache(maxsize=1)
def stops_any_case() -> tuple[str, ...]:
    return tuple(s.lower() for s in rules().units.get("stop_words_any_case", ()))


@cache
def name_lower_ok() -> frozenset[str]:
    """Lower-case words a unit name may hold although tagged as verbs or adjectives."""
    return frozenset(rules().units["name_lower_ok"])


def _syllables_from(words: Sequence[tuple[str, str]], i: int, n: int) -> int:
    """How many words from ``i`` it takes to cover ``n`` syllables (0 when fewer are left)."""
    got = 0
    for k in range(i, len(words)):
        got += len(words[k][0].split())
        if got >= n:
            return k - i + 1
    return 0


@cache
def _comma_compounds() -> tuple[tuple[str, str], ...]:
    """Domain compounds printed with a comma inside ("khám, chữa bệnh"), folded, as (the part
    before the comma, the part after it)."""
    out = []
    for c in rules().units["comma_compounds"]:
        left, _, right = c.partition(",")
        out.append((fold(left.strip()), fold(right.strip())))
    return tuple(out)


def comma_inside(words: Sequence[tuple[str, str]], i: int, segment: str, idx: int, accepted: set[int]) -> bool:
    """The comma at word ``i`` is inside the name: it joins a domain compound ("Cục Quản lý
    Khám, chữa bệnh", "Sở Lao động, Thương binh và Xã hội"), or a list of bare heads after
    one quantifier ("Thủ trưởng các Vụ, Cục thuộc Bộ Y tế"). Accepts the words after it."""
    before, after = fold(segment[:idx].rstrip()), segment[idx + 1 :].lstrip()
    low_after = fold(after)
    for left, right in _comma_compounds():
        if (before == left or before.endswith(" " + left)) and re.match(re.escape(right) + r"(?!\w)", low_after):
            n = _syllables_from(words, i + 1, len(right.split()))
            accepted.update(range(i + 1, i + 1 + n))
            return n > 0
    head = _bare_head_in_list(segment[:idx].rstrip(), after)
    if head:
        n = _syllables_from(words, i + 1, len(head.split()))
        accepted.update(range(i + 1, i + 1 + n))
        return n > 0
    return False


@cache
def _bare_list_quantifier() -> re.Pattern:
    words = "|".join(re.escape(q) for q in rules().units["name_quantifiers"])
    return re.compile(r"(?:^|\s)(?:" + words + r")\s+$")


def _bare_head_in_list(before: str, after: str) -> str | None:
    """The head that opens ``after`` when it goes on a list of bare heads under one
    quantifier: "các Vụ, Cục thuộc …", "các Phòng, Ban và …" (a head with no name of its
    own, and the name before the comma a quantifier and a bare head)."""
    last = [s for s in spans(before) if s.label == "UNIT"][-1:]
    if not last or last[0].end != len(before) or not _bare_list_quantifier().search(before[: last[0].start]):
        return None
    nxt = [s for s in spans(after[:80]) if s.label == "UNIT" and s.start == 0][:1]
    if not nxt or not nxt[0].text[:1].isupper():
        return None
    rest = after[nxt[0].end :]
    if re.match(r"\s*(?:$|,|và\s|(?:trực\s+)?thuộc\s)", rest):
        return nxt[0].text
    return None


FIELD_RUN_WORDS = 3  # lower-case words of a field before its last noun: "hoạt động xây dựng"


def field_noun_run(words: Sequence[tuple[str, str]], i: int) -> int:
    """How many words from ``i`` (0 when none) close a department's name: lower-case words
    that end in a noun of names that is also a verb ("xây dựng", "quản lý"), right after the
    capitalised field that follows a unit head ("Cục Kết cấu hạ tầng | xây dựng", "Cục Quản
    lý | hoạt động xây dựng"), with a verb that takes no such noun as its object after them
    ("… tham mưu"). A level of government or a quantifier before them ("Đảng ủy các xã tổ
    chức thực hiện") is no such field."""
    f = rules().units["name_field_nouns"]
    for j in range(i, min(i + FIELD_RUN_WORDS, len(words) - 1)):
        w = words[j][0]
        if not w[:1].isalpha() or not w[:1].islower() or any(w.lower().startswith(s) for s in stops_any_case()):
            return 0
        nxt = words[j + 1][0].lower()
        if w.lower() in f["nouns"] and any(nxt == v or nxt.startswith(v + " ") for v in f["verbs_after"]):
            return j - i + 1 if _field_before(words, i) else 0
    return 0


_NOT_IN_NAMES = frozenset({"R", "P", "M", "E", "L", "T", "X"})  # adverbs, pronouns, numbers …
ROLE_RUN_WORDS = 5  # lower-case words of a name before its role verb: "vệ sinh thực phẩm tỉnh"


def run_to_role_verb(words: Sequence[tuple[str, str]], i: int) -> int:
    """How many words from ``i`` (0 when none) go on a name up to the role verb its clause
    turns on ("chủ trì", "phối hợp", "có trách nhiệm"): lower-case words that hold no stop
    word, conjunction or punctuation, after the capitalised field that follows a unit head
    ("Chi cục An toàn | vệ sinh thực phẩm tỉnh chủ trì", "Cục Y tế | dự phòng phối hợp").
    The subject of a role verb ends right before it."""
    stop, _ = unit_vocab()
    for j in range(i, min(i + ROLE_RUN_WORDS, len(words))):
        low = words[j][0].lower()
        if j > i and any(low == v or low.startswith(v + " ") for v in stops_any_case()):
            return j - i if _field_before(words, i) else 0
        if not low[:1].isalpha() or not words[j][0][:1].islower() or words[j][1] in _NOT_IN_NAMES:
            return 0  # "Sở Y tế hằng năm chủ trì": an adverb, a pronoun, a number is no name's
        if any(low == x or low.startswith(x + " ") for x in stop) and low not in name_lower_ok():
            return 0
    return 0


def _field_before(words: Sequence[tuple[str, str]], i: int) -> bool:
    """The words before ``i`` back to a unit head are a field that opens with a capital."""
    _, cont = unit_vocab()
    k = i - 1
    while k > 0 and not starts_unit(words[k][0]):
        if words[k][0].lower() in cont or words[k][0] in rules().units["name_quantifiers"]:
            return False
        k -= 1
    return k < i - 1 and words[k + 1][0][:1].isupper() and starts_unit(words[k][0])


def compound_here(words: Sequence[tuple[str, str]], i: int, segment: str, idx: int) -> int:
    """How many words from ``i`` (at ``idx`` in ``segment``; 0 when none) finish a domain
    compound with a comma inside that starts at word ``i`` or at the word before it ("Phòng
    Cảnh sát phòng | cháy, chữa cháy"): they are inside the name."""
    before = segment[:idx].rstrip()
    prev = before.rsplit(" ", 1)[-1] if before else ""
    for p in (idx, len(before) - len(prev)):
        text = fold(segment[p:])
        for left, right in _comma_compounds():
            full = re.match(re.escape(left) + r"\s*,\s*" + re.escape(right) + r"(?!\w)", text)
            if full:
                needed = len(full.group().replace(",", " , ").split()) - len(segment[p:idx].split())
                return _syllables_from(words, i, needed)
    return 0


def starts_compound(rest: str) -> bool:
    """``rest`` opens with a domain compound with a comma inside ("… và cứu nạn, cứu hộ")."""
    text = fold(rest.lstrip())
    return any(re.match(re.escape(a) + r"\s*,\s*" + re.escape(b) + r"(?!\w)", text) for a, b in _comma_compounds())


def compound_after_comma(rest: str) -> bool:
    """After a comma, one capitalised field of a compound name, not a unit of its own: "…,
    Thể thao và Du lịch", "Báo và Phát thanh, Truyền hình tỉnh", and the names that share
    the head of a list ("Bộ trưởng các Bộ: Xây dựng, Ngoại giao"). A field starts no unit,
    no official's title, no document type and no role verb."""
    text = rest.lstrip()
    if not text[:1].isupper() or starts_unit(text):
        return False
    low = text.lower()
    if any(low.startswith(s) for s in stops_any_case()):
        return False
    return not any(s.start == 0 and s.label == "DOC_TYPE" for s in spans(text[:80]))


def starts_unit(text: str) -> bool:
    text = text.lstrip()
    return any(s.start == 0 and s.label in ("UNIT", "OFFICIAL") for s in spans(text[:80]))
