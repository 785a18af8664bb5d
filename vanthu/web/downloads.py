"""The register page's rows and the downloads of the web page (the register as XLSX, the
tasks as a calendar, a letter as edXML), each made by the module that makes it for the
command line (:mod:`vanthu.taskcal`, :mod:`vanthu.exports.edxml` through
:mod:`vanthu.exporting`, the register): nothing is formatted twice here."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from vanthu.models.record import DispatchRecord
from vanthu.pipeline.i18n import N_

ICS_TYPE = "text/calendar; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_TYPE = "text/csv; charset=utf-8"
EDXML_TYPE = "application/xml"


@dataclass(frozen=True)
class Download:
    label: str  # N_(): translated where shown
    #: (store, query, the page's language) → body, media type, file name
    build: Callable[[Any, Mapping[str, str], str], tuple[bytes, str, str]]


@dataclass
class RegisterView:
    """The register of one year as the page shows it: ``vanthu register``'s rows, each
    with the letter it is of (sha256), and the years that have letters."""

    year: int | None  # None: every year
    years: list[int]
    headers: tuple[str, ...]
    rows: list[tuple[str, list[str]]]  # (sha256, the cells as text)


def _year_asked(query: Mapping[str, str]) -> str | None:
    asked = (query.get("year") or "").strip()
    return asked or None


def register_view(db: Any, query: Mapping[str, str], lang: str) -> RegisterView:
    """The register of the year asked (``?year=YYYY`` or ``all``; by default this year,
    else the latest with letters), in the page's language; a year without letters is
    ``vanthu register``'s error."""
    from vanthu.flows.register_store import today
    from vanthu.register import REGISTER_COLUMNS, build, choose_year, dmy, headers

    years = db.arrival_years()
    if not years:
        return RegisterView(None, [], headers(REGISTER_COLUMNS, lang), [])
    year = choose_year(years, _year_asked(query), today().year, lang)
    book = build(db, year, lang)
    letters = db.register(year)  # the same letters in the same order (by arrival)
    cells = [["" if v is None else dmy(v) if isinstance(v, date) else str(v) for v in row] for row in book.rows]
    return RegisterView(
        year, years, headers(REGISTER_COLUMNS, lang), [(d["sha256"], c) for d, c in zip(letters, cells)]
    )


def _book(db: Any, query: Mapping[str, str], lang: str) -> Any:
    from vanthu.flows.register_store import today
    from vanthu.register import build, choose_year

    years = db.arrival_years()
    year = choose_year(years, _year_asked(query), today().year, lang) if years else None
    return build(db, year, lang)


def register_xlsx(db: Any, query: Mapping[str, str], lang: str) -> tuple[bytes, str, str]:
    """Both books of the year as ``vanthu register --out FILE.xlsx`` writes them."""
    from vanthu.register import sheets
    from vanthu.register_xlsx import xlsx_bytes

    book = _book(db, query, lang)
    return xlsx_bytes(sheets(book)), XLSX_TYPE, f"so-den-{book.year or 'all'}.xlsx"


def register_csv(db: Any, query: Mapping[str, str], lang: str) -> tuple[bytes, str, str]:
    """The register of the year as ``vanthu register --format csv`` writes it (UTF-8, BOM)."""
    from vanthu.register import book_csv

    book = _book(db, query, lang)
    return book_csv(book).encode("utf-8"), CSV_TYPE, f"so-den-{book.year or 'all'}.csv"


def tasks_ics(db: Any, query: Mapping[str, str], lang: str) -> tuple[bytes, str, str]:
    """Every task as a to-do of a calendar, as ``vanthu tasks --format ics`` writes it."""
    from vanthu.taskcal import to_ics, urgency_of_letters

    rows = db.tasks()
    return to_ics(rows, urgency_of_letters(db, rows), lang=lang), ICS_TYPE, "vanthu-tasks.ics"


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
    "register.xlsx": Download(N_("Register of incoming letters (Excel)"), register_xlsx),
    "register.csv": Download(N_("Register of incoming letters (CSV)"), register_csv),
    "tasks.ics": Download(N_("Tasks as a calendar (ICS)"), tasks_ics),
}
