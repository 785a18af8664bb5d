"""Corpus letter qd-ubnd-nghean-2025-97."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.letters import extractor, letter


@pytest.fixture
def extract(tmp_path: Path):
    """extract(text, name="letter.md") -> DispatchRecord, via a file in tmp_path."""
    return extractor(tmp_path)


def test_law_name_holding_type_words_and_and_cited_again_by_name(extract) -> None:
    """Regression (qd-ubnd-nghean-2025-97): "Luật Ban hành văn bản quy phạm pháp luật số
    64/2025/QH15" was cut at "văn bản", "Luật Hỗ trợ doanh nghiệp nhỏ và vừa số
    04/2017/QH14" at "và" (its number then cited as a "Văn bản"), and the later mention
    of the same law by name alone was a citation of its own."""
    body = (
        "Căn cứ Luật Ban hành văn bản quy phạm pháp luật số 64/2025/QH15; Luật sửa đổi, bổ sung "
        "một số điều của Luật Ban hành văn bản quy phạm pháp luật số 87/2025/QH15;",
        "Căn cứ Luật Hỗ trợ doanh nghiệp nhỏ và vừa số 04/2017/QH14;",
        "Căn cứ Nghị định số 80/2021/NĐ-CP ngày 26/8/2021 của Chính phủ quy định chi tiết một số "
        "điều của Luật Hỗ trợ doanh nghiệp nhỏ và vừa;",
        "1. Giao Sở Tư pháp chủ trì thực hiện.",
    )
    refs = [(r.doc_type, r.number_symbol, r.title) for r in extract(letter(body=body)).references]
    assert refs == [
        ("Luật", "64/2025/QH15", "Luật Ban hành văn bản quy phạm pháp luật"),
        ("Luật", "87/2025/QH15", "Luật Ban hành văn bản quy phạm pháp luật"),
        ("Luật", "04/2017/QH14", "Luật Hỗ trợ doanh nghiệp nhỏ và vừa"),
        ("Nghị định", "80/2021/NĐ-CP", None),
    ]
