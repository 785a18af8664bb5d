"""Real letter qngai-05-ct-2020 (05/CT-UBND, scanned)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.letters import extractor, letter


@pytest.fixture
def extract(tmp_path: Path):
    """extract(text, name="letter.md") -> DispatchRecord, via a file in tmp_path."""
    return extractor(tmp_path)


def test_units_a_capitalised_role_verb_ends_the_unit_name(extract) -> None:
    """Regression (real 05/CT-UBND, scanned): "Cục Thuế tỉnh Chủ trì, phối hợp với …" made
    "Cục Thuế tỉnh Chủ trì" the lead and lost its support; "VNPT Quảng Ngãi" was no unit."""
    body = (
        "1. Cục Thuế tỉnh Chủ trì, phối hợp với các Ngân hàng thương mại trên địa bàn tỉnh, "
        "VNPT Quảng Ngãi xây dựng Kế hoạch triển khai nộp thuế điện tử.",
        "2. VNPT Quảng Ngãi chủ động phối hợp với Cục Thuế tỉnh để triển khai nộp thuế điện tử.",
        "3. Sở Xây dựng hướng dẫn thực hiện.",
    )
    got = [(a.lead, a.support) for a in extract(letter(body=body)).assignments]
    assert got == [
        ("Cục Thuế tỉnh", ["các Ngân hàng thương mại trên địa bàn tỉnh", "VNPT Quảng Ngãi"]),
        ("VNPT Quảng Ngãi", ["Cục Thuế tỉnh"]),
        ("Sở Xây dựng", []),
    ]


def test_units_heading_unit_whose_next_paragraph_opens_with_support_has_it(extract) -> None:
    """Regression (real 05/CT-UBND, scanned): "1. Cục Thuế tỉnh" on its own line and its
    first task as a paragraph without a bullet, "Chủ trì, phối hợp với …", lost the
    support; a later paragraph's helpers stay its own ("Tổ chức …, phối hợp với …")."""
    body = (
        "1. Cục Thuế tỉnh",
        "Chủ trì, phối hợp với các Ngân hàng thương mại trên địa bàn tỉnh, VNPT Quảng Ngãi "
        "xây dựng Kế hoạch triển khai.",
        "Tổ chức tập huấn, tuyên truyền.",
        "2. Sở Tài chính",
        "Tổ chức tập huấn, phối hợp với Sở Y tế.",
        "3. UBND các huyện, thành phố tích cực hỗ trợ Nhà đầu tư.",
    )
    got = [(a.lead, a.support) for a in extract(letter(body=body)).assignments]
    assert got == [
        ("Cục Thuế tỉnh", ["các Ngân hàng thương mại trên địa bàn tỉnh", "VNPT Quảng Ngãi"]),
        ("Sở Tài chính", []),
        ("UBND các huyện, thành phố", []),
    ]
