"""Real letter qngai-565-tb-2024 (565/TB-UBND)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.letters import extractor, letter


@pytest.fixture
def extract(tmp_path: Path):
    """extract(text, name="letter.md") -> DispatchRecord, via a file in tmp_path."""
    return extractor(tmp_path)


def test_units_a_name_that_holds_a_comma_is_one_unit(extract) -> None:
    """Regression (real 565/TB-UBND): "Sở Giáo dục và Đào tạo, Sở Văn hóa, Thể thao và Du
    lịch theo chức năng, nhiệm vụ khẩn trương …" had no lead: the name stopped at the
    comma after "Văn hóa" and "Thể thao …" was no action."""
    body = (
        "1. Sở Giáo dục và Đào tạo, Sở Văn hóa, Thể thao và Du lịch theo chức năng, nhiệm vụ "
        "khẩn trương hoàn thành thủ tục đầu tư.",
        "2. Sở Tài chính, Sở Y tế thực hiện.",
    )
    got = [(a.lead, a.support) for a in extract(letter(body=body)).assignments]
    assert got == [("Sở Giáo dục và Đào tạo", ["Sở Văn hóa, Thể thao và Du lịch"]), ("Sở Tài chính", ["Sở Y tế"])]
