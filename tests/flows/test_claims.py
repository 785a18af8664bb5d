"""Claims, without Prefect (vanthu.flows.claims): exclusive, held as leases renewed while
their worker lives, expired ones put back, and a letter finished by exactly one worker."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.flows.conftest import drop, fake_extract
from vanthu.flows.claims import LeaseLost, claim, claim_ages, claim_marker, ensure_held, recover, renew
from vanthu.flows.inbox import Layout
from vanthu.flows.steps import ingest_claimed


def _claim_all(args):
    root, names = args
    tree = Layout.under(root)
    got = []
    for name in names:
        c = claim(tree, tree.inbox / name)
        if c is not None:
            got.append((name, c.path.name, json.loads(c.marker.read_text())["pid"] == os.getpid()))
    return got


def _age(marker: Path, seconds: float) -> None:
    """As if the marker had not been renewed for ``seconds``."""
    t = time.time() - seconds
    os.utime(marker, (t, t))


def _held(tree: Layout) -> list[str]:
    return sorted(p.name for p in tree.processing.iterdir() if not p.name.startswith("."))


def test_claim_is_exclusive(tree):
    p = drop(tree, "a.pdf", b"x")
    c = claim(tree, p)
    assert c is not None and c.path.parent == tree.processing and c.name == "a.pdf" and not p.exists()
    assert c.path.name == f"a.{c.token}.pdf"  # a name of its own, never used again
    info = json.loads(c.marker.read_text())
    assert info["pid"] == os.getpid() and info["token"] == c.token and info["lease"] == 60.0
    assert claim(tree, p) is None  # already taken
    # a second letter of the same name does not replace the first in processing/
    p2 = drop(tree, "a.pdf", b"y")
    c2 = claim(tree, p2)
    assert c2.path != c.path and c2.name == "a.pdf"
    assert c.path.read_bytes() == b"x" and c2.path.read_bytes() == b"y"


def test_two_workers_claim_each_file_once(tree):
    from concurrent.futures import ProcessPoolExecutor

    names = [f"f{i:03d}.pdf" for i in range(200)]
    for n in names:
        drop(tree, n, n.encode())
    with ProcessPoolExecutor(2) as pool:
        a, b = pool.map(_claim_all, [(tree.root, names), (tree.root, names[::-1])])
    assert sorted(n for n, _, _ in a + b) == names  # each file claimed by exactly one worker
    assert all(own for _, _, own in a + b)  # and the marker beside it is its own
    held = _held(tree)
    assert held == sorted(p for _, p, _ in a + b) and len(held) == 200
    markers = sorted(p.name for p in tree.processing.iterdir() if p.name.startswith("."))
    assert markers == sorted(f".{p}.claim" for p in held)
    for name, held_as, _ in a + b:
        assert (tree.processing / held_as).read_bytes() == name.encode()  # nothing overwritten


def _marker(tree: Layout, name: str, **info) -> Path:
    c = claim(tree, drop(tree, name, name.encode()))
    claim_marker(c.path).write_text(json.dumps({"name": name, "time": time.time(), **info}))
    return c.path


def test_recover_requeues_abandoned_claims_only(tree):
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    here = socket.gethostname()
    _marker(tree, "own.pdf", host=here, pid=os.getpid(), token="not-held")  # ours, not held: a leftover
    _marker(tree, "gone.pdf", host=here, pid=dead.pid, token="t", lease=60)  # a dead process here
    _marker(tree, "live.pdf", host=here, pid=os.getppid(), token="t", lease=60)  # a live one
    _marker(tree, "far.pdf", host="elsewhere", pid=1, token="t", lease=60)  # renewed just now
    expired = _marker(tree, "expired.pdf", host="elsewhere", pid=1, token="t", lease=60)
    _age(claim_marker(expired), 61)  # not renewed for longer than its lease
    short = _marker(tree, "short.pdf", host="elsewhere", pid=1, token="t", lease=5)
    _age(claim_marker(short), 6)  # the marker's own lease counts, not the recoverer's
    old = _marker(tree, "old.pdf", host="elsewhere", pid=1)  # an older vanthu's marker: the given lease
    _age(claim_marker(old), 100)
    (tree.processing / "nomarker.pdf").write_bytes(b"6")
    held = claim(tree, drop(tree, "held.pdf", b"7"))  # this process's live claim
    back = recover(tree, lease=90)
    assert sorted(p.name for p in back) == [
        "expired.pdf",
        "gone.pdf",
        "nomarker.pdf",
        "old.pdf",
        "own.pdf",
        "short.pdf",
    ]
    assert [p.read_bytes() for p in sorted(back)] == [
        b"expired.pdf",
        b"gone.pdf",
        b"6",
        b"old.pdf",
        b"own.pdf",
        b"short.pdf",
    ]
    left = {json.loads(claim_marker(tree.processing / n).read_text())["name"] for n in _held(tree)}
    assert left == {"far.pdf", "live.pdf", "held.pdf"}
    assert held.path.exists()


def test_the_heartbeat_renews_a_lease_while_its_worker_lives(tree):
    c = claim(tree, drop(tree, "long.pdf", b"x"), lease=0.4)  # renewed every 0.1 s
    _age(c.marker, 0.3)
    time.sleep(0.6)  # longer than the lease: only renewals keep it
    assert time.time() - c.marker.stat().st_mtime < 0.3
    assert recover(tree, lease=0.4) == [] and c.path.exists()
    rows = claim_ages(tree)
    assert [(r["name"], r["expired"], r["lease_s"]) for r in rows] == [("long.pdf", False, 0.4)]


_CLAIMER = """
import sys, time
from pathlib import Path
from vanthu.flows.claims import claim
from vanthu.flows.inbox import Layout
tree = Layout.under(sys.argv[1])
c = claim(tree, tree.inbox / "letter.pdf", lease=float(sys.argv[2]))
print(c.path, flush=True)
time.sleep(600)
"""


def test_a_killed_workers_claim_expires_and_another_worker_finishes_the_letter(tree, store, seed_record):
    """Two claimers on one inbox, as on two machines (the killed one's host is made
    another, so its pid cannot be checked): the first is SIGKILLed holding the letter;
    within its lease nothing moves, after it the letter is back and the second finishes
    it, once."""
    drop(tree, "letter.pdf", b"the letter")
    lease = 1.0
    first = subprocess.Popen(
        [sys.executable, "-c", _CLAIMER, str(tree.root), str(lease)], stdout=subprocess.PIPE, text=True
    )
    held = Path(first.stdout.readline().strip())
    marker = claim_marker(held)
    info = json.loads(marker.read_text())
    marker.write_text(json.dumps({**info, "host": "another-machine"}))
    time.sleep(lease)  # the live worker keeps renewing it
    assert recover(tree, lease) == [] and held.exists()
    first.send_signal(signal.SIGKILL)
    first.wait()
    assert recover(tree, lease) == []  # a fresh lease: not yet
    time.sleep(lease * 1.5)
    assert [p.name for p in recover(tree, lease)] == ["letter.pdf"]
    second = claim(tree, tree.inbox / "letter.pdf", lease)
    outcome = ingest_claimed(tree, store, second, extract=fake_extract(seed_record))
    assert outcome.status == "done" and _held(tree) == []
    assert [p.name for p in tree.done.iterdir()] == ["letter.pdf"]
    assert len(store.documents()) == 1 and [r["outcome"] for r in store.runs()] == ["done"]


def test_a_worker_whose_lease_was_taken_over_leaves_the_letter_alone(tree, store, seed_record):
    """The first worker stalls past its lease (frozen, cut off); the letter goes back, a
    second worker claims and finishes it; when the first comes back it writes nothing:
    one record, one document, one run, one file in done/."""
    drop(tree, "letter.pdf", b"the letter")
    first = claim(tree, tree.inbox / "letter.pdf", lease=60)
    _age(first.marker, 61)
    # (a frozen worker renews nothing; here the heartbeat of this process must not either)
    from vanthu.flows.claims import HEARTBEAT

    HEARTBEAT.drop(first.marker, first.token)
    assert [p.name for p in recover(tree, 60)] == ["letter.pdf"]
    second = claim(tree, tree.inbox / "letter.pdf", 60)
    assert second.path != first.path
    extract = fake_extract(seed_record)
    record = extract(second.path)
    with pytest.raises(LeaseLost):
        ensure_held(first)
    assert not renew(first.marker, first.token)
    late = ingest_claimed(tree, store, first, extract=lambda p: record)  # the first comes back
    assert late.status == "retaken"
    assert store.documents() == [] and list(tree.out.iterdir()) == []
    done = ingest_claimed(tree, store, second, extract=lambda p: record)
    assert done.status == "done"
    assert [p.name for p in tree.done.iterdir()] == ["letter.pdf"] and _held(tree) == []
    assert len(store.documents()) == 1 and [r["outcome"] for r in store.runs()] == ["done"]
    assert len(list(tree.out.iterdir())) == 1
