"""Imported once by the isolation forkserver when a batch holds scans (see
``vanthu.pipeline.isolate``): the syllable lexicon (half a second to build from
underthesea's word list and text sample) and the OCR fixes are loaded once and
inherited by every document's worker, instead of once per document.

A failure here only costs speed: the worker loads what it needs itself.
"""

from __future__ import annotations


def warm() -> None:
    # (not OpenCV: its thread pool does not survive the fork, and the workers crawled)
    from vanthu.pipeline.lexicon import lexicon
    from vanthu.pipeline.ocrfix import fixes

    lexicon()
    fixes()


try:
    warm()
except Exception:  # noqa: BLE001 - the forkserver must start whatever happens here
    pass
