"""Per-document limits, as a worker process installs and reports them.

The limits themselves are ``Settings.limits`` (:class:`LimitSettings`); this module
holds what a worker does with them: its address space, core dumps, its life bound to
its parent's, the page count it reports (the deadline grows with it), and the typed
errors for running out of memory.
"""

from __future__ import annotations

import os
import signal
from typing import TYPE_CHECKING

from vanthu.pipeline.errors import TooLarge
from vanthu.pipeline.i18n import _

if TYPE_CHECKING:  # (pydantic is not imported before one_malloc_arena: it shapes the heap)
    from vanthu.pipeline.settings import LimitSettings

ENOMEM = 12


def die_with_parent(sig: int = signal.SIGKILL) -> None:
    """Linux: this process gets ``sig`` when its parent dies, even by SIGKILL
    (``PR_SET_PDEATHSIG``). Elsewhere nothing."""
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, sig)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):  # not Linux
        pass


def limit_memory(memory_mb: int) -> None:
    """No core dumps; an address space of ``memory_mb`` (under the hard limit), which
    the OCR engines this process starts inherit."""
    import resource

    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    limit = memory_mb * 1024 * 1024
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def one_malloc_arena() -> None:
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


def page_count(path: str) -> int | None:
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


def out_of_address_space(exc: BaseException | None) -> bool:
    """An ImportError/OSError that is the address-space limit in disguise (ENOMEM, or
    "failed to map segment from shared object" when a C extension is loaded)."""
    seen: set[int] = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        if isinstance(exc, MemoryError) or getattr(exc, "errno", None) == ENOMEM:
            return True
        text = str(exc).lower()
        if "failed to map segment" in text or "cannot allocate memory" in text:
            return True
        exc = exc.__cause__ or exc.__context__
    return False


def out_of_memory(path: str, limits: LimitSettings) -> TooLarge:
    return TooLarge(
        path,
        _("reading it needs more than {memory_mb} MB of memory").format(memory_mb=limits.memory_mb),
        hint=_("raise the limit with --memory-mb (or VANTHU_MEMORY_MB), or split the file"),
    )
