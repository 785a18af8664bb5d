"""Pages scanned upside down or on their side (``ocr/orientation.py``)."""

from __future__ import annotations

import numpy as np
import pytest

from tests.support.ocr import LETTER_LINES, needs_tesseract, text_page


def test_a_page_array_turns_as_a_pil_page_does():
    from vanthu.pipeline.ocr.orientation import turned as _turned
    from vanthu.pipeline.ocr.reading import image_size as _size

    img = text_page(["Số: 12/UBND"], size=(300, 200))
    arr = np.asarray(img)
    for turn in (90, 180, 270):
        assert np.array_equal(_turned(arr, turn), np.asarray(_turned(img, turn))), turn
    assert _size(_turned(arr, 90)) == _size(_turned(img, 90)) == (200, 300)


@needs_tesseract
@pytest.mark.parametrize("turned", [180, 90, 270])
def test_page_scanned_upside_down_or_on_its_side_is_read_upright(turned):
    """A sheet fed the wrong way into the scanner: Tesseract reads it as nonsense (upside
    down) or as vertical lines (on its side); the page is read turned, with a warning."""
    from vanthu.pipeline.ocr.options import OcrOptions
    from vanthu.pipeline.ocr.orientation import text_quality
    from vanthu.pipeline.ocr.pages import recognise_page

    upright = text_page(LETTER_LINES, size=(2480, 3508), font_size=60)
    page = recognise_page(1, upright.rotate(turned, expand=True), OcrOptions(workers=1), "scan.png")
    text = " ".join(w.text for w in page.words)
    assert "Kính gửi: Sở Tài chính" in text and "88/TB-UBND" in text
    assert text_quality(list(page.words)) > 0.8
    assert any("đã xoay" in w and ("lộn ngược" if turned == 180 else "nằm ngang") in w for w in page.warnings)


@needs_tesseract
def test_upright_page_is_read_once_without_a_turn(monkeypatch):
    from vanthu.pipeline.ocr import pages as ocr
    from vanthu.pipeline.ocr import tesseract
    from vanthu.pipeline.ocr.options import OcrOptions

    calls = []
    real = tesseract.run_tesseract
    monkeypatch.setattr(tesseract, "run_tesseract", lambda *a, **k: calls.append(1) or real(*a, **k))
    page = ocr.recognise_page(
        1, text_page(LETTER_LINES, size=(2480, 3508), font_size=60), OcrOptions(workers=1), "scan.png"
    )
    assert len(calls) == 1
    assert not any("đã xoay" in w for w in page.warnings)
