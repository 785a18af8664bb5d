"""Where each field was read: JSON pointer -> page, box and confidence of its lines."""

from __future__ import annotations

from vanthu.models.document import Line
from vanthu.models.record import Provenance

#: The confidence of a value that cannot be right as read (a day 42, a number with
#: letters in it): under the warning threshold, so that every view marks it.
FLAGGED_CONFIDENCE = 0.3


class ProvenanceLog:
    def __init__(self) -> None:
        self._entries: dict[str, Provenance] = {}
        self._flags: dict[str, tuple[str, str]] = {}

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

    def flag(self, pointer: str, lines: list[Line] | tuple[Line, ...], kind: str, printed: str) -> None:
        """The value at ``pointer`` cannot be as read (``kind``: "date", "number", "symbol";
        ``printed``: what was read): its confidence is lowered and it gets a warning of
        its own (``warnings.implausible``)."""
        if lines:
            self.add(pointer, lines)
        entry = self._entries.get(pointer)
        if entry is not None:
            self._entries[pointer] = entry.model_copy(update={"confidence": min(entry.confidence, FLAGGED_CONFIDENCE)})
        self._flags[pointer] = (kind, printed)

    def unflag(self, pointer: str) -> None:
        """Another reading of the same value confirmed it."""
        self._flags.pop(pointer, None)

    def flags(self) -> dict[str, tuple[str, str]]:
        """JSON pointer -> (kind, as printed) of every value flagged as impossible."""
        return dict(self._flags)

    def entries(self) -> dict[str, Provenance]:
        return dict(self._entries)

    def page(self, pointer: str) -> int | None:
        e = self._entries.get(pointer)
        return e.page if e else None

    def confidence(self, pointer: str) -> float | None:
        e = self._entries.get(pointer)
        return e.confidence if e else None
