"""Lines into paragraphs (layout/lines.py, layout/paragraphs.py): a wrapped line is part of
its paragraph, also when it opens with a number."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.letters import extractor, letter


@pytest.fixture
def extract(tmp_path: Path):
    """extract(text, name="letter.md") -> DispatchRecord, via a file in tmp_path."""
    return extractor(tmp_path)


def test_wrapped_date_is_not_an_item(extract) -> None:
    rec = extract(
        letter(
            body=(
                "1. Bảo đảm tiến độ triển khai theo Kế hoạch số 12/KH-UBND ngày\n06/6/2023 của UBND tỉnh.",
                "2. Phân công rõ trách nhiệm.",
            )
        )
    )
    assert [a.label for a in rec.assignments] == ["1", "2"]
    assert rec.assignments[0].text == (
        "Bảo đảm tiến độ triển khai theo Kế hoạch số 12/KH-UBND ngày 06/6/2023 của UBND tỉnh."
    )
    assert rec.assignments[0].children == []


def test_item_text_joins_wrapped_lines(extract) -> None:
    rec = extract(letter(body=("1. Tăng cường bồi dưỡng kiến thức cho đội ngũ cán bộ và\ncông chức của các đơn vị.",)))
    assert rec.assignments[0].text == "Tăng cường bồi dưỡng kiến thức cho đội ngũ cán bộ và công chức của các đơn vị."
