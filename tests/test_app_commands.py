"""vanthu.commands: ``vanthu tasks`` over the store; the layering rule (the plain ingestion
modules and ``vanthu tasks`` never import Prefect); the extraction every command shares,
through the isolation of ``extract``: a file that hangs the reader ends in a timeout error
from ``review``, ``inspect`` and ``eval``, never a hang."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import stat
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest

from tests.support.letters import extractor, letter
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
    data["tasks"][0].update(deadline="2024-09-30", due="2024-09-30", due_kind="day")
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
    assert rows[0]["due"] == "2024-09-30" and rows[0]["deadline"] == "2024-09-30" and rows[0]["file"] == "seed.md"
    assert {r["task_id"] for r in rows} == {t.task_id for r in records for t in r.tasks}

    rc, out, _ = run(capsys, root, "--format", "csv")
    table = list(csv.DictReader(io.StringIO(out.removeprefix("\ufeff"))))
    assert rc == 0 and len(table) == total and table[0]["task_id"] == rows[0]["task_id"]

    rc, out, _ = run(capsys, root)
    lines = out.splitlines()
    assert rc == 0 and lines[0].split()[:2] == ["due", "status"] and lines[-1].startswith(f"{total} tasks")
    assert lines[1].startswith("2024-09-30")


def test_csv_is_utf8_with_a_bom_and_true_false(root, capfdbinary):
    """Regression: Excel on Windows read the CSV's Vietnamese as mojibake, and `recurring` was True/False."""
    assert main(["tasks", str(root), "--format", "csv"]) == 0
    raw = capfdbinary.readouterr().out
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert {r["recurring"] for r in rows} == {"true", "false"}
    assert any(r["assignee"] == "Văn phòng Sở" for r in rows)


def test_table_uses_the_terminal_width(root, capsys, monkeypatch):
    """Regression: the table had fixed column widths whatever the terminal."""
    for width in (100, 180):
        monkeypatch.setenv("COLUMNS", str(width))
        rc, out, _ = run(capsys, root)
        widths = {len(line) for line in out.splitlines()[:-1]}
        assert rc == 0 and max(widths) <= width and max(widths) > width - 10


def test_assignee_search_ignores_accents_and_case(root, capsys):
    """Regression: "van phong so" did not find "Văn phòng Sở"."""
    rc, out, _ = run(capsys, root, "--assignee", "van phong so", "--format", "json")
    assert rc == 0 and {r["assignee"] for r in json.loads(out)} == {"Văn phòng Sở"}
    rc, out, _ = run(capsys, root, "--assignee", "VĂN PHÒNG SỞ", "--format", "json")
    assert {r["assignee"] for r in json.loads(out)} == {"Văn phòng Sở"}


def test_overdue_lists_only_open_tasks_past_their_due_day(root, capsys):
    """Regression: overdue tasks were not flagged, and there was no way to list only them."""
    from vanthu.tasks import cmd_tasks

    def listed(**kw) -> list[dict]:
        assert cmd_tasks(root, fmt="json", **kw) == 0
        return json.loads(capsys.readouterr().out)

    # on 2024-11-20: the seed's task due 2024-09-30 and the notice's II.1 (due 2024-11-15)
    late = listed(overdue=True, today=date(2024, 11, 20))
    assert sorted(r["due"] for r in late) == ["2024-09-30", "2024-11-15"]
    assert all(r["overdue"] and r["status"] == "open" for r in late)
    every = listed(today=date(2024, 11, 20))
    assert sum(r["overdue"] for r in every) == 2 and len(every) > 2
    # a closed task is no longer overdue
    assert cmd_tasks(root, close=[late[0]["task_id"]]) == 0
    capsys.readouterr()
    assert [r["due"] for r in listed(overdue=True, today=date(2024, 11, 20))] == ["2024-11-15"]
    assert listed(overdue=True, today=date(2024, 9, 1)) == []
    # the command line: today is the machine's date (long after these letters)
    rc, out, _ = run(capsys, root, "--overdue", "--format", "json")
    rows = json.loads(out)
    assert rc == 0 and rows and all(r["overdue"] and r["due"] < date.today().isoformat() for r in rows)
    # the table flags them
    assert cmd_tasks(root, today=date(2024, 11, 20)) == 0
    table = capsys.readouterr().out
    assert table.count("OVERDUE") == 1 and "1 overdue" in table.splitlines()[-1]


def test_closing_an_unknown_task_names_it_and_changes_nothing(root, capsys):
    """Regression: `--close` with an unknown id printed "0 of 1" and no error."""
    first = json.loads(run(capsys, root, "--format", "json")[1])[0]["task_id"]
    rc, out, err = run(capsys, root, "--close", first, "task:nope")
    assert rc == 3 and "task:nope" in err and "no such task" in err and err.count("\n") == 1
    rows = json.loads(run(capsys, root, "--format", "json")[1])
    assert next(r["status"] for r in rows if r["task_id"] == first) == "open"


def test_filters_and_closing(root, records, capsys):
    seed, tb = records
    unit = tb.tasks[0].assignee
    rc, out, _ = run(capsys, root, "--assignee", unit.upper(), "--format", "json")
    assert rc == 0 and {r["assignee"] for r in json.loads(out)} == {unit}

    rc, out, _ = run(capsys, root, "--due-before", "2024-10-01", "--format", "json")
    assert [r["due"] for r in json.loads(out)] == ["2024-09-30"]

    first = json.loads(run(capsys, root, "--format", "json")[1])[0]["task_id"]
    rc, out, _ = run(capsys, root, "--close", first)
    assert rc == 0 and "1 of 1" in out
    rc, out, _ = run(capsys, root, "--open", "--format", "json")
    open_ids = [r["task_id"] for r in json.loads(out)]
    assert first not in open_ids and len(open_ids) == len(seed.tasks) + len(tb.tasks) - 1
    run(capsys, root, "--reopen", first)
    assert first in [r["task_id"] for r in json.loads(run(capsys, root, "--open", "--format", "json")[1])]


MONTH_LETTER = letter(
    place_date="TP. Lạng Sơn, ngày 20 tháng 11 năm 2025",
    recipients=("Kính gửi:", "- Sở Tài chính;", "- Sở Xây dựng."),
    body=("1. Giao Sở Tài chính chủ trì tổng hợp báo cáo, hoàn thành trong tháng 12 năm 2025.",),
)


def test_a_month_deadline_is_due_at_its_end_and_listed_by_due_before(tmp_path, capsys):
    """Regression: "hoàn thành trong tháng 12 năm 2025" gave no date, so `tasks --due-before` never showed it."""
    rec = extractor(tmp_path)(MONTH_LETTER)
    (task,) = rec.tasks
    assert (task.deadline, task.due, task.due_kind) == (None, "2025-12-31", "end_of_period")
    root = tmp_path / "root"
    root.mkdir()
    with open_store(default_url(root)) as store:
        store.save_document(rec, file="month.md", out_path="out/month.json")
    rc, out, _ = run(capsys, root, "--due-before", "2026-01-01", "--format", "json")
    assert rc == 0 and [(r["assignee"], r["due"]) for r in json.loads(out)] == [("Sở Tài chính", "2025-12-31")]
    rc, out, _ = run(capsys, root, "--due-before", "2025-12-31", "--format", "json")
    assert json.loads(out) == []


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
    limits = getattr(got, "limits", got)  # Settings.limits (LimitSettings)
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
    shutil.copy(SAMPLES / "tb-so-2024-88.pdf", tmp_path)  # its letter beside it: page images, no failure
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


def test_a_folder_names_every_file_it_skips_in_the_words_of_naming_it(tmp_path, capsys) -> None:
    import zipfile

    folder = tmp_path / "letters"
    folder.mkdir()
    shutil.copy(SAMPLES / "seed-cv-ubnd-langson.md", folder / "seed.md")
    with zipfile.ZipFile(folder / "notes.docx", "w") as zf:
        zf.writestr("word/document.xml", "<w:document/>")
    (folder / "notes.log").write_text("a log line\n", encoding="utf-8")
    (folder / ".hidden.pdf").write_bytes(b"")  # hidden: skipped without a word
    assert main(["extract", str(folder), "--jsonl"]) == ExitCode.OK
    err = capsys.readouterr().err
    assert main(["extract", str(folder / "notes.docx")]) == ExitCode.UNSUPPORTED_FORMAT
    direct = capsys.readouterr().err.strip()
    assert direct.startswith(f"vanthu: {folder / 'notes.docx'}: this is an Office document")
    lines = err.strip().splitlines()
    assert lines[0] == direct.replace("vanthu: ", "vanthu: skipped ", 1)
    assert lines[1].startswith(f"vanthu: skipped {folder / 'notes.log'}: .log is not a letter's file ending")
    assert len(lines) == 2


def test_extract_dash_reads_one_letter_from_stdin(tmp_path) -> None:
    env = {**os.environ, "TMPDIR": str(tmp_path)}
    letter = (SAMPLES / "seed-cv-ubnd-langson.md").read_bytes()
    run = subprocess.run(
        [sys.executable, "-m", "vanthu.cli", "extract", "-"], input=letter, capture_output=True, env=env, timeout=120
    )
    assert run.returncode == 0, run.stderr
    record = json.loads(run.stdout)
    assert record["source"]["file"] == "stdin" and record["subject"]
    assert list(tmp_path.iterdir()) == []  # the private copy is gone
    empty = subprocess.run(
        [sys.executable, "-m", "vanthu.cli", "extract", "-"], input=b"", capture_output=True, env=env, timeout=120
    )
    assert empty.returncode == ExitCode.EMPTY_FILE
    assert empty.stderr.decode().startswith("vanthu: -: the file is empty") and list(tmp_path.iterdir()) == []


# -------------------------------------------------------------------------------- deploy
class _FakePrefect:
    """The Prefect client and ``deploy`` as ``vanthu.flows.deploy`` uses them: pools by name
    and type, and the deployments handed over."""

    def __init__(self, pools: dict[str, str]):
        self.pools, self.created, self.deployed = dict(pools), [], []

    def client(self, sync_client: bool = True):
        assert sync_client
        return self

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def read_work_pool(self, name):
        from types import SimpleNamespace

        from prefect.exceptions import ObjectNotFound

        if name not in self.pools:
            raise ObjectNotFound(None)
        return SimpleNamespace(name=name, type=self.pools[name])

    def create_work_pool(self, work_pool):
        self.created.append((work_pool.name, work_pool.type))
        self.pools[work_pool.name] = work_pool.type

    def deploy(self, *deployments, **kwargs):
        self.deployed.append((deployments, kwargs))
        return ["0f0f0f0f-0000-0000-0000-000000000000"]


@pytest.fixture
def fake_prefect(monkeypatch):
    import vanthu.flows.deploy as deploy_mod

    fake = _FakePrefect({"docker-pool": "docker"})
    monkeypatch.setattr(deploy_mod, "get_client", fake.client)
    monkeypatch.setattr(deploy_mod, "prefect_deploy", fake.deploy)
    monkeypatch.setenv("PREFECT_API_URL", "http://127.0.0.1:9/api")
    return fake


def test_deploy_registers_ingest_folder_on_a_process_pool(fake_prefect, tmp_path, capsys):
    from datetime import timedelta

    root = tmp_path / "office"
    rc = main(["deploy", str(root), "--pool", "office", "--interval", "30", "--settle", "1.5", "--name", "hn"])
    out = capsys.readouterr().out
    assert rc == 0, out
    assert fake_prefect.created == [("office", "process")]
    [(deployments, kwargs)] = fake_prefect.deployed
    [dep] = deployments
    assert kwargs == {"work_pool_name": "office", "build": False, "push": False, "print_next_steps_message": False}
    assert dep.name == "hn" and dep.entrypoint == "vanthu.flows.ingest.ingest_folder"
    assert dep.parameters["root"] == str(root.absolute()) and dep.parameters["settle"] == 1.5
    assert dep.parameters["store"] == default_url(root) and dep.parameters["lease"] == 60.0
    assert dep.parameters["folders"]["inbox"] == str(root.absolute() / "inbox")
    assert [s.schedule.interval for s in dep.schedules] == [timedelta(seconds=30)]
    assert (root / "inbox").is_dir() and (root / "vanthu.db").exists()  # the tree and the store, checked
    assert "ingest_folder/hn" in out and "prefect worker start --pool office" in out and "postgresql" in out


def test_deploy_on_a_cron_schedule_to_an_existing_pool(fake_prefect, tmp_path, capsys):
    fake_prefect.pools["office"] = "process"
    store = f"sqlite:///{tmp_path / 'shared.db'}"
    assert (
        main(["deploy", str(tmp_path / "r"), "--pool", "office", "--cron", "*/5 7-18 * * 1-5", "--store", store]) == 0
    )
    assert fake_prefect.created == []
    [dep] = fake_prefect.deployed[0][0]
    assert [s.schedule.cron for s in dep.schedules] == ["*/5 7-18 * * 1-5"]
    assert dep.parameters["store"] == store and "(existing)" in capsys.readouterr().out


def test_deploy_refuses_a_pool_of_another_type(fake_prefect, tmp_path, capsys):
    assert main(["deploy", str(tmp_path / "r"), "--pool", "docker-pool"]) == int(ExitCode.USAGE)
    err = capsys.readouterr().err
    assert "docker-pool" in err and "'docker'" in err and "process" in err
    assert fake_prefect.deployed == []


def test_deploy_without_a_prefect_server_says_so(fake_prefect, monkeypatch, tmp_path, capsys):
    monkeypatch.delenv("PREFECT_API_URL")
    assert main(["deploy", str(tmp_path / "r"), "--pool", "office"]) == int(ExitCode.USAGE)
    assert "PREFECT_API_URL" in capsys.readouterr().err
    assert fake_prefect.deployed == [] and fake_prefect.created == []


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
    assert "inbox:        1 file waiting" in out and "failed:       1 in the last day" in out
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
