"""Stage 4, the recipients: "Kính gửi:" with its entries (``label_to_recipients``), split
from the body lines around them (``lines_to_body``)."""

from __future__ import annotations

import re

from vanthu.models.document import Line
from vanthu.pipeline.layout.cues import BULLET, NUMBERED_ITEM, body_opener, is_speck
from vanthu.pipeline.rules.loader import patterns

#: how far short of the next line's right end (in line heights) a recipient line may stop
#: and still have wrapped into it
WRAP_RIGHT_SLACK = 0.5
LIST_NAME_MAX_WORDS = 4  # a place or unit name in a list after "…:" (Đắk Lắk, Bà Rịa - Vũng Tàu)


def lines_to_body(lines: list[Line], start: int, end: int, geometry: bool, reg: dict[str, list[Line]]) -> None:
    """``lines[start:end]`` into the body, and Kính gửi with its entries into the recipients."""
    j = start
    while j < end:
        ln = lines[j]
        text = ln.text.strip()
        if patterns().recipients_label.match(text):
            j = label_to_recipients(lines, j, end, reg["recipients"])
            continue
        if text:
            reg["body"].append(ln)
        elif not geometry and reg["body"]:
            reg["body"].append(ln)  # blank lines separate paragraphs in plain text
        j += 1


def label_to_recipients(lines: list[Line], j: int, end: int, out: list[Line]) -> int:
    """'Kính gửi: X' and the '- A;' lines after it. Returns the index after them."""
    label = lines[j]
    rest = patterns().recipients_label.sub("", label.text, count=1).strip()
    if rest:
        out.append(label.model_copy(update={"text": rest}))
    j += 1
    while j < end:
        ln = lines[j]
        text = ln.text.strip()
        if not text:
            j += 1
            if out and not (j < end and BULLET.match(lines[j].text or "")):
                break
            continue
        if is_speck(text):
            j += 1  # a speck the scan read beside the list ("|")
            continue
        if not _recipient_goes_on(ln, text, label, out):
            break
        out.append(ln)
        j += 1
    return j


def _recipient_goes_on(ln: Line, text: str, label: Line, out: list[Line]) -> bool:
    """Is ``ln`` (not blank) one more entry of Kính gửi, or the rest of the one before?"""
    last = out[-1].text.rstrip() if out else ""
    if BULLET.match(text) and not NUMBERED_ITEM.match(text):
        # an entry left of the label after a full stop is the body's list, not a recipient
        return not (out and last.endswith(".") and ln.x0 is not None and label.x0 is not None and ln.x0 < label.x0 - 5)
    if last.endswith(";") and text.endswith((";", ".")) and not body_opener(text) and not NUMBERED_ITEM.match(text):
        # one more entry whose dash the scan lost ("- A;" / "Ban Quản lý Dự án 85;"), or the
        # last one ("… Lâm Đồng;" / "Bộ trưởng, Thủ trưởng cơ quan ngang bộ, …."): the list
        # goes on after a ";"
        return True
    # an entry ending in ":" goes on with the list it introduces ("Chủ tịch UBND các tỉnh: /
    # Hà Tĩnh, Quảng Trị, …"), never with a sentence
    open_item = bool(out) and not last.endswith((";", "."))
    if last.endswith(":"):
        open_item = _names_list(text)
    if not open_item or body_opener(text):
        return False
    return ln.x0 is None or label.x0 is None or ln.x0 >= label.x0 - 2 or _wrapped_into(out[-1], ln)


def _wrapped_into(prev: Line, ln: Line) -> bool:
    """``prev`` ran to the right margin and wrapped into ``ln``, back at the left margin
    left of an indented label ("THỦ TƯỚNG CHÍNH PHỦ điện:" / "- Bí thư …, thành phố" /
    "trực thuộc Trung ương: Hà Tĩnh, …"): ``prev`` reaches as far right as ``ln`` does."""
    if prev.x1 is None or ln.x1 is None or prev.y0 is None or prev.y1 is None:
        return False
    return prev.x1 >= ln.x1 - WRAP_RIGHT_SLACK * (prev.y1 - prev.y0)


def _names_list(text: str) -> bool:
    """A line of names separated by commas, each of one to four capitalised words
    ("Hà Tĩnh, Quảng Trị, Huế,"): what follows a recipient entry ending in ":"."""
    parts = [p.strip(" ;.") for p in re.split(r",|\bvà\b", text) if p.strip(" ;.")]
    return len(parts) >= 2 and all(
        1 <= len(p.split()) <= LIST_NAME_MAX_WORDS and all(w[:1].isupper() for w in p.split()) for p in parts
    )
