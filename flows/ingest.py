"""Prefect wiring of ingestion (thin: the steps are plain functions in
``vanthu.flows.inbox``, ``vanthu.flows.claims``, ``vanthu.flows.steps`` and ``vanthu.flows.store``).

* ``ingest_folder`` — one sweep of an inbox: put back abandoned claims (expired leases),
  claim the stable files, extract each in a task (retried only for transient I/O errors;
  result persisted and cached by the file's hash, so a re-run after a crash does not
  extract again), write out/<stem>.json (and, with ``pdf``, out/<stem>.pdf: the letter as
  a searchable PDF), store the tasks, move the original; publish one markdown artifact per
  letter; photos named ``name.p1.jpg``, ``name.p2.jpg`` … are one letter. Claims that
  expire meanwhile (another worker died) are put back and taken within the same run. A
  letter that fails for a reason of its own (a ``VanthuError``: broken, not a letter, too
  large) is a warning with its reason; a crash of the code is an error with its traceback.
  The run ends with one summary line.
* ``extract_letter`` — the extraction of one file as a flow, outside any inbox.

Imported only by ``vanthu watch``/``vanthu serve``; ``vanthu extract`` never loads Prefect.
"""

from __future__ import annotations

import hashlib
import re
import time
from functools import lru_cache
from pathlib import Path
from typing import Any

from prefect import flow, get_run_logger, task
from prefect.artifacts import create_markdown_artifact
from prefect.runtime import flow_run as current_flow_run
from prefect.states import Completed, State
from prefect.transactions import get_transaction

from vanthu import __version__
from vanthu.flows import state
from vanthu.flows.claims import RENEWALS_PER_LEASE, Claimed, LeaseLost, claim, recover
from vanthu.flows.health import write_heartbeat
from vanthu.flows.inbox import DEFAULT_LEASE, Layout, sha256_file
from vanthu.flows.parts import group_pages, ingest_pages
from vanthu.flows.steps import (
    Outcome,
    Refused,
    check_duplicate,
    error_fields,
    error_from_fields,
    pdf_path_for,
    process_one,
    retaken,
    save_failure,
    save_success,
    settle_done,
)
from vanthu.flows.store import default_url, open_store
from vanthu.models.record import DispatchRecord
from vanthu.pipeline.errors import VanthuError

#: The name of the state of an extraction task whose letter was refused (and the key of
#: the error's fields in its result).
REJECTED = "Rejected"


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
def extract_task(path: str, name: str, sha256: str, pdf: str | None = None) -> Any:
    """The record of one letter, as JSON data (persisted; cached by the file's hash); with
    ``pdf``, the letter is also written there as a searchable PDF.

    A letter that cannot be read for a reason of its own (a ``VanthuError``) ends the task
    in a completed state named ``Rejected`` carrying the error's fields, never cached (a
    timeout may pass on a quieter machine) and with no traceback; the flow logs the reason
    as a warning. A crash of the code raises, and Prefect logs it as an error.
    """
    try:
        record = process_one(Path(path)) if pdf is None else process_one(Path(path), pdf=Path(pdf))
        return record.model_dump(mode="json")
    except VanthuError as exc:
        txn = get_transaction()
        if txn is not None:
            txn.write_on_commit = False  # the result is kept, not under the cache key
        message = f"{name}: {exc.reason}"
        return Completed(name=REJECTED, message=message, data={REJECTED: error_fields(exc)})


def run_extract_task(path: Path, name: str, sha256: str, pdf: Path | None = None) -> DispatchRecord:
    """The extraction task, called and unwrapped: the record, or the letter's error raised."""
    data = extract_task(str(path), name, sha256) if pdf is None else extract_task(str(path), name, sha256, str(pdf))
    if isinstance(data, State):  # the Rejected state itself, as the task returned it
        data = data.result(raise_on_failure=False)
    if isinstance(data, dict) and isinstance(data.get(REJECTED), dict):
        raise error_from_fields(data[REJECTED])
    return DispatchRecord.model_validate(data)


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
        try:
            sha, dup = check_duplicate(layout, store, claimed, flow_run_id=run_id)
            if dup is not None:
                logger.info("%s: duplicate of an ingested letter -> %s", claimed.name, dup.path)
                return dup
            record = run_extract_task(
                claimed.path, claimed.name, sha, pdf_path_for(layout, claimed, sha) if pdf else None
            )
        except LeaseLost:
            raise
        except Exception as exc:  # noqa: BLE001 - every failure ends in failed/
            outcome = save_failure(layout, store, claimed, sha, exc, flow_run_id=run_id)
            if isinstance(exc, VanthuError):  # the letter's own problem: a warning with its reason
                logger.warning("%s: failed -> %s (%s)", claimed.name, outcome.path, outcome.error["message"])
            else:  # a crash of the code: an error
                logger.error("%s: crashed -> %s (%s)", claimed.name, outcome.path, outcome.error["message"])
            return outcome
        outcome = save_success(layout, store, claimed, sha, record, flow_run_id=run_id)
    except (LeaseLost, FileNotFoundError) as exc:
        outcome = retaken(claimed, sha, exc)
        logger.warning("%s: its claim expired and it went back to the inbox; another worker finishes it", claimed.name)
        return outcome
    _publish(record, claimed.name, outcome.out_path)
    logger.info("%s: %d task(s) -> %s", claimed.name, outcome.tasks, outcome.out_path)
    return outcome


SUMMARY_KEYS = ("done", "failed", "duplicate", "retaken", "waiting", "recovered")


def summary_line(root: str, counts: dict[str, int]) -> str:
    """The one line that ends every run: ``ingest ROOT: done 3, failed 1, duplicate 0 …``."""
    return f"ingest {root}: " + ", ".join(f"{k} {counts.get(k, 0)}" for k in SUMMARY_KEYS)


def _identity(path: Path) -> tuple[str, int, int]:
    try:
        st = path.stat()
    except OSError:
        return (path.name, -1, -1)
    return (path.name, st.st_size, st.st_mtime_ns)


class _Sweep:
    """One run of ``ingest_folder`` over a tree: recovers expired claims at the start and
    every ``lease / RENEWALS_PER_LEASE`` seconds, and rescans until nothing is ready."""

    def __init__(
        self, layout: Layout, db: Any, settle: float, lease: float, logger: Any, run_id: str | None, *, pdf: bool
    ):
        self.layout, self.db, self.settle, self.lease = layout, db, settle, lease
        self.logger, self.run_id, self.pdf = logger, run_id, pdf
        self.counts = dict.fromkeys(SUMMARY_KEYS, 0)
        self.recovered_at = 0.0
        self.named = False
        self.tried: set[tuple[str, int, int]] = set()  # (name, size, mtime): taken once per run

    def recover(self, *, force: bool = False) -> None:
        if not force and time.monotonic() - self.recovered_at < self.lease / RENEWALS_PER_LEASE:
            return
        self.recovered_at = time.monotonic()
        write_heartbeat(self.layout, self.counts)
        back = recover(self.layout, self.lease)
        self.counts["recovered"] += len(back)
        if back:
            self.logger.warning(
                "put back %d file(s) abandoned in processing/: %s", len(back), ", ".join(p.name for p in back)
            )

    def settle_done(self) -> None:
        settled = settle_done(self.layout, self.db)
        if settled:
            self.logger.warning(
                "marked done %d letter(s) an interrupted run had moved to done/: %s",
                len(settled),
                ", ".join(p.name for p in settled),
            )

    def ready(self, budget: int | None) -> tuple[list[Path], list[list[Path]]]:
        """The files ready now, and the page photos that are one letter each (``name.p1.jpg``,
        ``name.p2.jpg`` …); symlinks and special files are refused."""
        scan = state.scanner_for(self.layout.inbox, self.settle).scan(self.layout.inbox)
        self.counts["waiting"] = len(scan.waiting)
        for path, reason in scan.refused:
            refused = Refused(path.name, reason)
            outcome = save_failure(self.layout, self.db, path, None, refused, flow_run_id=self.run_id)
            self.counts["failed"] += 1
            self.logger.warning("%s: refused -> %s (%s)", path.name, outcome.path, reason)
        ready = [p for p in scan.ready if _identity(p) not in self.tried]
        ready = ready[:budget] if budget is not None else ready
        self.tried.update(_identity(p) for p in ready)
        ready, paged = group_pages(ready, scan.waiting)
        if (ready or paged) and not self.named:
            _rename_run([p.name for p in ready] + [p.name for group in paged for p in group])
            self.named = True
        return ready, paged

    def take(self, path: Path) -> None:
        try:
            claimed = claim(self.layout, path, self.lease)
            if claimed is None:
                return  # another worker took it
            outcome = ingest_claimed_with_prefect(self.layout, self.db, claimed, self.logger, self.run_id, self.pdf)
        except Exception as exc:  # noqa: BLE001 - e.g. a share gone away; the file stays
            self.logger.error(
                "%s: not finished (%s: %s); it is retried by a later sweep", path.name, type(exc).__name__, exc
            )
            return
        self.counts[outcome.status] += 1

    def take_pages(self, group: list[Path]) -> None:
        done = ingest_pages(self.layout, self.db, group, pdf=self.pdf, flow_run_id=self.run_id, lease=self.lease)
        if done is not None:
            self.counts[done.status] += 1
            self.logger.info("%s: one letter -> %s", done.name, done.out_path or done.path)

    def run(self, max_files: int | None) -> dict[str, int]:
        self.recover(force=True)
        self.settle_done()
        budget = max_files
        while not state.STOP.is_set() and budget != 0:
            ready, paged = self.ready(budget)
            if not ready and not paged:
                break
            for path in ready:
                if state.STOP.is_set():
                    self.logger.info("stop requested: leaving %s in the inbox", path.name)
                    break
                self.take(path)
                self.recover()
            for group in paged if not state.STOP.is_set() else []:
                self.take_pages(group)
            budget = None if budget is None else budget - len(ready) - len(paged)
        return self.counts


@flow(name="ingest_folder", flow_run_name="ingest {root}", persist_result=False, validate_parameters=True)
def ingest_folder(
    root: str,
    settle: float = 2.0,
    store: str | None = None,
    folders: dict[str, str] | None = None,
    lease: float = DEFAULT_LEASE,
    max_files: int | None = None,
    stale_after: float | None = None,
    pdf: bool = False,
) -> dict[str, int]:
    """One sweep of ``root``'s inbox, until nothing is ready; returns counts (done, failed,
    duplicate, retaken, waiting, recovered). ``lease``: seconds a claim lasts unrenewed
    (``stale_after``, its name before leases, is read as the lease when given); with
    ``pdf``, each letter with pages is also written as a searchable out/<stem>.pdf."""
    logger = get_run_logger()
    layout = Layout.under(root, **(folders or {})).ensure()
    run_id = str(current_flow_run.id) if current_flow_run.id else None
    with open_store(store or default_url(layout.root)) as db:
        sweep = _Sweep(layout, db, settle, stale_after or lease, logger, run_id, pdf=pdf)
        try:
            counts = sweep.run(max_files)
        finally:
            write_heartbeat(layout, sweep.counts)
            logger.info(summary_line(str(layout.inbox), sweep.counts))
    return counts


def _letter_run_name() -> str:
    return f"extract {Path(str(current_flow_run.parameters.get('path', '?'))).name}"


@flow(name="extract_letter", flow_run_name=_letter_run_name, persist_result=False)
def extract_letter(path: str) -> dict[str, Any]:
    """Extract one file (any path, no inbox) and publish its artifact; returns the record."""
    p = Path(path)
    record = run_extract_task(p, p.name, sha256_file(p))
    _publish(record, p.name, None)
    get_run_logger().info("%s: %s, %d task(s)", p.name, record.number_symbol, len(record.tasks))
    return record.model_dump(mode="json")
