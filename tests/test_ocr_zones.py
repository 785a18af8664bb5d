"""Zones read again on their own (``ocr/zones.py``): the signer block, handwritten digits."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from tests.support.ocr import FONT, needs_tesseract
from vanthu.models.document import Word


def _data(rows):
    """A Tesseract ``image_to_data`` dictionary from (text, x, y, w, h, conf, line) rows."""
    keys = ("text", "left", "top", "width", "height", "conf", "block_num", "par_num", "line_num")
    out = {k: [] for k in keys}
    for text, x, y, w, h, conf, line in rows:
        for k, v in zip(keys, (text, x, y, w, h, conf, 1, 1, line)):
            out[k].append(v)
    return out


def test_empty_signer_block_beside_noi_nhan_is_read_again_on_its_own(monkeypatch):
    """Regression (real 2018 scan, a black seal over the signer block): the page reading
    gave nothing beside "Nơi nhận", so no signer; the block read on its own (psm 6)
    gives the title and the name, placed back in page pixels."""
    from vanthu.pipeline.ocr import tesseract, zones
    from vanthu.pipeline.ocr.options import OcrOptions

    grey = np.full((3400, 2400), 255, np.uint8)
    page = [
        Word(text=t, x0=x, y0=y, x1=x + 120, y1=y + 35, confidence=0.95, line=ln)
        for t, x, y, ln in (
            ("Nơi", 300, 2052, 0),
            ("nhận:", 380, 2052, 0),
            ("-", 300, 2105, 1),
            ("Cục", 330, 2105, 1),
            ("Đầu", 460, 2105, 1),
            ("miền", 1150, 2105, 1),
            ("Bì", 1500, 2300, 2),
        )
    ]
    seen = {}

    def fake(image, opts, path, number):
        seen["size"], seen["psm"] = image.size, opts.psm
        return _data(
            [
                ("QŨ", 150, 40, 60, 40, 80, 1),
                ("TỊCH", 220, 40, 90, 40, 90, 1),
                ("Trân", 200, 520, 90, 40, 85, 2),
                ("Ngọc", 300, 520, 90, 40, 90, 2),
                ("Căng", 400, 520, 90, 40, 91, 2),
            ]
        )

    monkeypatch.setattr(tesseract, "run_tesseract", fake)
    words, reread = zones.reread_signer_zone(grey, page, OcrOptions(), "scan.pdf", 3)
    assert reread and seen["psm"] == 6
    texts = [w.text for w in words]
    assert "Bì" not in texts  # the scrap the page reading gave is replaced
    assert {"Nơi", "nhận:", "Cục", "miền"} <= set(texts)  # the distribution list stays whole
    name = [w for w in words if w.text in ("Trần", "Ngọc", "Căng")]
    assert [w.text for w in name] == ["Trần", "Ngọc", "Căng"]  # the surname fixed too
    assert name[0].x0 == 1080 + 200 and name[0].y0 == 2052 - 35 + 520  # page pixels


def test_signer_block_that_was_read_is_not_read_again(monkeypatch):
    from vanthu.pipeline.ocr import tesseract, zones
    from vanthu.pipeline.ocr.options import OcrOptions

    grey = np.full((3400, 2400), 255, np.uint8)
    page = [
        Word(text=t, x0=x, y0=y, x1=x + 120, y1=y + 35, confidence=0.95, line=ln)
        for t, x, y, ln in (
            ("Nơi", 300, 2052, 0),
            ("nhận:", 380, 2052, 0),
            ("CHỦ", 1500, 2040, 1),
            ("TỊCH", 1640, 2040, 1),
            ("Trần", 1450, 2500, 2),
            ("Ngọc", 1580, 2500, 2),
            ("Căng", 1710, 2500, 2),
        )
    ]
    monkeypatch.setattr(tesseract, "run_tesseract", lambda *a: pytest.fail("read again"))
    assert zones.reread_signer_zone(grey, page, OcrOptions(), "scan.pdf", 3) == (page, False)


@needs_tesseract
def test_digit_variants_are_read_by_one_tesseract_process(monkeypatch):
    """A handwritten slot's crop and its rescaled copy go to one Tesseract process (a
    list of images; the model loads once), and the surer reading wins."""
    import pytesseract

    from vanthu.pipeline.ocr.options import OcrOptions
    from vanthu.pipeline.ocr.zones import read_digits

    crop = Image.new("L", (260, 150), 255)
    ImageDraw.Draw(crop).text((40, 20), "27", fill=0, font=ImageFont.truetype(FONT, 90))
    calls = []
    real = pytesseract.image_to_data

    def spy(image, **kw):
        calls.append((image, kw["config"]))
        return real(image, **kw)

    monkeypatch.setattr(pytesseract, "image_to_data", spy)
    digits, conf = read_digits(crop, OcrOptions(), "slot.png")
    assert digits == "27" and conf > 0.5
    assert len(calls) == 1 and "--psm 7" in calls[0][1]
    listing = calls[0][0]
    assert isinstance(listing, str) and listing.endswith(".txt")  # both variants, one process


@needs_tesseract
def test_blank_digit_slot_is_read_again_as_a_word_and_stays_blank(monkeypatch):
    import pytesseract

    from vanthu.pipeline.ocr.options import OcrOptions
    from vanthu.pipeline.ocr.zones import read_digits

    configs = []
    real = pytesseract.image_to_data
    monkeypatch.setattr(
        pytesseract, "image_to_data", lambda image, **kw: configs.append(kw["config"]) or real(image, **kw)
    )
    assert read_digits(Image.new("L", (200, 150), 255), OcrOptions(), "slot.png") == ("", 0.0)
    assert [c.split()[3] for c in configs] == ["7", "8"]
