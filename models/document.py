"""Intermediate values passed between pipeline stages (no I/O).

``InputFile`` → ``PageText`` (positioned words per page, from a text layer or OCR, or
plain lines from a .txt/.md letter) → ``Line`` → ``Regions`` → the record.
A scanned page enters as the same ``PageText`` so the parsers never know where
the words came from.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from vanthu.models.record import BBoxUnit, TextSource


class Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class InputFile(Frozen):
    path: str
    name: str
    sha256: str
    media_type: str
    size: int


class Word(Frozen):
    text: str
    x0: float
    y0: float
    x1: float
    y1: float
    size: float = 0.0
    bold: bool = False
    italic: bool = False
    confidence: float = 1.0
    line: int | None = Field(default=None, description="The OCR engine's line this word belongs to")


class PageText(Frozen):
    number: int = Field(ge=1)
    width: float | None = None
    height: float | None = None
    unit: BBoxUnit | None = None
    source: TextSource
    words: tuple[Word, ...] = ()
    plain_lines: tuple[str, ...] | None = Field(default=None, description="Lines of a plain-text page (no geometry)")
    warnings: tuple[str, ...] = ()
    turn: int = Field(default=0, description="Degrees clockwise the OCR turned the page image to read it")
    reason: str | None = Field(default=None, description="Why its text layer was refused (read.language)")
    stamp: tuple[str, ...] = Field(
        default=(), description="The receipt stamp's lines, read apart from the page's words (never the letter's)"
    )


class Line(Frozen):
    """A run of words on one baseline and in one column (a segment of a printed line)."""

    text: str
    page: int
    x0: float | None = None
    y0: float | None = None
    x1: float | None = None
    y1: float | None = None
    size: float = 0.0
    bold: bool = False
    italic: bool = False
    confidence: float = 1.0
    column: Literal["left", "right", "full", "center"] | None = None
    unit: BBoxUnit | None = None
    indent: bool = False

    @property
    def bbox(self) -> tuple[float, float, float, float] | None:
        if self.x0 is None:
            return None
        return (self.x0, self.y0, self.x1, self.y1)  # type: ignore[return-value]


class Regions(Frozen):
    """The printed regions of a letter (Phụ lục I positions)."""

    header_left: tuple[Line, ...] = ()
    header_right: tuple[Line, ...] = ()
    number_line: Line | None = None
    place_date: Line | None = None
    marks: tuple[Line, ...] = ()
    subject_left: tuple[Line, ...] = ()
    title: tuple[Line, ...] = ()
    recipients: tuple[Line, ...] = ()
    body: tuple[Line, ...] = ()
    distribution: tuple[Line, ...] = ()
    signer: tuple[Line, ...] = ()
    stamp: tuple[Line, ...] = ()
