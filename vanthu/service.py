"""Commands for running vanthu as a service: `vanthu deploy` (the ingestion as a Prefect
deployment on a work pool) and `vanthu status` (the health of an ingestion tree, for
monitoring)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from vanthu.pipeline.errors import ExitCode
from vanthu.pipeline.i18n import N_, _, ngettext

if TYPE_CHECKING:  # pragma: no cover
    pass

#: The counts of a sweep, as shown (translated where shown).
SWEEP_COUNTS = (N_("done"), N_("failed"), N_("duplicate"), N_("retaken"))
#: The labels of ``vanthu status`` (translated where shown).
STATUS_LABELS = (N_("last sweep"), N_("inbox"), N_("processing"), N_("failed"))
#: The width of the labels of ``vanthu status`` (its values start in one column).
STATUS_LABEL_WIDTH = 14

# ------------------------------------------------------------------------------- deploy


def cmd_deploy(root: Path, *, pool: str, name: str, store: str | None, **options) -> int:
    """Register the ``ingest_folder`` deployment on a process work pool and say how to run it
    (``options``: folders, settle, lease, interval, cron of :func:`deploy_ingest`)."""
    from vanthu.flows.deploy import deploy_ingest

    done = deploy_ingest(root, pool=pool, name=name, store=store, **options)
    pool_text = _("created, type process") if done.pool_created else _("existing")
    print(
        _("deployment {name} ({id}) on work pool {pool!r} ({how})").format(
            name=done.full_name, id=done.deployment_id, pool=done.pool, how=pool_text
        )
    )
    print(
        "  "
        + _("sweeps {inbox} {schedule}; tasks in {store}").format(
            inbox=done.parameters["folders"]["inbox"], schedule=done.schedule, store=done.store_url
        )
    )
    if done.store_url.startswith("sqlite:"):
        print(
            "  " + _("note: the store is SQLite in ROOT: with workers on several machines use --store postgresql://…")
        )
    print(
        "  "
        + _("run it: `prefect worker start --pool {pool}` on each machine (vanthu installed, ROOT mounted)").format(
            pool=done.pool
        )
    )
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


def _label(text: str) -> str:
    """A translated label, the values of every label starting in one column."""
    width = max(STATUS_LABEL_WIDTH, *(len(_(label)) + 2 for label in STATUS_LABELS))
    return (_(text) + ":").ljust(width)


def _sweep_line(sweep: dict | None) -> str:
    if sweep is None:
        return _label(N_("last sweep")) + _("never")
    counts = sweep.get("counts") or {}
    shown = ", ".join(f"{_(k)} {v}" for k, v in counts.items() if k in SWEEP_COUNTS)
    line = _("{time} ({ago} ago) on {host} pid {pid}").format(
        time=sweep.get("time"), ago=_ago(sweep["age_s"]), host=sweep.get("host"), pid=sweep.get("pid")
    )
    line += f": {shown}" if shown else ""
    line += _("; error: {error}").format(error=sweep["error"]) if sweep.get("error") else ""
    return _label(N_("last sweep")) + line


def format_status(status: dict) -> str:
    health = (
        _("OK") if status["healthy"] else _("STALE (no sweep within {seconds:g} s)").format(seconds=status["max_age_s"])
    )
    lines = [f"{status['root']}: {health}", _sweep_line(status["last_sweep"])]
    inbox = status["inbox"]
    oldest = _(", oldest {ago}").format(ago=_ago(inbox["oldest_s"])) if inbox["oldest_s"] is not None else ""
    waiting = ngettext("{n} file waiting", "{n} files waiting", inbox["files"]).format(n=inbox["files"])
    lines.append(_label(N_("inbox")) + waiting + oldest)
    claims = status["processing"]
    lines.append(_label(N_("processing")) + ngettext("{n} claim", "{n} claims", len(claims)).format(n=len(claims)))
    for c in claims:
        state = _("EXPIRED") if c["expired"] else _("held")
        lines.append(
            "  "
            + _(
                "{name}  {state}, claimed {claimed} ago by {host} pid {pid}, renewed {renewed} ago (lease {lease:g} s)"
            ).format(
                name=c["name"],
                state=state,
                claimed=_ago(c["claimed_s"]),
                host=c["host"],
                pid=c["pid"],
                renewed=_ago(c["renewed_s"]),
                lease=c["lease_s"],
            )
        )
    failed = _("{n} in the last day ({folder} in failed/)").format(
        n=status["failed_last_day"], folder=status["failed_folder"]
    )
    lines.append(_label(N_("failed")) + failed)
    for f in status["failures"][:10]:
        lines.append(f"  {f['finished']}  {f['message'] or f['file']}")
    return "\n".join(lines) + "\n"
