"""Prefect wiring of ingestion (thin: the steps are plain functions in
``vanthu.flows.inbox``, ``vanthu.flows.claims``, ``vanthu.flows.steps`` and ``vanthu.flows.store``).

* ``ingest_folder`` — one sweep of an inbox: put back abandoned claims, claim the stable
  files, extract each in a task (retried only for transient I/O errors; result persisted
  and cached by the file's hash, so a re-run after a crash does not extract again), write
  out/<stem>.json (and, with ``pdf``, out/<stem>.pdf: the letter as a searchable PDF),
  store the tasks, move the original; publish one markdown artifact per letter.
* ``extract_letter`` — the extraction of one file as a flow, outside any inbox.

Imported only by ``vanthu watch``/``vanthu serve``; ``vanthu extract`` never loads Prefect.
"""

from __future__ import annotations

import hashlib
import re
from functools import lru_cache
from pathlib import Path
from typing import Any

from prefect import flow, get_run_logger, task
from prefect.artifacts import create_markdown_artifact
from prefect.runtime import flow_run as current_flow_run

from vanthu import __version__
from vanthu.flows import state
from vanthu.flows.claims import Claimed, claim, recover
from vanthu.flows.inbox import DEFAULT_STALE_AFTER, Layout, sha256_file
from vanthu.flows.parts import group_pages, ingest_pages
from vanthu.flows.steps import (
    Outcome,
    Refused,
    check_duplicate,
    pdf_path_for,
    process_one,
    save_failure,
    save_success,
    settle_done,
)
from vanthu.flows.store import default_url, open_store
from vanthu.models.record import DispatchRecord
from vanthu.pipeline.errors import VanthuError


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """Hash of the extraction code and its rule files: a changed pipeline never reuses a
    record cached by an older one, even without a version bump."""
    import vanthu.models
    import vanthu.pipeline

    h = hashlib.sha256(__version__.encode())
    for pkg in (vanthu.models, vanthu.pipeline):
        base = Path(pkg.__file__).parent
        files = [f for f in base.rglob("*") if f.suffix in (".py", ".json", ".c") and "__pycache__" not in f.parts]
        for f in sorted(files):
            h.update(f.relative_to(base).as_posix().encode() + b"\0" + f.read_bytes())
    return h.hexdigest()[:16]


def _cache_key(context: Any, parameters: dict[str, Any]) -> str:
    pdf = "-pdf" if parameters.get("pdf") else ""  # a cached record wrote no PDF
    return f"vanthu-{code_fingerprint()}-{parameters['sha256']}-{parameters['name']}{pdf}"


def _transient(task: Any, task_run: Any, state: Any) -> bool:
    """Retry I/O hiccups (a share that went away for a moment), never a bad letter."""
    try:
        exc = state.result(raise_on_failure=False)
    except Exception:  # noqa: BLE001
        return False
    return isinstance(exc, OSError) and not isinstance(exc, VanthuError)


@task(
    name="extract",
    task_run_name="extract {name}",
    retries=2,
    retry_delay_seconds=2,
    retry_condition_fn=_transient,
    cache_key_fn=_cache_key,
    persist_result=True,
    result_serializer="json",
)
def extract_task(path: str, name: str, sha256: str, pdf: str | None = None) -> dict[str, Any]:
    """The record of one letter, as JSON data (persisted; cached by the file's hash); with
    ``pdf``, the letter is also written there as a searchable PDF."""
    if pdf is None:
        return process_one(Path(path)).model_dump(mode="json")
    return process_one(Path(path), pdf=Path(pdf)).model_dump(mode="json")


def _cell(text: Any, limit: int = 160) -> str:
    s = "" if text is None else str(text)
    s = " ".join(s.split())
    if len(s) > limit:
        s = s[: limit - 1] + "…"
    return s.replace("|", "\\|")


def document_markdown(record: DispatchRecord, name: str, out_path: Path | None) -> str:
    """A letter's fields and a table of its tasks, for the Prefect UI."""
    signer = record.signer.name if record.signer else None
    fields = [
        ("File", name),
        ("Type", record.doc_type),
        ("Number and symbol", record.number_symbol),
        ("Issuer", record.issuer),
        ("Place and date", ", ".join(x for x in (record.place, record.date) if x)),
        ("Subject", record.subject),
        ("Urgency", record.urgency),
        ("Confidentiality", record.confidentiality),
        ("Signer", signer),
        ("Recipients", "; ".join(record.recipients)),
        ("References", len(record.references)),
        ("Text source", record.source.text_source),
        ("Result", out_path),
        ("SHA-256", record.source.sha256),
    ]
    lines = [
        f"# {_cell(record.doc_type or 'Letter')} {_cell(record.number_symbol or name)}",
        "",
        "| Field | Value |",
        "|---|---|",
    ]
    lines += [f"| {k} | {_cell(v, 300)} |" for k, v in fields if v not in (None, "")]
    lines += ["", f"## Tasks ({len(record.tasks)})", ""]
    if record.tasks:
        lines += ["| Item | Assignee | Role | Deadline | Action |", "|---|---|---|---|---|"]
        for t in record.tasks:
            lines.append(
                f"| {_cell(t.assignment)} | {_cell(t.assignee)} | {t.role} | "
                f"{_cell(t.deadline or t.deadline_text or '')} | {_cell(t.action)} |"
            )
    else:
        lines.append("No assignments found.")
    if record.warnings:
        lines += ["", "## Warnings", ""] + [f"- {_cell(w, 300)}" for w in record.warnings]
    return "\n".join(lines) + "\n"


def _artifact_key(sha256: str) -> str:
    return f"letter-{sha256[:16]}"


def _publish(record: DispatchRecord, name: str, out_path: Path | None) -> None:
    create_markdown_artifact(
        key=_artifact_key(record.source.sha256),
        markdown=document_markdown(record, name, out_path),
        description=f"{name}: {record.number_symbol or ''} {record.subject or ''}".strip()[:250],
    )


def _rename_run(names: list[str]) -> None:
    """Put the claimed file names into the flow run's name (best effort)."""
    run_id = current_flow_run.id
    if not run_id or not names:
        return
    shown = ", ".join(names[:3]) + (f" … (+{len(names) - 3})" if len(names) > 3 else "")
    try:
        from prefect.client.orchestration import get_client

        with get_client(sync_client=True) as client:
            client.update_flow_run(run_id, name=re.sub(r"\s+", " ", f"ingest {shown}")[:200])
    except Exception:  # noqa: BLE001 - a name is not worth failing a sweep for
        pass


def ingest_claimed_with_prefect(
    layout: Layout, store: Any, claimed: Claimed, logger: Any, run_id: str | None, pdf: bool = False
) -> Outcome:
    sha: str | None = None
    try:
        sha, dup = check_duplicate(layout, store, claimed, flow_run_id=run_id)
        if dup is not None:
            logger.info("%s: duplicate of an ingested letter -> %s", claimed.name, dup.path)
            return dup
        pdf_path = pdf_path_for(layout, claimed, sha) if pdf else None
        if pdf_path is None:
            data = extract_task(str(claimed.path), claimed.name, sha)
        else:
            data = extract_task(str(claimed.path), claimed.name, sha, pdf=str(pdf_path))
        record = DispatchRecord.model_validate(data)
    except Exception as exc:  # noqa: BLE001 - every failure ends in failed/
        outcome = save_failure(layout, store, claimed, sha, exc, flow_run_id=run_id)
        logger.warning("%s: failed -> %s (%s)", claimed.name, outcome.path, outcome.error["message"])
        return outcome
    outcome = save_success(layout, store, claimed, sha, record, flow_run_id=run_id)
    _publish(record, claimed.name, outcome.out_path)
    logger.info("%s: %d task(s) -> %s", claimed.name, outcome.tasks, outcome.out_path)
    return outcome


@flow(name="ingest_folder", flow_run_name="ingest {root}", persist_result=False, validate_parameters=True)
def ingest_folder(
    root: str,
    settle: float = 2.0,
    store: str | None = None,
    folders: dict[str, str] | None = None,
    stale_after: float = DEFAULT_STALE_AFTER,
    max_files: int | None = None,
    pdf: bool = False,
) -> dict[str, int]:
    """One sweep of ``root``'s inbox; returns counts (done, failed, duplicate, waiting, recovered)."""
    logger = get_run_logger()
    layout = Layout.under(root, **(folders or {})).ensure()
    counts = {"done": 0, "failed": 0, "duplicate": 0, "waiting": 0, "recovered": 0}
    run_id = str(current_flow_run.id) if current_flow_run.id else None
    with open_store(store or default_url(layout.root)) as db:
        back = recover(layout, stale_after)
        counts["recovered"] = len(back)
        if back:
            logger.warning(
                "put back %d file(s) abandoned in processing/: %s", len(back), ", ".join(p.name for p in back)
            )
        settled = settle_done(layout, db)
        if settled:
            logger.warning(
                "marked done %d letter(s) an interrupted run had moved to done/: %s",
                len(settled),
                ", ".join(p.name for p in settled),
            )
        scan = state.scanner_for(layout.inbox, settle).scan(layout.inbox)
        counts["waiting"] = len(scan.waiting)
        for path, reason in scan.refused:
            outcome = save_failure(layout, db, path, None, Refused(path.name, reason), flow_run_id=run_id)
            counts["failed"] += 1
            logger.warning("%s: refused -> %s", path.name, outcome.path)
        ready = scan.ready[:max_files] if max_files else scan.ready
        ready, paged = group_pages(ready, scan.waiting)  # name.p1.jpg, name.p2.jpg …: one letter
        _rename_run([p.name for p in ready] + [p.name for group in paged for p in group])
        for path in ready:
            if state.STOP.is_set():
                logger.info("stop requested: leaving %s in the inbox", path.name)
                break
            try:
                claimed = claim(layout, path)
                if claimed is None:
                    continue  # another worker took it
                outcome = ingest_claimed_with_prefect(layout, db, claimed, logger, run_id, pdf=pdf)
            except Exception as exc:  # noqa: BLE001 - e.g. a share gone away; the file stays
                logger.error(
                    "%s: not finished (%s: %s); it is retried by a later sweep", path.name, type(exc).__name__, exc
                )
                continue
            counts[outcome.status] += 1
        for group in paged if not state.STOP.is_set() else []:
            done = ingest_pages(layout, db, group, pdf=pdf, flow_run_id=run_id)
            if done is not None:
                counts[done.status] += 1
                logger.info("%s: one letter -> %s", done.name, done.out_path or done.path)
    if any(counts[k] for k in ("done", "failed", "duplicate")):
        logger.info("sweep of %s: %s", layout.inbox, ", ".join(f"{k} {v}" for k, v in counts.items()))
    return counts


def _letter_run_name() -> str:
    return f"extract {Path(str(current_flow_run.parameters.get('path', '?'))).name}"


@flow(name="extract_letter", flow_run_name=_letter_run_name, persist_result=False)
def extract_letter(path: str) -> dict[str, Any]:
    """Extract one file (any path, no inbox) and publish its artifact; returns the record."""
    p = Path(path)
    data = extract_task(str(p), p.name, sha256_file(p))
    record = DispatchRecord.model_validate(data)
    _publish(record, p.name, None)
    get_run_logger().info("%s: %s, %d task(s)", p.name, record.number_symbol, len(record.tasks))
    return data
