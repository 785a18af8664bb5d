"""One page image to corrected words (``ocr/reading.py``): the print area, the read dpi, PageSource."""

from __future__ import annotations

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from tests.support.ocr import FONT, needs_tesseract
from vanthu.pipeline.ocr import clean as imageprep


def test_page_source_lets_its_image_go_and_loads_it_again_when_asked():
    from vanthu.pipeline.ocr.reading import PageSource

    image, loads = np.zeros((30, 20, 3), np.uint8), []
    src = PageSource(image, load=lambda: loads.append(1) or np.ones((30, 20, 3), np.uint8))
    del image
    assert src.size == (20, 30)
    assert src.take().sum() == 0 and src._image is None and not loads  # handed out once, not kept
    assert src.take().sum() > 0 and loads == [1]  # the file's pixels again
    kept = PageSource(np.zeros((3, 2), np.uint8))  # nothing to load from: kept
    assert kept.take() is kept.take()


@needs_tesseract
def test_words_read_from_the_print_area_keep_their_place_on_the_page():
    from vanthu.pipeline.ocr import reading
    from vanthu.pipeline.ocr.options import OcrOptions

    page = Image.new("RGB", (2480, 3508), "white")  # A4 at 300 dpi
    d = ImageDraw.Draw(page)
    d.text((1400, 2600), "Nơi nhận: Sở Tài chính", fill="black", font=ImageFont.truetype(FONT, 54))
    prep, got = reading.image_to_words(page, OcrOptions(workers=1), "page.png", 1)
    assert prep.scale == 1.0 and imageprep.content_box(prep.grey)[:2] > (1300, 2500)  # Tesseract read a crop
    w = next(w for w in got if w.text == "Tài")
    assert 1650 < w.x0 < 1760 and 2590 < w.y0 < 2640  # where it was drawn on the page


@needs_tesseract
def test_a_lower_read_dpi_gives_tesseract_fewer_pixels_and_boxes_in_page_pixels(monkeypatch):
    """VANTHU_OCR_READ_DPI: the page is cleaned at 300 dpi and read smaller; the words'
    boxes are still in pixels of the 300-dpi page."""
    from vanthu.pipeline.ocr import reading, tesseract
    from vanthu.pipeline.ocr.options import OcrOptions

    page = Image.new("RGB", (2480, 3508), "white")
    d = ImageDraw.Draw(page)
    d.text((1400, 2600), "Nơi nhận: Sở Tài chính", fill="black", font=ImageFont.truetype(FONT, 54))
    sizes = []
    run = tesseract.run_tesseract
    monkeypatch.setattr(
        tesseract, "run_tesseract", lambda image, opts, *a: sizes.append((image.size, opts.dpi)) or run(image, opts, *a)
    )
    _, got = reading.image_to_words(page, OcrOptions(workers=1, read_dpi=200), "page.png", 1)
    _, full = reading.image_to_words(page, OcrOptions(workers=1), "page.png", 1)
    (small, small_dpi), (big, big_dpi) = sizes
    assert (small_dpi, big_dpi) == (200, 300) and abs(small[0] - big[0] * 2 / 3) <= 1
    w, f = next(w for w in got if w.text == "Tài"), next(w for w in full if w.text == "Tài")
    assert abs(w.x0 - f.x0) <= 3 and abs(w.y0 - f.y0) <= 3 and abs(w.y1 - f.y1) <= 3


@needs_tesseract
def test_a_read_dpi_above_the_cleaning_dpi_does_not_move_the_boxes():
    """Review: VANTHU_OCR_READ_DPI=400 with pages cleaned at 300 divided every box by 4/3
    (the page is never enlarged for Tesseract, so the boxes must stay where they are)."""
    from vanthu.pipeline.ocr import reading
    from vanthu.pipeline.ocr.options import OcrOptions

    page = Image.new("RGB", (2480, 3508), "white")
    ImageDraw.Draw(page).text((1400, 2600), "Nơi nhận: Sở Tài chính", fill="black", font=ImageFont.truetype(FONT, 54))
    _, got = reading.image_to_words(page, OcrOptions(workers=1, read_dpi=400), "page.png", 1)
    w = next(w for w in got if w.text == "Tài")
    assert 1650 < w.x0 < 1760 and 2590 < w.y0 < 2640  # where it was drawn on the page
