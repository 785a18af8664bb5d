"""The process-wide state of a process that reads letters, set explicitly, once per
process, by :func:`setup_process`: nothing of it is set when a module is imported.

Called by the isolation forkserver's preload (``run.preload``), by every isolated
worker (its own document's limits) and by the in-process path (``--no-isolation``).
"""

from __future__ import annotations

from vanthu.pipeline.settings import Settings


def setup_process(settings: Settings, *, warm: bool = True) -> None:
    """Install the page-size and pixel limits (``ocr.raster``: Pillow's decompression-bomb
    limit included); with ``warm``, also the Tesseract environment hook and the rules,
    loaded now rather than on the first letter. A worker forked from a warm forkserver
    inherits those; it only installs its own document's limits (``warm=False``)."""
    from vanthu.pipeline.i18n import set_language
    from vanthu.pipeline.ocr.raster import set_page_limits

    set_language(settings.lang)
    set_page_limits(settings.limits)
    if warm:
        from vanthu.pipeline.ocr.tesseract import install_tesseract_environ
        from vanthu.pipeline.rules.loader import rules

        install_tesseract_environ(settings.ocr)
        rules()
