"""The plain-text reader: a ``.txt`` or Markdown letter is one page of lines."""

from __future__ import annotations

import re
from pathlib import Path

from vanthu.models.document import InputFile, PageText
from vanthu.pipeline.errors import NoTextFound, UnsupportedFormat
from vanthu.pipeline.i18n import _
from vanthu.pipeline.read.registry import register
from vanthu.pipeline.settings import Settings
from vanthu.pipeline.text.normalize import nfc

_MD_MARKUP = re.compile(r"(\*\*|__|(?<!\w)\*(?!\s)|(?<!\s)\*(?!\w)|^#+\s*|^>\s*)")


@register("text/plain")
@register("text/markdown")
def read_plain_text(inp: InputFile, settings: Settings) -> list[PageText]:
    raw = Path(inp.path).read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise UnsupportedFormat(inp.path, _("text file is not UTF-8"), hint=_("save it as UTF-8")) from None
    lines = []
    for line in nfc(text).splitlines():
        line = _MD_MARKUP.sub("", line.rstrip())
        line = line.replace("*", "") if inp.media_type == "text/markdown" else line
        lines.append(line.strip())
    if not any(lines):
        raise NoTextFound(inp.path, _("the text file holds only whitespace"))
    return [PageText(number=1, source="plain-text", plain_lines=tuple(lines))]
