"""Numbers the records office fills into the blanks of a signed digital letter.

An e-government letter is often issued as a PDF whose "Số:      /TB-UBND" and "ngày
tháng 11 năm 2024" are printed with blanks; the văn thư's signing software (VNPT SmartCA,
ViettelCA …) then stamps the registration number and the day into those blanks as
signature widgets: annotations whose appearance holds the digits. A text-layer reader
sees only the page's own text, so the number and day are lost. This adapter reads the
appearance streams with pdfminer (pdfplumber's engine) and returns the digits as words
placed where they are drawn.

Only an appearance whose whole text is a number (``565``, ``15``, ``04/4/18``) drawn on
the baseline of a printed line is taken: the signature boxes themselves ("Ký bởi: …",
an e-mail, a time) are no part of the letter.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path

from vanthu.models.document import Word
from vanthu.pipeline.text.normalize import nfc

log = logging.getLogger(__name__)

_NUMBER = re.compile(r"^\d[\d./\-]{0,11}$")


def filled_blanks(path: str | Path, wanted: dict[int, list[Word]]) -> dict[int, list[Word]]:
    """For each 1-based page number in ``wanted`` (with the page's own words), the words
    the page's annotations fill into its printed lines. Never raises for a damaged
    annotation: the page's text is still what it was."""
    try:
        return _read(path, wanted)
    except Exception as exc:  # pdfminer raises many types on odd files; nothing is lost
        log.debug("%s: annotation appearances unreadable (%s)", path, exc)
        return {}


def _read(path: str | Path, wanted: dict[int, list[Word]]) -> dict[int, list[Word]]:
    from pdfminer.pdfdocument import PDFDocument
    from pdfminer.pdfpage import PDFPage
    from pdfminer.pdfparser import PDFParser
    from pdfminer.pdftypes import PDFStream, resolve1
    from pdfminer.psparser import PSLiteral

    out: dict[int, list[Word]] = {}
    with open(path, "rb") as fh:
        doc = PDFDocument(PDFParser(fh))
        for number, page in enumerate(PDFPage.create_pages(doc), start=1):
            if number not in wanted:
                if number > max(wanted):
                    break
                continue
            annots = resolve1(page.annots) or []
            crop = [float(v) for v in (page.cropbox or page.mediabox)]
            found: list[Word] = []
            for ref in annots if isinstance(annots, list) else []:
                annot = resolve1(ref)
                if not isinstance(annot, dict):
                    continue
                subtype = resolve1(annot.get("Subtype"))
                if not (isinstance(subtype, PSLiteral) and subtype.name in ("Widget", "FreeText", "Stamp")):
                    continue
                ap = resolve1(resolve1(annot.get("AP") or {}).get("N"))
                rect = [float(resolve1(v)) for v in resolve1(annot.get("Rect") or [])]
                if not isinstance(ap, PDFStream) or len(rect) != 4:
                    continue
                word = _appearance_word(ap, rect, crop)
                if word is not None and _on_a_printed_line(word, wanted[number]):
                    found.append(word)
            if found:
                out[number] = found
    return out


def _appearance_word(ap, rect: list[float], crop: list[float]) -> Word | None:
    """The appearance's text as one word in page coordinates (top-left origin, as the
    text-layer readers give them), or ``None`` unless it is a number."""
    from pdfminer.converter import PDFPageAggregator
    from pdfminer.layout import LTChar
    from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
    from pdfminer.pdfpage import PDFPage
    from pdfminer.pdftypes import resolve1

    bbox = _normal([float(resolve1(v)) for v in resolve1(ap.get("BBox") or [0, 0, 0, 0])])
    target = _normal(rect)
    if bbox is None or target is None:
        return None
    page = PDFPage.__new__(PDFPage)  # the appearance stream drawn as a page of its own
    page.pageid, page.attrs, page.annots, page.beads, page.rotate = 0, {}, None, None, 0
    page.resources = resolve1(ap.get("Resources")) or {}
    # (pdfminer annotates these as the tuple its constructor parses; this page is built by hand)
    page.mediabox = page.cropbox = bbox  # type: ignore[assignment]
    page.contents = [ap]
    rsrc = PDFResourceManager(caching=False)
    device = PDFPageAggregator(rsrc, laparams=None)
    PDFPageInterpreter(rsrc, device).process_page(page)
    # (a space drawn before the digits is no part of the word's box)
    chars = [o for o in _walk(device.get_result()) if isinstance(o, LTChar) and o.get_text().strip()]
    text = nfc("".join(c.get_text() for c in chars)).strip()
    if not chars or not _NUMBER.match(text):
        return None
    # appearance box -> annotation rectangle (the /Matrix of such stamps is the identity)
    sx = (target[2] - target[0]) / (bbox[2] - bbox[0])
    sy = (target[3] - target[1]) / (bbox[3] - bbox[1])
    x0 = target[0] + min(c.x0 for c in chars) * sx
    x1 = target[0] + max(c.x1 for c in chars) * sx
    y_bottom = target[1] + min(c.y0 for c in chars) * sy
    y_top = target[1] + max(c.y1 for c in chars) * sy
    size = max(c.size for c in chars) * sy
    return Word(
        text=text,
        x0=round(x0 - crop[0], 3),
        y0=round(crop[3] - y_top, 3),
        x1=round(x1 - crop[0], 3),
        y1=round(crop[3] - y_bottom, 3),
        size=round(size, 3),
    )


def _normal(box: list[float]) -> list[float] | None:
    """A rectangle as (left, bottom, right, top), whichever corners the file gave."""
    if len(box) != 4:
        return None
    x0, x1 = sorted((box[0], box[2]))
    y0, y1 = sorted((box[1], box[3]))
    return [x0, y0, x1, y1] if x1 > x0 and y1 > y0 else None


def _walk(obj):
    yield obj
    for child in getattr(obj, "_objs", ()) or ():
        yield from _walk(child)


def _on_a_printed_line(word: Word, words: list[Word]) -> bool:
    """Drawn in a blank of a printed line: on the row of printed words (its middle
    within their height), over none of them, and between two of them ("Số: ___
    /TB-UBND", "ngày ___ tháng"), each at most a few letters' height away."""
    mid = (word.y0 + word.y1) / 2
    row = [w for w in words if w.y0 <= mid <= w.y1]
    if any(w.x0 < word.x1 and word.x0 < w.x1 for w in row):
        return False
    reach = 4 * (word.y1 - word.y0)
    left = any(0 <= word.x0 - w.x1 <= reach for w in row)
    right = any(0 <= w.x0 - word.x1 <= reach for w in row)
    return left and right
