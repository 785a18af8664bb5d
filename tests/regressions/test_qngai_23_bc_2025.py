"""Real letter qngai-23-bc-2025 (23/BC-UBND)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.letters import extractor, letter


@pytest.fixture
def extract(tmp_path: Path):
    """extract(text, name="letter.md") -> DispatchRecord, via a file in tmp_path."""
    return extractor(tmp_path)


def test_units_a_word_that_begins_with_a_unit_head_is_no_unit(extract) -> None:
    """Regression (real 23/BC-UBND): "Ban hành các kế hoạch: …" made "Ban hành các kế
    hoạch" the lead ("Ban" is a unit head, "Ban hành" is to issue); "Trường hợp …",
    "Hội nghị …", "Đội ngũ …", "Cục bộ …" were leads too."""
    body = (
        "1. Ban hành các kế hoạch: Truyền thông và kiểm tra hoạt động kiểm soát TTHC năm 2025.",
        "2. Trường hợp có khó khăn, vướng mắc, báo cáo UBND tỉnh.",
        "3. Hội nghị tổng kết được tổ chức vào tháng 12.",
        "4. Đội ngũ cán bộ cần nâng cao năng lực.",
        "5. Ban Dân tộc tỉnh hướng dẫn thực hiện.",
        "6. Hội Nông dân tỉnh phối hợp với Trường Chính trị tỉnh tổ chức tập huấn.",
    )
    got = [(a.lead, a.support) for a in extract(letter(body=body)).assignments]
    assert got == [
        (None, []),
        (None, []),
        (None, []),
        (None, []),
        ("Ban Dân tộc tỉnh", []),
        ("Hội Nông dân tỉnh", ["Trường Chính trị tỉnh"]),
    ]
