"""Stage 2's entry point: an identified input to positioned words per page.

Importing this module registers every reader of the installation (the PDF text layers,
plain text, the OCR bridge); ``read_pages`` hands the input to the one registered for
its media type (``read.registry``).
"""

from __future__ import annotations

from vanthu.models.document import InputFile, PageText
from vanthu.pipeline.errors import UnsupportedFormat
from vanthu.pipeline.i18n import _
from vanthu.pipeline.read import ocr_bridge, pdf, plain  # noqa: F401 - each registers its readers
from vanthu.pipeline.read.registry import READERS
from vanthu.pipeline.settings import Settings


def read_pages(inp: InputFile, settings: Settings) -> list[PageText]:
    reader = READERS.get(inp.media_type)
    if reader is None:
        raise UnsupportedFormat(
            inp.path, _("no reader for {media_type} in this installation").format(media_type=inp.media_type)
        )
    return reader(inp, settings)
