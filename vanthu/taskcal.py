"""``vanthu tasks --format ics``: the tasks as an iCalendar of to-dos (RFC 5545), for a
calendar program or a phone.

One VTODO per task: UID the task id; SUMMARY "unit: action"; DUE the task's ``due`` day
(none when nothing dates it); DESCRIPTION the letter's number, date and subject (then the
deadline as printed and the whole action), its fixed words ("Văn bản", "Thời hạn") in the
program's language (the web page's, for its download); PRIORITY from the letter's urgency mark
(:data:`PRIORITIES`); STATUS NEEDS-ACTION while open, COMPLETED once closed; CATEGORIES the
unit; RELATED-TO the letter's id (``sha256:…``); and, for a task that recurs every month,
quarter or year ("hằng tháng", "hằng quý", "hằng năm"), an RRULE from its due day.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import UTC, date, datetime
from typing import Any

from vanthu.pipeline.fields.deadlines import recurrence_period
from vanthu.pipeline.i18n import N_, _, translator

#: RFC 5545 PRIORITY (1 highest … 9 lowest) by the letter's urgency mark; no mark is 5.
PRIORITIES: dict[str | None, int] = {"Hỏa tốc": 1, "Thượng khẩn": 2, "Khẩn": 3}
DEFAULT_PRIORITY = 5
#: The RRULE of each period ``recurrence_period`` names.
RRULES: dict[str, dict[str, Any]] = {
    "month": {"freq": "monthly"},
    "quarter": {"freq": "monthly", "interval": 3},
    "year": {"freq": "yearly"},
}
SUMMARY_CHARS = 200  # the action is cut here in SUMMARY (DESCRIPTION has all of it)
PRODID = "-//vanthu//tasks//VI"


def _summary(row: Mapping[str, Any]) -> str:
    action = " ".join(str(row.get("action") or "").split())
    if len(action) > SUMMARY_CHARS:
        action = action[: SUMMARY_CHARS - 1].rstrip() + "…"
    return f"{row.get('assignee')}: {action}"


def _description(row: Mapping[str, Any], t: Callable[[str], str] = _) -> str:
    letter = " ".join(str(x) for x in (row.get("number_symbol"), row.get("doc_date")) if x) or t(N_("(no number)"))
    lines = [t(N_("Letter {letter}")).format(letter=letter), str(row.get("subject") or "")]
    if row.get("deadline_text"):
        lines.append(t(N_("Deadline: {deadline}")).format(deadline=row["deadline_text"]))
    lines.append(" ".join(str(row.get("action") or "").split()))
    return "\n".join(line for line in lines if line)


def todo(row: Mapping[str, Any], urgency: str | None, stamp: datetime, t: Callable[[str], str] = _) -> Any:
    """The VTODO of one task row of the store (``TaskStore.tasks``), its fixed words through ``t``."""
    from icalendar import Todo

    item = Todo()
    item.add("uid", row["task_id"])
    item.add("dtstamp", stamp)
    item.add("summary", _summary(row))
    item.add("description", _description(row, t))
    due = date.fromisoformat(row["due"]) if row.get("due") else None
    if due is not None:
        item.add("due", due)
    item.add("priority", PRIORITIES.get(urgency, DEFAULT_PRIORITY))
    item.add("status", "NEEDS-ACTION" if row.get("status") == "open" else "COMPLETED")
    item.add("categories", [row["assignee"]])
    item.add("related-to", f"sha256:{row['sha256']}")
    period = recurrence_period(row.get("deadline_text")) if row.get("recurring") else None
    if period is not None and due is not None:
        item.add("dtstart", due)  # RFC 5545: a recurring to-do starts on its first occurrence
        item.add("rrule", RRULES[period])
    return item


def to_ics(
    rows: list[Mapping[str, Any]],
    urgency: Mapping[str, str | None],
    now: datetime | None = None,
    *,
    lang: str | None = None,
) -> bytes:
    """The calendar of ``rows``; ``urgency`` maps a letter's sha256 to its urgency mark;
    ``lang`` the language of the fixed words (by default the program's)."""
    from icalendar import Calendar

    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    stamp = now or datetime.now(UTC)
    t = translator(lang) if lang else _
    for row in rows:
        cal.add_component(todo(row, urgency.get(row["sha256"]), stamp, t))
    return cal.to_ical()


def urgency_of_letters(db: Any, rows: list[Mapping[str, Any]]) -> dict[str, str | None]:
    """Each letter's urgency mark, read from its stored record (the task rows lack it)."""
    out: dict[str, str | None] = {}
    for sha in {r["sha256"] for r in rows}:
        record = db.record(sha) or {}
        out[sha] = record.get("urgency")
    return out
