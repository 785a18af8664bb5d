"""text/normalize.py: the one NFC / space / tone / casefold normaliser, as tables."""

from __future__ import annotations

import unicodedata

import pytest

from vanthu.pipeline.text.normalize import canon, collapse, compare_key, fold, fold_accents, move_tones, nfc


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("\u00d0ồng Nai", "Đồng Nai"),  # the look-alike Ð is Đ
        ("Sở\u00a0Nội vụ", "Sở Nội vụ"),
        ("Sở\u200bNội vụ", "SởNội vụ"),
        (unicodedata.normalize("NFD", "Hạnh phúc"), "Hạnh phúc"),
    ],
)
def test_nfc(raw: str, clean: str) -> None:
    assert nfc(raw) == clean


@pytest.mark.parametrize(("raw", "clean"), [("  a \t b\n c ", "a b c"), ("", ""), ("a", "a")])
def test_collapse(raw: str, clean: str) -> None:
    assert collapse(raw) == clean


@pytest.mark.parametrize(
    ("raw", "canonical"),
    [
        ("HOÀ BÌNH", "HÒA BÌNH"),
        ("UỶ BAN  NHÂN DÂN", "ỦY BAN NHÂN DÂN"),
        ("419/TB-UBND", "419/TB-UBND"),  # symbols pass through
        ("hoàn thành", "hoàn thành"),
    ],
)
def test_canon(raw: str, canonical: str) -> None:
    assert canon(raw) == canonical


def test_fold_is_canon_casefolded() -> None:
    assert fold("Uỷ ban Nhân dân") == fold("ỦY BAN NHÂN DÂN") == "ủy ban nhân dân"


@pytest.mark.parametrize(
    ("value", "key"),
    [
        (None, None),
        ("Thanh Hoá", "thanh hóa"),
        ("UỶ BAN", "ủy ban"),
        ("tuỳ", "tùy"),
        ("KHOẺ", "khỏe"),
        ("hoàn", "hoàn"),  # a closed syllable: the tone never moves
        ("ngoài", "ngoài"),
        ("quý", "quý"),  # "qu" + y: no "uy" syllable
        ("\u00d0à Nẵng", "đà nẵng"),
        ("Sở\u00adNội\u200b vụ", "sởnội vụ"),
        ("  a\tb\n", "a b"),
        (12, "12"),
    ],
)
def test_compare_key(value: object, key: str | None) -> None:
    assert compare_key(value) == key


def test_move_tones_works_on_nfd() -> None:
    text = unicodedata.normalize("NFD", "hoà")
    assert unicodedata.normalize("NFC", move_tones(text)) == "hòa"


@pytest.mark.parametrize(
    ("typed", "name"),
    [
        ("xay dung", "Sở Xây dựng"),
        ("XÂY DỰNG", "Sở Xây dựng"),
        ("dong nai", "UBND TỈNH ĐỒNG NAI"),
        ("uy ban", "Ủy ban nhân dân"),
        ("hoa binh", "Hoà Bình"),  # the old tone placement folds the same
    ],
)
def test_fold_accents_finds_a_unit_typed_without_accents(typed: str, name: str) -> None:
    assert fold_accents(typed) in fold_accents(name)
