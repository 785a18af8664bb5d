"""Corpus letter cv-cucthue-2025-5330."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.letters import extractor, letter


@pytest.fixture
def extract(tmp_path: Path):
    """extract(text, name="letter.md") -> DispatchRecord, via a file in tmp_path."""
    return extractor(tmp_path)


def test_recipient_contact_details_are_not_part_of_the_recipient(extract) -> None:
    """Regression (cv-cucthue-2025-5330): the address and phone printed in parentheses
    under "Kính gửi: Bà …" were joined into the recipient."""
    rec = extract(
        letter(
            recipients=(
                "Kính gửi: Bà Huỳnh Thị Mỹ Hằng",
                "(Địa chỉ: 33 Hai Bà Trưng, Phường Nghĩa Lộ, Tỉnh Quảng Ngãi;",
                "Số ĐT: 0971171792)",
            )
        )
    )
    assert rec.recipients == ["Bà Huỳnh Thị Mỹ Hằng"]
    # a parenthesis that is no contact detail stays
    rec = extract(letter(recipients=("Kính gửi: Ủy ban nhân dân các huyện (Bình Sơn, Sơn Tịnh).",)))
    assert rec.recipients == ["Ủy ban nhân dân các huyện (Bình Sơn, Sơn Tịnh)"]
