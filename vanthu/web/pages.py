"""The data of the web page's templates (:mod:`vanthu.web.app`): the letters found by a
search, one letter with its fields, page images and tasks, the tasks with the overdue ones
marked. Pure functions of an open store and the day, no HTTP here.

The fields and the page images are the review's (:mod:`vanthu.views.html`,
:mod:`vanthu.views.pages`): the same rows keyed by JSON pointer, the same boxes, so the
review's script highlights a field's box on the web page too. Their labels are given
again here, translated (the review's are English).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from vanthu.models.record import DispatchRecord
from vanthu.pipeline.i18n import N_
from vanthu.pipeline.text.normalize import fold_accents
from vanthu.views.extras import EXTRA_TITLES
from vanthu.views.html import Section, field_sections
from vanthu.views.pages import PageView
from vanthu.views.terminal import assignment_pointers

#: What the search looks in (number and symbol, subject, issuer).
SEARCHED = ("number_symbol", "subject", "issuer")
#: Which tasks the task page shows (the ``show`` query parameter).
TASK_VIEWS = ("open", "overdue", "all")
#: The resolution of the page images (as ``vanthu review``'s default).
PAGE_DPI = 120

#: Section titles by the first part of their rows' pointers (the header's are field names).
SECTION_TITLES = {
    "header": N_("Letter header"),
    "recipients": N_("Addressed to (Kính gửi)"),
    "references": N_("Documents cited by the letter"),
    "assignments": N_("Assignments in the letter"),
    "signer": N_("Signed by"),
    "distribution": N_("Distribution list (Nơi nhận)"),
    "receipt_stamp": N_("Receipt stamp (ĐẾN)"),
    **EXTRA_TITLES,
}
#: Row labels by the last part of the row's pointer (header fields, reference, signer, stamp parts).
FIELD_LABELS = {
    "doc_type": N_("Type of letter"),
    "parent_issuer": N_("Parent body of the issuer"),
    "issuer": N_("Issuing body"),
    "number_symbol": N_("Number and symbol"),
    "number": N_("Number of the letter"),
    "symbol": N_("Symbol of the letter"),
    "place": N_("Place of issue"),
    "date": N_("Date of the letter"),
    "date_text": N_("Date as printed on the letter"),
    "subject": N_("Subject of the letter"),
    "urgency": N_("Urgency of the letter"),
    "confidentiality": N_("Secrecy of the letter"),
    "deadline": N_("Deadline of the assignment"),
    "references/title": N_("Title of the cited document"),
    "signer/prefix": N_("Signing on behalf (TM., KT. …)"),
    "signer/title": N_("Position of the signer"),
    "signer/name": N_("Name of the signer"),
    "receipt_stamp/number": N_("Arrival number on the stamp"),
    "receipt_stamp/date": N_("Arrival date on the stamp"),
    "receipt_stamp/text": N_("Text of the stamp"),
}
ROLE_LABELS = {
    "lead": N_("lead unit"),
    "support": N_("supporting unit"),
    "recipient": N_("receiving unit"),
    "assignee": N_("assigned unit"),
}


# ------------------------------------------------------------------------------ letters


def matches(row: dict[str, Any], query: str) -> bool:
    """Every word of ``query`` is in the letter's number, subject or issuer, ignoring case
    and accents ("so xay dung" finds "Sở Xây dựng")."""
    text = fold_accents(" ".join(str(row.get(k) or "") for k in SEARCHED))
    compact = text.replace(" ", "")
    return all(word in text or word in compact for word in fold_accents(query).split())


def find_letters(rows: list[dict[str, Any]], query: str | None) -> list[dict[str, Any]]:
    """The letters (newest first, as the store gives them) that ``query`` finds; all of them
    without a query."""
    query = (query or "").strip()
    return [r for r in rows if matches(r, query)] if query else rows


# ------------------------------------------------------------------------------ tasks


def is_overdue(task: dict[str, Any], today: date) -> bool:
    """Open, with a due day before ``today``."""
    return task.get("status") == "open" and bool(task.get("due")) and str(task["due"]) < today.isoformat()


def task_rows(tasks: list[dict[str, Any]], today: date, show: str = "all") -> list[dict[str, Any]]:
    """The store's tasks with ``overdue`` set; ``show`` keeps the open, the overdue, or all."""
    rows = [dict(t, overdue=is_overdue(t, today)) for t in tasks]
    if show == "open":
        return [r for r in rows if r.get("status") == "open"]
    if show == "overdue":
        return [r for r in rows if r["overdue"]]
    return rows


# ------------------------------------------------------------------------------ one letter


def _relabel(row: Any, gettext: Callable[[str], str]) -> Any:
    """The review's row (``FieldRow``) labelled in the page's language."""
    parts = row.ptr.split("/")
    key = f"{parts[1]}/{parts[-1]}"
    if row.kind in ROLE_LABELS:
        row.label = gettext(ROLE_LABELS[row.kind])
    elif row.kind != "item" and (key in FIELD_LABELS or parts[-1] in FIELD_LABELS):
        row.label = gettext(FIELD_LABELS.get(key) or FIELD_LABELS[parts[-1]])
    return row


def letter_sections(record: DispatchRecord, gettext: Callable[[str], str]) -> list[Section]:
    """The review's field sections (empty lists left out), titled and labelled in the page's
    language."""
    out = []
    for section in field_sections(record):
        if not section.rows:
            continue
        first = section.rows[0].ptr.split("/")[1]
        key = first if first in SECTION_TITLES else "header"
        title = gettext(SECTION_TITLES[key])
        if key != "header":
            title = f"{title} ({sum(1 for r in section.rows if r.level == 0)})"
        out.append(Section(title, [_relabel(r, gettext) for r in section.rows]))
    return out


def letter_tasks(record: DispatchRecord, stored: list[dict[str, Any]], today: date) -> list[dict[str, Any]]:
    """The letter's tasks as the store holds them (with their status), each with the pointer
    of its assignment so that its box is highlighted."""
    pointers = assignment_pointers(record)
    rows = task_rows(stored, today)
    for row in rows:
        row["ptr"] = pointers.get(str(row.get("assignment")), "/tasks")
    return rows


@dataclass
class PageImages:
    """A letter's page images, rendered once into the server's cache folder."""

    pages: list[PageView] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)


class PageCache:
    """Page images rendered on the first view of a letter, under ``folder/<sha256>/``; the
    pages' ``src`` is ``<sha256>/page-N.png``, relative to ``/letters/``."""

    def __init__(self, folder: Path):
        self.folder = folder
        self._lock = threading.Lock()
        self._locks: dict[str, threading.Lock] = {}
        self._done: dict[str, PageImages] = {}

    def _lock_of(self, sha256: str) -> threading.Lock:
        with self._lock:
            return self._locks.setdefault(sha256, threading.Lock())

    def get(self, record: DispatchRecord, source: Path | str, gettext: Callable[[str], str]) -> PageImages:
        """The pages of ``record`` read from ``source`` (or, a string, why it was not found)."""
        sha = record.source.sha256
        with self._lock_of(sha):
            if sha not in self._done:
                self._done[sha] = self._render(record, source, gettext)
            return self._done[sha]

    def _render(self, record: DispatchRecord, source: Path | str, gettext: Callable[[str], str]) -> PageImages:
        from vanthu.pipeline.errors import VanthuError
        from vanthu.views.pages import render_pages

        out = PageImages()
        if isinstance(source, str):
            out.notices.append(source)
            return out
        try:
            render_pages(record, source, self.folder, record.source.sha256, PAGE_DPI, out.pages, out.notices)
        except VanthuError as exc:
            out.notices.append(gettext(N_("The page images cannot be shown: {reason}")).format(reason=exc.line()))
        except Exception as exc:  # noqa: BLE001 - the fields are still worth showing
            reason = f"{type(exc).__name__}: {exc}"
            out.notices.append(gettext(N_("The page images cannot be shown: {reason}")).format(reason=reason))
        return out

    def file(self, sha256: str, name: str) -> Path | None:
        """A rendered page image, or None (a name that is not one: no path outside the cache)."""
        if not (len(sha256) == 64 and all(c in "0123456789abcdef" for c in sha256)):
            return None
        if "/" in name or "\\" in name or not name.startswith("page-"):
            return None
        path = self.folder / sha256 / name
        return path if path.is_file() else None


def original_of(row: dict[str, Any], record: DispatchRecord, gettext: Callable[[str], str]) -> Path | str:
    """The letter's original: where the store says it went (done/), else looked for beside
    its JSON in out/ and in done/ as ``vanthu review`` does; else why it was not found."""
    from vanthu.flows.inbox import sha256_file
    from vanthu.views.originals import find_original

    done = row.get("done_path")
    if done:
        try:
            if Path(done).is_file() and sha256_file(Path(done)) == record.source.sha256:
                return Path(done)
        except OSError:
            pass
    out_path = row.get("out_path")
    if out_path:
        found, _search = find_original(Path(out_path), record)
        if found is not None:
            return found
    return gettext(N_("The original letter {file} was not found; no page images.")).format(file=record.source.file)
