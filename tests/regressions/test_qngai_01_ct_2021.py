"""Real letter qngai-01-ct-2021 (01/CT-UBND)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.letters import extractor, letter


@pytest.fixture
def extract(tmp_path: Path):
    """extract(text, name="letter.md") -> DispatchRecord, via a file in tmp_path."""
    return extractor(tmp_path)


def test_units_a_heading_unit_is_told_to_work_with_support_it(extract) -> None:
    """Regression (real 01/CT-UBND): "Cục Thuế tỉnh: Chủ trì, phối hợp với các cơ quan,
    đơn vị có liên quan …" gave the lead only; those it works with are its support."""
    body = (
        "1. Cục Thuế tỉnh: Chủ trì, phối hợp với các cơ quan, đơn vị có liên quan triển khai áp dụng hóa đơn điện tử.",
        "2. Đài Phát thanh và Truyền hình tỉnh, Báo Quảng Ngãi: Phối hợp với Cơ quan Thuế xây dựng "
        "nội dung tuyên truyền.",
    )
    got = [(a.lead, a.support) for a in extract(letter(body=body)).assignments]
    assert got == [
        ("Cục Thuế tỉnh", ["các cơ quan, đơn vị có liên quan"]),
        ("Đài Phát thanh và Truyền hình tỉnh", ["Báo Quảng Ngãi", "Cơ quan Thuế"]),
    ]


def test_units_heading_unit_whose_first_bullet_leads_with_others_has_them_as_support(extract) -> None:
    """Regression (real 01/CT-UBND, scanned): "Cục Thuế tỉnh:" with its tasks as bullets,
    the first "- Chủ trì, phối hợp với các cơ quan, đơn vị có liên quan …", lost the
    support that the same text on one line gave. A bullet that comes to it later ("- Trên
    cơ sở chức năng nhiệm vụ, chủ trì, phối hợp với …") stays a task of its own."""
    body = (
        "1. Cục Thuế tỉnh:",
        "- Chủ trì, phối hợp với các cơ quan, đơn vị có liên quan triển khai hóa đơn điện tử.",
        "- Tổ chức tập huấn cho người nộp thuế.",
        "2. Sở Tài chính",
        "- Trên cơ sở chức năng nhiệm vụ, chủ trì, phối hợp với các cơ quan, đơn vị có liên quan "
        "tham mưu bố trí kinh phí.",
    )
    got = [(a.lead, a.support) for a in extract(letter(body=body)).assignments]
    assert got == [("Cục Thuế tỉnh", ["các cơ quan, đơn vị có liên quan"]), ("Sở Tài chính", [])]


def test_units_a_name_in_capitals_after_va_is_part_of_the_heading_unit(extract) -> None:
    """Regression (real 01/CT-UBND): "Ban Quản lý Khu Kinh tế Dung Quất và các Khu công
    nghiệp tỉnh: …" had no lead ("Khu công nghiệp" is no unit of its own); and "Hiệp hội
    Doanh nghiệp tỉnh: …" was no unit at all."""
    body = (
        "6. Ban Quản lý Khu Kinh tế Dung Quất và các Khu công nghiệp tỉnh: Tuyên truyền, hướng dẫn các "
        "doanh nghiệp; đồng thời, phối hợp với Cơ quan Thuế tháo gỡ khó khăn.",
        "7. Sở Y tế và Bảo hiểm xã hội tỉnh: Hướng dẫn thực hiện.",
        "8. Hiệp hội Doanh nghiệp tỉnh: Tuyên truyền, hướng dẫn các Hội viên.",
    )
    got = [(a.lead, a.support) for a in extract(letter(body=body)).assignments]
    assert got == [
        ("Ban Quản lý Khu Kinh tế Dung Quất và các Khu công nghiệp tỉnh", ["Cơ quan Thuế"]),
        ("Sở Y tế", ["Bảo hiểm xã hội tỉnh"]),
        ("Hiệp hội Doanh nghiệp tỉnh", []),
    ]
