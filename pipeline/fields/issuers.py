"""Whether two printed names of an issuing body name the same body: the issuer a citation
prints ("của Văn phòng UBND tỉnh") and a letter's own issuer ("VĂN PHÒNG ỦY BAN NHÂN DÂN TỈNH
LẠNG SƠN"). Abbreviations come from ``units.json`` (``issuer_abbreviations``)."""

from __future__ import annotations

import re
from functools import cache

from vanthu.pipeline.rules.loader import rules
from vanthu.pipeline.text.normalize import fold_accents

_WORD = re.compile(r"\w+")


@cache
def _abbreviations() -> dict[str, tuple[str, ...]]:
    table = rules().units["issuer_abbreviations"]
    return {fold_accents(k).rstrip("."): tuple(_WORD.findall(fold_accents(v))) for k, v in table.items()}


@cache
def _officials() -> tuple[tuple[str, ...], ...]:
    titles = {tuple(_WORD.findall(fold_accents(t))) for t in rules().units["officials"]}
    return tuple(sorted(titles, key=len, reverse=True))


def issuer_words(issuer: str) -> tuple[str, ...]:
    """An issuer's words without accents or case, abbreviations spelled out and an
    official's title dropped: "Chủ tịch UBND tỉnh" -> ("uy", "ban", "nhan", "dan", "tinh")."""
    words: list[str] = []
    for w in _WORD.findall(fold_accents(issuer)):
        words.extend(_abbreviations().get(w, (w,)))
    for title in _officials():
        if tuple(words[: len(title)]) == title and len(words) > len(title):
            return tuple(words[len(title) :])
    return tuple(words)


def same_issuer(printed: str, issuer: str | None, parent: str | None = None) -> bool | None:
    """Whether the issuer printed in a citation names the letter's issuer: every word of the
    one is in the other (the letter's parent issuer counts too, "UBND tỉnh Lạng Sơn" names a
    letter of "ỦY BAN NHÂN DÂN TỈNH"); None when either has no words to compare."""
    cited = set(issuer_words(printed))
    own = set(issuer_words(issuer or ""))
    if not cited or not own:
        return None
    return cited <= own | set(issuer_words(parent or "")) or own <= cited
