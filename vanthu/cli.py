"""The ``vanthu`` command. Thin: it parses arguments and dispatches to the command bodies
(:mod:`vanthu.commands`, the views, :mod:`vanthu.evaluate`, the ingestion in
:mod:`vanthu.flows`); :mod:`vanthu.output` turns their errors into exit codes.

The extract path imports neither Prefect nor spaCy/underthesea until a letter needs them.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable

from vanthu import __version__
from vanthu.argparse_vi import use_language
from vanthu.flows.inbox import FOLDERS
from vanthu.options import DEBUG_HELP, add_subcommands
from vanthu.output import run_reported
from vanthu.pipeline.errors import ExitCode
from vanthu.pipeline.i18n import _
from vanthu.pipeline.settings import load_language


def _parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="vanthu", description=_("Structured records from Vietnamese official letters."))
    ap.add_argument(
        "--version", action="version", version=f"vanthu {__version__}", help=_("show program's version number and exit")
    )
    ap.add_argument("--debug", action="store_true", help=_(DEBUG_HELP))
    add_subcommands(ap.add_subparsers(dest="command", required=True))
    return ap


# ---------------------------------------------------------------------------- dispatch


def _settings(args: argparse.Namespace):
    from vanthu.commands import isolation_settings

    return isolation_settings(
        timeout_s=args.timeout,
        timeout_per_page_s=args.timeout_per_page,
        memory_mb=args.memory_mb,
        max_pages=args.max_pages,
    )


def _folders(args: argparse.Namespace) -> dict[str, str]:
    return {n: str(getattr(args, f"{n}_dir")) for n in FOLDERS if getattr(args, f"{n}_dir") is not None}


def _extract(args: argparse.Namespace) -> int:
    from vanthu.commands import cmd_extract, workers

    settings = _settings(args)
    return cmd_extract(
        args.paths,
        args.out,
        args.jsonl,
        debug=args.debug,
        settings=settings,
        workers=workers(args.workers, settings),
        isolate=not args.no_isolation,
        quiet=args.quiet,
        pdf=args.pdf,
        as_one=args.as_one,
    )


def _eval(args: argparse.Namespace) -> int:
    from vanthu.evaluate import main_eval

    return main_eval(
        args.paths,
        args.details,
        args.json_out,
        args.truth,
        quiet=args.quiet,
        settings=_settings(args),
        isolate=not args.no_isolation,
        split=args.split,
    )


def _inspect(args: argparse.Namespace) -> int:
    from vanthu.views.terminal import cmd_inspect

    return cmd_inspect(args.path, width=args.width, settings=_settings(args), isolate=not args.no_isolation)


def _review(args: argparse.Namespace) -> int:
    from vanthu.views.html import cmd_review

    return cmd_review(
        args.paths,
        args.out,
        dpi=args.dpi,
        quiet=args.quiet,
        debug=args.debug,
        settings=_settings(args),
        isolate=not args.no_isolation,
    )


def _schema(args: argparse.Namespace) -> int:
    from vanthu.commands import cmd_schema

    return cmd_schema(args.out, markdown=args.markdown)


def _watch(args: argparse.Namespace) -> int:
    from vanthu.flows.watch import run_watch

    return run_watch(
        args.root,
        folders=_folders(args),
        settle=args.settle,
        rescan=args.rescan,
        store=args.store,
        lease=args.lease,
        once=args.once,
        pdf=args.pdf,
        create=args.create,
    )


def _serve(args: argparse.Namespace) -> int:
    from vanthu.flows.watch import run_serve

    return run_serve(
        args.root,
        interval=args.interval,
        cron=args.cron,
        name=args.name,
        folders=_folders(args),
        settle=args.settle,
        store=args.store,
        lease=args.lease,
        create=args.create,
    )


def _deploy(args: argparse.Namespace) -> int:
    from vanthu.service import cmd_deploy

    return cmd_deploy(
        args.root,
        pool=args.pool,
        name=args.name,
        store=args.store,
        folders=_folders(args),
        settle=args.settle,
        lease=args.lease,
        interval=args.interval,
        cron=args.cron,
    )


def _tasks(args: argparse.Namespace) -> int:
    from vanthu.tasks import cmd_tasks

    return cmd_tasks(
        args.root,
        store=args.store,
        open_only=args.open_only,
        assignee=args.assignee,
        due_before=args.due_before,
        overdue=args.overdue,
        fmt=args.format,
        close=args.close,
        reopen=args.reopen,
    )


def _letters(args: argparse.Namespace) -> int:
    from vanthu.letters import cmd_letters

    return cmd_letters(args.root, store=args.store, fmt=args.format, failed=args.failed)


def _register(args: argparse.Namespace) -> int:
    from vanthu.register import cmd_register

    return cmd_register(args.root, store=args.store, year=args.year, fmt=args.format, out=args.out, sheet=args.sheet)


def _links(args: argparse.Namespace) -> int:
    from vanthu.linking import cmd_links

    return cmd_links(args.root, store=args.store, fmt=args.format)


def _export(args: argparse.Namespace) -> int:
    from vanthu.exporting import cmd_export

    return cmd_export(args.paths, fmt=args.format, out=args.out, store=args.store)


def _web(args: argparse.Namespace) -> int:
    from vanthu.web.server import cmd_web

    return cmd_web(args.root, store=args.store, host=args.host, port=args.port)


def _status(args: argparse.Namespace) -> int:
    from vanthu.service import cmd_status

    folders = {
        n: str(getattr(args, f"{n}_dir")) for n in ("inbox", "processing", "failed") if getattr(args, f"{n}_dir")
    }
    return cmd_status(args.root, store=args.store, fmt=args.format, max_age=args.max_age, folders=folders)


COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "extract": _extract,
    "eval": _eval,
    "inspect": _inspect,
    "review": _review,
    "schema": _schema,
    "watch": _watch,
    "serve": _serve,
    "tasks": _tasks,
    "letters": _letters,
    "register": _register,
    "deploy": _deploy,
    "status": _status,
    "links": _links,
    "export": _export,
    "web": _web,
}


def main(argv: list[str] | None = None) -> int:
    use_language(load_language())  # before the help texts are made (argparse's own words too)
    args = _parser().parse_args(argv)
    command = COMMANDS.get(args.command)
    if command is None:  # pragma: no cover - argparse knows the same names
        return int(ExitCode.USAGE)
    return run_reported(lambda: command(args), debug=args.debug)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
