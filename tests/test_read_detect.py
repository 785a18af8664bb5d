"""Input detection (``read.detect``): a file is known by its bytes, never its name; the
size limit is an argument."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import SAMPLES
from vanthu.pipeline.errors import EmptyFile, TooLarge, UnsupportedFormat
from vanthu.pipeline.read.detect import load_input, sniff


@pytest.mark.parametrize(
    ("head", "name", "media"),
    [
        (b"%PDF-1.7\n", "a.txt", "application/pdf"),
        (b"\x89PNG\r\n\x1a\n....", "a.pdf", "image/png"),
        (b"\xff\xd8\xff\xe0", "a.png", "image/jpeg"),
        (b"II*\x00", "a", "image/tiff"),
        ("Số: 1/UBND".encode(), "a.md", "text/markdown"),
        ("Số: 1/UBND".encode(), "a.pdf", "text/plain"),
    ],
)
def test_media_type_from_the_bytes(head: bytes, name: str, media: str) -> None:
    assert sniff(head, Path(name)) == media


def test_foreign_formats_say_what_they_are() -> None:
    with pytest.raises(UnsupportedFormat, match="GIF image"):
        sniff(b"GIF89a", Path("a.pdf"))
    with pytest.raises(UnsupportedFormat, match="unknown file format"):
        sniff(b"\x00\x01\x02\x03", Path("a.bin"))


def test_size_limit_is_an_argument(tmp_path: Path) -> None:
    pdf = SAMPLES / "tb-so-2024-88.pdf"
    assert load_input(pdf).media_type == "application/pdf"
    with pytest.raises(TooLarge, match="over the 0 MB limit"):
        load_input(pdf, max_bytes=1024)
    empty = tmp_path / "empty.pdf"
    empty.touch()
    with pytest.raises(EmptyFile):
        load_input(empty)
