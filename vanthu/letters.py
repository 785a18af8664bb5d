"""``vanthu letters [ROOT]``: the letters ingested into the store (number and symbol, date,
issuer, subject, tasks, status, the original in done/), a letter without tasks included;
with ``--failed``, the files that could not be read and why (the store's failed runs and
the ``failed/<name>.error.json`` reports beside the originals).

In JSON each letter also lists the stored letters it ``cites`` and those it is
``cited_by`` (:mod:`vanthu.linking`).

Formats: a table at the terminal's width (rich), JSON, or CSV in UTF-8 with a BOM (so
Excel on Windows reads the Vietnamese).
"""

from __future__ import annotations

import csv
import io
import json
import sys
from pathlib import Path
from typing import Any

from vanthu.output import write_stdout
from vanthu.pipeline.errors import ExitCode, InputNotFound
from vanthu.pipeline.i18n import N_, _, ngettext

LETTER_FIELDS = (
    "number_symbol",
    "date",
    "issuer",
    "subject",
    "doc_type",
    "tasks",
    "open_tasks",
    "status",
    "done_path",
    "file",
    "sha256",
)
FAILED_FIELDS = ("file", "failed_at", "reason", "path", "error_class", "exit_code", "sha256")
#: A letter's status: its original not yet in done/, no tasks, some open, all closed.
UNFINISHED, NO_TASKS, OPEN, CLOSED = N_("not in done/"), N_("no tasks"), N_("open"), N_("closed")
#: Where the error reports of failed files end (``vanthu.flows.inbox.ERROR_SUFFIX``).
ERROR_SUFFIX = ".error.json"


def letter_status(row: dict[str, Any]) -> str:
    if not row.get("done_path"):
        return UNFINISHED
    if not row.get("tasks"):
        return NO_TASKS
    return OPEN if row.get("open_tasks") else CLOSED


def letter_rows(db: Any) -> list[dict[str, Any]]:
    rows = []
    for row in db.letters():
        row = dict(row, tasks=int(row["tasks"] or 0), open_tasks=int(row["open_tasks"] or 0))
        row["status"] = letter_status(row)
        rows.append({k: row.get(k) for k in LETTER_FIELDS})
    return rows


def _reason(message: str | None, file: str) -> str:
    """The reason alone: the message names the file first (``name: reason``)."""
    text = message or ""
    return text[len(file) + 2 :] if text.startswith(f"{file}: ") else text


def _error_reports(failed_dir: Path) -> list[dict[str, Any]]:
    """The ``<name>.error.json`` reports in failed/ (one that cannot be read is listed as such)."""
    out = []
    for report in sorted(failed_dir.glob(f"*{ERROR_SUFFIX}")) if failed_dir.is_dir() else []:
        original = report.with_name(report.name[: -len(ERROR_SUFFIX)])
        try:
            data = json.loads(report.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            data = {
                "file": original.name,
                "message": _("{name}: the error report cannot be read ({why})").format(name=original.name, why=exc),
            }
        out.append(
            {
                "file": data.get("file") or original.name,
                "failed_at": data.get("time"),
                "reason": _reason(data.get("message"), data.get("file") or original.name),
                "path": str(original.absolute()),  # as the store names it, whatever ROOT was given as
                "error_class": data.get("error_class"),
                "exit_code": data.get("exit_code"),
                "sha256": data.get("sha256"),
            }
        )
    return out


def failed_rows(db: Any | None, failed_dir: Path | None) -> list[dict[str, Any]]:
    """The failed files: the store's failed runs, then reports in failed/ the store lacks."""
    rows: dict[str, dict[str, Any]] = {}
    for run in db.failed_runs() if db is not None else []:
        key = str(run["path"] or run["file"])
        rows[key] = {
            "file": run["file"],
            "failed_at": run["finished"],
            "reason": _reason(run["message"], run["file"]),
            "path": run["path"],
            "error_class": run["error_class"],
            "exit_code": run["exit_code"],
            "sha256": run["sha256"],
        }
    for report in _error_reports(failed_dir) if failed_dir is not None else []:
        rows.setdefault(report["path"], report)
    return list(rows.values())


# ------------------------------------------------------------------------------ formats


def to_csv(rows: list[dict[str, Any]], fields: tuple[str, ...]) -> str:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=fields, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return "\ufeff" + buf.getvalue()


def _shown(path: str | None, root: Path) -> str:
    if not path:
        return "—"
    try:
        return str(Path(path).relative_to(root.absolute()))
    except ValueError:
        return path


def _terminal_width() -> int:
    """The width of the terminal we print to (rich's own guess: COLUMNS, else 80)."""
    from rich.console import Console

    return Console(file=sys.stdout).width


def to_table(rows: list[dict[str, Any]], root: Path, *, failed: bool, width: int | None = None) -> str:
    """A rich table at the terminal's width (``width`` for tests), with a count below."""
    from rich.console import Console
    from rich.table import Table

    table = Table(show_edge=False, pad_edge=False, expand=False, header_style="bold")
    if failed:
        for name, ratio in ((N_("file"), 2), (N_("failed at"), 1), (N_("reason"), 5), (N_("in"), 2)):
            table.add_column(_(name), ratio=ratio, overflow="fold")
        for r in rows:
            table.add_row(r["file"], r["failed_at"] or "—", r["reason"] or "—", _shown(r["path"], root))
    else:
        for name, ratio in (
            (N_("letter"), 2),
            (N_("date"), 1),
            (N_("issuer"), 3),
            (N_("subject"), 5),
            (N_("tasks"), 1),
        ):
            table.add_column(_(name), ratio=ratio, overflow="fold")
        table.add_column(_("status"), ratio=1, overflow="fold")
        table.add_column(_("in done/"), ratio=2, overflow="fold")
        for r in rows:
            tasks = _("{open}/{total} open").format(open=r["open_tasks"], total=r["tasks"]) if r["tasks"] else "0"
            table.add_row(
                r["number_symbol"] or "—",
                r["date"] or "—",
                r["issuer"] or "—",
                r["subject"] or "—",
                tasks,
                _(r["status"]),
                _shown(r["done_path"], root),
            )
    console = Console(file=io.StringIO(), width=width or _terminal_width(), highlight=False, soft_wrap=False)
    console.print(table)
    n = len(rows)
    count = ngettext("{n} failed file", "{n} failed files", n) if failed else ngettext("{n} letter", "{n} letters", n)
    return console.file.getvalue() + count.format(n=n) + "\n"  # type: ignore[attr-defined]


def cmd_letters(
    root: Path,
    *,
    store: str | None = None,
    fmt: str = "table",
    failed: bool = False,
    failed_dir: Path | None = None,
    width: int | None = None,
) -> int:
    """List the ingested letters, or (``failed``) the files that failed and why."""
    from vanthu.flows.store import default_url, open_store

    failed_dir = failed_dir if failed_dir is not None else root / "failed"
    has_store = store is not None or (root / "vanthu.db").exists()
    if not has_store and not (failed and failed_dir.is_dir()):
        raise InputNotFound(
            root / "vanthu.db", _("no task store here"), hint=_("run `vanthu watch ROOT` first, or pass --store URL")
        )
    db = open_store(store or default_url(root)) if has_store else None
    try:
        rows = failed_rows(db, failed_dir) if failed else letter_rows(db)
        if fmt == "json" and not failed:  # each letter's "cites →" and "cited by ←"
            from vanthu.linking import links_of, stored_links

            links, docs = stored_links(db)
            rows = [dict(r, **links_of(r["sha256"], links, docs)) for r in rows]
    finally:
        if db is not None:
            db.close()
    fields = FAILED_FIELDS if failed else LETTER_FIELDS
    if fmt == "json":
        write_stdout(json.dumps(rows, ensure_ascii=False, indent=2) + "\n")
    elif fmt == "csv":
        write_stdout(to_csv(rows, fields))
    else:
        write_stdout(to_table(rows, root, failed=failed, width=width))
    return int(ExitCode.OK)
