"""The isolated worker: the process that reads one document, forked from the forkserver
(``run.isolate``), and sends its outcome to the caller through a pipe.

It first becomes a worker (its own process group, bound to its caller, one malloc
arena, the caller's environment), installs its document's limits (``run.limits``,
``run.setup``), reports the page count of a PDF or TIFF (the caller extends the
deadline), then extracts and sends the record or the typed error.
"""

from __future__ import annotations

import os
import signal
import sys
import traceback

from vanthu.pipeline.errors import CorruptInput, InternalError, VanthuError
from vanthu.pipeline.i18n import _
from vanthu.pipeline.ocr.budget import start_clock
from vanthu.pipeline.run.limits import (
    die_with_parent,
    limit_memory,
    one_malloc_arena,
    out_of_address_space,
    out_of_memory,
    page_count,
)
from vanthu.pipeline.run.setup import setup_process
from vanthu.pipeline.settings import Settings

PICKLE_RECURSION_LIMIT = 20000  # a record can nest deeply (sub-items of sub-items)
WATCHER_EXIT_CODE = 70


def run_worker(
    conn, path: str | tuple[str, ...], settings: Settings, env: dict[str, str], pdf: str | None = None
) -> None:
    """Entry point of the worker process: extract ``path`` and send the outcome
    (first, for a PDF or TIFF, its page count: the parent extends the deadline). With
    ``pdf``, the worker also writes the letter there as a searchable PDF from the words
    it read (the page words never cross the pipe)."""
    become_worker(conn, env)
    outcome = extract_outcome(conn, path, settings, pdf)
    send_outcome(conn, _label(path), outcome, settings)


def become_worker(conn, env: dict[str, str]) -> None:
    try:
        os.setpgid(0, 0)  # one group with its OCR engines, killed as one on timeout
    except OSError:
        pass
    die_with_parent()
    one_malloc_arena()  # before the first thread starts
    import threading

    threading.Thread(target=_watch_parent, args=(conn,), name="watch-caller", daemon=True).start()
    os.environ.clear()  # the caller's environment now, not the forkserver's at start
    os.environ.update(env)


def _watch_parent(conn) -> None:
    """Kill this worker's process group when the caller is gone (killed, crashed): the
    caller never writes, so the connection becomes readable only at its end. (The
    forkserver, this process's real parent, outlives the caller while a worker runs, so
    PR_SET_PDEATHSIG alone would leave an orphan running without a deadline.)"""
    try:
        conn.poll(None)
    except (OSError, EOFError, ValueError):
        pass
    try:
        os.killpg(0, signal.SIGKILL)
    finally:
        os._exit(WATCHER_EXIT_CODE)


def _label(path: str | tuple[str, ...]) -> str:
    """The letter as errors name it (page images joined: ``read/parts.py``)."""
    if isinstance(path, str):
        return path
    from vanthu.pipeline.read.parts import parts_label

    return parts_label(path, full=True)


def extract_outcome(conn, letter: str | tuple[str, ...], settings: Settings, pdf: str | None = None) -> tuple:
    """``("ok", record)`` or ``("error", VanthuError)``: every exception typed. ``letter``:
    a file, or the page images of one letter."""
    limits = settings.limits
    path = _label(letter)
    clock = start_clock(limits, report=conn.send)  # (pages read are reported: budget)
    try:
        limit_memory(limits.memory_mb)
        setup_process(settings, warm=False)
        pages = page_count(letter) if isinstance(letter, str) else len(letter)
        clock.set_pages(pages or 1)
        if pages and pages > 1:
            conn.send(("pages", pages))
        from vanthu.pipeline.extract import extract_file

        return ("ok", extract_file(letter, settings, **({"searchable_pdf": pdf} if pdf else {})))
    except VanthuError as exc:
        return ("error", exc)
    except MemoryError:
        return ("error", out_of_memory(path, limits))
    except (ImportError, OSError) as exc:
        if not out_of_address_space(exc):
            return ("error", internal_error(path, exc))
        return ("error", out_of_memory(path, limits))  # a library that cannot even be mapped under the limit
    except RecursionError as exc:
        return ("error", CorruptInput(path, _("the file is nested too deeply to parse ({why})").format(why=exc)))
    except BaseException as exc:  # noqa: BLE001 - reported to the parent as a bug
        return ("error", internal_error(path, exc))
    finally:
        clock.close()


def send_outcome(conn, path: str, outcome: tuple, settings: Settings) -> None:
    # A record can nest deeply (sub-items of sub-items): pickling it recurses per level.
    sys.setrecursionlimit(max(sys.getrecursionlimit(), PICKLE_RECURSION_LIMIT))
    try:
        conn.send(outcome)
    except MemoryError:
        conn.send(("error", out_of_memory(path, settings.limits)))
    except (BrokenPipeError, ConnectionResetError):  # the caller is gone
        pass
    except Exception as exc:  # noqa: BLE001 - e.g. a record that does not pickle
        conn.send(("error", internal_error(path, exc)))


def internal_error(path: str, exc: BaseException) -> InternalError:
    detail = "".join(traceback.format_exception(exc))
    return InternalError(
        path, _("internal error {kind}: {why}").format(kind=type(exc).__name__, why=exc), detail=detail
    )
