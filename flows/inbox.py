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
hidden marker ``processing/.<name>.claim``, a lease its worker renews while it works, so
that files left behind by a crashed or vanished worker are put back into inbox/ (the
claims: :mod:`vanthu.flows.claims`).

Every move is a rename inside the tree, so a file is always in exactly one folder.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import shutil
import tempfile
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from vanthu.pipeline.i18n import _

FOLDERS = ("inbox", "processing", "out", "done", "failed", "duplicates")

#: Names that are never letters: editors' lock files, browsers' and copy tools'
#: partial downloads, our own temporary files.
IGNORED_PREFIXES = (".", "~$", ".~lock")
IGNORED_SUFFIXES = (
    ".part",
    ".partial",
    ".crdownload",
    ".download",
    ".tmp",
    ".temp",
    ".swp",
    ".filepart",
    ".!ut",
    ".lock",
    "~",
)
ERROR_SUFFIX = ".error.json"
CLAIM_PREFIX = "."
CLAIM_SUFFIX = ".claim"
#: Seconds a claim lasts without being renewed (its holder renews it every quarter of
#: this while it works); an expired claim goes back to inbox/ at the next sweep.
DEFAULT_LEASE = 60.0


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


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
                    result.refused.append((path, _("symbolic links are refused (copy the file itself into the inbox)")))
                    continue
                if entry.is_dir(follow_symlinks=False):
                    continue  # sub-folders are not scanned
                st = entry.stat(follow_symlinks=False)
            except FileNotFoundError:
                continue  # claimed by someone else meanwhile
            if not entry.is_file(follow_symlinks=False):
                result.refused.append((path, _("not a regular file (device, pipe or socket) — refused")))
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


def move(src: Path, folder: Path, tag: str | None = None, name: str | None = None, *, durable: bool = True) -> Path:
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


def write_atomic(path: Path, text: str | bytes, *, durable: bool = True) -> None:
    """Write ``text`` (UTF-8; or bytes as they are) to ``path`` via a temporary file in the
    same folder and a rename (synced to disk first unless ``durable`` is false)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.fchmod(fd, 0o666 & ~_umask())  # mkstemp makes 0600; results are for everyone the umask allows
        with os.fdopen(fd, "wb") as fh:
            fh.write(text.encode("utf-8") if isinstance(text, str) else text)
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
# Results


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
