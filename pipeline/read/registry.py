"""Stage 2's contract: every engine that turns an input into positioned words is a
:class:`Reader`, registered by the media type it reads in ``READERS``.

    reader(InputFile, Settings) -> list[PageText]

The text-layer readers (``read.pdf``), the plain-text reader (``read.plain``) and the
OCR bridge (``read.ocr_bridge``, for images, and as ``READERS["ocr"]`` for PDF pages
without a usable text layer) register themselves when imported; ``read.pages`` imports
them all, so the parsers never know where words came from.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:  # pragma: no cover
    from vanthu.models.document import InputFile, PageText
    from vanthu.pipeline.settings import Settings


class Reader(Protocol):
    def __call__(self, inp: InputFile, settings: Settings) -> list[PageText]: ...


class PageReader(Protocol):
    """A reader that can read only some pages (1-based; None: all): the OCR reader,
    registered as ``READERS["ocr"]`` for the PDF pages without a usable text layer."""

    def __call__(self, inp: InputFile, settings: Settings, pages: list[int] | None = None) -> list[PageText]: ...


READERS: dict[str, Reader] = {}


def register(media_type: str) -> Callable[[Reader], Reader]:
    """Decorator: ``fn`` reads files of ``media_type`` (the last registration wins)."""

    def deco(fn: Reader) -> Reader:
        READERS[media_type] = fn
        return fn

    return deco
