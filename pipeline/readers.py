"""Stage 2: positioned words per page. Engines sit behind one small contract:

    reader(InputFile) -> list[PageText]

registered by media type in ``READERS``. The text-layer reader (pdfplumber) and the
plain-text reader live here; the OCR reader registers itself for images and for PDF
pages without a usable text layer, so the parsers never know where words came from.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from pathlib import Path

from vanthu.models.document import InputFile, PageText, Word
from vanthu.pipeline.errors import CorruptInput, NoTextFound, TooLarge, UnsupportedFormat, pdf_error, root_cause
from vanthu.pipeline.text import nfc

Reader = Callable[[InputFile], list[PageText]]
READERS: dict[str, Reader] = {}

MAX_PAGES = 500
# A page whose text layer has fewer words than this holds at most a stamp or a page
# number: its content is an image (e.g. a scan with a digital-signature text box).
MIN_WORDS_TEXT_PAGE = 25
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


def text_layer_words(page) -> list[Word]:  # page: pdfplumber.page.Page
    words = page.extract_words(
        x_tolerance=1.5, y_tolerance=3, keep_blank_chars=False, use_text_flow=False,
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


def usable_text_layer(words: list[Word]) -> bool:
    """Enough real words, and not CID codes, replacement characters or mojibake."""
    if len(words) < MIN_WORDS_TEXT_PAGE:
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


@register("application/pdf")
def read_pdf(inp: InputFile) -> list[PageText]:
    import pdfplumber

    pages: list[PageText] = []
    try:
        with pdfplumber.open(inp.path) as pdf:
            n = len(pdf.pages)
            if n > MAX_PAGES:
                raise TooLarge(inp.path, f"{n} pages, over the limit of {MAX_PAGES}")
            for i, page in enumerate(pdf.pages, start=1):
                try:
                    words = text_layer_words(page)
                    problem = f"page {i}: no usable text layer ({len(words)} words)"
                except (TooLarge, MemoryError):
                    raise
                except Exception as exc:  # one damaged page must not lose the others: OCR it
                    words, problem = [], f"page {i}: text layer unreadable ({type(root_cause(exc)).__name__})"
                ok = usable_text_layer(words)
                pages.append(PageText(
                    number=i, width=float(page.width), height=float(page.height), unit="pt",
                    source="text-layer" if ok else "ocr", words=tuple(words) if ok else (),
                    warnings=() if ok else (problem,),
                ))
    except (TooLarge, NoTextFound):
        raise
    except Exception as exc:  # pdfminer raises many unrelated types on damaged files
        raise pdf_error(inp.path, exc) from None
    if not pages:
        raise CorruptInput(inp.path, "the PDF has no pages")
    ocr = READERS.get("ocr")
    if ocr is not None and any(p.source == "ocr" for p in pages):
        return ocr_missing_pages(inp, pages, ocr)
    if not any(p.words for p in pages):
        raise NoTextFound(inp.path, "no page has a text layer (a scanned PDF needs OCR)")
    return pages


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
    from vanthu.pipeline.ocr import ocr_pages

    return ocr_pages(inp)


def read_pdf_by_ocr(inp: InputFile, pages: list[int] | None = None) -> list[PageText]:
    from vanthu.pipeline.ocr import ocr_pages

    return ocr_pages(inp, pages=pages)


READERS["ocr"] = read_pdf_by_ocr  # type: ignore[assignment]
