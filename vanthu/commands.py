"""The bodies of the ``vanthu`` commands that are not views: ``extract``, ``schema``, ``deploy`` and
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
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from vanthu.output import exit_code_for, report, say, write_atomic
from vanthu.pipeline.errors import ExitCode, UnsupportedFormat, UsageError, VanthuError

if TYPE_CHECKING:  # pragma: no cover
    from vanthu.models.record import DispatchRecord
    from vanthu.pipeline.run.isolate import Letter
    from vanthu.pipeline.settings import Settings

# ------------------------------------------------------------------ shared by the commands

#: The name of a letter read from standard input (``vanthu extract -``): its ``source.file``.
STDIN_NAME = "stdin"
STDIN_PREFIX = "vanthu-stdin-"


def shown(path: Path) -> str:
    """How a letter is named in messages: ``-`` for standard input, else its path."""
    return "-" if path.name == STDIN_NAME and path.parent.name.startswith(STDIN_PREFIX) else str(path)


def expand(paths: list[Path], on_skip: Callable[[VanthuError], None] | None = None) -> list[Path]:
    """Files as given; folders become the letters in them (recursively, sorted). Every other
    file of a folder is skipped, and ``on_skip`` gets why: the error the file would give if
    it were named directly ("notes.docx: this is an Office document …"). Hidden files are
    skipped silently."""
    from vanthu.pipeline.read.detect import DOC_SUFFIXES

    out: list[Path] = []
    for p in paths:
        if not p.is_dir():
            out.append(p)
            continue
        for f in sorted(p.rglob("*")):
            if any(part.startswith(".") for part in f.relative_to(p).parts) or f.is_dir():
                continue
            if f.is_file() and not f.is_symlink() and f.suffix.lower() in DOC_SUFFIXES:
                out.append(f)
            elif on_skip is not None:
                on_skip(skip_reason(f))
    return out


def skip_reason(path: Path) -> VanthuError:
    """Why a file of a folder is not read: the error of naming it directly, or, for a file
    that would be read (a text file with another ending), that its name is not a letter's."""
    from vanthu.pipeline.read.detect import load_input

    try:
        load_input(path)
    except VanthuError as exc:
        return exc
    return UnsupportedFormat(
        path,
        f"{path.suffix or 'a name without an ending'} is not a letter's file ending (PDF, images, .txt, .md)",
        hint="name the file directly to read it",
    )


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


def letter_label(letter: Letter) -> str:
    """A letter as messages name it: its path (``-`` for standard input), or its page
    images' paths joined."""
    from vanthu.pipeline.run.isolate import letter_label as label

    return shown(letter) if isinstance(letter, Path) else label(letter)


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


def _out_name(path: Letter, used: set[str]) -> str:
    if isinstance(path, tuple):  # pages photographed one by one: name.p1.jpg … → name.json
        from vanthu.pipeline.read.parts import part_of

        first = path[0]
        stem = (part_of(first) or (first.stem, 1))[0]
        name = f"{stem}.json" if f"{stem}.json" not in used else f"{first.name}.json"
        used.add(name)
        return name
    name = f"{path.stem}.json"
    if name in used:  # letter.pdf and letter.png in one batch
        name = f"{path.name}.json"
    used.add(name)
    return name


class _Results:
    """Where the records of ``extract`` go: files in ``out``, JSON Lines, or one JSON
    document printed at the end."""

    def __init__(
        self, out: Path | None, jsonl: bool, n_files: int, debug: bool, pdfs: dict[Letter, Path] | None = None
    ):
        self.out, self.jsonl, self.n_files, self.debug = out, jsonl, n_files, debug
        self.pdfs = pdfs or {}
        self.failures: list[ExitCode] = []
        self.records: list[str] = []
        self.used: set[str] = set()

    def add(self, path: Letter, record: DispatchRecord | VanthuError) -> None:
        if isinstance(record, VanthuError):
            if record.path == str(path):
                record.path = letter_label(path)
            self.failures.append(report(record, debug=self.debug))
            return
        if path in self.pdfs:
            how = " (copied as it is: it has a text layer)" if record.source.text_source == "text-layer" else ""
            print(f"{letter_label(path)} -> {self.pdfs[path]}{how}", file=sys.stderr)
        if self.out is not None:
            target = self.out / _out_name(path, self.used)
            try:
                write_atomic(target, record.to_json() + "\n")
            except VanthuError as exc:
                self.failures.append(report(exc, debug=self.debug))
                return
            print(f"{letter_label(path)} -> {target}")
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
    pdf: Path | None = None,
    as_one: bool = False,
) -> int:
    with stdin_letter(paths) as files:
        return _extract_files(
            files,
            out,
            jsonl,
            debug=debug,
            settings=settings,
            workers=workers,
            isolate=isolate,
            quiet=quiet,
            pdf=pdf,
            as_one=as_one,
        )


@contextlib.contextmanager
def stdin_letter(paths: list[Path]) -> Iterator[list[Path]]:
    """``-`` among ``paths``: standard input is written to a private temporary file named
    ``stdin`` (so the record's ``source.file`` is "stdin"), which is removed afterwards."""
    if Path("-") not in paths:
        yield paths
        return
    if paths.count(Path("-")) > 1:
        raise UsageError("-", "standard input can be read only once")
    import shutil
    import tempfile

    folder = Path(tempfile.mkdtemp(prefix=STDIN_PREFIX))  # mode 0700: private
    try:
        letter = folder / STDIN_NAME
        with open(letter, "wb") as fh:
            shutil.copyfileobj(sys.stdin.buffer, fh)
        yield [letter if p == Path("-") else p for p in paths]
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _extract_files(
    paths: list[Path],
    out: Path | None,
    jsonl: bool,
    *,
    debug: bool,
    settings: Settings | None,
    workers: int,
    isolate: bool,
    quiet: bool,
    pdf: Path | None,
    as_one: bool,
) -> int:
    from vanthu.pipeline.run.isolate import extract_many

    files = expand(paths, on_skip=lambda exc: say(f"skipped {exc.line()}"))
    if not files:
        raise UnsupportedFormat(", ".join(map(str, paths)), "no letters found")
    if settings is None:
        settings = isolation_settings()
    letters: list[Letter] = list(files)
    if as_one:
        if len(files) < 2:
            raise UsageError("--as-one", f"joins two or more page images into one letter; {len(files)} given")
        letters = [tuple(files)]
    pdfs = pdf_targets(letters, pdf)
    results = _Results(out, jsonl, len(letters), debug, pdfs)
    bar: contextlib.AbstractContextManager = contextlib.nullcontext()
    if len(letters) > 1:  # a bar is for several files; one letter starts faster without rich
        from vanthu.views.progress import FileProgress

        bar = FileProgress(len(letters), "extract", quiet=quiet)
    with bar as progress:
        for path, record in extract_many(letters, settings, workers=workers, isolate=isolate, pdfs=pdfs):
            if progress is not None:
                progress.start(Path(letter_label(path)).name)
                progress.done()
            results.add(path, record)
    return results.finish()


def pdf_targets(files: list[Letter], pdf: Path | None) -> dict[Letter, Path]:
    """Where ``--pdf`` puts each letter's searchable PDF: a path ending in ``.pdf`` is the
    PDF of the one letter; any other path is a folder, with ``<stem>.pdf`` per letter."""
    if pdf is None:
        return {}
    if str(pdf).strip() == "":
        raise UsageError("--pdf", "an empty path; give the PDF file (one letter) or a folder")
    if pdf.suffix.lower() == ".pdf" and not pdf.is_dir():
        if len(files) == 1:
            return {files[0]: pdf}
        raise UsageError("--pdf", f"{len(files)} letters cannot all go into {pdf}; give a folder for their PDFs")
    used: set[str] = set()
    return {f: pdf / (_out_name(f, used)[: -len(".json")] + ".pdf") for f in files}


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
    """List the tasks of the store (as a table, JSON or CSV), or close/reopen some. A task
    is overdue when it is open and its ``due`` day is before ``today`` (default: the
    machine's date); ``overdue`` lists only those. An unknown id to close or reopen is an
    ``UnknownTask`` error naming it (exit 3), and nothing is changed."""
    from vanthu.flows.store import default_url, open_store
    from vanthu.pipeline.errors import InputNotFound

    url = store or default_url(root)
    if store is None and not (root / "vanthu.db").exists():
        raise InputNotFound(
            root / "vanthu.db", "no task store here", hint="run `vanthu watch ROOT` first, or pass --store URL"
        )
    today = today or date.today()
    with open_store(url) as db:
        if close or reopen:
            ids = close or reopen or []
            n = db.set_status(ids, "done" if close else "open")
            print(f"{n} of {len(ids)} task(s) marked {'done' if close else 'open'}")
            return int(ExitCode.OK)
        rows = db.tasks(
            open_only=open_only, assignee=assignee, due_before=due_before, overdue_on=today if overdue else None
        )
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
TABLE_COLUMNS = (
    ("due", "due", {"no_wrap": True}, True),
    ("status", "status", {"no_wrap": True}, True),
    ("assignee", "assignee", {"min_width": 14, "ratio": 2}, True),
    ("role", "role", {"no_wrap": True}, False),
    ("letter", "number_symbol", {"no_wrap": True}, False),
    ("item", "assignment", {"no_wrap": True}, True),
    ("action", "action", {"min_width": 12, "ratio": 4, "no_wrap": True, "overflow": "ellipsis"}, True),
    ("task id", "task_id", {"no_wrap": True}, True),
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
    for header, _, opts, _ in cols:
        table.add_column(header, **opts)
    for r in rows:
        cells = {**r, "status": "OVERDUE" if r.get("overdue") else r.get("status")}
        cells["action"] = " ".join(str(r.get("action") or "").split())
        table.add_row(*(str(cells.get(key) or "") for _, key, _, _ in cols), style="red" if r.get("overdue") else None)
    buf = io.StringIO()
    Console(file=buf, width=width, force_terminal=sys.stdout.isatty(), soft_wrap=False).print(table)
    late = sum(1 for r in rows if r.get("overdue"))
    return buf.getvalue() + f"{len(rows)} task(s)" + (f", {late} overdue" if late else "") + "\n"


# ------------------------------------------------------------------------------- deploy


def cmd_deploy(root: Path, *, pool: str, name: str, store: str | None, **options) -> int:
    """Register the ``ingest_folder`` deployment on a process work pool and say how to run it
    (``options``: folders, settle, lease, interval, cron of :func:`deploy_ingest`)."""
    from vanthu.flows.deploy import deploy_ingest

    done = deploy_ingest(root, pool=pool, name=name, store=store, **options)
    pool_text = "created, type process" if done.pool_created else "existing"
    print(f"deployment {done.full_name} ({done.deployment_id}) on work pool {done.pool!r} ({pool_text})")
    print(f"  sweeps {done.parameters['folders']['inbox']} {done.schedule}; tasks in {done.store_url}")
    if done.store_url.startswith("sqlite:"):
        print("  note: the store is SQLite in ROOT: with workers on several machines use --store postgresql://…")
    print(f"  run it: `prefect worker start --pool {done.pool}` on each machine (vanthu installed, ROOT mounted)")
    return int(ExitCode.OK)


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
