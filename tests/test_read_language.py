"""Text layers judged before they are trusted (``read.language``, ``read.layers``):
scans carrying another OCR engine's layer (accents dropped, read with an English model,
words shuffled: ``vanthu.samplegen.layered``) are read again by OCR with the reason
recorded; the layers of real digital letters are kept without an OCR."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.conftest import SAMPLES, shared_dir, shared_files
from vanthu.models.document import Word
from vanthu.pipeline.extract import extract_file
from vanthu.pipeline.read import language
from vanthu.pipeline.read.detect import load_input
from vanthu.pipeline.read.layers import judge_layers
from vanthu.pipeline.read.pdf import _pdfium_pages
from vanthu.pipeline.settings import Settings
from vanthu.samplegen.layered import changed, layered_scan, strip_marks

LETTER = SAMPLES / "tb-so-2024-88.pdf"
needs_tesseract = pytest.mark.skipif(shutil.which("tesseract") is None, reason="Tesseract is not installed")


@pytest.fixture(scope="module")
def scans(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("layered")
    return {
        kind: layered_scan(LETTER, folder / f"{kind}.pdf", kind)
        for kind in ("faithful", "stripped", "english", "shuffled")
    }


def _layer_pages(path: Path):
    pages, _, _ = _pdfium_pages(load_input(path), 50)
    return pages


def _words(text: str) -> list[Word]:
    return [Word(text=t, x0=i * 10, y0=0, x1=i * 10 + 8, y1=10) for i, t in enumerate(text.split())]


BODY = (
    "Thực hiện Nghị quyết của Hội đồng nhân dân tỉnh về phát triển kinh tế xã hội năm 2024, "
    "Ủy ban nhân dân tỉnh đề nghị các sở, ban, ngành và Ủy ban nhân dân các huyện, thị xã, "
    "thành phố tập trung triển khai thực hiện các nhiệm vụ sau đây một cách nghiêm túc"
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (BODY, language.OK),
        (strip_marks(BODY), language.NO_MARKS),  # "Thuc hien Nghi quyet ..."
        (" ".join(w.text for w in changed(tuple(_words(BODY)), "english", 3)), language.NO_MARKS),
        ("the quick brown fox jumps over the lazy dog " * 4, language.NOT_VIETNAMESE),
        (" ".join(w.text for w in changed(tuple(_words(BODY)), "shuffled", 1)), language.CHECK),
        ("Kính gửi: Sở Nội vụ", language.OK),  # too short to judge
    ],
    ids=["printed", "accents-stripped", "english-ocr", "english-text", "shuffled", "short"],
)
def test_verdict_of_a_layer(text: str, expected: str) -> None:
    assert language.verdict(_words(text)) == expected


@pytest.mark.parametrize(
    ("kind", "reason"),
    [
        ("stripped", language.NO_MARKS),
        ("english", language.NO_MARKS),
        ("shuffled", language.DISAGREES),
    ],
)
@needs_tesseract
def test_another_engines_layer_is_refused_with_its_reason(scans, kind: str, reason: str) -> None:
    pages = judge_layers(load_input(scans[kind]), _layer_pages(scans[kind]), Settings(), can_ocr=True)
    assert [p.source for p in pages] == ["ocr", "ocr"]
    assert [p.reason for p in pages] == [reason, reason]
    assert all(not p.words for p in pages)
    assert all(any("lớp chữ ẩn của PDF" in w and "đọc lại bằng OCR" in w for w in p.warnings) for p in pages)


@needs_tesseract
def test_a_faithful_layer_over_a_scan_is_kept(scans) -> None:
    pages = judge_layers(load_input(scans["faithful"]), _layer_pages(scans["faithful"]), Settings(), can_ocr=True)
    assert [(p.source, p.reason) for p in pages] == [("text-layer", None), ("text-layer", None)]


@needs_tesseract
def test_a_refused_layer_gives_an_ocr_record_with_the_reason(scans) -> None:
    record = extract_file(scans["shuffled"], Settings())
    assert record.source.text_source == "ocr"
    assert record.source.text_source_reason == language.DISAGREES
    assert sum("không khớp với chữ trên ảnh quét" in w for w in record.warnings) == 2
    assert record.number_symbol == "88/TB-SNV"  # read from the scan, not from the shuffled layer


@pytest.mark.parametrize("path", shared_files("corpus", "pdf", pattern="*.pdf"))
def test_real_digital_letters_keep_their_layer_without_an_ocr(path: Path) -> None:
    shared_dir("corpus", "pdf")
    for page in _layer_pages(path):
        assert language.verdict(page.words) == language.OK, (path.name, page.number)
