"""layout/cues.py: the one grammar of bullets, item markers and marks, as tables."""

from __future__ import annotations

import pytest

from vanthu.models.document import Line
from vanthu.pipeline.layout.cues import (
    BULLET,
    ITEM_MARKER,
    NUMBERED_ITEM,
    PERSON_NAME,
    RULE_LINE,
    is_routing_note,
    mark_of,
)


@pytest.mark.parametrize(
    ("printed", "level"),
    [
        ("Điều 2. Tổ chức thực hiện", "dieu"),
        ("II. NHIỆM VỤ", "roman"),
        ("IV/ Kinh phí", "roman"),
        ("3. Sở Tài chính", "num"),
        ("3) Sở Tài chính", "num"),
        ("1.2. Nội dung", "sub"),
        ("1.2 Nội dung", "sub"),
        ("a) Sở Nội vụ", "letter"),
        ("đ) Sở Y tế", "letter"),
        ("- Sở Xây dựng", "dash"),
        ("+ Phòng Nội vụ", "dash"),
        ("• Văn phòng", "dash"),
        ("2024. Năm", None),  # not a number of one or two digits
        ("3.5 triệu đồng", "sub"),
        ("Sở Tài chính", None),
        ("-", None),  # a marker with nothing after it
        ("* Ghi chú", None),  # a star is a bullet of a list, not an item marker
    ],
)
def test_item_marker(printed: str, level: str | None) -> None:
    m = ITEM_MARKER.match(printed)
    found = next((k for k in ("dieu", "roman", "num", "sub", "letter", "dash") if m and m.group(k)), None)
    assert found == level


@pytest.mark.parametrize(
    ("printed", "numbered"),
    [
        ("Điều 1 Thành lập", True),
        ("điều 1 thành lập", True),  # any case
        ("II. NHIỆM VỤ", True),
        ("3. Sở Tài chính", True),
        ("1.2. Nội dung", True),
        ("a) Sở Nội vụ", True),
        ("3) Sở Tài chính", False),  # a number needs a point
        ("- Sở Xây dựng", False),  # a dash is a bullet, not a numbered item
        ("3.Sở Tài chính", False),  # the marker is followed by a space
    ],
)
def test_numbered_item(printed: str, numbered: bool) -> None:
    assert bool(NUMBERED_ITEM.match(printed)) is numbered


@pytest.mark.parametrize(
    ("printed", "after"),
    [
        ("- Sở A;", "Sở A;"),
        ("  – Sở A;", "Sở A;"),
        ("* Sở A;", "Sở A;"),
        ("+Sở A;", "Sở A;"),
        ("Sở A;", None),
    ],
)
def test_bullet(printed: str, after: str | None) -> None:
    m = BULLET.match(printed)
    assert (printed[m.end() :] if m else None) == after


@pytest.mark.parametrize(
    ("printed", "rule"),
    [("--------", True), ("_____", True), (" * * * ", True), ("===", True), ("- A", False), ("", False)],
)
def test_rule_line(printed: str, rule: bool) -> None:
    assert bool(RULE_LINE.match(printed)) is rule


@pytest.mark.parametrize(
    ("printed", "name"),
    [
        ("Nguyễn Văn Hạnh", True),
        ("Đặng Thị Ánh Tuyết", True),
        ("Lê A", True),
        ("Nguyễn", False),  # one word
        ("Nguyễn văn Hạnh", False),  # every word capitalised
        ("A B C D E F G", False),  # seven words
        ("Đã ký", False),
    ],
)
def test_person_name(printed: str, name: bool) -> None:
    assert bool(PERSON_NAME.match(printed)) is name


@pytest.mark.parametrize(
    ("printed", "mark"),
    [
        ("HỎA TỐC", ("urgency", "Hỏa tốc")),
        ("HOẢ TỐC", ("urgency", "Hỏa tốc")),
        ("Khẩn.", ("urgency", "Khẩn")),
        ("THƯỢNG KHẨN", ("urgency", "Thượng khẩn")),
        ("MẬT", ("confidentiality", "Mật")),
        ("- TỐI MẬT -", ("confidentiality", "Tối mật")),
        ("KHẨN TRƯƠNG", None),
        ("LƯU HÀNH NỘI BỘ", None),
    ],
)
def test_mark_of(printed: str, mark: tuple[str, str] | None) -> None:
    assert mark_of(Line(text=printed, page=1)) == mark


@pytest.mark.parametrize(
    ("printed", "note"),
    [
        ("Chuyển: Phòng Tổng hợp xử lý", True),
        ("Chuyển:Phòng TH", True),
        ("Kính chuyển đ/c Giám đốc", True),
        ("K/c Giám đốc Sở", True),
        ("Chuyển đ/c Hùng", True),
        ("Đồng chí Nguyễn Văn B xem, cho ý kiến", True),
        ("Đ/c Lan xử lý.", True),
        ("Chuyển Phòng Kế hoạch xử lý", True),
        # the letter's own lines that start alike
        ("Chuyển đổi số là nhiệm vụ trọng tâm.", False),
        ("Chuyển giao công nghệ cho các địa phương", False),
        ("Kính gửi: Sở Tài chính", False),
        ("Đồng chí Chánh Văn phòng theo dõi, đôn đốc.", False),  # a body's assignment
        ("Đồng chí Giám đốc Sở xem xét, giải quyết dứt điểm các kiến nghị của cử tri trong tháng 10 năm nay./.", False),
        ("Kính chuyển " + "lời cảm ơn sâu sắc " * 4, False),  # too long for a note
    ],
)
def test_routing_note(printed: str, note: bool) -> None:
    assert is_routing_note(printed) is note
