"""Pairing documents with their answer keys, for ``vanthu eval`` and the benchmarks.

Discovery (:func:`discover`, :func:`find_pairs`) pairs each document with its key:

* ``ID.truth.json`` beside it (``real/ID.pdf`` + ``real/ID.truth.json``,
  ``seed/letter.md`` + ``seed/letter.truth.json``), or
* ``truth/ID.json`` in a sibling folder of the document's folder (``corpus/pdf/ID.pdf`` and
  ``corpus/scans/ID.scan-noisy.pdf`` -> ``corpus/truth/ID.json``) or in a child folder
  ``truth/`` of any ancestor up to the searched root.

With ``--truth DIR`` (``truth_dirs``) the keys are looked up first in those folders, as
``DIR/ID.json`` or ``DIR/ID.truth.json`` (synthetic scans generated into a temporary folder
are scored against ``../shared/corpus/truth`` this way, without copying the keys).

The ID is the file name up to its first ``.``; a key named after the whole stem
(``ID.scan-noisy.truth.json``) is preferred when one exists. Documents without a key are
reported as skipped. Scoring rules live in
:mod:`vanthu.scoring`; the run and its report in :mod:`vanthu.evaluate`.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from vanthu.pipeline.read.detect import DOC_SUFFIXES

TRUTH_DIR = "truth"
TRUTH_SUFFIX = ".truth.json"
_SKIP_DIRS = frozenset({"__pycache__", "node_modules"})


# --- discovery -----------------------------------------------------------------------------


@dataclass
class Discovery:
    pairs: list[tuple[Path, Path]] = field(default_factory=list)
    skipped: list[tuple[Path, str]] = field(default_factory=list)  # (document, reason)


def doc_id(path: Path) -> str:
    """The name up to the first ``.``: ``ID.scan-noisy.pdf`` -> ``ID``."""
    return path.name.split(".", 1)[0]


def is_document(path: Path) -> bool:
    return (
        path.is_file()
        and path.suffix.lower() in DOC_SUFFIXES
        and not path.name.startswith(".")
        and not path.name.upper().startswith("README.")
    )


def _iter_documents(root: Path) -> Iterable[Path]:
    if root.is_file():
        if is_document(root):
            yield root
        return
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith(".") and d not in _SKIP_DIRS)
        for name in sorted(filenames):
            path = Path(dirpath) / name
            if is_document(path):
                yield path


def _abs(path: Path) -> Path:
    return Path(os.path.abspath(path))


def find_truth(doc: Path, root: Path, truth_dirs: Sequence[Path] = ()) -> Path | None:
    """The answer key of ``doc`` (see the module docstring), or ``None``."""
    ids = list(dict.fromkeys(i for i in (doc.name[: -len(doc.suffix)], doc_id(doc)) if i))
    explicit = [Path(d) / f"{i}{suffix}" for d in truth_dirs for i in ids for suffix in (".json", TRUTH_SUFFIX)]
    hit = next((c for c in explicit if c.is_file()), None)
    if hit is not None:
        return hit
    doc, root = _abs(doc), _abs(root)
    if not root.is_dir():
        root = root.parent
    # the document's folder and its ancestors up to root, nearest first; the sibling of the
    # document's folder (a child of its grandparent) is searched even above root
    ancestors = [doc.parent]
    while ancestors[-1] != root and ancestors[-1].is_relative_to(root):
        if ancestors[-1].parent == ancestors[-1]:
            break
        ancestors.append(ancestors[-1].parent)
    if doc.parent.parent not in ancestors:
        ancestors.insert(1, doc.parent.parent)
    candidates = [doc.parent / f"{i}{TRUTH_SUFFIX}" for i in ids]
    candidates += [a / TRUTH_DIR / f"{i}.json" for a in ancestors for i in ids]
    return next((c for c in candidates if c.is_file()), None)


def discover(root: Path, truth_dirs: Sequence[Path] = ()) -> Discovery:
    """Documents under ``root`` (a folder, searched recursively, or one file), paired."""
    found = Discovery()
    for doc in _iter_documents(root):
        truth = find_truth(doc, root, truth_dirs)
        if truth is None:
            found.skipped.append((doc, "no answer key"))
        else:
            found.pairs.append((doc, truth))
    return found


def find_pairs(root: Path, truth_dirs: Sequence[Path] = ()) -> list[tuple[Path, Path]]:
    """(document, answer key) pairs under ``root``, in path order."""
    return discover(root, truth_dirs).pairs
