"""The receipt stamp read off page 1 (``ocr/stamp.py``): found by its frame, its number and
date read by the digit reader, into ``receipt_stamp`` and never into the letter's own."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from tests.test_scans import LAYOUT
from vanthu.pipeline.ocr import digits as dg
from vanthu.pipeline.ocr.clean import ink_masks, to_rgb_array
from vanthu.pipeline.ocr.options import OcrOptions
from vanthu.pipeline.ocr.stamp import read_stamp
from vanthu.pipeline.ocr.stampframe import find_colour_stamp
from vanthu.samplegen import scan as sl
from vanthu.samplegen.marks import draw_receipt_stamp, draw_seal

#: a violet stamp pad's ink (red and blue both far above green)
VIOLET = (150, 60, 165)

needs_model = pytest.mark.skipif(dg.rapid_model_path() is None, reason="rapidocr's model is not installed")


def on_page(layer: Image.Image, at=(150, 200)) -> np.ndarray:
    page = Image.new("RGBA", (2480, 3508), (252, 250, 245, 255))
    page.alpha_composite(layer, at)
    red, blue = ink_masks(to_rgb_array(page.convert("RGB")))
    return red | blue


@pytest.mark.parametrize(
    ("draw", "found"),
    [
        (lambda rng: draw_receipt_stamp(300, "2770", "04/04/2018", "SỞ NỘI VỤ", rng, pen=True), True),
        (lambda rng: draw_receipt_stamp(300, "15", "05/09/2024", "UBND XÃ TÂN PHÚ", rng), True),
        (lambda rng: draw_receipt_stamp(300, "88", "06/03/2025", "SỞ Y TẾ", rng, colour=VIOLET), True),
        (lambda rng: draw_seal(450, "ỦY BAN NHÂN DÂN TỈNH", rng), False),
    ],
)
def test_the_stamp_is_found_by_its_frame_and_a_seal_is_not(draw, found: bool) -> None:
    assert (find_colour_stamp(on_page(draw(np.random.default_rng(4)))) is not None) == found


@needs_model
def test_pen_written_number_and_date_of_the_stamp_are_read() -> None:
    ink = on_page(draw_receipt_stamp(300, "2770", "04/04/2018", "SỞ NỘI VỤ", np.random.default_rng(7), pen=True))
    x0, y0, x1, y1 = find_colour_stamp(ink)  # type: ignore[misc]
    crop = Image.fromarray(np.where(ink[y0:y1, x0:x1], 0, 255).astype(np.uint8))
    lines = read_stamp(crop, (0, 0, crop.width, crop.height), dg.rapid_digits, OcrOptions(), "stamp")
    assert "Số: 2770" in lines and "Ngày: 04/04/2018" in lines


@needs_model
def test_red_stamp_with_pen_number_over_a_letter(tmp_path: Path) -> None:
    """A generated scan: a red ĐẾN stamp whose number and date are written by pen. The
    record's receipt_stamp has them; the letter's own number and date are its own."""
    from vanthu.pipeline.extract import extract_file

    scan = sl.scan_pages(LAYOUT, "noisy", seed=1, stamp_pen=True, dpi=300)
    stamp = scan.meta["stamp"]
    record = extract_file(sl.write_scan(scan, tmp_path, "stamp-pen"))
    assert record.receipt_stamp is not None
    assert record.receipt_stamp.number == stamp["number"]
    day, month, year = stamp["date"].split("/")
    assert record.receipt_stamp.date == f"{year}-{month}-{day}"
    assert record.number_symbol == "1532/SNV-VP"
    assert record.date == "2024-10-14"


@pytest.mark.parametrize(
    ("texts", "found"),
    [
        (["CV"], True),  # "ĐẾN" alone on its line: a stamp's head
        (["QUY", "ĐỊNH", "LIÊN", "QUAN"], False),  # "ĐẾN" inside a title in capitals
    ],
)
def test_black_stamp_is_found_by_its_head_alone_on_its_line(texts: list[str], found: bool) -> None:
    from tests.support.ocr import words
    from vanthu.pipeline.ocr.stamp import black_stamp_box

    ws = [w.model_copy(update={"line": 3}) for w in words(*texts, "ĐẾN", y=400)]
    assert (black_stamp_box(ws, 2480, 3508) is not None) == found
