"""Is it a letter at all? A readable document with none of an official letter's anchors
(Phụ lục I of Decree 30: the number line, the place-and-date line, the issuer or the
document type, "Kính gửi", "Nơi nhận") and too little Vietnamese text is refused as
``NotALetter`` (exit 13) instead of becoming an empty record.

Either side alone keeps a document: a letter whose header was torn off still has its
Vietnamese body (a partial record with warnings), and a letter typed without marks
("So: 12/UBND") still has its anchors."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import cache
from typing import Any

from vanthu.pipeline.errors import NotALetter
from vanthu.pipeline.i18n import _
from vanthu.pipeline.rules.loader import load

#: A document with no anchor is a letter only with at least this many Vietnamese syllables …
MIN_VIETNAMESE_SYLLABLES = 40
#: … making at least this share of its syllables (Vietnamese prose: about 0.7; English: under 0.02).
MIN_VIETNAMESE_SHARE = 0.3
#: An issuer line read without marks ("UY BAN NHAN DAN") counts when it opens with a unit
#: head of at least this many letters (not "so", "bo", "ban": English words too).
MIN_BARE_HEAD_LETTERS = 4

_SYLLABLE = re.compile(r"[^\W\d_]+")
_VIETNAMESE_LETTERS = frozenset("đăâêôơư")
_TONE_MARKS = frozenset("\u0300\u0301\u0303\u0309\u0323")
_ANCHORS = (
    ("number line", ("number_symbol", "number", "symbol")),
    ("date line", ("date", "date_text")),
    ("document type", ("doc_type",)),
    ("Kính gửi", ("recipients",)),
)


def is_vietnamese(syllable: str) -> bool:
    """A syllable written with a letter or a tone mark only Vietnamese uses."""
    low = syllable.lower()
    if any(ch in _VIETNAMESE_LETTERS for ch in low):
        return True
    return any(ch in _TONE_MARKS for ch in unicodedata.normalize("NFD", low))


def vietnamese_share(texts: Iterable[str]) -> tuple[int, int]:
    """(Vietnamese syllables, all syllables) of the texts."""
    viet = total = 0
    for text in texts:
        for s in _SYLLABLE.findall(text):
            total += 1
            viet += is_vietnamese(s)
    return viet, total


def _bare(text: str) -> str:
    """Lower case without marks: "Ủy ban" → "uy ban"."""
    decomposed = unicodedata.normalize("NFD", text.lower().replace("đ", "d"))
    return " ".join("".join(ch for ch in decomposed if not unicodedata.combining(ch)).split())


@cache
def _heads() -> tuple[str, ...]:
    return tuple({h.lower() for h in load("units")["heads"]})


@cache
def _bare_heads(min_letters: int = MIN_BARE_HEAD_LETTERS) -> tuple[str, ...]:
    heads = {_bare(h) for h in load("units")["heads"]}
    return tuple(h for h in heads if len(h.replace(" ", "")) >= min_letters)


def opens_with_head(text: str, min_bare_letters: int = MIN_BARE_HEAD_LETTERS) -> bool:
    """``text`` opens with a unit head ("Sở …", "UBND …"), or with one read without its marks
    ("Uy ban nhan dan …") of ``min_bare_letters`` letters at least."""
    low = text.lower()
    if any(low == h or low.startswith(h + " ") for h in _heads()):
        return True
    bare = _bare(text)
    return any(bare == h or bare.startswith(h + " ") for h in _bare_heads(min_bare_letters))


def is_issuer(text: str | None) -> bool:
    """An issuer line that names an issuing body: opening with a unit head ("Sở", "UBND",
    "Uy ban nhan dan" typed without marks), or in capitals and mostly Vietnamese
    syllables (as Decree 30 prints it: "BAN CHẤP HÀNH TRUNG ƯƠNG")."""
    if not text:
        return False
    viet, total = vietnamese_share([text])
    if total and viet * 2 >= total and text.upper() == text:
        return True
    return opens_with_head(text)


def anchors(header: dict[str, Any], distribution: list[str]) -> list[str]:
    """The letter anchors found (names from ``_ANCHORS``, "issuer" and "Nơi nhận")."""
    found = [name for name, keys in _ANCHORS if any(header.get(k) for k in keys)]
    if is_issuer(header.get("issuer")):
        found.append("issuer")
    return found + (["Nơi nhận"] if distribution else [])


def check_letter(path: str, header: dict[str, Any], distribution: list[str], texts: list[str]) -> None:
    """Raise ``NotALetter`` for a document with no anchor and too little Vietnamese text."""
    if anchors(header, distribution):
        return
    viet, total = vietnamese_share(texts)
    if viet >= MIN_VIETNAMESE_SYLLABLES and viet >= MIN_VIETNAMESE_SHARE * total:
        return
    raise NotALetter(
        path,
        _(
            "no official letter found: no number line, date line, issuer or document type, Kính gửi or Nơi nhận, "
            "and {viet} of its {total} words are Vietnamese"
        ).format(viet=viet, total=total),
    )
