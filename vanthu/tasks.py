"""`vanthu tasks`: the tasks in the store, as a table, JSON, CSV or an iCalendar of to-dos
(:mod:`vanthu.taskcal`); closing and reopening them."""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from vanthu.pipeline.errors import ExitCode
from vanthu.pipeline.i18n import N_, _, ngettext

if TYPE_CHECKING:  # pragma: no cover
    pass

# -------------------------------------------------------------------------------- tasks

TASK_FIELDS = (
    "task_id",
    "status",
    "overdue",
    "due",
    "due_kind",
    "deadline",
    "deadline_text",
    "assignee",
    "role",
    "assignment",
    "action",
    "recurring",
    "number_symbol",
    "doc_date",
    "file",
    "subject",
)


def cmd_tasks(
    root: Path,
    *,
    store: str | None = None,
    open_only: bool = False,
    assignee: str | None = None,
    due_before: date | None = None,
    overdue: bool = False,
    fmt: str = "table",
    close: list[str] | None = None,
    reopen: list[str] | None = None,
    today: date | None = None,
) -> int:
    """List the tasks of the store (as a table, JSON, CSV or iCalendar), or close/reopen some. A task
    is overdue when it is open and its ``due`` day is before ``today`` (default: the
    machine's date); ``overdue`` lists only those. An unknown id to close or reopen is an
    ``UnknownTask`` error naming it (exit 3), and nothing is changed."""
    from vanthu.flows.store import default_url, open_store
    from vanthu.pipeline.errors import InputNotFound

    url = store or default_url(root)
    if store is None and not (root / "vanthu.db").exists():
        raise InputNotFound(
            root / "vanthu.db", _("no task store here"), hint=_("run `vanthu watch ROOT` first, or pass --store URL")
        )
    today = today or date.today()
    with open_store(url) as db:
        if close or reopen:
            ids = close or reopen or []
            n = db.set_status(ids, "done" if close else "open")
            marked = (
                ngettext("{n} of {total} task marked done", "{n} of {total} tasks marked done", len(ids))
                if close
                else ngettext("{n} of {total} task marked open", "{n} of {total} tasks marked open", len(ids))
            )
            print(marked.format(n=n, total=len(ids)))
            return int(ExitCode.OK)
        rows = db.tasks(
            open_only=open_only, assignee=assignee, due_before=due_before, overdue_on=today if overdue else None
        )
        if fmt == "ics":
            from vanthu.output import write_stdout
            from vanthu.taskcal import to_ics, urgency_of_letters

            write_stdout(to_ics(rows, urgency_of_letters(db, rows)))
            return int(ExitCode.OK)
    for r in rows:
        r["overdue"] = r.get("status") == "open" and bool(r.get("due")) and r["due"] < today.isoformat()
    out = format_tasks([{k: r.get(k) for k in TASK_FIELDS} for r in rows], fmt)
    if fmt == "csv" and hasattr(sys.stdout, "buffer"):  # UTF-8 with a BOM whatever the locale
        sys.stdout.flush()
        sys.stdout.buffer.write(out.encode("utf-8"))
        sys.stdout.buffer.flush()
    else:
        sys.stdout.write(out)
    return int(ExitCode.OK)


def format_tasks(rows: list[dict], fmt: str, width: int | None = None) -> str:
    """The rows as JSON, as CSV (with a byte-order mark, so that Excel reads it as UTF-8;
    booleans as true/false) or as a table ``width`` columns wide (default: the terminal's)."""
    if fmt == "json":
        return json.dumps(rows, ensure_ascii=False, indent=2) + "\n"
    if fmt == "csv":
        import csv
        import io

        buf = io.StringIO()
        w = csv.DictWriter(buf, fieldnames=TASK_FIELDS, lineterminator="\r\n")
        w.writeheader()
        w.writerows({k: (str(v).lower() if isinstance(v, bool) else v) for k, v in r.items()} for r in rows)
        return "\ufeff" + buf.getvalue()
    return _task_table(rows, width)


#: (header, row key, rich column options, shown on a narrow terminal too)
#: A task's statuses, as the table shows them (translated where shown).
STATUS_NAMES = (N_("open"), N_("done"))
TABLE_COLUMNS = (
    (N_("due"), "due", {"no_wrap": True}, True),
    (N_("status"), "status", {"no_wrap": True}, True),
    (N_("assignee"), "assignee", {"min_width": 14, "ratio": 2}, True),
    (N_("role"), "role", {"no_wrap": True}, False),
    (N_("letter"), "number_symbol", {"no_wrap": True}, False),
    (N_("item"), "assignment", {"no_wrap": True}, True),
    (N_("action"), "action", {"min_width": 12, "ratio": 4, "no_wrap": True, "overflow": "ellipsis"}, True),
    (N_("task id"), "task_id", {"no_wrap": True}, True),
)
NARROW_TABLE = 110  # below this many columns, the table leaves out the role and the letter


def _task_table(rows: list[dict], width: int | None) -> str:
    """A rich table at the terminal's width (``COLUMNS``, else 80 when not a terminal); the
    action is cut to the room left; open tasks past their due day are flagged "OVERDUE"
    (in red on a terminal)."""
    import io
    import shutil

    from rich.console import Console
    from rich.table import Table

    width = width or shutil.get_terminal_size().columns
    cols = [c for c in TABLE_COLUMNS if c[3] or width >= NARROW_TABLE]
    table = Table(box=None, header_style="bold", pad_edge=False, expand=True)
    for header, _key, opts, _wide in cols:
        table.add_column(_(header), **opts)
    for r in rows:
        cells = {**r, "status": _("OVERDUE") if r.get("overdue") else _(str(r.get("status") or ""))}
        cells["action"] = " ".join(str(r.get("action") or "").split())
        table.add_row(*(str(cells.get(key) or "") for _, key, _, _ in cols), style="red" if r.get("overdue") else None)
    buf = io.StringIO()
    Console(file=buf, width=width, force_terminal=sys.stdout.isatty(), soft_wrap=False).print(table)
    late = sum(1 for r in rows if r.get("overdue"))
    count = ngettext("{n} task", "{n} tasks", len(rows)).format(n=len(rows))
    if late:
        count += ", " + ngettext("{n} overdue", "{n} overdue", late).format(n=late)
    return buf.getvalue() + count + "\n"
