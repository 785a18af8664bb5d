"""Lines into the regions of a letter (layout/regions.py): the receipt stamp apart from the
issuer, the title and subject apart from the body, the signer block apart from the body."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.letters import SIGNER, STAMP, extractor, letter


@pytest.fixture
def extract(tmp_path: Path):
    """extract(text, name="letter.md") -> DispatchRecord, via a file in tmp_path."""
    return extractor(tmp_path)


# --------------------------------------------------------------------- ĐẾN receipt stamp


def test_receipt_stamp_before_the_number(extract) -> None:
    rec = extract(letter(before_number=(STAMP,), number="Số: 19/QĐ-UBND"))
    assert rec.number == "19"
    assert rec.number_symbol == "19/QĐ-UBND"
    assert rec.date == "2024-08-15"
    assert rec.receipt_stamp is not None
    assert rec.receipt_stamp.number == "2771"
    assert rec.receipt_stamp.date == "2024-09-05"
    # the stamp is not part of the issuer block
    assert rec.issuer == "ỦY BAN NHÂN DÂN THÀNH PHỐ LẠNG SƠN"
    assert rec.parent_issuer is None


def test_receipt_stamp_at_the_top(extract) -> None:
    text = STAMP + "\n\n" + letter(number="Số: 19/QĐ-UBND")
    rec = extract(text)
    assert rec.number_symbol == "19/QĐ-UBND"
    assert rec.date == "2024-08-15"
    assert rec.receipt_stamp is not None and rec.receipt_stamp.number == "2771"
    assert rec.issuer == "ỦY BAN NHÂN DÂN THÀNH PHỐ LẠNG SƠN"


def test_receipt_stamp_with_more_fields(extract) -> None:
    rec = extract(letter(before_number=("CÔNG VĂN ĐẾN\nSố: 2771\nNgày: 05/9/2024\nChuyển: Phòng Nội vụ",)))
    assert rec.receipt_stamp is not None
    assert rec.receipt_stamp.number == "2771"
    assert "Chuyển: Phòng Nội vụ" in rec.receipt_stamp.text
    assert rec.number_symbol == "12/UBND-VX"
    assert rec.issuer == "ỦY BAN NHÂN DÂN THÀNH PHỐ LẠNG SƠN" and rec.parent_issuer is None


def test_no_receipt_stamp(extract) -> None:
    assert extract(letter()).receipt_stamp is None


def test_receipt_stamp_lines_separated_by_blank_lines(extract) -> None:
    """Regression: a blank line between the stamp's lines ended the stamp."""
    stamp = ("ĐẾN", "Số: 2771", "Ngày: 05/9/2024")
    rec = extract(letter(before_number=stamp, number="Số: 19/QĐ-UBND"))
    assert rec.number_symbol == "19/QĐ-UBND"
    assert rec.issuer == "ỦY BAN NHÂN DÂN THÀNH PHỐ LẠNG SƠN"
    assert rec.parent_issuer is None
    assert rec.receipt_stamp is not None and rec.receipt_stamp.number == "2771"


# ------------------------------------------------------------------------ title and body


def test_subject_in_capitals_stops_where_running_text_begins():
    # OCR has no bold: "…TỈNH QUẢNG TRỊ Trong những năm qua…" ran on into the subject
    from vanthu.models.document import Line
    from vanthu.pipeline.layout.regions import split_regions

    def ln(text, y, column="center"):
        return Line(text=text, page=1, x0=300, y0=y, x1=2100, y1=y + 45, column=column, unit="px")

    lines = [Line(text="Số: 06/CT-UBND", page=1, x0=300, y0=400, x1=800, y1=445, column="left", unit="px"),
             ln("CHỈ THỊ", 560), ln("VỀ TĂNG CƯỜNG CÔNG TÁC PHÒNG CHÁY", 620),
             ln("TRÊN ĐỊA BÀN TỈNH QUẢNG TRỊ", 680),
             ln("Trong những năm qua, công tác phòng cháy đã đạt nhiều kết quả", 735, column="full")]
    regions = split_regions(lines)
    assert [x.text for x in regions.title] == ["CHỈ THỊ", "VỀ TĂNG CƯỜNG CÔNG TÁC PHÒNG CHÁY",
                                              "TRÊN ĐỊA BÀN TỈNH QUẢNG TRỊ"]
    assert regions.body[0].text.startswith("Trong những năm qua")


# ----------------------------------------------------------------- signer block and body


def test_signer_is_not_a_body_item(extract) -> None:
    rec = extract(letter(signer=("KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "", "Nguyễn Văn A")))
    assert all("CHỦ TỊCH" not in a.text for a in rec.assignments)
    assert all("Nguyễn Văn A" not in d for d in rec.distribution)


@pytest.mark.parametrize(("signer", "title"), [
    (SIGNER, "CHỦ TỊCH"),
    (("KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "", "(Đã ký)", "", "Nguyễn Văn Hạnh"), "PHÓ GIÁM ĐỐC"),
])
def test_signer_without_distribution_or_end_mark(extract, signer, title) -> None:
    """Regression: with neither 'Nơi nhận' nor './.', the signer block became body text."""
    rec = extract(letter(body=("1. Sở Tài chính có trách nhiệm bố trí kinh phí.",), closing=None, distribution=(),
                         signer=signer))
    assert rec.signer is not None and rec.signer.name == "Nguyễn Văn Hạnh"
    assert rec.signer.title == title
    assert rec.assignments[0].assignees == ["Sở Tài chính"]
    assert rec.assignments[0].text == "Sở Tài chính có trách nhiệm bố trí kinh phí."


def test_letter_ending_with_a_heading_and_a_name_like_line_keeps_its_body(extract) -> None:
    """Without 'Nơi nhận' or './.', a body that merely ends in capitals is not a signer block."""
    rec = extract(letter(body=("1. Sở Tài chính có trách nhiệm bố trí kinh phí.", "2. Báo cáo kết quả về Sở Nội vụ."),
                         closing=None, distribution=(), signer=()))
    assert rec.signer is None
    assert [a.label for a in rec.assignments] == ["1", "2"]
