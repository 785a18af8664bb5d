"""The inbox lifecycle: plain file operations, no Prefect.

One folder tree (by default under one root, each folder configurable)::

    inbox/        letters are dropped here
    processing/   a letter is claimed by an atomic rename from inbox/
    out/          <stem>.json, written atomically (temporary file + rename)
    done/         the original, after its record is written and stored
    failed/       the original beside <name>.error.json (why it failed)
    duplicates/   byte-identical copies of letters already processed

Rules: a file still being written (size or mtime changed within ``settle`` seconds) is
left alone; hidden, temporary and partial files are ignored; symlinks and special files
are refused (moved to failed/ with a reason, never followed); a claimed file carries a
hidden marker ``processing/.<name>.claim`` naming the host and process, so that files
left behind by a crashed worker are put back into inbox/ (see :func:`recover`).

Every move is a rename inside the tree, so a file is always in exactly one folder.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import shutil
import socket
import tempfile
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

FOLDERS = ("inbox", "processing", "out", "done", "failed", "duplicates")

#: Names that are never letters: editors' lock files, browsers' and copy tools'
#: partial downloads, our own temporary files.
IGNORED_PREFIXES = (".", "~$", ".~lock")
IGNORED_SUFFIXES = (
    ".part", ".partial", ".crdownload", ".download", ".tmp", ".temp", ".swp", ".filepart",
    ".!ut", ".lock", "~",
)
ERROR_SUFFIX = ".error.json"
CLAIM_PREFIX = "."
CLAIM_SUFFIX = ".claim"
DEFAULT_STALE_AFTER = 3600.0  # seconds before another host's claim counts as abandoned


def now_iso() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


@dataclass(frozen=True)
class Layout:
    """Where each folder of the lifecycle lives."""

    root: Path
    inbox: Path
    processing: Path
    out: Path
    done: Path
    failed: Path
    duplicates: Path

    @classmethod
    def under(cls, root: Path | str, **folders: Path | str | None) -> Layout:
        """``root/<folder>`` for each folder, unless given (relative paths are under root)."""
        root = Path(root).expanduser().absolute()
        unknown = set(folders) - set(FOLDERS)
        if unknown:
            raise ValueError(f"unknown folder(s): {', '.join(sorted(unknown))}")
        paths = {}
        for name in FOLDERS:
            given = folders.get(name)
            paths[name] = root / name if given is None else root / Path(given).expanduser()
        return cls(root=root, **paths)

    def ensure(self) -> Layout:
        for name in FOLDERS:
            getattr(self, name).mkdir(parents=True, exist_ok=True)
        return self

    def as_dict(self) -> dict[str, str]:
        return {name: str(getattr(self, name)) for name in ("root", *FOLDERS)}


def is_ignored(name: str) -> bool:
    """Hidden, temporary and partial files are not letters (yet)."""
    lower = name.lower()
    return lower.startswith(IGNORED_PREFIXES) or lower.endswith(IGNORED_SUFFIXES)


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


# ---------------------------------------------------------------------------
# Scanning


@dataclass
class Scan:
    ready: list[Path] = field(default_factory=list)  # stable regular files, oldest first
    waiting: list[Path] = field(default_factory=list)  # still being written
    refused: list[tuple[Path, str]] = field(default_factory=list)  # symlinks, special files

    def __bool__(self) -> bool:
        return bool(self.ready or self.refused)


class Scanner:
    """Finds the files of inbox/ that are ready.

    A file is ready when its mtime is at least ``settle`` seconds old and, if this scanner
    saw it before, its size and mtime have not changed since. Keep one scanner per inbox
    for the life of a watcher; a fresh one (as in a scheduled run) relies on mtime alone.
    """

    def __init__(self, settle: float = 2.0):
        self.settle = settle
        self._seen: dict[str, tuple[int, int]] = {}

    def scan(self, inbox: Path, now: float | None = None) -> Scan:
        result = Scan()
        now = time.time() if now is None else now
        seen: dict[str, tuple[int, int]] = {}
        ready: list[tuple[int, str, Path]] = []
        try:
            entries = list(os.scandir(inbox))
        except FileNotFoundError:
            return result
        for entry in entries:
            if is_ignored(entry.name):
                continue
            path = Path(entry.path)
            try:
                if entry.is_symlink():
                    result.refused.append((path, "symbolic links are refused (copy the file itself into the inbox)"))
                    continue
                if entry.is_dir(follow_symlinks=False):
                    continue  # sub-folders are not scanned
                st = entry.stat(follow_symlinks=False)
            except FileNotFoundError:
                continue  # claimed by someone else meanwhile
            if not entry.is_file(follow_symlinks=False):
                result.refused.append((path, "not a regular file (device, pipe or socket) — refused"))
                continue
            key = (st.st_size, st.st_mtime_ns)
            seen[entry.name] = key
            before = self._seen.get(entry.name)
            if now - st.st_mtime < self.settle or (before is not None and before != key):
                result.waiting.append(path)
            else:
                ready.append((st.st_mtime_ns, entry.name, path))
        self._seen = seen
        result.ready = [p for _, _, p in sorted(ready)]
        return result


# ---------------------------------------------------------------------------
# Moves


def _fsync_dir(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def candidate_names(name: str, tag: str | None):
    """The names ``free_name`` tries, in order: ``name``, ``stem.tag.ext``, ``stem.tag-2.ext`` …"""
    yield name
    p = Path(name)
    stem, suffix = p.stem, p.suffix
    base = f"{stem}.{tag}" if tag else stem
    if tag:
        yield f"{base}{suffix}"
    for n in range(2, 10_000):
        yield f"{base}-{n}{suffix}"
    raise FileExistsError(name)


def free_name(folder: Path, name: str, tag: str | None = None) -> Path:
    """``folder/name`` if free, else ``name`` with ``.tag`` and then ``-N`` before the suffix."""
    for candidate in candidate_names(name, tag):
        target = folder / candidate
        if not os.path.lexists(target) and not os.path.lexists(folder / f"{candidate}{ERROR_SUFFIX}"):
            return target
    raise AssertionError("unreachable")


def move(src: Path, folder: Path, tag: str | None = None, name: str | None = None, *,
         durable: bool = True) -> Path:
    """Rename ``src`` into ``folder`` without replacing anything there; returns the new path.

    Within one file system this is one atomic rename. Across file systems (folders
    configured on different mounts) the file is copied, synced, then the source removed.
    """
    target = free_name(folder, name or src.name, tag)
    try:
        os.rename(src, target)
    except OSError as exc:
        if exc.errno != errno.EXDEV:
            raise
        tmp = folder / f".{target.name}.moving"
        shutil.copy2(src, tmp, follow_symlinks=False)
        with open(tmp, "rb") as fh:
            os.fsync(fh.fileno())
        os.rename(tmp, target)
        os.unlink(src)
    if durable:
        _fsync_dir(folder)
    return target


def _umask() -> int:
    """The process umask, read without changing it where /proc allows (thread-safe)."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def write_atomic(path: Path, text: str, *, durable: bool = True) -> None:
    """Write ``text`` to ``path`` via a temporary file in the same folder and a rename
    (synced to disk first unless ``durable`` is false)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.fchmod(fd, 0o666 & ~_umask())  # mkstemp makes 0600; results are for everyone the umask allows
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            if durable:
                os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    if durable:
        _fsync_dir(path.parent)


# ---------------------------------------------------------------------------
# Claims


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
            fh.write(data)               # inbox/ or processing/, and is processed again
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
            claimed_name = name[len(CLAIM_PREFIX):-len(CLAIM_SUFFIX)]
            if (name.endswith(CLAIM_SUFFIX) and claimed_name not in names
                    and not os.path.lexists(layout.processing / claimed_name)
                    and _abandoned(Path(entry.path), stale_after, now)):
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


def out_path_for(layout: Layout, name: str, sha256: str) -> Path:
    stem = Path(name).stem
    for candidate in (f"{stem}.json", f"{stem}.{sha256[:8]}.json"):
        target = layout.out / candidate
        if not target.exists() or _record_sha(target) == sha256:
            return target
    return free_name(layout.out, f"{stem}.{sha256[:8]}.json")


def _record_sha(path: Path) -> str | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return (data.get("source") or {}).get("sha256")
    except (OSError, ValueError, AttributeError):
        return None


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
