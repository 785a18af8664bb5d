"""fields/header.py: header regions -> the record's header fields, as tables (printed
lines -> expected fields)."""

from __future__ import annotations

import pytest

from vanthu.models import DispatchRecord
from vanthu.models.document import Line, Regions
from vanthu.pipeline.fields.header import HEADER_FIELDS, read_header
from vanthu.pipeline.provenance import ProvenanceLog


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
        ("Hà Nội ngày 3 tháng 2 năm 2024", None, None, None),  # no comma: not read
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
        ({"subject_left": ("V1v báo cáo.",)}, "Công văn", "V/v báo cáo."),
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
