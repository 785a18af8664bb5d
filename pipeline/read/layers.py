"""The check of a borderline text layer over a scan (``read.language``, marked by
``read.quality``): a quick OCR of a strip of its page (``ocr.strip``); a layer that
disagrees is handed to OCR, its reason kept on the page (``PageText.reason``, the
record's ``source.text_source_reason``) with a warning."""

from __future__ import annotations

import logging

from vanthu.models.document import InputFile, PageText
from vanthu.pipeline import warnings as say
from vanthu.pipeline.read import language
from vanthu.pipeline.settings import Settings

log = logging.getLogger(__name__)


def judge_layers(inp: InputFile, pages: list[PageText], settings: Settings, can_ocr: bool) -> list[PageText]:
    """The pages, those whose borderline layer (``reason="check"``, ``read.quality``)
    disagrees with the scan turned into pages left for OCR. Without OCR a doubtful layer
    is all there is: it is kept."""
    return [_judged(inp, p, settings, can_ocr) if p.reason == language.CHECK else p for p in pages]


def _judged(inp: InputFile, page: PageText, settings: Settings, can_ocr: bool) -> PageText:
    why = _strip_check(inp, page, settings) if can_ocr else language.OK
    if why == language.OK:
        return page.model_copy(update={"reason": None})
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
