"""The task store on PostgreSQL: the same behaviour as SQLite, on a throw-away cluster
(initdb + pg_ctl in a temporary folder, Unix socket only). Skips when the PostgreSQL
server programs or the psycopg driver are not installed."""

from __future__ import annotations

import json
import os
import pwd
import shutil
import subprocess
from datetime import date

import pytest

from tests.conftest import SAMPLES
from vanthu.flows.store import PostgresStore, open_store

psycopg = pytest.importorskip("psycopg")


def _pg_bin(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        versions = os.listdir("/usr/lib/postgresql") if os.path.isdir("/usr/lib/postgresql") else []
        for d in sorted(versions, reverse=True):
            cand = f"/usr/lib/postgresql/{d}/bin/{name}"
            if os.path.exists(cand):
                return cand
        pytest.skip(f"PostgreSQL's {name} is not installed")
    return path


@pytest.fixture(scope="module")
def pg_url(tmp_path_factory):
    initdb, pg_ctl = _pg_bin("initdb"), _pg_bin("pg_ctl")
    base = tmp_path_factory.mktemp("pg")
    data, sock = base / "data", base / "sock"
    sock.mkdir()
    prefix: list[str] = []
    if os.geteuid() == 0:  # the server refuses to run as root
        try:
            user = pwd.getpwnam("postgres")
        except KeyError:
            pytest.skip("running as root without a 'postgres' user")
        os.chmod(base, 0o755)
        for p in (base.parent, base.parent.parent):
            os.chmod(p, os.stat(p).st_mode | 0o011)
        os.chown(base, user.pw_uid, user.pw_gid)
        os.chown(sock, user.pw_uid, user.pw_gid)
        prefix = ["runuser", "-u", "postgres", "--"]
    subprocess.run(
        prefix + [initdb, "-D", str(data), "-A", "trust", "-U", "postgres", "--no-sync"],
        check=True,
        capture_output=True,
    )
    port = "54329"
    subprocess.run(
        prefix
        + [
            pg_ctl,
            "-D",
            str(data),
            "-l",
            str(base / "log"),
            "-w",
            "-t",
            "300",  # a loaded machine starts it slowly
            "-o",
            f"-k {sock} -p {port} -c listen_addresses='' -c fsync=off",
            "start",
        ],
        check=True,
        capture_output=True,
    )
    try:
        yield f"postgresql://postgres@/postgres?host={sock}&port={port}"
    finally:
        subprocess.run(prefix + [pg_ctl, "-D", str(data), "-m", "immediate", "stop"], capture_output=True)


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
