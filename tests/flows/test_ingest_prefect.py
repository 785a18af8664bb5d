"""The Prefect side: a temporary Prefect server on loopback; ``vanthu serve`` runs the
scheduled deployment and processes a dropped file; in-process flows publish artifacts,
name runs after files, and reuse results cached by the file's hash."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import SAMPLES

LETTER = SAMPLES / "tb-so-2024-88.pdf"


@pytest.fixture
def api_settings(prefect_api):
    from prefect.settings import PREFECT_API_URL, temporary_settings

    with temporary_settings(updates={PREFECT_API_URL: prefect_api}):
        yield prefect_api


def test_serve_without_server_is_a_clear_error(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
    proc = subprocess.run(
        [sys.executable, "-m", "vanthu.cli", "serve", str(tmp_path / "r")],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert proc.returncode == 2
    assert "prefect server start" in proc.stderr and proc.stderr.count("\n") == 1


def test_serve_runs_the_scheduled_deployment(tmp_path, prefect_api):
    root = tmp_path / "root"
    env = {**os.environ, "PREFECT_API_URL": prefect_api, "PYTHONUNBUFFERED": "1", "PREFECT_RUNNER_POLL_FREQUENCY": "2"}
    log = open(tmp_path / "serve.log", "w")
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "vanthu.cli",
            "serve",
            str(root),
            "--create",
            "--interval",
            "2",
            "--settle",
            "0.5",
            "--name",
            "test-serve",
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
        env=env,
        start_new_session=True,
    )
    try:
        end = time.monotonic() + 30
        while not (root / "inbox").is_dir():
            assert proc.poll() is None and time.monotonic() < end, (tmp_path / "serve.log").read_text()
            time.sleep(0.2)
        shutil.copy(LETTER, root / "inbox" / "served.pdf")
        end = time.monotonic() + 120
        while not (root / "done" / "served.pdf").exists():
            assert proc.poll() is None, (tmp_path / "serve.log").read_text()
            assert time.monotonic() < end, (tmp_path / "serve.log").read_text()
            time.sleep(0.5)
    finally:
        os.killpg(proc.pid, signal.SIGINT)
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    record = json.loads((root / "out" / "served.json").read_text(encoding="utf-8"))
    assert record["number_symbol"] == "88/TB-SNV"

    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import DeploymentFilter, DeploymentFilterName
    from prefect.settings import PREFECT_API_URL, temporary_settings

    with temporary_settings(updates={PREFECT_API_URL: prefect_api}), get_client(sync_client=True) as client:
        deployments = client.read_deployments(
            deployment_filter=DeploymentFilter(name=DeploymentFilterName(any_=["test-serve"]))
        )
        assert len(deployments) == 1 and deployments[0].schedules
        runs = client.read_flow_runs()
        names = [r.name for r in runs if r.deployment_id == deployments[0].id]
        assert any("served.pdf" in n for n in names), names


def test_flows_in_process(tmp_path, api_settings):
    from prefect.client.orchestration import get_client

    from vanthu.flows.inbox import sha256_file
    from vanthu.flows.ingest import extract_letter, ingest_folder
    from vanthu.flows.store import default_url, open_store

    root = tmp_path / "root"
    (root / "inbox").mkdir(parents=True)
    shutil.copy(LETTER, root / "inbox" / "one.pdf")
    (root / "inbox" / "bad.pdf").write_bytes(b"%PDF-1.7\n%%EOF\n")
    old = time.time() - 60
    for p in (root / "inbox").iterdir():
        os.utime(p, (old, old))
    (root / "inbox" / "link.pdf").symlink_to(LETTER)  # refused, never followed
    counts = ingest_folder(root=str(root), settle=0.5)
    assert counts["done"] == 1 and counts["failed"] == 2
    assert (root / "failed" / "link.pdf").is_symlink() and LETTER.exists()
    assert json.loads((root / "failed" / "link.pdf.error.json").read_text())["error_class"] == "Refused"
    expected = json.loads(LETTER.with_name(LETTER.stem + ".expected.json").read_text(encoding="utf-8"))
    with open_store(default_url(root)) as store:
        assert sorted(t["task_id"] for t in store.tasks()) == sorted(t["task_id"] for t in expected["tasks"])

    sha = sha256_file(LETTER)
    with get_client(sync_client=True) as client:
        from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterKey

        arts = client.read_artifacts(artifact_filter=ArtifactFilter(key=ArtifactFilterKey(any_=[f"letter-{sha[:16]}"])))
        assert arts and arts[0].type == "markdown"
        md = arts[0].data
        assert "88/TB-SNV" in md and "| Item | Assignee | Role | Deadline | Action |" in md
        task_names = {t.name for t in client.read_task_runs()}
        assert "extract one.pdf" in task_names and "extract bad.pdf" in task_names
        flow_names = {r.name for r in client.read_flow_runs()}
        assert any("one.pdf" in n and n.startswith("ingest ") for n in flow_names), flow_names

    # the single-file flow; the same bytes under the same name come from the cache
    copy = tmp_path / "one.pdf"
    shutil.copy(LETTER, copy)
    state = extract_letter(str(copy), return_state=True)
    assert state.is_completed() and state.result()["number_symbol"] == "88/TB-SNV"
    with get_client(sync_client=True) as client:
        runs = [t for t in client.read_task_runs() if t.name == "extract one.pdf"]
        assert len(runs) == 2 and {t.state.name for t in runs} == {"Completed", "Cached"}
        assert any(r.name == "extract one.pdf" for r in client.read_flow_runs())


def test_only_transient_errors_are_retried():
    from vanthu.flows.ingest import _transient, extract_task
    from vanthu.pipeline.errors import CorruptInput, TimedOut

    class State:
        def __init__(self, exc):
            self.exc = exc

        def result(self, raise_on_failure=True):
            return self.exc

    assert _transient(None, None, State(OSError(5, "Input/output error")))
    assert _transient(None, None, State(TimeoutError("share timed out")))
    assert not _transient(None, None, State(CorruptInput("a.pdf", "bad xref")))
    assert not _transient(None, None, State(TimedOut("a.pdf", "extraction took too long")))
    assert not _transient(None, None, State(ValueError("bug")))
    assert extract_task.retries == 2 and extract_task.retry_condition_fn is _transient


def test_cache_key_follows_file_name_and_code(monkeypatch):
    from vanthu.flows import ingest

    key = ingest._cache_key(None, {"sha256": "ab" * 32, "name": "a.pdf"})
    assert "ab" * 32 in key and key.endswith("a.pdf")
    assert key != ingest._cache_key(None, {"sha256": "cd" * 32, "name": "a.pdf"})
    ingest.code_fingerprint.cache_clear()
    monkeypatch.setattr(ingest, "__version__", "changed")
    try:
        assert key != ingest._cache_key(None, {"sha256": "ab" * 32, "name": "a.pdf"})
    finally:
        ingest.code_fingerprint.cache_clear()


def test_markdown_artifact_escapes_and_lists_tasks():
    from vanthu.flows.ingest import document_markdown
    from vanthu.pipeline.extract import extract_file

    record = extract_file(SAMPLES / "seed-cv-ubnd-langson.md")
    data = json.loads(record.to_json())
    data["subject"] = "a | b"
    md = document_markdown(type(record).model_validate(data), "seed.md", Path("out/seed.json"))
    assert "| Subject | a \\| b |" in md
    assert md.count("\n| ") >= len(record.tasks) + 2
    assert all(t.assignee[:20] in md for t in record.tasks)


@pytest.mark.parametrize("changed", ["fields/header.py", "rules/data/new_vocabulary.json", "ocr/native/pngstore.c"])
def test_code_fingerprint_covers_every_subpackage(tmp_path, monkeypatch, changed):
    """A change to a file deep in the pipeline (a field reader, a rules data file, the C
    helper) is a new fingerprint: a record cached by the older code is not reused."""
    import vanthu.pipeline
    from vanthu.flows import ingest

    copy = tmp_path / "pipeline"
    shutil.copytree(Path(vanthu.pipeline.__file__).parent, copy, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(vanthu.pipeline, "__file__", str(copy / "__init__.py"))
    ingest.code_fingerprint.cache_clear()
    try:
        before = ingest.code_fingerprint()
        ingest.code_fingerprint.cache_clear()
        assert ingest.code_fingerprint() == before  # the same files, the same fingerprint
        target = copy / changed
        target.parent.mkdir(parents=True, exist_ok=True)
        with open(target, "a", encoding="utf-8") as fh:
            fh.write("\n")
        ingest.code_fingerprint.cache_clear()
        assert ingest.code_fingerprint() != before
    finally:
        ingest.code_fingerprint.cache_clear()


class _Records:
    """Collects the records of Prefect's loggers (Prefect does not propagate to the root)."""

    def __init__(self):
        import logging

        self.records: list[logging.LogRecord] = []
        self.handler = logging.Handler()
        self.handler.emit = self.records.append
        self.logger = logging.getLogger("prefect")

    def __enter__(self):
        self.logger.addHandler(self.handler)
        return self.records

    def __exit__(self, *exc):
        self.logger.removeHandler(self.handler)


def test_a_refused_letter_is_a_warning_with_its_reason_and_a_crash_an_error(tmp_path, api_settings, monkeypatch):
    """A broken file is a WARNING naming it and the reason (its task ends ``Rejected``,
    not failed, no traceback, and is never cached); a bug in the code is an ERROR; the run
    ends with one summary line of its outcomes."""
    import logging

    from prefect.client.orchestration import get_client

    from vanthu.flows import steps
    from vanthu.flows.ingest import ingest_folder

    root = tmp_path / "root"
    (root / "inbox").mkdir(parents=True)
    shutil.copy(LETTER, root / "inbox" / "good.pdf")
    (root / "inbox" / "empty.pdf").write_bytes(b"")
    old = time.time() - 60
    for p in (root / "inbox").iterdir():
        os.utime(p, (old, old))
    with _Records() as records:
        counts = ingest_folder(root=str(root), settle=0.5)
    assert (counts["done"], counts["failed"]) == (1, 1)
    assert not [r for r in records if r.levelno >= logging.ERROR], [r.getMessage() for r in records]
    assert not [r for r in records if r.exc_info]
    warnings = [r.getMessage() for r in records if r.levelno == logging.WARNING]
    assert len(warnings) == 1 and "empty.pdf: failed" in warnings[0] and "the file is empty" in warnings[0]
    flow_lines = [r.getMessage() for r in records if r.name == "prefect.flow_runs"]
    summary = [m for m in flow_lines if m.startswith("ingest ")]
    assert summary == [f"ingest {root / 'inbox'}: done 1, failed 1, duplicate 0, retaken 0, waiting 0, recovered 0"]
    err = json.loads((root / "failed" / "empty.pdf.error.json").read_text())
    assert (err["error_class"], err["exit_code"]) == ("EmptyFile", 5)

    # the same bytes again: read again (a refusal is not cached), refused again
    (root / "inbox" / "empty.pdf").write_bytes(b"")
    os.utime(root / "inbox" / "empty.pdf", (old, old))
    assert ingest_folder(root=str(root), settle=0.5)["failed"] == 1
    with get_client(sync_client=True) as client:
        states = [t.state.name for t in client.read_task_runs() if t.name == "extract empty.pdf"]
    assert states == ["Rejected", "Rejected"]

    # a crash of the code is an error (with its traceback in Prefect's log)
    def boom(path):
        raise ZeroDivisionError("a bug")

    monkeypatch.setattr(steps, "process_one", boom)
    monkeypatch.setattr("vanthu.flows.ingest.process_one", boom)
    shutil.copy(LETTER, root / "inbox" / "crash.pdf")
    (root / "inbox" / "crash.pdf").write_bytes(LETTER.read_bytes() + b"\n% changed\n")
    os.utime(root / "inbox" / "crash.pdf", (old, old))
    with _Records() as records:
        assert ingest_folder(root=str(root), settle=0.5)["failed"] == 1
    errors = [r.getMessage() for r in records if r.levelno >= logging.ERROR]
    assert any("crash.pdf: crashed" in m and "ZeroDivisionError" in m for m in errors), errors
    assert json.loads((root / "failed" / "crash.pdf.error.json").read_text())["exit_code"] == 70


def test_an_expired_claim_is_taken_within_a_run(tmp_path, api_settings):
    """A letter left in processing/ by a worker on another machine that stopped renewing
    its lease is put back and finished by the next run, even with an empty inbox."""
    from vanthu.flows.claims import claim, claim_marker
    from vanthu.flows.inbox import Layout
    from vanthu.flows.ingest import ingest_folder

    layout = Layout.under(tmp_path / "root").ensure()
    shutil.copy(LETTER, layout.inbox / "orphan.pdf")
    held = claim(layout, layout.inbox / "orphan.pdf", lease=30)
    from vanthu.flows.claims import HEARTBEAT

    HEARTBEAT.drop(held.marker, held.token)  # its worker is gone: nobody renews it
    info = json.loads(held.marker.read_text())
    claim_marker(held.path).write_text(json.dumps({**info, "host": "another-machine"}))
    assert ingest_folder(root=str(layout.root), settle=0.5, lease=30)["recovered"] == 0  # still leased
    t = time.time() - 31
    os.utime(held.marker, (t, t))
    counts = ingest_folder(root=str(layout.root), settle=0.5, lease=30)
    assert (counts["recovered"], counts["done"]) == (1, 1)
    assert [p.name for p in layout.done.iterdir()] == ["orphan.pdf"] and not list(layout.processing.iterdir())
    assert (layout.root / ".vanthu-sweep.json").exists()  # the heartbeat `vanthu status` reads
