"""Is a page's text layer worth reading? Real words, not CID codes, replacement
characters or mojibake; and, on a page mostly under an image (a scan with a stamp or a
page number over it), enough of them."""

from __future__ import annotations

import re

from vanthu.models.document import PageText, Word
from vanthu.pipeline import warnings as say
from vanthu.pipeline.read import language

# A page whose text layer has fewer words than this, and which is mostly an image,
# holds at most a stamp or a page number over a scan (e.g. a digital-signature box):
# its content needs OCR. A short page without a large image is simply short.
MIN_WORDS_TEXT_PAGE = 25
SCAN_IMAGE_COVER = 0.2  # images covering this share of a page make it a scan
MAX_GARBAGE_SHARE = 0.1  # words of CID codes or replacement characters, at most
_GARBAGE = re.compile(r"\(cid:\d+\)|[\ufffd]")

# Letters Vietnamese is written with (beyond ASCII), in NFC.
_VIET = set("àáâãèéêìíòóôõùúýăđĩũơưÀÁÂÃÈÉÊÌÍÒÓÔÕÙÚÝĂĐĨŨƠƯ") | {chr(c) for c in range(0x1EA0, 0x1EFA)}


def usable_text_layer(words: list[Word], image_cover: float = 1.0) -> bool:
    """Real words, not CID codes, replacement characters or mojibake; and enough of them
    unless the page has no large image (``image_cover``: the share of the page under images)."""
    if not words or (len(words) < MIN_WORDS_TEXT_PAGE and image_cover >= SCAN_IMAGE_COVER):
        return False
    bad = sum(bool(_GARBAGE.search(w.text)) for w in words)
    return bad / len(words) < MAX_GARBAGE_SHARE and not mojibake("".join(w.text for w in words))


def mojibake(text: str) -> bool:
    """Text of a legacy Vietnamese font encoding (TCVN3/ABC: ``Uû ban nh©n d©n``;
    VNI: ``Vieät Nam``) read as Latin-1: many letters and signs Vietnamese never uses."""
    chars = [ch for ch in text if not ch.isascii()]
    if not chars:
        return False
    foreign = sum(
        ch not in _VIET and ch not in "§°±\u00a0" and (ch.isalpha() or "\u00a0" <= ch <= "\u00bf") for ch in chars
    )
    letters = sum(ch.isalpha() for ch in text)
    return foreign >= 5 and foreign / max(letters, 1) > 0.03


def image_cover(boxes: list[tuple[float, float, float, float]], width: float, height: float) -> float:
    """The share of the page under the largest of ``boxes`` (x0, y0, x1, y1)."""
    if not boxes or width <= 0 or height <= 0:
        return 0.0
    return max(max(0.0, x1 - x0) * max(0.0, y1 - y0) for x0, y0, x1, y1 in boxes) / (width * height)


def words_to_page(number: int, width: float, height: float, words: list[Word], cover: float) -> PageText:
    """A text-layer page, or (its words unusable) a page left for OCR with a warning. The
    invisible layer over a scan (``cover``) is judged as Vietnamese (``read.language``):
    refused, it is left for OCR with its reason; borderline, it is marked for a check
    against the scan (``reason="check"``, done by ``read.layers``)."""
    ok = usable_text_layer(words, cover)
    why = language.verdict(words) if ok and cover >= SCAN_IMAGE_COVER else None
    if why == language.OK:
        why = None
    refused = why is not None and why != language.CHECK
    ok = ok and not refused
    notes = (
        ()
        if ok
        else (say.page_layer_refused(number, why) if refused and why else say.page_no_text_layer(number, len(words)),)
    )
    return PageText(
        number=number,
        width=width,
        height=height,
        unit="pt",
        source="text-layer" if ok else "ocr",
        words=tuple(words) if ok else (),
        warnings=notes,
        reason=why,
    )
