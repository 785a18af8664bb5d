"""OCR reader: page images → positioned words, through Tesseract (pytesseract, ``vie``).

Registered for images (PNG/JPEG/TIFF) and as ``READERS["ocr"]`` for PDF pages whose
text layer is missing or garbage, so scanned pages reach the parsers as the same
``PageText`` a text layer gives (boxes in pixels of the cleaned page image).

Cost model (measured): Tesseract is the cost, 3-4 s per 300-dpi page per core with
``OMP_THREAD_LIMIT=1`` and far slower with its own threading. Pages are therefore
rendered in this process (pdfium is not thread-safe) and recognised in parallel, one
Tesseract process per page, ``workers`` at a time (default: the number of cores).

Configuration (environment): ``VANTHU_TESSERACT_CMD`` (the tesseract binary),
``VANTHU_OCR_TIMEOUT`` (seconds per page; a page that takes longer is skipped with a
warning), ``VANTHU_OCR_WORKERS``, ``VANTHU_OCR_DPI``, ``VANTHU_OCR_READ_DPI`` (the page is
cleaned at ``VANTHU_OCR_DPI`` and given to Tesseract scaled down to this; unset: not
scaled. Faster, less accurate: see the README), ``VANTHU_TESSERACT_PRELOAD`` (the
pngstore library preloaded into Tesseract; empty: none; see ``TesseractEnviron``).
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import re
import shutil
import signal
import sys
import tempfile
import threading
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from vanthu.models.document import InputFile, PageText, Word
from vanthu.pipeline.errors import OcrEngineError, TimedOut
from vanthu.pipeline.ocr.postcorrect import correct_words
from vanthu.pipeline.text.normalize import nfc

os.environ.setdefault("OMP_THREAD_LIMIT", "1")

INSTALL_HINT = "install it: sudo apt-get install tesseract-ocr tesseract-ocr-vie"


@dataclass
class OcrOptions:
    dpi: int = field(default_factory=lambda: int(os.environ.get("VANTHU_OCR_DPI", "300")))
    workers: int = field(default_factory=lambda: int(os.environ.get("VANTHU_OCR_WORKERS", "0")) or (os.cpu_count() or 1))
    # under the isolated document's own deadline (120 s + 5 s a page), so a page that
    # hangs is skipped with a warning before the whole document is given up
    timeout: float = field(default_factory=lambda: float(os.environ.get("VANTHU_OCR_TIMEOUT", "60")))
    # the page is read by Tesseract scaled down to this (0: as cleaned, at ``dpi``); the
    # handwritten slots and the signer block are read from the full-resolution page
    read_dpi: int = field(default_factory=lambda: int(os.environ.get("VANTHU_OCR_READ_DPI", "0")))
    lang: str = "vie"
    psm: int = 3
    tesseract_cmd: str = field(default_factory=lambda: os.environ.get("VANTHU_TESSERACT_CMD", "tesseract"))
    # at most ``workers`` Tesseract processes at once (set by ``ocr_pages``), while one
    # more thread cleans the next page: the cores never wait for the cleaning
    gate: object = field(default=None, repr=False, compare=False)

    def config(self) -> str:
        # Sauvola binarisation (thresholding_method=2): 6-9% CER on hard scans vs ~50%
        # with the default Otsu. preserve_interword_spaces keeps word boxes intact.
        return f"--oem 1 --psm {self.psm} --dpi {self.dpi} -c thresholding_method=2"


class PageTimedOut(Exception):
    pass


def check_engine(opts: OcrOptions, path: str | Path) -> None:
    """Fail early, with the install command, when Tesseract or its Vietnamese data is missing."""
    cmd = opts.tesseract_cmd
    if shutil.which(cmd) is None and not Path(cmd).is_file():
        raise OcrEngineError(path, f"the OCR engine '{cmd}' is not installed", hint=INSTALL_HINT)


def pngstore_library() -> str | None:
    """The pngstore library built by ``scripts/setup.sh`` (``pipeline/ocr/native/pngstore.c``),
    or the one ``VANTHU_TESSERACT_PRELOAD`` names (empty: none); None when there is none."""
    named = os.environ.get("VANTHU_TESSERACT_PRELOAD")
    if named is not None:
        return named if named and Path(named).is_file() else None
    built = Path(sys.prefix) / "lib" / "vanthu" / "pngstore.so"
    return str(built) if built.is_file() else None


class TesseractEnviron(Mapping):
    """The environment pytesseract starts Tesseract with: this process's environment as
    it is at the time, with pngstore preloaded.

    Tesseract PNG-encodes every text line's image in memory and decodes it again before
    its network reads it (tesseract-ocr/tesseract#2965). With zlib at level 0 the PNG
    holds the same pixels, stored, so the words are exactly the same (tested), and
    Tesseract takes about 14% less CPU on a 300-dpi letter page (measured). Only
    Tesseract gets the library: pytesseract takes the environment it passes to
    ``subprocess`` from its module's ``environ``, which ``_pytesseract`` replaces with
    this mapping; this process's own environment is left alone.
    """

    def __init__(self, library: str):
        self.library = library

    def _env(self) -> dict[str, str]:
        env = dict(os.environ)
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


def _pytesseract(opts: OcrOptions):
    """pytesseract, pointed at ``opts``' Tesseract, started with pngstore preloaded when
    the library is there (without it Tesseract runs as it is, only slower)."""
    import pytesseract

    pytesseract.pytesseract.tesseract_cmd = opts.tesseract_cmd
    library = pngstore_library()
    if library is None:
        pytesseract.pytesseract.environ = os.environ
    elif getattr(pytesseract.pytesseract.environ, "library", None) != library:
        pytesseract.pytesseract.environ = TesseractEnviron(library)
    return pytesseract


def uncompressed(image):
    """The image, to be handed to Tesseract as an uncompressed BMP: pytesseract writes
    PNG by default, and compressing a 300-dpi page took 0.6-0.9 s of a 1.6 s reading
    (measured); the words are the same."""
    if image.mode not in ("1", "L", "RGB"):
        image = image.convert("RGB")
    image.format = "BMP"
    return image


def _run_tesseract(image, opts: OcrOptions, path: str | Path, page: int) -> dict:
    pytesseract = _pytesseract(opts)
    image = uncompressed(image)
    try:
        with opts.gate if opts.gate is not None else contextlib.nullcontext():
            return pytesseract.image_to_data(image, lang=opts.lang, config=opts.config(),
                                             output_type=pytesseract.Output.DICT, timeout=opts.timeout)
    except pytesseract.TesseractNotFoundError:
        raise OcrEngineError(path, f"the OCR engine '{opts.tesseract_cmd}' is not installed",
                             hint=INSTALL_HINT) from None
    except pytesseract.TesseractError as exc:
        status, message = exc.status, (exc.message or "").strip().splitlines()
        detail = message[-1] if message else ""
        if "Failed loading language" in (exc.message or "") or "vie.traineddata" in (exc.message or ""):
            raise OcrEngineError(path, f"Tesseract has no '{opts.lang}' language data",
                                 hint="sudo apt-get install tesseract-ocr-vie") from None
        if isinstance(status, int) and status < 0:
            name = signal.Signals(-status).name if -status in signal.valid_signals() else str(-status)
            why = " (out of memory?)" if -status == signal.SIGKILL else ""
            raise OcrEngineError(path, f"Tesseract was killed by {name} on page {page}{why}") from None
        raise OcrEngineError(path, f"Tesseract failed on page {page} (exit {status}{': ' + detail if detail else ''})") from None
    except RuntimeError as exc:
        if "timeout" in str(exc).lower():
            raise PageTimedOut() from None
        raise


def read_digits(crop, opts: OcrOptions, path: str | Path) -> tuple[str, float]:
    """Digits in a small crop (a handwritten number or day): one line, digits only.

    Tesseract is no handwriting reader, and which scale it reads a pen stroke best at
    varies: the crop is read as it is and scaled to a 40-px cap height, and the answer
    Tesseract is surest of wins. That confidence goes into the field's provenance, and
    a low one raises a warning on the field.

    The variants go to one Tesseract process as a list of images (its model loads once:
    0.1 s of a 0.12 s reading of a crop, measured), read as one line (``--psm 7``);
    those that give nothing are read again as one word (``--psm 8``).
    """
    from PIL import Image, ImageOps

    variants = [crop]
    factor = 40.0 / (crop.height / 2.0)
    if factor < 0.9:
        variants.append(crop.resize((max(int(crop.width * factor), 1), max(int(crop.height * factor), 1)),
                                    Image.LANCZOS))
    found: dict[int, tuple[str, float]] = {}
    with tempfile.TemporaryDirectory(prefix="vanthu-digits-") as tmp:
        files = []
        for i, image in enumerate(variants):
            files.append(os.path.join(tmp, f"{i}.bmp"))
            uncompressed(ImageOps.expand(image, border=20, fill=255)).save(files[-1])
        for psm in (7, 8):
            todo = [i for i in range(len(variants)) if i not in found]
            if not todo:
                break
            got = _read_listed([files[i] for i in todo], psm, opts, os.path.join(tmp, f"psm{psm}.txt"))
            if got is None:  # Tesseract failed or timed out: what was read so far
                break
            for i, words in zip(todo, got):
                if words:
                    found[i] = ("".join(t for t, _ in words), min(c for _, c in words) / 100.0)
    best = ("", 0.0)
    for i in sorted(found):
        if found[i][1] > best[1]:
            best = found[i]
    return best


def _read_listed(files: list[str], psm: int, opts: OcrOptions, listing: str) -> list[list[tuple[str, float]]] | None:
    """The digit words of each image in ``files``, read by one Tesseract process."""
    pytesseract = _pytesseract(opts)
    Path(listing).write_text("".join(f + "\n" for f in files), encoding="utf-8")
    config = f"--oem 1 --psm {psm} -c tessedit_char_whitelist=0123456789"
    try:
        data = pytesseract.image_to_data(listing, lang=opts.lang, config=config,
                                         output_type=pytesseract.Output.DICT, timeout=min(opts.timeout, 30))
    except (pytesseract.TesseractError, RuntimeError):
        return None
    words: list[list[tuple[str, float]]] = [[] for _ in files]
    for page, text, conf in zip(data["page_num"], data["text"], data["conf"]):
        text = str(text).strip()
        if text and 1 <= int(page) <= len(files):
            words[int(page) - 1].append((text, float(conf)))
    return words


def words_from_data(data: dict, min_conf: float = 0.0, offset: tuple[int, int] = (0, 0),
                    scale: float = 1.0) -> list[Word]:
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
        words.append(Word(text=text, x0=x, y0=y, x1=x + w, y1=y + h, size=float(h),
                          confidence=round(max(conf, 0.0) / 100.0, 3), line=line))
    return words


_ANCHOR = re.compile(r"^(?:S[ốôóo]\W*|ngày|tháng|năm)", re.IGNORECASE)


def _drop_noise(words: list[Word]) -> list[Word]:
    """Remove specks read as punctuation or single letters with very low confidence
    (seal fragments, bleed-through, handwriting strokes)."""
    out = []
    for w in words:
        alnum = sum(ch.isalnum() for ch in w.text)
        if alnum == 0 and w.confidence < 0.5 and (w.text not in {"-", "–", "+"} or w.confidence < 0.3):
            continue
        if w.confidence < 0.2 and len(w.text) <= 2 and not any(ch.isdigit() for ch in w.text):
            continue
        if len(w.text) == 1 and w.text.isalpha() and w.confidence < 0.6:
            continue
        if w.confidence < 0.1 and not _ANCHOR.match(w.text) and not any(ch.isdigit() or ch == "/" for ch in w.text):
            continue  # signature scribbles, seal fragments: Tesseract is guessing
        out.append(w)
    return out


#: a page whose words are under this share of real Vietnamese syllables may be on its
#: side or upside down (fed the wrong way into the scanner); it is read turned too
UPRIGHT_MIN_QUALITY = 0.45


def text_quality(words: list[Word]) -> float:
    """The share of a page's words (two letters or more) that are real syllables: near
    0.9 on a readable page, near 0.1 on a page read upside down or on its side."""
    from vanthu.pipeline.ocr.lexicon import lexicon, syllable_key

    lex = lexicon()
    cores = [re.sub(r"[^\w]|[\d_]", "", w.text).lower() for w in words]
    cores = [c for c in cores if len(c) >= 2]
    if not cores:
        return 0.0
    return sum(lex.known(syllable_key(c)) for c in cores) / len(cores)


def _sideways(words: list[Word]) -> bool:
    """Most words of three letters or more are taller than wide: lines run down the page."""
    long = [w for w in words if len(w.text) >= 3]
    tall = sum((w.y1 - w.y0) > 1.2 * (w.x1 - w.x0) for w in long)
    return len(long) >= 10 and tall > 0.5 * len(long)


def _osd_turn(grey, opts: OcrOptions) -> int | None:
    """The quarter turn (90 or 270 degrees clockwise) Tesseract's orientation detector
    is sure a page needs, else ``None``; it cannot tell upside down from upright here."""
    from PIL import Image

    pytesseract = _pytesseract(opts)
    small = Image.fromarray(grey)
    small = small.resize((max(small.width // 2, 1), max(small.height // 2, 1)))
    try:
        osd = pytesseract.image_to_osd(uncompressed(small), config="--psm 0 -c min_characters_to_try=30",
                                       output_type=pytesseract.Output.DICT, timeout=min(opts.timeout, 30))
    except (pytesseract.TesseractError, RuntimeError):
        return None
    turn = int(osd.get("rotate", 0))
    return turn if turn in (90, 270) and float(osd.get("orientation_conf", 0)) >= 2.0 else None


#: one page is cleaned at a time: cleaning a 300-dpi page briefly takes about 100 MB
#: (colour planes, ink masks, blob labels), and it takes a seventh of Tesseract's time,
#: so the cores lose nothing by the wait. A 12-page scan's worker peaked at 398 MB
#: cleaning pages side by side, at 358 MB one at a time (measured).
_CLEANING = threading.Lock()


def _read_words(image, opts: OcrOptions, path: str | Path, number: int):
    """(cleaned page, corrected words) of one page image; PageTimedOut propagates."""
    from PIL import Image

    from vanthu.pipeline.ocr.clean import content_box, prepare_page

    with _CLEANING:
        prep = prepare_page(image, dpi=opts.dpi)
    del image  # (a PageSource's image is held no longer than this: see PageSource)
    box = content_box(prep.grey) or (0, 0, prep.grey.shape[1], prep.grey.shape[0])
    x0, y0, x1, y1 = box
    crop = prep.grey[y0:y1, x0:x1]
    k = min(opts.read_dpi / opts.dpi, 1.0) if opts.read_dpi else 1.0  # (never enlarged)
    if k < 1.0:
        import cv2

        crop = cv2.resize(crop, None, fx=k, fy=k, interpolation=cv2.INTER_AREA)
        opts = dataclasses.replace(opts, dpi=opts.read_dpi)
    data = _run_tesseract(Image.fromarray(crop), opts, path, number)
    return prep, correct_words(_drop_noise(words_from_data(data, offset=(x0, y0), scale=k)))


def _turned(image, turn: int):
    """A page image (PIL or array) turned ``turn`` degrees clockwise (a multiple of 90)."""
    if hasattr(image, "rotate"):
        return image.rotate(-turn, expand=True)  # PIL turns counter-clockwise
    import numpy as np

    return np.ascontiguousarray(np.rot90(image, k=-(turn // 90)))


def _size(image) -> tuple[int, int]:
    """(width, height) of a page image, PIL or array."""
    return (image.width, image.height) if hasattr(image, "width") else (image.shape[1], image.shape[0])


class PageSource:
    """A page image that is let go once it has been cleaned.

    Tesseract reads a page for a second or more, and every page being read held its
    colour image meanwhile (26 MB at 300 dpi). With ``load``, the image is handed out
    once and dropped; in the rare case the page must be read again turned, ``load``
    brings the same pixels back from the file. Without it the image is kept.
    """

    def __init__(self, image, load=None):
        self._image, self._load = image, load
        self.size = _size(image)

    def take(self):
        image = self._image
        if self._load is not None:
            self._image = None
            if image is None:
                image = self._load()
        return image


def _upright_reading(source: PageSource, opts: OcrOptions, path: str | Path, number: int):
    """Read the page; when its words are mostly no Vietnamese and it has print on it,
    read it turned (a quarter turn the orientation detector is sure of, else upside
    down) and keep the better reading. Returns (prep, words, degrees turned)."""
    prep, words = _read_words(source.take(), opts, path, number)
    quality = text_quality(words)
    if _sideways(words):
        quality = 0.0  # Tesseract reads a page on its side as columns of vertical lines
    if quality >= UPRIGHT_MIN_QUALITY or float((prep.grey < 128).mean()) < 0.004:
        return prep, words, 0  # readable, or a blank page
    turns = [t for t in (_osd_turn(prep.grey, opts),) if t] or [180]
    best = (quality, prep, words, 0)
    for turn in turns:
        turned = _turned(source.take(), turn)
        try:
            p2, w2 = _read_words(turned, opts, path, number)
        except PageTimedOut:
            break
        q2 = 0.0 if _sideways(w2) else text_quality(w2)
        if q2 > best[0] + 0.2:
            best = (q2, p2, w2, turn)
    _, prep, words, turn = best
    return prep, words, turn


def _reread_signer_zone(grey, words: list[Word], opts: OcrOptions, path: str | Path, number: int):
    """The signer block beside "Nơi nhận" read again on its own when the page reading
    left it (nearly) empty: a black seal and a signature over the title and the name
    make Tesseract's layout analysis take the whole block for a picture. Read as one
    block of text (``--psm 6``), the title and the name come out. Returns (words, reread)."""
    from PIL import Image

    from vanthu.pipeline.rules.loader import patterns

    height, width = grey.shape[:2]
    rows: dict[int, list[Word]] = {}
    for w in words:
        if w.line is not None:
            rows.setdefault(w.line, []).append(w)
    label = next((r for r in rows.values()
                  if r[0].x0 < 0.4 * width and patterns().distribution_label.match(" ".join(w.text for w in r))), None)
    if label is None:
        return words, False
    line_h = max(w.y1 - w.y0 for w in label)
    top = int(max(0, label[0].y0 - line_h))
    bottom = int(min(height, label[0].y0 + 0.22 * height))
    left = int(0.45 * width)
    # (a line of the distribution list that runs past the middle is no part of the block)
    spill = {ln for ln, r in rows.items() if min(w.x0 for w in r) < left}

    def in_zone(w: Word) -> bool:
        return w.x0 >= left and top <= w.y0 <= bottom and w.line not in spill

    def readable(ws: list[Word]) -> int:
        return sum(w.confidence >= 0.6 and len(w.text) >= 2 for w in ws)

    zone = [w for w in words if in_zone(w)]
    if readable(zone) >= 4 or bottom - top < 4 * line_h:
        return words, False  # the block was read (or there is no room for one)
    try:
        data = _run_tesseract(Image.fromarray(grey[top:bottom, left:width]), dataclasses.replace(opts, psm=6),
                              path, number)
    except PageTimedOut:
        return words, False
    first = 1 + max((w.line for w in words if w.line is not None), default=-1)
    found = [w.model_copy(update={"line": first + (w.line or 0)})
             for w in words_from_data(data, offset=(left, top))]
    found = correct_words(_drop_noise(found))
    if readable(found) <= readable(zone):
        return words, False
    kept = [w for w in words if not in_zone(w)]
    # the new reading's own copy of a spilling distribution line is dropped
    found = [w for w in found if not any(k.x0 - 5 <= w.x0 <= k.x1 + 5 and abs(k.y0 - w.y0) < line_h / 2
                                         for k in kept if k.line in spill)]
    return kept + found, True


def recognise_page(number: int, image, opts: OcrOptions, path: str | Path) -> PageText:
    """Clean one page image (or a ``PageSource``) and read its words."""
    from PIL import Image

    source = image if isinstance(image, PageSource) else PageSource(image)
    del image
    try:
        prep, words, turn = _upright_reading(source, opts, path, number)
    except PageTimedOut:
        width, height = source.size
        return PageText(number=number, width=float(width), height=float(height),
                        unit="px", source="ocr",
                        warnings=(f"page {number}: OCR timed out after {opts.timeout:g} s; page skipped",))
    warnings = [f"page {number}: {n}" for n in prep.notes if n.startswith("perspective")]
    if turn:
        warnings.append(f"page {number}: turned {turn}° clockwise to read it (scanned "
                        + ("upside down)" if turn == 180 else "on its side)"))
    words, reread = _reread_signer_zone(prep.grey, words, opts, path, number)
    if reread:
        warnings.append(f"page {number}: signer block read again on its own (seal or signature over it)")
    if number == 1 and words:
        from vanthu.pipeline.ocr.handwriting import fill_handwritten

        page_img = Image.fromarray(prep.detail if prep.detail is not None else prep.grey)
        words, notes = fill_handwritten(words, page_img, lambda crop, kind: read_digits(crop, opts, path),
                                        page_height=float(prep.grey.shape[0]),
                                        pen=Image.fromarray(prep.pen) if prep.pen is not None else None)
        warnings += [f"page {number}: {n}" for n in notes]
    if not words:
        warnings.append(f"page {number}: blank (no text recognised)")
    width, height = float(prep.grey.shape[1]), float(prep.grey.shape[0])
    if prep.scale != 1.0:  # boxes in pixels of the image as given, not of its enlargement
        k = 1.0 / prep.scale
        words = [w.model_copy(update={"x0": w.x0 * k, "y0": w.y0 * k, "x1": w.x1 * k, "y1": w.y1 * k,
                                      "size": w.size * k}) for w in words]
        width, height = width * k, height * k
    return PageText(number=number, width=width, height=height,
                    unit="px", source="ocr", words=tuple(words), warnings=tuple(warnings))


def ocr_pages(inp: InputFile, pages: list[int] | None = None, opts: OcrOptions | None = None) -> list[PageText]:
    """OCR the given 1-based pages (all when None) of a PDF or image file."""
    from vanthu.pipeline.ocr.raster import page_images

    opts = opts or OcrOptions()
    check_engine(opts, inp.path)
    workers = max(1, opts.workers)
    opts = dataclasses.replace(opts, gate=threading.BoundedSemaphore(workers))
    results: dict[int, PageText] = {}
    # Rendering stays in this thread (pdfium is not thread-safe); recognition runs in the
    # pool while the next page renders. A page is rendered only when a thread is free to
    # take it: rendering every page ahead held all of a 12-page scan's images at once
    # (730 MB); a page's colour image is let go once it is cleaned (PageSource).
    free = threading.BoundedSemaphore(workers + 1)
    pdfium = threading.Lock()  # pdfium is not thread-safe: one page is rendered at a time

    def load(n: int):
        with pdfium:
            return next(img for _, img in page_images(inp.path, inp.media_type, dpi=opts.dpi,
                                                      pages=[n], arrays=True))

    def read(n: int, source: PageSource) -> PageText:
        try:
            return recognise_page(n, source, opts, inp.path)
        finally:
            free.release()

    with ThreadPoolExecutor(max_workers=workers + 1) as pool:
        futures = {}
        rendered = page_images(inp.path, inp.media_type, dpi=opts.dpi, pages=pages, arrays=True)
        try:
            while True:
                free.acquire()
                with pdfium:
                    page = next(rendered, None)
                if page is None:
                    free.release()
                    break
                n = page[0]
                source = PageSource(page[1], load=lambda n=n: load(n))
                del page
                futures[n] = pool.submit(read, n, source)
                del source
        except BaseException:
            for fut in futures.values():  # (a page that cannot be rendered ends the document)
                fut.cancel()
            raise
        finally:
            rendered.close()
        for n, fut in futures.items():
            results[n] = fut.result()
    out = [results[n] for n in sorted(results)]
    if out and all(any("timed out" in w for w in p.warnings) for p in out):
        raise TimedOut(inp.path, f"OCR timed out on every page (limit {opts.timeout:g} s per page)",
                       hint="raise VANTHU_OCR_TIMEOUT or check the scan")
    return out
