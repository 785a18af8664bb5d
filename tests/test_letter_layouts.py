"""Layouts beyond a provincial UBND letter (issue 19): police units under their Công an,
decisions of the 1990s (older symbols, header and date forms), and the routing notes a
receiving office adds over a letter. Generated letters only: plain text
(tests/support/letters.py), rendered (vanthu/samplegen/render.py) and scanned clean."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.conftest import load_renderer
from tests.support.letters import extractor, letter
from vanthu.pipeline.extract import extract_file
from vanthu.samplegen import scan as sl

POLICE = ("CÔNG AN TỈNH QUẢNG NGÃI", "PHÒNG CẢNH SÁT GIAO THÔNG")
OLD_MOTTO = ("CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc")
POLICE_ARTICLES = (
    "TRƯỞNG PHÒNG CẢNH SÁT GIAO THÔNG",
    "QUYẾT ĐỊNH:",
    "Điều 1. Phòng Cảnh sát hình sự chủ trì, phối hợp với Đội Cảnh sát giao thông số 1 tổ chức tuần tra.",
    "Điều 2. Công an các huyện, thị xã, thành phố triển khai thực hiện Quyết định này.",
    "Điều 3. Trại tạm giam Công an tỉnh có trách nhiệm bố trí lực lượng hỗ trợ./.",
)
POLICE_LEADS = [
    "Phòng Cảnh sát hình sự",
    "Công an các huyện, thị xã, thành phố",
    "Trại tạm giam Công an tỉnh",
]


@pytest.fixture
def extract(tmp_path: Path):
    return extractor(tmp_path)


def _leads(rec) -> list[str | None]:
    return [a.lead for a in rec.assignments]


def _police_decision(**kw) -> str:
    base = {
        "issuer": POLICE,
        "number": "Số: 125/QĐ-CAT-PC08",
        "place_date": "Quảng Ngãi, ngày 05 tháng 3 năm 2024",
        "title": ("QUYẾT ĐỊNH", "Về việc tổ chức tuần tra, kiểm soát"),
        "subject": (),
        "recipients": (),
        "closing": None,
        "body": POLICE_ARTICLES,
        "distribution": ("Nơi nhận:", "- Như Điều 2, 3;", "- Lưu: VT, PC08."),
        "signer": ("TRƯỞNG PHÒNG", "", "Nguyễn Văn An"),
    }
    return letter(**(base | kw))


# ------------------------------------------------------------------ police units
def test_police_unit_is_the_issuer_under_its_cong_an(extract) -> None:
    rec = extract(_police_decision())
    assert (rec.parent_issuer, rec.issuer) == POLICE
    assert (rec.number, rec.symbol, rec.number_symbol) == ("125", "QĐ-CAT-PC08", "125/QĐ-CAT-PC08")
    assert rec.doc_type == "Quyết định"
    assert _leads(rec) == POLICE_LEADS


@pytest.mark.parametrize(
    ("issuer", "number", "title", "doc_type"),
    [
        (POLICE, "Số: 37/KH-CAT-PV01", "KẾ HOẠCH", "Kế hoạch"),
        (("CÔNG AN QUẬN HOÀN KIẾM", "ĐỘI ĐIỀU TRA TỔNG HỢP"), "Số: 12/BC-CAQ-ĐTTH", "BÁO CÁO", "Báo cáo"),
    ],
)
def test_police_symbol_with_a_unit_code_is_kept_whole(extract, issuer, number, title, doc_type) -> None:
    rec = extract(letter(issuer=issuer, number=number, title=(title, "Công tác bảo đảm an ninh, trật tự"), subject=()))
    assert (rec.parent_issuer, rec.issuer) == issuer
    assert rec.number_symbol == number.removeprefix("Số: ")
    assert rec.doc_type == doc_type


def test_police_symbol_names_the_type_without_a_title(extract) -> None:
    rec = extract(letter(issuer=POLICE, number="Số: 37/KH-CAT-PV01", subject=(), recipients=()))
    assert rec.doc_type == "Kế hoạch"


# ------------------------------------------------------------------ 1990s decisions
@pytest.mark.parametrize(
    ("number", "place_date", "symbol", "place", "date"),
    [
        ("Số: 125/QĐ-UB-TC", "Hà Đông, ngày 5 tháng 3 năm 1996", "QĐ-UB-TC", "Hà Đông", "1996-03-05"),
        ("Số: 37-QĐ/UB", "Hà nội, Ngày 05-03-1996", "QĐ/UB", "Hà nội", "1996-03-05"),
        ("Số 12/QĐ.UB", "Hà nội ngày 5 tháng 3 năm 1996", "QĐ.UB", "Hà nội", "1996-03-05"),
        ("Số: 8-QĐ/UB", "Hà Đông Ngày 12-11-1995", "QĐ/UB", "Hà Đông", "1995-11-12"),
    ],
)
def test_decision_of_the_1990s(extract, number, place_date, symbol, place, date) -> None:
    rec = extract(
        letter(
            issuer=("ỦY BAN NHÂN DÂN TỈNH HÀ TÂY",),
            motto=OLD_MOTTO,
            number=number,
            place_date=place_date,
            title=("QUYẾT ĐỊNH", "Về việc cấp kinh phí sửa chữa trường học"),
            subject=(),
            recipients=(),
            closing=None,
            body=("UỶ BAN NHÂN DÂN TỈNH HÀ TÂY", "QUYẾT ĐỊNH:", "Điều 1. Sở Tài chính chủ trì cấp kinh phí./."),
        )
    )
    assert (rec.issuer, rec.parent_issuer) == ("ỦY BAN NHÂN DÂN TỈNH HÀ TÂY", None)
    assert (rec.symbol, rec.place, rec.date) == (symbol, place, date)
    assert (rec.doc_type, rec.subject) == ("Quyết định", "Về việc cấp kinh phí sửa chữa trường học")
    assert _leads(rec) == ["Sở Tài chính"]
    assert not any("Ký hiệu" in w for w in rec.warnings)  # a dot between codes is no misread


@pytest.mark.parametrize("gap", [" ", "      "])
def test_issuer_on_one_line_read_into_one_row_with_the_motto(extract, gap: str) -> None:
    """A one-line issuer is long: a scan may read it and the motto beside it as one row."""
    rec = extract(
        letter(
            issuer=(f"ỦY BAN NHÂN DÂN TỈNH HÀ TÂY{gap}CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM",),
            motto=("Độc lập - Tự do - Hạnh phúc",),
        )
    )
    assert (rec.issuer, rec.parent_issuer, rec.number_symbol) == ("ỦY BAN NHÂN DÂN TỈNH HÀ TÂY", None, "12/UBND-VX")


# ------------------------------------------------------------------ routing notes
NOTES = ("Chuyển: Phòng Tổng hợp chủ trì xử lý", "Kính chuyển đ/c Giám đốc", "Đồng chí Nguyễn Văn Bình xem, cho ý kiến")
BODY = ("1. Sở Tài chính chủ trì tổ chức thực hiện.", "2. Sở Nội vụ phối hợp triển khai.")


def _with_note(where: str, note: str) -> dict:
    """The arguments of ``letter`` with ``note`` where the receiving office put it."""
    if where == "top margin":
        return {"issuer": (note, "ỦY BAN NHÂN DÂN", "THÀNH PHỐ LẠNG SƠN")}
    if where == "under the date":
        return {"marks": (note,)}
    if where == "under the subject":
        return {"subject": ("V/v triển khai nhiệm vụ năm 2024", "", note)}
    if where == "after Kính gửi":
        return {"recipients": ("Kính gửi: Sở Tài chính.", "", note)}
    return {"body": (note, *BODY) if where == "body top" else (BODY[0], note, BODY[1])}


@pytest.mark.parametrize("note", NOTES)
@pytest.mark.parametrize(
    "where", ["top margin", "under the date", "under the subject", "after Kính gửi", "body top", "between items"]
)
def test_routing_note_becomes_no_field(extract, where: str, note: str) -> None:
    plain = extract(letter(body=BODY))
    noted = extract(letter(**({"body": BODY} | _with_note(where, note))))
    fields = ("issuer", "parent_issuer", "number_symbol", "date", "subject", "doc_type", "recipients")
    assert {f: getattr(noted, f) for f in fields} == {f: getattr(plain, f) for f in fields}
    assert _leads(noted) == _leads(plain) == ["Sở Tài chính", "Sở Nội vụ"]
    assert [a.label for a in noted.assignments] == [a.label for a in plain.assignments]


def test_routing_field_of_the_receipt_stamp_stays_in_the_stamp(extract) -> None:
    rec = extract(letter(before_number=("ĐẾN\nSố: 2771\nNgày: 05/9/2024\nChuyển: Phòng Tổng hợp",)))
    assert rec.receipt_stamp is not None and "Chuyển: Phòng Tổng hợp" in rec.receipt_stamp.text
    assert rec.receipt_stamp.number == "2771"


# ------------------------------------------------------------------ rendered and scanned
def _layout(**kw) -> dict:
    base = {
        "header_left": list(POLICE),
        "header_right": list(OLD_MOTTO),
        "number_line": "Số: 125/QĐ-CAT-PC08",
        "place_date": "Quảng Ngãi, ngày 05 tháng 3 năm 2024",
        "marks": [],
        "subject_left": [],
        "title": ["QUYẾT ĐỊNH", "Về việc tổ chức tuần tra, kiểm soát"],
        "recipients": [],
        "body": list(POLICE_ARTICLES[:2]) + ["Chuyển: Phòng Tổng hợp xử lý"] + list(POLICE_ARTICLES[2:]),
        "distribution": ["Nơi nhận:", "- Như Điều 2, 3;", "- Lưu: VT, PC08."],
        "signer": ["TRƯỞNG PHÒNG", "", "Nguyễn Văn An"],
        "source": "generated for vanthu tests: invented content",
    }
    return base | kw


def _check_police(rec) -> None:
    assert (rec.parent_issuer, rec.issuer) == POLICE
    assert (rec.number_symbol, rec.doc_type) == ("125/QĐ-CAT-PC08", "Quyết định")
    assert (rec.place, rec.date) == ("Quảng Ngãi", "2024-03-05")
    assert rec.subject == "Về việc tổ chức tuần tra, kiểm soát"
    assert _leads(rec) == POLICE_LEADS


def test_rendered_police_decision_with_a_typed_routing_note(tmp_path: Path) -> None:
    pdf = tmp_path / "police.pdf"
    load_renderer().render_letter(_layout(), pdf)  # (skips without the fonts)
    _check_police(extract_file(pdf))


@pytest.mark.skipif(shutil.which("tesseract") is None, reason="tesseract not installed")
def test_scanned_1990s_decision(tmp_path: Path) -> None:
    layout = _layout(
        header_left=["ỦY BAN NHÂN DÂN TỈNH HÀ TÂY"],
        number_line="Số: 37-QĐ/UB",
        place_date="Hà nội, Ngày 05-03-1996",
        title=["QUYẾT ĐỊNH", "Về việc cấp kinh phí sửa chữa trường học"],
        body=["UỶ BAN NHÂN DÂN TỈNH HÀ TÂY", "QUYẾT ĐỊNH:", "Điều 1. Sở Tài chính chủ trì cấp kinh phí./."],
        signer=["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "", "Nguyễn Văn An"],
    )
    pdf = tmp_path / "old.pdf"
    pdf.write_bytes(sl.scan_pdf(layout, "clean", seed=0))
    rec = extract_file(pdf)
    assert rec.source.text_source == "ocr"
    assert (rec.issuer, rec.number_symbol, rec.doc_type) == ("ỦY BAN NHÂN DÂN TỈNH HÀ TÂY", "37-QĐ/UB", "Quyết định")
    assert rec.date == "1996-03-05"
    assert _leads(rec) == ["Sở Tài chính"]
