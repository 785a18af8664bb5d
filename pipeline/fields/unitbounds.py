"""Where a unit name ends in running text: "Phòng Giáo dục và Đào tạo thành phố | nghiên cứu …"
ends at the first lowercase verb that is not part of the name (underthesea's word segments
and POS tags, read by the unit vocabulary ``units.json``), and the names that share one
head after a colon ("Bộ trưởng các Bộ: Xây dựng, Ngoại giao")."""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache

from vanthu.pipeline.fields.nlp import pos_tags as _pos
from vanthu.pipeline.fields.nlp import spans
from vanthu.pipeline.fields.unitjoins import comma_inside as _comma_inside
from vanthu.pipeline.fields.unitjoins import compound_after_comma as _compound_after_comma
from vanthu.pipeline.fields.unitjoins import compound_here, field_noun_run, run_to_role_verb, starts_compound
from vanthu.pipeline.fields.unitjoins import name_lower_ok as _name_lower_ok
from vanthu.pipeline.fields.unitjoins import starts_unit as _starts_unit
from vanthu.pipeline.fields.unitjoins import stops_any_case as _stops_any_case
from vanthu.pipeline.fields.unitjoins import unit_vocab as _unit_vocab
from vanthu.pipeline.ocr.lexicon import lexicon, syllable_key
from vanthu.pipeline.rules.loader import rules


@cache
def _conjunctions() -> tuple[str, ...]:
    return tuple(rules().units["conjunctions"])


@cache
def _joined_pairs() -> frozenset[tuple[str, str]]:
    """Heads joined by a conjunction into one name: "Văn phòng HĐND và UBND huyện"."""
    return frozenset((a, b) for a, b in rules().units["joined_pairs"])


@cache
def _quantifier_before() -> re.Pattern:
    """A leading quantifier ("các", "Các") that belongs to the name after it."""
    words = "|".join(re.escape(q) for q in rules().units["name_quantifiers"])
    return re.compile(r"(?:^|\s)((?:" + words + r")\s+)$")


def unit_end(text: str, start: int, head_end: int | None = None) -> int:
    """Where the unit name that starts at ``start`` ends (exclusive offset)."""
    segment = _name_segment(text[start:])
    words = _split_conjunctions(_pos(segment)) if segment.strip() else ()
    end = _name_words_end(segment, words, start, head_end)
    return start + len(segment[:end].rstrip(" ,-–"))


def _name_segment(rest: str) -> str:
    """The part of ``rest`` a name may span: up to punctuation that closes a name, or a
    dash before another unit."""
    # hard stops: punctuation that closes a name
    m = re.search(r"[;:()\[\]“”\"]|\.(?:\s|$)", rest)
    limit = m.start() if m else len(rest)
    for d in re.finditer(r"\s[-–]\s", rest[:limit]):
        after = rest[d.end() : limit]
        # "Sở Lao động - Thương binh và Xã hội", "Ngân hàng Nhà nước - Chi nhánh Quảng Ngãi":
        # a dash before a capitalised word that starts no new unit is inside the name
        branch = after.startswith(tuple(rules().units.get("branch_heads", ())))
        if not after[:1].isupper() or (_starts_unit(after) and not branch):
            limit = d.start()
            break
    return rest[:limit]


def _name_words_end(segment: str, words: Sequence[tuple[str, str]], start: int, head_end: int | None) -> int:
    """Where in ``segment`` the name ends: after the last of ``words`` (segmented and
    tagged) that is part of it."""
    pos = 0
    end = 0
    prev_word = ""
    accepted: set[int] = set()
    for i, (w, _tag) in enumerate(words):
        idx = segment.find(w, pos)
        if idx < 0 or segment[pos:idx].strip():
            # underthesea may re-place tone marks ("Ủy" -> "Uỷ"): same length, so
            # the word is the next len(w) characters after the whitespace.
            idx = pos + len(segment[pos:]) - len(segment[pos:].lstrip())
        if (head_end is not None and start + idx < head_end) or i in accepted:
            pass  # inside the vocabulary head ("Ủy ban nhân dân"), or accepted: part of the name
        elif i > 0 and _ends_before(words, i, prev_word, segment, idx, accepted):
            break
        end = idx + len(w)
        pos = end
        prev_word = w
    return end


def _ends_before(
    words: Sequence[tuple[str, str]], i: int, prev_word: str, segment: str, idx: int, accepted: set[int]
) -> bool:
    """The name ends before word ``i`` (not the first; at ``idx`` in ``segment``). May
    accept the words after it into the name (``accepted``)."""
    stop, cont = _unit_vocab()
    w, tag = words[i]
    low = w.lower()
    if w == ",":
        nxt = words[i + 1][0] if i + 1 < len(words) else ""
        # the segmenter may split a two-syllable word at the end of the text ("đặc | khu")
        nxt2 = f"{nxt} {words[i + 2][0]}" if i + 2 < len(words) else nxt
        if _compound_after_comma(segment[idx + len(w) :]):
            return False  # "Sở Văn hóa, Thể thao và Du lịch": one field of a compound name
        if _comma_inside(words, i, segment, idx, accepted):
            return False
        if nxt not in cont and nxt2 not in cont:  # case-sensitive: ", Sở Tư pháp" starts a new unit
            return True
        if nxt not in cont:
            accepted.update((i + 1, i + 2))
        return False
    if low in _conjunctions():
        nxt = words[i + 1][0] if i + 1 < len(words) else ""
        paired = (prev_word, nxt) in _joined_pairs()  # "Văn phòng HĐND và UBND huyện"
        # "các sở, ngành và địa phương": a list of generic words is one addressee
        paired = paired or (low == "và" and nxt in cont and segment[:1].islower())
        # "… phòng cháy, chữa cháy và cứu nạn, cứu hộ Công an tỉnh": a compound after "và"
        paired = paired or (low == "và" and starts_compound(segment[idx + len(w) :]))
        if not paired and (not nxt or not nxt[:1].isupper() or _starts_unit(segment[idx + len(w) :])):
            return True
        return bool(nxt[:1].isupper() and low != "và")
    if any(low == s or low.startswith(s + " ") for s in _stops_any_case()):
        return True  # "Cục Thuế tỉnh Chủ trì, phối hợp …"
    if w[:1].isupper() or w[:1].isdigit():
        return False
    inside = compound_here(words, i, segment, idx) or field_noun_run(words, i) or run_to_role_verb(words, i)
    if inside:
        accepted.update(range(i + 1, i + inside))  # "Cục Quản lý hoạt động xây dựng tham mưu"
        return False
    closer = _closer_words(words, i)
    if closer:
        accepted.update(range(i + 1, i + closer))  # "các cơ quan có liên quan", "các Sở nêu trên"
        return False
    if any(low == s or low.startswith(s + " ") for s in stop):
        # "Cục Kết cấu hạ tầng xây dựng chủ trì": a noun of names that is also a verb ends
        # the name it closes (nothing follows it but a clause boundary or a role word)
        return not (low in _name_lower_ok() and _boundary_after(words, i))
    if tag in ("V", "A") and _between_capitals(words, i, prev_word):
        accepted.add(i + 1)
        return False  # "Khu Nông nghiệp ứng dụng Công nghệ cao Phú Yên"
    return tag in ("V", "A", "R", "E", "M") and low not in _name_lower_ok() and prev_word.lower() != "các"


@cache
def _closers() -> tuple[str, ...]:
    return tuple(c.lower() for c in rules().units.get("name_closers", ()))


def _closer_words(words: Sequence[tuple[str, str]], i: int) -> int:
    """How many words from ``i`` spell a phrase that closes a name ("có liên quan", "nêu
    trên"); 0 when none does."""
    for n in (1, 2, 3, 4):
        phrase = " ".join(w for w, _ in words[i : i + n]).lower()
        if phrase in _closers():
            # "có tên tại Điều 1": the article's number closes the phrase
            numbered = phrase.endswith(("điều", "khoản")) and i + n < len(words) and words[i + n][0].isdigit()
            return n + 1 if numbered else n
    return 0


def _closes_name(word: str) -> bool:
    """``word`` can follow the last word of a name: punctuation, a conjunction, a stop word."""
    stop, _ = _unit_vocab()
    low = word.lower()
    return not word[:1].isalnum() or low in _conjunctions() or any(low == s or low.startswith(s + " ") for s in stop)


def _boundary_after(words: Sequence[tuple[str, str]], i: int) -> bool:
    """Nothing of a sentence follows word ``i`` before a clause boundary: the end of the
    name's segment, a comma before a capital, a role verb ("chủ trì") or "theo" ("… theo
    chức năng"); not another verb ("Đảng ủy các xã tổ chức thực hiện" ends at "tổ chức")."""
    if i + 1 >= len(words):
        return True
    nxt = words[i + 1][0]
    if nxt == ",":
        return i + 2 >= len(words) or words[i + 2][0][:1].isupper()
    low = nxt.lower()
    return low == "theo" or any(low == s or low.startswith(s + " ") for s in _stops_any_case())


def _between_capitals(words: Sequence[tuple[str, str]], i: int, prev_word: str) -> bool:
    """Lower-case word ``i`` (no listed stop word) stands between two capitalised words of
    one name: the word before it is capitalised and the word after it is a capitalised
    field that starts no unit, no official's title, no document type and no role verb."""
    if not prev_word[:1].isupper() or i + 1 >= len(words):
        return False
    nxt = words[i + 1][0]
    if not nxt[:1].isupper():
        return False
    # the capitalised field after it closes the name: a comma, a conjunction, a stop word or
    # the end follows it ("… ứng dụng Công nghệ cao Phú Yên, Ban …")
    j = i + 1
    while j < len(words) and words[j][0][:1].isupper():
        j += 1
    if j < len(words) and not _closes_name(words[j][0]):
        return False
    rest = " ".join(w for w, _ in words[i + 1 : i + 6])
    low = rest.lower()
    if _starts_unit(rest) or any(low.startswith(s) for s in _stops_any_case()):
        return False
    return not any(s.start == 0 and s.label == "DOC_TYPE" for s in spans(rest))


def _split_conjunctions(words: tuple[tuple[str, str], ...]) -> list[tuple[str, str]]:
    """The segmenter may join a conjunction to the name after it ("Thương binh | và Xã
    hội" tagged as a verb): the conjunction is a word of its own, so that "Sở Lao động -
    Thương binh và Xã hội" is read as one name; and a name to the verb after it."""
    out = []
    for w, tag in words:
        first, _, after = w.partition(" ")
        if after and first.lower() in _conjunctions() and after[:1].isupper():
            out += [(first, "C"), (after, "Np")]
        else:
            out += _name_then_verb(w, tag)
    return out


def _name_then_verb(w: str, tag: str) -> list[tuple[str, str]]:
    """A capitalised name the segmenter joined to the verb after it ("Tân Phú vận động"):
    the name, then the verb (a stop word), as two words."""
    syl = w.split()
    if len(syl) < 3 or not syl[0][:1].isupper():
        return [(w, tag)]
    stop, _ = _unit_vocab()
    for j in range(1, len(syl)):
        if syl[j][:1].isupper():
            continue
        tail = " ".join(syl[j:]).lower()
        if any(tail == x or tail.startswith(x + " ") for x in stop):
            return [(" ".join(syl[:j]), "Np"), (" ".join(syl[j:]), "V")]
        break
    return [(w, tag)]


def units_in(text: str, *, at_start_only: bool = False) -> list[tuple[int, int]]:
    """Unit names (official + unit, or unit) in ``text`` as (start, end) offsets."""
    out: list[tuple[int, int]] = []
    found = spans(text)
    i = 0
    while i < len(found):
        s = found[i]
        if s.label not in ("UNIT", "OFFICIAL"):
            i += 1
            continue
        start = s.start
        # a leading quantifier ("các", "Các") belongs to the name
        before = text[:start]
        m = _quantifier_before().search(before)
        if m:
            start = start - len(m.group(1))
        if at_start_only and text[:start].strip():
            break
        if out and start < out[-1][1]:
            i += 1
            continue
        head_end = s.end
        nxt = found[i + 1] if i + 1 < len(found) else None
        if s.label == "OFFICIAL" and nxt and nxt.label == "UNIT" and not text[s.end : nxt.start].strip():
            head_end = nxt.end  # "Người đứng đầu cơ quan …": the title and the head it heads
        end = unit_end(text, start, head_end)
        end = shared_head_list_end(text, start, end)
        if end > start:
            out.append((start, end))
        while i < len(found) and found[i].start < end:
            i += 1
        if at_start_only:
            break
    return _qualified_merged(text, out)


QUALIFIER_WORDS = 4  # lower-case words between a unit and its "thuộc …": "về y tế"
_QUALIFIED_BY = re.compile(r"\s+((?:[^\W\d_A-ZĐ]\w*\s+){0," + str(QUALIFIER_WORDS) + r"}?)(?:trực\s+)?thuộc\s+")


def _qualified_merged(text: str, found: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """A unit after "thuộc"/"trực thuộc" qualifies the one before it, and is no unit of its
    own: "Người đứng đầu cơ quan chuyên môn về y tế thuộc Ủy ban nhân dân cấp tỉnh" is one
    name (the words between them hold no verb or other stop word)."""
    out: list[tuple[int, int]] = []
    stop, _ = _unit_vocab()
    for a, b in found:
        m = _QUALIFIED_BY.fullmatch(text, out[-1][1], a) if out else None
        between = m.group(1).lower() if m else ""
        if m and not any(re.search(r"(?<!\w)" + re.escape(s) + r"(?!\w)", between) for s in stop):
            out[-1] = (out[-1][0], b)
            continue
        out.append((a, b))
    return out


_QUANTIFIED = re.compile(r"(?<!\w)các\s", re.IGNORECASE)
LIST_FIELD_WORDS = 5  # a name in a list that shares a head: "Xây dựng", "Ngân hàng Nhà nước Việt Nam"


def shared_head_list_end(text: str, start: int, end: int) -> int:
    """Where a unit name that ends in a colon goes on with the names that share its head:
    "Bộ trưởng các Bộ: Xây dựng, Ngoại giao, Công an", "Chủ tịch UBND các tỉnh: Hà Tĩnh,
    Huế" (a plural head, then two or more capitalised names; the last ends before a role
    verb, a conjunction or punctuation). ``end`` when no such list follows."""
    m = re.match(r"\s*:\s*", text[end:])
    if not m or not _QUANTIFIED.search(text[start:end]):
        return end
    pos, fields, last_end = end + m.end(), 0, end
    if _named_unit_first(text[pos:]):
        return end  # "Các đơn vị thuộc Bộ: Vụ A, Vụ B": names with heads of their own
    while pos < len(text) and (text[pos].isupper() or _level_then_name(text[pos:])):
        field = re.split(r"[,;:.()]", text[pos:], maxsplit=1)[0]
        kept = _list_field(field)
        fields, last_end = fields + 1, pos + len(" ".join(kept))
        if len(kept) < len(field.split()) or not text[pos + len(field) :].startswith(","):
            break
        pos = pos + len(field) + 1
        pos += len(text[pos:]) - len(text[pos:].lstrip())
    return last_end if fields >= 2 else end


def _named_unit_first(rest: str) -> bool:
    """``rest`` opens with a unit head and a name after it ("Vụ Tổ chức cán bộ, …"), not
    with a head alone that a shared head completes ("Bộ trưởng các Bộ: Công an, …")."""
    field = re.split(r"[,;:.()]", rest, maxsplit=1)[0].strip()
    first = next((s for s in spans(field) if s.label == "UNIT"), None)
    return first is not None and first.start == 0 and first.end < len(field)


def _list_field(field: str) -> list[str]:
    """The words of one name in a list sharing a head, up to a role verb or a conjunction
    that joins no further capitalised field ("Khoa học và Công nghệ" | "và Thủ trưởng …")."""
    words = field.split()
    i = len(_level_then_name(field).split()) + 1  # "thị xã Đức Phổ": the level and the name's first word
    kept, name_words = words[:i], 1
    while i < len(words) and name_words <= LIST_FIELD_WORDS:
        w, low, nxt = words[i], words[i].lower(), " ".join(words[i + 1 :])
        if low in _conjunctions():
            level = _level_then_name(nxt)  # "… và thành phố Quảng Ngãi": the next name, with its level
            if not (level or (nxt[:1].isupper() and not _starts_unit(nxt))):
                break
            kept += [w, *level.split()]
            i += 1 + len(level.split())
            name_words = 0 if level else name_words + 1
            continue
        ends = w[:1].islower() and low in _stop_openers()
        if (ends and not _word_ends_field(words, i)) or not w.isalpha():
            break
        kept.append(w)
        i += 1
        name_words += 1
    return kept


@cache
def _stop_openers() -> frozenset[str]:
    """The first syllables of the stop words: a list's field ends before any of them."""
    return frozenset(x.split()[0] for x in _unit_vocab()[0])


def _word_ends_field(words: Sequence[str], i: int) -> bool:
    """Word ``i`` closes a dictionary word the capitalised one before it began, and the field
    ends after it or a verb follows ("…, Ngoại giao, …", "Ngoại giao chỉ đạo …"): it is no
    verb that ends the name ("… Xây dựng giao Cục …")."""
    prev, w = words[i - 1], words[i]
    nxt = words[i + 1].lower() if i + 1 < len(words) else None
    if not prev[:1].isupper() or (nxt is not None and nxt not in _stop_openers()):
        return False
    return lexicon().pair(syllable_key(prev.lower()), syllable_key(w.lower()))


@cache
def _levels() -> frozenset[str]:
    return frozenset(lv for lv in rules().units["government_levels"] if lv[:1].islower())


@cache
def _levels_longest_first() -> tuple[str, ...]:
    return tuple(sorted(_levels(), key=len, reverse=True))


def _level_then_name(text: str) -> str:
    """The government level opening ``text`` when a capitalised name follows it ("thị xã
    Đức Phổ", "thành phố Quảng Ngãi"): a place in a list that shares an official's head;
    "" otherwise."""
    for lv in _levels_longest_first():
        if text.startswith(lv + " ") and text[len(lv) + 1 : len(lv) + 2].isupper():
            return lv
    return ""
