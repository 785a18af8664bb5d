"""Not a letter (fields/anchors.py): a readable document with none of a letter's anchors
and too little Vietnamese text is ``NotALetter`` (exit 13); either side alone keeps it."""

from __future__ import annotations

from pathlib import Path

import pytest

from vanthu.pipeline.errors import ExitCode, NotALetter
from vanthu.pipeline.extract import extract_file
from vanthu.pipeline.fields.anchors import MIN_VIETNAMESE_SYLLABLES, is_issuer, vietnamese_share
from vanthu.samplegen import oddities
from vanthu.samplegen.pdfbytes import LINES

VIETNAMESE_PROSE = (
    "Tăng cường công tác tuyên truyền, phổ biến pháp luật cho người dân trên địa bàn; "
    "rà soát thủ tục hành chính và báo cáo kết quả thực hiện định kỳ hằng quý. "
)


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("name", "text", "letter"),
    [
        ("two-lines.md", "Shopping list for the weekend\nmilk, bread, 12 eggs\n", False),
        ("english.md", "The quick brown fox jumps over the lazy dog. " * 40, False),
        ("table.md", "\n".join(f"{i}   {i * 7}   {i * 13}" for i in range(1, 60)), False),
        ("short-vietnamese.md", "Chúc mừng năm mới\nAn khang thịnh vượng\n", False),
        ("vietnamese-prose.md", VIETNAMESE_PROSE * 3, True),  # a letter's continuation page
        ("ascii-letter.md", "\n\n".join(LINES), True),  # typed without marks: its anchors keep it
        ("only-kinh-gui.md", "Kính gửi: Sở Tài chính.\n\nĐề nghị xem xét.\n", True),
    ],
)
def test_letter_or_not(tmp_path: Path, name: str, text: str, letter: bool) -> None:
    path = _write(tmp_path, name, text)
    if letter:
        assert extract_file(path).source.file == name
    else:
        with pytest.raises(NotALetter) as err:
            extract_file(path)
        assert err.value.exit_code == ExitCode.NOT_A_LETTER == 13
        assert err.value.line().startswith(f"{path}: no official letter found")


@pytest.mark.parametrize("build", [oddities.header_torn, oddities.body_only])
def test_a_letter_with_a_damaged_header_is_a_partial_record(tmp_path: Path, build) -> None:
    path = tmp_path / "letter.md"
    build(path)
    record = extract_file(path)
    assert "Không tìm thấy dòng số, ký hiệu (Số: …)" in record.warnings
    assert "Không tìm thấy ngày ban hành" in record.warnings


@pytest.mark.parametrize(
    ("text", "issuer"),
    [
        ("ỦY BAN NHÂN DÂN TỈNH LẠNG SƠN", True),
        ("UY BAN NHAN DAN TINH LANG SON", True),
        ("UBND HUYỆN BẮC SƠN", True),
        ("Sở Tài chính tỉnh Quảng Ngãi", True),
        ("BAN CHẤP HÀNH TRUNG ƯƠNG", True),
        ("Chúc mừng năm mới", False),
        ("This is a test file", False),
        ("So you want to print labels", False),
        (None, False),
    ],
)
def test_issuer_names_an_issuing_body(text, issuer: bool) -> None:
    assert is_issuer(text) is issuer


def test_vietnamese_share_counts_marked_syllables() -> None:
    assert vietnamese_share(["Tăng cường công tác tuyên truyền", "ABC 123"]) == (6, 7)
    viet, _ = vietnamese_share([VIETNAMESE_PROSE])
    assert viet < MIN_VIETNAMESE_SYLLABLES <= 3 * viet  # one sentence is too little, three are enough
