"""The ``vanthu`` command. Thin: it parses arguments, calls the pipeline, writes results,
and is the one place where errors become exit codes (see ``ExitCode`` and the README).

The extract path imports neither Prefect nor spaCy/underthesea until a letter needs them.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
import traceback
from pathlib import Path

from vanthu import __version__
from vanthu.pipeline.errors import ExitCode, OutputNotWritable, UnsupportedFormat, UsageError, VanthuError



def _parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="vanthu", description="Structured records from Vietnamese official letters.")
    ap.add_argument("--version", action="version", version=f"vanthu {__version__}")
    ap.add_argument("--debug", action="store_true", help="show tracebacks of internal errors")
    sub = ap.add_subparsers(dest="command", required=True)

    ex = sub.add_parser("extract", help="extract records from letters (files or folders)")
    ex.add_argument("paths", nargs="+", type=Path, metavar="PATH")
    ex.add_argument("--out", type=Path, help="write DIR/<input stem>.json per input instead of printing")
    ex.add_argument("--jsonl", action="store_true", help="print one compact JSON record per line")
    ex.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    lim = ex.add_argument_group("limits (per document; also VANTHU_TIMEOUT, VANTHU_MEMORY_MB, …)")
    lim.add_argument("--timeout", type=float, metavar="S", help="wall-clock seconds per document (default 120)")
    lim.add_argument("--timeout-per-page", type=float, metavar="S",
                     help="seconds added for each page after the first (default 5)")
    lim.add_argument("--memory-mb", type=int, metavar="MB", help="memory per document's process (default 2048)")
    lim.add_argument("--max-pages", type=int, metavar="N", help="pages per document (default 500)")
    lim.add_argument("--workers", type=int, metavar="N", default=None,
                     help="documents read at once (default: VANTHU_WORKERS or 2; at most the CPU count)")
    lim.add_argument("--no-isolation", action="store_true",
                     help="read in this process, without time or memory limits (debugging)")

    ev = sub.add_parser("eval", help="score extraction against answer keys in DIR")
    ev.add_argument("paths", nargs="+", type=Path, metavar="DIR")
    ev.add_argument("--details", action="store_true", help="list every mismatch")
    ev.add_argument("--json", type=Path, dest="json_out", help="also write the scores as JSON")
    ev.add_argument("--truth", type=Path, action="append", default=[], metavar="DIR",
                    help="look up answer keys DIR/ID.json (or ID.truth.json) here first; repeatable")
    ev.add_argument("-q", "--quiet", action="store_true", help="no progress bar")

    ins = sub.add_parser("inspect", help="show one record in the terminal (a letter, or a saved JSON)")
    ins.add_argument("path", type=Path, metavar="FILE_OR_JSON")
    ins.add_argument("--width", type=int, help="columns to render (default: the terminal's)")

    rv = sub.add_parser("review", help="write a static HTML review: page images beside the fields")
    rv.add_argument("paths", nargs="+", type=Path, metavar="PATH")
    rv.add_argument("--out", type=Path, required=True, help="folder for index.html and the pages")
    rv.add_argument("--dpi", type=int, default=120, help="resolution of the page images (default 120)")
    rv.add_argument("-q", "--quiet", action="store_true", help="no progress bar")

    sc = sub.add_parser("schema", help="print the JSON Schema of the record")
    sc.add_argument("--out", type=Path, help="write to a file instead of stdout")
    sc.add_argument("--markdown", action="store_true", help="the fields as Markdown tables (as in the README)")

    wa = sub.add_parser("watch", help="process letters dropped into ROOT/inbox until Ctrl-C (Prefect, local)")
    _ingest_options(wa)
    wa.add_argument("--rescan", type=_positive, default=30.0, metavar="SECONDS",
                    help="rescan the inbox this often even without file events (default 30)")
    wa.add_argument("--once", action="store_true", help="stop when the inbox is empty instead of watching")

    se = sub.add_parser("serve", help="serve the ingest_folder deployment on a schedule (needs a Prefect server)")
    _ingest_options(se)
    when = se.add_mutually_exclusive_group()
    when.add_argument("--interval", type=_positive, metavar="SECONDS", help="run every SECONDS (default 60)")
    when.add_argument("--cron", metavar="EXPR", help='run on a cron schedule, e.g. "*/5 7-18 * * 1-5"')
    se.add_argument("--name", default="vanthu-ingest", help="deployment name (default vanthu-ingest)")

    ta = sub.add_parser("tasks", help="list the tasks in the task store")
    ta.add_argument("root", nargs="?", type=Path, default=Path("."), metavar="ROOT",
                    help="ingestion root holding vanthu.db (default: current folder)")
    ta.add_argument("--store", metavar="URL", help="store URL instead of ROOT/vanthu.db (sqlite:///…, postgresql://…)")
    ta.add_argument("--open", action="store_true", dest="open_only", help="only tasks not closed yet")
    ta.add_argument("--assignee", metavar="TEXT", help="units whose name contains TEXT (any case)")
    ta.add_argument("--due-before", type=_date, metavar="YYYY-MM-DD", help="deadline before this date")
    ta.add_argument("--format", choices=("table", "json", "csv"), default="table")
    ta.add_argument("--close", nargs="+", metavar="TASK_ID", help="mark these tasks done (instead of listing)")
    ta.add_argument("--reopen", nargs="+", metavar="TASK_ID", help="mark these tasks open again")
    return ap


def _positive(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if value <= 0:
        raise argparse.ArgumentTypeError("must be greater than 0")
    return value


def _date(text: str):
    from datetime import date

    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None


FOLDER_NAMES = ("inbox", "processing", "out", "done", "failed", "duplicates")


def _ingest_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("root", type=Path, metavar="ROOT", help="folder tree: ROOT/inbox, ROOT/out, ROOT/done …")
    p.add_argument("--store", metavar="URL", help="task store (default ROOT/vanthu.db; postgresql://… to share)")
    p.add_argument("--settle", type=_positive, default=2.0, metavar="SECONDS",
                   help="a file is taken once its size and mtime are unchanged this long (default 2)")
    p.add_argument("--stale-after", type=_positive, default=3600.0, metavar="SECONDS",
                   help="another machine's claim in processing/ counts as abandoned after this (default 3600)")
    for name in FOLDER_NAMES:
        p.add_argument(f"--{name}-dir", type=Path, dest=f"{name}_dir", metavar="DIR",
                       help=f"the {name} folder (default ROOT/{name})")


def _folders(args: argparse.Namespace) -> dict[str, str]:
    return {n: str(getattr(args, f"{n}_dir")) for n in FOLDER_NAMES if getattr(args, f"{n}_dir") is not None}


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        if args.command == "extract":
            from vanthu.pipeline.settings import load_settings

            settings = load_settings(limits__timeout_s=args.timeout, limits__timeout_per_page_s=args.timeout_per_page,
                                     limits__memory_mb=args.memory_mb, limits__max_pages=args.max_pages)
            return cmd_extract(args.paths, args.out, args.jsonl, debug=args.debug, settings=settings,
                               workers=_workers(args.workers), isolate=not args.no_isolation,
                               quiet=args.quiet)
        if args.command == "eval":
            from vanthu.evaluate import main_eval

            return main_eval(args.paths, args.details, args.json_out, args.truth, quiet=args.quiet)
        if args.command == "inspect":
            from vanthu.views.terminal import cmd_inspect

            return cmd_inspect(args.path, width=args.width)
        if args.command == "review":
            from vanthu.views.html import cmd_review

            return cmd_review(args.paths, args.out, dpi=args.dpi, quiet=args.quiet, debug=args.debug)
        if args.command == "schema":
            return cmd_schema(args.out, markdown=args.markdown)
        if args.command == "watch":
            from vanthu.flows.watch import run_watch

            return run_watch(args.root, folders=_folders(args), settle=args.settle, rescan=args.rescan,
                             store=args.store, stale_after=args.stale_after, once=args.once)
        if args.command == "serve":
            from vanthu.flows.watch import run_serve

            return run_serve(args.root, interval=args.interval, cron=args.cron, name=args.name,
                             folders=_folders(args), settle=args.settle, store=args.store,
                             stale_after=args.stale_after)
        if args.command == "tasks":
            return cmd_tasks(args)
    except VanthuError as exc:
        return int(report(exc, debug=args.debug))
    except KeyboardInterrupt:
        print("vanthu: interrupted", file=sys.stderr)
        return 130
    return int(ExitCode.USAGE)


def expand(paths: list[Path]) -> list[Path]:
    """Files as given; folders become the letters in them (recursively, sorted)."""
    from vanthu.pipeline.read.detect import DOC_SUFFIXES

    out: list[Path] = []
    for p in paths:
        if p.is_dir():
            out.extend(sorted(f for f in p.rglob("*") if f.is_file() and f.suffix.lower() in DOC_SUFFIXES
                              and not any(part.startswith(".") for part in f.relative_to(p).parts)))
        else:
            out.append(p)
    return out


def write_atomic(path: Path, text: str) -> None:
    """Write a result atomically (``pipeline.inbox.write_atomic``); a folder that cannot
    take it is an ``OutputNotWritable`` error naming it."""
    from vanthu.flows.inbox import write_atomic as _write

    try:
        _write(path, text)
    except OSError as exc:
        raise OutputNotWritable(path, f"cannot write the result: {exc.strerror or exc}") from None


def _out_name(path: Path, used: set[str]) -> str:
    name = f"{path.stem}.json"
    if name in used:  # letter.pdf and letter.png in one batch
        name = f"{path.name}.json"
    used.add(name)
    return name


def _workers(requested: int | None) -> int:
    if requested is None:
        raw = os.environ.get("VANTHU_WORKERS", "").strip()
        try:
            requested = int(raw) if raw else 2
        except ValueError:
            raise UsageError("VANTHU_WORKERS", f"not a number: {raw!r}") from None
    if requested < 1:
        raise UsageError("--workers", f"must be at least 1, not {requested}")
    return min(requested, os.cpu_count() or 1)


def report(exc: VanthuError, *, debug: bool = False) -> ExitCode:
    """Print the one-line message of ``exc`` (and, with --debug, the traceback of a bug)."""
    if debug:
        detail = getattr(exc, "detail", "")
        if detail:
            sys.stderr.write(detail)
        elif exc.__traceback__ is not None:
            traceback.print_exception(exc)
    print(f"vanthu: {exc.line()}", file=sys.stderr)
    return exc.exit_code


def cmd_extract(paths: list[Path], out: Path | None, jsonl: bool, *, debug: bool = False,
                settings=None, workers: int = 1, isolate: bool = True, quiet: bool = False) -> int:
    from vanthu.pipeline.run.isolate import extract_many
    from vanthu.pipeline.settings import Settings

    files = expand(paths)
    if not files:
        raise UnsupportedFormat(", ".join(map(str, paths)), "no letters found (PDF, images, .txt, .md)")
    failures: list[ExitCode] = []
    records: list[str] = []
    used: set[str] = set()
    bar: contextlib.AbstractContextManager = contextlib.nullcontext()
    if len(files) > 1:  # a bar is for several files; one letter starts faster without rich
        from vanthu.views.progress import FileProgress

        bar = FileProgress(len(files), "extract", quiet=quiet)
    with bar as progress:
        for path, record in extract_many(files, settings or Settings(), workers=workers, isolate=isolate):
            if progress is not None:
                progress.start(path.name)
                progress.done()
            if isinstance(record, VanthuError):
                failures.append(report(record, debug=debug))
                continue
            if out is not None:
                target = out / _out_name(path, used)
                try:
                    write_atomic(target, record.to_json() + "\n")
                except VanthuError as exc:
                    failures.append(report(exc, debug=debug))
                    continue
                print(f"{path} -> {target}")
            elif jsonl:
                sys.stdout.write(record.model_dump_json(ensure_ascii=False) + "\n")
                sys.stdout.flush()
            else:
                records.append(record.to_json())
    if out is None and not jsonl and records:
        sys.stdout.write(records[0] + "\n" if len(files) == 1 else "[\n" + ",\n".join(records) + "\n]\n")
    return int(exit_code_for(failures))


def exit_code_for(failures: list[ExitCode]) -> ExitCode:
    """OK; the failure's own code when every failure is of one kind; else SOME_FAILED."""
    if not failures:
        return ExitCode.OK
    kinds = set(failures)
    return failures[0] if len(kinds) == 1 else ExitCode.SOME_FAILED


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


TASK_FIELDS = ("task_id", "status", "deadline", "deadline_text", "assignee", "role", "assignment", "action",
               "recurring", "number_symbol", "doc_date", "file", "subject")


def cmd_tasks(args: argparse.Namespace) -> int:
    import csv

    from vanthu.pipeline.errors import InputNotFound
    from vanthu.flows.store import default_url, open_store

    url = args.store or default_url(args.root)
    if args.store is None and not (args.root / "vanthu.db").exists():
        raise InputNotFound(args.root / "vanthu.db", "no task store here",
                            hint="run `vanthu watch ROOT` first, or pass --store URL")
    with open_store(url) as store:
        if args.close or args.reopen:
            ids = args.close or args.reopen
            n = store.set_status(ids, "done" if args.close else "open")
            print(f"{n} of {len(ids)} task(s) marked {'done' if args.close else 'open'}")
            return int(ExitCode.OK if n == len(ids) else ExitCode.NOT_FOUND)
        rows = store.tasks(open_only=args.open_only, assignee=args.assignee, due_before=args.due_before)
    rows = [{k: r.get(k) for k in TASK_FIELDS} for r in rows]
    if args.format == "json":
        sys.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2) + "\n")
    elif args.format == "csv":
        w = csv.DictWriter(sys.stdout, fieldnames=TASK_FIELDS, lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    else:
        sys.stdout.write(_task_table(rows))
    return int(ExitCode.OK)


def _task_table(rows: list[dict]) -> str:
    cols = [("deadline", "deadline", 10), ("status", "status", 6), ("assignee", "assignee", 34),
            ("role", "role", 9), ("number_symbol", "letter", 16), ("assignment", "item", 6),
            ("action", "action", 60), ("task_id", "task id", 80)]

    def cut(v, n):
        s = "" if v is None else " ".join(str(v).split())
        return s if len(s) <= n else s[: n - 1] + "…"

    lines = ["  ".join(h.ljust(n) for _, h, n in cols).rstrip()]
    for r in rows:
        lines.append("  ".join(cut(r[k], n).ljust(n) for k, _, n in cols).rstrip())
    lines.append(f"{len(rows)} task(s)")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
