"""layout/regions.py: printed lines -> the regions of a letter, as tables (plain text: one
line per printed line, blank lines between blocks)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.letters import SIGNER, STAMP, extractor, letter
from vanthu.models.document import Line
from vanthu.pipeline.layout.regions import (
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


_KT = ("KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "", "Nguyễn Văn B")
_TM = ("TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "", "(Đã ký)", "", "Trần Văn C")
_DIST = ("Nơi nhận:", "- Như Điều 3;", "- Lưu: VT, VP.")
_LAST = "Điều 3. Chánh Văn phòng UBND tỉnh chịu trách nhiệm thi hành Quyết định này"


@pytest.mark.parametrize(
    ("end_mark", "tail", "signer", "distribution"),
    [
        ("./.", (_KT,), ("KT.", "PHÓ CHỦ TỊCH", "Nguyễn Văn B"), []),  # no Nơi nhận
        (".", (_KT,), ("KT.", "PHÓ CHỦ TỊCH", "Nguyễn Văn B"), []),  # nor an end mark
        ("./.", (_KT, _DIST), ("KT.", "PHÓ CHỦ TỊCH", "Nguyễn Văn B"), ["Như Điều 3", "Lưu: VT, VP"]),
        (".", (_KT, _DIST), ("KT.", "PHÓ CHỦ TỊCH", "Nguyễn Văn B"), ["Như Điều 3", "Lưu: VT, VP"]),
        # a block of seven lines, its name under "(Đã ký)", above Nơi nhận
        ("./.", (_TM, _DIST), ("TM.", "PHÓ CHỦ TỊCH", "Trần Văn C"), ["Như Điều 3", "Lưu: VT, VP"]),
        (
            "./.",
            (("TL. CHỦ TỊCH", "CHÁNH VĂN PHÒNG", "", "(Đã ký)", "", "Lê Thị D"),),
            ("TL.", "CHÁNH VĂN PHÒNG", "Lê Thị D"),
            [],
        ),
    ],
)
def test_signer_block_found_without_nơi_nhận_or_before_it(extract, end_mark, tail, signer, distribution) -> None:
    """Regression: a decision's signer block was lost (read into the body, or the body read
    as the signer from "QUYẾT ĐỊNH:") when Nơi nhận was missing or printed after it."""
    text = letter(
        number="Số: 19/QĐ-UBND",
        title=("QUYẾT ĐỊNH", "Về việc ban hành Quy định"),
        subject=(),
        recipients=(),
        closing=None,
        body=("CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH", "QUYẾT ĐỊNH:", "Điều 1. Ban hành Quy định.", _LAST + end_mark),
        distribution=(),
        signer=(),
    )
    rec = extract(text + "\n" + "\n\n".join("\n".join(block) for block in tail) + "\n")
    assert rec.signer is not None and (rec.signer.prefix, rec.signer.title, rec.signer.name) == signer
    assert rec.distribution == distribution
    assert [a.label for a in rec.assignments] == ["Điều 1", "Điều 3"]
    assert rec.assignments[-1].text.startswith("Chánh Văn phòng UBND tỉnh chịu trách nhiệm")
    assert "CHỦ TỊCH" not in rec.assignments[-1].text


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
    "type_name",
    ["THÔNG TƯ", "NGHỊ ĐỊNH", "THÔNG TƯ LIÊN TỊCH", "LUẬT", "NGHỊ QUYẾT", "KẾ HOẠCH", "CHỈ THỊ"],
)
def test_subject_under_a_title_line_for_every_type(type_name: str) -> None:
    """Regression: a legal-normative document's type name (a Thông tư's) was no title line,
    so the subject printed under it was lost."""
    text = f"{type_name}\nQUY ĐỊNH CƠ CHẾ QUẢN LÝ GIÁ DỊCH VỤ\nKIỂM ĐỊNH PHƯƠNG TIỆN\n\nCăn cứ Luật Giá;"
    out: list[Line] = []
    assert lines_to_title(plain(text), 0, False, out) == 4
    assert [ln.text for ln in out] == [type_name, "QUY ĐỊNH CƠ CHẾ QUẢN LÝ GIÁ DỊCH VỤ", "KIỂM ĐỊNH PHƯƠNG TIỆN"]


def _pdf_line(text: str, y: float, x0: float, x1: float, column: str) -> Line:
    return Line(text=text, page=1, x0=x0, y0=y, x1=x1, y1=y + 13, column=column, unit="pt")


@pytest.mark.parametrize(
    ("after_subject", "subject"),
    [
        # the body's first line, full width under the subject: no part of it
        (
            [("Ngày 18/11/2025, Sở Tài chính có nhận được Công văn số", 120, 520, "full")],
            ["V/v trả lãi tiền vay cho cổ đông"],
        ),
        # a subject's second line in the left column goes on
        (
            [
                ("cho cổ đông là cá nhân", 99, 280, "left"),
                ("Ngày 18/11/2025, Sở Tài chính nhận được", 120, 520, "full"),
            ],
            ["V/v trả lãi tiền vay cho cổ đông", "cho cổ đông là cá nhân"],
        ),
    ],
)
def test_subject_ends_where_a_full_width_body_line_begins(after_subject, subject) -> None:
    """Regression: a V/v subject ran on into the body's first line (printed full width, then
    ignored) and its next line (in the left column, taken as the subject's)."""
    lines = [
        _pdf_line("SỞ TÀI CHÍNH", 100, 130, 230, "left"),
        _pdf_line("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 100, 274, 520, "right"),
        _pdf_line("Số: 1539/STC-QLG", 130, 116, 220, "left"),
        _pdf_line("Vĩnh Long, ngày 02 tháng 12 năm 2025", 130, 293, 520, "right"),
        _pdf_line("V/v trả lãi tiền vay cho cổ đông", 150, 99, 280, "left"),
    ]
    lines += [_pdf_line(t, 170 + 16 * n, x0, x1, col) for n, (t, x0, x1, col) in enumerate(after_subject)]
    lines.append(_pdf_line("hiện giải chấp tài sản tại ngân hàng.", 250, 91, 260, "left"))
    regions = split_regions(lines)
    assert [ln.text for ln in regions.subject_left] == subject
    assert regions.body[0].text.startswith("Ngày 18/11/2025")
    assert regions.body[-1].text == "hiện giải chấp tài sản tại ngân hàng."


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


@pytest.mark.parametrize(
    ("authority", "subject"),
    [
        ("CHÍNH PHỦ", ["VỀ DỰ ÁN PHÁP LỆNH SỬA ĐỔI", "MỘT SỐ ĐIỀU CỦA PHÁP LỆNH"]),
        ("QUỐC HỘI", ["VỀ DỰ ÁN PHÁP LỆNH SỬA ĐỔI", "MỘT SỐ ĐIỀU CỦA PHÁP LỆNH"]),
    ],
)
def test_a_resolutions_authority_line_after_a_gap_ends_its_subject(authority: str, subject: list[str]) -> None:
    """Regression (issue 18, noisy and photo scans of Government resolutions): the line
    "CHÍNH PHỦ" under the subject, printed after a gap and read without its bold type,
    ran on into the subject ("… MÔI TRƯỜNG CHÍNH PHỦ")."""
    rows = [("NGHỊ QUYẾT", 200), (subject[0], 230), (subject[1], 250), (authority, 290), ("Căn cứ Luật;", 330)]
    lines = [Line(text=t, page=1, x0=300, y0=y, x1=900, y1=y + 16, column="center", unit="px") for t, y in rows]
    out: list[Line] = []
    assert lines_to_title(lines, 0, True, out) == 3
    assert [ln.text for ln in out] == ["NGHỊ QUYẾT", *subject]


def test_a_subject_line_starting_with_an_authority_name_goes_on() -> None:
    """A wrapped subject line that starts with "CHÍNH PHỦ" (no gap above it) is the subject's."""
    rows = [("NGHỊ QUYẾT", 200), ("VỀ HIỆP ĐỊNH GIỮA", 230), ("CHÍNH PHỦ CÁC QUỐC GIA", 250), ("CHÍNH PHỦ", 290)]
    lines = [Line(text=t, page=1, x0=300, y0=y, x1=900, y1=y + 16, column="center", unit="px") for t, y in rows]
    out: list[Line] = []
    assert lines_to_title(lines, 0, True, out) == 3
