"""What ``vanthu status`` reads (vanthu.flows.health): the last sweep's heartbeat, the
inbox backlog, the claims in processing/ with their lease ages, the last day's failures."""

from __future__ import annotations

import json
import os
import time
from datetime import UTC, datetime, timedelta

import pytest

from tests.flows.conftest import drop
from vanthu.flows.claims import HEARTBEAT, claim
from vanthu.flows.health import SWEEP_FILE, last_sweep, recent_failures, tree_status, write_heartbeat


def test_no_sweep_yet_is_unhealthy(tree):
    status = tree_status(tree, [])
    assert status["healthy"] is False and status["last_sweep"] is None
    assert status["inbox"] == {"files": 0, "oldest_s": None} and status["processing"] == []


@pytest.mark.parametrize(("age", "max_age", "healthy"), [(0, 300, True), (299, 300, True), (301, 300, False)])
def test_healthy_while_the_last_sweep_is_recent(tree, age, max_age, healthy):
    write_heartbeat(tree, {"done": 2, "failed": 1})
    path = tree.root / SWEEP_FILE
    data = json.loads(path.read_text())
    data["epoch"] -= age
    path.write_text(json.dumps(data))
    status = tree_status(tree, [], max_age)
    assert status["healthy"] is healthy
    assert status["last_sweep"]["counts"] == {"done": 2, "failed": 1}
    assert status["last_sweep"]["pid"] == os.getpid() and abs(status["last_sweep"]["age_s"] - age) < 5


def test_backlog_claims_and_failures(tree):
    drop(tree, "waiting.pdf", b"1")  # an hour old
    (tree.inbox / "copying.pdf.part").write_bytes(b"2")  # not a letter yet
    (tree.inbox / ".hidden.pdf").write_bytes(b"3")
    held = claim(tree, drop(tree, "held.pdf", b"4"), lease=60)
    HEARTBEAT.drop(held.marker, held.token)
    t = time.time() - 90
    os.utime(held.marker, (t, t))  # not renewed for 90 s: expired
    now = datetime.now(UTC)
    runs = [
        {"file": "old.pdf", "outcome": "failed", "finished": (now - timedelta(days=2)).isoformat(timespec="seconds")},
        {"file": "a.pdf", "outcome": "failed", "finished": (now - timedelta(hours=1)).isoformat(), "message": "a: x"},
        {"file": "b.pdf", "outcome": "done", "finished": now.isoformat(timespec="seconds")},
        {"file": "c.pdf", "outcome": "failed", "finished": now.isoformat(timespec="seconds"), "message": "c: y"},
    ]
    write_heartbeat(tree)
    status = tree_status(tree, runs)
    assert status["inbox"]["files"] == 1 and status["inbox"]["oldest_s"] >= 3500
    [c] = status["processing"]
    assert (c["name"], c["expired"], c["lease_s"], c["pid"]) == ("held.pdf", True, 60.0, os.getpid())
    assert c["renewed_s"] >= 89
    assert status["failed_last_day"] == 2 and [f["file"] for f in status["failures"]] == ["c.pdf", "a.pdf"]
    assert status["failures"][0]["message"] == "c: y"


def test_recent_failures_window():
    now = datetime(2024, 9, 2, 12, tzinfo=UTC)
    runs = [
        {"file": "in", "outcome": "failed", "finished": "2024-09-01T12:00:01+00:00"},
        {"file": "out", "outcome": "failed", "finished": "2024-09-01T11:59:59+00:00"},
    ]
    assert [r["file"] for r in recent_failures(runs, now)] == ["in"]


def test_an_unreadable_heartbeat_is_no_sweep(tree):
    (tree.root / SWEEP_FILE).write_text("{not json")
    assert last_sweep(tree) is None
