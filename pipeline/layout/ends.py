"""Stage 4a: lines -> the letter, and the parts of the file that follow it.

A file may hold more than the letter: the draft a Tờ trình submits (a draft Nghị quyết
with its own header, articles, Nơi nhận and unsigned signer block), appendices after the
signer block ("PHỤ LỤC", "DANH MỤC …"), the copying office's block of a SAO Y / SAO LỤC /
TRÍCH SAO copy, or other papers scanned with it (a form, another letter). Read as the
letter, their articles become assignments and their Nơi nhận the distribution.

The letter ends at its own signature zone: the first "Nơi nhận" (else the body's end mark
"./."). After it, a part starts at a line that begins another document:

- the national motto at the top of a page (another header: the part starts at the page's
  first line) or after the signature on the same page;
- a heading in capitals from ``layout.json`` ``after_letter``: an appendix, a draft's
  mark, the copy form.

Each part is sorted: ``appendix`` (a heading), ``draft`` (the draft's mark, a number line
whose number is left blank, or a document the letter says it sends as a draft), ``copy``
(the copy form), else ``other`` (its pages are reported, not read).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

from vanthu.models.document import Line
from vanthu.pipeline.layout.signature import body_end_marks
from vanthu.pipeline.rules.loader import alternation, patterns, rules
from vanthu.pipeline.text.normalize import fold

#: a motto among a page's first lines starts a new document on that page
MOTTO_TOP_LINES = 4
#: a heading is a short line
HEADING_MAX_CHARS = 90
#: lines above a same-page motto that belong to its header (the issuer's lines beside it)
HEADER_LINES_BESIDE_MOTTO = 3
#: lines a part's title is taken from (after its motto and number lines)
TITLE_SEARCH_LINES = 10
PART_KINDS = ("appendix", "draft", "copy", "other")

# "Số:   /2025/NQ-HĐND": a number line whose number is left blank (an unsigned draft)
_BLANK_NUMBER = re.compile(r"^\s*Số\s*[:.]?\s*/", re.IGNORECASE)
_NUMBER_LINE = re.compile(r"^\s*Số\s*[:.]", re.IGNORECASE)


@dataclass
class Part:
    """A part of the file after the letter."""

    kind: str  # one of PART_KINDS
    lines: list[Line] = field(default_factory=list)

    @property
    def pages(self) -> list[int]:
        return sorted({ln.page for ln in self.lines})


@dataclass
class LetterParts:
    letter: list[Line]
    parts: list[Part] = field(default_factory=list)

    def of_kind(self, *kinds: str) -> list[Part]:
        return [p for p in self.parts if p.kind in kinds]


@cache
def _heading(kind: str) -> re.Pattern:
    words = rules().layout["after_letter"][kind]
    return re.compile(rf"^\s*(?:{alternation([fold(w) for w in words])})\b")


def _is_heading(text: str, kind: str) -> bool:
    t = text.strip()
    if not t or len(t) > HEADING_MAX_CHARS or t != t.upper():
        return False
    return bool(_heading(kind).match(fold(t)))


def _is_motto(text: str) -> bool:
    return bool(patterns().motto.match(text.strip()))


def letter_end_anchor(lines: list[Line]) -> int | None:
    """Where the letter's signature zone begins: its first "Nơi nhận", else the first line
    closing the body ("./."); None when the letter shows neither."""
    p = patterns()
    for j, ln in enumerate(lines):
        if p.distribution_label.match(ln.text):
            return j
    return next((j for j, ln in enumerate(lines) if ln.text.rstrip().endswith(body_end_marks())), None)


def _page_start(lines: list[Line], j: int) -> int:
    k = j
    while k > 0 and lines[k - 1].page == lines[j].page:
        k -= 1
    return k


def _part_start(lines: list[Line], j: int, anchor: int) -> int | None:
    """The first line of a part whose cue is line ``j``, or None when ``j`` is no cue."""
    text = lines[j].text
    motto = _is_motto(text)
    if motto:
        top = _page_start(lines, j)
        if j - top < MOTTO_TOP_LINES and lines[top].page != lines[anchor].page:
            return top
    elif _is_heading(text, "appendix") or _is_heading(text, "draft"):
        return j
    elif not _is_heading(text, "copy"):
        return None
    # a second header on the letter's last page, a copy's form: the issuer's lines stand
    # just before it
    k, taken, i = j, 0, j - 1
    while i > anchor and taken < HEADER_LINES_BESIDE_MOTTO:
        if lines[i].text.strip():
            if not _caps(lines[i].text):
                break
            k, taken = i, taken + 1
        i -= 1
    return k


def _caps(text: str) -> bool:
    t = text.strip()
    return bool(t) and t == t.upper() and any(ch.isalpha() for ch in t) and len(t) <= HEADING_MAX_CHARS


def lines_to_parts(lines: list[Line]) -> LetterParts:
    """The letter's lines, and each part that follows its signature zone, sorted."""
    anchor = letter_end_anchor(lines)
    if anchor is None:
        return LetterParts(letter=lines)
    starts: list[int] = []
    j = anchor + 1
    while j < len(lines):
        start = _part_start(lines, j, anchor)
        if start is not None and (not starts or start > starts[-1]):
            starts.append(start)
            j = _skip_cue_block(lines, j)
            continue
        j += 1
    if not starts:
        return LetterParts(letter=lines)
    letter = lines[: starts[0]]
    bounds = [*starts, len(lines)]
    parts = [Part(kind="other", lines=lines[a:b]) for a, b in zip(bounds, bounds[1:]) if b > a]
    body = " ".join(fold(ln.text) for ln in letter)
    for part in parts:
        part.kind = part_kind(part.lines, body)
    return LetterParts(letter=letter, parts=parts)


def _skip_cue_block(lines: list[Line], j: int) -> int:
    """Past a part's own header: the lines just after its cue (its motto's slogan, number,
    date, a draft's mark and its title) start no new part."""
    end = min(len(lines), j + TITLE_SEARCH_LINES)
    copy = _is_heading(lines[j].text, "copy")
    k = j + 1
    while k < end and not patterns().distribution_label.match(lines[k].text):
        text = lines[k].text
        if _is_motto(text) or (not copy and _is_heading(text, "copy")):
            break
        k += 1
    return k


def part_kind(part: list[Line], letter_text: str) -> str:
    """``appendix``, ``draft``, ``copy`` or ``other`` for a part's lines; ``letter_text``
    (folded) tells a draft the letter sends ("Dự thảo Nghị quyết") from another paper."""
    head = part[:TITLE_SEARCH_LINES]
    for kind in ("copy", "appendix", "draft"):
        if any(_is_heading(ln.text, kind) for ln in head):
            return kind
    if any(_BLANK_NUMBER.match(ln.text) for ln in head):
        return "draft"
    title = part_title(part)
    if title and _sent_as_draft(title, letter_text):
        return "draft"
    return "other"


def _sent_as_draft(title: str, letter_text: str) -> bool:
    """The part is a document of a type the letter says it sends as a draft ("Dự thảo
    Nghị quyết" in the list of what it encloses)."""
    folded = fold(title)
    for doc_type in rules().doc_types:
        name = fold(doc_type.name)
        if folded.startswith(name) and f"{fold('dự thảo')} {name}" in letter_text:
            return True
    return False


def part_title(part: list[Line]) -> str | None:
    """A part's heading as printed: the first capitals line after its motto (if any) that
    is no slogan, number or issuer line (left column), with the next capitals line
    ("PHỤ LỤC I" / "DANH MỤC …")."""
    head = part[:TITLE_SEARCH_LINES]
    motto = next((i for i, ln in enumerate(head) if _is_motto(ln.text)), None)
    if motto is not None:
        head = head[motto + 1 :]
    found: list[str] = []
    for ln in head:
        t = ln.text.strip()
        if not t:
            continue
        skip = _NUMBER_LINE.match(t) or fold(t).startswith((fold("Độc lập"), fold("Dự thảo")))
        if skip or (motto is not None and ln.column == "left" and not found):
            continue
        if _caps(t):
            found.append(t)
            if len(found) == 2:
                break
        elif found:
            break
    return " ".join(found) or None
