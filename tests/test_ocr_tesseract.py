"""The Tesseract program wrapper (``ocr/tesseract.py``): engine errors, its environment, pngstore."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

from tests.support.ocr import needs_tesseract, text_page


@needs_tesseract
def test_missing_tesseract_is_an_ocr_engine_error(tmp_path):
    from vanthu.pipeline.errors import ExitCode, OcrEngineError
    from vanthu.pipeline.ocr.options import OcrOptions
    from vanthu.pipeline.ocr.pages import ocr_pages
    from vanthu.pipeline.read.detect import load_input

    png = tmp_path / "p.png"
    text_page(["Số: 1/UBND"], size=(600, 300)).save(png)
    with pytest.raises(OcrEngineError) as err:
        ocr_pages(load_input(png), opts=OcrOptions(tesseract_cmd=str(tmp_path / "no-such-tesseract")))
    assert err.value.exit_code == ExitCode.OCR_ENGINE
    assert "apt-get install tesseract-ocr" in err.value.line()


@needs_tesseract
def test_crashing_tesseract_is_an_ocr_engine_error(tmp_path):
    from vanthu.pipeline.errors import OcrEngineError
    from vanthu.pipeline.ocr.options import OcrOptions
    from vanthu.pipeline.ocr.pages import ocr_pages
    from vanthu.pipeline.read.detect import load_input

    fake = tmp_path / "tesseract"
    fake.write_text("#!/bin/sh\ncase \"$*\" in *--version*) echo 'tesseract 5.3.0';; *) echo boom >&2; exit 3;; esac\n")
    fake.chmod(0o755)
    png = tmp_path / "p.png"
    text_page(["Số: 1/UBND"], size=(600, 300)).save(png)
    with pytest.raises(OcrEngineError, match="Tesseract failed on page 1"):
        ocr_pages(load_input(png), opts=OcrOptions(tesseract_cmd=str(fake)))


def test_pngstore_is_built_by_setup_and_found():
    from vanthu.pipeline.ocr.tesseract import pngstore_library

    lib = pngstore_library()
    assert lib is not None and lib.endswith("pngstore.so"), "run ./scripts/setup.sh: it builds pngstore"


def test_pngstore_makes_zlib_store_instead_of_compress(tmp_path):
    """Preloaded, the library turns every deflate stream a program starts into level 0:
    the data comes back the same, only stored."""
    import os
    import subprocess
    import sys

    from vanthu.pipeline.ocr.tesseract import pngstore_library

    probe = "import zlib; d = b'ba ' * 50000; c = zlib.compress(d, 9); assert zlib.decompress(c) == d; print(len(c))"
    plain = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    env = dict(os.environ, LD_PRELOAD=pngstore_library())
    stored = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True, env=env)
    assert int(plain.stdout) < 2_000  # compressed
    assert int(stored.stdout) >= 150_000  # stored as it is


def test_pngstore_reaches_tesseract_only(monkeypatch):
    import os

    import pytesseract

    from vanthu.pipeline.ocr.options import OcrOptions
    from vanthu.pipeline.ocr.tesseract import TesseractEnviron, pngstore_library, pytesseract_for

    monkeypatch.setattr(pytesseract.pytesseract, "environ", os.environ)
    monkeypatch.setenv("LD_PRELOAD", "/other/lib.so")
    pytesseract_for(OcrOptions())
    env = pytesseract.pytesseract.environ
    assert isinstance(env, TesseractEnviron)
    assert dict(env.items())["LD_PRELOAD"].split() == [pngstore_library(), "/other/lib.so"]
    assert os.environ["LD_PRELOAD"] == "/other/lib.so"  # this process's own environment is left alone
    monkeypatch.setenv("VANTHU_OCR_MARK", "1")  # read when Tesseract starts, not copied once
    assert env["VANTHU_OCR_MARK"] == "1"
    pytesseract_for(OcrOptions(tesseract_preload=""))  # switched off (VANTHU_TESSERACT_PRELOAD=)
    off = pytesseract.pytesseract.environ
    assert isinstance(off, TesseractEnviron) and off.library is None
    assert off["LD_PRELOAD"] == "/other/lib.so"


def test_tesseract_alone_runs_with_one_thread_and_our_environment_is_not_written(monkeypatch):
    """OMP_THREAD_LIMIT=1 goes to Tesseract's environment (unless it is set), never
    into this process's own."""
    import os
    import subprocess
    import sys

    from vanthu.pipeline.ocr.tesseract import TesseractEnviron

    monkeypatch.delenv("OMP_THREAD_LIMIT", raising=False)
    assert TesseractEnviron(None)["OMP_THREAD_LIMIT"] == "1"
    monkeypatch.setenv("OMP_THREAD_LIMIT", "3")
    assert TesseractEnviron(None)["OMP_THREAD_LIMIT"] == "3"
    probe = (
        "import os; from vanthu.pipeline.ocr import pages, tesseract; "
        "from vanthu.pipeline.ocr.options import OcrOptions; tesseract.pytesseract_for(OcrOptions()); "
        "print(os.environ.get('OMP_THREAD_LIMIT'))"
    )
    env = {k: v for k, v in os.environ.items() if k != "OMP_THREAD_LIMIT"}
    assert (
        subprocess.run(
            [sys.executable, "-c", probe], capture_output=True, text=True, check=True, env=env
        ).stdout.strip()
        == "None"
    )


def test_install_tesseract_environ_is_idempotent_and_follows_the_settings(monkeypatch):
    import os

    import pytesseract

    from vanthu.pipeline.ocr.tesseract import TesseractEnviron, install_tesseract_environ, pngstore_library
    from vanthu.pipeline.settings import OcrSettings

    monkeypatch.setattr(pytesseract.pytesseract, "environ", os.environ)
    install_tesseract_environ()
    first = pytesseract.pytesseract.environ
    assert isinstance(first, TesseractEnviron) and first.library == pngstore_library()
    install_tesseract_environ(OcrSettings())
    assert pytesseract.pytesseract.environ is first  # once is enough
    install_tesseract_environ(OcrSettings(tesseract_preload=""))
    assert pytesseract.pytesseract.environ.library is None


@needs_tesseract
def test_pngstore_tesseract_reads_the_same_words(tmp_path):
    import os
    import subprocess

    from vanthu.pipeline.ocr.tesseract import pngstore_library

    page = text_page(
        [
            "ỦY BAN NHÂN DÂN TỈNH LẠNG SƠN",
            "Số: 123/UBND-VP",
            "Kính gửi: Sở Tài chính",
            "Thực hiện Công văn số 45/BNV-TCBC ngày 12 tháng 3 năm 2024",
        ],
        size=(1240, 500),
        font_size=34,
    )
    # grey paper with grain: the line images Tesseract PNG-encodes are not blank
    grain = np.random.default_rng(0).integers(-12, 12, (500, 1240, 3))
    noisy = np.clip(np.asarray(page).astype(int) - 20 + grain, 0, 255).astype(np.uint8)
    Image.fromarray(noisy).save(tmp_path / "p.png")
    cmd = ["tesseract", str(tmp_path / "p.png"), "-", "-l", "vie", "-c", "thresholding_method=2", "tsv"]
    env = dict(os.environ, OMP_THREAD_LIMIT="1")
    plain = subprocess.run(cmd, capture_output=True, text=True, check=True, env=env).stdout
    stored = subprocess.run(
        cmd, capture_output=True, text=True, check=True, env=dict(env, LD_PRELOAD=pngstore_library())
    ).stdout
    assert "123/UBND-VP" in plain and "gửi:" in plain
    assert stored == plain
