"""Unit names as the assignee reader keeps them: cleaned of the openers and the generic
words around them, told from generic addressees ("các cơ quan, đơn vị") and from phrases
that are no unit, and listed once each."""

from __future__ import annotations

import re
from functools import cache

from vanthu.pipeline.fields.unitbounds import units_in
from vanthu.pipeline.rules.loader import rules
from vanthu.pipeline.text.normalize import collapse, fold

# "… các bộ, ngành": a list of lower-case words after a quantifier, which a generic word
# continues ("Ban Chỉ đạo 389 các bộ, ngành, địa phương")
_LOWER_LIST = re.compile(r"\bcác\s+([^\W\d_][^,]*(?:,\s*[^\W\d_][^,]*)*)$")


def _words(phrases: list[str]) -> str:
    """Regex alternation of ``phrases`` in their order in the data, escaped."""
    return "|".join(re.escape(p) for p in phrases)


def _spaced(phrase: str) -> str:
    """``phrase`` as a regex whose spaces match any whitespace."""
    return re.escape(phrase).replace(r"\ ", r"\s+")


@cache
def _scope() -> re.Pattern:
    """Where a generic list's scope begins: "… thuộc Ủy ban nhân dân Thành phố", "… cấp
    tỉnh", "… Thành phố"."""
    s = rules().units["generic_scope"]
    alts = [_spaced(p) + r"\s.*" for p in s["before_a_name"]] + [_spaced(p) + ".*" for p in s["open"]]
    alts.append(r"cấp\s+(?:" + "|".join(_spaced(x) for x in s["levels"]) + ")")
    alts.append("(?:" + "|".join(_spaced(x) for x in s["places"]) + ")")
    return re.compile(r"\s+(?:" + "|".join(alts) + ")$")


@cache
def _generic_words() -> frozenset[str]:
    return frozenset(rules().units["generic_words"])


@cache
def _generic_quantifier() -> re.Pattern:
    return re.compile(r"^(?:" + _words(rules().units["generic_quantifiers"]) + r")\s+")


@cache
def _dropped_opener() -> re.Pattern:
    return re.compile(r"^(?:" + _words(rules().units["dropped_openers"]) + r")\s+")


@cache
def _generic_after_name() -> re.Pattern:
    return re.compile(r"(?:,\s*(?:các\s+)?(?:" + _words(rules().units["generic_after_name"]) + r"))+$")


@cache
def _not_unit_opener() -> re.Pattern:
    return re.compile(r"^(?:các\s+)?(?:" + _words(rules().units["not_unit_openers"]) + ")", re.IGNORECASE)


def dedupe(units: list[str]) -> list[str]:
    """``units`` without repeats (compared folded), in order."""
    seen, out = set(), []
    for u in units:
        k = fold(u)
        if k not in seen:
            seen.add(k)
            out.append(u)
    return out


def is_generic_unit(unit: str) -> bool:
    if unit == unit.upper() and len(unit) > 12:
        return True  # a heading in capitals ("TỔ CHỨC THỰC HIỆN"), not a unit
    if unit[:1].islower() and not re.match(r"^các\s+\S+.*[A-ZĐ]", unit) and not _official_of_a_name(unit):
        return True  # a lowercase mention inside a sentence ("cơ quan chuyên môn")
    key = fold(unit)
    if any(key == fold(g) or key == fold("các " + g) for g in rules().phrases["generic_units"]):
        return True
    # a list of generic words only, whoever heads it and whatever its scope: "Các cơ quan,
    # đơn vị, địa phương", "các sở, ban, ngành Thành phố", "Người đứng đầu cơ quan, tổ chức"
    for official in sorted((fold(o) for o in rules().units["officials"]), key=len, reverse=True):
        if key.startswith(official + " "):
            key = key[len(official) + 1 :]
            break
    key = _scope().sub("", key)
    words = [_generic_quantifier().sub("", w) for w in re.split(r"\s*(?:,|;|\bvà\b|\bhoặc\b)\s*", key)]
    words = [w for w in words if w]
    return bool(words) and all(w in _generic_words() for w in words)


def _official_of_a_name(unit: str) -> bool:
    """ "thành viên Ban Chỉ đạo 138 tỉnh": an official's title in lower case before a named unit."""
    u = rules().units
    for official in (*u["officials"], *u["officials_before_a_head"]):
        low = official.lower()
        if unit.lower().startswith(low + " ") and unit[len(low) + 1 : len(low) + 2].isupper():
            return True
    return False


def clean_unit(u: str) -> str:
    u = collapse(u).strip(" ,;:-")
    # "Đài Phát thanh- Truyền hình": a hyphen joined to the word before it joins the next
    # one too (the scan spaced it); "Kinh tế - Quản lý" (spaced both sides) stays as printed
    u = re.sub(r"(?<=\w)- (?=[A-ZĐ])", "-", u)
    u = _dropped_opener().sub("", u)
    # a generic word after the name begins the next addressee: "Đài Phát thanh …, cơ quan
    # thông tấn" (but "các sở, ngành, địa phương" is one list of generic words)
    m = _generic_after_name().search(u)
    lower_list = _LOWER_LIST.search(u, 0, m.start()) if m else None
    generic_list = lower_list and lower_list.group(1).islower() and not _levels_only(lower_list.group(1))
    if m and not u[:1].islower() and not generic_list:
        # ("UBND các huyện, thị xã, thành phố, đơn vị …": after a list of levels of
        # government, a generic word is the next addressee)
        u = u[: m.start()]
    return u


def _levels_only(listed: str) -> bool:
    """Every entry of a lower-case list is a level of government ("huyện, thị xã, thành phố")."""
    return all(fold(x.strip()) in _folded_levels() for x in listed.split(","))


@cache
def _folded_levels() -> frozenset[str]:
    return frozenset(fold(lv) for lv in rules().units["government_levels"])


def looks_like_unit(name: str) -> bool:
    name = name.strip()
    if not name or len(name) > 120:
        return False
    found = units_in(name)
    return (
        bool(found)
        and found[0][0] <= 4
        and not is_generic_unit(clean_unit(name))
        and not _not_unit_opener().match(name)
    )
