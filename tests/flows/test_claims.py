"""Claims, without Prefect (vanthu.flows.claims): exclusive, and abandoned ones put back."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time

from tests.flows.conftest import drop
from vanthu.flows.claims import claim, claim_marker, recover
from vanthu.flows.inbox import Layout


def _claim_all(args):
    root, names = args
    tree = Layout.under(root)
    got = []
    for name in names:
        c = claim(tree, tree.inbox / name)
        if c is not None:
            got.append((name, c.path.name, json.loads(c.marker.read_text())["pid"] == os.getpid()))
    return got


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


def test_recover_requeues_abandoned_claims_only(tree):
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    mine = claim(tree, drop(tree, "own.pdf", b"1"))  # this process, left over: re-queued
    gone = claim(tree, drop(tree, "gone.pdf", b"2"))
    claim_marker(gone.path).write_text(
        json.dumps({"name": "gone.pdf", "host": socket.gethostname(), "pid": dead.pid, "time": time.time()})
    )
    live = claim(tree, drop(tree, "live.pdf", b"3"))
    claim_marker(live.path).write_text(
        json.dumps({"name": "live.pdf", "host": socket.gethostname(), "pid": os.getppid(), "time": time.time()})
    )
    far = claim(tree, drop(tree, "far.pdf", b"4"))
    claim_marker(far.path).write_text(
        json.dumps({"name": "far.pdf", "host": "elsewhere", "pid": 1, "time": time.time()})
    )
    stale = claim(tree, drop(tree, "stale.pdf", b"5"))
    claim_marker(stale.path).write_text(
        json.dumps({"name": "stale.pdf", "host": "elsewhere", "pid": 1, "time": time.time() - 7200})
    )
    (tree.processing / "nomarker.pdf").write_bytes(b"6")
    back = recover(tree)
    assert sorted(p.name for p in back) == ["gone.pdf", "nomarker.pdf", "own.pdf", "stale.pdf"]
    assert sorted(p.name for p in tree.processing.iterdir() if not p.name.startswith(".")) == ["far.pdf", "live.pdf"]
    assert sorted(p.name for p in tree.processing.iterdir() if p.name.startswith(".")) == [
        ".far.pdf.claim",
        ".live.pdf.claim",
    ]
    assert mine.path.name == "own.pdf"
