"""The PDF reader: pages to words through the text layer, pdfium first; pdfplumber for
the pages pdfium gives nothing usable for and for whole files pdfium cannot open
(``read.pdf_reader = "pdfplumber"`` selects it alone); the numbers a records office
stamped into the blanks (``read.blanks``); then OCR (``READERS["ocr"]``, when
installed) for the pages neither can read.
"""

from __future__ import annotations

import logging
from typing import cast

from vanthu.models.document import InputFile, PageText
from vanthu.pipeline import warnings as say
from vanthu.pipeline.errors import (
    CorruptInput,
    EncryptedInput,
    NoTextFound,
    TooLarge,
    pdf_error,
    root_cause,
    unreadable,
)
from vanthu.pipeline.i18n import N_, _
from vanthu.pipeline.read.layers import judge_layers
from vanthu.pipeline.read.pdf_words import pdfium_words, text_layer_words
from vanthu.pipeline.read.quality import image_cover, usable_text_layer, words_to_page
from vanthu.pipeline.read.registry import READERS, PageReader, register
from vanthu.pipeline.settings import Settings

log = logging.getLogger(__name__)


@register("application/pdf")
def read_pdf(inp: InputFile, settings: Settings) -> list[PageText]:
    """Words of a PDF's text layer: pdfium first; pdfplumber for the pages pdfium gives
    nothing usable for, and for files pdfium cannot open; then OCR (``READERS["ocr"]``,
    when installed) for the pages neither can read."""
    max_pages = settings.limits.max_pages
    if settings.read.pdf_reader.lower() == "pdfplumber":
        pages = _pdfplumber_pages(inp, max_pages)
        annotated = {p.number for p in pages}
    else:
        try:
            pages, retry, annotated = _pdfium_pages(inp, max_pages)
        except CorruptInput as pdfium_error:
            try:
                pages, retry = _pdfplumber_pages(inp, max_pages), set()
                annotated = {p.number for p in pages}
            except CorruptInput:
                raise pdfium_error from None
        if retry:
            pages = _second_reading(inp, pages, retry, max_pages)
    if not pages:
        raise CorruptInput(inp.path, _("the PDF has no pages"))
    pages = _with_filled_blanks(inp, pages, annotated)
    ocr = READERS.get("ocr")
    pages = judge_layers(inp, pages, settings, can_ocr=ocr is not None)
    if ocr is not None and any(p.source == "ocr" for p in pages):
        return ocr_missing_pages(inp, pages, cast(PageReader, ocr), settings)
    if not any(p.words for p in pages):
        raise NoTextFound(inp.path, _("no page has a text layer (a scanned PDF needs OCR)"))
    return pages


def _check_page_count(inp: InputFile, n: int, max_pages: int) -> None:
    if n > max_pages:
        raise TooLarge(inp.path, _("{n} pages, over the limit of {max_pages}").format(n=n, max_pages=max_pages))


# --------------------------------------------------------------------------- pdfplumber
def _pdfplumber_pages(inp: InputFile, max_pages: int, only: set[int] | None = None) -> list[PageText]:
    """All pages (or the 1-based ``only`` ones) read by pdfplumber; typed errors."""
    import pdfplumber

    pages: list[PageText] = []
    try:
        with pdfplumber.open(inp.path) as pdf:
            _check_page_count(inp, len(pdf.pages), max_pages)
            for i, page in enumerate(pdf.pages, start=1):
                if only is None or i in only:
                    pages.append(_pdfplumber_page(i, page))
    except (TooLarge, NoTextFound):
        raise
    except Exception as exc:  # pdfminer raises many unrelated types on damaged files
        raise pdf_error(inp.path, exc) from None
    return pages


def _pdfplumber_page(i: int, page) -> PageText:
    w, h = float(page.width), float(page.height)
    try:
        cover = image_cover([(im["x0"], im["top"], im["x1"], im["bottom"]) for im in page.images], w, h)
        return words_to_page(i, w, h, text_layer_words(page), cover)
    except (TooLarge, MemoryError):
        raise
    except Exception as exc:  # one damaged page must not lose the others: OCR it
        return PageText(
            number=i,
            width=w,
            height=h,
            unit="pt",
            source="ocr",
            warnings=(say.page_text_layer_unreadable(i, type(root_cause(exc)).__name__),),
        )


def _second_reading(inp: InputFile, pages: list[PageText], missing: set[int], max_pages: int) -> list[PageText]:
    """pdfplumber's reading of the pages pdfium found no usable text on (kept where it
    is usable). pdfminer failing on a file pdfium opened is not an error."""
    try:
        again = {p.number: p for p in _pdfplumber_pages(inp, max_pages, missing) if p.source == "text-layer"}
    except (CorruptInput, EncryptedInput, TooLarge):
        return pages
    if again:
        log.debug("%s: pdfplumber read pages %s that pdfium could not", inp.name, sorted(again))
    return [again.get(p.number, p) for p in pages]


# --------------------------------------------------------------------------- pdfium
def _pdfium_pages(inp: InputFile, max_pages: int) -> tuple[list[PageText], set[int], set[int]]:
    """The pages as pdfium reads them; the numbers of those worth a second reading
    by pdfplumber: pages pdfium could not load, or whose words are garbage (a font
    pdfium cannot map; a page with no glyphs at all, a scan, has nothing to re-read);
    and the numbers of the pages that carry annotations."""
    pdf = _open_pdfium(inp)
    pages: list[PageText] = []
    retry: set[int] = set()
    annotated: set[int] = set()
    try:
        n = len(pdf)
        _check_page_count(inp, n, max_pages)
        for i in range(n):
            page, again, notes = _pdfium_page(pdf, i + 1)
            pages.append(page)
            if again:
                retry.add(i + 1)
            if notes:
                annotated.add(i + 1)
    finally:
        pdf.close()
    return pages, retry, annotated


def _open_pdfium(inp: InputFile):
    import pypdfium2 as pdfium

    try:
        return pdfium.PdfDocument(inp.path)
    except pdfium.PdfiumError as exc:
        if "password" in str(exc).lower():
            raise EncryptedInput(
                inp.path,
                _("the PDF is encrypted or its encryption is broken (pdfium: incorrect password)"),
                hint=_("decrypt it first, e.g. qpdf --decrypt in.pdf out.pdf"),
            ) from None
        raise unreadable(inp.path, str(exc), N_("the PDF cannot be opened: its structure is damaged")) from None


def _pdfium_page(pdf, number: int) -> tuple[PageText, bool, bool]:
    """Page ``number`` (1-based) as pdfium reads it; whether pdfplumber should read it
    again; whether it carries annotations."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    try:
        page = pdf[number - 1]
    except pdfium.PdfiumError:  # a broken page object: no words, OCR may still render it
        return (
            PageText(number=number, source="ocr", warnings=(say.page_not_loadable(number),)),
            True,
            False,
        )
    try:
        # the effective crop box (inherited boxes included), as pdfplumber measures
        left, bottom, right, top = page.get_bbox()
        w, h = float(right - left), float(top - bottom)
        try:
            textpage = page.get_textpage()
        except pdfium.PdfiumError:  # no text page: pdfplumber, then OCR, may still read it
            return (
                PageText(
                    number=number,
                    width=w,
                    height=h,
                    unit="pt",
                    source="ocr",
                    warnings=(say.page_text_not_loadable(number),),
                ),
                True,
                False,
            )
        try:
            words = pdfium_words(textpage, left, top)
        finally:
            textpage.close()
        cover = 0.0
        if words:  # a scan under a stamp, or under another engine's layer (read.quality)?
            images = page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=2)
            cover = image_cover([obj.get_bounds() for obj in images], w, h)
        garbage = bool(words) and not usable_text_layer(words, 0.0)  # words, but garbage
        return words_to_page(number, w, h, words, cover), garbage, pdfium_c.FPDFPage_GetAnnotCount(page.raw) > 0
    finally:
        page.close()


# --------------------------------------------------------------------------- hand-offs
def _with_filled_blanks(inp: InputFile, pages: list[PageText], annotated: set[int]) -> list[PageText]:
    """Text-layer pages with the number and day the records office stamped into their
    blanks as annotations (see ``blanks``)."""
    wanted = {p.number: list(p.words) for p in pages if p.source == "text-layer" and p.number in annotated}
    if not wanted:
        return pages
    from vanthu.pipeline.read.blanks import filled_blanks

    filled = filled_blanks(inp.path, wanted)
    return [
        p.model_copy(update={"words": p.words + tuple(filled[p.number])}) if p.number in filled else p for p in pages
    ]


def ocr_missing_pages(inp: InputFile, pages: list[PageText], ocr: PageReader, settings: Settings) -> list[PageText]:
    """Hand pages without a usable text layer to the OCR reader (registered as "ocr")."""
    wanted = [p.number for p in pages if p.source == "ocr"]
    recognised = {p.number: p for p in ocr(inp, settings, pages=wanted)}
    out = []
    for p in pages:
        if p.source == "ocr" and p.number in recognised:
            r = recognised[p.number]
            out.append(r.model_copy(update={"warnings": p.warnings + r.warnings, "reason": p.reason}))
        else:
            out.append(p)
    return out
