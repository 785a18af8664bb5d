"""vanthu.commands: ``vanthu tasks`` over the store; the layering rule (the plain ingestion
modules and ``vanthu tasks`` never import Prefect); the extraction every command shares,
through the isolation of ``extract``: a file that hangs the reader ends in a timeout error
from ``review``, ``inspect`` and ``eval``, never a hang."""

from __future__ import annotations

import csv
import io
import json
import shutil
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from vanthu.cli import main
from vanthu.commands import expand, isolation_settings, workers
from vanthu.flows.store import default_url, open_store
from vanthu.pipeline.errors import ExitCode, UsageError

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
    code = (
        "import sys, vanthu.flows.inbox, vanthu.flows.claims, vanthu.flows.store, vanthu.flows.steps, vanthu.cli; "
        "print(any(m == 'prefect' or m.startswith('prefect.') for m in sys.modules))"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert proc.stdout.strip() == "False", proc.stderr


def test_tasks_command_does_not_import_prefect(root):
    code = (
        "import sys; from vanthu.cli import main; "
        f"rc = main(['tasks', {str(root)!r}, '--format', 'json']); "
        "print(rc, any(m == 'prefect' or m.startswith('prefect.') for m in sys.modules), file=sys.stderr)"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert proc.stderr.strip().splitlines()[-1] == "0 False", proc.stderr


# ------------------------------------------------------------------ shared by the commands
def test_expand_folders_into_letters(tmp_path) -> None:
    (tmp_path / "b.pdf").write_bytes(b"%PDF-1.4")
    (tmp_path / "a.md").write_text("x", encoding="utf-8")
    (tmp_path / "notes.docx").write_bytes(b"PK")
    (tmp_path / ".hidden").mkdir()
    (tmp_path / ".hidden" / "c.pdf").write_bytes(b"%PDF-1.4")
    assert expand([tmp_path, tmp_path / "x.json"]) == [tmp_path / "a.md", tmp_path / "b.pdf", tmp_path / "x.json"]


def test_isolation_settings_flags_over_variables(monkeypatch) -> None:
    monkeypatch.setenv("VANTHU_TIMEOUT", "30")
    monkeypatch.setenv("VANTHU_MEMORY_MB", "512")
    got = isolation_settings(memory_mb=None, max_pages=9)
    limits = getattr(got, "limits", got)  # Settings.limits, or the isolation's Limits
    assert (limits.timeout_s, limits.memory_mb, limits.max_pages) == (30.0, 512, 9)
    monkeypatch.setenv("VANTHU_TIMEOUT", "soon")
    with pytest.raises(UsageError, match="VANTHU_TIMEOUT: not a number"):
        isolation_settings()


def test_workers_from_the_flag_or_the_variable(monkeypatch) -> None:
    import os

    cores = os.cpu_count() or 1
    monkeypatch.delenv("VANTHU_WORKERS", raising=False)
    assert workers(None, isolation_settings()) == min(2, cores)
    assert workers(1, isolation_settings()) == 1
    monkeypatch.setenv("VANTHU_WORKERS", "1")
    assert workers(None, isolation_settings()) == 1
    with pytest.raises(UsageError, match="--workers: must be at least 1, not 0"):
        workers(0, isolation_settings())
    monkeypatch.setenv("VANTHU_WORKERS", "many")
    with pytest.raises(UsageError, match="VANTHU_WORKERS: not a number"):
        isolation_settings()


REAL_TESSERACT = shutil.which("tesseract")
HANG_LIMIT_S = 3


@pytest.fixture(scope="module")
def hanging_scan(tmp_path_factory) -> Path:
    """A scanned letter (a PNG) with its answer key, for an OCR engine that never returns."""
    if REAL_TESSERACT is None:
        pytest.skip("Tesseract is not installed")
    from vanthu.pipeline.ocr.raster import page_images

    folder = tmp_path_factory.mktemp("hang")
    ((_, img),) = list(page_images(SAMPLES / "tb-so-2024-88.pdf", "application/pdf", dpi=150, pages=[1]))
    scan = folder / "letters" / "tb.png"
    scan.parent.mkdir()
    img.convert("L").save(scan, dpi=(150, 150))
    shutil.copy(SAMPLES / "tb-so-2024-88.expected.json", folder / "letters" / "tb.truth.json")
    fake = folder / "tesseract"  # answers --version like the real one, then hangs on a page
    fake.write_text(
        f"""#!/bin/sh
case "$1" in --version|-v) exec "{REAL_TESSERACT}" --version ;; esac
exec sleep 600
""",
        encoding="utf-8",
    )
    fake.chmod(fake.stat().st_mode | stat.S_IXUSR)
    return scan


@pytest.fixture
def hung_engine(hanging_scan, monkeypatch) -> Path:
    monkeypatch.setenv("VANTHU_TESSERACT_CMD", str(hanging_scan.parent.parent / "tesseract"))
    monkeypatch.setenv("VANTHU_OCR_TIMEOUT", "600")  # only the document's own deadline can stop it
    return hanging_scan


def _timed(argv: list[str]) -> tuple[int, float]:
    start = time.monotonic()
    rc = main([*argv, "--timeout", str(HANG_LIMIT_S), "--timeout-per-page", "0"])
    return rc, time.monotonic() - start


def _timeout_line(path: Path) -> str:
    return f"{path}: reading took longer than {HANG_LIMIT_S} s and was stopped"


def test_inspect_of_a_file_that_hangs_the_reader_times_out(hung_engine, capsys) -> None:
    rc, seconds = _timed(["inspect", str(hung_engine)])
    assert rc == ExitCode.TIMED_OUT and seconds < 60
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith(f"vanthu: {_timeout_line(hung_engine)}")


def test_review_of_a_file_that_hangs_the_reader_times_out(hung_engine, tmp_path, capsys) -> None:
    saved = tmp_path / "saved.json"  # a saved record: shown without extraction, within any limit
    shutil.copy(SAMPLES / "tb-so-2024-88.expected.json", saved)
    rc, seconds = _timed(["review", str(hung_engine), str(saved), "--out", str(tmp_path / "review")])
    assert rc == ExitCode.TIMED_OUT and seconds < 90
    out, err = capsys.readouterr()
    assert f"vanthu: {_timeout_line(hung_engine)}" in err
    assert "1 reviewed, 1 failed" in out  # the batch went on
    index = (tmp_path / "review" / "index.html").read_text(encoding="utf-8")
    assert "reading took longer than" in index


def test_eval_of_a_file_that_hangs_the_reader_times_out(hung_engine, capsys) -> None:
    rc, seconds = _timed(["eval", str(hung_engine.parent), "--quiet"])
    assert rc == 0 and seconds < 60  # the run completed: the letter scores 0 with its error
    out = capsys.readouterr().out
    assert "overall field accuracy: 0.000 (1 document)" in out
    assert f"tb.png: {_timeout_line(hung_engine)}" in out


# ------------------------------------------------------------------------------- status


def _status(capsys, *args) -> tuple[int, str]:
    rc = main(["status", *map(str, args)])
    out, _ = capsys.readouterr()
    return rc, out


def test_status_reports_a_tree_and_fails_when_no_sweep_is_recent(tmp_path, capsys):
    """`vanthu status ROOT`: exit 0 after a recent sweep, 1 when the last one is older than
    --max-age (or there was none); the last day's failures come from the store."""
    from vanthu.flows.health import SWEEP_FILE, write_heartbeat
    from vanthu.flows.inbox import Layout
    from vanthu.flows.store import Run

    layout = Layout.under(tmp_path).ensure()
    rc, out = _status(capsys, tmp_path)
    assert rc == 1 and "STALE" in out and "last sweep:   never" in out
    assert not (tmp_path / "vanthu.db").exists()  # status never creates a store

    with open_store(default_url(tmp_path)) as store:
        store.record_run(Run(file="bad.pdf", sha256=None, outcome="failed", message="bad.pdf: the file is empty"))
        store.record_run(Run(file="ok.pdf", sha256="ab", outcome="done"))
    write_heartbeat(layout, {"done": 3, "failed": 1, "duplicate": 0, "retaken": 0})
    (layout.inbox / "new.pdf").write_bytes(b"x")
    rc, out = _status(capsys, tmp_path)
    assert rc == 0 and ": OK" in out and "done 3, failed 1" in out
    assert "inbox:        1 file(s) waiting" in out and "failed:       1 in the last day" in out
    assert "bad.pdf: the file is empty" in out

    rc, out = _status(capsys, tmp_path, "--format", "json")
    data = json.loads(out)
    assert rc == 0 and data["healthy"] and data["failed_last_day"] == 1 and data["inbox"]["files"] == 1

    sweep = json.loads((tmp_path / SWEEP_FILE).read_text())
    sweep["epoch"] -= 600
    (tmp_path / SWEEP_FILE).write_text(json.dumps(sweep))
    assert _status(capsys, tmp_path)[0] == 1
    assert _status(capsys, tmp_path, "--max-age", "900")[0] == 0


def test_status_of_a_missing_folder_is_a_clear_error(tmp_path, capsys):
    rc = main(["status", str(tmp_path / "nowhere")])
    err = capsys.readouterr().err
    assert rc == int(ExitCode.NOT_FOUND) and "nowhere: no such folder" in err


def test_status_command_does_not_import_prefect(tmp_path):
    code = (
        "import sys; from vanthu.cli import main; "
        f"rc = main(['status', {str(tmp_path)!r}]); "
        "assert 'prefect' not in sys.modules, 'prefect imported'; sys.exit(rc)"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 1 and "prefect imported" not in proc.stderr, proc.stderr
