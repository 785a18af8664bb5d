"""What monitoring asks of an ingestion tree (``vanthu status``): when it was last swept,
what waits in the inbox, the claims in processing/ and the age of their leases, and the
failures of the last day. Plain files and the store; no Prefect.

Every sweep (``watch``'s loop, and the ``ingest_folder`` flow of ``serve`` and of workers)
writes ``ROOT/.vanthu-sweep.json``: the time, host, process and counts of its last turn.
"""

from __future__ import annotations

import json
import os
import socket
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from vanthu.flows.claims import claim_ages
from vanthu.flows.inbox import Layout, is_ignored, now_iso, write_atomic

SWEEP_FILE = ".vanthu-sweep.json"
#: ``vanthu status`` fails when the last sweep is older than this (seconds): ten times the
#: longest pause of an idle watcher (its rescan, at most 30 s).
DEFAULT_MAX_AGE = 300.0
#: Failures counted by ``vanthu status``: those of the last day.
FAILURE_WINDOW = timedelta(days=1)


def write_heartbeat(layout: Layout, counts: dict[str, int] | None = None, error: str | None = None) -> None:
    """Note that a sweep (or a turn of the watcher) happened now (best effort: a full disk
    must not stop ingestion)."""
    data = {
        "time": now_iso(),
        "epoch": time.time(),
        "host": socket.gethostname(),
        "pid": os.getpid(),
        "counts": counts,
        "error": error,
    }
    try:
        write_atomic(layout.root / SWEEP_FILE, json.dumps(data, ensure_ascii=False) + "\n", durable=False)
    except OSError:
        pass


def last_sweep(layout: Layout, now: float | None = None) -> dict[str, Any] | None:
    """The last heartbeat with its age in seconds, or None if no sweep ever ran here."""
    try:
        data = json.loads((layout.root / SWEEP_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict):
        return None
    now = time.time() if now is None else now
    data["age_s"] = round(now - float(data.get("epoch") or 0), 1)
    return data


def inbox_backlog(layout: Layout, now: float | None = None) -> dict[str, Any]:
    """Letters waiting in inbox/ (hidden and partial files not counted) and the oldest's age."""
    now = time.time() if now is None else now
    ages = []
    try:
        entries = list(os.scandir(layout.inbox))
    except FileNotFoundError:
        entries = []
    for entry in entries:
        if is_ignored(entry.name) or not entry.is_file(follow_symlinks=False):
            continue
        try:
            ages.append(now - entry.stat(follow_symlinks=False).st_mtime)
        except OSError:
            continue
    return {"files": len(ages), "oldest_s": round(max(ages), 1) if ages else None}


def recent_failures(runs: list[dict[str, Any]], now: datetime | None = None) -> list[dict[str, Any]]:
    """The failed runs of the last day (file, time, reason), newest first."""
    since = ((now or datetime.now(UTC)) - FAILURE_WINDOW).isoformat(timespec="seconds")
    rows = [r for r in runs if r.get("outcome") == "failed" and (r.get("finished") or "") >= since]
    rows.sort(key=lambda r: r.get("finished") or "", reverse=True)
    return [{"file": r["file"], "finished": r["finished"], "message": r.get("message")} for r in rows]


def tree_status(layout: Layout, runs: list[dict[str, Any]], max_age: float = DEFAULT_MAX_AGE) -> dict[str, Any]:
    """Everything ``vanthu status`` reports; ``healthy`` is false when no sweep ran within
    ``max_age`` seconds."""
    now = time.time()
    sweep = last_sweep(layout, now)
    failures = recent_failures(runs)
    return {
        "root": str(layout.root),
        "checked": now_iso(),
        "max_age_s": max_age,
        "healthy": sweep is not None and sweep["age_s"] <= max_age,
        "last_sweep": sweep,
        "inbox": inbox_backlog(layout, now),
        "processing": claim_ages(layout, now),
        "failed_last_day": len(failures),
        "failures": failures,
        "failed_folder": _count(layout.failed),
    }


def _count(folder: Path) -> int:
    try:
        return sum(1 for e in os.scandir(folder) if not e.name.startswith(".") and not e.name.endswith(".error.json"))
    except FileNotFoundError:
        return 0
