"""fields/header.py: header regions -> the record's header fields, as tables (printed
lines -> expected fields)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.letters import extractor, letter
from vanthu.models import DispatchRecord
from vanthu.models.document import Line, Regions
from vanthu.pipeline.fields.entries import strip_item
from vanthu.pipeline.fields.header import HEADER_FIELDS, read_header
from vanthu.pipeline.provenance import ProvenanceLog
from vanthu.pipeline.rules.loader import patterns


def lines(*texts: str, bold: bool | None = None) -> tuple[Line, ...]:
    return tuple(Line(text=t, page=1, **({} if bold is None else {"bold": bold})) for t in texts)


def header(**regions) -> dict:
    return read_header(Regions(**regions), ProvenanceLog())


def test_fields_are_record_fields() -> None:
    h = header()
    assert tuple(h) == HEADER_FIELDS
    assert set(HEADER_FIELDS) <= set(DispatchRecord.model_fields)
    assert h["recipients"] == [] and all(h[k] is None for k in HEADER_FIELDS if k != "recipients")


@pytest.mark.parametrize(
    ("printed", "parent", "issuer"),
    [
        (("ỦY BAN NHÂN DÂN", "TỈNH LẠNG SƠN"), None, "ỦY BAN NHÂN DÂN TỈNH LẠNG SƠN"),
        (("UBND TỈNH NGHỆ AN", "SỞ TÀI CHÍNH"), "UBND TỈNH NGHỆ AN", "SỞ TÀI CHÍNH"),
        (("BỘ KHOA HỌC", "VÀ CÔNG NGHỆ"), None, "BỘ KHOA HỌC VÀ CÔNG NGHỆ"),
        (("VĂN PHÒNG", "CHÍNH PHỦ"), None, "VĂN PHÒNG CHÍNH PHỦ"),
        (("TỈNH ỦY QUẢNG NAM", "BAN TUYÊN GIÁO", "-------"), "TỈNH ỦY QUẢNG NAM", "BAN TUYÊN GIÁO"),
        ((". CỤC THUẾ", "'ỦY BAN NHÂN DÂN", "TỈNH NGHỆ AN"), "CỤC THUẾ", "ỦY BAN NHÂN DÂN TỈNH NGHỆ AN"),
        (("ĐẢNG BỘ TỈNH", "ĐẢNG ỦY KHỐI", "*"), "ĐẢNG BỘ TỈNH", "ĐẢNG ỦY KHỐI"),
        # a police unit under its Công an; a 1990s UBND on one line, old tone placement
        (
            ("CÔNG AN TỈNH QUẢNG NGÃI", "PHÒNG CẢNH SÁT GIAO THÔNG"),
            "CÔNG AN TỈNH QUẢNG NGÃI",
            "PHÒNG CẢNH SÁT GIAO THÔNG",
        ),
        (("CÔNG AN QUẬN HOÀN KIẾM", "ĐỘI ĐIỀU TRA TỔNG HỢP"), "CÔNG AN QUẬN HOÀN KIẾM", "ĐỘI ĐIỀU TRA TỔNG HỢP"),
        (("ỦY BAN NHÂN DÂN TỈNH HÀ TÂY",), None, "ỦY BAN NHÂN DÂN TỈNH HÀ TÂY"),
        (("UỶ BAN NHÂN DÂN", "TỈNH HÀ TÂY"), None, "UỶ BAN NHÂN DÂN TỈNH HÀ TÂY"),
    ],
)
def test_issuer(printed: tuple[str, ...], parent: str | None, issuer: str) -> None:
    h = header(header_left=lines(*printed))
    assert (h["parent_issuer"], h["issuer"]) == (parent, issuer)


def test_issuer_split_by_type_face() -> None:
    """The governing body printed regular, the issuer bold: two units whatever the words."""
    h = header(header_left=lines("BỘ TÀI CHÍNH", bold=False) + lines("TỔNG CỤC THUẾ", bold=True))
    assert (h["parent_issuer"], h["issuer"]) == ("BỘ TÀI CHÍNH", "TỔNG CỤC THUẾ")


@pytest.mark.parametrize(
    ("printed", "number", "symbol", "number_symbol"),
    [
        ("Số: 12/UBND-VX", "12", "UBND-VX", "12/UBND-VX"),
        ("Số:    /UBND-NV", None, "UBND-NV", "/UBND-NV"),
        ("Số 27-KH/ĐU", "27", "KH/ĐU", "27-KH/ĐU"),
        ("Số: 30/2020/NĐ-CP", "30", "2020/NĐ-CP", "30/2020/NĐ-CP"),
        ("Số: 1.234/BC-UBND", "1.234", "BC-UBND", "1.234/BC-UBND"),
        ("Sô: 5/TB - UBND", "5", "TB-UBND", "5/TB-UBND"),
        # police units: the unit's code after the type's; 1990s decisions: several codes,
        # the type after the number and a dash, a dot between codes, no colon
        ("Số: 125/QĐ-CAT-PC08", "125", "QĐ-CAT-PC08", "125/QĐ-CAT-PC08"),
        ("Số: 12/BC-CAQ-ĐTTH", "12", "BC-CAQ-ĐTTH", "12/BC-CAQ-ĐTTH"),
        ("Số: 125/QĐ-UB-TC", "125", "QĐ-UB-TC", "125/QĐ-UB-TC"),
        ("Số: 37-QĐ/UB", "37", "QĐ/UB", "37-QĐ/UB"),
        ("Số 12/QĐ.UB", "12", "QĐ.UB", "12/QĐ.UB"),
    ],
)
def test_number_line(printed: str, number: str | None, symbol: str, number_symbol: str) -> None:
    h = header(number_line=Line(text=printed, page=1))
    assert (h["number"], h["symbol"], h["number_symbol"]) == (number, symbol, number_symbol)


@pytest.mark.parametrize(
    ("printed", "place", "date", "date_text"),
    [
        ("Lạng Sơn, ngày 15 tháng 8 năm 2024", "Lạng Sơn", "2024-08-15", "ngày 15 tháng 8 năm 2024"),
        ("TP. Hồ Chí Minh, ngày 01 tháng 10 năm 2025", "TP. Hồ Chí Minh", "2025-10-01", "ngày 01 tháng 10 năm 2025"),
        ("_Nghệ An, ngày 26 tháng 11 năm 2025", "Nghệ An", "2025-11-26", "ngày 26 tháng 11 năm 2025"),
        ("Hà Nội, ngày      tháng 8 năm 2024", "Hà Nội", None, "ngày tháng 8 năm 2024"),
        ("Hà Nội, ngày 31 tháng 2 năm 2024", "Hà Nội", None, "ngày 31 tháng 2 năm 2024"),
        # older letters: no comma before a full date, a short date after "Ngày", "Hà nội"
        ("Hà Nội ngày 3 tháng 2 năm 2024", "Hà Nội", "2024-02-03", "ngày 3 tháng 2 năm 2024"),
        ("Hà nội ngày 5 tháng 3 năm 1996", "Hà nội", "1996-03-05", "ngày 5 tháng 3 năm 1996"),
        ("Hà nội, Ngày 05-03-1996", "Hà nội", "1996-03-05", "05-03-1996"),
        ("Hà Đông Ngày 05-03-1996", "Hà Đông", "1996-03-05", "05-03-1996"),
        ("Hà Nội ngày tháng 8 năm 2024", None, None, None),  # no comma and no full date: not read
    ],
)
def test_place_and_date(printed: str, place: str | None, date: str | None, date_text: str | None) -> None:
    h = header(place_date=Line(text=printed, page=1))
    assert (h["place"], h["date"], h["date_text"]) == (place, date, date_text)


@pytest.mark.parametrize(
    ("regions", "doc_type", "subject"),
    [
        ({"title": ("KẾ HOẠCH", "Triển khai công tác năm 2024")}, "Kế hoạch", "Triển khai công tác năm 2024"),
        ({"title": ("QUYẾT ĐỊNH", "về việc thành lập", "Tổ công tác")}, "Quyết định", "Về việc thành lập Tổ công tác"),
        ({"title": ("THÔNG BÁO", "Việc tổ chức hội nghị")}, "Thông báo", "Về việc tổ chức hội nghị"),
        ({"title": ("KẾ HOẠCH", "'VỀ VIỆC ĐỔI MỚI BẢN TIN -")}, "Kế hoạch", "VỀ VIỆC ĐỔI MỚI BẢN TIN"),
        ({"title": ("CHỈ THỊ",)}, "Chỉ thị", None),
        ({"subject_left": ("V/v triển khai", "nhiệm vụ năm 2024")}, "Công văn", "V/v triển khai nhiệm vụ năm 2024"),
        # (a subject ends with no stop, Nghị định 30: one glued to it is a scan's speck)
        ({"subject_left": ("V1v báo cáo.",)}, "Công văn", "V/v báo cáo"),
        ({"subject_left": ("Về việc họp",)}, "Công văn", "Về việc họp"),
    ],
)
def test_type_and_subject(regions: dict, doc_type: str | None, subject: str | None) -> None:
    h = header(**{k: lines(*v) for k, v in regions.items()})
    assert (h["doc_type"], h["subject"]) == (doc_type, subject)


@pytest.mark.parametrize(
    ("number_line", "recipients", "doc_type"),
    [
        ("Số: 5/QĐ-UBND", (), "Quyết định"),  # no title: the symbol names the type
        ("Số: 5/KH-UBND", (), "Kế hoạch"),
        ("Số: 5/UBND-VX", ("Kính gửi: Sở Nội vụ.",), "Công văn"),  # no type in the symbol, but a Kính gửi
        ("Số: 5/UBND-VX", (), None),
        # a unit's code after the type's (police), several codes, a dot, the type after a dash
        ("Số: 125/QĐ-CAT-PC08", (), "Quyết định"),
        ("Số: 37/KH-CAT-PV01", (), "Kế hoạch"),
        ("Số: 12/BC-CAQ-ĐTTH", (), "Báo cáo"),
        ("Số: 125/QĐ-UB-TC", (), "Quyết định"),
        ("Số: 37-QĐ/UB", (), "Quyết định"),
        ("Số 12/QĐ.UB", (), "Quyết định"),
    ],
)
def test_type_from_the_symbol(number_line: str, recipients: tuple[str, ...], doc_type: str | None) -> None:
    h = header(number_line=Line(text=number_line, page=1), recipients=lines(*recipients))
    assert h["doc_type"] == doc_type


@pytest.mark.parametrize(
    ("printed", "urgency", "confidentiality"),
    [(("HỎA TỐC",), "Hỏa tốc", None), (("KHẨN", "MẬT"), "Khẩn", "Mật"), (("GHI CHÚ",), None, None)],
)
def test_marks(printed: tuple[str, ...], urgency: str | None, confidentiality: str | None) -> None:
    h = header(marks=lines(*printed))
    assert (h["urgency"], h["confidentiality"]) == (urgency, confidentiality)


@pytest.mark.parametrize(
    ("printed", "recipients"),
    [
        (("Sở Tài chính.",), ["Sở Tài chính"]),
        (("- Sở A;", "- Sở B."), ["Sở A", "Sở B"]),
        (("- Ủy ban nhân dân các huyện,", "thành phố;"), ["Ủy ban nhân dân các huyện, thành phố"]),
        (("Bà Huỳnh Thị Mỹ Hằng (Địa chỉ: 33 Hai Bà Trưng; Số ĐT: 0909).",), ["Bà Huỳnh Thị Mỹ Hằng"]),
        (("_ - Bộ Tư pháp;", "- Văn phòng Chính phủ; -"), ["Bộ Tư pháp", "Văn phòng Chính phủ"]),
        # a line wrapped at the dash inside a name ("Kinh tế - Quản lý …") opens no entry,
        # in a list whose entries end in ';'; after a dash a unit starts an entry all the same
        (
            ("- Các Vụ: Pháp chế, Kinh tế", "- Quản lý đầu tư, Kế hoạch;", "- Sở Y tế;", "- Sở Nội vụ."),
            ["Các Vụ: Pháp chế, Kinh tế - Quản lý đầu tư, Kế hoạch", "Sở Y tế", "Sở Nội vụ"],
        ),
        (
            ("- Sở Y tế", "- Sở Nội vụ;", "- Sở Tư pháp;", "- Sở Xây dựng."),
            ["Sở Y tế", "Sở Nội vụ", "Sở Tư pháp", "Sở Xây dựng"],
        ),
    ],
)
def test_recipients(printed: tuple[str, ...], recipients: list[str]) -> None:
    assert header(recipients=lines(*printed))["recipients"] == recipients


@pytest.mark.parametrize(
    ("printed", "number", "date", "date_text"),
    [
        (("ĐẾN", "Số: 2771", "Ngày: 05/9/2024"), "2771", "2024-09-05", "05/9/2024"),
        (("CÔNG VĂN ĐẾN", "Số. 12", "Ngày. 5.9.2024."), "12", "2024-09-05", "5.9.2024"),
        (("ĐẾN",), None, None, None),
    ],
)
def test_receipt_stamp(printed: tuple[str, ...], number: str | None, date: str | None, date_text: str | None) -> None:
    stamp = header(stamp=lines(*printed))["receipt_stamp"]
    assert (stamp.number, stamp.date, stamp.date_text) == (number, date, date_text)
    assert stamp.text == " / ".join(printed)


def test_no_stamp() -> None:
    assert header()["receipt_stamp"] is None


@pytest.fixture
def extract(tmp_path: Path):
    """extract(text, name="letter.md") -> DispatchRecord, via a file in tmp_path."""
    return extractor(tmp_path)


# --------------------------------------------------------------------------- number line


@pytest.mark.parametrize(
    ("printed", "number", "sep", "symbol"),
    [
        ("Số: /UBND-NV", None, "/", "UBND-NV"),
        ("Số:19 /KH-UBND", "19", "/", "KH-UBND"),
        ("Số: 30/2020/NĐ-CP", "30", "/", "2020/NĐ-CP"),
        ("Số 27-KH/ĐU", "27", "-", "KH/ĐU"),
        ("sÓ:33 /TB-UBND", "33", "/", "TB-UBND"),
        ("Số 26 /KH-UBND", "26", "/", "KH-UBND"),
        ("Số: 05/BNV-VP", "05", "/", "BNV-VP"),
    ],
)
def test_number_line_pattern(printed: str, number: str | None, sep: str, symbol: str) -> None:
    m = patterns().number_line.match(printed)
    assert m is not None, printed
    assert m.group("number") == number
    assert m.group("sep") == sep
    assert "".join(m.group("symbol").split()) == symbol


@pytest.mark.parametrize(
    ("printed", "number", "symbol"),
    [
        ("Số: ,/UBND-VP", None, "UBND-VP"),  # a pen's speck in the blank number
        ("Số: ,, /UBND-VP", None, "UBND-VP"),
        ("Số: .../UBND", None, "UBND"),  # a dotted blank
        ("Số: …/UBND", None, "UBND"),
        ("Số: ___/UBND", None, "UBND"),
        ("Số:   2l /UBND", "2l", "UBND"),  # a handwritten number, "1" read as "l"
        ("Số: 12, /UBND", "12", "UBND"),  # a speck after it
        ("Số: ' 35 /QĐ-UBND", "35", "QĐ-UBND"),
    ],
)
def test_number_line_with_a_blank_or_pen_filled_number(printed: str, number: str | None, symbol: str) -> None:
    """Regression: specks between "Số:" and "/" (a pen, a scan) hid the number line."""
    m = patterns().number_line.match(printed)
    assert m is not None, printed
    assert m.group("number") == number
    assert m.group("symbol") == symbol


@pytest.mark.parametrize(
    "text",
    [
        "Căn cứ Nghị định 78/2002/NĐ-CP",
        "Số lượng: 15 người",
        "Sở Nội vụ",
        "Số: ,,,,,,,,,,,,,,,/UBND",  # more specks than a pen leaves: no number line
        "Số: , x /UBND",  # a word in the blank
    ],
)
def test_number_line_pattern_rejects_other_lines(text: str) -> None:
    assert patterns().number_line.match(text) is None


@pytest.mark.parametrize(
    ("printed", "number", "symbol", "number_symbol"),
    [
        ("Số: /UBND-NV", None, "UBND-NV", "/UBND-NV"),
        ("Số:19 /KH-UBND", "19", "KH-UBND", "19/KH-UBND"),
        ("Số: 30/2020/NĐ-CP", "30", "2020/NĐ-CP", "30/2020/NĐ-CP"),
        ("Số 27-KH/ĐU", "27", "KH/ĐU", "27-KH/ĐU"),
        ("sÓ:33 /TB-UBND", "33", "TB-UBND", "33/TB-UBND"),
        ("Số: 93. /KH-UBND", "93", "KH-UBND", "93/KH-UBND"),
        ("Số: 05/UBND-VX", "05", "UBND-VX", "05/UBND-VX"),
        ("Số: ,/UBND-VP", None, "UBND-VP", "/UBND-VP"),  # blank, a pen's speck in it
    ],
)
def test_number_line_in_letter(extract, printed, number, symbol, number_symbol) -> None:
    rec = extract(letter(number=printed))
    assert (rec.number, rec.symbol, rec.number_symbol) == (number, symbol, number_symbol)
    blank_warned = any(d.field == "/number" for d in rec.warning_details)  # "Số văn bản để trống …"
    assert blank_warned == (number is None)


def test_handwritten_number_read_with_a_letter_for_a_digit_is_flagged(extract) -> None:
    """A number filled in by pen, "1" read as "l" and spaced from "Số:" and "/": read, and flagged."""
    rec = extract(letter(number="Số:   2l /UBND"))
    assert (rec.number, rec.symbol, rec.number_symbol) == ("21", "UBND", "21/UBND")
    assert any(d.field == "/number" for d in rec.warning_details)


def test_party_document_number(extract) -> None:
    text = letter(
        issuer=("ĐẢNG BỘ TỈNH LẠNG SƠN", "ĐẢNG ỦY CƠ QUAN"),
        motto=("ĐẢNG CỘNG SẢN VIỆT NAM",),
        number="Số 27-KH/ĐU",
        place_date="Lạng Sơn, ngày 15 tháng 8 năm 2024",
        title=("KẾ HOẠCH", "Tổ chức hội nghị sơ kết"),
        subject=(),
        recipients=(),
        body=("1. Văn phòng Đảng ủy chủ trì tổ chức hội nghị.",),
        signer=("T/M BAN THƯỜNG VỤ", "BÍ THƯ", "", "Nguyễn Văn E"),
    )
    rec = extract(text)
    assert (rec.number, rec.symbol, rec.number_symbol) == ("27", "KH/ĐU", "27-KH/ĐU")
    assert rec.doc_type == "Kế hoạch"
    assert rec.signer is not None and rec.signer.prefix == "TM."


# ------------------------------------------------------------------------ place and date


def test_header_date(extract) -> None:
    rec = extract(letter())
    assert rec.place == "TP. Lạng Sơn"
    assert rec.date == "2024-08-15"
    assert rec.date_text == "ngày 15 tháng 8 năm 2024"


def test_header_blank_day(extract) -> None:
    rec = extract(letter(place_date="TP. Lạng Sơn, ngày    tháng 8 năm 2024"))
    assert rec.place == "TP. Lạng Sơn"
    assert rec.date is None
    assert rec.date_text is not None and "tháng 8 năm 2024" in rec.date_text
    assert any(d.field == "/date" for d in rec.warning_details)


def test_header_invalid_date(extract) -> None:
    rec = extract(letter(place_date="TP. Lạng Sơn, ngày 31 tháng 2 năm 2024"))
    assert rec.date is None
    assert rec.date_text == "ngày 31 tháng 2 năm 2024"


# ----------------------------------------------------------------- issuer, type, subject


def test_issuer_with_parent(extract) -> None:
    rec = extract(letter(issuer=("UBND TỈNH LẠNG SƠN", "SỞ NỘI VỤ"), number="Số: 04/SNV-VP"))
    assert rec.parent_issuer == "UBND TỈNH LẠNG SƠN"
    assert rec.issuer == "SỞ NỘI VỤ"


def test_issuer_on_two_lines_is_one_issuer(extract) -> None:
    rec = extract(letter(issuer=("ỦY BAN NHÂN DÂN", "THÀNH PHỐ LẠNG SƠN")))
    assert rec.issuer == "ỦY BAN NHÂN DÂN THÀNH PHỐ LẠNG SƠN"
    assert rec.parent_issuer is None


def test_subject_over_two_lines(extract) -> None:
    rec = extract(letter(subject=("V/v tiếp tục đẩy mạnh công tác CCHC", "trên địa bàn thành phố Lạng Sơn")))
    assert rec.subject == "V/v tiếp tục đẩy mạnh công tác CCHC trên địa bàn thành phố Lạng Sơn"
    assert rec.doc_type == "Công văn"


def test_typed_document(extract) -> None:
    rec = extract(
        letter(
            number="Số: 419/TB-UBND",
            title=("THÔNG BÁO", "Kết luận của Chủ tịch UBND thành phố tại cuộc họp giao ban"),
            subject=(),
        )
    )
    assert rec.doc_type == "Thông báo"
    assert rec.subject == "Kết luận của Chủ tịch UBND thành phố tại cuộc họp giao ban"
    assert rec.number_symbol == "419/TB-UBND"


def test_typed_document_subject_over_two_lines(extract) -> None:
    rec = extract(
        letter(
            number="Số: 12/KH-UBND",
            subject=(),
            recipients=(),
            title=("KẾ HOẠCH", "Cải cách hành chính\ntrên địa bàn thành phố năm 2024"),
        )
    )
    assert rec.doc_type == "Kế hoạch"
    assert rec.subject == "Cải cách hành chính trên địa bàn thành phố năm 2024"
    assert [a.label for a in rec.assignments] == ["1"]


def test_typed_document_subject_starting_with_trien_khai(extract) -> None:
    """Regression: a subject starting with a reference opener was taken for the body."""
    rec = extract(
        letter(
            number="Số: 12/KH-UBND",
            subject=(),
            recipients=(),
            title=("KẾ HOẠCH", "Triển khai công tác chuyển đổi số\ntrên địa bàn thành phố năm 2024"),
        )
    )
    assert rec.doc_type == "Kế hoạch"
    assert rec.subject == "Triển khai công tác chuyển đổi số trên địa bàn thành phố năm 2024"


def test_typed_document_body_opening_with_thuc_hien_is_not_the_subject(extract) -> None:
    rec = extract(
        letter(
            number="Số: 12/KH-UBND",
            subject=(),
            recipients=(),
            title=("KẾ HOẠCH",),
            body=(
                "Thực hiện Kế hoạch số 45/KH-UBND ngày 02/3/2024 của UBND tỉnh, UBND thành phố ban "
                "hành Kế hoạch như sau:",
                "1. Tăng cường tuyên truyền.",
            ),
        )
    )
    assert rec.doc_type == "Kế hoạch"
    assert rec.subject is None
    assert [r.number_symbol for r in rec.references] == ["45/KH-UBND"]


def test_speck_before_a_header_line_is_not_part_of_the_issuer():
    from vanthu.models.document import Line, Regions
    from vanthu.pipeline.fields.header import read_header
    from vanthu.pipeline.provenance import ProvenanceLog

    regions = Regions(
        header_left=(
            Line(text=". CỤC THUẾ", page=1),
            Line(text="'ỦY BAN NHÂN DÂN", page=1),
            Line(text="TỈNH NGHỆ AN", page=1),
        )
    )
    h = read_header(regions, ProvenanceLog())
    assert h["parent_issuer"] == "CỤC THUẾ" and h["issuer"] == "ỦY BAN NHÂN DÂN TỈNH NGHỆ AN"


def test_specks_before_the_place_and_around_the_subject_are_dropped(extract) -> None:
    """Regression (noisy scans): "_Nghệ An, ngày …" gave the place "_Nghệ An"; a speck
    before a subject in capitals ("'VỀ VIỆC …") and a dash after it stayed in it."""
    rec = extract(
        letter(
            place_date="_Nghệ An, ngày 26 tháng 11 năm 2025",
            subject=(),
            title=("KẾ HOẠCH", "'VỀ VIỆC ĐỔI MỚI BẢN TIN -"),
        )
    )
    assert rec.place == "Nghệ An"
    assert rec.subject == "VỀ VIỆC ĐỔI MỚI BẢN TIN"
    assert rec.doc_type == "Kế hoạch"


# --------------------------------------------------------------------------------- marks


@pytest.mark.parametrize(
    ("mark", "field", "value"),
    [
        ("KHẨN", "urgency", "Khẩn"),
        ("THƯỢNG KHẨN", "urgency", "Thượng khẩn"),
        ("HỎA TỐC", "urgency", "Hỏa tốc"),
        ("MẬT", "confidentiality", "Mật"),
    ],
)
def test_marks_as_printed(extract, mark: str, field: str, value: str) -> None:
    rec = extract(letter(marks=(mark,)))
    assert getattr(rec, field) == value
    assert rec.subject == "V/v triển khai nhiệm vụ năm 2024"
    assert rec.number_symbol == "12/UBND-VX"


def test_mark_above_the_number(extract) -> None:
    rec = extract(letter(before_number=("KHẨN",)))
    assert rec.urgency == "Khẩn"
    assert rec.issuer == "ỦY BAN NHÂN DÂN THÀNH PHỐ LẠNG SƠN" and rec.parent_issuer is None


def test_no_marks(extract) -> None:
    rec = extract(letter())
    assert rec.urgency is None and rec.confidentiality is None


# ---------------------------------------------------------------------------- recipients


def test_recipients_as_bullets(extract) -> None:
    rec = extract(
        letter(recipients=("Kính gửi:", "", "- Các cơ quan chuyên môn thuộc thành phố;", "- UBND các phường, xã."))
    )
    assert rec.recipients == ["Các cơ quan chuyên môn thuộc thành phố", "UBND các phường, xã"]


def test_recipients_short_bullets(extract) -> None:
    rec = extract(letter(recipients=("Kính gửi:", "- A;", "- B.")))
    assert rec.recipients == ["A", "B"]


def test_recipient_on_the_label_line(extract) -> None:
    rec = extract(letter(recipients=("Kính gửi: Sở Tài chính.",)))
    assert rec.recipients == ["Sở Tài chính"]


# ------------------------------------------------------ list entries (fields/entries.py)


@pytest.mark.parametrize(
    ("printed", "entry"),
    [
        ("- Như trên;", "Như trên"),
        ("- Lưu: VT, VP.", "Lưu: VT, VP"),
        ("+ Sở Tài chính;", "Sở Tài chính"),
        ("• UBND các xã.", "UBND các xã"),
        ("-  CT,  các PCT UBND ;", "CT, các PCT UBND"),
        ("- Văn phòng Chính phủ; -", "Văn phòng Chính phủ"),  # a speck after the end
        ("- Bộ Tư pháp. _ ~", "Bộ Tư pháp"),
        ("- Sở Y tế-", "Sở Y tế-"),  # a dash glued to a word is no speck
        ("- Sở Nội vụ ; . :", "Sở Nội vụ"),
        # issue 18, seventh round: a dotted blank (exponential for the old pattern of runs
        # within runs: 40 stops took hours)
        ("Sở " + "." * 40 + "x", "Sở " + "." * 40 + "x"),
        ("- " + "." * 40, ""),
    ],
)
def test_strip_item(printed: str, entry: str) -> None:
    assert strip_item(printed) == entry


def test_list_entry_ending_in_a_colon_misread_for_a_semicolon():
    from vanthu.pipeline.fields.entries import strip_item

    assert strip_item("- Ủy ban MTTQVN Tỉnh:") == "Ủy ban MTTQVN Tỉnh"
    assert strip_item("- Các Sở: Lao động, Xây dựng;") == "Các Sở: Lao động, Xây dựng"


# ------------------------------------------- values that cannot be as read (issue 19)


def _flagged(**regions) -> tuple[dict, dict[str, tuple[str, str]], ProvenanceLog]:
    prov = ProvenanceLog()
    h = read_header(Regions(**regions), prov)
    return h, prov.flags(), prov


@pytest.mark.parametrize(
    ("printed", "number", "number_symbol", "flag"),
    [
        ("Số: 1O5/UBND-VX", "105", "105/UBND-VX", ("number", "1O5|105")),  # O read for 0
        ("Số: l2/QĐ-UBND", "12", "12/QĐ-UBND", ("number", "l2|12")),  # l read for 1
        ("Số: 1I/TB-UBND", "11", "11/TB-UBND", ("number", "1I|11")),
        ("Số: 105/UBND-VX", "105", "105/UBND-VX", None),  # digits: nothing to flag
        ("Số: 12/QĐ-UBND", "12", "12/QĐ-UBND", None),  # letters after the slash are the symbol's
    ],
)
def test_number_with_letters_in_it_is_read_as_digits_and_flagged(printed, number, number_symbol, flag) -> None:
    h, flags, prov = _flagged(number_line=Line(text=printed, page=1))
    assert (h["number"], h["number_symbol"]) == (number, number_symbol)
    assert flags.get("/number") == flag
    if flag:
        assert (prov.confidence("/number") or 1) < 0.6


@pytest.mark.parametrize(
    ("printed", "date_text", "flag"),
    [
        ("Hà Nội, ngày 42 tháng 02 năm 2018", "ngày 42 tháng 02 năm 2018", "ngày 42 tháng 02 năm 2018"),
        ("Hà Nội, ngày 31 tháng 2 năm 2024", "ngày 31 tháng 2 năm 2024", "ngày 31 tháng 2 năm 2024"),
        ("Hà Nội, ngày 5 tháng 13 năm 2024", "ngày 5 tháng 13 năm 2024", "ngày 5 tháng 13 năm 2024"),
        ("Hà Nội, ngày      tháng 8 năm 2024", "ngày tháng 8 năm 2024", None),  # blank: incomplete, not impossible
        ("Hà Nội, ngày 15 tháng 8 năm 2024", "ngày 15 tháng 8 năm 2024", None),
    ],
)
def test_impossible_letter_date_is_no_date_and_flagged(printed: str, date_text: str, flag: str | None) -> None:
    h, flags, _ = _flagged(place_date=Line(text=printed, page=1))
    assert h["date_text"] == date_text  # the phrase as printed is kept
    if flag:
        assert h["date"] is None and flags["/date"] == ("date", flag)
    else:
        assert "/date" not in flags


@pytest.mark.parametrize(
    ("title", "number_line", "flagged"),
    [
        ("QUYẾT ĐỊNH", "Số: 12/UBND", True),  # a decision's symbol without QĐ
        ("KẾ HOẠCH", "Số: 12/UBND-VP", True),
        ("QUYẾT ĐỊNH", "Số: 12/QĐ-UBND", False),
        ("HƯỚNG DẪN", "Số 37-HD/BTGDVTW", False),  # a Party document: the code before the slash
        (None, "Số: 12/UBND-VX", False),  # a công văn's symbol has no type code
    ],
)
def test_typed_document_symbol_without_its_type_code_is_flagged(title, number_line, flagged: bool) -> None:
    regions = {"number_line": Line(text=number_line, page=1)}
    if title:
        regions["title"] = lines(title, "Về việc ban hành quy chế")
    else:
        regions["subject_left"] = lines("V/v triển khai nhiệm vụ")
    _, flags, _ = _flagged(**regions)
    assert ("/symbol" in flags) is flagged


def test_impossible_header_values_are_warned_in_vietnamese(extract) -> None:
    rec = extract(
        letter(
            number="Số: 1O5/QĐ-UBND",
            place_date="TP. Lạng Sơn, ngày 42 tháng 02 năm 2018",
            title=("QUYẾT ĐỊNH", "Về việc ban hành quy chế"),
            subject=(),
        )
    )
    assert (rec.number, rec.date, rec.date_text) == ("105", None, "ngày 42 tháng 02 năm 2018")
    by_field = {w.field: w for w in rec.warning_details}
    assert "'1O5' có chữ cái lẫn trong số" in by_field["/number"].message and by_field["/number"].page == 1
    assert "không phải là ngày có thật" in by_field["/date"].message and by_field["/date"].page == 1
    assert not any("không đầy đủ" in w for w in rec.warnings)  # the impossible date is said once
