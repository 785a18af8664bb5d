"""Dates in running text (fields/dates.py)."""

from __future__ import annotations

import pytest

from vanthu.pipeline.fields.dates import find_date, iso, parse_date_phrase


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ngày 15 tháng 8 năm 2024", "2024-08-15"),
        ("Hà Nội, ngày 05 tháng 01 năm 2020", "2020-01-05"),
        ("15/8/2024", "2024-08-15"),
        ("15-8-2024", "2024-08-15"),
        ("ban hành ngày 08/8/2024 của", "2024-08-08"),
    ],
)
def test_find_date(text: str, expected: str) -> None:
    value, phrase, start, end = find_date(text)
    assert value == expected
    assert phrase is not None and text[start:end] == phrase


def test_find_date_prefers_the_first_date() -> None:
    value, _, _, _ = find_date("ngày 08/8/2024 và ngày 15 tháng 8 năm 2024")
    assert value == "2024-08-08"


def test_blank_day_has_text_but_no_iso() -> None:
    value, phrase = parse_date_phrase("ngày    tháng 8 năm 2024")
    assert value is None
    assert phrase is not None and "tháng 8 năm 2024" in phrase


@pytest.mark.parametrize("text", ["31/2/2024", "ngày 31 tháng 2 năm 2024", "30/13/2024"])
def test_invalid_date_is_none(text: str) -> None:
    assert find_date(text)[0] is None
    assert parse_date_phrase(text)[0] is None


def test_iso() -> None:
    assert iso(29, 2, 2024) == "2024-02-29"
    assert iso(29, 2, 2023) is None
    assert iso(31, 2, 2024) is None
    assert iso(1, 1, 24) == "2024-01-01"


def test_no_date() -> None:
    assert find_date("không có ngày tháng") == (None, None, -1, -1)
