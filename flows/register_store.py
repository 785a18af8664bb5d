"""The register of incoming letters in the store (sổ đăng ký văn bản đến, Nghị định
30/2020 Phụ lục IV): arrival numbers, the same letter stored again, and the rows the
register is printed from. Mixed into :class:`vanthu.flows.store.SqlStore`.

* **Số đến, ngày đến.** A letter gets its arrival number in the transaction that first
  stores it: the year's counter row (``arrival_counter``) is raised by one and read back
  (``UPDATE … RETURNING``) before the commit. PostgreSQL locks the counter row until the
  commit, SQLite's ``BEGIN IMMEDIATE`` serialises the writers: two workers never take the
  same number, and a transaction that fails gives its number back (no gap). Numbers start
  at 1 each calendar year (the local year of the machine that stores the letter). The
  same bytes stored again (a re-run) keep their number; a unique index on
  ``(arrival_year, arrival_number)`` refuses anything else.
* **The same letter, other bytes.** A letter whose issuer, number and symbol, and date
  are those of a letter already stored (a re-scan, a forwarded copy) is stored as a
  letter of its own with its own number; :func:`noting_earlier` writes the earlier one
  into its record's ``duplicate_of``. Compared by :func:`identity` (NFC, case folded,
  tones placed by rule, whitespace collapsed); a letter without a number (``Số: /UBND``)
  or without a date or issuer is never the same as another.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from vanthu.models.record import DispatchRecord, DuplicateOf
from vanthu.pipeline.text.normalize import compare_key

#: What the register reads of each stored letter (with the record's JSON; the columns
#: ``vanthu.flows.links.find_links`` reads too).
REGISTER_COLUMNS = "sha256 id file number_symbol issuer date arrival_year arrival_number arrival_date record".split()


def today() -> date:
    """The local day (ngày đến is the day on the office's calendar, not UTC's)."""
    return datetime.now().astimezone().date()


def identity(issuer: str | None, number_symbol: str | None, day: str | None) -> tuple[str, str, str] | None:
    """What makes two stored letters the same letter: issuer, number and symbol, date."""
    if not issuer or not number_symbol or not day:
        return None
    return (compare_key(issuer) or "", "".join((compare_key(number_symbol) or "").split()), day)


class RegisterMixin:
    """The register's queries, for a store with ``_q``, ``_rows`` and ``_tx``."""

    _q: Callable[[str], str]
    _rows: Callable[..., list[dict[str, Any]]]

    def _arrival(self, cur: Any, sha256: str, day: date) -> int:
        """The letter's arrival number, given now unless it has one; inside the caller's
        transaction, after the letter's row is written (so that row is locked)."""
        cur.execute(self._q("SELECT arrival_number FROM documents WHERE sha256 = ?"), (sha256,))
        row = cur.fetchone()
        if row is not None and row[0] is not None:
            return int(row[0])
        cur.execute(
            self._q("INSERT INTO arrival_counter (year, last) VALUES (?, 0) ON CONFLICT (year) DO NOTHING"), (day.year,)
        )
        cur.execute(self._q("UPDATE arrival_counter SET last = last + 1 WHERE year = ? RETURNING last"), (day.year,))
        number = int(cur.fetchone()[0])
        cur.execute(
            self._q("UPDATE documents SET arrival_year = ?, arrival_number = ?, arrival_date = ? WHERE sha256 = ?"),
            (day.year, number, day.isoformat(), sha256),
        )
        return number

    def same_letter(self, record: DispatchRecord) -> DuplicateOf | None:
        """The earliest stored letter (other bytes) that is the same letter as ``record``;
        for a letter stored before, only the ones that arrived before it."""
        key = identity(record.issuer, record.number_symbol if record.number else None, record.date)
        if key is None:
            return None
        sha = record.source.sha256
        cols = "sha256, id, file, issuer, number_symbol, arrival_year, arrival_number"
        rows = self._rows(f"SELECT {cols} FROM documents WHERE date = ?", (record.date,))
        own = next((r for r in rows if r["sha256"] == sha), None)

        def order(r: dict[str, Any]) -> tuple[int, int]:
            return (r["arrival_year"] or 9999, r["arrival_number"] or 1 << 40)

        same = [r for r in rows if r["sha256"] != sha and identity(r["issuer"], r["number_symbol"], record.date) == key]
        if own is not None and own["arrival_number"] is not None:
            same = [r for r in same if order(r) < order(own)]
        if not same:
            return None
        first = min(same, key=order)
        return DuplicateOf(
            id=first["id"],
            file=first["file"],
            number_symbol=first["number_symbol"],
            arrival_year=first["arrival_year"],
            arrival_number=first["arrival_number"],
        )

    def arrival_years(self) -> list[int]:
        """The years in which letters arrived, oldest first."""
        rows = self._rows("SELECT DISTINCT arrival_year FROM documents WHERE arrival_year IS NOT NULL")
        return sorted(int(r["arrival_year"]) for r in rows)

    def register(self, year: int | None = None) -> list[dict[str, Any]]:
        """The stored letters by arrival (year, then number), of one ``year`` or all; each
        with ``record`` parsed (the record as stored: a dict)."""
        where, params = ("WHERE arrival_year = ?", (year,)) if year is not None else ("", ())
        rows = self._rows(
            f"SELECT {', '.join(REGISTER_COLUMNS)} FROM documents {where} "
            "ORDER BY CASE WHEN arrival_year IS NULL THEN 1 ELSE 0 END, arrival_year, arrival_number, file",
            params,
        )
        for row in rows:
            row["record"] = json.loads(row["record"]) if row["record"] else {}
        return rows


class LettersMixin:
    """What ``vanthu letters`` lists: the stored letters, and the files that failed."""

    _rows: Callable[..., list[dict[str, Any]]]

    def letters(self) -> list[dict[str, Any]]:
        """Every stored letter, newest date first, with its task counts (a letter without
        tasks too): number_symbol, date, issuer, subject, doc_type, file, done_path, out_path,
        sha256, tasks, open_tasks."""
        return self._rows(
            "SELECT d.sha256, d.file, d.doc_type, d.number_symbol, d.date, d.issuer, d.subject, d.out_path, "
            "d.done_path, d.last_ingested, COUNT(t.task_id) AS tasks, "
            "COALESCE(SUM(CASE WHEN t.status = 'open' THEN 1 ELSE 0 END), 0) AS open_tasks "
            "FROM documents d LEFT JOIN tasks t ON t.sha256 = d.sha256 "
            "GROUP BY d.sha256, d.file, d.doc_type, d.number_symbol, d.date, d.issuer, d.subject, d.out_path, "
            "d.done_path, d.last_ingested "
            "ORDER BY CASE WHEN d.date IS NULL THEN 1 ELSE 0 END, d.date DESC, d.file"
        )

    def failed_runs(self) -> list[dict[str, Any]]:
        """The failed runs whose letter was not read since (by its hash), the latest per
        file in failed/, oldest first: file, sha256, path, error_class, message, exit_code, finished."""
        rows = self._rows(
            "SELECT r.file, r.sha256, r.path, r.error_class, r.message, r.exit_code, r.finished FROM runs r "
            "WHERE r.outcome = 'failed' AND NOT EXISTS (SELECT 1 FROM documents d "
            "WHERE d.sha256 = r.sha256 AND d.done_path IS NOT NULL) ORDER BY r.id"
        )
        latest = {r["path"] or r["file"]: r for r in rows}
        return list(latest.values())


def noting_earlier(record: DispatchRecord, store: Any) -> DispatchRecord:
    """``record`` with ``duplicate_of`` naming the same letter stored earlier, if any."""
    earlier = store.same_letter(record)
    return record if earlier == record.duplicate_of else record.model_copy(update={"duplicate_of": earlier})
