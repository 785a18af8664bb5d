"""``vanthu register [ROOT]``: the register of incoming letters (sổ đăng ký văn bản đến,
Nghị định 30/2020 Phụ lục IV) from the store, one row per letter in the order of its
arrival number, and the tracking book (sổ theo dõi giải quyết văn bản đến).

The rows are plain values (``date`` for the dates, ``int`` for the numbers, text, or
None for an empty cell); :mod:`vanthu.register_xlsx` writes them as a workbook, and
:func:`to_csv` as CSV in UTF-8 with a BOM (so Excel on Windows reads the Vietnamese).
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

REGISTER_SHEET = "Sổ đăng ký văn bản đến"
REGISTER_HEADERS = (
    "Ngày đến",
    "Số đến",
    "Tác giả",
    "Số, ký hiệu",
    "Ngày tháng văn bản",
    "Tên loại và trích yếu nội dung",
    "Đơn vị hoặc người nhận",
    "Ngày chuyển",
    "Ký nhận",
    "Ghi chú",
)
TRACKING_SHEET = "Sổ theo dõi giải quyết"
TRACKING_HEADERS = (
    "Số đến",
    "Tên loại, số, ký hiệu, ngày, cơ quan ban hành",
    "Đơn vị hoặc người nhận",
    "Thời hạn giải quyết",
    "Tiến độ giải quyết",
    "Số, ký hiệu văn bản trả lời",
    "Ghi chú",
)
#: ``--year all``: every year, each numbered from 1 (by year, then number).
ALL_YEARS = "all"
FORMATS = ("xlsx", "csv")
SHEETS = ("register", "tracking")

Cell = date | int | str | None


@dataclass
class Register:
    """The two books of one year (``year`` None: of every year)."""

    year: int | None
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


def stamp_note(stamp: dict[str, Any] | None) -> str | None:
    """The ĐẾN stamp printed on the paper letter (its own number and day, not this register's)."""
    if not stamp:
        return None
    parts = [f"số {stamp['number']}"] if stamp.get("number") else []
    when = day(stamp.get("date"))
    if when or stamp.get("date_text"):
        parts.append(f"ngày {dmy(when) if when else stamp['date_text']}")
    return "Dấu ĐẾN trên bản giấy: " + (", ".join(parts) if parts else " ".join(str(stamp.get("text", "")).split()))


def duplicate_note(dup: dict[str, Any] | None, year: int | None) -> str | None:
    """ "Trùng với văn bản đến số N (tệp X)": the same letter stored before, other bytes."""
    if not dup:
        return None
    if dup.get("arrival_number"):
        which = f"số {dup['arrival_number']}"
        if dup.get("arrival_year") and dup["arrival_year"] != year:
            which += f" năm {dup['arrival_year']}"
    else:
        which = dup.get("number_symbol") or dup["id"]
    return f"Trùng với văn bản đến {which}" + (f" (tệp {dup['file']})" if dup.get("file") else "")


def notes(record: dict[str, Any], year: int | None) -> str | None:
    found = [stamp_note(record.get("receipt_stamp")), duplicate_note(record.get("duplicate_of"), year)]
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


def described(record: dict[str, Any]) -> str | None:
    """ "Công văn số 12/UBND-VP ngày 15/08/2024 của UBND …" (what is known of it)."""
    when = day(record.get("date"))
    parts = [
        record.get("doc_type") or "",
        f"số {record['number_symbol']}" if record.get("number_symbol") else "",
        f"ngày {dmy(when)}" if when else "",
        f"của {record['issuer']}" if record.get("issuer") else "",
    ]
    return " ".join(p for p in parts if p) or None


def progress(tasks: list[dict[str, Any]]) -> str | None:
    """ "Đã xong 2/3 nhiệm vụ" from the tasks' statuses; None when the letter gives none."""
    if not tasks:
        return None
    closed = sum(1 for t in tasks if t.get("status") != "open")
    return f"Đã xong {closed}/{len(tasks)} nhiệm vụ"


# ------------------------------------------------------------------------------ rows


def register_row(doc: dict[str, Any]) -> tuple[Cell, ...]:
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
        notes(record, doc["arrival_year"]),
    )


def tracking_row(doc: dict[str, Any], tasks: list[dict[str, Any]], replies: list[str]) -> tuple[Cell, ...]:
    record = doc["record"]
    dues = [d for d in (day(t.get("due")) for t in tasks) if d is not None]
    return (
        doc["arrival_number"],
        described(record),
        lead_units(record),
        min(dues) if dues else None,
        progress(tasks),
        "; ".join(replies) or None,
        notes(record, doc["arrival_year"]),
    )


def choose_year(years: list[int], asked: str | None, this_year: int) -> int | None:
    """The year to show (None: all); a year without letters is an error naming the years that have some."""
    if asked == ALL_YEARS:
        return None
    if asked is not None:
        year = int(asked)
        if year not in years:
            have = ", ".join(map(str, years))
            raise InputNotFound(f"--year {year}", f"no letter arrived in {year}", hint=f"years with letters: {have}")
        return year
    return this_year if this_year in years else max(years)


def build(db: Any, year: int | None) -> Register:
    """The register and the tracking book of ``year`` (None: every year) from the store."""
    from vanthu.flows.links import cited_by, find_links

    every = db.register()  # the replies may be of any year
    links = find_links(every)
    tasks: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for task in db.tasks():
        tasks[task["sha256"]].append(task)
    shown = [d for d in every if year is None or d["arrival_year"] == year]
    out = Register(year)
    for doc in shown:
        replies = [link.source_number_symbol for link in cited_by(links, doc["sha256"]) if link.source_number_symbol]
        out.rows.append(register_row(doc))
        out.tracking.append(tracking_row(doc, tasks[doc["sha256"]], list(dict.fromkeys(replies))))
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


def cmd_register(
    root: Path,
    *,
    store: str | None = None,
    year: str | None = None,
    fmt: str = "xlsx",
    out: Path | None = None,
    sheet: str = "register",
    this_year: int | None = None,
) -> int:
    """Write the register of ``root``'s store (or ``store``) as ``fmt`` to ``out`` (CSV:
    standard output without ``out``; ``sheet`` says which book a CSV holds)."""
    from vanthu.flows.register_store import today
    from vanthu.flows.store import default_url, open_store
    from vanthu.letters import _write
    from vanthu.output import say, write_atomic

    if fmt == "xlsx" and out is None:
        raise UsageError("--format xlsx", "a workbook is written to a file", hint="give --out FILE.xlsx")
    if store is None and not (root / "vanthu.db").exists():
        raise InputNotFound(
            root / "vanthu.db", "no task store here", hint="run `vanthu watch ROOT` first, or pass --store URL"
        )
    with open_store(store or default_url(root)) as db:
        years = db.arrival_years()
        if not years:
            raise InputNotFound(db.where, "the store holds no letters yet", hint="letters arrive with `vanthu watch`")
        book = build(db, choose_year(years, year, this_year or today().year))
    if fmt == "xlsx":
        from vanthu.register_xlsx import write_xlsx

        sheets = [(REGISTER_SHEET, REGISTER_HEADERS, book.rows), (TRACKING_SHEET, TRACKING_HEADERS, book.tracking)]
        write_xlsx(sheets, out)  # type: ignore[arg-type]  # (checked above)
    else:
        headers, rows = (REGISTER_HEADERS, book.rows) if sheet == "register" else (TRACKING_HEADERS, book.tracking)
        text = to_csv(headers, rows)
        write_atomic(out, text) if out is not None else _write(text)
    if out is not None:
        say(f"{out}: {len(book.rows)} letter(s) of {book.year or 'every year'}")
    return int(ExitCode.OK)
