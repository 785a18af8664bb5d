"""Lines -> paragraphs: a paragraph starts at an item marker, an indent, or after a line
that ends a sentence short of the right margin (geometry), or after a blank line (plain
text)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from vanthu.models.document import Line
from vanthu.pipeline.layout.cues import ITEM_MARKER
from vanthu.pipeline.text.normalize import collapse

#: a line ending this share of its width (or more) short of the right margin ends short
SHORT_LINE_SHARE = 0.12


@dataclass
class Paragraph:
    text: str
    lines: list[Line] = field(default_factory=list)


def paragraphs(lines: list[Line] | tuple[Line, ...]) -> list[Paragraph]:
    geometry = any(ln.x0 is not None for ln in lines)
    paras: list[Paragraph] = []
    right_edge = max((ln.x1 for ln in lines if ln.x1 is not None), default=0)
    prev: Line | None = None
    blank = False
    last_number = 0
    for ln in lines:
        text = ln.text.strip()
        if not text:
            blank = True
            continue
        text = _comma_for_stop(text, prev, last_number)
        marked = bool(ITEM_MARKER.match(text)) and not _continues_citation(paras, text)
        num = re.match(r"(\d{1,2})\.\s", text) if marked else None
        last_number = int(num.group(1)) if num else last_number
        short_prev = (
            prev is not None
            and prev.x1 is not None
            and prev.page == ln.page
            and prev.x1 < right_edge - SHORT_LINE_SHARE * (right_edge - (prev.x0 or 0))
        )
        if marked and geometry and prev is not None and not ln.indent and ln.x0 is not None:
            # a marker at the left margin mid-sentence is a wrapped number, not an item;
            # after a line that stops short of the margin (a heading without its stop:
            # "Điều 2. Trách nhiệm của … / các xã, phường") it is one
            marked = (
                prev.text.rstrip().endswith((".", ";", ":", "./."))
                or prev.page != ln.page
                or _heading(prev)
                or (short_prev and not prev.text.rstrip().endswith(","))
            )
        new = prev is None or marked
        if not new and prev is not None:
            if geometry and ln.x0 is not None:
                new = ln.indent or (short_prev and prev.text.rstrip().endswith((".", ";", ":", "./.")))
                # a heading in capitals ("QUYẾT ĐỊNH" whose colon OCR lost) ends before running text
                new = new or (_heading(prev) and not _heading(ln))
                # an item's heading alone on its line, short of the margin ("2. Sở Tài chính"),
                # before the sentence under it ("Tham mưu bố trí kinh phí …")
                new = new or (short_prev and _heading_line(paras[-1]) and text[:1].isupper())
                if text[:1].islower() and not ln.indent:
                    new = False
            else:
                new = blank and not text[:1].islower()
                if not any(not x.text.strip() for x in lines):  # no blank lines: a line is a paragraph
                    new = not text[:1].islower()
        if new:
            paras.append(Paragraph(text, [ln]))
        else:
            paras[-1].text = collapse(paras[-1].text + " " + text)
            paras[-1].lines.append(ln)
        prev = ln
        blank = False
    return paras


def _comma_for_stop(text: str, prev: Line | None, last_number: int) -> str:
    """ "2, Bộ trưởng …": the next item's number with its stop read as a comma, at the start
    of a line after a sentence ended, in sequence with the items before it."""
    m = _COMMA_MARKER.match(text)
    if not m or prev is None or not prev.text.rstrip().endswith((".", ";", ":")):
        return text
    return f"{m.group(1)}.{text[m.end(1) + 1 :]}" if int(m.group(1)) == last_number + 1 else text


_COMMA_MARKER = re.compile(r"^(?:[-_.,'`‘’~|]\s?){0,2}(\d{1,2}),\s+(?=[A-ZĐÀ-Ỹ])")  # (". 6, Các sở": a speck too)


def _heading_line(para: Paragraph) -> bool:
    """``para`` is an item's marker and a few words on one line, without a sentence's end."""
    ends_sentence = para.text.rstrip().endswith((".", ",", ";"))
    return len(para.lines) == 1 and bool(ITEM_MARKER.match(para.text)) and not ends_sentence


def _heading(ln: Line) -> bool:
    text = ln.text.strip()
    return sum(ch.isalpha() for ch in text) >= 4 and text == text.upper()


def _continues_citation(paras: list[Paragraph], text: str) -> bool:
    """'… Công văn số' + newline + '15972/SXD-…' is not a new item '15972.'"""
    return bool(paras) and bool(re.match(r"^\d+/", text)) and paras[-1].text.rstrip().lower().endswith("số")


# ------------------------------------------------------------------ references
