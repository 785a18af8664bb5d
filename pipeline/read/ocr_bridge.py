"""The OCR reader, as stage 2 sees it: images (PNG, JPEG, TIFF), and the PDF pages
without a usable text layer (``READERS["ocr"]``), read by Tesseract (``pipeline.ocr``).

Imported lazily: OpenCV and Tesseract are only needed for scans, and the text-layer
path must start fast.
"""

from __future__ import annotations

from vanthu.models.document import InputFile, PageText
from vanthu.pipeline.read.registry import READERS, register
from vanthu.pipeline.settings import Settings


@register("image/png")
@register("image/jpeg")
@register("image/tiff")
def read_image(inp: InputFile, settings: Settings) -> list[PageText]:
    from vanthu.pipeline.ocr.pages import ocr_pages

    return ocr_pages(inp, opts=_options(settings))


def read_pdf_by_ocr(inp: InputFile, settings: Settings, pages: list[int] | None = None) -> list[PageText]:
    from vanthu.pipeline.ocr.pages import ocr_pages

    return ocr_pages(inp, pages=pages, opts=_options(settings))


def _options(settings: Settings):
    from vanthu.pipeline.ocr.options import OcrOptions

    return OcrOptions.from_settings(settings.ocr, settings.cache_dir)


READERS["ocr"] = read_pdf_by_ocr
