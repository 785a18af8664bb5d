"""Cues shared by the layout and the field readers: the one grammar of item markers and
bullets, the urgency and secrecy marks, and the shape of a person's name."""

from __future__ import annotations

import re

from vanthu.models.document import Line
from vanthu.pipeline.rules.loader import rules
from vanthu.pipeline.text.normalize import fold

ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "XIII", "XIV", "XV"]
ITEM_MARKER = re.compile(
    r"^\s*(?:(?P<dieu>Điều\s+(?P<dn>\d{1,3}))\s*[.:]?"
    r"|(?P<roman>[IVX]{1,4})\s*[./]"
    r"|(?P<sub>\d{1,2}(?:\.\d{1,2})+)\.?"
    r"|(?P<num>\d{1,2})\s*[.)](?!\d)"
    r"|(?P<letter>[a-zđ])\s*\)"
    r"|(?P<dash>[-–—+•]))\s*(?=\S)",
)
BULLET = re.compile(r"^\s*[-–—+•]\s*")
ITEM_LEVELS = ("dieu", "roman", "num", "sub", "letter", "dash")

PERSON_NAME = re.compile(r"^[A-ZĐÂĂÊÔƠƯÁÀẢÃẠẤẦẨẪẬẮẰẲẴẶÉÈẺẼẸẾỀỂỄỆÍÌỈĨỊÓÒỎÕỌỐỒỔỖỘỚỜỞỠỢÚÙỦŨỤỨỪỬỮỰÝỲỶỸỴ][\wÀ-ỹ]*(?:\s+[A-ZĐÂĂÊÔƠƯÁÀẢÃẠẤẦẨẪẬẮẰẲẴẶÉÈẺẼẸẾỀỂỄỆÍÌỈĨỊÓÒỎÕỌỐỒỔỖỘỚỜỞỠỢÚÙỦŨỤỨỪỬỮỰÝỲỶỸỴ][\wÀ-ỹ]*){1,5}$")


def _mark_of(text: str) -> tuple[str, str] | None:
    r = rules()
    key = fold(text).strip(" .:-")
    for kind, table in (("urgency", r.urgency), ("confidentiality", r.confidentiality)):
        for value, printed in table.items():
            if any(fold(p) == key for p in printed):
                return kind, value
    return None


def is_mark(line: Line) -> bool:
    return _mark_of(line.text) is not None


def mark_of(line: Line) -> tuple[str, str] | None:
    return _mark_of(line.text)
