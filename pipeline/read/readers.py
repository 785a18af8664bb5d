"""Stage 2: positioned words per page. Engines sit behind one small contract:

    reader(InputFile) -> list[PageText]

registered by media type in ``READERS``. The text-layer readers (pypdfium2 first,
pdfplumber for what pdfium cannot read) and the plain-text reader live here; the OCR reader registers itself for images and for PDF
pages without a usable text layer, so the parsers never know where words came from.
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Callable
from pathlib import Path

from vanthu.models.document import InputFile, PageText, Word
from vanthu.pipeline.errors import (
    CorruptInput,
    EncryptedInput,
    NoTextFound,
    TooLarge,
    UnsupportedFormat,
    pdf_error,
    root_cause,
)
from vanthu.pipeline.text.normalize import nfc

log = logging.getLogger(__name__)

Reader = Callable[[InputFile], list[PageText]]
READERS: dict[str, Reader] = {}

MAX_PAGES = 500
# A page whose text layer has fewer words than this, and which is mostly an image,
# holds at most a stamp or a page number over a scan (e.g. a digital-signature box):
# its content needs OCR. A short page without a large image is simply short.
MIN_WORDS_TEXT_PAGE = 25
SCAN_IMAGE_COVER = 0.2  # images covering this share of a page make it a scan
_GARBAGE = re.compile(r"\(cid:\d+\)|[\ufffd]")


def register(media_type: str) -> Callable[[Reader], Reader]:
    def deco(fn: Reader) -> Reader:
        READERS[media_type] = fn
        return fn

    return deco


def read_pages(inp: InputFile) -> list[PageText]:
    reader = READERS.get(inp.media_type)
    if reader is None:
        raise UnsupportedFormat(inp.path, f"no reader for {inp.media_type} in this installation")
    return reader(inp)


# --------------------------------------------------------------------------- plain text
_MD_MARKUP = re.compile(r"(\*\*|__|(?<!\w)\*(?!\s)|(?<!\s)\*(?!\w)|^#+\s*|^>\s*)")


@register("text/plain")
@register("text/markdown")
def read_plain_text(inp: InputFile) -> list[PageText]:
    raw = Path(inp.path).read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise UnsupportedFormat(inp.path, "text file is not UTF-8", hint="save it as UTF-8") from None
    lines = []
    for line in nfc(text).splitlines():
        line = _MD_MARKUP.sub("", line.rstrip())
        line = line.replace("*", "") if inp.media_type == "text/markdown" else line
        lines.append(line.strip())
    if not any(lines):
        raise NoTextFound(inp.path, "the text file holds only whitespace")
    return [PageText(number=1, source="plain-text", plain_lines=tuple(lines))]


# --------------------------------------------------------------------------- text layer
def _style(fontname: str) -> tuple[bool, bool]:
    name = fontname.split("+", 1)[-1].lower()
    bold = any(k in name for k in ("bold", "black", "heavy", ",b", "-b", "semibold"))
    italic = any(k in name for k in ("italic", "oblique", ",i", "-i"))
    return bold, italic


def usable_text_layer(words: list[Word], image_cover: float = 1.0) -> bool:
    """Real words, not CID codes, replacement characters or mojibake; and enough of them
    unless the page has no large image (``image_cover``: the share of the page under images)."""
    if not words or (len(words) < MIN_WORDS_TEXT_PAGE and image_cover >= SCAN_IMAGE_COVER):
        return False
    bad = sum(bool(_GARBAGE.search(w.text)) for w in words)
    return bad / len(words) < 0.1 and not mojibake("".join(w.text for w in words))


# Letters Vietnamese is written with (beyond ASCII), in NFC.
_VIET = set("àáâãèéêìíòóôõùúýăđĩũơưÀÁÂÃÈÉÊÌÍÒÓÔÕÙÚÝĂĐĨŨƠƯ") | {chr(c) for c in range(0x1EA0, 0x1EFA)}


def mojibake(text: str) -> bool:
    """Text of a legacy Vietnamese font encoding (TCVN3/ABC: ``Uû ban nh©n d©n``;
    VNI: ``Vieät Nam``) read as Latin-1: many letters and signs Vietnamese never uses."""
    chars = [ch for ch in text if not ch.isascii()]
    if not chars:
        return False
    foreign = sum(ch not in _VIET and ch not in "§°±\u00a0" and (ch.isalpha() or "\u00a0" <= ch <= "\u00bf")
                  for ch in chars)
    letters = sum(ch.isalpha() for ch in text)
    return foreign >= 5 and foreign / max(letters, 1) > 0.03


# pdfium: the primary text-layer reader (fast; opens files pdfminer cannot)
_X_TOLERANCE = 1.5  # a gap wider than this (pt) between two glyphs ends a word
_Y_TOLERANCE = 3.0  # a baseline jump larger than this ends a word
_ITALIC_FLAG = 1 << 6  # PDF font descriptor flag "Italic"


def pdfium_words(textpage, page_left: float, page_top: float) -> list[Word]:
    """Words of one page from pdfium's text page: glyphs grouped into words the way
    pdfplumber's ``extract_words`` does (break at a space, a gap wider than the
    x tolerance, or a baseline change), each with its font size and style.

    Boxes follow pdfminer's convention so both readers give the same geometry: a word
    runs from its first glyph's origin to the end of its last glyph's advance; y1 is
    the bottom of the font's descent and y0 one em above it, whatever the glyphs.
    """
    import ctypes

    import pypdfium2.raw as pdfium_c

    tp = textpage.raw
    n = pdfium_c.FPDFText_CountChars(tp)
    if n <= 0:
        return []
    buf = ctypes.create_string_buffer((n + 1) * 2)
    got = pdfium_c.FPDFText_GetText(tp, 0, n, ctypes.cast(buf, ctypes.POINTER(ctypes.c_ushort)))
    text = buf.raw[: max(got - 1, 0) * 2].decode("utf-16-le", errors="replace")
    if len(text) != n:  # characters outside the BMP: indices no longer line up
        text = "".join(chr(pdfium_c.FPDFText_GetUnicode(tp, i)) for i in range(n))
    # pdfium marks a hyphen that ends a line as U+FFFE (older builds: U+0002)
    text = text.replace("\ufffe", "-").replace("\x02", "-")
    # pdfium computes in float32: rounding to 3 decimals gives back the PDF's numbers
    page_left, page_top = round(page_left, 3), round(page_top, 3)
    rect = pdfium_c.FS_RECTF()
    ox, oy = ctypes.c_double(), ctypes.c_double()
    advance = ctypes.c_float()
    loose_box, is_generated = pdfium_c.FPDFText_GetLooseCharBox, pdfium_c.FPDFText_IsGenerated
    normal = nfc(text) == text  # then no word needs normalising on its own
    font_size = pdfium_c.FPDFText_GetFontSize
    name_buf = ctypes.create_string_buffer(256)
    flags = ctypes.c_int()
    styles: dict[tuple[bytes, int], tuple[bool, bool]] = {}

    words: list[Word] = []
    start = -1  # index of the word's first glyph
    last = -1  # index of its last glyph
    x0 = x1 = bottom = prev_top = 0.0

    def flush(end_at: float | None) -> None:
        """Close the word (``text[start:last + 1]``); ``end_at``: where the next
        glyph on the line begins, else None."""
        nonlocal start
        right = x1
        # the loose box covers the ink, which may overhang the advance (an italic
        # glyph, a stacked tone mark): end at the next glyph, or at the advance
        if end_at is not None and end_at < right:
            right = end_at
        elif end_at is None:
            font = pdfium_c.FPDFTextObj_GetFont(pdfium_c.FPDFText_GetTextObject(tp, last))
            if font and pdfium_c.FPDFFont_GetGlyphWidth(font, ord(text[last]), font_size(tp, last), advance) \
                    and advance.value > 0:
                pdfium_c.FPDFText_GetCharOrigin(tp, last, ox, oy)
                right = min(right, ox.value + advance.value)
        w = text[start:last + 1] if normal else nfc(text[start:last + 1])
        if w.strip():
            size = round(font_size(tp, start), 3)
            pdfium_c.FPDFText_GetFontInfo(tp, start, name_buf, 256, ctypes.byref(flags))
            key = (name_buf.value, flags.value)
            style = styles.get(key) or styles.setdefault(key, _font_style(*key))
            pdfium_c.FPDFText_GetCharOrigin(tp, start, ox, oy)
            y1 = round(page_top - bottom, 3)
            words.append(Word(text=w.strip(), x0=round(ox.value - page_left, 3), y0=round(y1 - size, 3),
                                   x1=round(right - page_left, 3), y1=y1, size=size,
                                   bold=style[0], italic=style[1], confidence=1.0))
        start = -1

    for i, ch in enumerate(text):
        if ch == "\x00" or not loose_box(tp, i, rect):
            continue
        left, right, low = rect.left, rect.right, rect.bottom
        if ch.isspace():
            if start >= 0:
                # a typed space begins where the glyph before it ends; a generated
                # one (pdfium's guess at a gap, or a line end) says nothing
                typed = abs(low - bottom) <= _Y_TOLERANCE and left > x0 and not is_generated(tp, i)
                flush(left if typed else None)
            continue
        top = low + font_size(tp, i)  # the em box's top, as pdfminer measures a glyph
        if start >= 0:
            # a new word after a gap, a jump back, or a change of line (tops apart, as
            # pdfplumber compares them: a superscript "VHTin534" after "KGVX" is apart)
            if left - x1 > _X_TOLERANCE or abs(top - prev_top) > _Y_TOLERANCE or right < x0:
                flush(None)
            else:
                if left < x1:  # the previous glyph overhangs this one: its advance ends here
                    x1 = left
                if right > x1:
                    x1 = right
                last, prev_top = i, top
                continue
        start, last, x0, x1, bottom, prev_top = i, i, left, right, low, top
    if start >= 0:
        flush(None)
    return words


def _font_style(name: bytes, flags: int) -> tuple[bool, bool]:
    bold, italic = _style(name.decode("latin-1"))
    return bold, italic or bool(flags & _ITALIC_FLAG)


# pdfplumber: the second text-layer reader. It reads the pages pdfium's text layer
# gives nothing usable for (pdfminer decodes some fonts pdfium cannot map to Unicode)
# and whole files pdfium refuses to open; VANTHU_PDF_READER=pdfplumber selects it.
def text_layer_words(page) -> list[Word]:  # page: pdfplumber.page.Page
    words = page.extract_words(
        x_tolerance=_X_TOLERANCE, y_tolerance=_Y_TOLERANCE, keep_blank_chars=False, use_text_flow=False,
        extra_attrs=["fontname", "size"],
    )
    out = []
    for w in words:
        text = nfc(w["text"]).strip()
        if not text:
            continue
        bold, italic = _style(w.get("fontname", ""))
        out.append(Word(text=text, x0=w["x0"], y0=w["top"], x1=w["x1"], y1=w["bottom"],
                        size=float(w.get("size", 0.0)), bold=bold, italic=italic))
    return out


def _page_text(number: int, width: float, height: float, words: list[Word], image_cover: float) -> PageText:
    ok = usable_text_layer(words, image_cover)
    return PageText(
        number=number, width=width, height=height, unit="pt",
        source="text-layer" if ok else "ocr", words=tuple(words) if ok else (),
        warnings=() if ok else (f"page {number}: no usable text layer ({len(words)} words)",),
    )


def _cover(boxes: list[tuple[float, float, float, float]], width: float, height: float) -> float:
    """The share of the page under the largest of ``boxes`` (x0, y0, x1, y1)."""
    if not boxes or width <= 0 or height <= 0:
        return 0.0
    return max(max(0.0, x1 - x0) * max(0.0, y1 - y0) for x0, y0, x1, y1 in boxes) / (width * height)


def _pdfplumber_pages(inp: InputFile, only: set[int] | None = None) -> list[PageText]:
    """All pages (or the 1-based ``only`` ones) read by pdfplumber; typed errors."""
    import pdfplumber

    pages: list[PageText] = []
    try:
        with pdfplumber.open(inp.path) as pdf:
            n = len(pdf.pages)
            if n > MAX_PAGES:
                raise TooLarge(inp.path, f"{n} pages, over the limit of {MAX_PAGES}")
            for i, page in enumerate(pdf.pages, start=1):
                if only is None or i in only:
                    w, h = float(page.width), float(page.height)
                    try:
                        cover = _cover([(im["x0"], im["top"], im["x1"], im["bottom"]) for im in page.images], w, h)
                        pages.append(_page_text(i, w, h, text_layer_words(page), cover))
                    except (TooLarge, MemoryError):
                        raise
                    except Exception as exc:  # one damaged page must not lose the others: OCR it
                        pages.append(PageText(number=i, width=w, height=h, unit="pt", source="ocr", warnings=(
                            f"page {i}: text layer unreadable ({type(root_cause(exc)).__name__})",)))
    except (TooLarge, NoTextFound):
        raise
    except Exception as exc:  # pdfminer raises many unrelated types on damaged files
        raise pdf_error(inp.path, exc) from None
    return pages


def _pdfium_pages(inp: InputFile) -> tuple[list[PageText], set[int], set[int]]:
    """The pages as pdfium reads them; the numbers of those worth a second reading
    by pdfplumber: pages pdfium could not load, or whose words are garbage (a font
    pdfium cannot map; a page with no glyphs at all, a scan, has nothing to re-read);
    and the numbers of the pages that carry annotations."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    try:
        pdf = pdfium.PdfDocument(inp.path)
    except pdfium.PdfiumError as exc:
        if "password" in str(exc).lower():
            raise EncryptedInput(inp.path, "the PDF is encrypted or its encryption is broken (pdfium: incorrect password)",
                                 hint="decrypt it first, e.g. qpdf --decrypt in.pdf out.pdf") from None
        raise CorruptInput(inp.path, f"the PDF cannot be opened ({exc})") from None
    pages: list[PageText] = []
    retry: set[int] = set()
    annotated: set[int] = set()
    try:
        n = len(pdf)
        if n > MAX_PAGES:
            raise TooLarge(inp.path, f"{n} pages, over the limit of {MAX_PAGES}")
        for i in range(n):
            try:
                page = pdf[i]
            except pdfium.PdfiumError:  # a broken page object: no words, OCR may still render it
                pages.append(PageText(number=i + 1, source="ocr",
                                      warnings=(f"page {i + 1}: the page object cannot be loaded",)))
                retry.add(i + 1)
                continue
            try:
                # the effective crop box (inherited boxes included), as pdfplumber measures
                left, bottom, right, top = page.get_bbox()
                w, h = float(right - left), float(top - bottom)
                try:
                    textpage = page.get_textpage()
                except pdfium.PdfiumError:  # no text page: pdfplumber, then OCR, may still read it
                    pages.append(PageText(number=i + 1, width=w, height=h, unit="pt", source="ocr",
                                          warnings=(f"page {i + 1}: pdfium cannot load its text",)))
                    retry.add(i + 1)
                    continue
                try:
                    words = pdfium_words(textpage, left, top)
                finally:
                    textpage.close()
                cover = 1.0
                if 0 < len(words) < MIN_WORDS_TEXT_PAGE:  # a short page, or a scan with a stamp?
                    images = page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=2)
                    cover = _cover([obj.get_bounds() for obj in images], w, h)
                pages.append(_page_text(i + 1, w, h, words, cover))
                if words and not usable_text_layer(words, 0.0):  # words, but garbage
                    retry.add(i + 1)
                if pdfium_c.FPDFPage_GetAnnotCount(page.raw) > 0:
                    annotated.add(i + 1)
            finally:
                page.close()
    finally:
        pdf.close()
    return pages, retry, annotated


@register("application/pdf")
def read_pdf(inp: InputFile) -> list[PageText]:
    """Words of a PDF's text layer: pdfium first; pdfplumber for the pages pdfium gives
    nothing usable for, and for files pdfium cannot open; then OCR (``READERS["ocr"]``,
    when installed) for the pages neither can read."""
    if os.environ.get("VANTHU_PDF_READER", "").lower() == "pdfplumber":
        pages = _pdfplumber_pages(inp)
        annotated = {p.number for p in pages}
    else:
        try:
            pages, retry, annotated = _pdfium_pages(inp)
        except CorruptInput as pdfium_error:
            try:
                pages, retry = _pdfplumber_pages(inp), set()
                annotated = {p.number for p in pages}
            except CorruptInput:
                raise pdfium_error from None
        if retry:
            pages = _second_reading(inp, pages, retry)
    if not pages:
        raise CorruptInput(inp.path, "the PDF has no pages")
    pages = _with_filled_blanks(inp, pages, annotated)
    ocr = READERS.get("ocr")
    if ocr is not None and any(p.source == "ocr" for p in pages):
        return ocr_missing_pages(inp, pages, ocr)
    if not any(p.words for p in pages):
        raise NoTextFound(inp.path, "no page has a text layer (a scanned PDF needs OCR)")
    return pages


def _with_filled_blanks(inp: InputFile, pages: list[PageText], annotated: set[int]) -> list[PageText]:
    """Text-layer pages with the number and day the records office stamped into their
    blanks as annotations (see ``blanks``)."""
    wanted = {p.number: list(p.words) for p in pages if p.source == "text-layer" and p.number in annotated}
    if not wanted:
        return pages
    from vanthu.pipeline.read.blanks import filled_blanks

    filled = filled_blanks(inp.path, wanted)
    return [p.model_copy(update={"words": p.words + tuple(filled[p.number])}) if p.number in filled else p
            for p in pages]


def _second_reading(inp: InputFile, pages: list[PageText], missing: set[int]) -> list[PageText]:
    """pdfplumber's reading of the pages pdfium found no usable text on (kept where it
    is usable). pdfminer failing on a file pdfium opened is not an error."""
    try:
        again = {p.number: p for p in _pdfplumber_pages(inp, missing) if p.source == "text-layer"}
    except (CorruptInput, EncryptedInput, TooLarge):
        return pages
    if again:
        log.debug("%s: pdfplumber read pages %s that pdfium could not", inp.name, sorted(again))
    return [again.get(p.number, p) for p in pages]


def ocr_missing_pages(inp: InputFile, pages: list[PageText], ocr) -> list[PageText]:
    """Hand pages without a usable text layer to the OCR reader (registered as "ocr")."""
    wanted = [p.number for p in pages if p.source == "ocr"]
    recognised = {p.number: p for p in ocr(inp, wanted)}
    out = []
    for p in pages:
        if p.source == "ocr" and p.number in recognised:
            r = recognised[p.number]
            out.append(r.model_copy(update={"warnings": p.warnings + r.warnings}))
        else:
            out.append(p)
    return out


# --------------------------------------------------------------------------- OCR
# Imported lazily: OpenCV and Tesseract are only needed for scans, and the text-layer
# path must start fast.
@register("image/png")
@register("image/jpeg")
@register("image/tiff")
def read_image(inp: InputFile) -> list[PageText]:
    from vanthu.pipeline.ocr.pages import ocr_pages

    return ocr_pages(inp)


def read_pdf_by_ocr(inp: InputFile, pages: list[int] | None = None) -> list[PageText]:
    from vanthu.pipeline.ocr.pages import ocr_pages

    return ocr_pages(inp, pages=pages)


READERS["ocr"] = read_pdf_by_ocr  # type: ignore[assignment]
