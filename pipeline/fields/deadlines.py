"""Stage 5b: an assignment's deadline: a date ("trước ngày 30/9/2024", "xong trước
15/11"), a month or quarter ("trong quý IV/2024"), or a period ("định kỳ hằng quý")."""

from __future__ import annotations

import re

from vanthu.pipeline.fields.dates import find_date, iso
from vanthu.pipeline.rules.loader import patterns
from vanthu.pipeline.text.normalize import collapse

_SHORT_NO_YEAR = re.compile(r"^(?P<d>\d{1,2})\s*/\s*(?P<m>\d{1,2})(?![/\d])")


def find_deadline(text: str, letter_date: str | None) -> tuple[str | None, str | None]:
    """(ISO date or None, the printed phrase) of the first deadline in ``text``."""
    p = patterns()
    for m in p.deadline_before.finditer(text):
        after = text[m.end() :]
        after_day = re.sub(r"^ngày\s+", "", after, flags=re.IGNORECASE)
        window = text[m.start() : m.end() + 40]
        value, phrase, ds, de = find_date(window)
        if value and ds <= (m.end() - m.start()) + 6:
            return value, collapse(window[:de])
        sm = _SHORT_NO_YEAR.match(after_day)
        if sm and letter_date:
            year = int(letter_date[:4])
            value = iso(int(sm.group("d")), int(sm.group("m")), year)
            if value and value < letter_date:
                value = iso(int(sm.group("d")), int(sm.group("m")), year + 1)
            if value:
                cut = len(after) - len(after_day) + sm.end()
                return value, collapse(text[m.start() : m.end() + cut])
    mo = p.deadline_month.search(text)
    if mo:  # a month or quarter, no day: printed, but no exact date (as the answer keys do)
        return None, collapse(mo.group("phrase"))
    r = p.recurring.search(text)
    if r:
        return None, r.group("phrase")
    return None, None
