"""Per-document limits (``run.limits``, ``run.setup``): memory, pages, the address-space
limit in disguise, one malloc arena; the process-wide limits set by ``setup_process``."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import SAMPLES
from tests.test_hostile import run_extract
from vanthu.pipeline.errors import ExitCode
from vanthu.pipeline.run.limits import out_of_address_space
from vanthu.samplegen.pdfbytes import text_pdf


@pytest.fixture(scope="module")
def long_pdf(tmp_path_factory) -> Path:
    """200 text pages."""
    path = tmp_path_factory.mktemp("long") / "long.pdf"
    path.write_bytes(text_pdf(200))
    return path


def test_memory_limit(tmp_path: Path) -> None:
    run = run_extract(SAMPLES / "tb-so-2024-88.pdf", tmp_path / "out", "--memory-mb", "100")
    assert run.rc == ExitCode.TOO_LARGE, run.stderr
    assert len(run.err_lines()) == 1 and str(run.path) in run.stderr
    assert "100 MB" in run.stderr, run.stderr


def test_page_limit(long_pdf: Path, tmp_path: Path) -> None:
    run = run_extract(long_pdf, tmp_path / "out", "--max-pages", "50")
    assert run.rc == ExitCode.TOO_LARGE, run.stderr
    assert "200 pages, over the limit of 50" in run.stderr


def test_library_that_cannot_be_mapped_counts_as_out_of_memory() -> None:
    try:
        try:
            raise OSError("libscipy_openblas64_.so: failed to map segment from shared object")
        except OSError as inner:
            raise ImportError("Importing the numpy C-extensions failed.") from inner
    except ImportError as exc:
        assert out_of_address_space(exc)
    assert not out_of_address_space(ImportError("No module named 'cv2'"))
    assert out_of_address_space(OSError(12, "Cannot allocate memory"))


#: runs of the probe each way: what one run keeps varies with the threads' timing
#: (0-51 MB with one arena, 52-69 MB without, measured), so medians are compared
ARENA_PROBE_RUNS = 7


def test_one_malloc_arena_keeps_freed_page_arrays_from_piling_up_per_thread():
    """Threads that each allocate and free page-sized arrays keep them in arenas of their
    own (52-69 MB here for four threads); the worker's one arena gives most of them back."""
    import statistics
    import subprocess
    import sys

    probe = """
import sys
import threading
import numpy as np
from vanthu.pipeline.run.limits import one_malloc_arena
if sys.argv[1] == "one":
    one_malloc_arena()
def rss():
    return int(open('/proc/self/status').read().split('VmRSS:')[1].split()[0]) // 1024
warm = np.ones(9_000_000, np.uint8); del warm  # lifts glibc's mmap threshold past a page
base = rss()
def work():
    for _ in range(3):
        a = np.ones(9_000_000, np.uint8); b = np.ones(9_000_000, np.uint8); del a, b
threads = [threading.Thread(target=work) for _ in range(4)]
for t in threads: t.start()
for t in threads: t.join()
print(rss() - base)
"""

    def kept(mode: str) -> float:
        runs = [
            int(subprocess.run([sys.executable, "-c", probe, mode], capture_output=True, text=True, check=True).stdout)
            for _ in range(ARENA_PROBE_RUNS)
        ]
        return statistics.median(runs)

    one, default = kept("one"), kept("default")
    assert one <= default / 2, f"one arena kept {one} MB (median), per-thread arenas {default} MB"


def test_setup_process_installs_the_rasteriser_limits(monkeypatch) -> None:
    """The page-size and pixel limits are process globals of ``ocr.raster``, set by
    ``setup_process`` alone."""
    from PIL import Image

    from vanthu.pipeline.ocr import raster
    from vanthu.pipeline.run.setup import setup_process
    from vanthu.pipeline.settings import LimitSettings, Settings

    monkeypatch.setattr(raster, "MAX_PAGE_PT", raster.MAX_PAGE_PT)
    monkeypatch.setattr(raster, "MAX_PIXELS", raster.MAX_PIXELS)
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", Image.MAX_IMAGE_PIXELS)
    setup_process(Settings(limits=LimitSettings(max_page_inches=10, max_pixels=1234)), warm=False)
    assert raster.MAX_PAGE_PT == 720
    assert Image.MAX_IMAGE_PIXELS == 1234
