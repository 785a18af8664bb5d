"""The copying office's block of a copy (SAO Y / SAO LỤC / TRÍCH SAO, Nghị định 30 Điều
25-26): who copied the letter, its number ("Số: 05/SY-UBND"), place and date, and who
signed the copy. The lines come from ``layout.ends`` (a part of kind ``copy``)."""

from __future__ import annotations

import re

from vanthu.models.document import Line
from vanthu.models.record import CopyBlock
from vanthu.pipeline.fields.dates import parse_date_phrase
from vanthu.pipeline.layout.cues import PERSON_NAME
from vanthu.pipeline.layout.ends import HEADING_MAX_CHARS
from vanthu.pipeline.rules.loader import patterns, rules
from vanthu.pipeline.text.normalize import fold

_NUMBER = re.compile(r"Số\s*[:.]?\s*(?P<ns>\d+\s*/\s*[\wĐđ][\w\-Đđ/]*)", re.IGNORECASE)
_PLACE_DATE = re.compile(r"^(?P<place>[^,]{2,40}),\s*ngày\b", re.IGNORECASE)
#: the copy's kinds, by their folded heading
_KINDS = {"sao y": "SAO Y", "sao luc": "SAO LỤC", "trich sao": "TRÍCH SAO"}


def copy_kind(text: str) -> str | None:
    folded = fold(text).strip()
    return next((kind for key, kind in _KINDS.items() if folded.startswith(key)), None)


def read_copy(lines: list[Line]) -> CopyBlock | None:
    """The copy block of ``lines`` (a ``copy`` part), None when no copy form is printed."""
    kind = next((k for ln in lines if (k := copy_kind(ln.text))), None)
    if kind is None:
        return None
    block = CopyBlock(kind=kind, pages=sorted({ln.page for ln in lines}))  # type: ignore[arg-type]
    issuer: list[str] = []
    prefixes = {fold(v) for vs in rules().signer_prefixes.values() for v in vs}
    for ln in lines:
        t = ln.text.strip()
        if not t or patterns().distribution_label.match(t) or t.startswith(("-", "+")):
            continue
        if block.number_symbol is None and (m := _NUMBER.search(t)):
            block.number_symbol = "".join(m.group("ns").split())
        elif block.date is None and (m := _PLACE_DATE.match(t)):
            block.place = m.group("place").strip()
            block.date = parse_date_phrase(t)[0]
        elif PERSON_NAME.match(t) and t != t.upper():
            block.signer_name = t
        elif t == t.upper() and len(t) <= HEADING_MAX_CHARS and copy_kind(t) is None:
            if block.number_symbol is None and block.date is None:
                issuer.append(t)
            elif not any(fold(t).startswith(p.rstrip(".")) for p in prefixes):
                block.signer_title = t
    block.issuer = " ".join(issuer) or None
    return block
