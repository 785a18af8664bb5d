"""The task store, without Prefect (vanthu.flows.store): filters, WAL and transactions, drivers."""

from __future__ import annotations

import json
import sqlite3
import sys
from datetime import date

import pytest

from vanthu.flows.store import StoreError, open_store


def test_task_filters(tree, store, seed_record):
    data = json.loads(seed_record.to_json())
    data["tasks"][0].update(deadline="2024-09-01", due="2024-09-01", due_kind="day", assignee="Phòng Nội vụ")
    data["tasks"][1].update(deadline=None, due="2024-12-31", due_kind="end_of_period")
    rec = type(seed_record).model_validate(data)
    store.save_document(rec, file="a.md", out_path="a.json")
    assert [t["assignee"] for t in store.tasks(assignee="NỘI VỤ")] == ["Phòng Nội vụ"]
    assert [t["assignee"] for t in store.tasks(assignee="noi vu")] == ["Phòng Nội vụ"]  # no accents
    assert len(store.tasks(due_before=date(2024, 9, 2))) == 1
    assert store.tasks(due_before=date(2024, 9, 1)) == []
    assert store.tasks()[0]["deadline"] == "2024-09-01"  # dated tasks first
    assert [(t["due"], t["due_kind"]) for t in store.tasks()[:2]] == [
        ("2024-09-01", "day"),
        ("2024-12-31", "end_of_period"),
    ]
    # a period's end is due too
    assert data["tasks"][1]["task_id"] in [t["task_id"] for t in store.tasks(due_before=date(2025, 1, 1))]
    assert data["tasks"][1]["task_id"] not in [t["task_id"] for t in store.tasks(due_before=date(2024, 12, 31))]


def test_overdue_is_open_and_past_due(tree, store, seed_record):
    """Regression: no way to list the open tasks past their due day."""
    data = json.loads(seed_record.to_json())
    data["tasks"][0].update(due="2024-09-01", due_kind="day")
    data["tasks"][1].update(due="2024-09-01", due_kind="day")
    store.save_document(type(seed_record).model_validate(data), file="a.md", out_path="a.json")
    assert len(store.tasks(overdue_on=date(2024, 9, 2))) == 2
    store.set_status([data["tasks"][0]["task_id"]], "done")
    assert [t["task_id"] for t in store.tasks(overdue_on=date(2024, 9, 2))] == [data["tasks"][1]["task_id"]]
    assert store.tasks(overdue_on=date(2024, 9, 1)) == []


def test_unknown_task_id_is_an_error_and_changes_nothing(tree, store, seed_record):
    """Regression: closing an unknown id reported "0 of 1" and succeeded."""
    from vanthu.pipeline.errors import ExitCode, UnknownTask

    store.save_document(seed_record, file="a.md", out_path="a.json")
    known = seed_record.tasks[0].task_id
    with pytest.raises(UnknownTask) as info:
        store.set_status([known, "task:nope"], "done")
    assert info.value.exit_code == ExitCode.NOT_FOUND and "task:nope" in info.value.line()
    assert {t["status"] for t in store.tasks()} == {"open"}


def test_store_is_wal_and_transactional(tree, store, seed_record):
    db = tree.root / "vanthu.db"
    assert sqlite3.connect(db).execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    bad = json.loads(seed_record.to_json())
    bad["tasks"].append(dict(bad["tasks"][0]))  # same task id twice is fine (upsert) ...
    rec = type(seed_record).model_validate(bad)
    store.save_document(rec, file="a.md", out_path="a.json")
    assert len(store.tasks()) == len(seed_record.tasks)

    # ... but a failing write leaves nothing half-written
    class Boom(Exception):
        pass

    orig = store._q

    def failing(sql):
        if sql.startswith("INSERT INTO tasks"):
            raise Boom()
        return orig(sql)

    other = json.loads(seed_record.to_json())
    other["source"]["sha256"] = "f" * 64
    other["id"] = "sha256:" + "f" * 64
    store._q = failing
    with pytest.raises(Boom):
        store.save_document(type(seed_record).model_validate(other), file="b.md", out_path="b.json")
    store._q = orig
    assert [d["file"] for d in store.documents()] == ["a.md"]


def test_postgres_url_without_driver_is_a_clear_error(monkeypatch):
    monkeypatch.setitem(sys.modules, "psycopg", None)
    with pytest.raises(StoreError, match=r"psycopg driver.*uv sync --extra postgres"):
        open_store("postgresql://user:secret@db.example/vanthu")
    with pytest.raises(StoreError) as info:
        open_store("postgresql://user:secret@db.example/vanthu")
    assert "secret" not in str(info.value)
    with pytest.raises(StoreError, match="unsupported store URL"):
        open_store("mysql://x/y")
