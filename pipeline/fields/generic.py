"""Generic addressees: units given a role without being named.

"các cơ quan, đơn vị liên quan", "các sở, ban, ngành", "Thủ trưởng các Vụ, Cục thuộc Bộ Y tế"
name no unit a task could be tracked to. The contract outputs them as printed but does not
score them, so :func:`is_generic_addressee` is the one rule both the evaluation and the
parser use to tell them from named units.

A unit is *named* when, once examples in parentheses and its scope ("thuộc …", "trên địa
bàn …") are set aside, one of its unit heads (``units.json`` ``heads``, printed with a
capital or as an acronym: "Sở", "UBND", "Công an") is followed by a name: a capitalised
word or a number ("Sở Xây dựng", "Ban Chỉ đạo 138"), or a level of government, with or
without a quantifier ("UBND tỉnh", "Công an các xã, phường", "Ủy ban nhân dân cấp tỉnh");
or when a head stands alone without a quantifier before it ("Chính phủ", "Tỉnh ủy": the one
the letter means). Everything else is generic: a quantifier with generic words ("các cơ
quan, đơn vị"), heads in a list without names ("các Sở, ban, ngành", "các Bộ trưởng"), a
lowercase mention ("cơ quan báo chí").
"""

from __future__ import annotations

import re
from functools import cache

from vanthu.pipeline.rules.loader import rules
from vanthu.pipeline.text.normalize import collapse, fold

_PARENS = re.compile(r"\([^()]*\)")
_WORD = re.compile(r"(?<!\w)\w+")
_LIST_BEFORE = re.compile(r"(?:,|\bvà|\bhoặc)\s*$")  # the last of a list of heads: "các Vụ, Cục"


def _alternation(phrases: list[str]) -> str:
    return "|".join(re.escape(p).replace(r"\ ", r"\s+") for p in sorted(set(phrases), key=len, reverse=True))


def _is_name_word(word: str) -> bool:
    """A word that can be (part of) a proper name: capitalised, or a number."""
    return word[:1].isupper() or word[:1].isdigit()


@cache
def _named_heads() -> re.Pattern:
    """Unit heads as printed when they head a name: capitalised or an acronym; heads that
    are generic words themselves ("Cơ quan", "Sở, ban, ngành") are no heads here."""
    generic = {fold(w) for w in rules().units["generic_words"]}
    heads = [
        h
        for h in rules().units["heads"]
        if h[:1].isupper() and "," not in h and fold(h) not in generic and fold("các " + h) not in generic
    ]
    return re.compile(r"(?<!\w)(?:" + _alternation(heads) + r")(?!\w)")


@cache
def _name_after_head() -> re.Pattern:
    """What makes a head a name: a capitalised word or a number right after it, or a
    level of government ("tỉnh", "các xã", "cấp huyện")."""
    u = rules().units
    quantifiers = _alternation([q.lower() for q in u["name_quantifiers"]])
    levels = _alternation(u["government_levels"])
    return re.compile(r"\s+(?:(?:(?:" + quantifiers + r")\s+)?(?:cấp\s+)?(?:" + levels + r")(?!\w)|(?P<word>\w))")


@cache
def _quantifier_before() -> re.Pattern:
    """A quantifier or a generic word right before a head: "các Sở", "cơ quan ngang Bộ"."""
    u = rules().units
    words = [q.lower() for q in u["name_quantifiers"]] + list(u["generic_before_head"])
    return re.compile(r"(?:^|\W)(?:" + _alternation(words) + r")\s+$", re.IGNORECASE)


@cache
def _scope() -> re.Pattern:
    """Where the scope of an addressee begins: "… thuộc Bộ Y tế", "… trên địa bàn tỉnh"."""
    return re.compile(r"\s(?:" + _alternation(rules().units["scope_openers"]) + r")(?!\w).*$", re.IGNORECASE)


@cache
def _not_names() -> re.Pattern:
    """Capitalised words that are no name: unit heads and generic words (read by the head
    rule), officials' titles, levels of government, document types ("Kế hoạch này")."""
    r = rules()
    words = [*r.units["heads"], *r.units["officials"], *r.units["generic_words"], *r.units["government_levels"]]
    words += [t.name for t in r.doc_types]
    return re.compile(r"(?<!\w)(?:" + _alternation(words) + r")(?!\w)", re.IGNORECASE)


def _has_proper_name(text: str) -> bool:
    """A capitalised word or a number that is none of :func:`_not_names`, not the first word
    and not right after a quantifier ("các Chủ đầu tư" is a common noun): "Cơ quan Thuế",
    "Ban quản lý Khu Kinh tế …", "ngành Giáo dục", "Kho bạc nhà nước khu vực XI"."""
    taken = [m.span() for m in _not_names().finditer(text)]
    for m in _WORD.finditer(text):
        if not _is_name_word(m.group()) or m.start() == 0 or any(a <= m.start() < b for a, b in taken):
            continue
        if _quantifier_before().search(text[: m.start()]):
            continue
        return True
    return False


def is_generic_addressee(unit: str) -> bool:
    """True when ``unit`` (as printed) names no unit: see the module docstring."""
    text = _scope().sub("", collapse(_PARENS.sub(" ", unit)).strip(" ,;:.-")).strip(" ,;:.-")
    for m in _named_heads().finditer(text):
        after = _name_after_head().match(text, m.end())
        if after and (after.group("word") is None or _is_name_word(text[after.start("word") :].split()[0])):
            return False
        before = text[: m.start()]
        if _quantifier_before().search(before) or _LIST_BEFORE.search(before):
            continue  # "các Sở", "cơ quan ngang Bộ", "các Vụ, Cục": one of many, unnamed
        if m.end() == len(text) or any(_is_name_word(w) for w in m.group().split()[1:]):
            return False  # "Chính phủ", "Chủ tịch UBND", "Ban Quản lý …": the one the letter means
    return not _has_proper_name(text)
