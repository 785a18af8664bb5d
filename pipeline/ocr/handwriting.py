"""Re-read the slots of the header that are filled in by hand.

Letters are printed with gaps that the records office fills in by pen when the letter
is registered: the number in ``Số: ___/UBND-VP`` and the day (sometimes the month) in
``ngày ___ tháng ___ năm 2024``. Full-page OCR reads a handwritten ``660`` as ``6§0``
or drops it, and then the number line no longer parses. Here each slot is located
from the printed words around it, cropped from the cleaned page image and read again
as digits only; what is still unreadable is removed with a warning, so the number line
parses with a blank number rather than taking junk.
"""

from __future__ import annotations

import re

from vanthu.models.document import Word
from vanthu.pipeline import warnings as say
from vanthu.pipeline.ocr.digits import DigitReader

# Below this Tesseract's reading of handwriting is more often wrong than right (measured
# on the real scans: right answers 0.69-0.95, wrong ones 0.34-0.58): a blank is better.
# Each digit reader has its own floor (``digits.DIGIT_FLOORS``).
MIN_CONFIDENCE = 0.6

_O = "ốôóoỏồổỗộơớờởỡợ0ỐÔÓOỎỒỔỖỘƠỚỜỞỠỢ"
_SO = re.compile(rf"^S[{_O}]\s*[:;.]?$")
_SO_GLUED = re.compile(rf"^(S[{_O}]\s*[:;.])([^/]+)$")
_NGAY = re.compile(r"^ng[àa]", re.IGNORECASE)
_THANG = re.compile(r"^th[aáà]ng", re.IGNORECASE)
_NAM = re.compile(r"^n[ăắằẩa]m$", re.IGNORECASE)
_DIGITS = re.compile(r"^\d{1,6}$")
_NGAY_THANG = re.compile(r"^(ngày)(.{1,4}?)(th[aáà]ng)$", re.IGNORECASE)


def _row(words: list[Word], anchor: Word) -> list[Word]:
    h = anchor.y1 - anchor.y0
    mid = (anchor.y0 + anchor.y1) / 2
    return sorted(
        (w for w in words if abs((w.y0 + w.y1) / 2 - mid) < 0.8 * h and w.x0 >= anchor.x0 - 1), key=lambda w: w.x0
    )


def _clean(slot: list[Word], max_len: int) -> str | None:
    text = "".join(w.text for w in slot)
    if _DIGITS.match(text) and len(text) <= max_len and min(w.confidence for w in slot) >= 0.75:
        return text
    return None


def _ink_box(pen, box: tuple[int, int, int, int]) -> tuple[int, int, int, int] | None:
    """The bounding box of the pen strokes inside ``box`` of the pen image (None: no ink)."""
    import numpy as np

    arr = np.asarray(pen.crop(box))
    ys, xs = np.nonzero(arr < 128)
    if len(xs) < 30:
        return None
    pad = 6
    return (
        box[0] + max(int(xs.min()) - pad, 0),
        box[1] + max(int(ys.min()) - pad, 0),
        box[0] + int(xs.max()) + pad,
        box[1] + int(ys.max()) + pad,
    )


def _digits_in(read: DigitReader, crop, kind: str) -> tuple[str, float] | None:
    digits, conf = read(crop, kind)
    digits = re.sub(r"\D", "", digits)
    return (digits, conf) if digits else None


def _reread(
    image,
    box: tuple[float, float, float, float],
    read: DigitReader,
    kind: str,
    scale: float,
    pen=None,
    reach: tuple[float, float] = (0.0, 0.0),
    lines: bool = False,
) -> tuple[str, float] | None:
    """The slot's digits: from the blue pen image when it has ink there; else, with
    ``lines``, read in its line with the print around it (the boxes of the printed words
    are often stretched over the pen digits, and the slot between them then cuts a digit
    off); else from the slot's own crop."""
    x0, y0, x1, y1 = box
    h = y1 - y0
    if pen is not None:
        # Blue handwriting is separated from the print by colour, so the slot may reach
        # into the printed words around it (pens overflow the gap).
        wide = (
            int(max((x0 - reach[0]) * scale, 0)),
            int(max((y0 - 0.9 * h) * scale, 0)),
            int((x1 + reach[1]) * scale),
            int((y1 + 0.6 * h) * scale),
        )
        ink = _ink_box(pen, wide)
        got = _digits_in(read, pen.crop(ink), kind) if ink is not None else None
        if got:
            return got
    if lines:
        in_line = (
            int(max((x0 - reach[0]) * scale, 0)),
            int(max((y0 - 0.3 * h) * scale, 0)),
            int((x1 + reach[1]) * scale),
            int((y1 + 0.3 * h) * scale),
        )
        got = _digits_in(read, image.crop(in_line), "line:" + kind) if in_line[2] - in_line[0] >= 4 else None
        if got:
            return got
    crop_box = (
        int(max(x0 * scale, 0)),
        int(max((y0 - 0.5 * h) * scale, 0)),
        int(x1 * scale),
        int((y1 + 0.5 * h) * scale),
    )
    if crop_box[2] - crop_box[0] < 4 or crop_box[3] - crop_box[1] < 4:
        return None
    return _digits_in(read, image.crop(crop_box), kind)


def _glued(word: Word, n: int) -> tuple[Word, Word]:
    """``word`` cut after its first ``n`` letters: the printed part and what was glued on."""
    x_cut = word.x0 + (word.x1 - word.x0) * n / len(word.text)
    tail = Word(
        text=word.text[n:], x0=x_cut, y0=word.y0, x1=word.x1, y1=word.y1, confidence=word.confidence, line=word.line
    )
    return word.model_copy(update={"text": word.text[:n], "x1": x_cut}), tail


def _printed_part(word: Word, n: int, cw: float | None, stretched_side: str) -> tuple[Word, Word | None]:
    """The printed ``n``-letter word without handwriting glued to it (returned apart) or
    with its box shrunk back where it was stretched over the pen on ``stretched_side``."""
    if len(word.text) > n:
        return _glued(word, n)
    if cw and word.x1 - word.x0 > n * cw * 1.25:
        if stretched_side == "right":
            return word.model_copy(update={"x1": word.x0 + n * cw * 1.1}), None
        return word.model_copy(update={"x0": word.x1 - n * cw * 1.1}), None
    return word, None


def _char_width(row: list[Word]) -> float | None:
    """Median advance per character of the printed words of a row."""
    from statistics import median

    widths = [
        (w.x1 - w.x0) / len(w.text)
        for w in row
        if len(w.text) >= 3 and w.confidence >= 0.8 and not _NGAY.match(w.text) and not _THANG.match(w.text)
    ]
    return median(widths) if widths else None


class _SlotEdits:
    """What re-reading the slots of page 1 changes in its words, and the warnings."""

    def __init__(
        self, image, read: DigitReader, scale: float, pen, floor: float = MIN_CONFIDENCE, lines: bool = False
    ) -> None:
        self.image, self.read, self.scale, self.pen, self.floor = image, read, scale, pen, floor
        self.lines = lines  # the reader reads a slot in its line (``digits.between_letters``)
        self.warnings: list[str] = []
        # kind -> (what became of the slot, its digits, their confidence): "print" (the
        # page reading's clean digits kept), "kept", "unsure" (left blank), "unreadable"
        self.slots: dict[str, tuple[str, str, float]] = {}
        self.drop: set[int] = set()  # ids of words removed
        self.swap: dict[int, Word] = {}  # id -> replacement (a glued word cut in two)
        self.add: list[Word] = []

    def fill(
        self,
        slot: list[Word],
        box: tuple[float, float, float, float],
        kind: str,
        max_len: int,
        reach: tuple[float, float] = (0.0, 0.0),
        line: int | None = None,
    ) -> None:
        """Re-read the slot ``box`` (holding the words ``slot``) unless its print is clean."""
        printed = "".join(w.text for w in slot)
        clean = bool(slot) and _clean(slot, max_len) is not None
        # (Tesseract's clean digits are kept, unless a handwriting reader reads the slot:
        # Tesseract reads a pen "1" as a "4" and is sure of it)
        if clean and not self.lines:
            self.slots[kind] = ("print", printed, min(w.confidence for w in slot))
            return
        if box[2] - box[0] < 2 and self.pen is None and not self.lines:
            return
        got = _reread(self.image, box, self.read, kind, self.scale, self.pen, reach, self.lines)
        if clean and (not got or got[1] < self.floor or len(got[0]) > max_len):
            got = None
        agrees = got is not None and clean and got[0] == printed  # the same digits: Tesseract's words stay
        if (not got or agrees) and slot and _DIGITS.match(printed):
            self.slots[kind] = ("print", printed, min(w.confidence for w in slot))
            return  # digits read with low confidence and nothing better (or read the same): keep them
        self.drop.update(id(w) for w in slot)
        self.slots[kind] = ("unreadable", "", 0.0)
        if got and got[1] < self.floor:
            self.warnings.append(say.handwriting_unsure(kind, got[0], got[1]))
            self.slots[kind] = ("unsure", got[0], got[1])
            got = None
        if got and len(got[0]) <= max_len:
            self.slots[kind] = ("kept", got[0], got[1])
            self.add.append(
                Word(
                    text=got[0],
                    x0=box[0],
                    y0=box[1],
                    x1=box[2],
                    y1=box[3],
                    size=box[3] - box[1],
                    confidence=round(got[1], 3),
                    line=line,
                )
            )
        elif slot:
            self.warnings.append(say.handwriting_unreadable(kind))

    def apply(self, words: list[Word]) -> list[Word]:
        if not (self.drop or self.swap or self.add):
            return words
        out = [self.swap.get(id(w), w) for w in words if id(w) not in self.drop]
        for word in self.add:  # in reading order: after the last word of its line left of it
            out.insert(_place_in_line(out, word), word)
        return out


def _place_in_line(words: list[Word], word: Word) -> int:
    """Where ``word`` goes in ``words`` (reading order): after the words of its OCR line that
    start left of it, else before the first word of its line, else at the end."""
    at = None
    for i, w in enumerate(words):
        if w.line == word.line:
            if w.x0 <= word.x0:
                at = i + 1
            elif at is None:
                return i
    return len(words) if at is None else at


def fill_handwritten(
    words: list[Word],
    image,
    read: DigitReader,
    scale: float = 1.0,
    page_height: float | None = None,
    pen=None,
    floor: float = MIN_CONFIDENCE,
    lines: bool = False,
) -> tuple[list[Word], list[str]]:
    """Words of page 1 with the number and day slots re-read. ``scale`` maps word
    coordinates to image pixels; a reading below ``floor`` is left blank with a warning;
    with ``lines``, ``read`` can read a slot with the print around it (kind "line:…")."""
    edits = slot_edits(words, image, read, scale, page_height, pen, floor, lines)
    return edits.apply(words), edits.warnings


def slot_edits(
    words: list[Word],
    image,
    read: DigitReader,
    scale: float = 1.0,
    page_height: float | None = None,
    pen=None,
    floor: float = MIN_CONFIDENCE,
    lines: bool = False,
) -> _SlotEdits:
    """What re-reading the slots changes (``fill_handwritten``; ``.slots`` says what
    became of each slot, for ``tools/eval_handwriting.py``)."""
    height = page_height or max((w.y1 for w in words), default=0)
    top = [w for w in words if w.y1 < 0.4 * height]
    edits = _SlotEdits(image, read, scale, pen, floor, lines)
    _fill_number(top, edits)
    _fill_date(top, edits)
    return edits


def _fill_number(top: list[Word], edits: _SlotEdits) -> None:
    """The number slot between "Số:" and the symbol ("___/UBND-VP")."""
    so = glued = None
    for cand in sorted((w for w in top if _SO.match(w.text) or _SO_GLUED.match(w.text)), key=lambda w: w.y0):
        row = _row(top, cand)
        if not any("/" in w.text for w in row if w.x0 > cand.x0):
            continue
        so = cand
        m = _SO_GLUED.match(cand.text)
        if m:  # "Số:Ø0": the handwritten number read into the same word
            so, glued = _glued(cand, len(m.group(1)))
            edits.swap[id(cand)] = so
        break
    if so is None:
        return
    after = ([glued] if glued else []) + [w for w in _row(top, so) if w.x0 > so.x0 and w.x0 >= so.x1 - 2]
    sym_i = next((i for i, w in enumerate(after) if "/" in w.text or "-" in w.text), None)
    if sym_i is None:
        return
    sym, slot = after[sym_i], after[:sym_i]
    junk = re.match(r"^[-–_.,'`]+(?=/)", sym.text)  # "-/SNV-VP": a speck before the symbol
    if junk:
        cut = sym.x0 + (sym.x1 - sym.x0) * len(junk.group(0)) / len(sym.text)
        sym = sym.model_copy(update={"text": sym.text[len(junk.group(0)) :], "x0": cut})
        edits.swap[id(after[sym_i])] = sym
    prefix = re.match(r"^(.*?)[/\-]", sym.text).group(1)  # type: ignore[union-attr]
    x_end = sym.x0
    if prefix and not _DIGITS.match(prefix):  # "6§0/TB-UBND": junk glued to the symbol
        x_end = sym.x0 + (sym.x1 - sym.x0) * len(prefix) / len(sym.text)
        edits.swap[id(sym)] = sym.model_copy(update={"text": sym.text[len(prefix) :], "x0": x_end})
    if not prefix or not _DIGITS.match(prefix):
        edits.fill(
            slot,
            (so.x1 + 1, so.y0, x_end - 1, so.y1),
            "number",
            6,
            reach=(0.3 * (so.x1 - so.x0), 0.2 * (so.y1 - so.y0)),
            line=so.line,
        )


def _date_row(top: list[Word]) -> tuple[Word, Word, list[Word]] | None:
    """("ngày", "tháng", their row) of the place-and-date line, None when there is none."""
    for cand in (w for w in top if _NGAY.match(w.text)):
        row = _row(top, cand)
        thang = next((w for w in row if _THANG.match(w.text) and w.x0 > cand.x0), None)
        if thang is not None:
            return cand, thang, row
    return None


def _split_day_word(top: list[Word], edits: _SlotEdits) -> list[Word]:
    """``top`` with a word "ngày20tháng" (the pen day read into one word with the print
    on both sides) cut into "ngày", what lies between, and "tháng"."""
    for w in top:
        m = _NGAY_THANG.match(w.text)
        if not m:
            continue
        cw = _char_width(_row(top, w)) or (w.x1 - w.x0) / len(w.text)
        ngay = w.model_copy(update={"text": m.group(1), "x1": w.x0 + len(m.group(1)) * cw * 1.1})
        thang = w.model_copy(update={"text": m.group(3), "x0": w.x1 - len(m.group(3)) * cw * 1.1})
        pen = w.model_copy(update={"text": m.group(2), "x0": ngay.x1, "x1": thang.x0})
        edits.swap[id(w)] = ngay
        edits.add.append(thang)
        return [x for x in top if x is not w] + [ngay, pen, thang]
    return top


def _fill_date(top: list[Word], edits: _SlotEdits) -> None:
    """The day slot ("ngày ___ tháng") and the month slot ("tháng ___ năm")."""
    top = _split_day_word(top, edits)
    found = _date_row(top)
    if found is None:
        return
    ngay_orig, thang_orig, row = found
    nam = next((w for w in row if _NAM.match(w.text) and w.x0 > thang_orig.x0), None)
    cw = _char_width(row)
    # Tesseract glues handwriting to the printed word ("ngày05", "thángØŸ") or
    # stretches the word's box over it: cut each back to its printed letters.
    # ("ngàW/†": the pen stroke took the place of the "y")
    n_ngay = 4 if ngay_orig.text[3:4].lower() in ("y", "ý") else 3
    ngay, glued_day = _printed_part(ngay_orig, n_ngay, cw, stretched_side="right")
    if n_ngay == 3:  # (the printed word is "ngày": its "y" lies under the pen)
        ngay = ngay.model_copy(update={"text": ngay.text + "y"})
    thang, glued_month = _printed_part(thang_orig, 5, cw, stretched_side="left")
    if ngay is not ngay_orig and ngay.text != ngay_orig.text:
        edits.swap[id(ngay_orig)] = ngay
    if thang is not thang_orig and thang.text != thang_orig.text:
        edits.swap[id(thang_orig)] = thang

    # (by the middle of a word: one read over the stretched box of "ngày" is in the slot too)
    slot = [
        w
        for w in row
        if ngay.x1 - 1 <= (w.x0 + w.x1) / 2 <= thang.x0 + 1 and w is not ngay_orig and w is not thang_orig
    ]
    slot = ([glued_day] if glued_day else []) + slot
    edits.fill(
        slot,
        (ngay.x1 + 1, ngay.y0, thang.x0 - 1, ngay.y1),
        "day",
        2,
        reach=(0.5 * (ngay.x1 - ngay.x0), 0.4 * (thang.x1 - thang.x0)),
        line=ngay.line,
    )
    if nam is not None:
        slot = [
            w for w in row if thang.x1 - 1 <= (w.x0 + w.x1) / 2 <= nam.x0 + 1 and w is not thang_orig and w is not nam
        ]
        slot = ([glued_month] if glued_month else []) + slot
        edits.fill(
            slot,
            (thang.x1 + 1, thang.y0, nam.x0 - 1, thang.y1),
            "month",
            2,
            reach=(0.4 * (thang.x1 - thang.x0), 0.4 * (nam.x1 - nam.x0)),
            line=thang.line,
        )
