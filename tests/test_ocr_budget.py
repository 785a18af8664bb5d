"""Long and archival scans finish (``ocr.budget``, the downscaling in ``ocr.clean``):
the document's budget grows with what its pages are measured to cost, up to a ceiling;
a page scanned far above the reading dpi is read downscaled with its boxes in the
image's own pixels; a document that runs out of time returns the pages read, naming
the others (exit 0, a partial record), never nothing."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from tests.conftest import SAMPLES
from tests.test_hostile import check_record, run_extract
from tests.test_ocr_faults import fake
from vanthu.pipeline.ocr import budget
from vanthu.pipeline.ocr.clean import prepare_page
from vanthu.pipeline.run.isolate import extract_isolated
from vanthu.pipeline.settings import LimitSettings, Settings

LAYOUT = json.loads((SAMPLES / "src" / "cv-khan-ubnd-phuongx.json").read_text(encoding="utf-8"))
needs_tesseract = pytest.mark.skipif(shutil.which("tesseract") is None, reason="Tesseract is not installed")
LIMITS = LimitSettings(timeout_s=120, timeout_per_page_s=5)


@pytest.mark.parametrize(
    ("pages", "done", "elapsed", "expected"),
    [
        (5, 0, 0.0, 140.0),  # nothing measured: the base budget
        (5, 1, 10.0, 140.0),  # 10 s a page: 75 s projected, under the base
        (5, 1, 40.0, 300.0),  # 40 s a page (an archival scan on a busy machine): 5 x 40 x 1.5
        (5, 2, 400.0, budget.DEFAULT_TIMEOUT_CEILING_S),  # capped
        (1, 1, 200.0, 300.0),
    ],
)
def test_budget_grows_with_the_measured_page_cost(pages: int, done: int, elapsed: float, expected: float) -> None:
    assert budget.document_budget(LIMITS, pages, done, elapsed) == pytest.approx(expected)


def test_clock_hurries_near_the_end_and_stops_before_it(monkeypatch) -> None:
    now = [1000.0]
    monkeypatch.setattr(budget.time, "monotonic", lambda: now[0])
    sent: list[tuple] = []
    clock = budget.Clock(LimitSettings(timeout_s=100, timeout_per_page_s=0), report=sent.append)
    assert not clock.hurried() and clock.stop_at() == pytest.approx(1090.0)
    now[0] = 1075.0
    assert clock.hurried()
    clock.page_done()
    clock.close()
    clock.page_done()
    assert sent == [("progress", 1)]  # nothing after close: the outcome goes on the same pipe


@pytest.fixture(scope="module")
def archive(tmp_path_factory) -> Path:
    """The sample letter scanned at 600 dpi, as a TIFF (pages of an archive)."""
    from vanthu.samplegen.scan import scan_pages

    scan = scan_pages(LAYOUT, "clean", seed=19, dpi=600)
    path = tmp_path_factory.mktemp("archive") / "archive-600dpi.tiff"
    pages = [p.convert("L") for p in scan.pages[:1]]
    pages[0].save(path, save_all=True, append_images=pages[1:], dpi=(600, 600))
    return path


def test_a_600_dpi_page_is_cleaned_at_the_reading_dpi(archive: Path) -> None:
    from PIL import Image

    with Image.open(archive) as im:
        prep = prepare_page(np.asarray(im.convert("RGB")), dpi=300)
        long_side = max(im.size)
    assert long_side > 6500  # 600 dpi on A4
    assert prep.scale == pytest.approx(300 / 600, rel=0.02)
    assert max(prep.grey.shape) == pytest.approx(11.69 * 300, rel=0.02)
    assert any(n.startswith("downscaled") for n in prep.notes)


@needs_tesseract
def test_an_archive_scan_finishes_with_its_boxes_in_its_own_pixels(archive: Path) -> None:
    from PIL import Image

    record = extract_isolated(archive, Settings(), warm=False)
    with Image.open(archive) as im:
        width, height = im.size
    [size] = record.source.page_sizes
    assert size.unit == "px"  # (within the rounding of the downscaled size)
    assert (size.width, size.height) == (pytest.approx(width, abs=3), pytest.approx(height, abs=3))
    assert record.issuer and record.number_symbol
    box = record.provenance["/number_symbol"].bbox
    assert 0 <= box[0] < box[2] <= width and 0 <= box[1] < box[3] <= height
    assert not any("bị bỏ qua" in w for w in record.warnings)


@needs_tesseract
def test_a_document_out_of_time_returns_the_pages_read(tmp_path: Path) -> None:
    """One page's OCR hangs past the document's limit (the page limit is longer): the
    record comes back with the page read and a warning naming the other; exit 0."""
    from vanthu.pipeline.ocr.raster import page_images

    tiff = tmp_path / "two pages.tiff"
    pages = [img.convert("L") for _, img in page_images(SAMPLES / "tb-so-2024-88.pdf", "application/pdf", dpi=200)]
    pages[0].save(tiff, save_all=True, append_images=pages[1:], dpi=(200, 200))
    real = shutil.which("tesseract")
    hang = fake(
        tmp_path, "hang-once", f'if mkdir "{tmp_path}/hung" 2>/dev/null; then exec sleep 600; fi\nexec "{real}" "$@"\n'
    )
    env = {"VANTHU_TESSERACT_CMD": str(hang), "VANTHU_OCR_TIMEOUT": "300"}
    run = run_extract(tiff, tmp_path / "out", "--timeout", "35", env=env)
    assert run.rc == 0, run.stderr
    record = check_record(run, tiff.name)
    assert record["source"]["pages"] == 2
    late = [w for w in record["warnings"] if "chưa đọc xong khi hết thời gian của văn bản" in w]
    assert len(late) == 1 and late[0].startswith("Trang ") and "trang bị bỏ qua" in late[0], record["warnings"]
    assert record["source"]["ocr_confidence"] is not None  # the other page was read
