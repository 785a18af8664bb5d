"""Imported once by the isolation forkserver (``vanthu.pipeline.run.isolate``): sets the
process up (``run.setup.setup_process``), then loads and warms the pipeline so that
every document's worker, forked from that server, starts with pdfium, spaCy,
underthesea and the OCR syllable lexicon already in memory (copy-on-write). pdfplumber
(the second PDF reader) and OpenCV load in a worker on first need (OpenCV starts
threads, and a forkserver must have none), and so does the handwritten-digit reader
(``ocr.digits.rapid_session``: onnxruntime starts a thread when imported; once per
worker, about 0.3 s, and only for a scan). pyHanko is loaded here (no thread; most
letters arrive signed, and each worker would otherwise import it, about 0.5 s).

What was loaded is then moved out of the garbage collector's sight (``freeze``): a
worker's collections no longer walk the ~120,000 objects of the models and rules, nor
copy the pages that hold them (a collection writes to every object it visits, and each
write copies a shared page). Measured on three real scans, each read in a process forked
after the warm-up: 1.27 → 1.03 CPU-s of a letter's own work outside Tesseract; end to
end (4 real letters, 6 alternating runs of ``vanthu extract``) the gain was within the
runs' spread (±1.5 of 28 CPU-s). The records are the same.

A failure here only costs speed: the worker imports what it needs itself.
"""

from __future__ import annotations


def warm() -> None:
    import PIL.Image  # noqa: F401
    import pypdfium2  # noqa: F401

    from vanthu.pipeline import extract  # noqa: F401
    from vanthu.pipeline.fields.nlp import _nlp, pos_tags
    from vanthu.pipeline.ocr.lexicon import lexicon
    from vanthu.pipeline.read.signatures import load_pyhanko
    from vanthu.pipeline.run.setup import setup_process
    from vanthu.pipeline.settings import load_settings

    # the caller's settings (the forkserver inherits its environment); every worker
    # still installs its own document's limits
    settings = load_settings()
    setup_process(settings)
    _nlp()("Ủy ban nhân dân tỉnh")
    pos_tags("Ủy ban nhân dân tỉnh Lạng Sơn")
    pos_tags.cache_clear()
    # once per batch instead of once per scanned document (0.02 s from its cache in
    # ~/.cache/vanthu, 0.7 s when it is built)
    lexicon(settings.cache_dir)
    load_pyhanko()


def freeze() -> None:
    """Every object alive now into the collector's permanent generation, after one last
    collection (what is garbage now would otherwise be kept for good)."""
    import gc

    gc.collect()
    gc.freeze()


try:
    warm()
except Exception:  # noqa: BLE001 - the forkserver must start whatever happens here
    pass
freeze()
