"""Regressions (issue 18, fifth round; synthetic scans' tuning part at noisy and hard): a
signer block the scan specked or ran together. Each row is printed text as the scan read it
→ what the record must hold."""

from __future__ import annotations

import pytest

from vanthu.models.document import Line
from vanthu.pipeline.fields.signer import read_signer
from vanthu.pipeline.layout.cues import unspecked
from vanthu.pipeline.layout.regions import split_regions
from vanthu.pipeline.provenance import ProvenanceLog


def _px(text: str, x0: float, y0: float, x1: float, column: str) -> Line:
    return Line(text=text, page=1, x0=x0, y0=y0, x1=x1, y1=y0 + 55, unit="px", column=column)


BODY = [
    _px("ỦY BAN NHÂN DÂN", 400, 300, 900, "left"),
    _px("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 1200, 300, 2250, "right"),
    _px("Số: 06/CT-UBND", 450, 450, 850, "left"),
    _px("Quảng Trị, ngày 25 tháng 11 năm 2025", 1300, 450, 2200, "right"),
    _px("CHỈ THỊ", 1200, 600, 1400, "center"),
    _px("Về tăng cường quản lý, bảo vệ rừng", 900, 670, 1700, "center"),
    _px("6. Các sở, ban, ngành liên quan theo chức năng nhiệm vụ được giao phối", 474, 2005, 2243, "full"),
    _px("hợp với các địa phương triển khai thực hiện có hiệu quả Chỉ thị này.", 356, 2077, 2243, "full"),
    # the end mark "./." read as dots: no mark ends the body, no Nơi nhận follows
    _px("Yêu cầu Thủ trưởng các cơ quan, đơn vị thực hiện nghiêm túc Chỉ thị này...", 356, 2236, 2243, "full"),
]


@pytest.mark.parametrize(
    ("block", "expected"),
    [
        # a speck before the prefix, a colon after the name: the block still closes the letter
        ((".KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Hoàng Nam:"), ("KT.", "PHÓ CHỦ TỊCH", "Hoàng Nam")),
        (("'TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "Nguyễn Văn An"), ("TM.", "CHỦ TỊCH", "Nguyễn Văn An")),
        # the name's syllables run together
        (("KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "TrươngCôngThái"), ("KT.", "PHÓ CHỦ TỊCH", "Trương Công Thái")),
        # printed as it should be
        (("KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Hoàng Nam"), ("KT.", "PHÓ CHỦ TỊCH", "Hoàng Nam")),
    ],
)
def test_a_specked_signer_block_closing_a_letter_without_nơi_nhận(block: tuple[str, ...], expected) -> None:
    lines = [*BODY, _px(block[0], 1530, 2517, 1952, "right"), _px(block[1], 1510, 2580, 1966, "right")]
    lines.append(_px(block[2], 1602, 2893, 1909, "right"))
    regions = split_regions(lines)
    assert [ln.text for ln in regions.signer] == list(block)
    signer = read_signer(regions, ProvenanceLog())
    assert signer is not None
    assert (signer.prefix, signer.title, signer.name) == expected


@pytest.mark.parametrize(
    ("printed", "name"),
    [
        ("TrươngCôngThái", "Trương Công Thái"),
        ("Nguyễn VănHạnh:", "Nguyễn Văn Hạnh"),
        # a syllable's own small letters and capitals are left alone
        ("Nguyễn Văn Hạnh", "Nguyễn Văn Hạnh"),
        ("Đặng Ngọc Minh", "Đặng Ngọc Minh"),
    ],
)
def test_a_names_syllables_run_together_are_apart(printed: str, name: str) -> None:
    assert unspecked(printed) == name
