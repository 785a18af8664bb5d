"""``vanthu extract SCAN --pdf OUT.pdf``: the scan's pages with an invisible text layer made
from the words the OCR read, found by ``pdftotext``, without running Tesseract again; what
happens to inputs that have a text layer already, or no pages at all."""

from __future__ import annotations

import json
import shutil
import stat
import subprocess
from pathlib import Path

import pytest

from tests.conftest import SAMPLES
from vanthu.cli import main
from vanthu.pipeline.errors import ExitCode

REAL_TESSERACT = shutil.which("tesseract")
PDFTOTEXT = shutil.which("pdftotext")
needs_tesseract = pytest.mark.skipif(REAL_TESSERACT is None, reason="Tesseract is not installed")
#: words of the sample letter's subject ("Kết luận của Giám đốc Sở tại cuộc họp giao ban …")
SUBJECT_WORDS = ("Kết", "luận", "Giám", "đốc", "giao", "ban")


def _counting_tesseract(folder: Path) -> tuple[Path, Path]:
    """A Tesseract that logs each recognition run (not the version or language queries)
    and then runs the real one."""
    log = folder / "runs.log"
    script = folder / "tesseract"
    script.write_text(
        f'#!/bin/sh\ncase "$1" in -*) ;; *) echo run >> "{log}" ;; esac\nexec "{REAL_TESSERACT}" "$@"\n',
        encoding="utf-8",
    )
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    return script, log


def _runs(log: Path) -> int:
    return len(log.read_text(encoding="utf-8").splitlines()) if log.exists() else 0


@pytest.fixture(scope="module")
def scan(tmp_path_factory) -> Path:
    """Page 1 of the sample letter as a 200-dpi greyscale scan."""
    from vanthu.pipeline.ocr.raster import page_images

    folder = tmp_path_factory.mktemp("scan")
    _, page = next(page_images(SAMPLES / "tb-so-2024-88.pdf", "application/pdf", dpi=200, pages=[1]))
    path = folder / "thông báo quét.png"
    page.convert("L").save(path, dpi=(200, 200))
    return path


def _pdf_text(path: Path) -> str:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(path))
    try:
        return "\n".join(pdf[i].get_textpage().get_text_range() for i in range(len(pdf)))
    finally:
        pdf.close()


@needs_tesseract
def test_searchable_pdf_of_a_scan_has_its_words_and_runs_tesseract_no_more_than_extract(
    scan, tmp_path, monkeypatch, capsys
):
    cmd, log = _counting_tesseract(tmp_path)
    monkeypatch.setenv("VANTHU_TESSERACT_CMD", str(cmd))
    assert main(["extract", str(scan)]) == 0
    plain_runs = _runs(log)
    log.unlink()
    capsys.readouterr()
    out = tmp_path / "lưu trữ" / "thông báo.pdf"
    assert main(["extract", str(scan), "--pdf", str(out)]) == 0
    captured = capsys.readouterr()
    assert plain_runs >= 1 and _runs(log) == plain_runs, (plain_runs, _runs(log))
    record = json.loads(captured.out)
    assert record["subject"].startswith("Kết luận của Giám đốc Sở")
    assert f"-> {out}" in captured.err
    assert out.read_bytes().startswith(b"%PDF-")
    assert [p.name for p in out.parent.iterdir()] == [out.name]  # no temporary file left
    text = _pdf_text(out)
    assert all(word in text for word in SUBJECT_WORDS), text
    if PDFTOTEXT is None:
        pytest.skip("pdftotext is not installed (VANTHU_SETUP_TESTS=1 ./scripts/setup.sh installs poppler-utils)")
    found = subprocess.run([PDFTOTEXT, str(out), "-"], capture_output=True, text=True, check=True).stdout
    assert "Kết luận của Giám đốc Sở" in " ".join(found.split()), found


def test_pdf_with_a_text_layer_given_pdf_is_copied_as_it_is(tmp_path, capsys):
    letter = SAMPLES / "tb-so-2024-88.pdf"
    out = tmp_path / "copy.pdf"
    assert main(["extract", str(letter), "--pdf", str(out), "--out", str(tmp_path / "json")]) == 0
    assert out.read_bytes() == letter.read_bytes()
    assert "copied as it is: it has a text layer" in capsys.readouterr().err


def test_text_letter_given_pdf_is_refused_naming_the_file(tmp_path, capsys):
    letter = SAMPLES / "seed-cv-ubnd-langson.md"
    out = tmp_path / "seed.pdf"
    assert main(["extract", str(letter), "--pdf", str(out)]) == ExitCode.UNSUPPORTED_FORMAT
    err = capsys.readouterr().err
    assert str(letter) in err and "no page images" in err, err
    assert not out.exists()


def test_searchable_pdf_over_the_letter_itself_is_refused_and_the_letter_kept(tmp_path, capsys):
    letter = tmp_path / "letter.pdf"
    shutil.copyfile(SAMPLES / "tb-so-2024-88.pdf", letter)
    before = letter.read_bytes()
    assert main(["extract", str(letter), "--pdf", str(letter)]) == ExitCode.OUTPUT_NOT_WRITABLE
    assert "would replace the letter itself" in capsys.readouterr().err
    assert letter.read_bytes() == before


def test_searchable_pdfs_of_several_letters_go_into_a_folder(tmp_path, capsys):
    letters = [SAMPLES / "tb-so-2024-88.pdf", SAMPLES / "qd-ubnd-huyen-2024-19.pdf"]
    folder = tmp_path / "pdf"
    code = main(["extract", *map(str, letters), "--pdf", str(folder), "--out", str(tmp_path / "json"), "-q"])
    assert code == 0
    assert sorted(p.name for p in folder.iterdir()) == sorted(p.name for p in letters)
    single = tmp_path / "single"  # not ending in .pdf: a folder, also for one letter
    assert main(["extract", str(letters[0]), "--pdf", str(single), "--out", str(tmp_path / "json")]) == 0
    assert [p.name for p in single.iterdir()] == [letters[0].name]
    one = tmp_path / "one.pdf"
    assert main(["extract", *map(str, letters), "--pdf", str(one), "-q"]) == ExitCode.USAGE
    assert "give a folder" in capsys.readouterr().err
    assert not one.exists()
