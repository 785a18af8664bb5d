"""The task store on PostgreSQL: the same behaviour as SQLite, on a throw-away cluster
(initdb + pg_ctl in a temporary folder, Unix socket only). Skips when the PostgreSQL
server programs or the psycopg driver are not installed."""

from __future__ import annotations

import json
from datetime import date

import pytest

from tests.conftest import SAMPLES
from vanthu.flows.store import PostgresStore, open_store

psycopg = pytest.importorskip("psycopg")


@pytest.fixture(scope="module")
def seed_record():
    from vanthu.pipeline.extract import extract_file

    return extract_file(SAMPLES / "seed-cv-ubnd-langson.md")


def test_postgres_store_behaves_like_sqlite(pg_url, seed_record):
    from vanthu.flows.store import Run

    with open_store(pg_url) as store:
        assert isinstance(store, PostgresStore)
        data = json.loads(seed_record.to_json())
        data["tasks"][0]["deadline"] = "2024-09-30"
        data["tasks"][0]["due"], data["tasks"][0]["due_kind"] = "2024-09-30", "day"
        rec = type(seed_record).model_validate(data)
        sha = rec.source.sha256
        assert not store.is_done(sha)
        assert store.save_document(rec, file="seed.md", out_path="out/seed.json") == len(rec.tasks)
        assert not store.is_done(sha)
        store.mark_done(sha, "done/seed.md", Run(file="seed.md", sha256=sha, outcome="done", path="done/seed.md"))
        assert store.is_done(sha)
        first = store.tasks()
        assert len(first) == len(rec.tasks) and first[0]["deadline"] == "2024-09-30"
        store.set_status([first[0]["task_id"]], "done")
        store.save_document(rec, file="seed.md", out_path="out/seed.json")  # again: no duplicates
        again = store.tasks()
        assert sorted(t["task_id"] for t in again) == sorted(t["task_id"] for t in first)
        assert len(store.tasks(open_only=True)) == len(first) - 1
        assert [t["deadline"] for t in store.tasks(due_before=date(2024, 10, 1))] == ["2024-09-30"]
        unit = rec.tasks[0].assignee
        assert all(unit.lower() in t["assignee"].lower() for t in store.tasks(assignee=unit.upper()))
        store.record_run(Run(file="copy.md", sha256=sha, outcome="duplicate", path="duplicates/copy.md"))
        assert [r["outcome"] for r in store.runs()] == ["done", "duplicate"]
        assert [d["file"] for d in store.documents()] == ["seed.md"]
    # a second connection (another machine) sees the same rows; the schema is created once
    with open_store(pg_url) as other:
        assert other.is_done(sha) and len(other.tasks()) == len(rec.tasks)


def test_postgres_unreachable_is_a_clear_error(tmp_path):
    from vanthu.flows.store import StoreError

    with pytest.raises(StoreError, match="cannot connect") as info:
        open_store(f"postgresql://vanthu:secret@/vanthu?host={tmp_path}&port=1&connect_timeout=2")
    assert "secret" not in str(info.value)


def test_tasks_command_reads_a_postgres_store(pg_url, seed_record, capsys):
    """`vanthu tasks --store postgresql://…` lists the shared store (filled by the test above)."""
    from vanthu.cli import main

    assert main(["tasks", "--store", pg_url, "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert {r["task_id"] for r in rows} == {t.task_id for t in seed_record.tasks}
