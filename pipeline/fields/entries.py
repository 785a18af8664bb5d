"""List entries (Kính gửi, Nơi nhận): bulleted lines -> entries without their bullets,
final punctuation, or the specks a scan leaves round them."""

from __future__ import annotations

import re

from vanthu.models.document import Line
from vanthu.pipeline.layout.cues import BULLET
from vanthu.pipeline.provenance import ProvenanceLog
from vanthu.pipeline.text.normalize import collapse

# specks of a scan before a bullet ("_ - Bộ Tư pháp") and after an entry's end ("…; -")
_SPECKS = re.compile(r"^[_`'|~]+\s*")
_TRAILING_SPECK = r"\s+[-–—_`'|~]+"
_TRAILING_SPECKS = re.compile(rf"(?:{_TRAILING_SPECK})+$")


def strip_item(text: str) -> str:
    """A list entry without its bullet and final ';' / '.' / ',', nor the specks a scan
    leaves round them ("_ - Bộ Tư pháp", "Văn phòng Chính phủ; -")."""
    text = collapse(BULLET.sub("", text))
    text = re.sub(r"^(?:[^\w(“\"]|_)+(?=\w)", "", text)
    return re.sub(rf"(?:\s*[;.,:]+|{_TRAILING_SPECK})+\s*$", "", text).strip()


def join_entries(lines: tuple[Line, ...] | list[Line], prov: ProvenanceLog, pointer: str) -> list[str]:
    """Bulleted entries ("- A;", wrapped lines joined), bullets and final punctuation stripped."""
    entries: list[list[Line]] = []
    for ln in lines:
        text = ln.text.strip()
        if not text:
            continue
        starts_new = bool(BULLET.match(_SPECKS.sub("", text))) or not entries
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
        if any(ch.isalnum() for ch in text):  # (a speck of the seal is no entry: "_", "`")
            prov.add(f"{pointer}/{len(out)}", group)
            out.append(text)
    return out
