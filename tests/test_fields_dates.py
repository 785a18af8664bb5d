"""fields/dates.py: dates as printed -> ISO, as tables."""

from __future__ import annotations

import pytest

from vanthu.pipeline.fields.dates import find_date, impossible_date, iso, parse_date_phrase


@pytest.mark.parametrize(
    ("day", "month", "year", "value"),
    [
        (15, 8, 2024, "2024-08-15"),
        (29, 2, 2024, "2024-02-29"),
        (29, 2, 2025, None),
        (1, 13, 2024, None),
        (5, 9, 24, "2024-09-05"),  # a two-digit year below 70 is 20xx
        (5, 9, 85, "1985-09-05"),
    ],
)
def test_iso(day: int, month: int, year: int, value: str | None) -> None:
    assert iso(day, month, year) == value


@pytest.mark.parametrize(
    ("text", "value", "phrase"),
    [
        ("Lạng Sơn, ngày 15 tháng 8 năm 2024", "2024-08-15", "ngày 15 tháng 8 năm 2024"),
        ("ngày  3  tháng  02  năm  2025", "2025-02-03", "ngày  3  tháng  02  năm  2025"),
        ("NGÀY 1 THÁNG 1 NĂM 2024", "2024-01-01", "NGÀY 1 THÁNG 1 NĂM 2024"),
        ("trước 30/9/2024.", "2024-09-30", "30/9/2024"),
        ("đến 05-10-2024", "2024-10-05", "05-10-2024"),
        ("ngày 5.9.24", "2024-09-05", "5.9.24"),
        ("ngày 15 tháng 8 năm 24", None, None),  # a long date needs a four-digit year
        ("số 12/3/2024/NĐ-CP", None, None),  # part of a symbol
        ("ngày 31 tháng 4 năm 2024", None, "ngày 31 tháng 4 năm 2024"),  # no such day: printed, no value
        ("không có ngày", None, None),
    ],
)
def test_find_date(text: str, value: str | None, phrase: str | None) -> None:
    found, printed, start, end = find_date(text)
    assert (found, printed) == (value, phrase)
    if printed:
        assert text[start:end] == printed


@pytest.mark.parametrize(
    ("text", "value", "phrase"),
    [
        ("ngày 15 tháng 8 năm 2024", "2024-08-15", "ngày 15 tháng 8 năm 2024"),
        ("ngày      tháng 8 năm 2024", None, "ngày tháng 8 năm 2024"),  # the day left blank for the pen
        ("ngày ..... tháng 8 năm 2024", None, "ngày ..... tháng 8 năm 2024"),
        ("ngày … tháng … năm …", None, "ngày … tháng … năm …"),  # nothing filled in: the rest as printed
        ("không có", None, None),
    ],
)
def test_parse_date_phrase(text: str, value: str | None, phrase: str | None) -> None:
    assert parse_date_phrase(text) == (value, phrase)


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
def test_find_date_as_printed(text: str, expected: str) -> None:
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


def test_iso_as_printed() -> None:
    assert iso(29, 2, 2024) == "2024-02-29"
    assert iso(29, 2, 2023) is None
    assert iso(31, 2, 2024) is None
    assert iso(1, 1, 24) == "2024-01-01"


def test_no_date() -> None:
    assert find_date("không có ngày tháng") == (None, None, -1, -1)


@pytest.mark.parametrize(
    ("text", "impossible"),
    [
        ("ngày 42/02/2018 của UBND tỉnh", "42/02/2018"),  # no day 42
        ("ngày 31/02/2024", "31/02/2024"),  # February has no 31st
        ("ngày 29/02/2025", "29/02/2025"),  # nor a 29th in 2025
        ("ngày 5 tháng 13 năm 2024", "ngày 5 tháng 13 năm 2024"),  # no month 13
        ("ngày 0 tháng 5 năm 2024", "ngày 0 tháng 5 năm 2024"),
        ("ngày 29/02/2024", None),  # a leap year
        ("ngày 15 tháng 8 năm 2024", None),
        ("ngày 15 tháng 8 năm 24", None),  # incomplete, not impossible
        ("số 12/3/2024/NĐ-CP", None),  # a symbol, no date
        ("không có ngày", None),
    ],
)
def test_impossible_date(text: str, impossible: str | None) -> None:
    assert impossible_date(text) == impossible
