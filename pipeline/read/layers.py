"""Text layers judged before they are trusted (``read.language``): a page whose layer is
not Vietnamese as printed is handed to OCR, its reason kept on the page
(``PageText.reason``, the record's ``source.text_source_reason``) with a warning. Only a
borderline layer costs a quick OCR of a strip of its page (``ocr.strip``)."""

from __future__ import annotations

import logging

from vanthu.models.document import InputFile, PageText
from vanthu.pipeline import warnings as say
from vanthu.pipeline.read import language
from vanthu.pipeline.settings import Settings

log = logging.getLogger(__name__)


def judge_layers(inp: InputFile, pages: list[PageText], settings: Settings) -> list[PageText]:
    """The pages, those whose text layer is refused turned into pages left for OCR."""
    return [_judged(inp, p, settings) if p.source == "text-layer" and p.words else p for p in pages]


def _judged(inp: InputFile, page: PageText, settings: Settings) -> PageText:
    why = language.verdict(page.words, settings.cache_dir)
    if why == language.CHECK:
        why = _strip_check(inp, page, settings)
    if why == language.OK:
        return page
    log.debug("%s: page %d text layer refused (%s)", inp.name, page.number, why)
    return page.model_copy(
        update={
            "source": "ocr",
            "words": (),
            "reason": why,
            "warnings": page.warnings + (say.page_layer_refused(page.number, why),),
        }
    )


def _strip_check(inp: InputFile, page: PageText, settings: Settings) -> str:
    """OK when a strip of the page, OCR'd, agrees with the layer there."""
    from vanthu.pipeline.errors import OcrEngineError
    from vanthu.pipeline.ocr.options import OcrOptions
    from vanthu.pipeline.ocr.strip import strip_reading

    try:
        layer, ocr = strip_reading(inp.path, page, OcrOptions.from_settings(settings.ocr, settings.cache_dir))
    except OcrEngineError:  # no engine to check with: the layer is all there is
        return language.OK
    a, b = language.syllables(layer), language.syllables(ocr)
    if len(a) < language.MIN_SYLLABLES_JUDGED // 2:
        return language.OK  # too little of the layer in the strip to judge: it is kept
    agree = language.agreement(a, b)
    log.debug("%s: page %d layer/strip agreement %.2f", inp.name, page.number, agree)
    return language.OK if agree >= language.DEFAULT_MIN_AGREEMENT else language.DISAGREES
