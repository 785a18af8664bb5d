"""The Tesseract program wrapper: run the binary (through pytesseract) and parse its output.

Cost model (measured): Tesseract is the cost, 3-4 s per 300-dpi page per core with
``OMP_THREAD_LIMIT=1`` and far slower with its own threading, so Tesseract is always
started with ``OMP_THREAD_LIMIT=1`` (unless the environment sets another value) and the
pages are read in parallel, one Tesseract process per page (``pages.ocr_pages``).

Tesseract's environment is given to pytesseract once per process by
:func:`install_tesseract_environ` (the run layer calls it; the first OCR call does it
too when nobody did). This process's own environment is never written.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import sys
from collections.abc import Mapping
from pathlib import Path

from vanthu.models.document import Word
from vanthu.pipeline.errors import OcrEngineError
from vanthu.pipeline.i18n import N_, _
from vanthu.pipeline.ocr.options import OcrOptions
from vanthu.pipeline.settings import OcrSettings
from vanthu.pipeline.text.normalize import nfc

INSTALL_HINT = N_("install it: sudo apt-get install tesseract-ocr tesseract-ocr-vie")
#: Tesseract's own threading costs more than it gains when one process reads each page
THREAD_LIMIT = {"OMP_THREAD_LIMIT": "1"}


class PageTimedOut(Exception):
    pass


def check_engine(opts: OcrOptions, path: str | Path) -> None:
    """Fail early, with the install command, when Tesseract or its Vietnamese data is missing."""
    cmd = opts.tesseract_cmd
    if shutil.which(cmd) is None and not Path(cmd).is_file():
        raise OcrEngineError(path, _("the OCR engine '{cmd}' is not installed").format(cmd=cmd), hint=_(INSTALL_HINT))


def pngstore_library(preload: str | None = None) -> str | None:
    """The pngstore library built by ``scripts/setup.sh`` (``pipeline/ocr/native/pngstore.c``),
    or the one ``preload`` names (``VANTHU_TESSERACT_PRELOAD``; empty: none); None when
    there is none."""
    if preload is not None:
        return preload if preload and Path(preload).is_file() else None
    built = Path(sys.prefix) / "lib" / "vanthu" / "pngstore.so"
    return str(built) if built.is_file() else None


class TesseractEnviron(Mapping):
    """The environment pytesseract starts Tesseract with: this process's environment as
    it is at the time, with ``OMP_THREAD_LIMIT=1`` (unless set) and pngstore preloaded.

    Tesseract PNG-encodes every text line's image in memory and decodes it again before
    its network reads it (tesseract-ocr/tesseract#2965). With zlib at level 0 the PNG
    holds the same pixels, stored, so the words are exactly the same (tested), and
    Tesseract takes about 14% less CPU on a 300-dpi letter page (measured). Only
    Tesseract gets the library: pytesseract takes the environment it passes to
    ``subprocess`` from its module's ``environ``, which :func:`install_tesseract_environ`
    replaces with this mapping; this process's own environment is left alone.
    """

    def __init__(self, library: str | None):
        self.library = library

    def _env(self) -> dict[str, str]:
        env = dict(os.environ)
        for key, value in THREAD_LIMIT.items():
            env.setdefault(key, value)
        if self.library is not None:
            current = env.get("LD_PRELOAD", "")
            if self.library not in current.split():
                env["LD_PRELOAD"] = f"{self.library} {current}".strip()
        return env

    def __getitem__(self, key: str) -> str:
        return self._env()[key]

    def __iter__(self):
        return iter(self._env())

    def __len__(self) -> int:
        return len(self._env())

    def items(self):
        return self._env().items()


def _install(library: str | None) -> None:
    """pytesseract's ``environ`` made a :class:`TesseractEnviron` for ``library`` (kept
    when it is one already)."""
    import pytesseract

    current = pytesseract.pytesseract.environ
    if not isinstance(current, TesseractEnviron) or current.library != library:
        pytesseract.pytesseract.environ = TesseractEnviron(library)


def install_tesseract_environ(ocr: OcrSettings | None = None) -> None:
    """Start every Tesseract of this process with :class:`TesseractEnviron` (pngstore as
    ``ocr.tesseract_preload`` says, ``OMP_THREAD_LIMIT=1``). Called once per process by
    the run layer; idempotent, and done by the first OCR call when nobody did."""
    _install(pngstore_library((ocr or OcrSettings()).tesseract_preload))


def pytesseract_for(opts: OcrOptions):
    """pytesseract, pointed at ``opts``' Tesseract, started with pngstore preloaded when
    the library is there (without it Tesseract runs as it is, only slower)."""
    import pytesseract

    pytesseract.pytesseract.tesseract_cmd = opts.tesseract_cmd
    _install(pngstore_library(opts.tesseract_preload))
    return pytesseract


def uncompressed(image):
    """The image, to be handed to Tesseract as an uncompressed BMP: pytesseract writes
    PNG by default, and compressing a 300-dpi page took 0.6-0.9 s of a 1.6 s reading
    (measured); the words are the same."""
    if image.mode not in ("1", "L", "RGB"):
        image = image.convert("RGB")
    image.format = "BMP"
    return image


def run_tesseract(image, opts: OcrOptions, path: str | Path, page: int) -> dict:
    """Tesseract's ``image_to_data`` dictionary of one image; its failures as
    :class:`OcrEngineError`, a page over ``opts.timeout`` as :class:`PageTimedOut`."""
    pytesseract = pytesseract_for(opts)
    image = uncompressed(image)
    try:
        with opts.gate if opts.gate is not None else contextlib.nullcontext():
            return pytesseract.image_to_data(
                image, lang=opts.lang, config=opts.config(), output_type=pytesseract.Output.DICT, timeout=opts.timeout
            )
    except pytesseract.TesseractNotFoundError:
        raise OcrEngineError(
            path, _("the OCR engine '{cmd}' is not installed").format(cmd=opts.tesseract_cmd), hint=_(INSTALL_HINT)
        ) from None
    except pytesseract.TesseractError as exc:
        raise _engine_error(exc, opts, path, page) from None
    except RuntimeError as exc:
        if "timeout" in str(exc).lower():
            raise PageTimedOut() from None
        raise


def _engine_error(exc, opts: OcrOptions, path: str | Path, page: int) -> OcrEngineError:
    """A ``pytesseract.TesseractError`` as the error the user reads: missing language
    data, killed by a signal, or failed with its last line of output."""
    status, message = exc.status, (exc.message or "").strip().splitlines()
    detail = message[-1] if message else ""
    if "Failed loading language" in (exc.message or "") or "vie.traineddata" in (exc.message or ""):
        return OcrEngineError(
            path,
            _("Tesseract has no '{lang}' language data").format(lang=opts.lang),
            hint=_("sudo apt-get install tesseract-ocr-vie"),
        )
    if isinstance(status, int) and status < 0:
        name = signal.Signals(-status).name if -status in signal.valid_signals() else str(-status)
        why = _(" (out of memory?)") if -status == signal.SIGKILL else ""
        return OcrEngineError(
            path, _("Tesseract was killed by {name} on page {page}{why}").format(name=name, page=page, why=why)
        )
    return OcrEngineError(
        path,
        _("Tesseract failed on page {page} (exit {status}{detail})").format(
            page=page, status=status, detail=": " + detail if detail else ""
        ),
    )


def words_from_data(
    data: dict, min_conf: float = 0.0, offset: tuple[int, int] = (0, 0), scale: float = 1.0
) -> list[Word]:
    """Positioned words from Tesseract's ``image_to_data`` dictionary; ``offset`` is where
    the image Tesseract read lies on the page and ``scale`` how much smaller it was read
    (boxes are in pixels of the page)."""
    words = []
    line_ids: dict[tuple[int, int, int], int] = {}
    for i, text in enumerate(data["text"]):
        text = nfc(str(text)).strip()
        conf = float(data["conf"][i])
        if not text or conf < min_conf:
            continue
        x, y, w, h = (int(data[k][i]) for k in ("left", "top", "width", "height"))
        if scale != 1.0:
            x, y, w, h = round(x / scale), round(y / scale), round(w / scale), round(h / scale)
        x, y = x + offset[0], y + offset[1]
        key = (int(data["block_num"][i]), int(data["par_num"][i]), int(data["line_num"][i]))
        line = line_ids.setdefault(key, len(line_ids))
        words.append(
            Word(
                text=text,
                x0=x,
                y0=y,
                x1=x + w,
                y1=y + h,
                size=float(h),
                confidence=round(max(conf, 0.0) / 100.0, 3),
                line=line,
            )
        )
    return words
