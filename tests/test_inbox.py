"""Inbox lifecycle and task store, without Prefect (vanthu.flows.inbox/ingest/store)."""

from __future__ import annotations

import json
import os
import socket
import sqlite3
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest

from vanthu.pipeline.errors import CorruptInput
from vanthu.flows.inbox import (
    Layout,
    Scanner,
    claim,
    claim_marker,
    is_ignored,
    recover,
    sha256_file,
)
from vanthu.flows.steps import Refused, ingest_claimed, save_failure
from vanthu.flows.store import StoreError, default_url, open_store

from .conftest import SAMPLES

SEED = SAMPLES / "seed-cv-ubnd-langson.md"
OLD = time.time() - 3600


@pytest.fixture
def tree(tmp_path):
    return Layout.under(tmp_path / "root").ensure()


@pytest.fixture
def store(tree):
    s = open_store(default_url(tree.root))
    yield s
    s.close()


@pytest.fixture(scope="module")
def seed_record():
    from vanthu.pipeline.extract import extract_file

    return extract_file(SEED)


def drop(tree: Layout, name: str, data: bytes, *, old: bool = True) -> Path:
    p = tree.inbox / name
    p.write_bytes(data)
    if old:
        os.utime(p, (OLD, OLD))
    return p


def fake_extract(record):
    """An extractor returning ``record`` re-labelled with the file's own hash."""

    def run(path: Path):
        sha = sha256_file(path)
        data = json.loads(record.to_json())
        data["id"] = f"sha256:{sha}"
        data["source"]["sha256"] = sha
        data["source"]["file"] = path.name
        for t in data["tasks"]:
            t["task_id"] = f"task:{sha[:16]}:{t['task_id']}"
        return type(record).model_validate(data)

    return run


def test_ignored_names():
    for name in [".hidden.pdf", "~$letter.docx", "scan.pdf.part", "a.crdownload", "x.tmp", "draft.pdf~",
                 ".~lock.a.odt#"]:
        assert is_ignored(name), name
    for name in ["cv-123.pdf", "scan.PNG", "thư mời.md"]:
        assert not is_ignored(name), name


def test_scan_waits_for_stable_files_and_refuses_links(tree):
    drop(tree, "old.pdf", b"%PDF-1.4 old")
    fresh = drop(tree, "fresh.pdf", b"%PDF-1.4 fresh", old=False)
    drop(tree, "skip.pdf.part", b"partial")
    drop(tree, ".hidden.pdf", b"hidden")
    (tree.inbox / "sub").mkdir()
    (tree.inbox / "link.pdf").symlink_to(tree.inbox / "old.pdf")
    os.mkfifo(tree.inbox / "pipe.pdf")
    scanner = Scanner(settle=1.0)
    scan = scanner.scan(tree.inbox)
    assert [p.name for p in scan.ready] == ["old.pdf"]
    assert [p.name for p in scan.waiting] == ["fresh.pdf"]
    assert sorted(p.name for p, _ in scan.refused) == ["link.pdf", "pipe.pdf"]
    # unchanged for the settle delay: ready; a change seen by the same scanner: waiting again
    os.utime(fresh, (OLD, OLD))
    assert "fresh.pdf" in [p.name for p in scanner.scan(tree.inbox).waiting]  # changed since last look
    assert "fresh.pdf" in [p.name for p in scanner.scan(tree.inbox).ready]
    with open(fresh, "ab") as fh:
        fh.write(b"more")
    os.utime(fresh, (OLD, OLD + 1))
    assert "fresh.pdf" in [p.name for p in scanner.scan(tree.inbox).waiting]
    assert "fresh.pdf" in [p.name for p in scanner.scan(tree.inbox).ready]


def test_claim_is_exclusive(tree):
    p = drop(tree, "a.pdf", b"x")
    c = claim(tree, p)
    assert c is not None and c.path == tree.processing / "a.pdf" and not p.exists()
    assert json.loads(c.marker.read_text())["pid"] == os.getpid()
    assert claim(tree, p) is None  # already taken
    # a second letter of the same name does not replace the first in processing/
    p2 = drop(tree, "a.pdf", b"y")
    c2 = claim(tree, p2)
    assert c2.path.name == "a-2.pdf" and c2.name == "a.pdf"
    assert (tree.processing / "a.pdf").read_bytes() == b"x"


def _claim_all(args):
    root, names = args
    tree = Layout.under(root)
    got = []
    for name in names:
        c = claim(tree, tree.inbox / name)
        if c is not None:
            got.append((name, c.path.name, json.loads(c.marker.read_text())["pid"] == os.getpid()))
    return got


def test_two_workers_claim_each_file_once(tree):
    from concurrent.futures import ProcessPoolExecutor

    names = [f"f{i:03d}.pdf" for i in range(200)]
    for n in names:
        drop(tree, n, n.encode())
    with ProcessPoolExecutor(2) as pool:
        a, b = pool.map(_claim_all, [(tree.root, names), (tree.root, names[::-1])])
    assert sorted(n for n, _, _ in a + b) == names  # each file claimed by exactly one worker
    assert all(own for _, _, own in a + b)  # and the marker beside it is its own
    held = sorted(p.name for p in tree.processing.iterdir() if not p.name.startswith("."))
    assert held == sorted(p for _, p, _ in a + b) and len(held) == 200
    markers = sorted(p.name for p in tree.processing.iterdir() if p.name.startswith("."))
    assert markers == sorted(f".{p}.claim" for p in held)
    for name, held_as, _ in a + b:
        assert (tree.processing / held_as).read_bytes() == name.encode()  # nothing overwritten


def test_done_failed_duplicate(tree, store, seed_record):
    extract = fake_extract(seed_record)
    data = SEED.read_bytes()
    c = claim(tree, drop(tree, "letter.md", data))
    out = ingest_claimed(tree, store, c, extract)
    assert out.status == "done" and out.path == tree.done / "letter.md"
    assert json.loads((tree.out / "letter.json").read_text())["source"]["sha256"] == sha256_file(SEED)
    n_tasks = len(store.tasks())
    assert n_tasks == len(seed_record.tasks) > 0
    assert not list(tree.processing.iterdir())  # marker removed too

    # the same bytes again, under another name: duplicates/, not extracted, stored once
    def boom(path):
        raise AssertionError("a duplicate must not be extracted")

    c = claim(tree, drop(tree, "copy.md", data))
    dup = ingest_claimed(tree, store, c, boom)
    assert dup.status == "duplicate" and dup.path == tree.duplicates / "copy.md"
    assert len(store.documents()) == 1 and len(store.tasks()) == n_tasks

    # a broken file: failed/ with <name>.error.json
    def corrupt(path):
        raise CorruptInput(path.name, "not a PDF (bad xref)")

    c = claim(tree, drop(tree, "bad.pdf", b"%PDF-broken"))
    bad = ingest_claimed(tree, store, c, corrupt)
    assert bad.status == "failed" and bad.path == tree.failed / "bad.pdf"
    err = json.loads((tree.failed / "bad.pdf.error.json").read_text())
    assert err["error_class"] == "CorruptInput" and err["exit_code"] == 6 and "bad xref" in err["message"]
    assert err["sha256"] == sha256_file(tree.failed / "bad.pdf") and err["file"] == "bad.pdf" and err["time"]

    # an internal error is a failure too (exit code 70), the batch is not stopped
    c = claim(tree, drop(tree, "bug.pdf", b"%PDF-bug"))
    bug = ingest_claimed(tree, store, c, lambda p: 1 / 0)
    assert bug.status == "failed" and bug.error["exit_code"] == 70

    outcomes = [r["outcome"] for r in store.runs()]
    assert outcomes == ["done", "duplicate", "failed", "failed"]


def test_results_follow_the_umask(tree, store, seed_record):
    old = os.umask(0o022)
    try:
        out = ingest_claimed(tree, store, claim(tree, drop(tree, "m.md", SEED.read_bytes())),
                             fake_extract(seed_record))
    finally:
        os.umask(old)
    assert out.out_path.stat().st_mode & 0o777 == 0o644  # not mkstemp's 0600


def test_names_are_nfc_in_store_and_reports(tree, store, seed_record):
    import unicodedata

    nfd = unicodedata.normalize("NFD", "công văn số 5.md")
    ingest_claimed(tree, store, claim(tree, drop(tree, nfd, SEED.read_bytes())), fake_extract(seed_record))
    bad = unicodedata.normalize("NFD", "thư hỏng.pdf")
    ingest_claimed(tree, store, claim(tree, drop(tree, bad, b"%PDF-x")), lambda p: 1 / 0)
    assert [d["file"] for d in store.documents()] == ["công văn số 5.md"]
    assert [r["file"] for r in store.runs()] == ["công văn số 5.md", "thư hỏng.pdf"]
    report = json.loads((tree.failed / f"{bad}.error.json").read_text(encoding="utf-8"))
    assert report["file"] == "thư hỏng.pdf" and report["message"].startswith("thư hỏng.pdf: ")
    assert (tree.done / nfd).exists()  # the file itself keeps its name


def test_same_name_other_bytes_keeps_both_results(tree, store, seed_record):
    extract = fake_extract(seed_record)
    first = ingest_claimed(tree, store, claim(tree, drop(tree, "cv.md", SEED.read_bytes())), extract)
    second = ingest_claimed(tree, store, claim(tree, drop(tree, "cv.md", SEED.read_bytes() + b"\n\n")), extract)
    assert first.out_path == tree.out / "cv.json"
    assert second.out_path.name == f"cv.{second.sha256[:8]}.json"
    assert second.path.name == f"cv.{second.sha256[:8]}.md"
    assert {f.name for f in tree.done.iterdir()} == {"cv.md", second.path.name}


def test_reingest_never_duplicates_tasks_and_keeps_status(tree, store, seed_record):
    store.save_document(seed_record, file="a.md", out_path="out/a.json")
    first = store.tasks()
    closed = first[0]["task_id"]
    assert store.set_status([closed], "done") == 1
    store.save_document(seed_record, file="a.md", out_path="out/a.json")
    again = store.tasks()
    assert sorted(t["task_id"] for t in again) == sorted(t["task_id"] for t in first)
    assert {t["task_id"]: t["status"] for t in again}[closed] == "done"
    assert closed not in [t["task_id"] for t in store.tasks(open_only=True)]


def test_task_filters(tree, store, seed_record):
    data = json.loads(seed_record.to_json())
    data["tasks"][0]["deadline"] = "2024-09-01"
    data["tasks"][0]["assignee"] = "Phòng Nội vụ"
    rec = type(seed_record).model_validate(data)
    store.save_document(rec, file="a.md", out_path="a.json")
    assert [t["assignee"] for t in store.tasks(assignee="NỘI VỤ")] == ["Phòng Nội vụ"]
    assert len(store.tasks(due_before=date(2024, 9, 2))) == 1
    assert store.tasks(due_before=date(2024, 9, 1)) == []
    assert store.tasks()[0]["deadline"] == "2024-09-01"  # dated tasks first


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


def test_refused_special_file_goes_to_failed(tree, store):
    link = tree.inbox / "link.pdf"
    link.symlink_to(SEED)
    out = save_failure(tree, store, link, None, Refused(link.name, "symbolic links are refused"))
    assert out.path == tree.failed / "link.pdf" and out.path.is_symlink()  # moved, never followed
    assert json.loads((tree.failed / "link.pdf.error.json").read_text())["error_class"] == "Refused"
    assert SEED.exists()


def test_recover_requeues_abandoned_claims_only(tree):
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    mine = claim(tree, drop(tree, "own.pdf", b"1"))  # this process, left over: re-queued
    gone = claim(tree, drop(tree, "gone.pdf", b"2"))
    claim_marker(gone.path).write_text(json.dumps({"name": "gone.pdf", "host": socket.gethostname(),
                                                    "pid": dead.pid, "time": time.time()}))
    live = claim(tree, drop(tree, "live.pdf", b"3"))
    claim_marker(live.path).write_text(json.dumps({"name": "live.pdf", "host": socket.gethostname(),
                                                    "pid": os.getppid(), "time": time.time()}))
    far = claim(tree, drop(tree, "far.pdf", b"4"))
    claim_marker(far.path).write_text(json.dumps({"name": "far.pdf", "host": "elsewhere",
                                                   "pid": 1, "time": time.time()}))
    stale = claim(tree, drop(tree, "stale.pdf", b"5"))
    claim_marker(stale.path).write_text(json.dumps({"name": "stale.pdf", "host": "elsewhere",
                                                     "pid": 1, "time": time.time() - 7200}))
    (tree.processing / "nomarker.pdf").write_bytes(b"6")
    back = recover(tree)
    assert sorted(p.name for p in back) == ["gone.pdf", "nomarker.pdf", "own.pdf", "stale.pdf"]
    assert sorted(p.name for p in tree.processing.iterdir() if not p.name.startswith(".")) == ["far.pdf", "live.pdf"]
    assert sorted(p.name for p in tree.processing.iterdir() if p.name.startswith(".")) == [
        ".far.pdf.claim", ".live.pdf.claim"]
    assert mine.path.name == "own.pdf"


def test_real_extraction_through_process_one(tree, store):
    c = claim(tree, drop(tree, "seed.md", SEED.read_bytes()))
    out = ingest_claimed(tree, store, c)
    assert out.status == "done"
    expected = json.loads((SAMPLES / "seed-cv-ubnd-langson.expected.json").read_text())
    stored = store.tasks()
    assert sorted(t["task_id"] for t in stored) == sorted(t["task_id"] for t in expected["tasks"])


def test_killed_between_done_move_and_mark_done_is_settled_by_the_next_sweep(tree, store, seed_record, monkeypatch):
    """Regression (test_watch, SIGKILL at a random moment): a letter moved to done/ whose
    process died before the store marked it done stayed unmarked, so the same bytes
    dropped again were extracted again instead of going to duplicates/."""
    from vanthu.flows import steps as ingest

    def killed(*a, **k):
        raise KeyboardInterrupt("killed")

    monkeypatch.setattr(store, "mark_done", killed)
    c = claim(tree, drop(tree, "letter.md", SEED.read_bytes()))
    with pytest.raises(KeyboardInterrupt):
        ingest_claimed(tree, store, c, fake_extract(seed_record))
    monkeypatch.undo()
    sha = sha256_file(tree.done / "letter.md")
    assert not store.is_done(sha) and [r["sha256"] for r in store.unmarked()] == [sha]
    # another letter of the same name is in done/ too, under the tagged name
    (tree.done / f"letter.{sha[:8]}.md").write_bytes(b"other bytes")

    assert ingest.settle_done(tree, store) == [tree.done / "letter.md"]
    assert store.is_done(sha) and not store.unmarked()
    assert ingest.settle_done(tree, store) == []
    dup = ingest_claimed(tree, store, claim(tree, drop(tree, "again.md", SEED.read_bytes())),
                         lambda p: pytest.fail("a duplicate must not be extracted"))
    assert dup.status == "duplicate"
