"""Isolation: the extraction of one document runs in a child process with limits, so a
file that hangs a parser or eats memory costs one typed error, never the batch or the
watcher.

Each document gets a fresh process forked from a *forkserver* that imported and warmed
the pipeline once (pdfplumber, pypdfium2, Pillow, spaCy, underthesea), so a batch pays
the imports once while every document still starts from a clean, bounded process:

* wall-clock timeout (``Limits.timeout_s``): the child's whole process group (OCR
  engines included) is killed → ``TimedOut`` (exit 9);
* address-space limit (``RLIMIT_AS`` = ``Limits.memory_mb``, inherited by Tesseract):
  allocation beyond it raises ``MemoryError`` → ``TooLarge`` (exit 8); a child killed
  by SIGKILL (the kernel's OOM killer) → ``TooLarge``; any other crash (SIGSEGV,
  SIGABRT…) → ``ReaderCrashed`` (exit 6);
* page count, page size, pixels and bytes (``Limits.max_pages`` …) are set in every
  child, Pillow's ``MAX_IMAGE_PIXELS`` included (``raster.set_pixel_limit``);
* core dumps off; the child dies with its parent (``PR_SET_PDEATHSIG``).

Errors cross the process boundary as the ``VanthuError`` subclass they are; anything
else becomes ``InternalError`` carrying the child's traceback (shown with ``--debug``).

This module imports nothing heavy: the parent of a batch stays light.
"""

from __future__ import annotations

import os
import signal
import sys
import time
import traceback
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import TYPE_CHECKING

from vanthu.pipeline.errors import (
    InternalError,
    ReaderCrashed,
    TimedOut,
    TooLarge,
    UsageError,
    VanthuError,
)

if TYPE_CHECKING:  # pragma: no cover
    from vanthu.models.record import DispatchRecord

# Single-threaded numeric libraries: with 2 workers on 2 cores, BLAS/OpenMP pools only
# add threads (and threads in the forkserver make fork() unsafe).
_THREAD_ENV = {"OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
_POLL_S = 0.2  # how often running children are checked (memory readings, deadlines)


@dataclass(frozen=True)
class Limits:
    """Per-document limits. Defaults fit a 2-core, 24 GB machine running 2 workers."""

    timeout_s: float = 120.0
    timeout_per_page_s: float = 5.0  # added for each page after the first (long scans)
    memory_mb: int = 2048
    max_pages: int = 500
    max_page_inches: float = 5000 / 72  # A0 is 46.8 in; the PDF spec's own cap is 200 in
    max_pixels: int = 100_000_000  # per page image; a 600-dpi A3 page is 70 MP
    max_mb: int = 200  # input file size

    ENV = {
        "timeout_s": "VANTHU_TIMEOUT",
        "timeout_per_page_s": "VANTHU_TIMEOUT_PER_PAGE",
        "memory_mb": "VANTHU_MEMORY_MB",
        "max_pages": "VANTHU_MAX_PAGES",
        "max_page_inches": "VANTHU_MAX_PAGE_INCHES",
        "max_pixels": "VANTHU_MAX_PIXELS",
        "max_mb": "VANTHU_MAX_MB",
    }

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            if not value > 0 and not (f.name == "timeout_per_page_s" and value == 0):
                raise UsageError(self.ENV[f.name], f"limit {f.name} must be positive, not {value!r}")

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None, **overrides: object) -> Limits:
        """Defaults, then ``VANTHU_*`` variables, then ``overrides`` that are not None."""
        env = os.environ if env is None else env
        values: dict[str, object] = {}
        for f in fields(cls):
            raw = env.get(cls.ENV[f.name], "").strip()
            if raw:
                kind = float if f.type in ("float", float) else int
                try:
                    values[f.name] = kind(raw)
                except ValueError:
                    raise UsageError(cls.ENV[f.name], f"not a number: {raw!r}") from None
        values.update({k: v for k, v in overrides.items() if v is not None})
        return replace(cls(), **values)

    def apply(self) -> None:
        """Install the page, pixel and size limits in this process (a worker)."""
        from vanthu.pipeline.read import detect as load
        from vanthu.pipeline.ocr import raster
        from vanthu.pipeline.read import readers

        readers.MAX_PAGES = self.max_pages
        raster.MAX_PAGE_PT = self.max_page_inches * 72
        raster.set_pixel_limit(self.max_pixels)
        load.MAX_BYTES = self.max_mb * 1024 * 1024


# ------------------------------------------------------------------------ the child
def _die_with_parent() -> None:
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):  # not Linux
        pass


def _limit_memory(memory_mb: int) -> None:
    import resource

    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    limit = memory_mb * 1024 * 1024
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def _page_count(path: str) -> int | None:
    """Pages of a PDF or frames of a TIFF, cheaply (no rendering); None when unknown."""
    import stat

    try:
        # never block on a FIFO nor follow a link: load_input refuses those right after
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOFOLLOW", 0))
        with os.fdopen(fd, "rb") as fh:
            if not stat.S_ISREG(os.fstat(fh.fileno()).st_mode):
                return None
            head = fh.read(1024)
        if b"%PDF-" in head:
            from vanthu.pipeline.ocr.raster import pdf_page_count

            return pdf_page_count(path)
        if head.startswith((b"II*\x00", b"MM\x00*")):
            from PIL import Image

            with Image.open(path) as im:
                return int(getattr(im, "n_frames", 1))
    except Exception:  # noqa: BLE001 - the reader reports what is wrong with the file
        return None
    return None


def _one_malloc_arena() -> None:
    """Let every thread of the worker allocate from glibc's one main malloc arena.

    The threads that clean and read pages each kept an arena of their own, and in it the
    freed page-sized arrays: a 12-page scan's worker peaked at 455 MB. With one arena it
    peaks at 364 MB, for the same CPU (measured). Not glibc: nothing to do.
    """
    try:
        import ctypes

        ctypes.CDLL("libc.so.6").mallopt(-8, 1)  # M_ARENA_MAX
    except (OSError, AttributeError):
        pass


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
        os._exit(70)


def _child(conn, path: str, limits: Limits, env: dict[str, str]) -> None:
    """Entry point of the worker process: extract ``path`` and send the outcome
    (first, for a PDF or TIFF, its page count: the parent extends the deadline)."""
    try:
        os.setpgid(0, 0)  # one group with its OCR engines, killed as one on timeout
    except OSError:
        pass
    _die_with_parent()
    _one_malloc_arena()  # before the first thread starts
    import threading

    threading.Thread(target=_watch_parent, args=(conn,), name="watch-caller", daemon=True).start()
    os.environ.clear()  # the caller's environment now, not the forkserver's at start
    os.environ.update(env)
    try:
        _limit_memory(limits.memory_mb)
        limits.apply()
        pages = _page_count(path) if limits.timeout_per_page_s else None
        if pages and pages > 1:
            conn.send(("pages", pages))
        from vanthu.pipeline.extract import extract_file

        outcome: tuple = ("ok", extract_file(path))
    except VanthuError as exc:
        outcome = ("error", exc)
    except MemoryError:
        outcome = ("error", _out_of_memory(path, limits))
    except (ImportError, OSError) as exc:
        if not _out_of_address_space(exc):
            outcome = ("error", _internal(path, exc))
        else:  # a library that cannot even be mapped under the limit
            outcome = ("error", _out_of_memory(path, limits))
    except RecursionError as exc:
        from vanthu.pipeline.errors import CorruptInput

        outcome = ("error", CorruptInput(path, f"the file is nested too deeply to parse ({exc})"))
    except BaseException as exc:  # noqa: BLE001 - reported to the parent as a bug
        outcome = ("error", _internal(path, exc))
    # A record can nest deeply (sub-items of sub-items): pickling it recurses per level.
    sys.setrecursionlimit(max(sys.getrecursionlimit(), 20000))
    try:
        conn.send(outcome)
    except MemoryError:
        conn.send(("error", _out_of_memory(path, limits)))
    except (BrokenPipeError, ConnectionResetError):  # the caller is gone
        pass
    except Exception as exc:  # noqa: BLE001 - e.g. a record that does not pickle
        conn.send(("error", _internal(path, exc)))


def _out_of_address_space(exc: BaseException) -> bool:
    """An ImportError/OSError that is the address-space limit in disguise (ENOMEM, or
    "failed to map segment from shared object" when a C extension is loaded)."""
    seen: set[int] = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        if isinstance(exc, MemoryError) or getattr(exc, "errno", None) == 12:
            return True
        text = str(exc).lower()
        if "failed to map segment" in text or "cannot allocate memory" in text:
            return True
        exc = exc.__cause__ or exc.__context__
    return False


def _out_of_memory(path: str, limits: Limits) -> TooLarge:
    return TooLarge(path, f"reading it needs more than {limits.memory_mb} MB of memory",
                    hint="raise the limit with --memory-mb (or VANTHU_MEMORY_MB), or split the file")


def _internal(path: str, exc: BaseException) -> InternalError:
    detail = "".join(traceback.format_exception(exc))
    return InternalError(path, f"internal error {type(exc).__name__}: {exc}", detail=detail)


# ----------------------------------------------------------------------- the parent
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
    return _CONTEXT


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


def _ocr_workers(waiting: int, workers: int) -> int:
    """Tesseract processes a document may run at once: its share of the cores while
    other documents wait their turn (more Tesseract processes than cores cost 4% more
    CPU, measured), every core for the last documents of a batch, so that none is left
    idle at its end."""
    cores = os.cpu_count() or 1
    return cores if waiting == 0 else max(1, cores // max(1, workers))


class _Job:
    def __init__(self, ctx, path: Path, limits: Limits, ocr_workers: int | None = None):
        self.path = path
        self.limits = limits
        # duplex: the worker watches its end to notice when this process is gone
        self.conn, child_conn = ctx.Pipe(duplex=True)
        env = dict(os.environ)
        env.setdefault("VANTHU_OCR_WORKERS", str(ocr_workers or os.cpu_count() or 1))
        self.proc = ctx.Process(target=_child, args=(child_conn, str(path), limits, env),
                                name=f"vanthu-extract {path.name}", daemon=True)
        self.proc.start()  # (starts the forkserver the first time: not counted)
        self.started = time.monotonic()
        child_conn.close()
        self.deadline = self.started + limits.timeout_s
        self.pages = 0
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
                return _internal(str(self.path), exc)
            if kind == "pages":
                self.pages = value
                self.deadline = self.started + self.limits.timeout_s + self.limits.timeout_per_page_s * (value - 1)
                continue
            self.proc.join(5)
            if self.proc.is_alive():  # sent its outcome but does not exit
                self._kill()
            return value
        if not alive:
            return self._finish_dead()
        if now >= self.deadline:
            self._kill()
            allowed = self.deadline - self.started
            pages = f" for {self.pages} pages" if self.pages > 1 else ""
            return TimedOut(self.path, f"reading took longer than {allowed:g} s{pages} and was stopped",
                            hint="raise the limit with --timeout (or VANTHU_TIMEOUT) if the file is just long")
        self.peak_vm_kb = max(self.peak_vm_kb, _vm_kb(self.proc.pid)[0])
        return None

    def _finish_dead(self) -> VanthuError:
        self.proc.join(5)
        code = self.proc.exitcode
        self._kill()  # what is left of its process group (an OCR engine)
        near_limit = self.peak_vm_kb > 0.8 * self.limits.memory_mb * 1024
        if code is not None and code < 0:
            sig = -code
            try:
                name = signal.Signals(sig).name
            except ValueError:
                name = f"signal {sig}"
            if sig == signal.SIGKILL or near_limit:
                return TooLarge(self.path, f"the reading process was killed ({name}), most likely out of memory",
                                hint="raise the limit with --memory-mb (or VANTHU_MEMORY_MB), or free memory")
            return ReaderCrashed(self.path, f"the reader crashed ({name}) on this file")
        if near_limit:
            return _out_of_memory(str(self.path), self.limits)
        return ReaderCrashed(self.path, f"the reading process exited with status {code} without a result")

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
        self.proc.join(5)
        self.conn.close()

    def abandon(self) -> None:
        self._kill()


def extract_isolated(path: str | os.PathLike[str], limits: Limits | None = None, *,
                     warm: bool = True) -> DispatchRecord:
    """Extract one document in a bounded child process; raise its ``VanthuError``.

    A drop-in for ``extract_file`` in long-lived callers (watch, review): with ``warm``
    the first call starts a forkserver that has the pipeline loaded, so later documents
    start in milliseconds."""
    _context(warm=warm)
    for _, outcome in extract_many([Path(path)], limits, workers=1):
        if isinstance(outcome, BaseException):
            raise outcome
        return outcome
    raise AssertionError("unreachable")  # pragma: no cover


def extract_many(paths: Iterable[Path], limits: Limits | None = None, *, workers: int = 1,
                 isolate: bool = True) -> Iterator[tuple[Path, DispatchRecord | VanthuError]]:
    """``(path, record or error)`` per path, in the order given; up to ``workers``
    documents are read at once. With ``isolate=False`` everything runs in this process
    (no time or memory limits: for debugging)."""
    limits = limits or Limits()
    paths = list(paths)
    if not isolate:
        yield from _in_process(paths, limits)
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
                running[idx] = _Job(ctx, path, limits, ocr_workers=_ocr_workers(len(queue), workers))
            if emitted in done:
                yield paths[emitted], done.pop(emitted)
                emitted += 1
                continue
            now = time.monotonic()
            wait_s = min([_POLL_S] + [max(0.0, j.deadline - now) for j in running.values()])
            from multiprocessing.connection import wait

            wait([h for j in running.values() for h in j.handles()], timeout=wait_s)
            now = time.monotonic()
            for idx, job in list(running.items()):
                outcome = job.check(now)
                if outcome is not None:
                    done[idx] = outcome
                    del running[idx]
    finally:
        for job in running.values():
            job.abandon()


def _in_process(paths: list[Path], limits: Limits) -> Iterator[tuple[Path, DispatchRecord | VanthuError]]:
    limits.apply()
    from vanthu.pipeline.extract import extract_file

    for path in paths:
        try:
            outcome: DispatchRecord | VanthuError = extract_file(path)
        except VanthuError as exc:
            outcome = exc
        except MemoryError:
            outcome = _out_of_memory(str(path), limits)
        except Exception as exc:  # noqa: BLE001 - a bug must not stop the batch
            outcome = _internal(str(path), exc)
        yield path, outcome
