"""The options of the ``vanthu`` command: one builder per subcommand, and the argument
types they share (:mod:`vanthu.cli` assembles the parser and dispatches)."""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path

from vanthu.flows.inbox import FOLDERS
from vanthu.pipeline.i18n import N_, _

# --------------------------------------------------------------------------- the options


def _positive(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(_("not a number: {text!r}").format(text=text)) from None
    if value <= 0:
        raise argparse.ArgumentTypeError(_("must be greater than 0"))
    return value


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(_("not a date (YYYY-MM-DD): {text!r}").format(text=text)) from None


def _path(text: str) -> Path:
    """A path argument; an empty one (an unset shell variable) is refused, not read as the current folder."""
    if not text.strip():
        raise argparse.ArgumentTypeError(_("an empty path (is a shell variable unset?)"))
    return Path(text)


def _limit_options(p: argparse.ArgumentParser, *, workers: bool = False) -> None:
    lim = p.add_argument_group(_("limits (per document; also VANTHU_TIMEOUT, VANTHU_MEMORY_MB, …)"))
    lim.add_argument("--timeout", type=float, metavar="S", help=_("wall-clock seconds per document (default 120)"))
    lim.add_argument(
        "--timeout-per-page", type=float, metavar="S", help=_("seconds added for each page after the first (default 5)")
    )
    lim.add_argument("--memory-mb", type=int, metavar="MB", help=_("memory per document's process (default 2048)"))
    lim.add_argument("--max-pages", type=int, metavar="N", help=_("pages per document (default 500)"))
    if workers:
        lim.add_argument(
            "--workers",
            type=int,
            metavar="N",
            default=None,
            help=_("documents read at once (default: VANTHU_WORKERS or 2; at most the CPU count)"),
        )
    lim.add_argument(
        "--no-isolation", action="store_true", help=_("read in this process, without time or memory limits (debugging)")
    )


def _ingest_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("root", type=_path, metavar="ROOT", help=_("folder tree: ROOT/inbox, ROOT/out, ROOT/done …"))
    p.add_argument(
        "--create",
        action="store_true",
        help=_("create ROOT and its folders (inbox, processing, out, done, failed, duplicates) if missing"),
    )
    p.add_argument("--store", metavar="URL", help=_("task store (default ROOT/vanthu.db; postgresql://… to share)"))
    p.add_argument(
        "--settle",
        type=_positive,
        default=2.0,
        metavar="SECONDS",
        help=_("a file is taken once its size and mtime are unchanged this long (default 2)"),
    )
    p.add_argument(
        "--lease",
        "--stale-after",  # its name before claims were leases
        dest="lease",
        type=_positive,
        default=60.0,
        metavar="SECONDS",
        help=_(
            "a claim in processing/ not renewed for this long (its worker died) goes back to the inbox (default 60)"
        ),
    )
    for name in FOLDERS:
        p.add_argument(
            f"--{name}-dir",
            type=Path,
            dest=f"{name}_dir",
            metavar="DIR",
            help=_("the {name} folder (default ROOT/{name})").format(name=name),
        )


def _stored_root(p: argparse.ArgumentParser, root_help: str) -> None:
    """ROOT (default: the current folder) and --store, for the commands that read the store."""
    p.add_argument("root", nargs="?", type=_path, default=Path("."), metavar="ROOT", help=root_help)
    p.add_argument(
        "--store", metavar="URL", help=_("store URL instead of ROOT/vanthu.db (sqlite:///…, postgresql://…)")
    )


# ------------------------------------------------------------------------ the subcommands


def _add_extract(sub: argparse._SubParsersAction) -> None:
    ex = sub.add_parser("extract", help=_("extract records from letters (files or folders)"))
    ex.add_argument(
        "paths", nargs="+", type=_path, metavar="PATH", help=_("letters or folders; - reads standard input")
    )
    ex.add_argument("--out", type=Path, help=_("write DIR/<input stem>.json per input instead of printing"))
    ex.add_argument("--jsonl", action="store_true", help=_("print one compact JSON record per line"))
    ex.add_argument(
        "--pdf",
        type=Path,
        metavar="OUT",
        help=_(
            "also write each letter as a searchable PDF (page images with the words read as invisible text): "
            "OUT.pdf for one letter, else the folder OUT with <stem>.pdf per letter; a PDF with a text layer is "
            "copied as it is"
        ),
    )
    ex.add_argument(
        "--as-one",
        action="store_true",
        help=_("the files are the pages of one letter, photographed one by one, in the order given: one record"),
    )
    ex.add_argument("-q", "--quiet", action="store_true", help=_("no progress bar"))
    _limit_options(ex, workers=True)


def _add_eval(sub: argparse._SubParsersAction) -> None:
    ev = sub.add_parser("eval", help=_("score extraction against answer keys in DIR"))
    ev.add_argument("paths", nargs="+", type=_path, metavar="DIR")
    ev.add_argument(
        "--split",
        choices=("tune", "check"),
        help=_("extract and score only this part of each set (a fixed hash of the document id)"),
    )
    ev.add_argument("--details", action="store_true", help=_("list every mismatch (of the tuning part)"))
    ev.add_argument("--json", type=Path, dest="json_out", help=_("also write the scores as JSON"))
    ev.add_argument(
        "--truth",
        type=Path,
        action="append",
        default=[],
        metavar="DIR",
        help=_("look up answer keys DIR/ID.json (or ID.truth.json) here first; repeatable"),
    )
    ev.add_argument("-q", "--quiet", action="store_true", help=_("no progress bar"))
    _limit_options(ev)


def _add_inspect(sub: argparse._SubParsersAction) -> None:
    ins = sub.add_parser("inspect", help=_("show one record in the terminal (a letter, or a saved JSON)"))
    ins.add_argument("path", type=_path, metavar="FILE_OR_JSON")
    ins.add_argument("--width", type=int, help=_("columns to render (default: the terminal's)"))
    _limit_options(ins)


def _add_review(sub: argparse._SubParsersAction) -> None:
    rv = sub.add_parser("review", help=_("write a static HTML review: page images beside the fields"))
    rv.add_argument("paths", nargs="+", type=_path, metavar="PATH")
    rv.add_argument("--out", type=Path, required=True, help=_("folder for index.html and the pages"))
    rv.add_argument("--dpi", type=int, default=120, help=_("resolution of the page images (default 120)"))
    rv.add_argument("-q", "--quiet", action="store_true", help=_("no progress bar"))
    _limit_options(rv)


def _add_schema(sub: argparse._SubParsersAction) -> None:
    sc = sub.add_parser("schema", help=_("print the JSON Schema of the record"))
    sc.add_argument("--out", type=Path, help=_("write to a file instead of stdout"))
    sc.add_argument("--markdown", action="store_true", help=_("the fields as Markdown tables (as in docs/schema.md)"))


def _add_watch(sub: argparse._SubParsersAction) -> None:
    wa = sub.add_parser("watch", help=_("process letters dropped into ROOT/inbox until Ctrl-C (Prefect, local)"))
    _ingest_options(wa)
    wa.add_argument(
        "--rescan",
        type=_positive,
        default=30.0,
        metavar="SECONDS",
        help=_("rescan the inbox this often even without file events (default 30)"),
    )
    wa.add_argument("--once", action="store_true", help=_("stop when the inbox is empty instead of watching"))
    wa.add_argument(
        "--pdf",
        action="store_true",
        help=_("also write each scan or PDF as out/<stem>.pdf, searchable (its words as an invisible text layer)"),
    )


def _add_serve(sub: argparse._SubParsersAction) -> None:
    se = sub.add_parser("serve", help=_("serve the ingest_folder deployment on a schedule (needs a Prefect server)"))
    _ingest_options(se)
    when = se.add_mutually_exclusive_group()
    when.add_argument("--interval", type=_positive, metavar="SECONDS", help=_("run every SECONDS (default 60)"))
    when.add_argument("--cron", metavar="EXPR", help=_('run on a cron schedule, e.g. "*/5 7-18 * * 1-5"'))
    se.add_argument("--name", default="vanthu-ingest", help=_("deployment name (default vanthu-ingest)"))


def _add_deploy(sub: argparse._SubParsersAction) -> None:
    de = sub.add_parser(
        "deploy",
        help=_("register the ingest_folder deployment on a Prefect process work pool (needs a Prefect server)"),
    )
    _ingest_options(de)
    de.add_argument("--pool", required=True, metavar="NAME", help=_("process work pool (created if missing)"))
    de.add_argument("--name", default="vanthu-ingest", help=_("deployment name (default vanthu-ingest)"))
    when = de.add_mutually_exclusive_group()
    when.add_argument("--interval", type=_positive, metavar="SECONDS", help=_("sweep every SECONDS (default 60)"))
    when.add_argument("--cron", metavar="EXPR", help=_('sweep on a cron schedule, e.g. "*/5 7-18 * * 1-5"'))


def _add_tasks(sub: argparse._SubParsersAction) -> None:
    ta = sub.add_parser("tasks", help=_("list the tasks in the task store"))
    ta.add_argument(
        "root",
        nargs="?",
        type=Path,
        default=Path("."),
        metavar="ROOT",
        help=_("ingestion root holding vanthu.db (default: current folder)"),
    )
    ta.add_argument(
        "--store", metavar="URL", help=_("store URL instead of ROOT/vanthu.db (sqlite:///…, postgresql://…)")
    )
    ta.add_argument("--open", action="store_true", dest="open_only", help=_("only tasks not closed yet"))
    ta.add_argument(
        "--assignee", metavar="TEXT", help=_("units whose name contains TEXT, ignoring case and accents ('xay dung')")
    )
    ta.add_argument(
        "--due-before",
        type=_date,
        metavar="YYYY-MM-DD",
        help=_("due before this date (a printed day, the end of a printed month/quarter/year, a recurring one's next)"),
    )
    ta.add_argument("--overdue", action="store_true", help=_("only open tasks whose due date is past"))
    ta.add_argument(
        "--format", choices=("table", "json", "csv", "ics"), default="table", help=_("ics: an iCalendar of VTODOs")
    )
    ta.add_argument("--close", nargs="+", metavar="TASK_ID", help=_("mark these tasks done (instead of listing)"))
    ta.add_argument("--reopen", nargs="+", metavar="TASK_ID", help=_("mark these tasks open again"))


def _add_letters(sub: argparse._SubParsersAction) -> None:
    le = sub.add_parser("letters", help=_("list the ingested letters (or, with --failed, the files that failed)"))
    _stored_root(le, _("ingestion root holding vanthu.db and failed/ (default: current folder)"))
    le.add_argument("--format", choices=("table", "json", "csv"), default="table", help=_("csv is UTF-8 with a BOM"))
    le.add_argument("--failed", action="store_true", help=_("the files that could not be read, with the reasons"))


def _add_links(sub: argparse._SubParsersAction) -> None:
    li = sub.add_parser("links", help=_("which stored letter cites which (citing → cited), from their references"))
    _stored_root(li, _("ingestion root holding vanthu.db"))
    li.add_argument("--format", choices=("table", "json"), default="table")


def _add_export(sub: argparse._SubParsersAction) -> None:
    ex = sub.add_parser("export", help=_("write each letter as edXML (QCVN 102:2016) or the Phụ lục VI fields (JSON)"))
    ex.add_argument(
        "paths", nargs="+", type=_path, metavar="PATH", help=_("a saved record (.json) or an ingestion root")
    )
    ex.add_argument("--format", choices=("edxml", "json"), default="edxml", help=_("edxml: one .xml per letter"))
    ex.add_argument("--out", type=_path, required=True, metavar="DIR", help=_("folder for the files (created)"))
    ex.add_argument(
        "--store", metavar="URL", help=_("store URL instead of ROOT/vanthu.db (cited letters, arrival numbers)")
    )


def _year(text: str) -> str:
    if text == "all" or (text.isdigit() and len(text) == 4):
        return text
    raise argparse.ArgumentTypeError(_("not a year (YYYY) or 'all': {text!r}").format(text=text))


def _add_register(sub: argparse._SubParsersAction) -> None:
    rg = sub.add_parser(
        "register",
        help=_("the register of incoming letters (sổ đăng ký văn bản đến) and the tracking book, as XLSX or CSV"),
    )
    _stored_root(rg, _("ingestion root holding vanthu.db (default: current folder)"))
    rg.add_argument(
        "--year",
        type=_year,
        metavar="YYYY",
        help=_("letters that arrived in this year, or 'all' (default: this year, else the latest year with letters)"),
    )
    rg.add_argument("--format", choices=("xlsx", "csv"), default="xlsx", help=_("xlsx (default, needs --out) or csv"))
    rg.add_argument("--out", type=_path, metavar="FILE", help=_("write here (csv: standard output without it)"))
    rg.add_argument(
        "--sheet",
        choices=("register", "tracking"),
        default="register",
        help=_("the book a CSV holds: the register (default) or the tracking book (an XLSX holds both)"),
    )


def _add_web(sub: argparse._SubParsersAction) -> None:
    we = sub.add_parser("web", help=_("serve a web page for the records staff: letters, tasks, the register"))
    _stored_root(we, _("ingestion root holding vanthu.db and done/ (default: current folder)"))
    we.add_argument(
        "--host",
        default="127.0.0.1",
        help=_("address to listen on (default 127.0.0.1: this computer only; 0.0.0.0 shares it on the network)"),
    )
    we.add_argument("--port", type=int, default=8080, help=_("port to listen on (default 8080)"))


DEBUG_HELP = N_("show tracebacks of internal errors and the engines' own messages")


def _add_status(sub: argparse._SubParsersAction) -> None:
    st = sub.add_parser("status", help=_("health of an ingestion tree, for monitoring (exit 1 when no recent sweep)"))
    st.add_argument("root", type=_path, metavar="ROOT", help=_("the folder tree that `vanthu watch ROOT` ingests"))
    st.add_argument(
        "--store", metavar="URL", help=_("store URL instead of ROOT/vanthu.db (sqlite:///…, postgresql://…)")
    )
    st.add_argument("--format", choices=("table", "json"), default="table")
    st.add_argument(
        "--max-age",
        type=_positive,
        default=300.0,
        metavar="SECONDS",
        help=_("unhealthy (exit 1) when the last sweep is older than this (default 300)"),
    )
    for name in ("inbox", "processing", "failed"):
        st.add_argument(
            f"--{name}-dir", type=Path, dest=f"{name}_dir", metavar="DIR", help=_("the {name} folder").format(name=name)
        )


SUBCOMMANDS = (
    _add_extract,
    _add_eval,
    _add_inspect,
    _add_review,
    _add_schema,
    _add_watch,
    _add_serve,
    _add_tasks,
    _add_deploy,
    _add_status,
    _add_letters,
    _add_links,
    _add_export,
    _add_register,
    _add_web,
)


def add_subcommands(sub: argparse._SubParsersAction) -> None:
    """Every subcommand with its options; ``--debug`` is accepted after each one too."""
    for add in SUBCOMMANDS:
        add(sub)
    for choice in sub._choices_actions:  # `vanthu CMD --help` opens with what CMD does
        sub.choices[choice.dest].description = choice.help
    for command in sub.choices.values():
        command.add_argument("--debug", action="store_true", default=argparse.SUPPRESS, help=_(DEBUG_HELP))
