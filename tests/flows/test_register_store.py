"""The register in the store (vanthu.flows.register_store): arrival numbers given when a
letter is first stored (consecutive in the year, kept on re-ingestion, never a gap or a
duplicate with two processes, SQLite and PostgreSQL), and the same letter with other
bytes stored again with ``duplicate_of``."""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import unicodedata
from datetime import date

import pytest

from tests.flows.conftest import SEED, drop, fake_extract
from vanthu.flows.claims import claim
from vanthu.flows.register_store import identity
from vanthu.flows.steps import ingest_claimed
from vanthu.flows.store import open_store

DAY = date(2025, 11, 5)


def letter(seed_record, i: int, **fields):
    """The seed letter as letter ``i`` (its own bytes' hash), with ``fields`` changed."""
    sha = hashlib.sha256(f"letter {i}".encode()).hexdigest()
    data = json.loads(seed_record.to_json())
    data.update(id=f"sha256:{sha}", **fields)
    data["source"].update(sha256=sha, file=f"letter-{i}.md")
    for t in data["tasks"]:
        t["task_id"] = f"task:{sha[:16]}:{t['task_id']}"
    return type(seed_record).model_validate(data)


def arrivals(store) -> list[tuple[int, int, str]]:
    return [(r["arrival_year"], r["arrival_number"], r["file"]) for r in store.register()]


def test_letters_are_numbered_in_the_order_stored_and_keep_their_number(store, seed_record):
    for i in range(3):
        store.save_document(letter(seed_record, i), file=f"letter-{i}.md", out_path="x.json", received=DAY)
    store.save_document(letter(seed_record, 0), file="letter-0.md", out_path="x.json", received=date(2025, 12, 1))
    assert arrivals(store) == [(2025, 1, "letter-0.md"), (2025, 2, "letter-1.md"), (2025, 3, "letter-2.md")]
    assert {r["arrival_date"] for r in store.register(2025)} == {"2025-11-05"}  # re-ingested: the first day kept
    # a new year starts again at 1
    store.save_document(letter(seed_record, 3), file="letter-3.md", out_path="x.json", received=date(2026, 1, 2))
    assert arrivals(store)[-1] == (2026, 1, "letter-3.md")
    assert store.arrival_years() == [2025, 2026]
    assert [r["arrival_number"] for r in store.register(2026)] == [1]


def test_a_letter_stored_today_has_todays_local_date(store, seed_record):
    from vanthu.flows.register_store import today

    store.save_document(letter(seed_record, 0), file="a.md", out_path="x.json")
    (row,) = store.register()
    assert (row["arrival_year"], row["arrival_number"], row["arrival_date"]) == (today().year, 1, today().isoformat())


def test_a_failed_store_gives_its_number_back(store, seed_record, monkeypatch):
    """Regression: the counter is raised in the letter's transaction, so a failure leaves no gap."""
    real = type(store)._arrival

    def fail_after(self, cur, sha, day):
        real(self, cur, sha, day)
        raise OSError("disk gone")

    monkeypatch.setattr(type(store), "_arrival", fail_after)
    with pytest.raises(OSError):
        store.save_document(letter(seed_record, 0), file="lost.md", out_path="x.json", received=DAY)
    monkeypatch.setattr(type(store), "_arrival", real)
    store.save_document(letter(seed_record, 1), file="kept.md", out_path="x.json", received=DAY)
    assert arrivals(store) == [(2025, 1, "kept.md")]


NFD = unicodedata.normalize("NFD", "ỦY BAN NHÂN DÂN TỈNH LẠNG SƠN")


@pytest.mark.parametrize(
    ("changes", "same"),
    [
        ({}, True),
        ({"issuer": "Ủy ban nhân dân  tỉnh Lạng Sơn"}, True),  # case and spaces
        ({"issuer": NFD}, True),  # decomposed accents
        ({"issuer": "UỶ BAN NHÂN DÂN TỈNH LẠNG SƠN"}, True),  # the other tone placement
        ({"number_symbol": "12/ubnd-vp"}, True),
        ({"number_symbol": "13/UBND-VP", "number": "13"}, False),  # another number
        ({"date": "2024-08-16"}, False),
        ({"issuer": "SỞ NỘI VỤ TỈNH LẠNG SƠN"}, False),
        ({"number": None, "number_symbol": "/UBND-VP"}, False),  # not numbered: nothing to match on
    ],
    ids=["same", "case-spaces", "nfd", "tone-placement", "symbol-case", "number", "date", "issuer", "unnumbered"],
)
def test_the_same_letter_with_other_bytes_is_found(store, seed_record, changes, same):
    base = {"issuer": "ỦY BAN NHÂN DÂN TỈNH LẠNG SƠN", "number": "12", "number_symbol": "12/UBND-VP"}
    base["date"] = "2024-08-15"
    first = letter(seed_record, 0, **base)
    if changes.get("number", "12") is None:  # two unnumbered letters are never the same
        first = letter(seed_record, 0, **{**base, "number": None, "number_symbol": "/UBND-VP"})
    store.save_document(first, file="first.pdf", out_path="x.json", received=DAY)
    again = letter(seed_record, 1, **{**base, **changes})
    found = store.same_letter(again)
    if not same:
        assert found is None
        return
    assert found is not None
    assert (found.id, found.file, found.arrival_year, found.arrival_number) == (first.id, "first.pdf", 2025, 1)
    assert found.number_symbol == "12/UBND-VP"


def test_a_letter_is_never_the_copy_of_a_later_one(store, seed_record):
    same = {"issuer": "SỞ NỘI VỤ", "number": "7", "number_symbol": "7/SNV-VP", "date": "2025-01-02"}
    a, b = letter(seed_record, 0, **same), letter(seed_record, 1, **same)
    store.save_document(a, file="a.pdf", out_path="x.json", received=DAY)
    store.save_document(b, file="b.pdf", out_path="x.json", received=DAY)
    assert store.same_letter(a) is None  # a again (re-ingested): it came first
    assert store.same_letter(b).arrival_number == 1
    assert identity(None, "7/SNV-VP", "2025-01-02") is None


def test_a_rescan_is_stored_with_its_own_number_and_names_the_first(tree, store, seed_record):
    """Other bytes, same letter: extracted, stored, numbered, and its record says whose copy it is;
    the same bytes again still go to duplicates/."""
    numbered = json.loads(seed_record.to_json())
    numbered.update(number="12", number_symbol="12/UBND-NV")
    extract = fake_extract(type(seed_record).model_validate(numbered))
    data = SEED.read_bytes()
    first = ingest_claimed(tree, store, claim(tree, drop(tree, "cv.md", data)), extract)
    scan = ingest_claimed(tree, store, claim(tree, drop(tree, "cv-scan.md", data + b"\n")), extract)
    copy = ingest_claimed(tree, store, claim(tree, drop(tree, "copy.md", data + b"\n")), extract)
    assert (first.status, scan.status, copy.status) == ("done", "done", "duplicate")
    assert "duplicate_of" not in json.loads(first.out_path.read_text(encoding="utf-8"))
    dup = json.loads(scan.out_path.read_text(encoding="utf-8"))["duplicate_of"]
    assert dup == {
        "id": f"sha256:{first.sha256}",
        "file": "cv.md",
        "number_symbol": "12/UBND-NV",
        "arrival_year": dup["arrival_year"],
        "arrival_number": 1,
    }
    assert [(r["file"], r["arrival_number"]) for r in store.register()] == [("cv.md", 1), ("cv-scan.md", 2)]
    assert store.record(scan.sha256)["duplicate_of"]["arrival_number"] == 1


# ------------------------------------------------------------------ two processes at once


def _ingest_all(root: str, url: str, seed_json: str, barrier) -> None:
    """One worker: claims what it can of the inbox and ingests it (a fake extractor)."""
    from vanthu.flows.inbox import Layout
    from vanthu.models.record import DispatchRecord

    layout = Layout.under(root)
    extract = fake_extract(DispatchRecord.model_validate_json(seed_json))
    with open_store(url) as store:
        barrier.wait()
        for path in sorted(layout.inbox.iterdir()):
            claimed = claim(layout, path)
            if claimed is not None:  # (None: the other worker has it)
                ingest_claimed(layout, store, claimed, extract)


def store_concurrently(tree, url: str, seed_record, n: int) -> list[dict]:
    """Two worker processes ingest ``n`` letters dropped in one inbox into ``url`` at once."""
    open_store(url).close()  # the schema made once, before they start
    for i in range(n):
        drop(tree, f"letter-{i:03d}.md", SEED.read_bytes() + f"\n{i}\n".encode())
    ctx = multiprocessing.get_context("spawn")
    barrier = ctx.Barrier(2)
    args = (str(tree.root), url, seed_record.to_json(), barrier)
    procs = [ctx.Process(target=_ingest_all, args=args) for _ in range(2)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(600)
        assert p.exitcode == 0
    assert len(list(tree.done.iterdir())) == n and not list(tree.failed.iterdir())
    with open_store(url) as store:
        return store.register()


N = 40


def test_two_processes_never_share_or_skip_a_number_sqlite(tree, seed_record):
    rows = store_concurrently(tree, f"sqlite:///{tree.root / 'vanthu.db'}", seed_record, N)
    assert [r["arrival_number"] for r in rows] == list(range(1, N + 1))
    assert len({r["sha256"] for r in rows}) == N
    assert len({r["arrival_year"] for r in rows}) == 1


def test_two_processes_never_share_or_skip_a_number_postgres(tree, pg_url, seed_record):
    pytest.importorskip("psycopg")
    import psycopg

    with psycopg.connect(pg_url) as conn, conn.cursor() as cur:
        for table in ("runs", "tasks", "documents", "meta", "arrival_counter"):
            cur.execute(f"DROP TABLE IF EXISTS {table}")
    rows = store_concurrently(tree, pg_url, seed_record, N)
    assert [r["arrival_number"] for r in rows] == list(range(1, N + 1))
    assert len({r["sha256"] for r in rows}) == N
    assert len({r["arrival_year"] for r in rows}) == 1
