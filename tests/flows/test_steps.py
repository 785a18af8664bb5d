"""Ingestion of one claimed letter, without Prefect (vanthu.flows.steps): done, failed,
duplicate, names, re-ingestion, the real extraction, a run killed midway."""

from __future__ import annotations

import json
import os

import pytest

from tests.conftest import SAMPLES
from tests.flows.conftest import SEED, drop, fake_extract
from vanthu.flows.claims import claim
from vanthu.flows.inbox import sha256_file
from vanthu.flows.steps import Refused, ingest_claimed, save_failure
from vanthu.pipeline.errors import CorruptInput


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
        out = ingest_claimed(tree, store, claim(tree, drop(tree, "m.md", SEED.read_bytes())), fake_extract(seed_record))
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


def test_refused_special_file_goes_to_failed(tree, store):
    link = tree.inbox / "link.pdf"
    link.symlink_to(SEED)
    out = save_failure(tree, store, link, None, Refused(link.name, "symbolic links are refused"))
    assert out.path == tree.failed / "link.pdf" and out.path.is_symlink()  # moved, never followed
    assert json.loads((tree.failed / "link.pdf.error.json").read_text())["error_class"] == "Refused"
    assert SEED.exists()


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
    dup = ingest_claimed(
        tree,
        store,
        claim(tree, drop(tree, "again.md", SEED.read_bytes())),
        lambda p: pytest.fail("a duplicate must not be extracted"),
    )
    assert dup.status == "duplicate"


def test_a_claimed_letter_keeps_the_name_it_arrived_under(tree, store):
    """Regression: a claim reads the letter as processing/<stem>.<token><ext>; the record,
    out/ and the store must still name the file as it arrived."""
    c = claim(tree, drop(tree, "công văn 12.md", SEED.read_bytes()))
    assert c.path.name != "công văn 12.md"  # (the claim's own name in processing/)
    assert ingest_claimed(tree, store, c).status == "done"
    record = json.loads((tree.out / "công văn 12.json").read_text(encoding="utf-8"))
    assert record["source"]["file"] == "công văn 12.md"
    assert [d["file"] for d in store.documents()] == ["công văn 12.md"]
