"""A quick OCR of one strip of a PDF page, to check a borderline text layer against the
scan under it (``read.layers``): about a tenth of the page around its middle word, read
at a low resolution in one Tesseract call (a fraction of a second)."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from vanthu.models.document import PageText, Word
from vanthu.pipeline.ocr.options import OcrOptions

STRIP_DPI = 200  # enough for body text, a quarter of the pixels of a full reading
STRIP_HEIGHT_SHARE = 0.1  # of the page's height, centred on the layer's middle word
STRIP_PSM = 6  # one uniform block of text


def strip_words(page: PageText) -> tuple[float, float, list[Word]]:
    """(top, bottom) of the strip in the page's unit, and the layer's words in it."""
    words = sorted(page.words, key=lambda w: (w.y0 + w.y1) / 2)
    height = page.height or max(w.y1 for w in words)
    mid = (words[len(words) // 2].y0 + words[len(words) // 2].y1) / 2
    top = max(0.0, mid - height * STRIP_HEIGHT_SHARE / 2)
    bottom = min(height, top + height * STRIP_HEIGHT_SHARE)
    inside = [w for w in words if top <= (w.y0 + w.y1) / 2 <= bottom]
    return top, bottom, reading_order(inside)


def reading_order(words: list[Word]) -> list[Word]:
    """Words by line (centres closer than half a word's height), then left to right."""
    lines: list[list[Word]] = []
    for w in sorted(words, key=lambda w: (w.y0 + w.y1) / 2):
        centre = (w.y0 + w.y1) / 2
        if lines and abs(centre - sum((v.y0 + v.y1) / 2 for v in lines[-1]) / len(lines[-1])) < (w.y1 - w.y0) / 2:
            lines[-1].append(w)
        else:
            lines.append([w])
    return [w for line in lines for w in sorted(line, key=lambda w: w.x0)]


def strip_reading(path: str | Path, page: PageText, opts: OcrOptions) -> tuple[list[Word], list[Word]]:
    """(the layer's words in the strip, in reading order; the words OCR reads there)."""
    from vanthu.pipeline.ocr import tesseract
    from vanthu.pipeline.ocr.raster import render_pdf_pages

    top, bottom, layer = strip_words(page)
    _, image = next(render_pdf_pages(path, dpi=STRIP_DPI, pages=[page.number], grey=True))
    k = image.height / (page.height or image.height)
    crop = image.crop((0, int(top * k), image.width, int(bottom * k) + 1))
    opts = dataclasses.replace(opts, dpi=STRIP_DPI, psm=STRIP_PSM)
    try:
        data = tesseract.run_tesseract(crop, opts, path, page.number)
    except tesseract.PageTimedOut:
        return layer, []
    return layer, tesseract.words_from_data(data, min_conf=0)
