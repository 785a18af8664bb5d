"""Measurement (not a test): task-level precision and recall against the answer keys.

    .venv/bin/python tools/task_metrics.py [CORPUS] [--split check|tune|all] [--json]
    # default CORPUS ../shared/corpus (truth/*.json + pdf/*.pdf), default split: check

A task (its top-level label, its unit) is right when the answer key has that unit among
that top-level item's assignees (compared as the evaluation compares list items:
``vanthu.scoring.canon_item``); a task's label "1.2" belongs to the key's item "1". Its
deadline is right when it equals the key item's ``deadline`` (null = null).

* unit precision: right tasks / tasks; unit recall: key (item, unit) pairs that some task
  names / key pairs.
* deadline precision / recall: the same, counting a task right only when its deadline is
  right too.

Tasks with the role ``recipient`` (an item that names no unit: one task per addressee)
are left out: the keys list the units an item names, not the letter's recipients. Only
numbers are printed, never the failing tasks: the checking part is not for reading
failures (``vanthu.scoring.split_of``).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from vanthu.pipeline.extract import extract_file
from vanthu.scoring import canon, canon_item, split_of

ROOT = Path(__file__).resolve().parent.parent


def top_label(task_label: str) -> str:
    """The top-level item of a task's label: "1.2" -> "1", "II.1.a" -> "II", "Điều 3" -> "Điều 3"."""
    return task_label.split(".", 1)[0]


def count(record: dict[str, Any], truth: dict[str, Any]) -> dict[str, int]:
    """The counts of one letter: tasks, right tasks (unit; unit and deadline), key pairs,
    key pairs found (unit; unit and deadline)."""
    key: dict[tuple[str, str], str | None] = {}
    for a in truth.get("assignments") or []:
        label = canon_item(a.get("label")) or ""
        for unit in a.get("assignees") or []:
            if canon_item(unit):
                key[(label, canon_item(unit) or "")] = canon(a.get("deadline"))
    tasks = [t for t in record.get("tasks") or [] if t.get("role") != "recipient"]
    c = {"tasks": len(tasks), "right": 0, "right_deadline": 0, "key": len(key), "found": 0, "found_deadline": 0}
    found: set[tuple[str, str]] = set()
    found_deadline: set[tuple[str, str]] = set()
    for t in tasks:
        pair = (canon_item(top_label(t.get("assignment") or "")) or "", canon_item(t.get("assignee")) or "")
        if pair not in key:
            continue
        c["right"] += 1
        found.add(pair)
        if canon(t.get("deadline")) == key[pair]:
            c["right_deadline"] += 1
            found_deadline.add(pair)
    c["found"], c["found_deadline"] = len(found), len(found_deadline)
    return c


def _ratio(a: int, b: int) -> float:
    return a / b if b else 1.0


def measure(corpus: Path, split: str) -> dict[str, Any]:
    totals = {"letters": 0, "tasks": 0, "right": 0, "right_deadline": 0, "key": 0, "found": 0, "found_deadline": 0}
    for truth_path in sorted((corpus / "truth").glob("*.json")):
        doc = truth_path.name.split(".", 1)[0]
        pdf = corpus / "pdf" / f"{doc}.pdf"
        if not pdf.is_file() or (split != "all" and split_of(doc) != split):
            continue
        truth = json.loads(truth_path.read_text(encoding="utf-8"))
        try:
            record = extract_file(pdf).model_dump(mode="json")
        except Exception as exc:  # noqa: BLE001 - a letter that fails counts with no tasks
            print(f"{pdf.name}: extraction failed ({type(exc).__name__})", file=sys.stderr)
            record = {}
        totals["letters"] += 1
        for k, v in count(record, truth).items():
            totals[k] += v
    return {
        **totals,
        "unit_precision": round(_ratio(totals["right"], totals["tasks"]), 4),
        "unit_recall": round(_ratio(totals["found"], totals["key"]), 4),
        "deadline_precision": round(_ratio(totals["right_deadline"], totals["tasks"]), 4),
        "deadline_recall": round(_ratio(totals["found_deadline"], totals["key"]), 4),
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("corpus", nargs="?", type=Path, default=ROOT.parent / "shared" / "corpus")
    ap.add_argument("--split", choices=("check", "tune", "all"), default="check")
    ap.add_argument("--json", action="store_true", help="print the numbers as JSON")
    args = ap.parse_args(argv)
    if not (args.corpus / "truth").is_dir():
        print(f"{args.corpus}: no truth/ folder (expected the corpus with truth/ and pdf/)", file=sys.stderr)
        return 2
    result = measure(args.corpus, args.split)
    if args.json:
        print(json.dumps(result, indent=2))
        return 0
    r = result
    print(f"{r['letters']} letters ({args.split}), {r['tasks']} tasks, {r['key']} key (item, unit) pairs")
    print(f"unit:     precision {result['unit_precision']:.3f}  recall {result['unit_recall']:.3f}")
    print(f"deadline: precision {result['deadline_precision']:.3f}  recall {result['deadline_recall']:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
