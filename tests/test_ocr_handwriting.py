"""Handwritten slots of the header (``ocr/handwriting.py``)."""

from __future__ import annotations

from PIL import Image

from tests.support.ocr import words
from vanthu.models.document import Word
from vanthu.pipeline.ocr.handwriting import fill_handwritten


def test_handwritten_number_junk_is_reread_as_digits():
    ws = [
        Word(text="Số:", x0=100, y0=100, x1=160, y1=130, confidence=0.9),
        Word(text="6§0", x0=175, y0=98, x1=230, y1=132, confidence=0.3),
        Word(text="/TB-UBND", x0=240, y0=100, x1=380, y1=130, confidence=0.95),
    ]
    calls = []

    def reader(crop, kind):
        calls.append((kind, crop.size))
        return "660", 0.8

    out, warnings = fill_handwritten(ws, Image.new("L", (1000, 1400), 255), reader, page_height=1400)
    assert calls and calls[0][0] == "number"
    assert " ".join(w.text for w in sorted(out, key=lambda w: w.x0)) == "Số: 660 /TB-UBND"
    assert not warnings


def test_unsure_handwriting_is_left_blank_with_a_warning():
    ws = [
        Word(text="Số:", x0=100, y0=100, x1=160, y1=130, confidence=0.9),
        Word(text="Ø0", x0=175, y0=98, x1=230, y1=132, confidence=0.1),
        Word(text="/BC-UBND", x0=240, y0=100, x1=380, y1=130, confidence=0.95),
    ]
    out, warnings = fill_handwritten(
        ws, Image.new("L", (1000, 1400), 255), lambda crop, kind: ("80", 0.35), page_height=1400
    )
    assert [w.text for w in out] == ["Số:", "/BC-UBND"]
    assert any("không chắc chắn" in w and "số văn bản" in w for w in warnings)


def test_number_glued_to_so_is_split():
    ws = [
        Word(text="Số:Ø0", x0=469, y0=392, x1=653, y1=454, confidence=0.05),
        Word(text="/BC-UBND", x0=690, y0=392, x1=969, y1=454, confidence=0.9),
    ]
    out, _ = fill_handwritten(ws, Image.new("L", (2480, 3508), 255), lambda c, k: ("280", 0.9), page_height=3508)
    assert sorted(w.text for w in out) == sorted(["Số:", "280", "/BC-UBND"])


def test_clean_printed_number_is_not_reread():
    ws = words("Số:", "15", "/KH-UBND", y=50) + words("Hà", "Nội,", "ngày", "15", "tháng", "8", "năm", "2024", y=90)

    def reader(crop, kind):
        raise AssertionError("a clean printed slot must not be re-read")

    out, warnings = fill_handwritten(ws, Image.new("L", (800, 1200), 255), reader, page_height=1200)
    assert out == ws and not warnings


def test_day_glued_to_ngay_is_cut_and_reread():
    ws = words("Quảng", "Ngãi,", "ngày2#", "tháng", "12", "năm", "2024", y=90)
    ws = [
        w.model_copy(update={"confidence": 0.95}) if w.text != "ngày2#" else w.model_copy(update={"confidence": 0.4})
        for w in ws
    ]
    seen = []
    out, _ = fill_handwritten(
        ws, Image.new("L", (800, 1200), 255), lambda crop, kind: seen.append(kind) or ("21", 0.9), page_height=1200
    )
    assert seen == ["day"]
    assert " ".join(w.text for w in sorted(out, key=lambda w: w.x0)) == "Quảng Ngãi, ngày 21 tháng 12 năm 2024"


def test_day_read_into_one_word_with_ngay_and_thang_is_cut_out():
    """Regression (real scan): Tesseract read "ngày 20 tháng" as one word "ngày#tháng",
    so the date row was not found and the day stayed blank."""
    ws = words("Quảng", "Ngãi,", "ngày#tháng", "01", "năm", "2025", y=90)
    ws = [w.model_copy(update={"confidence": 0.95 if w.text != "ngày#tháng" else 0.3}) for w in ws]
    seen = []
    out, _ = fill_handwritten(
        ws,
        Image.new("L", (800, 1200), 255),
        lambda crop, kind: seen.append(kind) or ({"line:day": "20"}.get(kind, "01"), 0.9),
        page_height=1200,
        lines=True,
    )
    assert seen == ["line:day", "line:month"]
    assert " ".join(w.text for w in sorted(out, key=lambda w: w.x0)) == "Quảng Ngãi, ngày 20 tháng 01 năm 2025"


def test_date_row_whose_y_was_taken_by_the_pen_is_still_the_date_row():
    """Regression (real scan): "ngàW/† tháng 5" (the pen day over the "y") was passed over
    for a body line "ngày 16 tháng 4" further down."""
    head = words("Quảng", "Ngãi,", "ngàW/†", "tháng", "5", "năm", "2021", y=90)
    body = words("Chỉ", "thị", "ngày", "16", "tháng", "4", "năm", "2021", y=300)
    ws = [w.model_copy(update={"confidence": 0.95 if w.text != "ngàW/†" else 0.2}) for w in head + body]
    out, _ = fill_handwritten(ws, Image.new("L", (800, 1200), 255), lambda crop, kind: ("11", 0.9), page_height=1200)
    row = sorted((w for w in out if w.y0 < 200), key=lambda w: w.x0)
    assert " ".join(w.text for w in row) == "Quảng Ngãi, ngày 11 tháng 5 năm 2021"


def test_a_handwriting_reader_reads_the_slot_in_its_line_and_overrules_clean_print():
    """With a reader that reads lines (``lines``), the slot is read with the print around it
    ("line:number"), and Tesseract's sure digits there do not win over it (it read a pen
    "1532" as "4532", confidence 0.9)."""
    ws = words("Số:", "4532", "/SNV-VP", y=50)
    seen = []
    out, warnings = fill_handwritten(
        ws,
        Image.new("L", (800, 1200), 255),
        lambda crop, kind: seen.append(kind) or ("1532", 0.97),
        page_height=1200,
        lines=True,
    )
    assert seen == ["line:number"]
    assert " ".join(w.text for w in sorted(out, key=lambda w: w.x0)) == "Số: 1532 /SNV-VP"
    assert not warnings


def test_unsure_handwriting_reader_leaves_clean_print_in_place():
    ws = words("Số:", "45", "/SNV-VP", y=50)
    out, warnings = fill_handwritten(
        ws, Image.new("L", (800, 1200), 255), lambda crop, kind: ("48", 0.3), page_height=1200, lines=True
    )
    assert [w.text for w in out] == ["Số:", "45", "/SNV-VP"]


def test_day_read_over_the_box_of_ngay_is_replaced_not_doubled():
    """Regression (real scan 660/TB): Tesseract read the pen "31" into a word that starts
    inside the stretched box of "ngày"; the re-read day was added beside it ("ngày 31 31")
    and the date no longer parsed."""
    ws = words("Quảng", "Ngãi,", "ngày", "tháng", "12", "năm", "2024", y=90)
    ngay = next(w for w in ws if w.text == "ngày")
    stretched = ngay.model_copy(update={"x1": ngay.x1 + 40})
    pen = Word(text="31", x0=ngay.x1 + 10, y0=86, x1=ngay.x1 + 45, y1=112, confidence=0.5)
    ws = [stretched if w is ngay else w for w in ws] + [pen]
    ws = [w.model_copy(update={"confidence": 0.95}) if w is not pen else w for w in ws]
    out, _ = fill_handwritten(ws, Image.new("L", (800, 1200), 255), lambda crop, kind: ("31", 0.95), page_height=1200)
    assert [w.text for w in sorted(out, key=lambda w: w.x0)].count("31") == 1
