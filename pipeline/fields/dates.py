"""Dates as printed in letters -> ISO ``YYYY-MM-DD``."""

from __future__ import annotations

import datetime as dt
import re

from vanthu.pipeline.rules.loader import patterns


def iso(day: int, month: int, year: int) -> str | None:
    if year < 100:
        year += 2000 if year < 70 else 1900
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        return None


def find_date(text: str) -> tuple[str | None, str | None, int, int]:
    """The first full date in ``text``: (iso, printed phrase, start, end); (None, None, -1, -1) if none."""
    p = patterns()
    best = None
    for rx in (p.date_long, p.date_short):
        m = rx.search(text)
        if m and (best is None or m.start() < best.start()):
            best = m
    if best is None:
        return None, None, -1, -1
    y = best.group("y")
    if len(y) == 2 and best.re is p.date_long:
        return None, best.group(0), best.start(), best.end()
    return iso(int(best.group("d")), int(best.group("m")), int(y)), best.group(0), best.start(), best.end()


_DAY_BLANK = re.compile(r"ngày\s*[.…_ ]*\s*tháng\s+(?P<m>\d{1,2})\s+năm\s+(?P<y>\d{4})", re.IGNORECASE)


def parse_date_phrase(text: str) -> tuple[str | None, str | None]:
    """The issue date of a place/date line: (iso or None, printed phrase)."""
    value, phrase, _, _ = find_date(text)
    if phrase:
        return value, phrase
    m = _DAY_BLANK.search(text)
    if m:  # the day left blank for hand filling: no full date
        return None, re.sub(r"\s+", " ", m.group(0)).strip()
    m = re.search(r"ngày.*$", text, re.IGNORECASE)
    return None, (m.group(0).strip() if m else None)
