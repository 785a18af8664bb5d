"""Where each field was read: JSON pointer -> page, box and confidence of its lines."""

from __future__ import annotations

from vanthu.models.document import Line
from vanthu.models.record import Provenance


class ProvenanceLog:
    def __init__(self) -> None:
        self._entries: dict[str, Provenance] = {}

    def add(self, pointer: str, lines: list[Line] | tuple[Line, ...]) -> None:
        lines = [ln for ln in lines if ln is not None]
        if not lines:
            return
        page = lines[0].page
        same_page = [ln for ln in lines if ln.page == page]
        boxed = [ln for ln in same_page if ln.x0 is not None]
        boxes = [box for ln in boxed if (box := ln.bbox) is not None]  # (``bbox`` is None when x0 is)
        bbox = None
        if boxes:
            bbox = (
                round(min(b[0] for b in boxes), 1),
                round(min(b[1] for b in boxes), 1),
                round(max(b[2] for b in boxes), 1),
                round(max(b[3] for b in boxes), 1),
            )
        self._entries[pointer] = Provenance(
            page=page,
            bbox=bbox,
            unit=boxed[0].unit if boxed else None,
            confidence=round(min(ln.confidence for ln in lines), 3),
        )

    def entries(self) -> dict[str, Provenance]:
        return dict(self._entries)

    def confidence(self, pointer: str) -> float | None:
        e = self._entries.get(pointer)
        return e.confidence if e else None
