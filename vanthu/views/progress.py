"""A progress bar for commands that work through many files (``extract``, ``eval``, ``review``).

Shown on stderr only when both stdout and stderr are terminals, there are at least two
files, and ``--quiet`` was not given: piped or redirected output never carries bar
characters. While the bar is live, lines the command prints go above it (rich redirects
stdout and stderr through its console, without re-wrapping them).
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, TypeVar

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    Task,
    TextColumn,
)
from rich.table import Column
from rich.text import Text

from vanthu.pipeline.i18n import _

T = TypeVar("T")


def _isatty(stream: IO[str] | None) -> bool:
    try:
        return bool(stream is not None and stream.isatty())
    except (AttributeError, ValueError):  # closed or replaced streams
        return False


def progress_enabled(total: int, quiet: bool, stdout: IO[str] | None = None, stderr: IO[str] | None = None) -> bool:
    """Whether to draw a bar: several files, not ``--quiet``, stdout and stderr terminals."""
    stdout = sys.stdout if stdout is None else stdout
    stderr = sys.stderr if stderr is None else stderr
    return total > 1 and not quiet and _isatty(stdout) and _isatty(stderr)


def files_per_second(task: Task) -> float | None:
    """Files done over the time since the bar started: a rate from the first file on (rich's
    own speed needs two samples, and over a few slow files it says nothing)."""
    elapsed = task.finished_time if task.finished else task.elapsed
    if not task.completed or not elapsed:
        return None
    return task.completed / elapsed


class RateColumn(ProgressColumn):
    """Throughput in files per second, or seconds per file when a file takes longer than a
    second (blank until the first file is done)."""

    def render(self, task: Task) -> Text:
        speed = files_per_second(task)
        if not speed:
            return Text(_("– files/s"), style="progress.data.speed")
        if speed < 1:
            return Text(_("{seconds:.1f} s/file").format(seconds=1 / speed), style="progress.data.speed")
        return Text(
            (_("{rate:.1f} files/s") if speed < 10 else _("{rate:.0f} files/s")).format(rate=speed),
            style="progress.data.speed",
        )


class EtaColumn(ProgressColumn):
    """Time left at the rate so far (``files_per_second``)."""

    def render(self, task: Task) -> Text:
        speed = files_per_second(task)
        if task.finished:
            return Text("0:00:00", style="progress.remaining")
        if not speed or task.total is None:
            return Text("-:--:--", style="progress.remaining")
        left = int((task.total - task.completed) / speed)
        return Text(f"{left // 3600}:{left // 60 % 60:02d}:{left % 60:02d}", style="progress.remaining")


def make_progress(console: Console) -> Progress:
    # about 60 columns; the current file's name, cut with "…", when the terminal is wider
    columns = [
        TextColumn("[progress.description]{task.description}"),
        BarColumn(bar_width=20 if console.width >= 70 else 10),
        MofNCompleteColumn(table_column=Column(no_wrap=True)),
        RateColumn(table_column=Column(no_wrap=True)),
        TextColumn(_("ETA"), table_column=Column(no_wrap=True)),
        EtaColumn(),
    ]
    if console.width >= 75:
        columns.append(
            TextColumn(
                "{task.fields[current]}", style="dim", table_column=Column(no_wrap=True, overflow="ellipsis", ratio=1)
            )
        )
    return Progress(
        *columns,
        console=console,
        transient=False,
        redirect_stdout=True,
        redirect_stderr=True,
    )


class FileProgress:
    """A bar over ``total`` files; a no-op when disabled.

    ``start(name)`` marks the file being worked on, ``done()`` counts it (a failed file
    counts too: the bar measures work, the summary reports failures).
    """

    def __init__(self, total: int, label: str, *, quiet: bool = False, console: Console | None = None) -> None:
        self.total = total
        self.enabled = console is not None or progress_enabled(total, quiet)
        self._progress: Progress | None = None
        self._task = None
        if self.enabled:
            # soft_wrap: redirected output lines (JSON Lines…) are printed as they are
            console = console or Console(stderr=True, soft_wrap=True, highlight=False)
            self._progress = make_progress(console)
            self._task = self._progress.add_task(label, total=total, current="")

    def __enter__(self) -> FileProgress:
        if self._progress is not None:
            self._progress.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def start(self, name: str) -> None:
        if self._progress is not None:
            self._progress.update(self._task, current=name)

    def done(self) -> None:
        if self._progress is not None:
            self._progress.advance(self._task)

    def close(self) -> None:
        if self._progress is not None:
            self._progress.update(self._task, current="")
            self._progress.stop()
            self._progress = None


def track_files(files: Iterable[T], label: str, *, quiet: bool = False, console: Console | None = None) -> Iterator[T]:
    """Iterate ``files`` with a bar: ``for path in track_files(files, "extract"): …``.

    A file counts as done when the loop asks for the next one.
    """
    items = list(files)
    with FileProgress(len(items), label, quiet=quiet, console=console) as bar:
        for item in items:
            bar.start(Path(str(item)).name)
            yield item
            bar.done()
