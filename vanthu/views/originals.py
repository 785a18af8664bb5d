"""The original letter of a saved record, for the page images of ``vanthu review``.

A record written by ``vanthu extract --out`` sits beside its letter; one written by the
ingestion sits in ``ROOT/out/`` while its letter went to ``ROOT/done/`` (under its own
name, or with the hash's first 8 digits added when the name was taken). The original is
looked for, in order: beside the JSON, where the store says it went (``ROOT/vanthu.db``),
under the names ``done/`` gives it, and finally among ``done/``'s files of the same kind.
Every candidate must have the record's SHA-256.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from pathlib import Path

from vanthu.flows.inbox import candidate_names, sha256_file
from vanthu.models.record import DispatchRecord
from vanthu.pipeline.i18n import _

#: Names tried in done/ (``name``, ``stem.<hash>.ext``, ``stem.<hash>-2.ext`` …).
MAX_NAMES = 20
#: Files of done/ hashed at most when no name matches.
MAX_SCANNED = 500


@dataclass
class Search:
    """Where the original was looked for (for the message when it is not found)."""

    places: list[str] = field(default_factory=list)

    def message(self, record: DispatchRecord) -> str:
        src = record.source
        where = ", ".join(self.places) or _("nowhere")
        text = _("the original {file} (SHA-256 {sha}…) was not found ({where}); no page images")
        return text.format(file=src.file, sha=src.sha256[:12], where=where)


def _matches(path: Path, sha256: str) -> bool:
    try:
        return path.is_file() and not path.is_symlink() and sha256_file(path) == sha256
    except OSError:
        return False


def _root_of(json_path: Path) -> Path:
    """ROOT of ``ROOT/out/X.json`` (the folder above the JSON's)."""
    return json_path.absolute().parent.parent


def _from_store(root: Path, sha256: str) -> Path | None:
    db_path = root / "vanthu.db"
    if not db_path.is_file():
        return None
    from vanthu.flows.store import open_store

    try:
        with open_store(db_path) as db:
            rows = [d for d in db.documents() if d["sha256"] == sha256 and d.get("done_path")]
    except Exception:  # noqa: BLE001 - a store that cannot be read just gives no hint
        return None
    return Path(rows[0]["done_path"]) if rows else None


def _in_done(done: Path, record: DispatchRecord) -> Path | None:
    src = record.source
    names = itertools.islice(candidate_names(src.file, src.sha256[:8]), MAX_NAMES)
    for name in names:
        if _matches(done / name, src.sha256):
            return done / name
    suffix = Path(src.file).suffix.lower()
    others = (p for p in sorted(done.iterdir()) if p.suffix.lower() == suffix)
    for path in itertools.islice(others, MAX_SCANNED):
        if _matches(path, src.sha256):
            return path
    return None


def find_original(json_path: Path, record: DispatchRecord) -> tuple[Path | None, Search]:
    """The letter ``record`` was read from, and where it was looked for."""
    search = Search()
    sha = record.source.sha256
    beside = json_path.parent / record.source.file
    search.places.append(_("beside {name}").format(name=json_path.name))
    if _matches(beside, sha):
        return beside, search
    root = _root_of(json_path)
    stored = _from_store(root, sha)
    if stored is not None:
        search.places.append(_("the store's {path}").format(path=stored))
        if _matches(stored, sha):
            return stored, search
    done = root / "done"
    if done.is_dir():
        search.places.append(_("in {folder}").format(folder=done))
        found = _in_done(done, record)
        if found is not None:
            return found, search
    return None, search
