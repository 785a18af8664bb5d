"""Where results and errors leave the program: the one place where errors become exit
codes and ``vanthu: …`` lines on stderr (see ``ExitCode`` and the README), and the atomic
writes of results, whose failures are ``OutputNotWritable`` errors naming the folder.

Light on purpose: the ``vanthu`` command imports it before it knows what to do.
"""

from __future__ import annotations

import sys
import traceback
from collections.abc import Callable
from pathlib import Path

from vanthu.pipeline.errors import ExitCode, OutputNotWritable, VanthuError
from vanthu.pipeline.i18n import _

#: The exit code of a run stopped by Ctrl-C (128 + SIGINT, as shells report it).
INTERRUPTED = 130


def write_atomic(path: Path, text: str | bytes) -> None:
    """Write a result atomically (``vanthu.flows.inbox.write_atomic``); a folder that cannot
    take it is an ``OutputNotWritable`` error naming it."""
    from vanthu.flows.inbox import write_atomic as _write

    try:
        _write(path, text)
    except OSError as exc:
        raise OutputNotWritable(path, _("cannot write the result: {why}").format(why=exc.strerror or exc)) from None


def write_stdout(data: str | bytes) -> None:
    """Text (as UTF-8 whatever the locale) or bytes on stdout; a replaced stdout without a
    byte buffer (tests) gets the text."""
    buffer = getattr(sys.stdout, "buffer", None)
    if buffer is None:
        sys.stdout.write(data.decode("utf-8") if isinstance(data, bytes) else data)
        return
    sys.stdout.flush()
    buffer.write(data.encode("utf-8") if isinstance(data, str) else data)
    buffer.flush()


def say(text: str) -> None:
    """One ``vanthu: …`` line on stderr."""
    print(f"vanthu: {text}", file=sys.stderr)


def show_detail(exc: BaseException) -> None:
    """The traceback of a bug (``--debug``): the child's own when it crossed a process."""
    detail = getattr(exc, "detail", "")
    if detail:
        sys.stderr.write(detail)
    elif exc.__traceback__ is not None:
        traceback.print_exception(exc)


def report(exc: VanthuError, *, debug: bool = False) -> ExitCode:
    """Print the one-line message of ``exc`` (and, with --debug, the traceback of a bug)."""
    if debug:
        show_detail(exc)
    say(exc.line())
    return exc.exit_code


def exit_code_for(failures: list[ExitCode]) -> ExitCode:
    """OK; the failure's own code when every failure is of one kind; else SOME_FAILED."""
    if not failures:
        return ExitCode.OK
    kinds = set(failures)
    return failures[0] if len(kinds) == 1 else ExitCode.SOME_FAILED


def run_reported(command: Callable[[], int], *, debug: bool = False) -> int:
    """Run a command body: its exit code, or the code of the ``VanthuError`` it raised
    (reported in one line), or ``INTERRUPTED`` on Ctrl-C."""
    try:
        return command()
    except VanthuError as exc:
        return int(report(exc, debug=debug))
    except KeyboardInterrupt:
        say(_("interrupted"))
        return INTERRUPTED
