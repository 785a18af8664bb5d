"""The bodies of the ``vanthu`` commands that are not views: ``extract``, ``schema`` and
``tasks``, and what every command that reads letters shares: the folders expanded into
letters, and the extraction through the isolation of ``vanthu.pipeline.run.isolate`` (a
child process with time and memory limits, so one hostile file cannot hang a command).

The extract path imports neither Prefect nor spaCy/underthesea until a letter needs them.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from vanthu.output import exit_code_for, report, write_atomic
from vanthu.pipeline.errors import ExitCode, UnsupportedFormat, UsageError, VanthuError

if TYPE_CHECKING:  # pragma: no cover
    from vanthu.models.record import DispatchRecord
    from vanthu.pipeline.settings import Settings

# ------------------------------------------------------------------ shared by the commands


def expand(paths: list[Path]) -> list[Path]:
    """Files as given; folders become the letters in them (recursively, sorted)."""
    from vanthu.pipeline.read.detect import DOC_SUFFIXES

    out: list[Path] = []
    for p in paths:
        if p.is_dir():
            out.extend(
                sorted(
                    f
                    for f in p.rglob("*")
                    if f.is_file()
                    and f.suffix.lower() in DOC_SUFFIXES
                    and not any(part.startswith(".") for part in f.relative_to(p).parts)
                )
            )
        else:
            out.append(p)
    return out


def isolation_settings(
    *,
    timeout_s: float | None = None,
    timeout_per_page_s: float | None = None,
    memory_mb: int | None = None,
    max_pages: int | None = None,
) -> Settings:
    """The settings, read once (``VANTHU_*`` variables, the ``VANTHU_CONFIG`` file), with the
    command's limit flags over them (None: not given)."""
    from vanthu.pipeline.settings import load_settings

    return load_settings(
        limits__timeout_s=timeout_s,
        limits__timeout_per_page_s=timeout_per_page_s,
        limits__memory_mb=memory_mb,
        limits__max_pages=max_pages,
    )


def workers(requested: int | None, settings: Settings) -> int:
    """Documents read at once: ``--workers``, else the settings' (``VANTHU_WORKERS``,
    default 2); at most the CPU count."""
    if requested is None:
        requested = settings.workers
    if requested < 1:
        raise UsageError("--workers", f"must be at least 1, not {requested}")
    return min(requested, os.cpu_count() or 1)


def extract_one(
    path: Path, settings: Settings | None = None, *, isolate: bool = True, warm: bool = True
) -> DispatchRecord:
    """The record of one letter, read as ``vanthu extract`` reads it: in a bounded child
    process (unless ``isolate`` is false: in this process, for debugging); raises its
    ``VanthuError``. With ``warm`` the forkserver loads the pipeline once (for a batch)."""
    from vanthu.pipeline.run.isolate import extract_isolated, extract_many

    if settings is None:
        settings = isolation_settings()
    if isolate and warm:
        return extract_isolated(path, settings)
    for _, outcome in extract_many([Path(path)], settings, workers=1, isolate=isolate):
        if isinstance(outcome, BaseException):
            raise outcome
        return outcome
    raise AssertionError("unreachable")  # pragma: no cover


# ------------------------------------------------------------------------------ extract


def _out_name(path: Path, used: set[str]) -> str:
    name = f"{path.stem}.json"
    if name in used:  # letter.pdf and letter.png in one batch
        name = f"{path.name}.json"
    used.add(name)
    return name


class _Results:
    """Where the records of ``extract`` go: files in ``out``, JSON Lines, or one JSON
    document printed at the end."""

    def __init__(self, out: Path | None, jsonl: bool, n_files: int, debug: bool):
        self.out, self.jsonl, self.n_files, self.debug = out, jsonl, n_files, debug
        self.failures: list[ExitCode] = []
        self.records: list[str] = []
        self.used: set[str] = set()

    def add(self, path: Path, record: DispatchRecord | VanthuError) -> None:
        if isinstance(record, VanthuError):
            self.failures.append(report(record, debug=self.debug))
            return
        if self.out is not None:
            target = self.out / _out_name(path, self.used)
            try:
                write_atomic(target, record.to_json() + "\n")
            except VanthuError as exc:
                self.failures.append(report(exc, debug=self.debug))
                return
            print(f"{path} -> {target}")
        elif self.jsonl:
            sys.stdout.write(record.model_dump_json(ensure_ascii=False) + "\n")
            sys.stdout.flush()
        else:
            self.records.append(record.to_json())

    def finish(self) -> int:
        if self.out is None and not self.jsonl and self.records:
            records = self.records
            sys.stdout.write(records[0] + "\n" if self.n_files == 1 else "[\n" + ",\n".join(records) + "\n]\n")
        return int(exit_code_for(self.failures))


def cmd_extract(
    paths: list[Path],
    out: Path | None,
    jsonl: bool,
    *,
    debug: bool = False,
    settings: Settings | None = None,
    workers: int = 1,
    isolate: bool = True,
    quiet: bool = False,
) -> int:
    from vanthu.pipeline.run.isolate import extract_many

    files = expand(paths)
    if not files:
        raise UnsupportedFormat(", ".join(map(str, paths)), "no letters found (PDF, images, .txt, .md)")
    if settings is None:
        settings = isolation_settings()
    results = _Results(out, jsonl, len(files), debug)
    bar: contextlib.AbstractContextManager = contextlib.nullcontext()
    if len(files) > 1:  # a bar is for several files; one letter starts faster without rich
        from vanthu.views.progress import FileProgress

        bar = FileProgress(len(files), "extract", quiet=quiet)
    with bar as progress:
        for path, record in extract_many(files, settings, workers=workers, isolate=isolate):
            if progress is not None:
                progress.start(path.name)
                progress.done()
            results.add(path, record)
    return results.finish()


# ------------------------------------------------------------------------------- schema


def cmd_schema(out: Path | None, *, markdown: bool = False) -> int:
    from vanthu.models import json_schema

    if markdown:
        from vanthu.views.schemadoc import markdown_tables

        text = markdown_tables()
    else:
        text = json.dumps(json_schema(), ensure_ascii=False, indent=2) + "\n"
    if out is None:
        sys.stdout.write(text)
    else:
        write_atomic(out, text)
    return 0


# -------------------------------------------------------------------------------- tasks

TASK_FIELDS = (
    "task_id",
    "status",
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
    fmt: str = "table",
    close: list[str] | None = None,
    reopen: list[str] | None = None,
) -> int:
    """List the tasks of the store (as a table, JSON or CSV), or close/reopen some."""
    from vanthu.flows.store import default_url, open_store
    from vanthu.pipeline.errors import InputNotFound

    url = store or default_url(root)
    if store is None and not (root / "vanthu.db").exists():
        raise InputNotFound(
            root / "vanthu.db", "no task store here", hint="run `vanthu watch ROOT` first, or pass --store URL"
        )
    with open_store(url) as db:
        if close or reopen:
            ids = close or reopen or []
            n = db.set_status(ids, "done" if close else "open")
            print(f"{n} of {len(ids)} task(s) marked {'done' if close else 'open'}")
            return int(ExitCode.OK if n == len(ids) else ExitCode.NOT_FOUND)
        rows = db.tasks(open_only=open_only, assignee=assignee, due_before=due_before)
    sys.stdout.write(format_tasks([{k: r.get(k) for k in TASK_FIELDS} for r in rows], fmt))
    return int(ExitCode.OK)


def format_tasks(rows: list[dict], fmt: str) -> str:
    if fmt == "json":
        return json.dumps(rows, ensure_ascii=False, indent=2) + "\n"
    if fmt == "csv":
        import csv
        import io

        buf = io.StringIO()
        w = csv.DictWriter(buf, fieldnames=TASK_FIELDS, lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
        return buf.getvalue()
    return _task_table(rows)


def _task_table(rows: list[dict]) -> str:
    cols = [
        ("deadline", "deadline", 10),
        ("status", "status", 6),
        ("assignee", "assignee", 34),
        ("role", "role", 9),
        ("number_symbol", "letter", 16),
        ("assignment", "item", 6),
        ("action", "action", 60),
        ("task_id", "task id", 80),
    ]

    def cut(v, n):
        s = "" if v is None else " ".join(str(v).split())
        return s if len(s) <= n else s[: n - 1] + "…"

    lines = ["  ".join(h.ljust(n) for _, h, n in cols).rstrip()]
    for r in rows:
        lines.append("  ".join(cut(r[k], n).ljust(n) for k, _, n in cols).rstrip())
    lines.append(f"{len(rows)} task(s)")
    return "\n".join(lines) + "\n"


# ------------------------------------------------------------------------------- status


def cmd_status(
    root: Path,
    *,
    store: str | None = None,
    fmt: str = "table",
    max_age: float = 300.0,
    folders: dict[str, str] | None = None,
) -> int:
    """The health of an ingestion tree (``vanthu.flows.health``): exit 0 when a sweep ran
    within ``max_age`` seconds, 1 when not (or never)."""
    from vanthu.flows.health import FAILURE_WINDOW, tree_status
    from vanthu.flows.inbox import Layout
    from vanthu.flows.store import default_url, open_store
    from vanthu.pipeline.errors import InputNotFound

    if not root.is_dir():
        raise InputNotFound(root, "no such folder", hint="give the ROOT that `vanthu watch ROOT` ingests")
    layout = Layout.under(root, **(folders or {}))
    runs: list[dict] = []
    if store is not None or (layout.root / "vanthu.db").exists():
        from datetime import UTC, datetime

        since = (datetime.now(UTC) - FAILURE_WINDOW).isoformat(timespec="seconds")
        with open_store(store or default_url(layout.root)) as db:
            runs = db.runs_since(since)
    status = tree_status(layout, runs, max_age)
    if fmt == "json":
        sys.stdout.write(json.dumps(status, ensure_ascii=False, indent=2) + "\n")
    else:
        sys.stdout.write(format_status(status))
    return int(ExitCode.OK if status["healthy"] else ExitCode.SOME_FAILED)


def _ago(seconds: float | None) -> str:
    if seconds is None:
        return "?"
    if seconds < 120:
        return f"{seconds:.0f} s"
    return f"{seconds / 60:.0f} min" if seconds < 7200 else f"{seconds / 3600:.1f} h"


def format_status(status: dict) -> str:
    sweep = status["last_sweep"]
    health = "OK" if status["healthy"] else f"STALE (no sweep within {status['max_age_s']:g} s)"
    lines = [f"{status['root']}: {health}"]
    if sweep is None:
        lines.append("last sweep:   never")
    else:
        counts = sweep.get("counts") or {}
        shown = ", ".join(f"{k} {v}" for k, v in counts.items() if k in ("done", "failed", "duplicate", "retaken"))
        lines.append(
            f"last sweep:   {sweep.get('time')} ({_ago(sweep['age_s'])} ago)"
            + f" on {sweep.get('host')} pid {sweep.get('pid')}"
            + (f": {shown}" if shown else "")
            + (f"; error: {sweep['error']}" if sweep.get("error") else "")
        )
    inbox = status["inbox"]
    oldest = f", oldest {_ago(inbox['oldest_s'])}" if inbox["oldest_s"] is not None else ""
    lines.append(f"inbox:        {inbox['files']} file(s) waiting{oldest}")
    claims = status["processing"]
    lines.append(f"processing:   {len(claims)} claim(s)")
    for c in claims:
        state = "EXPIRED" if c["expired"] else "held"
        lines.append(
            f"  {c['name']}  {state}, claimed {_ago(c['claimed_s'])} ago by {c['host']} pid {c['pid']}, "
            f"renewed {_ago(c['renewed_s'])} ago (lease {c['lease_s']:g} s)"
        )
    lines.append(f"failed:       {status['failed_last_day']} in the last day ({status['failed_folder']} in failed/)")
    for f in status["failures"][:10]:
        lines.append(f"  {f['finished']}  {f['message'] or f['file']}")
    return "\n".join(lines) + "\n"
