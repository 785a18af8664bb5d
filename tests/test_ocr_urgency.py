"""Urgency and secrecy stamps (pipeline/ocr/urgency.py, layout/cues.split_mark): a framed
HỎA TỐC in red or black beside the number line is the letter's urgency, on a scan."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from vanthu.models.document import Line
from vanthu.pipeline.layout.cues import mark_of, split_mark
from vanthu.pipeline.ocr.urgency import stamp_blocks

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize(
    ("text", "mark"),
    [
        ("HỎA TỐC", ("urgency", "Hỏa tốc")),
        ("|HỎA TỐC|", ("urgency", "Hỏa tốc")),
        ("[ KHẨN ]", ("urgency", "Khẩn")),
        ("_MẬT_", ("confidentiality", "Mật")),
        ("THƯỢNG  KHẨN", ("urgency", "Thượng khẩn")),
        ("Khẩn trương triển khai", None),
    ],
)
def test_a_framed_mark_is_read(text, mark) -> None:
    assert mark_of(Line(text=text, page=1)) == mark


@pytest.mark.parametrize(
    ("text", "rest", "mark"),
    [
        ("Số: 12/UBND-VX HỎA TỐC", ["Số: 12/UBND-VX"], "HỎA TỐC"),
        ("KHẨN Số: 12/UBND-VX", ["Số: 12/UBND-VX"], "KHẨN"),
        ("Số: 12/UBND-VX HOẢ TỐC Hà Nội, ngày 5", ["Số: 12/UBND-VX", "Hà Nội, ngày 5"], "HOẢ TỐC"),
        ("Số: 12/UBND-VX", None, None),
        ("CỤC BẢO VỆ BÍ MẬT", None, None),  # a unit's name ending in a mark word: not a number line
    ],
)
def test_a_mark_beside_the_number_line_is_split_off(text, rest, mark) -> None:
    got = split_mark(Line(text=text, page=1), lambda t: t.startswith(("Số", "Hà Nội")))
    if rest is None:
        assert got is None
    else:
        assert ([r.text for r in got[0]], got[1].text) == (rest, mark)


def test_stamp_blocks_finds_a_framed_word_and_not_specks() -> None:
    red = np.full((3508, 2480), 255, np.uint8)
    red[600:700, 300:800] = 0  # a stamp-sized block
    red[100:103, 100:103] = 0  # a speck
    assert stamp_blocks(red) == [(300, 600, 800, 700)] or len(stamp_blocks(red)) == 1


@pytest.mark.slow
@pytest.mark.parametrize(
    ("mark", "colour", "urgency"), [("HỎA TỐC", "red", "Hỏa tốc"), ("HỎA TỐC", "black", "Hỏa tốc")]
)
def test_a_boxed_stamp_on_a_scan_is_the_urgency(tmp_path, mark, colour, urgency) -> None:
    from vanthu.pipeline.extract import extract_file
    from vanthu.samplegen.digital import find_line, pdf_lines, rasterise, render_pdf
    from vanthu.samplegen.marks import STAMP_RED
    from vanthu.samplegen.urgency import stamp_mark

    layout = json.loads((ROOT / "samples" / "src" / "cv-khan-ubnd-phuongx.json").read_text(encoding="utf-8"))
    printed = render_pdf(layout, tmp_path / "printed.pdf")
    hit = find_line(pdf_lines(printed), "/UBND-VP", page=0)  # the number line
    assert hit is not None
    x0, y0, x1, y1 = hit[1].box
    bare = render_pdf({**layout, "marks": []}, tmp_path / "bare.pdf")
    page = rasterise(bare, 300)[0]
    ink = STAMP_RED if colour == "red" else (25, 25, 25)
    page = stamp_mark(page, mark, (x1 + 45, (y0 + y1) / 2), 300, colour=ink)
    scan = tmp_path / "stamped.png"
    page.save(scan, dpi=(300, 300))
    record = extract_file(scan)
    assert record.urgency == urgency
    assert record.number_symbol == "/UBND-VP"
