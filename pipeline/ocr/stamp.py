"""The incoming-receipt stamp ("ĐẾN" / "CV ĐẾN", a rectangle with "Số: 2770 Ngày: 04/4/18",
the number and date often written in by hand) read off page 1.

Its ink never reaches the page reading when it is coloured (``clean`` paints red and
blue over), and when it is black its fields are read with the body lines it is printed
over. So the stamp is found on its own (``find_colour_stamp``: a rectangle of coloured
ink in the top half of the page, kept aside by ``clean.prepare_page``; or, on a black
and white scan, the word "ĐẾN" of the page reading), read by Tesseract as a block, and
the number and date beside their labels read again by the digit reader. The result is
the stamp's lines ("CV ĐẾN", "Số: 2770", "Ngày: 04/4/18"), carried beside the page's
words (``PageText.stamp``), never among them: the stamp's number and date are not the
letter's.
"""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import cv2
import numpy as np

from vanthu.models.document import Word
from vanthu.pipeline.ocr.digits import DigitReader
from vanthu.pipeline.ocr.options import OcrOptions
from vanthu.pipeline.ocr.stampframe import STAMP_WIDTH

#: a field of the stamp is read in a crop this many label heights high
STAMP_FIELD_HEIGHT = 1.4

_HEAD = re.compile(r"^(?:CV\s*)?Đ[ẾE]N$", re.IGNORECASE)
_NUMBER = re.compile(r"^S[ốoôó06ơ]\s*[:.]?", re.IGNORECASE)
_DATE = re.compile(r"^N(?:g[àa]|[àa])y\s*[:.]?", re.IGNORECASE)


def black_stamp_box(words: list[Word], width: float, height: float) -> tuple[int, int, int, int] | None:
    """The box of a black stamp around its head word "ĐẾN" (upper half of the page): the
    fields are on its right, over a stamp's width and height."""
    # (the head stands alone on its line: "ĐẾN" inside a title in capitals is no stamp)
    alone = {ln for ln in {w.line for w in words} if sum(w.line == ln for w in words) <= 2}
    head = next((w for w in words if _HEAD.match(w.text) and w.y1 < 0.5 * height and w.line in alone), None)
    if head is None:
        return None
    h = head.y1 - head.y0
    return (
        int(max(head.x0 - h, 0)),
        int(max(head.y0 - 2.5 * h, 0)),
        int(min(head.x0 + STAMP_WIDTH[1] * 0.8 * width, width)),
        int(min(head.y1 + 2.0 * h, height)),
    )


def _right_edge(crop, x_from: float, line_h: float) -> int:
    """The right side of the stamp's frame in ``crop`` (its rightmost long vertical
    stroke right of ``x_from``), or the crop's edge: a black stamp is printed over body
    lines, and what lies past its frame is no part of a field."""
    ink = (np.asarray(crop.convert("L")) < 140).astype(np.uint8)
    runs = cv2.morphologyEx(ink, cv2.MORPH_OPEN, np.ones((max(int(line_h), 3), 1), np.uint8))
    cols = np.flatnonzero(runs.any(axis=0))
    cols = cols[cols > x_from + 3 * line_h]
    return int(cols.max()) if cols.size else crop.width


def _field(crop, label: Word, read: DigitReader, kind: str, shift: float = 0.0) -> str | None:
    """The value right of the field ``label`` in the stamp (``shift``: on the line that
    many label heights below it, or above), read by the digit reader."""
    h = label.y1 - label.y0
    top = label.y0 + (shift - 0.4) * h
    # (the label's own box is kept: the digits may be glued to it; the reader leaves its letters out)
    right = _right_edge(crop, label.x0, h)
    box = (int(label.x0), int(max(top, 0)), right, int(min(top + STAMP_FIELD_HEIGHT * h, crop.height)))
    if box[2] - box[0] < 4 or box[3] - box[1] < 4:
        return None
    digits, _ = read(crop.crop(box), kind)
    return digits or None


def _fields(crop, words: list[Word], read: DigitReader) -> tuple[str | None, str | None]:
    """The stamp's number and date; the date read on the line under "Số" when its own
    label was not read."""
    no = next((w for w in words if _NUMBER.match(w.text)), None)
    day = next((w for w in words if _DATE.match(w.text)), None)
    if no is not None:
        number = _field(crop, no, read, "line:stamp-number")
    else:  # (the fields are one under the other: "Số" over "Ngày")
        number = _field(crop, day, read, "line:stamp-number", shift=-1.1) if day else None
    if day is not None:
        date = _field(crop, day, read, "line:stamp-date")
    else:
        date = _field(crop, no, read, "line:stamp-date", shift=0.9) if no else None
    # (a day, a month and a year of 4 or 2 digits: a stray stroke after it is dropped)
    m = re.match(r"\d{1,2}[/.-]\d{1,2}[/.-](?:\d{4}|\d{2})", date or "")
    return number, m.group(0) if m else None


def _head(words: list[Word]) -> list[str]:
    """The stamp's unit (the line over its fields, in capitals) and its head ("CV ĐẾN",
    left of the fields)."""
    no = next((w for w in words if _NUMBER.match(w.text)), None)
    head = next((w for w in words if _HEAD.match(w.text)), None)
    if no is None or head is None:
        return ["ĐẾN"]
    h = no.y1 - no.y0
    left = [w for w in words if w.x1 <= no.x0 and w.y1 >= no.y0 - 0.5 * h and w.confidence >= 0.5]
    above = [w for w in words if w.y1 <= no.y0 + 0.2 * h and w.y0 >= no.y0 - 2.5 * h and w.x0 >= head.x0 - h]
    unit = [w for w in above if w.text.isupper() and len(w.text) >= 2 or w.text == "&"]
    out = [" ".join(w.text for w in unit)] if len(unit) >= 2 else []
    return out + [" ".join(w.text for w in sorted(left, key=lambda w: (w.y0 // h, w.x0)) if w.text.isalpha())]


def read_stamp(
    image, box: tuple[int, int, int, int], read: DigitReader, opts: OcrOptions, path: str | Path
) -> tuple[str, ...]:
    """The stamp in ``box`` of ``image`` (black print on white) as its lines: the head and
    unit as Tesseract reads them, "Số: N" and "Ngày: D" with the digit reader's values."""
    from vanthu.pipeline.ocr import tesseract

    crop = image.crop(box)
    try:
        data = tesseract.run_tesseract(crop, dataclasses.replace(opts, psm=6), path, 1)
    except (tesseract.PageTimedOut, tesseract.OcrEngineError):
        return ()
    words = tesseract.words_from_data(data)
    lines: dict[int, list[Word]] = {}
    for w in words:
        lines.setdefault(w.line or 0, []).append(w)
    number, date = _fields(crop, words, read)
    out = _head(words)
    if number:
        out.append(f"Số: {number}")
    if date:
        out.append(f"Ngày: {date}")
    return tuple(out) if number or date else ()
