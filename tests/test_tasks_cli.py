"""``vanthu tasks`` over the store, and the layering rule: the plain ingestion modules
(inbox lifecycle, store, ingest steps) and ``vanthu tasks`` never import Prefect."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys

import pytest

from vanthu.cli import main
from vanthu.flows.store import default_url, open_store

from .conftest import SAMPLES


@pytest.fixture(scope="module")
def records():
    from vanthu.pipeline.extract import extract_file

    return [extract_file(SAMPLES / "seed-cv-ubnd-langson.md"), extract_file(SAMPLES / "tb-so-2024-88.pdf")]


@pytest.fixture
def root(tmp_path, records):
    seed, tb = records
    data = json.loads(seed.to_json())
    data["tasks"][0]["deadline"] = "2024-09-30"
    with open_store(default_url(tmp_path)) as store:
        store.save_document(type(seed).model_validate(data), file="seed.md", out_path="out/seed.json")
        store.save_document(tb, file="tb.pdf", out_path="out/tb.json")
    return tmp_path


def run(capsys, *args) -> tuple[int, str, str]:
    rc = main(["tasks", *map(str, args)])
    out, err = capsys.readouterr()
    return rc, out, err


def test_formats(root, records, capsys):
    total = sum(len(r.tasks) for r in records)
    rc, out, _ = run(capsys, root, "--format", "json")
    rows = json.loads(out)
    assert rc == 0 and len(rows) == total
    assert rows[0]["deadline"] == "2024-09-30" and rows[0]["file"] == "seed.md"
    assert {r["task_id"] for r in rows} == {t.task_id for r in records for t in r.tasks}

    rc, out, _ = run(capsys, root, "--format", "csv")
    table = list(csv.DictReader(io.StringIO(out)))
    assert rc == 0 and len(table) == total and table[0]["task_id"] == rows[0]["task_id"]

    rc, out, _ = run(capsys, root)
    lines = out.splitlines()
    assert rc == 0 and lines[0].startswith("deadline") and lines[-1] == f"{total} task(s)"
    assert lines[1].startswith("2024-09-30")


def test_filters_and_closing(root, records, capsys):
    seed, tb = records
    unit = tb.tasks[0].assignee
    rc, out, _ = run(capsys, root, "--assignee", unit.upper(), "--format", "json")
    assert rc == 0 and {r["assignee"] for r in json.loads(out)} == {unit}

    rc, out, _ = run(capsys, root, "--due-before", "2024-10-01", "--format", "json")
    assert [r["deadline"] for r in json.loads(out)] == ["2024-09-30"]

    first = json.loads(run(capsys, root, "--format", "json")[1])[0]["task_id"]
    rc, out, _ = run(capsys, root, "--close", first)
    assert rc == 0 and "1 of 1" in out
    rc, out, _ = run(capsys, root, "--open", "--format", "json")
    open_ids = [r["task_id"] for r in json.loads(out)]
    assert first not in open_ids and len(open_ids) == len(seed.tasks) + len(tb.tasks) - 1
    rc, _, _ = run(capsys, root, "--close", "task:nope")
    assert rc == 3
    run(capsys, root, "--reopen", first)
    assert first in [r["task_id"] for r in json.loads(run(capsys, root, "--open", "--format", "json")[1])]


def test_errors(tmp_path, capsys):
    rc, _, err = run(capsys, tmp_path)
    assert rc == 3 and "no task store here" in err and err.count("\n") == 1
    rc, _, err = run(capsys, "--store", "mysql://h/db")
    assert rc == 2 and "unsupported store URL" in err
    with pytest.raises(SystemExit):
        main(["tasks", "--due-before", "31/12/2024"])


def test_plain_modules_do_not_import_prefect():
    code = ("import sys, vanthu.flows.inbox, vanthu.flows.store, vanthu.flows.steps, vanthu.cli; "
            "print(any(m == 'prefect' or m.startswith('prefect.') for m in sys.modules))")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert proc.stdout.strip() == "False", proc.stderr


def test_tasks_command_does_not_import_prefect(root):
    code = ("import sys; from vanthu.cli import main; "
            f"rc = main(['tasks', {str(root)!r}, '--format', 'json']); "
            "print(rc, any(m == 'prefect' or m.startswith('prefect.') for m in sys.modules), file=sys.stderr)")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert proc.stderr.strip().splitlines()[-1] == "0 False", proc.stderr
