"""``vanthu eval DIR``: run the extractor over documents with answer keys and score it.

Documents are paired with their keys by :mod:`vanthu.discovery`; scoring rules live in
:mod:`vanthu.scoring`. Every document falls in the tuning or the checking part of its set
(:func:`vanthu.scoring.split_of`, a fixed hash of its ID): ``split="tune"``/``"check"``
extracts and scores only that part; without it the report gives the overall numbers and
each part's overall and assignees F1 on lines of their own. Mismatches (``--details``) are
listed for tuning documents only: the checking part is for numbers, not for reading.
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from vanthu.discovery import discover, doc_id
from vanthu.pipeline.i18n import N_, _, ngettext
from vanthu.scoring import FIELDS, SPLITS, DocScore, aggregate, failed, score, split_of

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

    @property
    def part(self) -> str:
        """``"tune"`` or ``"check"``: the part of its set the document falls in."""
        return split_of(doc_id(self.path))


@dataclass
class EvalReport:
    roots: list[Path]
    documents: list[DocResult] = field(default_factory=list)
    skipped: list[tuple[Path, str]] = field(default_factory=list)
    summary: dict[str, float] = field(default_factory=dict)
    show_details: bool = False
    split: str | None = None  # the part scored, or None for both
    left_out: int = 0  # documents with keys in the other part, not extracted
    parts: dict[str, dict[str, float]] = field(default_factory=dict)  # each part's summary

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
                    "split": d.part,
                    **d.score.to_dict(),
                }
                for d in self.documents
            ],
            "skipped": [{"path": str(p), "reason": r} for p, r in self.skipped],
            "summary": self.summary,
            "split": self.split,
            "left_out": self.left_out,
            "parts": self.parts,
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
    split: str | None = None,
) -> EvalReport:
    """Extract every paired document under ``root`` (one folder or several) and score it;
    with ``split`` (``"tune"`` or ``"check"``) only the documents of that part.

    An exception from ``extract`` scores that document 0 on every field of its key and
    records the message; an unreadable key skips the document with the reason.
    """
    if split is not None and split not in SPLITS:
        raise ValueError(f"unknown split {split!r}: expected one of {', '.join(SPLITS)}")
    roots = [Path(root)] if isinstance(root, (str, Path)) else [Path(r) for r in root]
    report = EvalReport(roots=roots, show_details=show_details, split=split)
    seen: set[Path] = set()
    for r in roots:
        found = discover(r, truth_dirs)
        report.skipped += [(p, why) for p, why in found.skipped if p.resolve() not in seen]
        seen.update(p.resolve() for p, _ in found.skipped)
        for doc, truth_path in found.pairs:
            if doc.resolve() in seen:
                continue
            seen.add(doc.resolve())
            if split is not None and split_of(doc_id(doc)) != split:
                report.left_out += 1
                continue
            try:
                truth = _load_truth(truth_path)
            except (OSError, ValueError) as exc:
                report.skipped.append((doc, _("unreadable answer key {path}: {why}").format(path=truth_path, why=exc)))
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
    for part in SPLITS:
        docs = [d.score for d in report.documents if d.part == part]
        if docs:
            report.parts[part] = aggregate(docs)
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


def _n_docs(n: int) -> str:
    return ngettext("{n} document", "{n} documents", n).format(n=n)


def _score_table(report: EvalReport, columns: list[str]) -> list[str]:
    """The per-document table with its mean row, the per-field means and the list F1s."""
    header = [_("document"), *(ABBREV.get(f, f) for f in columns), _("mean")]
    rows = []
    for d in report.documents:
        cells = [_display_name(d.path, report.roots)]
        cells += [f"{d.score.scores[f]:.2f}" if f in d.score.scores else "-" for f in columns]
        cells.append(f"{d.score.mean:.2f}" + (" ERR" if d.error else ""))
        rows.append(cells)
    mean_row = [_("mean"), *(f"{report.summary[f]:.2f}" for f in columns)]
    mean_row.append(f"{report.summary['overall']:.2f}")
    table = _table(header, [*rows, mean_row])
    lines = [*table[:-1], table[1], table[-1], "", _("per-field means:")]
    width = max(len(f) for f in columns)
    lines += [f"  {f.ljust(width)}  {report.summary[f]:.3f}" for f in columns]
    lines.append("")
    for name, label in (
        ("references", N_("references F1")),
        ("assignments", N_("assignment labels F1")),
        ("assignees", N_("assignees F1")),
    ):
        if name in report.summary:
            lines.append(f"{_(label)}: {report.summary[name]:.3f}")
    return lines


def _split_lines(report: EvalReport) -> list[str]:
    """One line per part of the split (without ``split``), or which part was scored."""
    if report.split is not None:
        only = _("split: {part} part only ({n} of the other part left out)")
        return [only.format(part=report.split, n=_n_docs(report.left_out))]
    lines = []
    for part, summary in report.parts.items():
        n = sum(1 for d in report.documents if d.part == part)
        asg = _(", assignees F1 {f1:.3f}").format(f1=summary["assignees"]) if "assignees" in summary else ""
        line = _("{part} part: overall {overall:.3f}{assignees} ({n})")
        lines.append(line.format(part=part, overall=summary["overall"], assignees=asg, n=_n_docs(n)))
    return lines


def _mismatch_lines(report: EvalReport) -> list[str]:
    """Mismatches of the tuning documents; the checking part is for numbers only."""
    lines = ["", _("mismatches:")]
    listed = False
    for d in report.documents:
        wrong = d.score.mismatches()
        if not wrong or d.error or d.part == "check":
            continue
        listed = True
        lines.append(f"  {_display_name(d.path, report.roots)}:")
        lines += [f"    {f}: {detail.describe()}" for f, detail in wrong]
    if not listed:
        lines.append("  " + _("none"))
    hidden = sum(1 for d in report.documents if d.part == "check" and d.score.mismatches() and not d.error)
    if hidden:
        hidden_line = _("({n} of the checking part not listed: it is for numbers, not for reading)")
        lines.append("  " + hidden_line.format(n=_n_docs(hidden)))
    return lines


def render_report(report: EvalReport) -> str:
    """Plain text (no colour codes): the per-document table, per-field means, the
    overall line, each part's line, errors and skipped documents, and mismatches of the
    tuning part when ``show_details``."""
    lines: list[str] = []
    docs = report.documents
    columns = [f for f in FIELDS if any(f in d.score.scores for d in docs)]
    if docs:
        lines += _score_table(report, columns)
    overall = _("overall field accuracy: {overall:.3f} ({n})")
    lines.append(overall.format(overall=report.summary.get("overall", 0.0), n=_n_docs(len(docs))))
    lines += _split_lines(report)
    if report.errors:
        lines += ["", _("errors ({n}):").format(n=len(report.errors))]
        lines += [f"  {_display_name(d.path, report.roots)}: {d.error}" for d in report.errors]
    if report.skipped:
        lines += ["", _("skipped ({n}):").format(n=len(report.skipped))]
        lines += [f"  {_display_name(p, report.roots)}: {why}" for p, why in report.skipped]
    if report.show_details:
        lines += _mismatch_lines(report)
    return "\n".join(lines) + "\n"


# --- entry point for the CLI ---------------------------------------------------------------


def _check_paths(paths: Sequence[Path], truth_dirs: Sequence[Path]) -> None:
    from vanthu.pipeline.errors import InputNotFound

    for p in paths:
        if not p.exists():
            raise InputNotFound(p, _("no such file or folder"))
    for t in truth_dirs:
        if not t.is_dir():
            raise InputNotFound(t, _("no such answer-key folder"))


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
    split: str | None = None,
) -> int:
    """``vanthu eval DIR… [--split tune|check] [--details] [--json FILE] [--truth DIR] [--quiet]``.

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
    total = len(
        {
            doc.resolve()
            for p in paths
            for doc, _ in discover(p, truth_dirs).pairs
            if split is None or split_of(doc_id(doc)) == split
        }
    )
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
            split=split,
        )
        if started:
            bar.done()
    sys.stdout.write(render_report(report))
    if json_out is not None:
        write_atomic(Path(json_out), json.dumps(report.to_dict(), ensure_ascii=False, indent=2) + "\n")
    if not report.documents:
        where = ", ".join(str(p) for p in paths)
        part = _(" in the {part} part").format(part=split) if split is not None else ""
        print(_("no documents with answer keys{part} under {where}").format(part=part, where=where), file=sys.stderr)
        return 1
    return 0
