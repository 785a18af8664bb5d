"""Stage 5b: an assignment's deadline: a date ("trước ngày 30/9/2024", "xong trước
15/11"), a month, quarter or year ("trong quý IV/2024", "trong năm 2025"), or a period
("định kỳ hằng quý", "trước ngày 25 hằng tháng").

Two readings of one phrase: ``deadline`` is a printed day only (the contract's field);
``due`` is the date by which the work is due, with its kind:

* ``"day"``: the printed day;
* ``"end_of_period"``: the last day of a printed month, quarter or year ("trong tháng 12
  năm 2025" → 2025-12-31; without a year, the letter's);
* ``"recurring"``: the next occurrence after the letter's date of a recurring deadline
  ("trước ngày 25 hằng tháng" → the next 25th; "hằng quý" → the quarter's last day;
  "hằng năm" → 31 December). "thường xuyên" or "định kỳ" alone has no date: no due.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from functools import cache

from vanthu.pipeline.fields.dates import find_date, iso
from vanthu.pipeline.rules.loader import alternation, patterns, rules
from vanthu.pipeline.text.normalize import collapse

_SHORT_NO_YEAR = re.compile(r"^(?P<d>\d{1,2})\s*/\s*(?P<m>\d{1,2})(?![/\d])")
_LONG_NO_YEAR = re.compile(r"^(?P<d>\d{1,2})\s+tháng\s+(?P<m>\d{1,2})(?!\d)(?!\s*(?:năm|/)\s*\d)", re.IGNORECASE)
_ROMAN_QUARTER = {"I": 1, "II": 2, "III": 3, "IV": 4}
LOOKAHEAD_CHARS = 40  # how far after a "trước" phrase its date may be printed


@cache
def _every() -> dict[str, re.Pattern]:
    """period ("month", "quarter", "year") -> the recurring words that repeat on it."""
    every = rules().deadlines["recurring_every"]
    return {k: re.compile(rf"(?<!\w)(?:{alternation(every[k])})(?!\w)", re.IGNORECASE) for k in every}


def recurrence_period(text: str | None) -> str | None:
    """The period a recurring deadline repeats on: "month" ("hằng tháng"), "quarter"
    ("hằng quý"), "year" ("hằng năm"); None for another phrase or none."""
    for period, pattern in _every().items() if text else ():
        if pattern.search(text or ""):
            return period
    return None


@cache
def _recurring_day() -> re.Pattern:
    """A day (and month) followed by a recurring word: "25 hằng tháng", "20/12 hằng năm"."""
    words = [w for ws in rules().deadlines["recurring_every"].values() for w in ws]
    return re.compile(
        rf"(?<!\d)(?P<d>\d{{1,2}})(?:\s*/\s*(?P<m>\d{{1,2}}))?\s+(?:của\s+)?(?P<every>{alternation(words)})(?!\w)",
        re.IGNORECASE,
    )


def _day_in_letter_year(d: int, m: int, letter_date: str) -> str | None:
    """Day ``d`` of month ``m`` in the letter's year; a day already past on the letter's date
    is next year's (a deadline is never before the letter)."""
    year = int(letter_date[:4])
    value = iso(d, m, year)
    if value and value < letter_date:
        value = iso(d, m, year + 1)
    return value


#: a time of day printed before a deadline's day ("17 giờ 00", "17h30", "10 giờ 30 phút,")
_HOUR = re.compile(r"\d{1,2}\s*(?:giờ|h)(?:\s*\d{1,2}(?:\s*phút)?)?\s*,?\s*", re.IGNORECASE)


def find_deadline(text: str, letter_date: str | None) -> tuple[str | None, str | None]:
    """(ISO date or None, the printed phrase) of the first deadline in ``text``."""
    p = patterns()
    for m in p.deadline_before.finditer(text):
        after = text[m.end() :]
        after_day = re.sub(r"^ngày\s+", "", after, flags=re.IGNORECASE)
        cut0 = len(after) - len(after_day)
        window = text[m.start() : m.end() + LOOKAHEAD_CHARS]
        value, phrase, ds, de = find_date(window)
        # an hour before the day: "trước 17 giờ 00 ngày 20/11/2024"
        # and a colon after a label: "thời hạn hoàn thành: ngày 30/9/2024"
        between = _HOUR.match(after) or re.match(r"\s*:\s*", after)
        if value and ds <= (m.end() - m.start()) + (between.end() if between else 0) + 6:
            return value, collapse(window[:de])
        rd = _recurring_day().match(after_day)
        if rd:  # "trước ngày 25 hằng tháng", "trước ngày 25/12 hằng năm": a day that comes back, no
            # one printed day (the answer keys leave the deadline null); ``due_of`` gives the next one
            return None, collapse(text[m.start() : m.end() + cut0 + rd.end()])
        sm = _SHORT_NO_YEAR.match(after_day) or _LONG_NO_YEAR.match(after_day)
        if sm and letter_date:
            value = _day_in_letter_year(int(sm.group("d")), int(sm.group("m")), letter_date)
            if value:
                return value, collapse(text[m.start() : m.end() + cut0 + sm.end()])
    for rx in (p.deadline_month, p.deadline_year):
        for mo in rx.finditer(text):  # a month, quarter or year, no day: no exact date (as the answer keys do)
            end = _period_end(mo, letter_date)
            if not (end and letter_date and end < letter_date):  # "trong năm 2023" in 2024: what was, not a deadline
                return None, collapse(mo.group("phrase"))
    r = p.recurring.search(text)
    if r:
        return None, r.group("phrase")
    return None, None


def _last_day(year: int, month: int) -> str:
    return dt.date(year, month, calendar.monthrange(year, month)[1]).isoformat()


def _period_end(mo: re.Match[str], letter_date: str | None) -> str | None:
    """The last day of the month, quarter or year a ``deadline_month``/``deadline_year``
    match prints (without a year, the letter's)."""
    year = int(mo.group("y")) if mo.group("y") else (int(letter_date[:4]) if letter_date else None)
    if year is None:
        return None
    if "n" not in mo.groupdict():
        return f"{year}-12-31"
    n = mo.group("n").upper()
    num = _ROMAN_QUARTER.get(n) or int(n)
    if "quý" in mo.group("phrase").lower():
        return _last_day(year, 3 * num) if 1 <= num <= 4 else None
    return _last_day(year, num) if 1 <= num <= 12 else None


def _next_recurring(text: str, letter_date: str) -> str | None:
    """The first due date after ``letter_date`` of a recurring phrase ("trước ngày 25
    hằng tháng", "hằng quý", "hằng năm"); None when the phrase names no period."""
    day = _recurring_day().search(text)
    d = int(day.group("d")) if day else None
    start = dt.date.fromisoformat(letter_date)
    for period, rx in _every().items():
        if not rx.search(text):
            continue
        step = {"month": 1, "quarter": 3, "year": 12}[period]
        # candidate months: the period's last month from the letter's on, then every step
        first = start.month if period == "month" else (12 if period == "year" else 3 * ((start.month - 1) // 3 + 1))
        if period == "year" and day and day.group("m"):
            first = int(day.group("m"))
        for k in range(3):
            y, m = divmod(first - 1 + k * step, 12)
            year, month = start.year + y, m + 1
            last = calendar.monthrange(year, month)[1]
            cand = dt.date(year, month, min(d, last)) if d else dt.date(year, month, last)
            if cand > start:
                return cand.isoformat()
    return None


def due_of(deadline: str | None, deadline_text: str | None, letter_date: str | None) -> tuple[str | None, str | None]:
    """(due, due_kind) of a deadline as ``find_deadline`` read it: the printed day ("day"),
    the last day of a printed period ("end_of_period"), or the next occurrence after the
    letter's date of a recurring one ("recurring"); (None, None) when nothing dates it."""
    if deadline_text and patterns().recurring.search(deadline_text) and letter_date:
        nxt = _next_recurring(deadline_text, letter_date)
        if nxt:
            return nxt, "recurring"
    if deadline:
        return deadline, "day"
    if not deadline_text:
        return None, None
    p = patterns()
    mo = p.deadline_month.search(deadline_text) or p.deadline_year.search(deadline_text)
    end = _period_end(mo, letter_date) if mo else None
    return (end, "end_of_period") if end else (None, None)
