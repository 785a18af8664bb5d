"""Fault injection: Tesseract replaced by programs that crash, hang, or are killed the
way the OOM killer kills (SIGKILL), and a missing binary. Each ends in its documented
exit code with one line naming the file, through the real ``vanthu extract`` process;
a page whose OCR hangs is skipped with a warning naming it while the others are read.
"""

from __future__ import annotations

import os
import shutil
import stat
from pathlib import Path

import pytest

from tests.conftest import SAMPLES
from tests.test_hostile import check_error_line, check_record, run_extract
from vanthu.cli import main
from vanthu.pipeline.errors import ExitCode
from vanthu.pipeline.run.isolate import extract_many
from vanthu.pipeline.settings import Settings

REAL_TESSERACT = shutil.which("tesseract")
pytestmark = pytest.mark.skipif(REAL_TESSERACT is None, reason="Tesseract is not installed")

# pytesseract asks for the version before it reads a page: fakes answer that like the real one.
PROLOGUE = f"""#!/bin/sh
case "$1" in --version|-v) exec "{REAL_TESSERACT}" --version ;; esac
"""


def fake(folder: Path, name: str, body: str) -> Path:
    path = folder / name
    path.write_text(PROLOGUE + body, encoding="utf-8")
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return path


@pytest.fixture(scope="module")
def scans(tmp_path_factory) -> dict[str, Path]:
    """The sample letter as a scan: page 1 as a PNG, both pages as a TIFF."""
    from vanthu.pipeline.ocr.raster import page_images

    folder = tmp_path_factory.mktemp("scans")
    pages = [img.convert("L") for _, img in page_images(SAMPLES / "tb-so-2024-88.pdf", "application/pdf", dpi=200)]
    png, tiff = folder / "công văn quét.png", folder / "scan 2 pages.tiff"
    pages[0].save(png, dpi=(200, 200))
    pages[0].save(tiff, save_all=True, append_images=pages[1:], dpi=(200, 200))
    return {"png": png, "tiff": tiff}


@pytest.fixture(scope="module")
def fakes(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("fake tesseract")
    return {
        "crash": fake(folder, "crash", 'echo "Error in pixReadStream: corrupt image data" >&2\nexit 1\n'),
        "segv": fake(folder, "segv", "kill -SEGV $$\n"),
        "oom": fake(folder, "oom", "kill -KILL $$\n"),
        "hang": fake(folder, "hang", "exec sleep 600\n"),
        # the first page to reach OCR hangs; the others are read by the real engine
        "hang-once": fake(
            folder,
            "hang-once",
            f'if mkdir "{folder}/hung" 2>/dev/null; then exec sleep 600; fi\nexec "{REAL_TESSERACT}" "$@"\n',
        ),
    }


def _ocr_env(cmd: Path | str, timeout: float = 3) -> dict[str, str]:
    return {"VANTHU_TESSERACT_CMD": str(cmd), "VANTHU_OCR_TIMEOUT": str(timeout)}


@pytest.mark.parametrize(
    ("kind", "words"),
    [
        ("crash", "Tesseract failed on page 1 (exit 1: Error in pixReadStream: corrupt image data)"),
        ("segv", "Tesseract was killed by SIGSEGV on page 1"),
        ("oom", "Tesseract was killed by SIGKILL on page 1 (out of memory?)"),
    ],
)
def test_engine_failure_is_exit_10(scans, fakes, tmp_path: Path, kind: str, words: str) -> None:
    run = run_extract(scans["png"], tmp_path / "out", env=_ocr_env(fakes[kind]))
    assert run.rc == ExitCode.OCR_ENGINE, run.stderr
    check_error_line(run)
    assert words in run.stderr
    assert run.before == run.after


def test_missing_engine_names_the_install_command(scans, tmp_path: Path) -> None:
    run = run_extract(scans["png"], tmp_path / "out", env=_ocr_env(tmp_path / "no" / "tesseract"))
    assert run.rc == ExitCode.OCR_ENGINE, run.stderr
    check_error_line(run)
    assert "is not installed" in run.stderr and "apt-get install tesseract-ocr tesseract-ocr-vie" in run.stderr


def test_hanging_engine_times_out(scans, fakes, tmp_path: Path) -> None:
    run = run_extract(scans["png"], tmp_path / "out", env=_ocr_env(fakes["hang"], timeout=2))
    assert run.rc == ExitCode.TIMED_OUT, run.stderr
    check_error_line(run)
    assert "OCR timed out on every page (limit 2 s per page)" in run.stderr
    assert run.seconds < 60


def test_one_hanging_page_is_skipped_with_a_warning(scans, fakes, tmp_path: Path) -> None:
    run = run_extract(scans["tiff"], tmp_path / "out", env=_ocr_env(fakes["hang-once"], timeout=20))
    assert run.rc == 0, run.stderr
    record = check_record(run, scans["tiff"].name)
    skipped = [w for w in record["warnings"] if "OCR quá 20 giây, trang bị bỏ qua" in w]
    assert len(skipped) == 1 and skipped[0].startswith("Trang "), record["warnings"]
    assert record["source"]["pages"] == 2


def test_worker_sees_the_callers_environment(scans, fakes, monkeypatch, capsys) -> None:
    """The forkserver started before the variable was set; the worker still uses it."""
    good = SAMPLES / "seed-cv-ubnd-langson.md"
    assert not isinstance(next(iter(extract_many([good, good], Settings())))[1], Exception)  # server running
    monkeypatch.setenv("VANTHU_TESSERACT_CMD", str(fakes["oom"]))
    assert main(["extract", str(scans["png"])]) == ExitCode.OCR_ENGINE
    assert "killed by SIGKILL" in capsys.readouterr().err


def test_no_tesseract_left_behind_after_a_document_timeout(scans, tmp_path: Path) -> None:
    """The document limit (5 s) strikes before the page limit (60 s): the worker and its
    Tesseract are killed as one process group."""
    marker = f"{601 + os.getpid() % 1000}.25"  # this test's own hanging "engine"
    hang = fake(tmp_path, "hang", f"exec sleep {marker}\n")
    run = run_extract(scans["png"], tmp_path / "out", "--timeout", "5", env=_ocr_env(hang, timeout=60))
    assert run.rc == ExitCode.TIMED_OUT, run.stderr
    assert "reading took longer than 5 s" in run.stderr
    needle = f"sleep\x00{marker}".encode()
    left = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            if needle in Path(f"/proc/{pid}/cmdline").read_bytes():
                left.append(pid)
        except OSError:
            continue
    assert not left, f"hanging OCR engine processes left behind: {left}"


def _processes_with(needle: bytes) -> list[str]:
    found = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            if needle in Path(f"/proc/{pid}/cmdline").read_bytes():
                found.append(pid)
        except OSError:
            continue
    return found


def test_killed_caller_takes_its_worker_and_engine_along(scans, tmp_path: Path) -> None:
    """``vanthu extract`` killed with SIGKILL mid-document: its worker (whose parent, the
    forkserver, lives on) and the worker's Tesseract are gone within seconds, not left
    running without a deadline."""
    import subprocess
    import time

    from tests.test_hostile import vanthu_command

    marker = f"{700 + os.getpid() % 1000}.75"
    hang = fake(tmp_path, "hang", f"exec sleep {marker}\n")
    needle = f"sleep\x00{marker}".encode()
    proc = subprocess.Popen(
        [*vanthu_command(), "extract", str(scans["png"])],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, **_ocr_env(hang, timeout=300)},
    )
    try:
        end = time.monotonic() + 120
        while not _processes_with(needle):
            assert time.monotonic() < end and proc.poll() is None, "the fake engine never started"
            time.sleep(0.1)
    finally:
        proc.kill()
        proc.wait()
    end = time.monotonic() + 20
    while _processes_with(needle) and time.monotonic() < end:
        time.sleep(0.2)
    assert not _processes_with(needle), "the worker's OCR engine outlived the killed caller"
