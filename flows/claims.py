"""Claims on the letters of the inbox: plain file operations, no Prefect.

A letter is claimed by an atomic rename from inbox/ into processing/, after a hidden
marker ``processing/.<name>.claim`` naming the host and process is written beside its
new name; the marker is removed when the letter leaves processing/ (to done/, failed/ or
duplicates/). Files left behind by a crashed worker are put back into inbox/ by
:func:`recover`. The folders and the moves: :mod:`vanthu.flows.inbox`.
"""

from __future__ import annotations

import errno
import json
import os
import socket
import time
from dataclasses import dataclass
from pathlib import Path

from vanthu.flows.inbox import (
    CLAIM_PREFIX,
    CLAIM_SUFFIX,
    DEFAULT_STALE_AFTER,
    ERROR_SUFFIX,
    Layout,
    candidate_names,
    move,
    now_iso,
    write_atomic,
)


@dataclass(frozen=True)
class Claimed:
    """A letter taken out of inbox/ by this process."""

    path: Path  # where it is now, in processing/
    name: str  # its name in inbox/
    claimed_at: str

    @property
    def marker(self) -> Path:
        return claim_marker(self.path)


def claim_marker(path: Path) -> Path:
    return path.with_name(f"{CLAIM_PREFIX}{path.name}{CLAIM_SUFFIX}")


def claim(layout: Layout, path: Path) -> Claimed | None:
    """Move ``path`` from inbox/ into processing/; ``None`` if another worker took it first.

    The marker is written before the rename, so a file in processing/ without a marker is
    always a leftover (of a crash between the final move and the marker's removal, or of
    an older version), never a claim in progress.
    """
    marker = {"name": path.name, "host": socket.gethostname(), "pid": os.getpid(), "time": time.time()}
    data = (json.dumps(marker) + "\n").encode()
    for candidate in candidate_names(path.name, None):
        target = layout.processing / candidate
        if os.path.lexists(target):
            continue
        marker_path = claim_marker(target)
        try:  # exclusive: two workers never hold the same name in processing/
            fd = os.open(marker_path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
        except FileExistsError:
            continue
        with os.fdopen(fd, "wb") as fh:  # not synced: after a power cut the file is in
            fh.write(data)  # inbox/ or processing/, and is processed again
        break
    try:
        os.rename(path, target)
    except FileNotFoundError:
        marker_path.unlink(missing_ok=True)
        return None
    except OSError as exc:
        marker_path.unlink(missing_ok=True)
        if exc.errno != errno.EXDEV:
            raise
        target = move(path, layout.processing, durable=False)  # processing/ on another file system
        write_atomic(claim_marker(target), data.decode(), durable=False)
    return Claimed(path=target, name=path.name, claimed_at=now_iso())


def release(claimed: Claimed) -> None:
    claimed.marker.unlink(missing_ok=True)


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _abandoned(marker: Path, stale_after: float, now: float) -> bool:
    try:
        info = json.loads(marker.read_text(encoding="utf-8"))
    except (OSError, ValueError):  # unreadable: abandoned, unless it is being written right now
        try:
            return now - marker.stat().st_mtime > 60
        except OSError:
            return True
    host, pid, when = info.get("host"), info.get("pid"), float(info.get("time") or 0)
    if host == socket.gethostname():
        # Our own pid: a sweep starts only after the previous one ended, so a claim of
        # this process found at the start of a sweep is left over from a failed one.
        return pid == os.getpid() or not isinstance(pid, int) or not _pid_alive(pid)
    return now - when > stale_after


def recover(layout: Layout, stale_after: float = DEFAULT_STALE_AFTER) -> list[Path]:
    """Put files abandoned in processing/ back into inbox/; returns their new paths.

    Abandoned: no claim marker, or a marker of a dead process on this host, or of another
    host older than ``stale_after`` seconds. Claims of live workers are left alone.
    """
    back: list[Path] = []
    now = time.time()
    try:
        entries = list(os.scandir(layout.processing))
    except FileNotFoundError:
        return back
    names = {e.name for e in entries}
    for entry in entries:
        name = entry.name
        if name.startswith(CLAIM_PREFIX):
            # a marker without its file: a claim about to rename (leave it), or the remains
            # of a process that died after the final move (drop it)
            claimed_name = name[len(CLAIM_PREFIX) : -len(CLAIM_SUFFIX)]
            if (
                name.endswith(CLAIM_SUFFIX)
                and claimed_name not in names
                and not os.path.lexists(layout.processing / claimed_name)
                and _abandoned(Path(entry.path), stale_after, now)
            ):
                Path(entry.path).unlink(missing_ok=True)
            continue
        path = Path(entry.path)
        marker = claim_marker(path)
        if marker.exists() and not _abandoned(marker, stale_after, now):
            continue
        original = name
        try:
            original = json.loads(marker.read_text(encoding="utf-8")).get("name") or name
        except (OSError, ValueError):
            pass
        try:
            back.append(move(path, layout.inbox, name=original))
        except FileNotFoundError:
            continue
        marker.unlink(missing_ok=True)
    return back


# ---------------------------------------------------------------------------
# Endings


def finish_failed(layout: Layout, claimed_or_path: Claimed | Path, error: dict) -> tuple[Path, Path]:
    """Move the original to failed/ and write ``<its name>.error.json`` beside it."""
    if isinstance(claimed_or_path, Claimed):
        src, name = claimed_or_path.path, claimed_or_path.name
    else:
        src, name = claimed_or_path, claimed_or_path.name
    sha = error.get("sha256") or None
    target = move(src, layout.failed, tag=sha[:8] if sha else None, name=name)
    report = dict(error)
    report.setdefault("time", now_iso())
    err_path = target.with_name(target.name + ERROR_SUFFIX)
    write_atomic(err_path, json.dumps(report, ensure_ascii=False, indent=2) + "\n")
    if isinstance(claimed_or_path, Claimed):
        release(claimed_or_path)
    return target, err_path


def finish_duplicate(layout: Layout, claimed: Claimed, sha256: str) -> Path:
    target = move(claimed.path, layout.duplicates, tag=sha256[:8], name=claimed.name)
    release(claimed)
    return target
