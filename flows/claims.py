"""Claims on the letters of the inbox: plain file operations, no Prefect.

A letter is claimed by an atomic rename from inbox/ into processing/, after a hidden
marker ``processing/.<name>.claim`` is written beside its new name (host, process, a
random token, the lease length). The claim is a **lease**: while this process lives, a
heartbeat thread renews it (the marker's mtime) every ``lease / 4`` seconds; a marker not
renewed for ``lease`` seconds (its machine died, was cut off or frozen) is expired, and
:func:`recover` — which every sweep runs — puts the file back into inbox/ for another
worker. A process whose lease was taken over notices it (the marker is gone or carries
another token) and leaves the letter alone: :func:`ensure_held` is checked before every
step that writes a result, so a letter is finished by exactly one worker. The marker is
removed when the letter leaves processing/ (to done/, failed/ or duplicates/). The
folders and the moves: :mod:`vanthu.flows.inbox`.
"""

from __future__ import annotations

import errno
import json
import os
import secrets
import socket
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from vanthu.flows.inbox import (
    CLAIM_PREFIX,
    CLAIM_SUFFIX,
    DEFAULT_LEASE,
    ERROR_SUFFIX,
    Layout,
    candidate_names,
    move,
    now_iso,
    write_atomic,
)

#: A lease is renewed this many times within its length (60 s: every 15 s).
RENEWALS_PER_LEASE = 4
#: A marker being written right now (unreadable JSON) is left alone this long.
UNREADABLE_GRACE = 60.0


class LeaseLost(Exception):
    """This worker's claim expired and the letter was put back (another worker may hold it
    now): the worker must leave it alone. Not a ``VanthuError``: nothing is wrong with the
    letter."""

    def __init__(self, name: str):
        super().__init__(f"{name}: the claim expired and the letter was put back; another worker finishes it")
        self.name = name


@dataclass(frozen=True)
class Claimed:
    """A letter taken out of inbox/ by this process."""

    path: Path  # where it is now, in processing/
    name: str  # its name in inbox/
    claimed_at: str
    token: str = ""  # the marker's token: the claim is ours while the marker carries it

    @property
    def marker(self) -> Path:
        return claim_marker(self.path)


def claim_marker(path: Path) -> Path:
    return path.with_name(f"{CLAIM_PREFIX}{path.name}{CLAIM_SUFFIX}")


def _read_marker(marker: Path) -> dict | None:
    try:
        info = json.loads(marker.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return info if isinstance(info, dict) else None


# ---------------------------------------------------------------------------
# The heartbeat: one daemon thread per process renews every lease it holds


class _Heartbeat:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.held: dict[Path, tuple[str, float]] = {}  # marker -> (token, lease)
        self.lost: set[str] = set()  # tokens whose marker was gone or replaced
        self.thread: threading.Thread | None = None
        self.pid = 0
        self.wake = threading.Event()  # a new lease: renew at its pace from now

    def hold(self, marker: Path, token: str, lease: float) -> None:
        with self.lock:
            self.held[marker] = (token, lease)
            self.wake.set()
            if self.thread is None or not self.thread.is_alive() or self.pid != os.getpid():
                self.pid = os.getpid()  # (a forked child starts its own thread)
                self.thread = threading.Thread(target=self._run, name="vanthu-lease", daemon=True)
                self.thread.start()

    def drop(self, marker: Path, token: str) -> None:
        with self.lock:
            if self.held.get(marker, ("",))[0] == token:
                del self.held[marker]
            self.lost.discard(token)

    def holds(self, token: str) -> bool:
        with self.lock:
            return any(t == token for t, _ in self.held.values())

    def _run(self) -> None:
        while True:
            with self.lock:
                held = dict(self.held)
            period = min((lease for _, lease in held.values()), default=DEFAULT_LEASE) / RENEWALS_PER_LEASE
            for marker, (token, _) in held.items():
                if not renew(marker, token):
                    with self.lock:
                        if self.held.get(marker, ("",))[0] == token:  # (not just released)
                            self.lost.add(token)
                            del self.held[marker]
            self.wake.wait(max(period, 0.05))
            self.wake.clear()


HEARTBEAT = _Heartbeat()


def renew(marker: Path, token: str) -> bool:
    """Renew one lease (the marker's mtime); false when the marker is gone or not ours."""
    info = _read_marker(marker)
    if info is None or info.get("token") != token:
        return False
    try:
        os.utime(marker)
    except OSError:
        return False
    return True


def ensure_held(claimed: Claimed) -> None:
    """Raise :class:`LeaseLost` unless the claim is still this worker's (checked before each
    step that writes a result or moves the letter)."""
    if claimed.token and (claimed.token in HEARTBEAT.lost or not renew(claimed.marker, claimed.token)):
        raise LeaseLost(claimed.name)


# ---------------------------------------------------------------------------
# Claiming


def _reserve(layout: Layout, name: str, token: str, data: bytes) -> tuple[Path, Path]:
    """A free name in processing/ and its marker, created exclusively: ``<stem>.<token><ext>``.

    Two workers never hold the same name in processing/, and a name is never used twice:
    a worker whose lease was taken over cannot move the new holder's file by its old name.
    """
    p = Path(name)
    for candidate in candidate_names(f"{p.stem}.{token}{p.suffix}", None):
        target = layout.processing / candidate
        if os.path.lexists(target):
            continue
        marker_path = claim_marker(target)
        try:
            fd = os.open(marker_path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
        except FileExistsError:
            continue
        with os.fdopen(fd, "wb") as fh:  # not synced: after a power cut the file is in
            fh.write(data)  # inbox/ or processing/, and is processed again
        return target, marker_path
    raise AssertionError("unreachable")  # candidate_names raises first


def claim(layout: Layout, path: Path, lease: float = DEFAULT_LEASE) -> Claimed | None:
    """Move ``path`` from inbox/ into processing/ under a lease of ``lease`` seconds, renewed
    while this process lives; ``None`` if another worker took it first.

    The marker is written before the rename, so a file in processing/ without a marker is
    always a leftover (of a crash between the final move and the marker's removal, or of
    an older version), never a claim in progress.
    """
    token = secrets.token_hex(6)
    marker = {
        "name": path.name,
        "host": socket.gethostname(),
        "pid": os.getpid(),
        "time": time.time(),
        "token": token,
        "lease": lease,
    }
    data = (json.dumps(marker) + "\n").encode()
    target, marker_path = _reserve(layout, path.name, token, data)
    try:
        os.rename(path, target)
    except FileNotFoundError:
        marker_path.unlink(missing_ok=True)
        return None
    except OSError as exc:
        marker_path.unlink(missing_ok=True)
        if exc.errno != errno.EXDEV:
            raise
        target = move(path, layout.processing, name=target.name, durable=False)  # another file system
        write_atomic(claim_marker(target), data.decode(), durable=False)
    claimed = Claimed(path=target, name=path.name, claimed_at=now_iso(), token=token)
    HEARTBEAT.hold(claimed.marker, token, lease)
    return claimed


def release(claimed: Claimed) -> None:
    """The letter left processing/: its marker goes, the heartbeat stops renewing it."""
    HEARTBEAT.drop(claimed.marker, claimed.token)
    if not claimed.token or (_read_marker(claimed.marker) or {}).get("token") in (claimed.token, None):
        claimed.marker.unlink(missing_ok=True)


# ---------------------------------------------------------------------------
# Recovery


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _abandoned(marker: Path, lease: float, now: float) -> bool:
    """Whether the claim of ``marker`` is over: its lease expired (not renewed for its
    length), or it belongs to a dead process on this host, or to this process without
    being held by it (a leftover of an interrupted sweep)."""
    info = _read_marker(marker)
    try:
        age = now - marker.stat().st_mtime
    except OSError:
        return True
    if info is None:  # unreadable: abandoned, unless it is being written right now
        return age > UNREADABLE_GRACE
    pid, token = info.get("pid"), info.get("token")
    if age > float(info.get("lease") or lease):
        return True
    if info.get("host") != socket.gethostname():
        return False
    if pid == os.getpid():
        return not (token and HEARTBEAT.holds(token))
    return not isinstance(pid, int) or not _pid_alive(pid)


def claim_ages(layout: Layout, now: float | None = None) -> list[dict]:
    """The claims in processing/ (for ``vanthu status``): name, host, pid, seconds since
    claimed and since last renewed, lease length, and whether it expired."""
    now = time.time() if now is None else now
    rows = []
    try:
        entries = sorted(os.scandir(layout.processing), key=lambda e: e.name)
    except FileNotFoundError:
        return rows
    for entry in entries:
        if entry.name.startswith(CLAIM_PREFIX) or not entry.is_file(follow_symlinks=False):
            continue
        marker = claim_marker(Path(entry.path))
        info = _read_marker(marker) or {}
        try:
            renewed = now - marker.stat().st_mtime
        except OSError:
            renewed = None
        lease = float(info.get("lease") or DEFAULT_LEASE)
        rows.append(
            {
                "file": entry.name,
                "name": info.get("name") or entry.name,
                "host": info.get("host"),
                "pid": info.get("pid"),
                "claimed_s": round(now - float(info["time"]), 1) if info.get("time") else None,
                "renewed_s": None if renewed is None else round(renewed, 1),
                "lease_s": lease,
                "expired": renewed is None or renewed > lease,
            }
        )
    return rows


def recover(layout: Layout, lease: float = DEFAULT_LEASE) -> list[Path]:
    """Put files abandoned in processing/ back into inbox/; returns their new paths.

    Abandoned: no claim marker, or an expired lease (``lease`` seconds for markers that do
    not name their own), or a marker of a dead process on this host. Live claims are left
    alone. Run at every sweep, so a letter of a worker that died is taken by another one
    within a run.
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
                and _abandoned(Path(entry.path), lease, now)
            ):
                Path(entry.path).unlink(missing_ok=True)
            continue
        path = Path(entry.path)
        marker = claim_marker(path)
        if marker.exists() and not _abandoned(marker, lease, now):
            continue
        original = (_read_marker(marker) or {}).get("name") or name
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
    if isinstance(claimed_or_path, Claimed):
        ensure_held(claimed_or_path)
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
    ensure_held(claimed)
    target = move(claimed.path, layout.duplicates, tag=sha256[:8], name=claimed.name)
    release(claimed)
    return target
