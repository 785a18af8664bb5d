"""Kính gửi and its entries (``layout/recipients.py``)."""

from __future__ import annotations

import pytest

from vanthu.models.document import Line
from vanthu.pipeline.layout.recipients import label_to_recipients


def plain(text: str) -> list[Line]:
    return [Line(text=t, page=1) for t in text.split("\n")]


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
        # an entry ending in ":" goes on with the list of names it introduces …
        (
            "Kính gửi:\n- Sở A;\n- Chủ tịch UBND các tỉnh:\nHà Tĩnh, Quảng Trị, Huế,\nGia Lai, Bà Rịa - Vũng Tàu.\n"
            "Trong mấy ngày qua, mưa lớn.",
            ["- Sở A;", "- Chủ tịch UBND các tỉnh:", "Hà Tĩnh, Quảng Trị, Huế,", "Gia Lai, Bà Rịa - Vũng Tàu."],
            5,
        ),
        (
            "Kính gửi: Ủy ban nhân dân các huyện:\nThạch Hà và Cẩm Xuyên.\nNội dung",
            ["Ủy ban nhân dân các huyện:", "Thạch Hà và Cẩm Xuyên."],
            2,
        ),
        # … never with a sentence
        ("Kính gửi: Các đơn vị sau:\nTrong thời gian qua, các đơn vị đã làm tốt.", ["Các đơn vị sau:"], 1),
    ],
)
def test_label_to_recipients(text: str, recipients: list[str], after: int) -> None:
    lines = plain(text)
    out: list[Line] = []
    assert label_to_recipients(lines, 0, len(lines), out) == after
    assert [ln.text for ln in out] == recipients


# (issue 18, fifth round) "Kính gửi" with its addressees on one line, parted by ";"
INLINE_RECIPIENTS = [
    (("Kính gửi: Sở Tài chính; Sở Nội vụ.",), ["Sở Tài chính", "Sở Nội vụ"]),
    (
        ("Kính gửi: Các sở, ban, ngành thuộc tỉnh; Ủy ban nhân dân các xã, phường.",),
        ["Các sở, ban, ngành thuộc tỉnh", "Ủy ban nhân dân các xã, phường"],
    ),
    # a ";" inside a bracket parts nothing (contact details, read off the name)
    (("Kính gửi: Bà Huỳnh Thị Mỹ Hằng (Địa chỉ: 33 Hai Bà Trưng; Số ĐT: 0912345678).",), ["Bà Huỳnh Thị Mỹ Hằng"]),
    # a comma inside one addressee's name parts nothing
    (("Kính gửi: Sở Văn hóa, Thể thao và Du lịch.",), ["Sở Văn hóa, Thể thao và Du lịch"]),
    (("Kính gửi:", "- Sở Tài chính;", "- Sở Nội vụ."), ["Sở Tài chính", "Sở Nội vụ"]),
]


@pytest.mark.parametrize(("printed", "expected"), INLINE_RECIPIENTS)
def test_addressees_on_one_line_parted_by_semicolons_are_entries(tmp_path, printed, expected) -> None:
    from tests.support.letters import extractor, letter

    rec = extractor(tmp_path)(letter(recipients=printed))
    assert rec.recipients == expected
