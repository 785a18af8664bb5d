"""OCR reader: page images → positioned words, through Tesseract (pytesseract, ``vie``).

Behind the OCR reader that ``read.ocr_bridge`` registers for images (PNG/JPEG/TIFF) and
as ``READERS["ocr"]`` for PDF pages whose text layer is missing or garbage, so scanned
pages reach the parsers as the same ``PageText`` a text layer gives (boxes in pixels of
the cleaned page image).

This module composes the steps: pages are rendered in this process (pdfium is not
thread-safe) and recognised in parallel, one Tesseract process per page (the cost:
see ``tesseract``), ``workers`` at a time (default: the number of cores). Each page is
cleaned and read (``reading``), turned when it was scanned the wrong way
(``orientation``), its signer block and handwritten slots read again (``zones``,
``handwriting``).

Configuration: :class:`~vanthu.pipeline.ocr.options.OcrOptions`, built from the
program's settings (``OcrOptions.from_settings(settings.ocr, settings.cache_dir)``;
``VANTHU_OCR_DPI``, ``VANTHU_OCR_READ_DPI``, ``VANTHU_OCR_TIMEOUT``,
``VANTHU_OCR_WORKERS``, ``VANTHU_TESSERACT_CMD``, ``VANTHU_TESSERACT_PRELOAD``).
"""

from __future__ import annotations

import dataclasses
import threading
import time
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import TimeoutError as FuturesTimeout
from pathlib import Path

from vanthu.models.document import InputFile, PageText
from vanthu.pipeline import warnings as say
from vanthu.pipeline.errors import TimedOut
from vanthu.pipeline.i18n import _
from vanthu.pipeline.ocr.budget import clock, hurried
from vanthu.pipeline.ocr.digits import DIGIT_FLOORS
from vanthu.pipeline.ocr.lexicon import lexicon
from vanthu.pipeline.ocr.options import OcrOptions
from vanthu.pipeline.ocr.orientation import upright_reading
from vanthu.pipeline.ocr.reading import PageSource
from vanthu.pipeline.ocr.tesseract import PageTimedOut, check_engine
from vanthu.pipeline.ocr.urgency import red_marks
from vanthu.pipeline.ocr.zones import reread_signer_zone


def _numbered(new: list, words: list) -> list:
    """``new`` words, each on an OCR line of its own after those of ``words``."""
    first = max((w.line or 0 for w in words), default=0) + 1
    return [w.model_copy(update={"line": first + i}) for i, w in enumerate(new)]


def recognise_page(number: int, image, opts: OcrOptions, path: str | Path) -> PageText:
    """Clean one page image (or a ``PageSource``) and read its words."""
    source = image if isinstance(image, PageSource) else PageSource(image)
    del image
    try:
        prep, words, turn = upright_reading(source, opts, path, number)
    except PageTimedOut:
        size_w, size_h = source.size
        return PageText(
            number=number,
            width=float(size_w),
            height=float(size_h),
            unit="px",
            source="ocr",
            warnings=(say.page_ocr_timed_out(number, opts.timeout),),
        )
    warnings = [say.page_perspective_corrected(number) for n in prep.notes if n.startswith("perspective")]
    if turn:
        warnings.append(say.page_turned(number, turn))
    if number == 1 and prep.red is not None:  # a red urgency stamp (not optional: a field)
        words = words + _numbered(red_marks(prep.red, opts, path, number), words)
    if hurried():  # near the document's deadline: the optional re-reads are dropped
        warnings.append(say.page_rereads_dropped(number))
        return _page(number, prep, words, warnings, turn)
    words, reread = reread_signer_zone(prep.grey, words, opts, path, number)
    if reread:
        warnings.append(say.page_signer_reread(number))
    stamp: tuple[str, ...] = ()
    if number == 1 and words:
        words, notes, stamp = _page_one(prep, words, opts, path)
        warnings += notes
    return _page(number, prep, words, warnings, turn, stamp)


def _page(number: int, prep, words: list, warnings: list[str], turn: int, stamp: tuple[str, ...] = ()) -> PageText:
    if not words:
        warnings.append(say.page_blank(number))
    width, height = float(prep.grey.shape[1]), float(prep.grey.shape[0])
    if prep.scale != 1.0:  # boxes in pixels of the image as given, not of its enlargement
        k = 1.0 / prep.scale
        words = [
            w.model_copy(update={"x0": w.x0 * k, "y0": w.y0 * k, "x1": w.x1 * k, "y1": w.y1 * k, "size": w.size * k})
            for w in words
        ]
        width, height = width * k, height * k
    return PageText(
        number=number,
        width=width,
        height=height,
        unit="px",
        source="ocr",
        words=tuple(words),
        warnings=tuple(warnings),
        turn=turn,
        stamp=stamp,
    )


def _page_one(prep, words, opts: OcrOptions, path: str | Path):
    """Page 1's handwritten slots read again, and its receipt stamp: (words, warnings, stamp lines)."""
    from PIL import Image

    from vanthu.pipeline.ocr.digits import digit_reader, reader_name
    from vanthu.pipeline.ocr.handwriting import fill_handwritten

    page_img = Image.fromarray(prep.detail if prep.detail is not None else prep.grey)
    name = reader_name(opts.digit_reader)
    read = digit_reader(name, opts, path)
    words, notes = fill_handwritten(
        words,
        page_img,
        read,
        page_height=float(prep.grey.shape[0]),
        pen=Image.fromarray(prep.pen) if prep.pen is not None else None,
        floor=DIGIT_FLOORS[name],
        lines=name == "rapidocr",
    )
    return words, notes, page_stamp(prep, words, page_img, read, opts, path)


def page_stamp(prep, words, page_img, read, opts: OcrOptions, path: str | Path) -> tuple[str, ...]:
    """The receipt stamp of page 1: its coloured ink kept aside by the cleaning, else a
    black stamp around the word "ĐẾN" of the page reading (``ocr.stamp``)."""
    from PIL import Image

    from vanthu.pipeline.ocr.stamp import black_stamp_box, read_stamp

    if prep.stamp is not None:
        ink = Image.fromarray(prep.stamp)
        return read_stamp(ink, (0, 0, ink.width, ink.height), read, opts, path)
    box = black_stamp_box(words, float(page_img.width), float(page_img.height))
    return read_stamp(page_img, box, read, opts, path) if box else ()


def ocr_pages(inp: InputFile, pages: list[int] | None = None, opts: OcrOptions | None = None) -> list[PageText]:
    """OCR the given 1-based pages (all when None) of a PDF or image file."""
    from vanthu.pipeline.ocr.raster import page_images

    opts = opts or OcrOptions()
    check_engine(opts, inp.path)
    lexicon(opts.cache_dir)  # (loaded once, before the threads that use it)
    workers = max(1, opts.workers)
    opts = dataclasses.replace(opts, gate=threading.BoundedSemaphore(workers))
    # Rendering stays in this thread (pdfium is not thread-safe); recognition runs in the
    # pool while the next page renders. A page is rendered only when a thread is free to
    # take it: rendering every page ahead held all of a 12-page scan's images at once
    # (730 MB); a page's colour image is let go once it is cleaned (PageSource).
    free = threading.BoundedSemaphore(workers + 1)
    pdfium = threading.Lock()  # pdfium is not thread-safe: one page is rendered at a time

    def load(n: int):
        with pdfium:
            return next(img for _, img in page_images(inp.path, inp.media_type, dpi=opts.dpi, pages=[n], arrays=True))

    def read(n: int, source: PageSource) -> PageText:
        try:
            return recognise_page(n, source, opts, inp.path)
        finally:
            free.release()
            if (c := clock()) is not None:
                c.page_done()

    pool = ThreadPoolExecutor(max_workers=workers + 1)
    futures = {}
    rendered = page_images(inp.path, inp.media_type, dpi=opts.dpi, pages=pages, arrays=True)
    try:
        try:
            while _acquire(free):
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
        results = _results(futures, pages)
    finally:
        pool.shutdown(wait=not any(f.running() for f in futures.values()), cancel_futures=True)
    return _not_all_skipped(inp, [results[n] for n in sorted(results)], opts)


def _not_all_skipped(inp: InputFile, out: list[PageText], opts: OcrOptions) -> list[PageText]:
    if out and all(any(say.is_page_skipped(w) for w in p.warnings) for p in out):
        c = clock()
        if c is not None and time.monotonic() >= c.stop_at():  # the document's time ran out, not a page's
            allowed = c.budget()
            pages = _(" for {pages} pages").format(pages=len(out)) if len(out) > 1 else ""
            raise TimedOut(
                inp.path,
                _("reading took longer than {allowed:g} s{pages} and was stopped").format(
                    allowed=round(allowed), pages=pages
                ),
                hint=_("raise the limit with --timeout (or VANTHU_TIMEOUT) if the file is just long"),
            )
        raise TimedOut(
            inp.path,
            _("OCR timed out on every page (limit {seconds:g} s per page)").format(seconds=opts.timeout),
            hint=_("raise VANTHU_OCR_TIMEOUT or check the scan"),
        )
    return out


def _acquire(free: threading.BoundedSemaphore) -> bool:
    """A free reading thread, unless the document's time is up first (``budget``)."""
    c = clock()
    if c is None:
        return free.acquire()
    while time.monotonic() < c.stop_at():
        if free.acquire(timeout=1.0):
            return True
    return False


def _results(futures: dict[int, Future], pages: list[int] | None) -> dict[int, PageText]:
    """Each page read; near the end of the document's budget the pages not read by then
    are given up (a warning names each), so the pages read still make a record."""
    c = clock()
    results: dict[int, PageText] = {}
    for n, fut in futures.items():
        try:
            results[n] = fut.result(timeout=None if c is None else max(0.0, c.stop_at() - time.monotonic()))
        except FuturesTimeout:  # (the pages done by then are still taken)
            continue
    if c is not None:  # (without a clock every page was waited for)
        for n in pages or range(1, max(c.pages, *futures, 0) + 1):
            if n not in results:
                results[n] = PageText(number=n, source="ocr", warnings=(say.page_out_of_time(n, c.budget()),))
    return results
