"""Dates as printed in letters -> ISO ``YYYY-MM-DD``."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence

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


#: the issue date with its "tháng" garbled by a scan into another short word
_MONTH_WORD_GARBLED = re.compile(
    r"ngày\s+(?P<d>\d{1,2})\s+[^\W\d_]{2,6}\s+(?P<m>\d{1,2})\s+năm\s+(?P<y>\d{4})", re.IGNORECASE
)
_DAY_BLANK = re.compile(r"ngày\s*[.…_ ]*\s*tháng\s+(?P<m>\d{1,2})\s+năm\s+(?P<y>\d{4})", re.IGNORECASE)


def parse_date_phrase(text: str) -> tuple[str | None, str | None]:
    """The issue date of a place/date line: (iso or None, printed phrase)."""
    value, phrase, _, _ = find_date(text)
    if phrase:
        return value, phrase
    m = _MONTH_WORD_GARBLED.search(text)
    if m:  # "ngày 01 lung 12 năm 2025": the scan garbled "tháng", the numbers stand
        return iso(int(m.group("d")), int(m.group("m")), int(m.group("y"))), re.sub(r"\s+", " ", m.group(0))
    m = _DAY_BLANK.search(text)
    if m:  # the day left blank for hand filling: no full date
        return None, re.sub(r"\s+", " ", m.group(0)).strip()
    m = re.search(r"ngày.*$", text, re.IGNORECASE)
    return None, (m.group(0).strip() if m else None)


def impossible_date(text: str) -> str | None:
    """The first date of ``text`` printed in full but naming no real day ("42/02/2018",
    "31/02/2024", "ngày 5 tháng 13 năm 2024"), as printed; None when it names a real day
    or there is none. (A long date with a two-digit year is incomplete, not impossible.)"""
    value, phrase, _, _ = find_date(text)
    if phrase is None or value is not None:
        return None
    p = patterns()
    m = p.date_long.search(phrase) or p.date_short.search(phrase)
    if m is None or (len(m.group("y")) == 2 and m.re is p.date_long):
        return None
    return phrase


_MONTH_YEAR = re.compile(r"tháng\s*(?P<m>\d{1,2})\s*,?\s*năm\s*(?P<y>\d{4})", re.IGNORECASE)


def witnessed_date(date_text: str | None, signed_at: Sequence[str | None]) -> str | None:
    """The letter's date from the first of ``signed_at`` (ISO signing times, Vietnam time;
    the caller passes the signer's own, ``read/signatures.personal_signing_times``), only
    when the printed phrase gives the month and the year but no readable day, and that
    signature was made in that month of that year; else None."""
    m = _MONTH_YEAR.search(date_text or "")
    times = sorted(t for t in signed_at if t)
    if m is None or not times or not re.match(r"^\d{4}-\d{2}-\d{2}", times[0]):
        return None
    year, month, day = (int(x) for x in times[0][:10].split("-"))
    if (year, month) != (int(m.group("y")), int(m.group("m"))):
        return None
    return iso(day, month, year)
