"""Store upgrades (vanthu.flows.migrations): a store made with the first schema (version 1,
its DDL written out here as vanthu 0.x created it) is upgraded in place when opened, on
SQLite and on PostgreSQL, and every document and task is found afterwards."""

from __future__ import annotations

import sqlite3

import pytest

from vanthu.flows.migrations import SCHEMA_VERSION
from vanthu.flows.store import StoreError, open_store

#: The schema of version 1, as the store created it before migrations existed.
V1_DDL = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS documents (
    sha256 TEXT PRIMARY KEY, id TEXT NOT NULL, file TEXT NOT NULL, doc_type TEXT,
    number_symbol TEXT, issuer TEXT, date TEXT, subject TEXT, out_path TEXT, done_path TEXT,
    record TEXT NOT NULL, first_ingested TEXT NOT NULL, last_ingested TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS tasks (
    task_id TEXT PRIMARY KEY, sha256 TEXT NOT NULL REFERENCES documents(sha256),
    number_symbol TEXT, doc_date TEXT, assignment TEXT NOT NULL, assignee TEXT NOT NULL,
    role TEXT NOT NULL, action TEXT NOT NULL, deadline TEXT, deadline_text TEXT,
    recurring INTEGER NOT NULL DEFAULT 0, status TEXT NOT NULL DEFAULT 'open',
    created_at TEXT NOT NULL, updated_at TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS tasks_by_document ON tasks (sha256);
CREATE INDEX IF NOT EXISTS tasks_by_deadline ON tasks (deadline);
CREATE TABLE IF NOT EXISTS runs (
    id {serial}, file TEXT NOT NULL, sha256 TEXT, outcome TEXT NOT NULL,
    error_class TEXT, message TEXT, exit_code INTEGER, path TEXT, duplicate_of TEXT,
    started TEXT, finished TEXT NOT NULL, flow_run_id TEXT, host TEXT);
CREATE INDEX IF NOT EXISTS runs_by_sha ON runs (sha256);
"""
NOW = "2024-09-01T08:00:00+00:00"
DOCS = [(f"{i:064x}", f"letter-{i}.pdf") for i in range(1, 4)]
TASKS = [(f"task:{d}:{n}", d, f"Đơn vị {n}", "2024-09-30" if n == 1 else None) for d, _ in DOCS for n in (1, 2)]


def fill_v1(cur, q, serial: str, *, meta: bool = True) -> None:
    """Today's (version 1) schema and some rows, with the driver's placeholder ``q``."""
    for stmt in V1_DDL.format(serial=serial).split(";"):
        if stmt.strip():
            cur.execute(stmt)
    if meta:
        cur.execute(f"INSERT INTO meta (key, value) VALUES ({q}, {q})", ("schema_version", "1"))
    for sha, name in DOCS:
        cur.execute(
            "INSERT INTO documents (sha256, id, file, record, first_ingested, last_ingested, done_path, out_path) "
            f"VALUES ({', '.join([q] * 8)})",
            (sha, f"sha256:{sha}", name, "{}", NOW, NOW, f"done/{name}", f"out/{name}.json"),
        )
    for task_id, sha, unit, deadline in TASKS:
        cur.execute(
            "INSERT INTO tasks (task_id, sha256, assignment, assignee, role, action, deadline, created_at, updated_at) "
            f"VALUES ({', '.join([q] * 9)})",
            (task_id, sha, "1", unit, "lead", "Báo cáo kết quả", deadline, NOW, NOW),
        )
    cur.execute(
        f"INSERT INTO runs (file, sha256, outcome, finished) VALUES ({q}, {q}, {q}, {q})",
        ("letter-1.pdf", DOCS[0][0], "done", NOW),
    )


def check_upgraded(store) -> None:
    assert store.upgraded == (1, SCHEMA_VERSION)
    assert sorted(d["file"] for d in store.documents()) == [name for _, name in DOCS]
    tasks = store.tasks()
    assert sorted(t["task_id"] for t in tasks) == sorted(t[0] for t in TASKS)
    assert [t["deadline"] for t in store.tasks(open_only=True)][:3] == ["2024-09-30"] * 3
    assert store.is_done(DOCS[0][0]) and [r["outcome"] for r in store.runs()] == ["done"]
    assert store.set_status([TASKS[0][0]], "done") == 1
    cur = store.conn.cursor()
    cur.execute("SELECT deadline, due, due_kind FROM tasks")  # version 2: a printed day is the due day
    assert {tuple(r) for r in cur.fetchall()} == {("2024-09-30", "2024-09-30", "day"), (None, None, None)}
    cur.execute(store._q("SELECT value FROM meta WHERE key = ?"), ("schema_version",))
    assert cur.fetchone()[0] == str(SCHEMA_VERSION)
    # version 3: every letter has its arrival number, in the year it was first stored
    assert [(r["arrival_year"], r["arrival_number"]) for r in store.register()] == [(2024, 1), (2024, 2), (2024, 3)]
    store.conn.commit()


@pytest.mark.parametrize("meta", [True, False], ids=["version-1", "before-meta"])
def test_a_version_1_sqlite_store_is_upgraded_and_keeps_everything(tmp_path, meta):
    path = tmp_path / "vanthu.db"
    db = sqlite3.connect(path)
    fill_v1(db.cursor(), "?", "INTEGER PRIMARY KEY AUTOINCREMENT", meta=meta)
    db.commit()
    db.close()
    with open_store(path) as store:
        check_upgraded(store)
    with open_store(path) as again:  # upgraded once: a second open changes nothing
        assert again.upgraded == (SCHEMA_VERSION, SCHEMA_VERSION)
        assert len(again.tasks(open_only=True)) == len(TASKS) - 1


def test_a_new_store_is_made_by_the_same_steps(tmp_path):
    with open_store(tmp_path / "new.db") as store:
        assert store.upgraded == (1, SCHEMA_VERSION)
        cols = {r[1] for r in store.conn.raw.execute("PRAGMA table_info(tasks)")}
        assert {"due", "due_kind", "task_id"} <= cols


def test_a_store_whose_tasks_table_already_has_the_columns_is_upgraded(tmp_path):
    """A store created by a build that wrote ``due`` into its CREATE TABLE (version 1 in
    meta): the upgrade adds only what is missing."""
    path = tmp_path / "vanthu.db"
    db = sqlite3.connect(path)
    fill_v1(db.cursor(), "?", "INTEGER PRIMARY KEY AUTOINCREMENT")
    db.execute("ALTER TABLE tasks ADD COLUMN due TEXT")
    db.commit()
    db.close()
    with open_store(path) as store:
        check_upgraded(store)


def test_a_store_of_a_newer_vanthu_is_refused_and_left_alone(tmp_path):
    path = tmp_path / "vanthu.db"
    open_store(path).close()
    db = sqlite3.connect(path)
    db.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", (str(SCHEMA_VERSION + 1),))
    db.commit()
    db.close()
    with pytest.raises(StoreError, match=f"version {SCHEMA_VERSION + 1}") as info:
        open_store(path)
    assert str(path) in str(info.value) and "upgrade vanthu" in str(info.value)
    db = sqlite3.connect(path)
    assert db.execute("SELECT value FROM meta").fetchone()[0] == str(SCHEMA_VERSION + 1)


def test_a_version_1_postgres_store_is_upgraded_and_keeps_everything(pg_url):
    psycopg = pytest.importorskip("psycopg")
    with psycopg.connect(pg_url) as conn:
        with conn.cursor() as cur:
            for table in ("runs", "tasks", "documents", "meta", "arrival_counter"):
                cur.execute(f"DROP TABLE IF EXISTS {table}")
            fill_v1(cur, "%s", "BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY")
        conn.commit()
    with open_store(pg_url) as store:
        check_upgraded(store)
    with open_store(pg_url) as again:
        assert again.upgraded == (SCHEMA_VERSION, SCHEMA_VERSION)
        assert sorted(t["task_id"] for t in again.tasks()) == sorted(t[0] for t in TASKS)


def test_a_failed_postgres_upgrade_changes_nothing(pg_url):
    """The upgrade is one transaction: a store of a newer vanthu is refused with its tables
    and version as they were."""
    psycopg = pytest.importorskip("psycopg")
    with psycopg.connect(pg_url) as conn:
        with conn.cursor() as cur:
            for table in ("runs", "tasks", "documents", "meta", "arrival_counter"):
                cur.execute(f"DROP TABLE IF EXISTS {table}")
            fill_v1(cur, "%s", "BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY")
            cur.execute("UPDATE meta SET value = '99'")
        conn.commit()
    with pytest.raises(StoreError, match="version 99"):
        open_store(pg_url)
    with psycopg.connect(pg_url) as conn, conn.cursor() as cur:
        cur.execute("SELECT column_name FROM information_schema.columns WHERE table_name = 'tasks'")
        assert "due" not in {r[0] for r in cur.fetchall()}


#: Version 2 added the due day to tasks.
V2_STEPS = ("ALTER TABLE tasks ADD COLUMN due TEXT", "ALTER TABLE tasks ADD COLUMN due_kind TEXT")
#: Letters stored by a version-2 vanthu, in the order given: (sha256, file, first stored, UTC).
V2_LETTERS = [
    ("c" * 64, "third.pdf", "2025-03-02T09:00:00+00:00"),
    ("a" * 64, "old.pdf", "2024-12-31T23:00:00+00:00"),
    ("b" * 64, "first.pdf", "2025-01-05T08:00:00+00:00"),
    ("d" * 64, "second.pdf", "2025-01-05T08:00:00+00:00"),  # the same second: by hash
]


def fill_v2(cur, q: str, serial: str) -> None:
    for stmt in V1_DDL.format(serial=serial).split(";"):
        if stmt.strip():
            cur.execute(stmt)
    for stmt in V2_STEPS:
        cur.execute(stmt)
    cur.execute(f"INSERT INTO meta (key, value) VALUES ({q}, {q})", ("schema_version", "2"))
    for sha, name, when in V2_LETTERS:
        cur.execute(
            "INSERT INTO documents (sha256, id, file, record, first_ingested, last_ingested) "
            f"VALUES ({', '.join([q] * 6)})",
            (sha, f"sha256:{sha}", name, "{}", when, when),
        )


def check_numbered(store, seed_record) -> None:
    """Stored letters numbered in the order first stored, per year; the next one follows."""
    from datetime import date

    assert store.upgraded == (2, SCHEMA_VERSION)
    got = [(r["arrival_year"], r["arrival_number"], r["arrival_date"], r["file"]) for r in store.register()]
    assert got == [
        (2024, 1, "2024-12-31", "old.pdf"),
        (2025, 1, "2025-01-05", "first.pdf"),
        (2025, 2, "2025-01-05", "second.pdf"),
        (2025, 3, "2025-03-02", "third.pdf"),
    ]
    store.save_document(seed_record, file="new.md", out_path="x.json", received=date(2025, 6, 1))
    assert [(r["arrival_number"], r["file"]) for r in store.register(2025)][-1] == (4, "new.md")


def test_a_version_2_sqlite_store_numbers_its_letters(tmp_path, seed_record):
    path = tmp_path / "vanthu.db"
    db = sqlite3.connect(path)
    fill_v2(db.cursor(), "?", "INTEGER PRIMARY KEY AUTOINCREMENT")
    db.commit()
    db.close()
    with open_store(path) as store:
        check_numbered(store, seed_record)


def test_a_version_2_postgres_store_numbers_its_letters(pg_url, seed_record):
    psycopg = pytest.importorskip("psycopg")
    with psycopg.connect(pg_url) as conn:
        with conn.cursor() as cur:
            for table in ("runs", "tasks", "documents", "meta", "arrival_counter"):
                cur.execute(f"DROP TABLE IF EXISTS {table}")
            fill_v2(cur, "%s", "BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY")
        conn.commit()
    with open_store(pg_url) as store:
        check_numbered(store, seed_record)
