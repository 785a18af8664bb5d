"""``vanthu register [ROOT]``: the register of incoming letters (sổ đăng ký văn bản đến,
Nghị định 30/2020 Phụ lục IV) from the store, one row per letter in the order of its
arrival number, and the tracking book (sổ theo dõi giải quyết văn bản đến).

The rows are plain values (``date`` for the dates, ``int`` for the numbers, text, or
None for an empty cell); :mod:`vanthu.register_xlsx` writes them as a workbook, and
:func:`to_csv` as CSV in UTF-8 with a BOM (so Excel on Windows reads the Vietnamese).
The headings, the sheet names and the notes written into the rows are Vietnamese whatever
the locale (the books are kept in Vietnamese); ``VANTHU_LANG=en`` gives them in English.
"Ngày chuyển" and "Ký nhận" are left empty: the clerk fills them in by hand when the
letter is handed over, as in the paper register.

The year: ``--year YYYY`` (letters numbered in that year), ``--year all``, or by default
the current year when letters arrived in it, else the latest year that has letters.
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from vanthu.pipeline.errors import ExitCode, InputNotFound, UsageError
from vanthu.pipeline.i18n import N_, _, ngettext, plural_translator, translator

#: The books' sheet names and columns (Phụ lục IV): English message ids with the column's
#: width in the workbook (characters); the register is Vietnamese unless VANTHU_LANG says
#: otherwise (:func:`register_language`).
REGISTER_SHEET = N_("Register of incoming letters")
REGISTER_COLUMNS = (
    (N_("Arrival date"), 12),
    (N_("Arrival number"), 8),
    (N_("Author"), 30),
    (N_("Number and symbol"), 16),
    (N_("Date of the letter"), 12),
    (N_("Type and summary of content"), 50),
    (N_("Unit or person receiving"), 28),
    (N_("Date passed on"), 12),
    (N_("Received by (signature)"), 12),
    (N_("Notes"), 30),
)
TRACKING_SHEET = N_("Tracking book of the handling")
TRACKING_COLUMNS = (
    (N_("Arrival number"), 8),
    (N_("Type, number and symbol, date, issuing body"), 50),
    (N_("Unit or person receiving"), 28),
    (N_("Deadline for handling"), 12),
    (N_("Progress of handling"), 18),
    (N_("Number and symbol of the reply"), 20),
    (N_("Notes"), 30),
)
REGISTER_LANGUAGE = "vi"  # whatever the locale; VANTHU_LANG alone changes it
#: ``--year all``: every year, each numbered from 1 (by year, then number).
ALL_YEARS = "all"
FORMATS = ("xlsx", "csv")
SHEETS = ("register", "tracking")

Cell = date | int | str | None


@dataclass
class Register:
    """The two books of one year (``year`` None: of every year)."""

    year: int | None
    lang: str = REGISTER_LANGUAGE
    rows: list[tuple[Cell, ...]] = field(default_factory=list)
    tracking: list[tuple[Cell, ...]] = field(default_factory=list)


# ----------------------------------------------------------------------------- cells


def day(iso: str | None) -> date | None:
    try:
        return date.fromisoformat(iso) if iso else None
    except ValueError:
        return None


def dmy(value: date) -> str:
    return value.strftime("%d/%m/%Y")


def headers(columns: tuple[tuple[str, int], ...], lang: str = REGISTER_LANGUAGE) -> tuple[str, ...]:
    """The headings of ``columns`` (:data:`REGISTER_COLUMNS`, :data:`TRACKING_COLUMNS`) in ``lang``."""
    t = translator(lang)
    return tuple(t(name) for name, _width in columns)


def stamp_note(stamp: dict[str, Any] | None, lang: str = REGISTER_LANGUAGE) -> str | None:
    """ "Dấu ĐẾN trên bản giấy: số N, ngày D": the ĐẾN stamp printed on the paper letter (its
    own number and day, not this register's)."""
    if not stamp:
        return None
    t = translator(lang)
    parts = [t(N_("no. {number}")).format(number=stamp["number"])] if stamp.get("number") else []
    when = day(stamp.get("date"))
    if when or stamp.get("date_text"):
        parts.append(t(N_("dated {date}")).format(date=dmy(when) if when else stamp["date_text"]))
    said = ", ".join(parts) if parts else " ".join(str(stamp.get("text", "")).split())
    return t(N_("ĐẾN stamp on the paper letter: {stamp}")).format(stamp=said)


def duplicate_note(dup: dict[str, Any] | None, year: int | None, lang: str = REGISTER_LANGUAGE) -> str | None:
    """ "Trùng với văn bản đến số N (tệp X)": the same letter stored before, other bytes."""
    if not dup:
        return None
    t = translator(lang)
    if dup.get("arrival_number") and dup.get("arrival_year") and dup["arrival_year"] != year:
        which = t(N_("no. {number} of {year}")).format(number=dup["arrival_number"], year=dup["arrival_year"])
    elif dup.get("arrival_number"):
        which = t(N_("no. {number}")).format(number=dup["arrival_number"])
    else:
        which = dup.get("number_symbol") or dup["id"]
    if dup.get("file"):
        return t(N_("Same as incoming letter {which} (file {file})")).format(which=which, file=dup["file"])
    return t(N_("Same as incoming letter {which}")).format(which=which)


def notes(record: dict[str, Any], year: int | None, lang: str = REGISTER_LANGUAGE) -> str | None:
    found = [stamp_note(record.get("receipt_stamp"), lang), duplicate_note(record.get("duplicate_of"), year, lang)]
    return "; ".join(n for n in found if n) or None


def lead_units(record: dict[str, Any]) -> str | None:
    """The units the letter gives work to, as leads (each once, in the order of the items)."""
    leads: list[str] = []

    def walk(items: list[dict[str, Any]]) -> None:
        for item in items:
            if item.get("lead") and item["lead"] not in leads:
                leads.append(item["lead"])
            walk(item.get("children") or [])

    walk(record.get("assignments") or [])
    return "; ".join(leads) or None


def title(record: dict[str, Any]) -> str | None:
    """Tên loại và trích yếu: "Công văn: V/v …"."""
    return ": ".join(x for x in (record.get("doc_type"), record.get("subject")) if x) or None


def described(record: dict[str, Any], lang: str = REGISTER_LANGUAGE) -> str | None:
    """ "Công văn số 12/UBND-VP ngày 15/08/2024 của UBND …" (what is known of it)."""
    t = translator(lang)
    when = day(record.get("date"))
    parts = [
        record.get("doc_type") or "",
        t(N_("no. {number}")).format(number=record["number_symbol"]) if record.get("number_symbol") else "",
        t(N_("dated {date}")).format(date=dmy(when)) if when else "",
        t(N_("from {issuer}")).format(issuer=record["issuer"]) if record.get("issuer") else "",
    ]
    return " ".join(p for p in parts if p) or None


def progress(tasks: list[dict[str, Any]], lang: str = REGISTER_LANGUAGE) -> str | None:
    """ "Đã xong 2/3 nhiệm vụ" from the tasks' statuses; None when the letter gives none."""
    if not tasks:
        return None
    closed = sum(1 for t in tasks if t.get("status") != "open")
    ngettext = plural_translator(lang)  # (named so for the catalog's extraction)
    done = ngettext("{closed} of {total} task done", "{closed} of {total} tasks done", len(tasks))
    return done.format(closed=closed, total=len(tasks))


# ------------------------------------------------------------------------------ rows


def register_row(doc: dict[str, Any], lang: str = REGISTER_LANGUAGE) -> tuple[Cell, ...]:
    record = doc["record"]
    return (
        day(doc["arrival_date"]),
        doc["arrival_number"],
        record.get("issuer"),
        record.get("number_symbol"),
        day(record.get("date")),
        title(record),
        lead_units(record),
        None,  # Ngày chuyển: by hand
        None,  # Ký nhận: by hand
        notes(record, doc["arrival_year"], lang),
    )


def tracking_row(
    doc: dict[str, Any], tasks: list[dict[str, Any]], replies: list[str], lang: str = REGISTER_LANGUAGE
) -> tuple[Cell, ...]:
    record = doc["record"]
    dues = [d for d in (day(t.get("due")) for t in tasks) if d is not None]
    return (
        doc["arrival_number"],
        described(record, lang),
        lead_units(record),
        min(dues) if dues else None,
        progress(tasks, lang),
        "; ".join(replies) or None,
        notes(record, doc["arrival_year"], lang),
    )


def choose_year(years: list[int], asked: str | None, this_year: int, lang: str | None = None) -> int | None:
    """The year to show (None: all); a year without letters is an error naming the years
    that have some (in ``lang``, by default the program's language)."""
    if asked == ALL_YEARS:
        return None
    if asked is not None:
        t = translator(lang) if lang else _
        year = int(asked)
        if year not in years:
            have = ", ".join(map(str, years))
            raise InputNotFound(
                f"--year {year}",
                t(N_("no letter arrived in {year}")).format(year=year),
                hint=t(N_("years with letters: {years}")).format(years=have),
            )
        return year
    return this_year if this_year in years else max(years)


def build(db: Any, year: int | None, lang: str = REGISTER_LANGUAGE) -> Register:
    """The register and the tracking book of ``year`` (None: every year) from the store,
    their notes in ``lang``."""
    from vanthu.flows.links import cited_by, find_links

    every = db.register()  # the replies may be of any year
    links = find_links(every)
    tasks: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for task in db.tasks():
        tasks[task["sha256"]].append(task)
    shown = [d for d in every if year is None or d["arrival_year"] == year]
    out = Register(year, lang)
    for doc in shown:
        replies = [link.source_number_symbol for link in cited_by(links, doc["sha256"]) if link.source_number_symbol]
        out.rows.append(register_row(doc, lang))
        out.tracking.append(tracking_row(doc, tasks[doc["sha256"]], list(dict.fromkeys(replies)), lang))
    return out


# ---------------------------------------------------------------------------- writing


def to_csv(headers: tuple[str, ...], rows: list[tuple[Cell, ...]]) -> str:
    """CSV in UTF-8 with a BOM; dates as dd/mm/yyyy."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(headers)
    for row in rows:
        writer.writerow(["" if v is None else dmy(v) if isinstance(v, date) else v for v in row])
    return "\ufeff" + buf.getvalue()


def register_language(env: Any = None) -> str:
    """The language of the books: ``VANTHU_LANG`` when it is set, else Vietnamese (the
    locale does not change a register kept in Vietnamese)."""
    from vanthu.pipeline.settings import explicit_language

    return explicit_language(env) or REGISTER_LANGUAGE


def sheets(book: Register) -> list[tuple[str, tuple[str, ...], tuple[int, ...], list[tuple[Cell, ...]]]]:
    """Both books as workbook sheets: name, headings, column widths, rows (in the book's language)."""
    t = translator(book.lang)
    return [
        (t(name), headers(columns, book.lang), tuple(w for _n, w in columns), rows)
        for name, columns, rows in (
            (REGISTER_SHEET, REGISTER_COLUMNS, book.rows),
            (TRACKING_SHEET, TRACKING_COLUMNS, book.tracking),
        )
    ]


def book_csv(book: Register, sheet: str = "register") -> str:
    """One book (``register`` or ``tracking``) as ``vanthu register --format csv`` writes it."""
    if sheet == "register":
        return to_csv(headers(REGISTER_COLUMNS, book.lang), book.rows)
    return to_csv(headers(TRACKING_COLUMNS, book.lang), book.tracking)


def cmd_register(
    root: Path,
    *,
    store: str | None = None,
    year: str | None = None,
    fmt: str = "xlsx",
    out: Path | None = None,
    sheet: str = "register",
    this_year: int | None = None,
    lang: str | None = None,
) -> int:
    """Write the register of ``root``'s store (or ``store``) as ``fmt`` to ``out`` (CSV:
    standard output without ``out``; ``sheet`` says which book a CSV holds), in ``lang``
    (by default :func:`register_language`)."""
    from vanthu.flows.register_store import today
    from vanthu.flows.store import default_url, open_store
    from vanthu.output import say, write_atomic, write_stdout

    lang = lang or register_language()
    if fmt == "xlsx" and out is None:
        raise UsageError("--format xlsx", _("a workbook is written to a file"), hint=_("give --out FILE.xlsx"))
    if store is None and not (root / "vanthu.db").exists():
        raise InputNotFound(
            root / "vanthu.db",
            _("no task store here"),
            hint=_("run `vanthu watch ROOT` first, or pass --store URL"),
        )
    with open_store(store or default_url(root)) as db:
        years = db.arrival_years()
        if not years:
            raise InputNotFound(
                db.where, _("the store holds no letters yet"), hint=_("letters arrive with `vanthu watch`")
            )
        book = build(db, choose_year(years, year, this_year or today().year), lang)
    if fmt == "xlsx":
        from vanthu.register_xlsx import write_xlsx

        write_xlsx(sheets(book), out)  # type: ignore[arg-type]  # (checked above)
    else:
        text = book_csv(book, sheet)
        write_atomic(out, text) if out is not None else write_stdout(text)
    if out is not None:
        n = len(book.rows)
        if book.year is None:
            said = ngettext("{out}: {n} letter of every year", "{out}: {n} letters of every year", n)
        else:
            said = ngettext("{out}: {n} letter of {year}", "{out}: {n} letters of {year}", n)
        say(said.format(out=out, n=n, year=book.year))
    return int(ExitCode.OK)
