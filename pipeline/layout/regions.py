"""Stage 4: lines -> the printed regions of a letter (Phụ lục I of Nghị định 30).

Geometry decides columns where there is any (header left/right, Nơi nhận vs signer);
text cues decide the rest (Số:, place and date, V/v, the type name, Kính gửi, Nơi nhận,
signer prefixes), so the same splitter serves text layers, OCR and plain text.

The steps, top to bottom (``split_regions`` composes them):
``lines_to_header`` -> ``lines_to_title`` -> ``lines_to_signature_start`` ->
``signature_start_to_body_end`` -> ``lines_to_body`` (with ``label_to_recipients``) ->
``lines_to_signature``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from vanthu.models.document import Line, Regions
from vanthu.pipeline.layout.cues import (
    NUMBERED_ITEM,
    body_opener,
    in_capitals,
    is_mark,
    is_routing_note,
    mostly_capitals,
    split_mark,
)
from vanthu.pipeline.layout.recipients import lines_to_body
from vanthu.pipeline.layout.signature import lines_to_signature, lines_to_signature_start, signature_start_to_body_end
from vanthu.pipeline.rules.loader import alternation, number_line_match, patterns, rules
from vanthu.pipeline.text.normalize import canon, fold

PLACE_DATE_MAX_CHARS = 120  # a place/date line is short
PLACE_MAX_CHARS = 40  # and its place a name of a few words
HEADER_FULL_LINE_CHARS = 60  # after the number, a longer full-width line is body text
SUBJECT_MAX_CHARS = 300  # a subject under the type title is no longer
SUBJECT_MAX_LINES = 4
TITLE_GAP = 1.2  # a gap over this many line heights ends the title block
SUBJECT_EDGE_SLACK = 2.0  # a V/v line may reach this many line heights under the right column's edge
MIN_SUBJECT_WORDS_AFTER_TYPE = 2  # "THÔNG BÁO KẾT LUẬN …": words after a type name on its line
MAX_TYPE_NAME_WORDS = 4  # the longest type name ("THÔNG TƯ LIÊN TỊCH")
AUTHORITY_GAP = 0.6  # an authority line after a gap over this many line heights ends it

_STAMP_HEAD = re.compile(r"^\s*(?:(?:CV|CÔNG VĂN|VĂN BẢN)\s+)?ĐẾN\s*:?\s*$|^\s*ĐẾN\s+(?:Số|Ngày)", re.IGNORECASE)
_VV = re.compile(r"^[\s\-–_.'`~|]*(?:V\s*[/.lI1|]\s*v\b|Về\s)", re.IGNORECASE)  # after a speck: "- Về …"
_REGION_NAMES = (
    "header_left",
    "header_right",
    "marks",
    "subject_left",
    "title",
    "recipients",
    "body",
    "distribution",
    "signer",
    "stamp",
)


# ------------------------------------------------------------------ vocabulary (first use)
@cache
def _authority() -> re.Pattern:
    """A line naming the issuing authority under a decision's title ("CHỦ TỊCH …")."""
    return re.compile(rf"^(?:{alternation(rules().layout['authority_titles'], ' ')})\b")


@cache
def _stamp_field() -> re.Pattern:
    """A field label of the ĐẾN stamp ("Số:", "Ngày.", "Lưu hồ sơ số:")."""
    return re.compile(rf"^\s*(?:{alternation(rules().layout['stamp_fields'], ' ')})\s*[:.]", re.IGNORECASE)


@cache
def _motto_after_text() -> re.Pattern:
    """The motto printed after other text on one line ("ỦY BAN NHÂN DÂN TỈNH HÀ TÂY CỘNG HOÀ
    XÃ HỘI …"): an issuer on one line is long, and its row runs into the motto's."""
    motto = rules().phrases["motto"]
    return re.compile(rf"(?<=\S)\s+(?P<motto>(?:{alternation([canon(m) for m in motto] + motto)})\s*)$", re.IGNORECASE)


@cache
def _title_ends() -> frozenset[str]:
    return frozenset(rules().layout["title_ends"])


# ------------------------------------------------------------------ line tests
def _is_motto(line: Line) -> bool:
    return bool(patterns().motto.match(canon(line.text)))


def _is_place_date(line: Line) -> bool:
    t = line.text
    if len(t) >= PLACE_DATE_MAX_CHARS or NUMBERED_ITEM.match(t):
        return False
    if re.search(r"\bngày\b", t, re.IGNORECASE) and re.search(r"\b(tháng|năm)\b", t, re.IGNORECASE) and "," in t:
        return True
    # older forms: a short date after the comma ("Hà Nội, Ngày 05-03-1996"), or no comma
    # before a full date ("Hà nội ngày 5 tháng 3 năm 1996"); the place is a short name
    m = patterns().place_date.match(t)
    return bool(
        m
        and len(m.group("place")) <= PLACE_MAX_CHARS
        and not re.search(r"\d", m.group("place"))
        and (re.search(r"\btháng\b", m.group("rest"), re.IGNORECASE) or patterns().date_short.search(m.group("rest")))
    )


def _is_stamp_field(text: str, stamp: list[Line]) -> bool:
    """A field of the ĐẾN stamp: "Số: 2771", "Ngày: 05/9/2024", "Chuyển: …" — each once, and
    never the letter's own number line ("Số: 19/QĐ-UBND", with a symbol)."""
    m = _stamp_field().match(text)
    if not m or number_line_match(text):
        return False
    field = fold(text[: m.end()]).strip(" :.")
    return not any(fold(s.text).startswith(field) for s in stamp)


# ------------------------------------------------------------------ composition
def split_regions(lines: list[Line]) -> Regions:
    lines = without_routing_notes(lines)
    geometry = any(ln.x0 is not None for ln in lines)
    reg: dict[str, list[Line]] = {k: [] for k in _REGION_NAMES}
    i, header = lines_to_header(lines, geometry, reg)
    i = lines_to_title(lines, i, geometry, reg["title"])
    sig_start = lines_to_signature_start(lines, i, geometry)
    body_end = signature_start_to_body_end(lines, i, sig_start, geometry)
    lines_to_body(lines, i, body_end, geometry, reg)
    lines_to_signature(lines[body_end:], geometry, reg)
    return Regions(
        header_left=tuple(reg["header_left"]),
        header_right=tuple(reg["header_right"]),
        number_line=header.number_line,
        place_date=header.place_date,
        marks=tuple(reg["marks"]),
        subject_left=tuple(reg["subject_left"]),
        title=tuple(reg["title"]),
        recipients=tuple(reg["recipients"]),
        body=tuple(reg["body"]),
        distribution=tuple(reg["distribution"]),
        signer=tuple(reg["signer"]),
        stamp=tuple(reg["stamp"]),
    )


def without_routing_notes(lines: list[Line]) -> list[Line]:
    """``lines`` without the routing notes the receiving office added ("Chuyển: Phòng Tổng
    hợp xử lý", "Đồng chí … xem, cho ý kiến"): they name no issuer, recipient, subject or
    assignee of the letter. A "Chuyển:" field of the ĐẾN stamp stays with the stamp."""
    kept: list[Line] = []
    for ln in lines:
        text = ln.text.strip()
        if text and is_routing_note(text) and not _after_stamp_line(kept):
            continue
        kept.append(ln)
    return kept


def _after_stamp_line(kept: list[Line]) -> bool:
    """Is the last line of ``kept`` (not blank) the ĐẾN stamp's head or one of its fields?"""
    last = next((ln.text.strip() for ln in reversed(kept) if ln.text.strip()), "")
    return bool(_STAMP_HEAD.match(last) or (_stamp_field().match(last) and not number_line_match(last)))


# ------------------------------------------------------------------ header
@dataclass
class _Header:
    """What the header has shown so far."""

    number_line: Line | None = None
    place_date: Line | None = None
    in_stamp: bool = False
    in_subject: bool = False
    blank_after_subject: bool = False
    right_edge: float | None = None  # where the right column (motto, place and date) begins

    def saw_right(self, ln: Line) -> None:
        if ln.x0 is not None:
            self.right_edge = ln.x0 if self.right_edge is None else min(self.right_edge, ln.x0)

    def past_left_column(self, ln: Line) -> bool:
        """Does ``ln`` run on under the right column? A V/v subject stays in the left one."""
        if self.right_edge is None or ln.x1 is None or ln.y0 is None or ln.y1 is None:
            return False
        return ln.x1 > self.right_edge + SUBJECT_EDGE_SLACK * (ln.y1 - ln.y0)


def lines_to_header(lines: list[Line], geometry: bool, reg: dict[str, list[Line]]) -> tuple[int, _Header]:
    """The header lines (issuer, motto, number, place and date, marks, V/v subject, the ĐẾN
    stamp) into their regions; returns where the header ends and its number and date lines."""
    h = _Header()
    i = 0
    while i < len(lines):
        ln = lines[i]
        text = ln.text.strip()
        if not text:
            if h.in_subject:
                h.blank_after_subject = True
            i += 1  # a blank line does not end the stamp: its fields may be spaced out
            continue
        if _header_ends(ln, text, h, geometry):
            break
        if _stamp_line(ln, text, h, reg["stamp"]):
            i += 1
            continue
        h.in_stamp = False
        if not _header_line_to_region(ln, text, h, geometry, reg):
            break
        i += 1
    return i, h


def _header_ends(ln: Line, text: str, h: _Header, geometry: bool) -> bool:
    """The type title, Kính gửi / Nơi nhận, or (after the number) the body's first line."""
    p = patterns()
    if rules().type_by_title(text) and (not geometry or ln.column in ("center", "full") or ln.bold):
        return True
    if h.number_line is not None and _type_name_then_subject(ln, geometry) is not None:
        return True  # "THÔNG BÁO KẾT LUẬN CỦA …": the type name and the subject on one line
    if p.recipients_label.match(text) or p.distribution_label.match(text):
        return True
    if geometry and h.in_subject and ln.column == "full" and h.past_left_column(ln):
        return True  # the body's first line, right under the subject: full width
    long_full = geometry and ln.column == "full" and len(text) > HEADER_FULL_LINE_CHARS and not h.in_subject
    return h.number_line is not None and (body_opener(text) or long_full)


def _stamp_line(ln: Line, text: str, h: _Header, stamp: list[Line]) -> bool:
    """The ĐẾN stamp's head or one of its fields, into ``stamp``."""
    if _STAMP_HEAD.match(text):
        h.in_stamp = True
    elif not (h.in_stamp and _is_stamp_field(text, stamp)):
        return False
    stamp.append(ln)
    return True


def _header_line_to_region(ln: Line, text: str, h: _Header, geometry: bool, reg: dict[str, list[Line]]) -> bool:
    """One header line into its region; False when it starts the body instead."""
    beside = None if is_mark(ln) else split_mark(ln, lambda rest: _number_or_date(rest, h))
    if beside is not None:  # a stamp printed beside the number or the date line
        rest, mark = beside
        reg["marks"].append(mark)
        return all(_header_line_to_region(part, part.text, h, geometry, reg) for part in rest)
    motto = _motto_after_text().search(text) if h.number_line is None else None
    if motto:  # the issuer and the motto read as one row: each to its own column
        left = ln.model_copy(update={"text": text[: motto.start()], "column": "left"})
        right = ln.model_copy(update={"text": motto.group("motto").strip(), "column": "right"})
        return all(_header_line_to_region(part, part.text, h, geometry, reg) for part in (left, right))
    if _is_motto(ln):
        reg["header_right"].append(ln)
        h.saw_right(ln)
    elif h.number_line is None and number_line_match(text):
        h.number_line = ln
    elif h.place_date is None and _is_place_date(ln):
        h.place_date = ln
        h.saw_right(ln)
    elif is_mark(ln):
        reg["marks"].append(ln)
    elif _VV.match(text) and h.number_line is not None:
        h.in_subject = True
        reg["subject_left"].append(ln)
    elif h.in_subject and not h.blank_after_subject and (not geometry or ln.column in ("left", "center")):
        reg["subject_left"].append(ln)
    elif h.number_line is None and (not geometry or ln.column in ("left", "center", None)):
        reg["header_left"].append(ln)
    elif h.number_line is None and ln.column == "right" and h.place_date is None:
        reg["header_right"].append(ln)
    elif h.number_line is not None and not geometry and not h.in_subject:
        return False  # plain text: the first unknown line after the number starts the body
    return True


def _number_or_date(text: str, h: _Header) -> bool:
    """A number line or a place and date line, while the header lacks it."""
    if h.number_line is None and number_line_match(text):
        return True
    return h.place_date is None and _is_place_date(Line(text=text, page=1))


# ------------------------------------------------------------------ title
def lines_to_title(lines: list[Line], i: int, geometry: bool, title: list[Line]) -> int:
    """The type title at ``lines[i]`` ("QUYẾT ĐỊNH") and the subject lines under it, into
    ``title``; returns the index after them."""
    n = len(lines)
    if i >= n:
        return i
    if not rules().type_by_title(lines[i].text.strip()):
        parts = _type_name_then_subject(lines[i], geometry)
        if parts is None:
            return i
        title.extend(parts)
        return lines_to_title_subject(lines, i + 1, geometry, title)
    title.append(lines[i])
    return lines_to_title_subject(lines, i + 1, geometry, title)


def _type_name_then_subject(ln: Line, geometry: bool) -> tuple[Line, Line] | None:
    """A title line in capitals that prints the type name and the subject's first words
    together ("THÔNG BÁO KẾT LUẬN CỦA BAN BÍ THƯ"), as two lines: the type name and the rest."""
    text = ln.text.strip()
    words = text.split()
    if not in_capitals(text) or len(words) < 1 + MIN_SUBJECT_WORDS_AFTER_TYPE:
        return None
    if geometry and ln.column not in ("center", "full"):
        return None
    for k in range(min(len(words) - MIN_SUBJECT_WORDS_AFTER_TYPE, MAX_TYPE_NAME_WORDS), 0, -1):
        if rules().type_by_title(" ".join(words[:k])):
            head, rest = " ".join(words[:k]), " ".join(words[k:])
            if ln.x0 is None or ln.x1 is None:
                return ln.model_copy(update={"text": head}), ln.model_copy(update={"text": rest})
            cut = ln.x0 + (ln.x1 - ln.x0) * (len(head) + 1) / max(len(text), 1)
            return (
                ln.model_copy(update={"text": head, "x1": cut}),
                ln.model_copy(update={"text": rest, "x0": cut}),
            )
    return None


def lines_to_title_subject(lines: list[Line], i: int, geometry: bool, title: list[Line]) -> int:
    """The subject lines under the type name ``title[0]`` from ``lines[i]``, into ``title``
    (after any already there); returns the index after them."""
    n = len(lines)
    prev = title[-1]
    while i < n:
        ln = lines[i]
        if not ln.text.strip():
            i += 1
            if title[1:]:
                break
            continue
        if geometry and not any(ch.isalnum() for ch in ln.text):
            i += 1  # a speck read as a line ("|" beside the title): neither title nor its end
            continue
        if not _title_goes_on(lines, i, title, prev, geometry):
            break
        title.append(ln)
        prev = ln
        i += 1
    return i


def _title_goes_on(lines: list[Line], i: int, title: list[Line], prev: Line, geometry: bool) -> bool:
    """Is ``lines[i]`` (not blank) more of the title block: a subject line under the type name?"""
    ln = lines[i]
    text = ln.text.strip()
    if patterns().recipients_label.match(text) or text.rstrip(":") in _title_ends():
        return False
    if body_opener(text) and not (len(title) == 1 and _subject_after_title(lines, i, geometry)):
        return False
    subject_so_far = [x.text for x in title[1:]]
    if (
        subject_so_far
        and all(mostly_capitals(x) for x in subject_so_far)
        and not mostly_capitals(text)
        and not text[:1].islower()
    ):
        # a subject in capitals ends where running text begins (OCR has no bold to tell); a
        # line in lower case goes on with it, since running text begins with a capital: the
        # Party's "KẾT LUẬN CỦA BAN BÍ THƯ" / "về …" (Hướng dẫn 36-HD/VPTW)
        return False
    if not geometry:
        return not (len(title) > 1 and _authority().match(text))
    gap = (ln.y0 or 0) - (prev.y1 or 0)
    height = (prev.y1 or 0) - (prev.y0 or 0)
    centred = ln.column in ("center", "full") and ln.bold == title[0].bold
    if not centred or (len(title) > 1 and gap > TITLE_GAP * height) or ln.page != prev.page:
        return False
    return not (len(title) > 1 and _authority().match(text) and gap > AUTHORITY_GAP * height)


def _subject_after_title(lines: list[Line], i: int, geometry: bool) -> bool:
    """Is the paragraph at ``lines[i]``, right under the type title and starting like a
    body ("Triển khai …", "Thực hiện …"), the document's subject? A subject cites no
    document, is not a numbered item, does not end like a sentence or a lead-in
    (";", ":", ","), and is printed bold; a body's opening paragraph is none of these."""
    text = lines[i].text.strip()
    if re.match(r"^\s*Căn\s+cứ\b", text, re.IGNORECASE) or NUMBERED_ITEM.match(text):
        return False
    para: list[Line] = []
    for ln in lines[i : i + SUBJECT_MAX_LINES]:
        if not ln.text.strip() or (para and geometry and (ln.page != para[-1].page or ln.bold != para[0].bold)):
            break
        para.append(ln)
    joined = " ".join(ln.text.strip() for ln in para)
    if (
        joined.rstrip().endswith((";", ":", ",", "./."))
        or patterns().symbol.search(joined)
        or len(joined) > SUBJECT_MAX_CHARS
    ):
        return False
    if geometry:  # the subject under a type title is bold (ND30); body text is not
        return all(ln.bold and ln.column in ("center", "full") for ln in para)
    return True
