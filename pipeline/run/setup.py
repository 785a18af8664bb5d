"""The process-wide state of a process that reads letters, set explicitly, once per
process, by :func:`setup_process`: nothing of it is set when a module is imported.

Called by the isolation forkserver's preload (``run.preload``), by every isolated
worker (its own document's limits) and by the in-process path (``--no-isolation``).
"""

from __future__ import annotations

from vanthu.pipeline.settings import LimitSettings, OcrSettings, Settings

POINTS_PER_INCH = 72


def setup_process(settings: Settings, *, warm: bool = True) -> None:
    """Install the page-size and pixel limits (``ocr.raster``: Pillow's decompression-bomb
    limit included); with ``warm``, also the Tesseract environment hook and the rules,
    loaded now rather than on the first letter. A worker forked from a warm forkserver
    inherits those; it only installs its own document's limits (``warm=False``)."""
    install_limits(settings.limits)
    if warm:
        _install_tesseract_environ(settings.ocr)
        from vanthu.pipeline.rules.loader import rules

        rules()


def install_limits(limits: LimitSettings) -> None:
    """The limits that stay process globals of the rasteriser: the largest page it
    renders and the most pixels an image may have. (Pages per document and bytes per
    file are passed down with the settings.)"""
    from vanthu.pipeline.ocr import raster

    raster.MAX_PAGE_PT = limits.max_page_inches * POINTS_PER_INCH
    raster.set_pixel_limit(limits.max_pixels)


def _install_tesseract_environ(ocr: OcrSettings) -> None:
    """pytesseract's environment for Tesseract (pngstore preloaded), installed now."""
    try:  # TODO(h1 merge): ocr/tesseract.py comes with the OCR split; drop this guard then
        from vanthu.pipeline.ocr.tesseract import install_tesseract_environ
    except ImportError:
        return
    install_tesseract_environ(ocr)
