"""The plain-text reader (``read.plain``): one page of NFC lines, Markdown markup gone."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest

from vanthu.pipeline.errors import NoTextFound, UnsupportedFormat
from vanthu.pipeline.read.detect import load_input
from vanthu.pipeline.read.pages import read_pages
from vanthu.pipeline.settings import Settings


def _read(path: Path):
    return read_pages(load_input(path), Settings())


def test_markdown_markup_goes_and_lines_are_nfc(tmp_path: Path) -> None:
    md = tmp_path / "letter.md"
    md.write_text(
        "# **ỦY BAN NHÂN DÂN**\n> Số: 12/UBND\n" + unicodedata.normalize("NFD", "Lạng Sơn") + " *x*\n", encoding="utf-8"
    )
    (page,) = _read(md)
    assert page.source == "plain-text" and page.number == 1
    assert page.plain_lines == ("ỦY BAN NHÂN DÂN", "Số: 12/UBND", "Lạng Sơn x")


def test_a_bom_is_not_text_and_whitespace_is_no_letter(tmp_path: Path) -> None:
    from vanthu.models.document import InputFile
    from vanthu.pipeline.read.plain import read_plain_text

    txt = tmp_path / "letter.txt"
    txt.write_bytes("\ufeffSố: 1/UBND\n".encode())
    # (read.detect refuses such a file today: U+FEFF is not printable; the reader itself drops it)
    inp = InputFile(path=str(txt), name=txt.name, sha256="0" * 64, media_type="text/plain", size=txt.stat().st_size)
    assert read_plain_text(inp, Settings())[0].plain_lines == ("Số: 1/UBND",)
    blank = tmp_path / "blank.txt"
    blank.write_text("  \n\t\n", encoding="utf-8")
    with pytest.raises(NoTextFound):
        _read(blank)


def test_no_reader_for_a_media_type_is_unsupported(tmp_path: Path, monkeypatch) -> None:
    from vanthu.pipeline.read.registry import READERS

    txt = tmp_path / "letter.txt"
    txt.write_text("Số: 1/UBND\n", encoding="utf-8")
    monkeypatch.delitem(READERS, "text/plain")
    with pytest.raises(UnsupportedFormat, match="no reader for text/plain"):
        _read(txt)


def test_every_reader_is_registered() -> None:
    from vanthu.pipeline.read.registry import READERS

    assert sorted(READERS) == [
        "application/pdf",
        "image/jpeg",
        "image/png",
        "image/tiff",
        "ocr",
        "text/markdown",
        "text/plain",
    ]
