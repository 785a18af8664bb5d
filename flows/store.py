"""The task store: documents, their tasks, and the ingestion runs. No Prefect here.

:func:`open_store` takes a URL: a path or ``sqlite:///path`` gives the embedded SQLite store (WAL mode, one
transaction per write), ``postgresql://…`` the PostgreSQL one (needs the ``psycopg`` driver: ``uv sync --extra
postgres``). Both implement :class:`TaskStore`; the SQL is shared and differs only in placeholders and the run id.

Task ids come from the record (the file's hash, the assignment label and the unit), so storing a letter again
updates its rows and never duplicates them; a task's ``status`` (``open`` until someone closes it) survives
re-ingestion.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Protocol

from vanthu.flows.inbox import now_iso
from vanthu.flows.migrations import SchemaTooNew, upgrade
from vanthu.flows.register_store import LettersMixin, RegisterMixin, today
from vanthu.models.record import DispatchRecord, DuplicateOf
from vanthu.pipeline.errors import ExitCode, UnknownTask, VanthuError
from vanthu.pipeline.i18n import _
from vanthu.pipeline.text.normalize import fold_accents

TASK_COLUMNS: tuple[str, ...] = tuple(
    "task_id sha256 number_symbol doc_date assignment assignee role action deadline deadline_text due due_kind"
    " recurring status created_at updated_at".split()
)
# a re-ingested task keeps its status and creation time
_TASK_UPDATE = ", ".join(f"{c} = excluded.{c}" for c in TASK_COLUMNS if c not in ("task_id", "status", "created_at"))
DOC_COLUMNS: tuple[str, ...] = tuple(
    "sha256 id file doc_type number_symbol issuer date subject out_path done_path record first_ingested"
    " last_ingested".split()
)
RUN_COLUMNS: tuple[str, ...] = tuple(
    "id file sha256 outcome error_class message exit_code path duplicate_of started finished flow_run_id host".split()
)
OUTCOMES = ("done", "failed", "duplicate")


class StoreError(VanthuError):
    """The store cannot be opened (bad URL, missing driver, unreachable server)."""

    exit_code = ExitCode.USAGE


@dataclass
class Run:
    file: str
    sha256: str | None
    outcome: str  # done | failed | duplicate
    path: str | None = None  # where the original ended up
    error_class: str | None = None
    message: str | None = None
    exit_code: int | None = None
    duplicate_of: str | None = None
    started: str | None = None
    finished: str | None = None
    flow_run_id: str | None = None
    host: str | None = None


class TaskStore(Protocol):
    """What ingestion and ``vanthu tasks`` need from a store."""

    def is_done(self, sha256: str) -> bool: ...
    def save_document(
        self, record: DispatchRecord, *, file: str, out_path: str, received: date | None = None
    ) -> int: ...
    def same_letter(self, record: DispatchRecord) -> DuplicateOf | None: ...
    def mark_done(self, sha256: str, done_path: str, run: Run | None = None) -> None: ...
    def record_run(self, run: Run) -> None: ...
    def tasks(
        self,
        *,
        open_only: bool = False,
        assignee: str | None = None,
        due_before: date | None = None,
        overdue_on: date | None = None,
    ) -> list[dict[str, Any]]: ...
    def set_status(self, task_ids: Iterable[str], status: str) -> int: ...
    def documents(self) -> list[dict[str, Any]]: ...
    def unmarked(self) -> list[dict[str, Any]]: ...
    def runs(self) -> list[dict[str, Any]]: ...
    def letters(self) -> list[dict[str, Any]]: ...
    def failed_runs(self) -> list[dict[str, Any]]: ...
    def close(self) -> None: ...


class SqlStore(RegisterMixin, LettersMixin):
    """The store over a DB-API connection; subclasses say how to connect (the register's
    and the letter list's queries: :mod:`vanthu.flows.register_store`)."""

    placeholder = "?"
    serial = "INTEGER PRIMARY KEY AUTOINCREMENT"
    dialect = "sqlite"
    where = "the store"  # named in errors (the path, or the URL without its password)

    def __init__(self, conn: Any):
        self.conn = conn
        try:  # the schema created or upgraded in one transaction (flows/migrations.py)
            with self._tx() as cur:
                self.upgraded = upgrade(cur, dialect=self.dialect, serial=self.serial, q=self._q)
        except SchemaTooNew as exc:
            conn.close()
            raise StoreError(self.where, str(exc), hint=_("upgrade vanthu on this machine")) from None

    # -- plumbing
    def _q(self, sql: str) -> str:
        return sql if self.placeholder == "?" else sql.replace("?", self.placeholder)

    def _tx(self):
        store = self

        class _Tx:
            def __enter__(self_inner):
                self_inner.cur = store._begin()
                return self_inner.cur

            def __exit__(self_inner, exc_type, exc, tb):
                if exc_type is None:
                    store.conn.commit()
                else:
                    store.conn.rollback()
                return False

        return _Tx()

    def _begin(self):
        return self.conn.cursor()

    def _rows(self, sql: str, params: tuple = ()) -> list[dict[str, Any]]:
        cur = self.conn.cursor()
        cur.execute(self._q(sql), params)
        names = [d[0] for d in cur.description]
        rows = [dict(zip(names, row, strict=False)) for row in cur.fetchall()]
        self.conn.commit()
        return rows

    # -- TaskStore
    def is_done(self, sha256: str) -> bool:
        rows = self._rows("SELECT 1 AS x FROM documents WHERE sha256 = ? AND done_path IS NOT NULL", (sha256,))
        return bool(rows)

    def save_document(self, record: DispatchRecord, *, file: str, out_path: str, received: date | None = None) -> int:
        """Insert or update the letter and its tasks in one transaction, a new letter with
        its arrival number (``received``: its ngày đến, default today); returns the task count."""
        sha, now = record.source.sha256, now_iso()
        doc = (
            sha,
            record.id,
            file,
            record.doc_type,
            record.number_symbol,
            record.issuer,
            record.date,
            record.subject,
            out_path,
            None,
            record.model_dump_json(),
            now,
            now,
        )
        with self._tx() as cur:
            cur.execute(
                self._q(
                    f"INSERT INTO documents ({', '.join(DOC_COLUMNS)}) VALUES ({', '.join('?' * len(DOC_COLUMNS))}) "
                    "ON CONFLICT (sha256) DO UPDATE SET id = excluded.id, file = excluded.file, "
                    "doc_type = excluded.doc_type, number_symbol = excluded.number_symbol, "
                    "issuer = excluded.issuer, date = excluded.date, subject = excluded.subject, "
                    "out_path = excluded.out_path, record = excluded.record, last_ingested = excluded.last_ingested"
                ),
                doc,
            )
            self._arrival(cur, sha, received or today())
            ids = []
            for t in record.tasks:
                ids.append(t.task_id)
                row = {"sha256": sha, "number_symbol": t.document.number_symbol, "doc_date": t.document.date}
                row.update(recurring=int(t.recurring), status="open", created_at=now, updated_at=now)
                cur.execute(
                    self._q(
                        f"INSERT INTO tasks ({', '.join(TASK_COLUMNS)}) VALUES ({', '.join('?' * len(TASK_COLUMNS))}) "
                        f"ON CONFLICT (task_id) DO UPDATE SET {_TASK_UPDATE}"
                    ),
                    tuple(row[c] if c in row else getattr(t, c) for c in TASK_COLUMNS),
                )
            # tasks a newer pipeline no longer finds in this letter
            cur.execute(self._q("SELECT task_id FROM tasks WHERE sha256 = ?"), (sha,))
            stale = [r[0] for r in cur.fetchall() if r[0] not in set(ids)]
            for task_id in stale:
                cur.execute(self._q("DELETE FROM tasks WHERE task_id = ?"), (task_id,))
        return len(ids)

    def mark_done(self, sha256: str, done_path: str, run: Run | None = None) -> None:
        """The letter's original is in done/ (and, in the same transaction, its run)."""
        with self._tx() as cur:
            cur.execute(self._q("UPDATE documents SET done_path = ? WHERE sha256 = ?"), (done_path, sha256))
            if run is not None:
                self._insert_run(cur, run)

    def record_run(self, run: Run) -> None:
        with self._tx() as cur:
            self._insert_run(cur, run)

    def _insert_run(self, cur: Any, run: Run) -> None:
        if run.outcome not in OUTCOMES:
            raise ValueError(f"unknown outcome {run.outcome!r}")
        cols = [c for c in RUN_COLUMNS if c != "id"]
        values = tuple(now_iso() if c == "finished" and run.finished is None else getattr(run, c) for c in cols)
        cur.execute(self._q(f"INSERT INTO runs ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})"), values)

    def tasks(
        self,
        *,
        open_only: bool = False,
        assignee: str | None = None,
        due_before: date | None = None,
        overdue_on: date | None = None,
    ) -> list[dict[str, Any]]:
        """Tasks, soonest ``due`` first (none last); ``assignee`` matches any part of the unit's
        name, ignoring case and accents ("xay dung" finds "Sở Xây dựng"); ``due_before`` keeps
        tasks due strictly before it; ``overdue_on`` (a date) keeps open tasks due before it."""
        where, params = [], []
        if open_only or overdue_on is not None:
            where.append("t.status = 'open'")
        for day in (d for d in (due_before, overdue_on) if d is not None):
            where.append("t.due IS NOT NULL AND t.due < ?")
            params.append(day.isoformat())
        sql = (
            "SELECT t.task_id, t.status, t.deadline, t.deadline_text, t.due, t.due_kind, t.assignee, t.role, "
            "t.assignment, t.action, t.recurring, t.number_symbol, t.doc_date, d.file, d.subject, t.sha256 "
            "FROM tasks t JOIN documents d ON d.sha256 = t.sha256"
            + (" WHERE " + " AND ".join(where) if where else "")
            + " ORDER BY CASE WHEN t.due IS NULL THEN 1 ELSE 0 END, t.due, d.file, t.assignment, t.task_id"
        )
        rows = self._rows(sql, tuple(params))
        for row in rows:
            row["recurring"] = bool(row["recurring"])
        if assignee:
            needle = fold_accents(assignee)
            rows = [r for r in rows if needle in fold_accents(r["assignee"])]
        return rows

    def set_status(self, task_ids: Iterable[str], status: str) -> int:
        """Mark the tasks ``status``; an id the store does not hold is an ``UnknownTask``
        error naming it, and then no task is changed (one transaction)."""
        n, unknown = 0, []
        with self._tx() as cur:
            for task_id in task_ids:
                cur.execute(
                    self._q("UPDATE tasks SET status = ?, updated_at = ? WHERE task_id = ?"),
                    (status, now_iso(), task_id),
                )
                if cur.rowcount == 0:
                    unknown.append(task_id)
                n += max(cur.rowcount, 0)
            if unknown:
                raise UnknownTask(", ".join(unknown), _("no such task in the store; no task was changed"))
        return n

    def unmarked(self) -> list[dict[str, Any]]:
        """Letters stored but not marked done (sha256, file): a crash between the two."""
        return self._rows("SELECT sha256, file FROM documents WHERE done_path IS NULL ORDER BY file")

    def documents(self) -> list[dict[str, Any]]:
        return self._rows(f"SELECT {', '.join(c for c in DOC_COLUMNS if c != 'record')} FROM documents ORDER BY file")

    def runs(self) -> list[dict[str, Any]]:
        return self._rows(f"SELECT {', '.join(RUN_COLUMNS)} FROM runs ORDER BY id")

    def runs_since(self, since: str) -> list[dict[str, Any]]:
        """The runs finished at or after ``since`` (ISO time, UTC, as the store writes it)."""
        return self._rows(f"SELECT {', '.join(RUN_COLUMNS)} FROM runs WHERE finished >= ? ORDER BY id", (since,))

    def record(self, sha256: str) -> dict[str, Any] | None:
        rows = self._rows("SELECT record FROM documents WHERE sha256 = ?", (sha256,))
        return json.loads(rows[0]["record"]) if rows else None

    def close(self) -> None:
        self.conn.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
        return False


class SqliteStore(SqlStore):
    """Embedded store in one file: WAL journal, writes wait up to 30 s for a lock."""

    def __init__(self, path: Path | str):
        self.path = Path(path)
        self.where = str(self.path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(self.path, timeout=30.0, isolation_level=None, check_same_thread=False)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=NORMAL")
        conn.execute("PRAGMA foreign_keys=ON")
        conn.execute("PRAGMA busy_timeout=30000")
        super().__init__(_SqliteConn(conn))

    def _begin(self):
        cur = self.conn.raw.cursor()
        cur.execute("BEGIN IMMEDIATE")
        return cur


class _SqliteConn:
    """sqlite3 in autocommit mode with explicit ``BEGIN IMMEDIATE`` per write transaction,
    so two processes never dead-lock upgrading a read lock."""

    def __init__(self, conn: sqlite3.Connection):
        self.raw = conn

    def cursor(self):
        return self.raw.cursor()

    def commit(self):
        if self.raw.in_transaction:
            self.raw.execute("COMMIT")

    def rollback(self):
        if self.raw.in_transaction:
            self.raw.execute("ROLLBACK")

    def close(self):
        self.raw.close()


class PostgresStore(SqlStore):
    """The same store on PostgreSQL (``postgresql://user:pw@host/db``), for several machines."""

    placeholder = "%s"
    serial = "BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY"
    dialect = "postgresql"

    def __init__(self, url: str):
        self.where = _redact(url)
        try:
            import psycopg
        except ImportError:
            hint = _("install it with `uv sync --extra postgres` or `pip install 'psycopg[binary]'`")
            raise StoreError(_redact(url), _("the PostgreSQL store needs the psycopg driver"), hint=hint) from None
        try:
            conn = psycopg.connect(url)
        except psycopg.Error as exc:
            why = str(exc).strip().splitlines()[0]
            raise StoreError(self.where, _("cannot connect: {why}").format(why=why)) from None
        super().__init__(conn)


def _redact(url: str) -> str:
    if "://" in url and "@" in url:
        scheme, rest = url.split("://", 1)
        creds, host = rest.rsplit("@", 1)
        user = creds.split(":", 1)[0]
        return f"{scheme}://{user}:***@{host}" if ":" in creds else url
    return url


def default_url(root: Path | str) -> str:
    return f"sqlite:///{Path(root).absolute() / 'vanthu.db'}"


def open_store(url: str | Path) -> SqlStore:
    """A store from a URL: ``sqlite:///abs/path.db``, a plain path, or ``postgresql://…``."""
    text = str(url)
    if text.startswith(("postgresql://", "postgres://", "postgresql+psycopg://")):
        return PostgresStore(text.replace("postgresql+psycopg://", "postgresql://", 1))
    if text.startswith("sqlite:///"):
        return SqliteStore(text[len("sqlite:///") :])  # sqlite:///rel.db, sqlite:////abs/path.db
    if "://" in text:
        raise StoreError(text, _("unsupported store URL"), hint=_("use a path, sqlite:///PATH or postgresql://…"))
    return SqliteStore(text)
