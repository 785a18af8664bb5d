"""List entries (Kính gửi, Nơi nhận): bulleted lines -> entries without their bullets,
final punctuation, or the specks a scan leaves round them."""

from __future__ import annotations

import re

from vanthu.models.document import Line
from vanthu.pipeline.fields.unitjoins import starts_unit
from vanthu.pipeline.layout.cues import BULLET
from vanthu.pipeline.provenance import ProvenanceLog
from vanthu.pipeline.text.normalize import collapse

# specks of a scan before a bullet ("_ - Bộ Tư pháp") and after an entry's end ("…; -")
_SPECKS = re.compile(r"^[_`'|~]+\s*")
#: the signs of a speck after an entry's end ("…; -")
_SPECK_SIGNS = "-–—_`'|~"
_TRAILING_SPECKS = re.compile(rf"(?:\s+[{re.escape(_SPECK_SIGNS)}]+)+$")


def strip_item(text: str) -> str:
    """A list entry without its bullet and final ';' / '.' / ',', nor the specks a scan
    leaves round them ("_ - Bộ Tư pháp", "Văn phòng Chính phủ; -")."""
    text = collapse(BULLET.sub("", text))
    text = re.sub(r"^(?:[^\w(“\"]|_)+(?=\w)", "", text)
    return _without_final_marks(text).strip()


_FINAL_MARKS = ";.,:"


def _without_final_marks(text: str) -> str:
    """``text`` without the stops, commas and colons at its end, nor a run of specks after a
    space there ("…; -"). Walked from the end, not matched: a pattern of runs within runs
    is exponential on a dotted blank ("Kính gửi: ……………")."""
    i = len(text)
    while i > 0:
        if text[i - 1].isspace() or text[i - 1] in _FINAL_MARKS:
            i -= 1
            continue
        j = i
        while j > 0 and text[j - 1] in _SPECK_SIGNS:
            j -= 1
        if j == i or j == 0 or not text[j - 1].isspace():
            break
        i = j
    return text[:i]


def join_entries(
    lines: tuple[Line, ...] | list[Line], prov: ProvenanceLog, pointer: str, *, names_wrap_at_dashes: bool = False
) -> list[str]:
    """Bulleted entries ("- A;", wrapped lines joined), bullets and final punctuation stripped.
    ``names_wrap_at_dashes``: a line may wrap at the dash inside a unit's name (the
    recipients; not the distribution list, whose short entries often lose their ';' on a
    scan: measured, its entries were joined); there, addressees listed on one line and
    parted by ';' are entries of their own."""
    entries: list[list[Line]] = []
    lines = [ln for ln in lines if ln.text.strip()]
    inside = _dashes_inside_names(lines) if names_wrap_at_dashes else set()
    for k, ln in enumerate(lines):
        text = ln.text.strip()
        starts_new = (bool(BULLET.match(_SPECKS.sub("", text))) and k not in inside) or not entries
        if not starts_new:
            prev = _TRAILING_SPECKS.sub("", entries[-1][-1].text.rstrip())
            starts_new = prev.endswith((";", ".")) and not text[:1].islower()
        if starts_new:
            entries.append([ln])
        else:
            entries[-1].append(ln)
    out: list[str] = []
    for group in entries:
        text = strip_item(" ".join(ln.text.strip() for ln in group))
        # "Kính gửi: Sở Tài chính; Sở Nội vụ.": addressees listed on one line, each an entry
        parts = [strip_item(x) for x in _outside_brackets_split(text)] if names_wrap_at_dashes else [text]
        for part in parts:
            if any(ch.isalnum() for ch in part):  # (a speck of the seal is no entry: "_", "`")
                prov.add(f"{pointer}/{len(out)}", group)
                out.append(part)
    return out


def _outside_brackets_split(text: str) -> list[str]:
    """``text`` parted at each "; " outside brackets ("Bà A (Địa chỉ: …; Số ĐT: …)" is one)."""
    parts, depth, start = [], 0, 0
    for i, ch in enumerate(text):
        depth += (ch == "(") - (ch == ")")
        if ch == ";" and depth <= 0 and text[i + 1 : i + 2].isspace():
            parts.append(text[start:i])
            start = i + 1
    return [*parts, text[start:]]


_ENDS_ENTRY = re.compile(r"[;.,:]\s*$")
LIST_STYLE_ENTRIES = 2  # entries ending in ';' that show a list ends its entries so


def _dashes_inside_names(lines: list[Line]) -> set[int]:
    """The lines opening with a dash that go on the entry before them: in a list whose
    entries end in ';' (or ',', '.'), a line after one that ends in a bare word ("Các Cục:
    …, Kinh tế" / "- Quản lý đầu tư xây dựng, …;") wraps at the dash inside a name ("Kinh
    tế - Quản lý đầu tư xây dựng"), and opens no entry, unless a unit starts after its
    dash ("- Sở Y tế" after an entry that lost its ';')."""
    bulleted = [k for k, ln in enumerate(lines) if k and BULLET.match(_SPECKS.sub("", ln.text.strip()))]
    bare = [k for k in bulleted if not _ENDS_ENTRY.search(_TRAILING_SPECKS.sub("", lines[k - 1].text.rstrip()))]
    if len(bulleted) - len(bare) < max(LIST_STYLE_ENTRIES, 2 * len(bare)):
        return set()
    out = set()
    for k in bare:
        after = BULLET.sub("", lines[k].text.strip())
        # a dash, then a capitalised field that starts no unit ("- Sở Y tế" would be an entry)
        if lines[k].text.strip()[:1] in "-–" and after[:1].isupper() and not starts_unit(after):
            out.add(k)
    return out
