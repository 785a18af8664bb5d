"""``vanthu eval DIR``: run the extractor over documents with answer keys and score it.

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
reported as skipped. Scoring rules live in :mod:`vanthu.scoring`.
"""

from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from vanthu.pipeline.read.detect import DOC_SUFFIXES
from vanthu.scoring import FIELDS, DocScore, aggregate, failed, score

TRUTH_DIR = "truth"
TRUTH_SUFFIX = ".truth.json"
_SKIP_DIRS = frozenset({"__pycache__", "node_modules"})

#: Column headings of the per-document table.
ABBREV: dict[str, str] = {
    "doc_type": "type",
    "issuer": "iss",
    "parent_issuer": "par",
    "number": "no",
    "symbol": "sym",
    "number_symbol": "n/s",
    "place": "place",
    "date": "date",
    "subject": "subj",
    "urgency": "urg",
    "confidentiality": "conf",
    "recipients": "rcpt",
    "distribution": "dist",
    "references": "refs",
    "assignments": "items",
    "assignees": "asgn",
    "deadlines": "ddl",
    "signer.name": "s.name",
    "signer.title": "s.title",
    "signer.prefix": "s.pfx",
}

Extract = Callable[[Path], dict[str, Any]]


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


# --- the run -------------------------------------------------------------------------------


@dataclass
class DocResult:
    path: Path
    truth_path: Path
    score: DocScore
    seconds: float = 0.0

    @property
    def error(self) -> str | None:
        return self.score.error


@dataclass
class EvalReport:
    roots: list[Path]
    documents: list[DocResult] = field(default_factory=list)
    skipped: list[tuple[Path, str]] = field(default_factory=list)
    summary: dict[str, float] = field(default_factory=dict)
    show_details: bool = False

    @property
    def errors(self) -> list[DocResult]:
        return [d for d in self.documents if d.error is not None]

    def to_dict(self) -> dict[str, Any]:
        return {
            "roots": [str(r) for r in self.roots],
            "documents": [
                {
                    "path": str(d.path),
                    "truth": str(d.truth_path),
                    "seconds": round(d.seconds, 3),
                    **d.score.to_dict(),
                }
                for d in self.documents
            ],
            "skipped": [{"path": str(p), "reason": r} for p, r in self.skipped],
            "summary": self.summary,
            "n_documents": len(self.documents),
        }


def _error_line(exc: BaseException) -> str:
    line = getattr(exc, "line", None)
    if callable(line):
        try:
            return str(line())
        except Exception:  # noqa: BLE001 - fall back to the plain message
            pass
    return f"{type(exc).__name__}: {exc}"


def _load_truth(path: Path) -> dict[str, Any]:
    data = json.loads(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        raise ValueError("answer key is not a JSON object")
    return data


def run_eval(
    root: Path | Sequence[Path],
    extract: Extract,
    *,
    show_details: bool,
    progress: Callable[[Path], None] | None = None,
    truth_dirs: Sequence[Path] = (),
) -> EvalReport:
    """Extract every paired document under ``root`` (one folder or several) and score it.

    An exception from ``extract`` scores that document 0 on every field of its key and
    records the message; an unreadable key skips the document with the reason.
    """
    roots = [Path(root)] if isinstance(root, (str, Path)) else [Path(r) for r in root]
    report = EvalReport(roots=roots, show_details=show_details)
    seen: set[Path] = set()
    for r in roots:
        found = discover(r, truth_dirs)
        report.skipped += [(p, why) for p, why in found.skipped if p.resolve() not in seen]
        seen.update(p.resolve() for p, _ in found.skipped)
        for doc, truth_path in found.pairs:
            if doc.resolve() in seen:
                continue
            seen.add(doc.resolve())
            try:
                truth = _load_truth(truth_path)
            except (OSError, ValueError) as exc:
                report.skipped.append((doc, f"unreadable answer key {truth_path}: {exc}"))
                continue
            if progress is not None:
                progress(doc)
            start = time.perf_counter()
            try:
                record = extract(doc)
                if hasattr(record, "model_dump"):
                    record = record.model_dump(mode="json")
                result = score(record, truth)
            except Exception as exc:  # noqa: BLE001 - any failure scores the document 0
                result = failed(truth, _error_line(exc))
            report.documents.append(DocResult(doc, truth_path, result, time.perf_counter() - start))
    report.summary = aggregate([d.score for d in report.documents])
    return report


# --- rendering -----------------------------------------------------------------------------


def _display_name(path: Path, roots: Sequence[Path]) -> str:
    for r in roots:
        base = r if r.is_dir() else r.parent
        try:
            return str(path.relative_to(base))
        except ValueError:
            continue
    return str(path)


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]

    def fmt(row: list[str]) -> str:
        first = row[0].ljust(widths[0])
        rest = (c.rjust(w) for c, w in zip(row[1:], widths[1:], strict=True))
        return "  ".join([first, *rest]).rstrip()

    rule = "  ".join("-" * w for w in widths)
    return [fmt(header), rule, *(fmt(r) for r in rows)]


def render_report(report: EvalReport) -> str:
    """Plain text (no colour codes): the per-document table, per-field means, the
    overall line, errors and skipped documents, and mismatches when ``show_details``."""
    lines: list[str] = []
    docs = report.documents
    columns = [f for f in FIELDS if any(f in d.score.scores for d in docs)]
    if docs:
        header = ["document", *(ABBREV.get(f, f) for f in columns), "mean"]
        rows = []
        for d in docs:
            cells = [_display_name(d.path, report.roots)]
            cells += [f"{d.score.scores[f]:.2f}" if f in d.score.scores else "-" for f in columns]
            cells.append(f"{d.score.mean:.2f}" + (" ERR" if d.error else ""))
            rows.append(cells)
        mean_row = ["mean", *(f"{report.summary[f]:.2f}" for f in columns)]
        mean_row.append(f"{report.summary['overall']:.2f}")
        table = _table(header, [*rows, mean_row])
        lines += [*table[:-1], table[1], table[-1], ""]

        lines.append("per-field means:")
        width = max(len(f) for f in columns)
        lines += [f"  {f.ljust(width)}  {report.summary[f]:.3f}" for f in columns]
        lines.append("")
        for name, label in (
            ("references", "references F1"),
            ("assignments", "assignment labels F1"),
            ("assignees", "assignees F1"),
        ):
            if name in report.summary:
                lines.append(f"{label}: {report.summary[name]:.3f}")

    n = len(docs)
    lines.append(
        f"overall field accuracy: {report.summary.get('overall', 0.0):.3f} ({n} document{'' if n == 1 else 's'})"
    )

    if report.errors:
        lines += ["", f"errors ({len(report.errors)}):"]
        lines += [f"  {_display_name(d.path, report.roots)}: {d.error}" for d in report.errors]
    if report.skipped:
        lines += ["", f"skipped ({len(report.skipped)}):"]
        lines += [f"  {_display_name(p, report.roots)}: {why}" for p, why in report.skipped]

    if report.show_details:
        lines += ["", "mismatches:"]
        any_mismatch = False
        for d in docs:
            wrong = d.score.mismatches()
            if not wrong or d.error:
                continue
            any_mismatch = True
            lines.append(f"  {_display_name(d.path, report.roots)}:")
            lines += [f"    {f}: {detail.describe()}" for f, detail in wrong]
        if not any_mismatch:
            lines.append("  none")
    return "\n".join(lines) + "\n"


# --- entry point for the CLI ---------------------------------------------------------------


def _check_paths(paths: Sequence[Path], truth_dirs: Sequence[Path]) -> None:
    from vanthu.pipeline.errors import InputNotFound

    for p in paths:
        if not p.exists():
            raise InputNotFound(p, "no such file or folder")
    for t in truth_dirs:
        if not t.is_dir():
            raise InputNotFound(t, "no such answer-key folder")


def _isolated_extract(settings: Any, isolate: bool) -> Extract:
    """Each document extracted as ``vanthu extract`` extracts it: in a bounded child process
    (a warm forkserver for the batch), so a file that hangs the reader is stopped by the
    timeout and scored 0 with the error, and the run goes on."""
    from vanthu.commands import extract_one

    def extract(p: Path) -> dict[str, Any]:
        record = extract_one(p, settings, isolate=isolate)
        return record.model_dump(mode="json") if hasattr(record, "model_dump") else record

    return extract


def main_eval(
    argv_paths: list[Path],
    details: bool,
    json_out: Path | None,
    truth_dirs: Sequence[Path] = (),
    quiet: bool = False,
    *,
    settings: Any = None,
    isolate: bool = True,
) -> int:
    """``vanthu eval DIR… [--details] [--json FILE] [--truth DIR] [--quiet]``.

    Prints the report to stdout (a progress bar on a terminal unless ``quiet``); returns 0
    when the run completed (whatever the accuracy), 1 when no document with an answer key
    was found. A path that does not exist raises :class:`vanthu.pipeline.errors.InputNotFound`;
    a JSON file that cannot be written raises :class:`~vanthu.pipeline.errors.OutputNotWritable`.
    """
    from vanthu.output import write_atomic
    from vanthu.views.progress import FileProgress

    paths = [Path(p) for p in argv_paths]
    truth_dirs = [Path(t) for t in truth_dirs]
    _check_paths(paths, truth_dirs)
    total = len({doc.resolve() for p in paths for doc, _ in discover(p, truth_dirs).pairs})
    started: list[Path] = []

    def progress(p: Path) -> None:
        if started:
            bar.done()
        started.append(p)
        bar.start(p.name)

    with FileProgress(total, "eval", quiet=quiet) as bar:
        report = run_eval(
            paths,
            _isolated_extract(settings, isolate),
            show_details=details,
            progress=progress if bar.enabled else None,
            truth_dirs=truth_dirs,
        )
        if started:
            bar.done()
    sys.stdout.write(render_report(report))
    if json_out is not None:
        write_atomic(Path(json_out), json.dumps(report.to_dict(), ensure_ascii=False, indent=2) + "\n")
    if not report.documents:
        where = ", ".join(str(p) for p in paths)
        print(f"no documents with answer keys under {where}", file=sys.stderr)
        return 1
    return 0
