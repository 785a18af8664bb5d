"""Isolation: the extraction of one document runs in a child process with limits, so a
file that hangs a parser or eats memory costs one typed error, never the batch or the
watcher.

Each document gets a fresh process forked from a *forkserver* that imported and warmed
the pipeline once (pdfplumber, pypdfium2, Pillow, spaCy, underthesea), so a batch pays
the imports once while every document still starts from a clean, bounded process
(``run.worker``). The limits are ``Settings.limits``:

* wall-clock timeout (``timeout_s``): the child's whole process group (OCR engines
  included) is killed → ``TimedOut`` (exit 9);
* address-space limit (``RLIMIT_AS`` = ``memory_mb``, inherited by Tesseract):
  allocation beyond it raises ``MemoryError`` → ``TooLarge`` (exit 8); a child killed
  by SIGKILL (the kernel's OOM killer) → ``TooLarge``; any other crash (SIGSEGV,
  SIGABRT…) → ``ReaderCrashed`` (exit 6);
* page count, page size, pixels and bytes (``max_pages`` …) hold in every child,
  Pillow's ``MAX_IMAGE_PIXELS`` included (``run.setup.setup_process``);
* core dumps off; the child dies with its parent (``PR_SET_PDEATHSIG``).

The child gets the caller's ``Settings`` (pickled) and the caller's environment as it
is when the document starts. Errors cross the process boundary as the ``VanthuError``
subclass they are; anything else becomes ``InternalError`` carrying the child's
traceback (shown with ``--debug``).

This module imports nothing heavy: the parent of a batch stays light.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import signal
import sys
import time
import types
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from vanthu.pipeline.errors import ReaderCrashed, TimedOut, TooLarge, VanthuError
from vanthu.pipeline.i18n import _
from vanthu.pipeline.ocr.budget import document_budget
from vanthu.pipeline.run.limits import out_of_memory
from vanthu.pipeline.run.setup import setup_process
from vanthu.pipeline.run.worker import internal_error, run_worker
from vanthu.pipeline.settings import Settings

if TYPE_CHECKING:  # pragma: no cover
    from vanthu.models.record import DispatchRecord

# Single-threaded numeric libraries: with 2 workers on 2 cores, BLAS/OpenMP pools only
# add threads (and threads in the forkserver make fork() unsafe).
_THREAD_ENV = {"OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
_POLL_S = 0.2  # how often running children are checked (memory readings, deadlines)
_JOIN_S = 5  # how long a child that is done or killed is waited for
NEAR_MEMORY_LIMIT = 0.8  # a child that died using this share of its memory limit ran out of it


def extract_isolated(
    path: str | os.PathLike[str], settings: Settings, *, warm: bool = True, pdf: Path | None = None
) -> DispatchRecord:
    """Extract one document in a bounded child process; raise its ``VanthuError``.

    A drop-in for ``extract_file`` in long-lived callers (watch, review): with ``warm``
    the first call starts a forkserver that has the pipeline loaded, so later documents
    start in milliseconds. ``pdf``: the worker also writes the letter there as a
    searchable PDF."""
    _context(warm=warm)
    letter = Path(path)
    for _path, outcome in extract_many([letter], settings, workers=1, pdfs={letter: pdf} if pdf else None):
        if isinstance(outcome, BaseException):
            raise outcome
        return outcome
    raise AssertionError("unreachable")  # pragma: no cover


#: a letter: its file, or the page images photographed one by one (``read/parts.py``)
Letter = Path | tuple[Path, ...]


def extract_many(
    paths: Iterable[Letter],
    settings: Settings,
    *,
    workers: int = 1,
    isolate: bool = True,
    pdfs: dict[Letter, Path] | None = None,
) -> Iterator[tuple[Letter, DispatchRecord | VanthuError]]:
    """``(path, record or error)`` per letter, in the order given; up to ``workers``
    documents are read at once. A tuple of paths is one letter of several page images.
    With ``isolate=False`` everything runs in this process (no time or memory limits: for
    debugging). ``pdfs``: where the worker also writes a letter as a searchable PDF, from
    the words it read (``pipeline/ocr/searchable.py``)."""
    paths = list(paths)
    pdfs = pdfs or {}
    if not isolate:
        yield from _in_process(paths, settings, pdfs)
        return
    ctx = _context(warm=len(paths) > 1)
    workers = max(1, workers)
    running: dict[int, _Job] = {}
    done: dict[int, DispatchRecord | VanthuError] = {}
    queue = list(enumerate(paths))[::-1]
    emitted = 0
    try:
        while emitted < len(paths):
            while queue and len(running) < workers:
                idx, path = queue.pop()
                running[idx] = _Job(
                    ctx, path, settings, ocr_workers=_ocr_workers(len(queue), workers), pdf=pdfs.get(path)
                )
            if emitted in done:
                yield paths[emitted], done.pop(emitted)
                emitted += 1
                continue
            done.update(_wait_for_jobs(running))
    finally:
        for job in running.values():
            job.abandon()


def letter_label(letter: Letter) -> str:
    """A letter as messages name it: its path, or its page images' paths joined."""
    if isinstance(letter, Path):
        return str(letter)
    from vanthu.pipeline.read.parts import parts_label

    return parts_label(letter, full=True)


def _wait_for_jobs(running: dict[int, _Job]) -> dict[int, DispatchRecord | VanthuError]:
    """The outcomes of the jobs that end within a poll (or a deadline); those are no
    longer ``running``."""
    from multiprocessing.connection import wait

    now = time.monotonic()
    wait_s = min([_POLL_S] + [max(0.0, j.deadline - now) for j in running.values()])
    wait([h for j in running.values() for h in j.handles()], timeout=wait_s)
    now = time.monotonic()
    done: dict[int, DispatchRecord | VanthuError] = {}
    for idx, job in list(running.items()):
        outcome = job.check(now)
        if outcome is not None:
            done[idx] = outcome
            del running[idx]
    return done


def _in_process(
    paths: list[Letter], settings: Settings, pdfs: dict[Letter, Path]
) -> Iterator[tuple[Letter, DispatchRecord | VanthuError]]:
    setup_process(settings)
    from vanthu.pipeline.extract import extract_file

    for path in paths:
        try:
            outcome: DispatchRecord | VanthuError = extract_file(
                path, settings, **({"searchable_pdf": pdfs[path]} if path in pdfs else {})
            )
        except VanthuError as exc:
            outcome = exc
        except MemoryError:
            outcome = out_of_memory(letter_label(path), settings.limits)
        except Exception as exc:  # noqa: BLE001 - a bug must not stop the batch
            outcome = internal_error(letter_label(path), exc)
        yield path, outcome


# ----------------------------------------------------------------------- the forkserver
_CONTEXT = None


def _context(warm: bool = True):
    """The forkserver context. With ``warm``, the server imports and warms the whole
    pipeline once (worth it for a batch or a watcher); else only the light readers, so a
    single bad file is refused in a fraction of a second."""
    global _CONTEXT
    if _CONTEXT is None:
        import multiprocessing

        for key, value in _THREAD_ENV.items():
            os.environ.setdefault(key, value)
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(["vanthu.pipeline.run.preload" if warm else "vanthu.pipeline.read.detect"])
        _CONTEXT = ctx
        atexit.register(shutdown)  # before multiprocessing's own exit handler (LIFO)
    return _CONTEXT


def shutdown() -> None:
    """Stop the forkserver and multiprocessing's resource tracker, and wait for them to
    exit, so that no process of a run outlives the command (scripts and supervisors that
    wait on the process group see none left). Called at exit; safe to call twice; the
    next extraction starts a new forkserver."""
    global _CONTEXT
    if _CONTEXT is None:
        return
    _CONTEXT = None
    from multiprocessing import forkserver, resource_tracker

    for server in (forkserver._forkserver, resource_tracker._resource_tracker):
        stop = getattr(server, "_stop", None)  # closes its "alive" pipe, waits for the process
        try:
            if stop is not None:
                stop()
        except (OSError, ChildProcessError):  # already gone
            pass


def _ocr_workers(waiting: int, workers: int) -> int:
    """Tesseract processes a document may run at once: its share of the cores while
    other documents wait their turn (more Tesseract processes than cores cost 4% more
    CPU, measured), every core for the last documents of a batch, so that none is left
    idle at its end."""
    cores = os.cpu_count() or 1
    return cores if waiting == 0 else max(1, cores // max(1, workers))


def _with_ocr_workers(settings: Settings, ocr_workers: int | None) -> Settings:
    """``settings`` with the Tesseract processes this document may run, unless they were
    set (``VANTHU_OCR_WORKERS``, the settings file, or by the caller)."""
    if "workers" in settings.ocr.model_fields_set:
        return settings
    ocr = settings.ocr.model_copy(update={"workers": ocr_workers or os.cpu_count() or 1})
    return settings.model_copy(update={"ocr": ocr})


def _vm_kb(pid: int) -> tuple[int, int]:
    """(VmSize, VmRSS) in kB of a live process, (0, 0) when unknown."""
    try:
        with open(f"/proc/{pid}/status", encoding="ascii", errors="replace") as fh:
            text = fh.read()
    except OSError:
        return 0, 0
    size = rss = 0
    for line in text.splitlines():
        if line.startswith("VmSize:"):
            size = int(line.split()[1])
        elif line.startswith("VmRSS:"):
            rss = int(line.split()[1])
    return size, rss


@contextlib.contextmanager
def _without_main() -> Iterator[None]:
    """A worker started without the caller's ``__main__``: multiprocessing would import it
    again in every worker, and in a Prefect worker's flow run that is ``prefect.engine``
    (measured: 14 s a letter instead of 0.45 s on two busy cores). The worker needs only
    ``run_worker``, which lives in its own module."""
    main = sys.modules.get("__main__")
    sys.modules["__main__"] = types.ModuleType("__main__")
    try:
        yield
    finally:
        if main is not None:
            sys.modules["__main__"] = main


# ----------------------------------------------------------------------- one document
class _Job:
    """One document's worker, as the parent sees it: its pipe, its deadline, its peak
    memory."""

    def __init__(self, ctx, path: Letter, settings: Settings, ocr_workers: int | None = None, pdf: Path | None = None):
        self.path = letter_label(path)
        self.limits = settings.limits
        # duplex: the worker watches its end to notice when this process is gone
        self.conn, child_conn = ctx.Pipe(duplex=True)
        pdf_target = str(pdf) if pdf is not None else None
        what = str(path) if isinstance(path, Path) else tuple(map(str, path))
        args = (child_conn, what, _with_ocr_workers(settings, ocr_workers), dict(os.environ), pdf_target)
        name = f"vanthu-extract {Path(self.path).name}"
        self.proc = ctx.Process(target=run_worker, args=args, name=name, daemon=True)
        with _without_main():
            self.proc.start()  # (starts the forkserver the first time: not counted)
        self.started = time.monotonic()
        child_conn.close()
        self.deadline = self.started + self.limits.timeout_s
        self.pages = self.done = 0
        self.peak_vm_kb = 0

    def handles(self) -> list:
        return [self.conn, self.proc.sentinel]

    def check(self, now: float) -> DispatchRecord | VanthuError | None:
        """The outcome if the child is done (or out of time), else None."""
        alive = self.proc.is_alive()  # first: once it is dead, all it sent is in the pipe
        while self.conn.poll():
            try:
                kind, value = self.conn.recv()
            except (EOFError, OSError):
                return self._finish_dead()
            except Exception as exc:  # noqa: BLE001 - an outcome that does not unpickle
                self._kill()
                return internal_error(str(self.path), exc)
            if kind in ("pages", "progress"):  # the budget, sized from the pages read
                self.pages, self.done = (value, self.done) if kind == "pages" else (self.pages, value)
                elapsed = time.monotonic() - self.started
                self.deadline = self.started + document_budget(self.limits, max(self.pages, 1), self.done, elapsed)
                continue
            self.proc.join(_JOIN_S)
            if self.proc.is_alive():  # sent its outcome but does not exit
                self._kill()
            return value
        if not alive:
            return self._finish_dead()
        if now >= self.deadline:
            return self._timed_out()
        self.peak_vm_kb = max(self.peak_vm_kb, _vm_kb(self.proc.pid)[0])
        return None

    def _timed_out(self) -> TimedOut:
        self._kill()
        allowed = self.deadline - self.started
        pages = _(" for {pages} pages").format(pages=self.pages) if self.pages > 1 else ""
        return TimedOut(
            self.path,
            _("reading took longer than {allowed:g} s{pages} and was stopped").format(allowed=allowed, pages=pages),
            hint=_("raise the limit with --timeout (or VANTHU_TIMEOUT) if the file is just long"),
        )

    def _finish_dead(self) -> VanthuError:
        self.proc.join(_JOIN_S)
        code = self.proc.exitcode
        self._kill()  # what is left of its process group (an OCR engine)
        near_limit = self.peak_vm_kb > NEAR_MEMORY_LIMIT * self.limits.memory_mb * 1024
        if code is not None and code < 0:
            sig = -code
            try:
                name = signal.Signals(sig).name
            except ValueError:
                name = f"signal {sig}"
            if sig == signal.SIGKILL or near_limit:
                return TooLarge(
                    self.path,
                    _("the reading process was killed ({name}), most likely out of memory").format(name=name),
                    hint=_("raise the limit with --memory-mb (or VANTHU_MEMORY_MB), or free memory"),
                )
            return ReaderCrashed(self.path, _("the reader crashed ({name}) on this file").format(name=name))
        if near_limit:
            return out_of_memory(str(self.path), self.limits)
        return ReaderCrashed(
            self.path, _("the reading process exited with status {code} without a result").format(code=code)
        )

    def _kill(self) -> None:
        pid = self.proc.pid
        if pid is not None:
            try:
                os.killpg(pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
            except OSError:
                pass
        if self.proc.is_alive():
            self.proc.kill()
        self.proc.join(_JOIN_S)
        self.conn.close()

    def abandon(self) -> None:
        self._kill()
