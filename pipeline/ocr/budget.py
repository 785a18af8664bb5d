"""A document's time budget, sized from what its pages are measured to cost.

The base budget is ``Settings.limits``: ``timeout_s`` and ``timeout_per_page_s`` for each
page after the first. Once pages have been read, the budget is the time they took,
projected over every page, times :data:`DEFAULT_BUDGET_FACTOR`, when that is more (a long
or archival scan on a busy machine), up to :data:`DEFAULT_TIMEOUT_CEILING_S` (or the base,
when it is set higher). The parent of an isolated worker (``run.isolate``) and the worker
itself compute the same budget: the worker reports each page it reads (``("progress", n)``
on its pipe) and, near the end of its budget, drops the optional re-reads
(:meth:`Clock.hurried`) and stops waiting for pages (:meth:`Clock.stop_at`) so that it
returns the pages read as a partial record instead of being killed with nothing.

One clock per worker process (:func:`start_clock`); without one (reading in the caller's
process, tests) nothing is hurried and nothing stops early.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from vanthu.pipeline.settings import LimitSettings

DEFAULT_BUDGET_FACTOR = 1.5  # the measured projection, with this much to spare
DEFAULT_TIMEOUT_CEILING_S = 900.0  # a measured budget never grows past this
DEFAULT_HURRY_SHARE = 0.3  # with less than this share of the budget left, re-reads are dropped
DEFAULT_RESERVE_S = 8.0  # pages are given up this long before the deadline (the record is built)
DEFAULT_RESERVE_SHARE = 0.1  # … or this share of the budget, when more


def document_budget(limits: LimitSettings, pages: int, done: int = 0, elapsed: float = 0.0) -> float:
    """Seconds a document of ``pages`` pages may take, ``done`` of them read in ``elapsed``."""
    base = limits.timeout_s + limits.timeout_per_page_s * max(pages - 1, 0)
    if done <= 0 or elapsed <= 0:
        return base
    measured = elapsed / done * max(pages, done) * DEFAULT_BUDGET_FACTOR
    return max(base, min(measured, DEFAULT_TIMEOUT_CEILING_S))


class Clock:
    """The budget of the document this process reads, as its pages are read."""

    def __init__(self, limits: LimitSettings, report: Callable[[tuple], None] | None = None) -> None:
        self.limits, self.report = limits, report
        self.started = time.monotonic()
        self.pages, self.done = 1, 0
        self._lock = threading.Lock()

    def set_pages(self, pages: int) -> None:
        self.pages = max(1, pages)

    def page_done(self) -> None:
        with self._lock:
            self.done += 1
            if self.report is not None:
                self.report(("progress", self.done))

    def close(self) -> None:
        """No more reports (the outcome is about to be sent on the same pipe)."""
        with self._lock:
            self.report = None

    def budget(self) -> float:
        return document_budget(self.limits, self.pages, self.done, time.monotonic() - self.started)

    def stop_at(self) -> float:
        """The monotonic time after which no page is waited for."""
        budget = self.budget()
        return self.started + budget - max(DEFAULT_RESERVE_S, DEFAULT_RESERVE_SHARE * budget)

    def hurried(self) -> bool:
        budget = self.budget()
        return self.started + budget - time.monotonic() < DEFAULT_HURRY_SHARE * budget


_CLOCK: list[Clock] = []


def start_clock(limits: LimitSettings, report: Callable[[tuple], None] | None = None) -> Clock:
    """This process's clock, started now (a worker reads one document)."""
    _CLOCK[:] = [Clock(limits, report)]
    return _CLOCK[0]


def clock() -> Clock | None:
    return _CLOCK[0] if _CLOCK else None


def hurried() -> bool:
    """Near the end of this process's budget (never without a clock)."""
    c = clock()
    return c is not None and c.hurried()
