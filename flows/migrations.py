"""The task store's schema and its upgrades, applied in one transaction when a store is
opened (SQLite and PostgreSQL alike).

``meta.schema_version`` says which version a store is at. A new store is created at
version 1 (``BASE_DDL``, the schema vanthu shipped first) and brought up to
``SCHEMA_VERSION`` by the same steps an old store takes, so the upgrade path is the one
every new store runs. A store newer than this program is refused (an older vanthu must
not write into it). Concurrent openers wait for each other: SQLite's ``BEGIN IMMEDIATE``,
PostgreSQL's transaction-scoped advisory lock.

Written as portable SQL rather than with Alembic: the statements are the same on both
databases (``ALTER TABLE … ADD COLUMN``), and importing SQLAlchemy and Alembic would add
about 2.4 s to every ``vanthu tasks`` and ``vanthu status`` (measured: importing
``vanthu.flows.store`` 0.4 s, with ``alembic.migration`` and ``alembic.operations`` 2.8 s,
on the 2 shared cores of the development machine).

To change the schema: add the new version's rows to ``ADDED_TABLES``, ``ADDED_COLUMNS``,
``ADDED_INDEXES`` and ``FILLED`` (never edit a released version's) and raise
``SCHEMA_VERSION``; test it in ``tests/flows/test_migrations.py`` from a store of the
version before.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

SCHEMA_VERSION = 3

#: Version 1, as vanthu created stores before migrations existed; ``{serial}`` is the
#: dialect's auto-increment primary key.
BASE_DDL = """
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

#: Columns each version adds: (version, table, column, SQL type). Applied only where the
#: column is missing, so a store whose table was created with it is left as it is.
ADDED_COLUMNS: tuple[tuple[int, str, str, str], ...] = (
    (2, "tasks", "due", "TEXT"),  # the date the work is due (the record's assignment.due)
    (2, "tasks", "due_kind", "TEXT"),  # day | end_of_period | recurring
    # the register of incoming letters (sổ đăng ký văn bản đến): số đến within the year, ngày đến
    (3, "documents", "arrival_year", "INTEGER"),
    (3, "documents", "arrival_number", "INTEGER"),
    (3, "documents", "arrival_date", "TEXT"),  # the local day it was stored, YYYY-MM-DD
)
#: Tables each version adds (made before its columns are filled): the last arrival
#: number given in each year, updated in the transaction that stores a letter.
ADDED_TABLES: tuple[tuple[int, str], ...] = (
    (3, "CREATE TABLE IF NOT EXISTS arrival_counter (year INTEGER PRIMARY KEY, last INTEGER NOT NULL)"),
)
# indexes each version adds, made after its columns (CREATE INDEX IF NOT EXISTS)
ADDED_INDEXES: tuple[tuple[int, str, str, str], ...] = (
    (2, "tasks_by_due", "tasks", "due"),
    (3, "documents_by_date", "documents", "date"),  # letters of one date, to find the same letter again
)
# rows each version fills in: a task stored with a printed day is due that day; letters
# stored before the register get their arrival numbers in the order they were first
# stored, within the (UTC) year and day of ``first_ingested``, and the counters follow
FILLED: tuple[tuple[int, str], ...] = (
    (2, "UPDATE tasks SET due = deadline, due_kind = 'day' WHERE due IS NULL AND deadline IS NOT NULL"),
    (
        3,
        "UPDATE documents SET arrival_year = CAST(SUBSTR(first_ingested, 1, 4) AS INTEGER), "
        "arrival_date = SUBSTR(first_ingested, 1, 10) WHERE arrival_number IS NULL",
    ),
    (
        3,
        "UPDATE documents SET arrival_number = (SELECT COUNT(*) FROM documents e "
        "WHERE e.arrival_year = documents.arrival_year AND (e.first_ingested < documents.first_ingested "
        "OR (e.first_ingested = documents.first_ingested AND e.sha256 <= documents.sha256))) "
        "WHERE arrival_number IS NULL",
    ),
    (
        3,
        "INSERT INTO arrival_counter (year, last) SELECT arrival_year, MAX(arrival_number) FROM documents "
        "WHERE arrival_year IS NOT NULL GROUP BY arrival_year",
    ),
    # one number per letter in a year, whatever two workers do
    (3, "CREATE UNIQUE INDEX IF NOT EXISTS documents_by_arrival ON documents (arrival_year, arrival_number)"),
)

#: An advisory lock key for PostgreSQL (any constant shared by every vanthu).
PG_LOCK_KEY = 0x76616E74


class SchemaTooNew(Exception):
    """The store was written by a newer vanthu."""

    def __init__(self, found: int, known: int):
        super().__init__(f"the store's schema is version {found}, this vanthu knows up to {known}")
        self.found, self.known = found, known


def columns_of(cur: Any, table: str, dialect: str) -> set[str]:
    if dialect == "sqlite":
        cur.execute(f"PRAGMA table_info({table})")
        return {row[1] for row in cur.fetchall()}
    cur.execute("SELECT column_name FROM information_schema.columns WHERE table_name = %s", (table,))
    return {row[0] for row in cur.fetchall()}


def current_version(cur: Any, q: Callable[[str], str]) -> int | None:
    cur.execute(q("SELECT value FROM meta WHERE key = ?"), ("schema_version",))
    row = cur.fetchone()
    return int(row[0]) if row else None


def upgrade(cur: Any, *, dialect: str, serial: str, q: Callable[[str], str]) -> tuple[int, int]:
    """Create or upgrade the schema inside the caller's transaction; returns (from, to).

    ``q`` turns ``?`` placeholders into the driver's. Raises :class:`SchemaTooNew` for a
    store of a newer vanthu (the caller's transaction is then rolled back).
    """
    if dialect == "postgresql":
        cur.execute("SELECT pg_advisory_xact_lock(%s)", (PG_LOCK_KEY,))
    for stmt in BASE_DDL.format(serial=serial).split(";"):
        if stmt.strip():
            cur.execute(stmt)
    found = current_version(cur, q)
    if found is None:  # a new store (version 1 tables just made), or one older than the meta row
        found = 1
        cur.execute(q("INSERT INTO meta (key, value) VALUES (?, ?)"), ("schema_version", "1"))
    if found > SCHEMA_VERSION:
        raise SchemaTooNew(found, SCHEMA_VERSION)
    for version in range(found + 1, SCHEMA_VERSION + 1):
        for v, statement in ADDED_TABLES:
            if v == version:
                cur.execute(statement)
        for v, table, column, kind in ADDED_COLUMNS:
            if v == version and column not in columns_of(cur, table, dialect):
                cur.execute(f"ALTER TABLE {table} ADD COLUMN {column} {kind}")
        for v, name, table, column in ADDED_INDEXES:
            if v == version:
                cur.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {table} ({column})")
        for v, statement in FILLED:
            if v == version:
                cur.execute(statement)
    if found != SCHEMA_VERSION:
        cur.execute(q("UPDATE meta SET value = ? WHERE key = ?"), (str(SCHEMA_VERSION), "schema_version"))
    return found, SCHEMA_VERSION
