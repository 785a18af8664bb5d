"""layout/regions.py: printed lines -> the regions of a letter, as tables (plain text: one
line per printed line, blank lines between blocks)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.letters import SIGNER, STAMP, extractor, letter
from vanthu.models.document import Line
from vanthu.pipeline.layout.regions import (
    label_to_recipients,
    lines_to_signature_start,
    lines_to_title,
    signature_start_to_body_end,
    split_regions,
)

REGION_NAMES = (
    "header_left",
    "header_right",
    "marks",
    "subject_left",
    "title",
    "recipients",
    "body",
    "distribution",
    "signer",
    "stamp",
)


def plain(text: str) -> list[Line]:
    return [Line(text=t, page=1) for t in text.split("\n")]


def regions_of(text: str) -> dict:
    """The non-blank lines of each region that has any, and the number and date lines."""
    r = split_regions(plain(text))
    out: dict = {k: [ln.text for ln in getattr(r, k) if ln.text.strip()] for k in REGION_NAMES}
    out = {k: v for k, v in out.items() if v}
    for k in ("number_line", "place_date"):
        if getattr(r, k) is not None:
            out[k] = getattr(r, k).text
    return out


CONG_VAN = """ỦY BAN NHÂN DÂN
TỈNH LẠNG SƠN

CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc

Số: 12/UBND-VX

Lạng Sơn, ngày 15 tháng 8 năm 2024

HỎA TỐC

V/v triển khai nhiệm vụ

Kính gửi:
- Sở Tài chính;
- Sở Nội vụ.

1. Tăng cường tuyên truyền.

Nơi nhận:
- Như trên;
- Lưu: VT.

KT. CHỦ TỊCH
PHÓ CHỦ TỊCH

Nguyễn Văn Hạnh"""

KE_HOACH = """ỦY BAN NHÂN DÂN
HUYỆN X

Số: 5/KH-UBND

X, ngày 1 tháng 2 năm 2024

KẾ HOẠCH

Triển khai công tác năm 2024

Căn cứ Luật Tổ chức.
Thực hiện nhiệm vụ./.

CHỦ TỊCH

Trần Văn B"""

QUYET_DINH = """ỦY BAN NHÂN DÂN
TỈNH A

Số: 19/QĐ-UBND

A, ngày 3 tháng 4 năm 2024

QUYẾT ĐỊNH
Về việc thành lập Tổ công tác
CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH A

Căn cứ Luật Tổ chức chính quyền địa phương;

QUYẾT ĐỊNH:

Điều 1. Thành lập Tổ công tác./.

CHỦ TỊCH

Lê Văn C"""

WITH_STAMP = """SỞ TÀI CHÍNH
ĐẾN
Số: 2771
Ngày: 05/9/2024
Chuyển: P. KH

Số: 7/STC-KH

B, ngày 9 tháng 9 năm 2024

V/v báo cáo

Kính gửi: UBND tỉnh.

Sở Tài chính báo cáo như sau./.

GIÁM ĐỐC

Phạm Văn D"""

NO_END_MARK = """BỘ NỘI VỤ

Số: 8/BNV-VP

Hà Nội, ngày 2 tháng 3 năm 2024

V/v họp

Kính gửi: Các Sở.

Đề nghị các Sở cử người dự họp.

BỘ TRƯỞNG

Hoàng Văn E"""


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            CONG_VAN,
            {
                "header_left": ["ỦY BAN NHÂN DÂN", "TỈNH LẠNG SƠN"],
                "header_right": ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"],
                "number_line": "Số: 12/UBND-VX",
                "place_date": "Lạng Sơn, ngày 15 tháng 8 năm 2024",
                "marks": ["HỎA TỐC"],
                "subject_left": ["V/v triển khai nhiệm vụ"],
                "recipients": ["- Sở Tài chính;", "- Sở Nội vụ."],
                "body": ["1. Tăng cường tuyên truyền."],
                "distribution": ["- Như trên;", "- Lưu: VT."],
                "signer": ["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Nguyễn Văn Hạnh"],
            },
            id="cong-van",
        ),
        pytest.param(
            KE_HOACH,
            {
                "header_left": ["ỦY BAN NHÂN DÂN", "HUYỆN X"],
                "number_line": "Số: 5/KH-UBND",
                "place_date": "X, ngày 1 tháng 2 năm 2024",
                "title": ["KẾ HOẠCH", "Triển khai công tác năm 2024"],
                "body": ["Căn cứ Luật Tổ chức.", "Thực hiện nhiệm vụ./."],
                "signer": ["CHỦ TỊCH", "Trần Văn B"],
            },
            id="subject-under-title-starting-like-a-body",
        ),
        pytest.param(
            QUYET_DINH,
            {
                "header_left": ["ỦY BAN NHÂN DÂN", "TỈNH A"],
                "number_line": "Số: 19/QĐ-UBND",
                "place_date": "A, ngày 3 tháng 4 năm 2024",
                "title": ["QUYẾT ĐỊNH", "Về việc thành lập Tổ công tác"],
                "body": [
                    "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH A",
                    "Căn cứ Luật Tổ chức chính quyền địa phương;",
                    "QUYẾT ĐỊNH:",
                    "Điều 1. Thành lập Tổ công tác./.",
                ],
                "signer": ["CHỦ TỊCH", "Lê Văn C"],
            },
            id="authority-line-ends-the-subject",
        ),
        pytest.param(
            WITH_STAMP,
            {
                "header_left": ["SỞ TÀI CHÍNH"],
                "stamp": ["ĐẾN", "Số: 2771", "Ngày: 05/9/2024", "Chuyển: P. KH"],
                "number_line": "Số: 7/STC-KH",
                "place_date": "B, ngày 9 tháng 9 năm 2024",
                "subject_left": ["V/v báo cáo"],
                "recipients": ["UBND tỉnh."],
                "body": ["Sở Tài chính báo cáo như sau./."],
                "signer": ["GIÁM ĐỐC", "Phạm Văn D"],
            },
            id="receipt-stamp-not-the-number-line",
        ),
        pytest.param(
            NO_END_MARK,
            {
                "header_left": ["BỘ NỘI VỤ"],
                "number_line": "Số: 8/BNV-VP",
                "place_date": "Hà Nội, ngày 2 tháng 3 năm 2024",
                "subject_left": ["V/v họp"],
                "recipients": ["Các Sở."],
                "body": ["Đề nghị các Sở cử người dự họp."],
                "signer": ["BỘ TRƯỞNG", "Hoàng Văn E"],
            },
            id="trailing-signer-block-without-end-mark",
        ),
    ],
)
def test_split_regions(text: str, expected: dict) -> None:
    assert regions_of(text) == expected


@pytest.mark.parametrize(
    ("text", "start"),
    [
        ("Thân bài.\nNơi nhận:\n- Như trên;\nCHỦ TỊCH\nNguyễn Văn A", 1),  # at Nơi nhận
        ("Thân bài./.\nCHỦ TỊCH\nNguyễn Văn A", 1),  # after the end mark
        ("Thân bài\nCHỦ TỊCH\nNguyễn Văn A", 1),  # the trailing signer block
        ("Thân bài\nvà kết thúc./.", 2),  # the end mark on the last line: no signature zone
        ("Thân bài\nkết thúc", 2),
    ],
)
def test_lines_to_signature_start(text: str, start: int) -> None:
    assert lines_to_signature_start(plain(text), 0, geometry=False) == start


def test_signer_printed_above_the_distribution_list_ends_the_body() -> None:
    lines = plain("Thân bài.\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\nNơi nhận:\n- Như trên;")
    assert signature_start_to_body_end(lines, 0, 3, geometry=False) == 1


@pytest.mark.parametrize(
    ("text", "title", "after"),
    [
        ("THÔNG BÁO\nKết luận của Chủ tịch\n\nNội dung", ["THÔNG BÁO", "Kết luận của Chủ tịch"], 3),
        ("THÔNG BÁO\n\nKính gửi: A", ["THÔNG BÁO"], 2),
        ("QUYẾT ĐỊNH\nVề việc X\nQUYẾT ĐỊNH:", ["QUYẾT ĐỊNH", "Về việc X"], 2),
        ("VỀ VIỆC X\nnội dung", [], 0),  # no type title: nothing taken
    ],
)
def test_lines_to_title(text: str, title: list[str], after: int) -> None:
    out: list[Line] = []
    assert lines_to_title(plain(text), 0, False, out) == after
    assert [ln.text for ln in out] == title


@pytest.mark.parametrize(
    ("text", "recipients", "after"),
    [
        ("Kính gửi: Sở Tài chính.\nNội dung", ["Sở Tài chính."], 1),
        ("Kính gửi:\n- Sở A;\n- Sở B.\n\nNội dung", ["- Sở A;", "- Sở B."], 4),
        ("Kính gửi:\n- Sở A;\n\n- Sở B.\nNội dung", ["- Sở A;", "- Sở B."], 4),  # a blank before a bullet
        (
            "Kính gửi: Ủy ban nhân dân\ncác huyện, thành phố.\n1. Nội dung",
            ["Ủy ban nhân dân", "các huyện, thành phố."],
            2,
        ),
        ("Kính gửi: Sở A;\n1. Nội dung", ["Sở A;"], 1),  # a numbered item is the body
    ],
)
def test_label_to_recipients(text: str, recipients: list[str], after: int) -> None:
    lines = plain(text)
    out: list[Line] = []
    assert label_to_recipients(lines, 0, len(lines), out) == after
    assert [ln.text for ln in out] == recipients


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

    lines = [
        Line(text="Số: 06/CT-UBND", page=1, x0=300, y0=400, x1=800, y1=445, column="left", unit="px"),
        ln("CHỈ THỊ", 560),
        ln("VỀ TĂNG CƯỜNG CÔNG TÁC PHÒNG CHÁY", 620),
        ln("TRÊN ĐỊA BÀN TỈNH QUẢNG TRỊ", 680),
        ln("Trong những năm qua, công tác phòng cháy đã đạt nhiều kết quả", 735, column="full"),
    ]
    regions = split_regions(lines)
    assert [x.text for x in regions.title] == [
        "CHỈ THỊ",
        "VỀ TĂNG CƯỜNG CÔNG TÁC PHÒNG CHÁY",
        "TRÊN ĐỊA BÀN TỈNH QUẢNG TRỊ",
    ]
    assert regions.body[0].text.startswith("Trong những năm qua")


# ----------------------------------------------------------------- signer block and body


def test_signer_is_not_a_body_item(extract) -> None:
    rec = extract(letter(signer=("KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "", "Nguyễn Văn A")))
    assert all("CHỦ TỊCH" not in a.text for a in rec.assignments)
    assert all("Nguyễn Văn A" not in d for d in rec.distribution)


@pytest.mark.parametrize(
    ("signer", "title"),
    [
        (SIGNER, "CHỦ TỊCH"),
        (("KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "", "(Đã ký)", "", "Nguyễn Văn Hạnh"), "PHÓ GIÁM ĐỐC"),
    ],
)
def test_signer_without_distribution_or_end_mark(extract, signer, title) -> None:
    """Regression: with neither 'Nơi nhận' nor './.', the signer block became body text."""
    rec = extract(
        letter(body=("1. Sở Tài chính có trách nhiệm bố trí kinh phí.",), closing=None, distribution=(), signer=signer)
    )
    assert rec.signer is not None and rec.signer.name == "Nguyễn Văn Hạnh"
    assert rec.signer.title == title
    assert rec.assignments[0].assignees == ["Sở Tài chính"]
    assert rec.assignments[0].text == "Sở Tài chính có trách nhiệm bố trí kinh phí."


def test_letter_ending_with_a_heading_and_a_name_like_line_keeps_its_body(extract) -> None:
    """Without 'Nơi nhận' or './.', a body that merely ends in capitals is not a signer block."""
    rec = extract(
        letter(
            body=("1. Sở Tài chính có trách nhiệm bố trí kinh phí.", "2. Báo cáo kết quả về Sở Nội vụ."),
            closing=None,
            distribution=(),
            signer=(),
        )
    )
    assert rec.signer is None
    assert [a.label for a in rec.assignments] == ["1", "2"]
