"""Where the units that open a clause begin and end: past its lead-in ("Trên cơ sở đó, …",
"Căn cứ vào phương hướng, nhiệm vụ đã nêu, …"), past a nameless noun phrase joined to them
before their verb ("… và hệ thống các cơ quan báo chí phối hợp …"), and the units a generic
addressee names in brackets ("Các cơ quan … (Sở A, Ban B):")."""

from __future__ import annotations

import re
from functools import cache

from vanthu.pipeline.fields.nlp import spans
from vanthu.pipeline.fields.unitbounds import units_in
from vanthu.pipeline.fields.unitnames import clean_unit, is_generic_unit
from vanthu.pipeline.rules.loader import rules

_COMMA = re.compile(r",\s*")
AGREEMENT_QUALIFIER_REACH = 40  # "Đồng ý về nguyên tắc, giao …": what qualifies the agreement
SPEAKER_REACH = 60  # "Phó Thủ tướng Chính phủ Trần Hồng Hà yêu cầu …": the speaker before the directive
LEADIN_REACH = 160  # how far a lead-in may run before the units of its clause
GENERIC_TAIL_REACH = 60  # "… và hệ thống các cơ quan báo chí": a nameless addressee after them
_BRACKETED = re.compile(r"^([^()]{1,80}?)\s*\(([^()]+)\)\s*(?=[:.;]|$)")


def _words(phrases: list[str]) -> str:
    """Regex alternation of ``phrases`` in their order in the data, escaped."""
    return "|".join(re.escape(p) for p in phrases)


def units_at_start(text: str) -> tuple[list[str], int]:
    """The units that open ``text``, one after another ("A, B và C <verb> …"), and where
    they end."""
    out: list[str] = []
    pos = 0
    for a, b in units_in(text):
        gap = text[pos:a]
        if (out and not re.fullmatch(r"\s*(?:,|;|và|cùng|,\s*và)?\s*", gap)) or (not out and gap.strip()):
            break
        out.append(clean_unit(text[a:b]))
        pos = b
    return [u for u in out if u], pos


@cache
def _leadin() -> re.Pattern:
    """A clause's lead-in before its units: "Trên cơ sở …, ", "Để …, "."""
    return re.compile(r"^\s*(?:" + _words(rules().phrases["leadin_openers"]) + r")\b[^,;]{0,120},\s*", re.IGNORECASE)


def past_leadin(c: str) -> str:
    """``c`` after its lead-in: up to its first comma ("Trên cơ sở đó, Sở X …"), or up to the
    first later comma within reach that named units follow ("Căn cứ vào phương hướng,
    nhiệm vụ đã nêu, Văn phòng X và … cụ thể hóa …")."""
    m = _leadin().match(c)
    if not m:
        return c
    for comma in _COMMA.finditer(c, m.end() - 1, m.start() + LEADIN_REACH):
        found = units_in(c[comma.end() :], at_start_only=True)
        if found and found[0][0] == 0 and not is_generic_unit(clean_unit(c[comma.end() :][: found[0][1]])):
            return c[comma.end() :]
    return c[m.end() :]


# (after a comma only a plural phrase: "…, các trường cao đẳng trên địa bàn tỉnh tuyên truyền …")
# (no "\s*,?\s*": two "\s*" round an optional comma are quadratic on a run of spaces)
_TAIL_OPEN = re.compile(r"\s*(?:(?:,\s*)?(?:và|cùng)\s+|,\s*(?=các\s))(?=[^\W\d_A-ZĐ])")
_TAIL_WORD = re.compile(r"(?:,\s*)?[^\W\d_A-ZĐ]\w*\s*")


def past_generic_tail(body: str, pos: int) -> int:
    """Where the units that open ``body`` are done, past a lower-case noun phrase joined to
    them right before their action ("Đài A, Đài B và hệ thống các cơ quan báo chí phối
    hợp với …", "Văn phòng X và các văn phòng tỉnh uỷ, thành uỷ cụ thể hoá …"): the phrase
    is one more addressee without a name."""
    m = _TAIL_OPEN.match(body, pos)
    if not m:
        return pos
    q = m.end()
    while q - m.end() < GENERIC_TAIL_REACH and (w := _TAIL_WORD.match(body, q)):
        q = w.end()
        if _verb_opens().match(body, q):
            return q
    return pos


@cache
def _verb_opens() -> re.Pattern:
    """A role verb or a verb that ends a unit name, as a whole word."""
    verbs = sorted({*rules().phrases["lead"], *(w.lower() for w in rules().units["stop_words"])}, key=len, reverse=True)
    return re.compile(r"(?:" + _words(verbs) + r")(?!\w)")


def bracketed_units(body: str) -> tuple[list[str], int] | None:
    """ "Các cơ quan đăng ký đầu tư (Sở Tài chính, Ban Quản lý Khu kinh tế …):" — a generic
    addressee that names its units in brackets: (those units, where the brackets close), or
    None when the brackets hold anything but unit names."""
    m = _BRACKETED.match(body)
    if not m or not all(is_generic_unit(u) for u in units_at_start(m.group(1))[0] or ["?"]):
        return None
    inner = m.group(2)
    found, pos = units_in(inner), 0
    for a, b in found:
        if not re.fullmatch(r"\s*(?:,|;|và|,\s*và)?\s*", inner[pos:a]):
            return None
        pos = b
    names = [clean_unit(inner[a:b]) for a, b in found]
    if not names or inner[pos:].strip(" ,;.") or any(is_generic_unit(u) for u in names):
        return None
    return names, m.end()


@cache
def _speaker_directive() -> re.Pattern:
    d = sorted(rules().phrases["directive"], key=len, reverse=True)
    return re.compile(r"\s(?:" + _words(d) + r")\s+", re.IGNORECASE)


@cache
def _agreement() -> re.Pattern:
    return re.compile(r"^\s*(?:" + _words(rules().phrases["directive_preludes"]) + r")\s+(?=\S)", re.IGNORECASE)


def past_speaker(c: str) -> str:
    """``c`` from its directive on, past who gives it ("Phó Thủ tướng yêu cầu Bộ X …",
    "Chủ tịch UBND tỉnh giao Sở Y …": an official opens the clause) or past the agreement it
    follows ("Thống nhất giao Bộ Z …"); ``c`` when it has neither."""
    agreed = _agreement().match(c)
    if agreed:
        # "Thống nhất giao …", "Đồng ý về nguyên tắc, giao …"
        rest = c[agreed.end() :]
        qualified = re.match(rf"[^,;:.]{{0,{AGREEMENT_QUALIFIER_REACH}}},\s*", rest)
        for start in (0, qualified.end() if qualified else None):
            if start is not None and _speaker_directive().match(" " + rest[start:]):
                return rest[start:]
    first = next(iter(spans(c[: SPEAKER_REACH + 20])), None)
    if first is not None and first.label == "UNIT" and first.start == 0:
        return _past_giving_unit(c)
    if first is None or first.label != "OFFICIAL" or first.start != 0:
        return c
    m = _speaker_directive().search(c, 0, SPEAKER_REACH + 12)
    if not m or re.search(r"[,;:.]", c[: m.start()]):
        return c
    return c[m.start() + 1 :]


def _past_giving_unit(c: str) -> str:
    """``c`` from its directive on when a unit opens it and gives the task ("Bộ Chính trị
    giao Ban X …", "Cục Thuế đề nghị Chi cục Thuế …"); ``c`` otherwise."""
    found = units_in(c[:SPEAKER_REACH], at_start_only=True)
    if not found or found[0][0] != 0:
        return c
    m = _speaker_directive().match(c, found[0][1])
    return c[m.start() + 1 :] if m else c


@cache
def _topic_opener() -> re.Pattern:
    return re.compile(r"^\s*(?:" + _words(rules().phrases["topic_openers"]) + r")\s[^:;]*:\s*$", re.IGNORECASE)


def topic_heading(clause: str) -> bool:
    """ "Về kiến nghị của Ủy ban nhân dân tỉnh X:" before the clause that answers it: the
    clause after it opens the item as its first would."""
    return bool(_topic_opener().match(clause))


def generic_list_intro(clause: str) -> bool:
    """ "Các đơn vị thuộc Bộ:" before the names of the units it means: a generic
    addressee alone, ending in a colon."""
    c = clause.strip()
    if not c.endswith(":"):
        return False
    units, end = units_at_start(c[:-1])
    return bool(units) and all(is_generic_unit(u) for u in units) and not c[end:-1].strip(" ,")


@cache
def _agent() -> re.Pattern:
    return re.compile(r"\bdo\s+(?=\S)")


@cache
def _agent_role() -> re.Pattern:
    roles = _words(rules().phrases["agent_roles"])
    return re.compile(r"\s*(?:,\s*)?(?:" + roles + r"|phối hợp)\b", re.IGNORECASE)


def agent_units(c: str) -> tuple[list[str], str] | None:
    """The agent of a passive clause and the clause after it: "Việc sửa đổi … do Bộ Xây
    dựng chủ trì, phối hợp với Bộ Tư pháp thực hiện" (a role word follows the units after
    "do"; "hướng dẫn do Bộ Tài chính ban hành" has none); None without one."""
    for m in _agent().finditer(c):
        units, pos = units_at_start(c[m.end() :])
        if units and _agent_role().match(c, m.end() + pos):
            return units, c[m.end() + pos :]
    return None


@cache
def _standing_role() -> re.Pattern:
    return re.compile(r"là\s+(?:" + _words(rules().phrases["standing_roles"]) + r")\b", re.IGNORECASE)


def standing_role(text: str) -> bool:
    """``text`` (after units) gives them a standing role: "là cơ quan thường trực", "là đầu mối"."""
    return bool(_standing_role().match(text))
