"""Glyphs to words: the words of one PDF page's text layer, as pypdfium2 (the primary
reader: fast, opens files pdfminer cannot) and pdfplumber (the second reader) give them.

Both group glyphs the way pdfplumber's ``extract_words`` does, with the same tolerances,
and give boxes in pdfminer's convention, so the two readers give the same geometry.
"""

from __future__ import annotations

from dataclasses import dataclass

from vanthu.models.document import Word
from vanthu.pipeline.text.normalize import nfc

X_TOLERANCE = 1.5  # a gap wider than this (pt) between two glyphs ends a word
Y_TOLERANCE = 3.0  # a baseline jump larger than this ends a word
_ITALIC_FLAG = 1 << 6  # PDF font descriptor flag "Italic"
_FONT_NAME_BYTES = 256


def font_style(fontname: str) -> tuple[bool, bool]:
    """(bold, italic) from a font's name."""
    name = fontname.split("+", 1)[-1].lower()
    bold = any(k in name for k in ("bold", "black", "heavy", ",b", "-b", "semibold"))
    italic = any(k in name for k in ("italic", "oblique", ",i", "-i"))
    return bold, italic


# --------------------------------------------------------------------------- pdfplumber
def text_layer_words(page) -> list[Word]:  # page: pdfplumber.page.Page
    words = page.extract_words(
        x_tolerance=X_TOLERANCE,
        y_tolerance=Y_TOLERANCE,
        keep_blank_chars=False,
        use_text_flow=False,
        extra_attrs=["fontname", "size"],
    )
    out = []
    for w in words:
        text = nfc(w["text"]).strip()
        if not text:
            continue
        bold, italic = font_style(w.get("fontname", ""))
        out.append(
            Word(
                text=text,
                x0=w["x0"],
                y0=w["top"],
                x1=w["x1"],
                y1=w["bottom"],
                size=float(w.get("size", 0.0)),
                bold=bold,
                italic=italic,
            )
        )
    return out


# --------------------------------------------------------------------------- pdfium
def pdfium_words(textpage, page_left: float, page_top: float) -> list[Word]:
    """Words of one page from pdfium's text page: glyphs grouped into words the way
    pdfplumber's ``extract_words`` does (break at a space, a gap wider than the
    x tolerance, or a baseline change), each with its font size and style.

    Boxes follow pdfminer's convention so both readers give the same geometry: a word
    runs from its first glyph's origin to the end of its last glyph's advance; y1 is
    the bottom of the font's descent and y0 one em above it, whatever the glyphs.
    """
    text = pdfium_text(textpage.raw)
    if not text:
        return []
    # pdfium computes in float32: rounding to 3 decimals gives back the PDF's numbers
    return _PdfiumPage(textpage.raw, text, round(page_left, 3), round(page_top, 3)).glyphs_to_words()


def pdfium_text(tp) -> str:
    """Every character of pdfium's text page (``tp``: its raw handle), one per glyph
    index; a hyphen that ends a line as "-"."""
    import ctypes

    import pypdfium2.raw as pdfium_c

    n = pdfium_c.FPDFText_CountChars(tp)
    if n <= 0:
        return ""
    buf = ctypes.create_string_buffer((n + 1) * 2)
    got = pdfium_c.FPDFText_GetText(tp, 0, n, ctypes.cast(buf, ctypes.POINTER(ctypes.c_ushort)))
    text = buf.raw[: max(got - 1, 0) * 2].decode("utf-16-le", errors="replace")
    if len(text) != n:  # characters outside the BMP: indices no longer line up
        text = "".join(chr(pdfium_c.FPDFText_GetUnicode(tp, i)) for i in range(n))
    # pdfium marks a hyphen that ends a line as U+FFFE (older builds: U+0002)
    return text.replace("\ufffe", "-").replace("\x02", "-")


@dataclass
class _Run:
    """The glyphs of the word being read: first and last index, left and right edge,
    the first glyph's bottom and the last glyph's em top."""

    start: int
    last: int
    x0: float
    x1: float
    bottom: float
    top: float

    def extend(self, i: int, left: float, right: float, top: float) -> None:
        if left < self.x1:  # the previous glyph overhangs this one: its advance ends here
            self.x1 = left
        if right > self.x1:
            self.x1 = right
        self.last, self.top = i, top


class _PdfiumPage:
    """One text page's glyphs, grouped into words (``glyphs_to_words``)."""

    def __init__(self, tp, text: str, page_left: float, page_top: float):
        import ctypes

        import pypdfium2.raw as pdfium_c

        self.c, self.ctypes = pdfium_c, ctypes
        self.tp, self.text = tp, text
        self.page_left, self.page_top = page_left, page_top
        self.normal = nfc(text) == text  # then no word needs normalising on its own
        self.rect = pdfium_c.FS_RECTF()
        self.ox, self.oy = ctypes.c_double(), ctypes.c_double()
        self.advance = ctypes.c_float()
        self.name_buf = ctypes.create_string_buffer(_FONT_NAME_BYTES)
        self.flags = ctypes.c_int()
        self.styles: dict[tuple[bytes, int], tuple[bool, bool]] = {}
        self.words: list[Word] = []

    def glyphs_to_words(self) -> list[Word]:
        c, tp, rect = self.c, self.tp, self.rect
        run: _Run | None = None
        for i, ch in enumerate(self.text):
            if ch == "\x00" or not c.FPDFText_GetLooseCharBox(tp, i, rect):
                continue
            left, right, low = rect.left, rect.right, rect.bottom
            if ch.isspace():
                if run is not None:
                    # a typed space begins where the glyph before it ends; a generated
                    # one (pdfium's guess at a gap, or a line end) says nothing
                    typed = abs(low - run.bottom) <= Y_TOLERANCE and left > run.x0 and not c.FPDFText_IsGenerated(tp, i)
                    self._close(run, left if typed else None)
                    run = None
                continue
            top = low + c.FPDFText_GetFontSize(tp, i)  # the em box's top, as pdfminer measures a glyph
            if run is not None:
                # a new word after a gap, a jump back, or a change of line (tops apart, as
                # pdfplumber compares them: a superscript "VHTin534" after "KGVX" is apart)
                if left - run.x1 > X_TOLERANCE or abs(top - run.top) > Y_TOLERANCE or right < run.x0:
                    self._close(run, None)
                else:
                    run.extend(i, left, right, top)
                    continue
            run = _Run(i, i, left, right, low, top)
        if run is not None:
            self._close(run, None)
        return self.words

    def _close(self, run: _Run, end_at: float | None) -> None:
        """The word of ``run``; ``end_at``: where the next glyph on the line begins, else None."""
        right = self._word_end(run, end_at)
        w = self.text[run.start : run.last + 1]
        w = w if self.normal else nfc(w)
        if w.strip():
            self.words.append(self._word(w.strip(), run, right))

    def _word_end(self, run: _Run, end_at: float | None) -> float:
        """The right edge: the loose box covers the ink, which may overhang the advance
        (an italic glyph, a stacked tone mark): end at the next glyph, or at the advance."""
        c, tp, right = self.c, self.tp, run.x1
        if end_at is not None and end_at < right:
            right = end_at
        elif end_at is None:
            last = run.last
            font = c.FPDFTextObj_GetFont(c.FPDFText_GetTextObject(tp, last))
            if (
                font
                and c.FPDFFont_GetGlyphWidth(font, ord(self.text[last]), c.FPDFText_GetFontSize(tp, last), self.advance)
                and self.advance.value > 0
            ):
                c.FPDFText_GetCharOrigin(tp, last, self.ox, self.oy)
                right = min(right, self.ox.value + self.advance.value)
        return right

    def _word(self, text: str, run: _Run, right: float) -> Word:
        c, tp = self.c, self.tp
        size = round(c.FPDFText_GetFontSize(tp, run.start), 3)
        c.FPDFText_GetFontInfo(tp, run.start, self.name_buf, _FONT_NAME_BYTES, self.ctypes.byref(self.flags))
        key = (self.name_buf.value, self.flags.value)
        style = self.styles.get(key) or self.styles.setdefault(key, _font_style(*key))
        c.FPDFText_GetCharOrigin(tp, run.start, self.ox, self.oy)
        y1 = round(self.page_top - run.bottom, 3)
        return Word(
            text=text,
            x0=round(self.ox.value - self.page_left, 3),
            y0=round(y1 - size, 3),
            x1=round(right - self.page_left, 3),
            y1=y1,
            size=size,
            bold=style[0],
            italic=style[1],
            confidence=1.0,
        )


def _font_style(name: bytes, flags: int) -> tuple[bool, bool]:
    bold, italic = font_style(name.decode("latin-1"))
    return bold, italic or bool(flags & _ITALIC_FLAG)
