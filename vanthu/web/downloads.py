"""The register page's rows and the downloads of the web page (the register as XLSX, the
tasks as a calendar, a letter as edXML), each made by the module that makes it for the
command line (:mod:`vanthu.taskcal`, :mod:`vanthu.exports.edxml` through
:mod:`vanthu.exporting`, the register): nothing is formatted twice here."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from vanthu.models.record import DispatchRecord
from vanthu.pipeline.i18n import N_

ICS_TYPE = "text/calendar; charset=utf-8"
EDXML_TYPE = "application/xml"


@dataclass(frozen=True)
class Download:
    label: str  # N_(): translated where shown
    build: Callable[[Any, Mapping[str, str]], tuple[bytes, str, str]]  # (store, query) → body, media type, file name
    listed: bool = True  # offered on the register page (a letter's edXML is offered on its page)


def register_rows(db: Any) -> list[dict[str, Any]]:
    """The register's rows (the letters in arrival order)."""
    from vanthu.letters import letter_rows

    return letter_rows(db)


def tasks_ics(db: Any, query: Mapping[str, str]) -> tuple[bytes, str, str]:
    """Every task as a to-do of a calendar, as ``vanthu tasks --format ics`` writes it."""
    from vanthu.taskcal import to_ics, urgency_of_letters

    rows = db.tasks()
    return to_ics(rows, urgency_of_letters(db, rows)), ICS_TYPE, "vanthu-tasks.ics"


def letter_edxml(db: Any, store_url: str, sha256: str) -> tuple[bytes, str, str] | None:
    """One stored letter as ``vanthu export --format edxml`` writes it (the stored letters it
    cites as ResponseFor, found by the export's own reading of the store); None for a
    letter the store does not hold."""
    from pathlib import Path

    from vanthu.exporting import _Store as ExportStore  # the letters export reads, with their links
    from vanthu.exports.edxml import to_bytes

    data = db.record(sha256)
    if data is None:
        return None
    record = DispatchRecord.model_validate(data)
    name = f"{Path(record.source.file).stem or sha256[:12]}.xml"
    return to_bytes(record, ExportStore(store_url).cited(record)), EDXML_TYPE, name


DOWNLOADS: dict[str, Download] = {
    "tasks.ics": Download(N_("Tasks as a calendar (ICS)"), tasks_ics),
}
