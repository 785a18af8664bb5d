"""Unit names in running text (fields/nlp.py, fields/unitbounds.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.letters import extractor, letter


@pytest.fixture
def extract(tmp_path: Path):
    """extract(text, name="letter.md") -> DispatchRecord, via a file in tmp_path."""
    return extractor(tmp_path)


def test_units_a_name_the_segmenter_joins_to_va_is_kept_whole(extract) -> None:
    """Regression (real 565/TB-UBND, 660/TB-UBND): underthesea reads "và Xã hội" as one
    word, a verb, so "Sở Lao động - Thương binh và Xã hội" became "Sở Lao động - Thương
    binh" and the unit after it ("Ban Dân tộc tỉnh") was lost."""
    body = (
        "1. Giao Sở Lao động - Thương binh và Xã hội, Ban Dân tộc tỉnh theo chức năng, nhiệm vụ "
        "chịu trách nhiệm kiểm tra, đôn đốc.",
        "2. Sở Y tế và Bảo hiểm xã hội tỉnh: Hướng dẫn thực hiện.",
    )
    got = [(a.lead, a.support) for a in extract(letter(body=body)).assignments]
    assert got == [("Sở Lao động - Thương binh và Xã hội", ["Ban Dân tộc tỉnh"]), ("Sở Y tế", ["Bảo hiểm xã hội tỉnh"])]
