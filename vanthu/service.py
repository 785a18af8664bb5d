"""Commands for running vanthu as a service: `vanthu deploy` (the ingestion as a Prefect
deployment on a work pool) and `vanthu status` (the health of an ingestion tree, for
monitoring)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from vanthu.pipeline.errors import ExitCode
from vanthu.pipeline.i18n import _

if TYPE_CHECKING:  # pragma: no cover
    pass

# ------------------------------------------------------------------------------- deploy


def cmd_deploy(root: Path, *, pool: str, name: str, store: str | None, **options) -> int:
    """Register the ``ingest_folder`` deployment on a process work pool and say how to run it
    (``options``: folders, settle, lease, interval, cron of :func:`deploy_ingest`)."""
    from vanthu.flows.deploy import deploy_ingest

    done = deploy_ingest(root, pool=pool, name=name, store=store, **options)
    pool_text = "created, type process" if done.pool_created else "existing"
    print(f"deployment {done.full_name} ({done.deployment_id}) on work pool {done.pool!r} ({pool_text})")
    print(f"  sweeps {done.parameters['folders']['inbox']} {done.schedule}; tasks in {done.store_url}")
    if done.store_url.startswith("sqlite:"):
        print("  note: the store is SQLite in ROOT: with workers on several machines use --store postgresql://…")
    print(f"  run it: `prefect worker start --pool {done.pool}` on each machine (vanthu installed, ROOT mounted)")
    return int(ExitCode.OK)


# ------------------------------------------------------------------------------- status


def cmd_status(
    root: Path,
    *,
    store: str | None = None,
    fmt: str = "table",
    max_age: float = 300.0,
    folders: dict[str, str] | None = None,
) -> int:
    """The health of an ingestion tree (``vanthu.flows.health``): exit 0 when a sweep ran
    within ``max_age`` seconds, 1 when not (or never)."""
    from vanthu.flows.health import FAILURE_WINDOW, tree_status
    from vanthu.flows.inbox import Layout
    from vanthu.flows.store import default_url, open_store
    from vanthu.pipeline.errors import InputNotFound

    if not root.is_dir():
        raise InputNotFound(root, _("no such folder"), hint=_("give the ROOT that `vanthu watch ROOT` ingests"))
    layout = Layout.under(root, **(folders or {}))
    runs: list[dict] = []
    if store is not None or (layout.root / "vanthu.db").exists():
        from datetime import UTC, datetime

        since = (datetime.now(UTC) - FAILURE_WINDOW).isoformat(timespec="seconds")
        with open_store(store or default_url(layout.root)) as db:
            runs = db.runs_since(since)
    status = tree_status(layout, runs, max_age)
    if fmt == "json":
        sys.stdout.write(json.dumps(status, ensure_ascii=False, indent=2) + "\n")
    else:
        sys.stdout.write(format_status(status))
    return int(ExitCode.OK if status["healthy"] else ExitCode.SOME_FAILED)


def _ago(seconds: float | None) -> str:
    if seconds is None:
        return "?"
    if seconds < 120:
        return f"{seconds:.0f} s"
    return f"{seconds / 60:.0f} min" if seconds < 7200 else f"{seconds / 3600:.1f} h"


def format_status(status: dict) -> str:
    sweep = status["last_sweep"]
    health = "OK" if status["healthy"] else f"STALE (no sweep within {status['max_age_s']:g} s)"
    lines = [f"{status['root']}: {health}"]
    if sweep is None:
        lines.append("last sweep:   never")
    else:
        counts = sweep.get("counts") or {}
        shown = ", ".join(f"{k} {v}" for k, v in counts.items() if k in ("done", "failed", "duplicate", "retaken"))
        lines.append(
            f"last sweep:   {sweep.get('time')} ({_ago(sweep['age_s'])} ago)"
            + f" on {sweep.get('host')} pid {sweep.get('pid')}"
            + (f": {shown}" if shown else "")
            + (f"; error: {sweep['error']}" if sweep.get("error") else "")
        )
    inbox = status["inbox"]
    oldest = f", oldest {_ago(inbox['oldest_s'])}" if inbox["oldest_s"] is not None else ""
    lines.append(f"inbox:        {inbox['files']} file(s) waiting{oldest}")
    claims = status["processing"]
    lines.append(f"processing:   {len(claims)} claim(s)")
    for c in claims:
        state = "EXPIRED" if c["expired"] else "held"
        lines.append(
            f"  {c['name']}  {state}, claimed {_ago(c['claimed_s'])} ago by {c['host']} pid {c['pid']}, "
            f"renewed {_ago(c['renewed_s'])} ago (lease {c['lease_s']:g} s)"
        )
    lines.append(f"failed:       {status['failed_last_day']} in the last day ({status['failed_folder']} in failed/)")
    for f in status["failures"][:10]:
        lines.append(f"  {f['finished']}  {f['message'] or f['file']}")
    return "\n".join(lines) + "\n"
