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


@pytest.mark.parametrize("shift", [0, 90, 150])
def test_a_title_is_centred_on_the_text_block_not_on_the_page(shift: int) -> None:
    """ND30's margins are unequal and a scan may sit off its page's middle: "TỜ TRÌNH"
    centred over the text block was taken for the right column, and the title and its
    subject were lost."""
    from vanthu.models.document import PageText, Word
    from vanthu.pipeline.layout.lines import assemble_lines

    width = 2480.0
    body = "Thực hiện quy định của Luật Ban hành văn bản quy phạm pháp luật năm nay và các".split()
    words, y = [], 600.0
    for row in range(6):
        x = 390.0 + shift
        for t in body:
            words.append(Word(text=t, x0=x, y0=y, x1=x + 100, y1=y + 40, line=row + 1, confidence=0.95))
            x += 110
        y += 60
    left, right = 390.0 + shift, 390.0 + shift + 110 * len(body) - 10
    mid = (left + right) / 2
    words.append(Word(text="TỜ", x0=mid - 150, y0=400, x1=mid - 10, y1=450, line=0, confidence=0.95))
    words.append(Word(text="TRÌNH", x0=mid + 10, y0=400, x1=mid + 150, y1=450, line=0, confidence=0.95))
    page = PageText(number=1, width=width, height=3508.0, unit="px", source="ocr", words=words)
    title = next(ln for ln in assemble_lines([page]) if ln.text == "TỜ TRÌNH")
    assert title.column == "center"
