"""Vietnamese NLP behind two small functions.

* spaCy (``spacy.blank("xx")`` — offline) with an EntityRuler fed from the vocabulary
  files marks document-type names (citation heads), document symbols, unit heads and
  officials' titles. Its tokenizer keeps symbols such as ``4114/VP-NC`` and dates whole.
* underthesea's CRF word segmentation and POS tags decide where a unit name ends:
  "Phòng Giáo dục và Đào tạo thành phố | nghiên cứu …" ends at the first lowercase
  verb that is not part of the name.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

from vanthu.pipeline.rules.loader import rules
from vanthu.pipeline.text import engines

# After the first letter: name characters, and '-' or '/' only before another name
# character. (Written as one choice per character: the equivalent
# ``[\w.&]*(?:[-/&][\w.&]+)*`` backtracks exponentially on "1/A&&&…&!".)
_SYMBOL_TOKEN = r"\d{1,6}(?:[./]\d{4})?(?:/\d{4})?[/\-][A-ZĐ](?:[\wĐđ.&]|[\-/](?=[\wĐđ.&]))*"
_DATE_TOKEN = r"\d{1,2}/\d{1,2}(?:/\d{2,4})?"
_TOKEN_MATCH = re.compile(rf"^(?:{_SYMBOL_TOKEN}|{_DATE_TOKEN})$")


@dataclass(frozen=True)
class Span:
    label: str  # DOC_TYPE, SYMBOL, UNIT, OFFICIAL
    start: int  # character offsets in the analysed text
    end: int
    text: str


def _case_variants(phrase: str) -> set[str]:
    return {phrase, phrase[:1].upper() + phrase[1:], phrase[:1].lower() + phrase[1:], phrase.upper()}


_MARKS = "\u0300\u0301\u0303\u0309\u0323"  # the five tone marks, decomposed
_OPEN_END = r"(?![\w\u0300-\u036f])"


def _tone_variants(phrase: str) -> set[str]:
    """``phrase`` with the tone of open "oa"/"oe"/"uy" syllables on either vowel: letters
    print "Ủy ban" and "Uỷ ban", "Đảng ủy" and "Đảng uỷ", "hóa" and "hoá"."""
    # each syllable on its own: a letter may print both in one phrase ("tỉnh uỷ, thành ủy")
    variants = [""]
    for word in re.split(r"(\s+)", unicodedata.normalize("NFD", phrase)):
        old = re.sub(rf"([oOuU])([{_MARKS}])([aeAEyY]){_OPEN_END}", r"\1\3\2", word)
        new = re.sub(rf"([oOuU])([aeAEyY])([{_MARKS}]){_OPEN_END}", r"\1\3\2", word)
        variants = [v + w for v in variants for w in dict.fromkeys((word, old, new))]
    return {phrase, *(unicodedata.normalize("NFC", v) for v in variants)}


@cache
def _nlp():
    nlp = engines.spacy().blank("xx")
    nlp.tokenizer.token_match = _TOKEN_MATCH.match
    ruler = nlp.add_pipe("entity_ruler", config={"overwrite_ents": True})
    r = rules()
    patterns: list[dict[str, Any]] = []
    for t in r.doc_types:
        for v in _case_variants(t.name):
            patterns.append({"label": "DOC_TYPE", "pattern": v})
    for head in r.units["heads"]:
        for h in _tone_variants(head):
            # as listed, capitalised, in capitals, and every word capitalised ("Tỉnh Đoàn",
            # "Ủy Ban Nhân Dân": a printing of names seen across agencies)
            titled = " ".join(w[:1].upper() + w[1:] for w in h.split(" "))
            for v in {h, h[:1].upper() + h[1:], h.upper(), titled}:
                patterns.append({"label": "UNIT", "pattern": v})
    for off in [*r.units["officials"], *r.units["officials_before_a_head"]]:
        for o in _tone_variants(off):
            for v in {o, o.upper()}:
                patterns.append({"label": "OFFICIAL", "pattern": v})
    patterns.append({"label": "SYMBOL", "pattern": [{"TEXT": {"REGEX": rf"^{_SYMBOL_TOKEN}$"}}]})
    ruler.add_patterns(patterns)
    return nlp


@cache
def _not_heads() -> re.Pattern:
    words = sorted(rules().units.get("not_heads", ()), key=len, reverse=True)
    if not words:
        return re.compile("(?!)")
    return re.compile("(?:" + "|".join(re.escape(w) for w in words) + r")(?!\w)", re.IGNORECASE)


@lru_cache(maxsize=8192)
def spans(text: str) -> tuple[Span, ...]:
    doc = _nlp()(text)
    not_head = _not_heads()
    # "Ban hành kế hoạch", "Trường hợp có khó khăn": a unit head that begins another word
    found = [
        Span(e.label_, e.start_char, e.end_char, e.text)
        for e in doc.ents
        if not (e.label_ == "UNIT" and not_head.match(text, e.start_char))
    ]
    # "Lãnh đạo Bộ Xây dựng" is an official, "Lãnh đạo, chỉ đạo …" a verb: such a title
    # is one only right before a unit head
    only_before = _only_before_a_head()
    return tuple(
        s
        for k, s in enumerate(found)
        if s.label != "OFFICIAL" or s.text.lower() not in only_before or _head_right_after(text, s, found[k + 1 :])
    )


@cache
def _only_before_a_head() -> frozenset[str]:
    return frozenset(o.lower() for o in rules().units["officials_before_a_head"])


def _head_right_after(text: str, s: Span, later: list[Span]) -> bool:
    return bool(later) and later[0].label == "UNIT" and not text[s.end : later[0].start].strip()


@lru_cache(maxsize=16384)
def pos_tags(text: str) -> tuple[tuple[str, str], ...]:
    return tuple((w, t) for w, t in engines.underthesea("pos_tag")(text))


#: how many words of a clause's rest the tagger reads to tell whether it opens with a verb
VERB_WINDOW_WORDS = 6


def starts_with_verb(text: str) -> bool:
    """``text`` opens with a verb in lower case, as underthesea tags it: the action after the
    units of a clause ("Báo Nhân Dân đưa tin", not only the verbs of ``phrases.action_starts``)."""
    tags = pos_tags(" ".join(text.split()[:VERB_WINDOW_WORDS]))
    return bool(tags) and tags[0][1] == "V" and tags[0][0][:1].islower()
