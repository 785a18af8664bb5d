"""Ingestion of one claimed letter, in plain functions (no Prefect): the Prefect flows in
``vanthu.flows.ingest`` call the same steps, each step a function here.

:func:`process_one` is the single place where a letter is extracted; an isolating runner
(child process with time and memory limits) replaces it there and nowhere else.
"""

from __future__ import annotations

import os
import socket
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from vanthu.flows.claims import Claimed, LeaseLost, ensure_held, finish_duplicate, finish_failed, release
from vanthu.flows.inbox import Layout, candidate_names, move, now_iso, out_path_for, sha256_file, write_atomic
from vanthu.flows.register_store import noting_earlier
from vanthu.flows.store import Run, TaskStore
from vanthu.models.record import DispatchRecord
from vanthu.pipeline.errors import ExitCode, VanthuError
from vanthu.pipeline.i18n import _


def _nfc(text: str) -> str:
    """Names as the store and reports keep them (files on disk keep their own spelling)."""
    return unicodedata.normalize("NFC", text)


def process_one(path: Path, pdf: Path | None = None) -> DispatchRecord:
    """Extract one letter. The one call site of the extractor for ingestion: in an
    isolated worker process with the time, memory, page and pixel limits of
    ``vanthu.pipeline.run.isolate`` (``VANTHU_TIMEOUT``, ``VANTHU_MEMORY_MB``, …), so a file
    that hangs or blows up a parser ends as a typed error in failed/, never the watcher.
    ``pdf``: the worker also writes the letter there as a searchable PDF (``watch --pdf``)."""
    from vanthu.pipeline.run.isolate import extract_isolated
    from vanthu.pipeline.settings import load_settings

    if pdf is None:
        return extract_isolated(path, load_settings())
    return extract_isolated(path, load_settings(), pdf=pdf)


def pdf_path_for(layout: Layout, claimed: Claimed, sha256: str) -> Path | None:
    """``out/<stem>.pdf`` beside the letter's JSON (``watch --pdf``), or None for a letter
    without pages (.txt, .md: there is nothing to make a PDF of)."""
    from vanthu.pipeline.read.detect import sniff

    try:
        with open(claimed.path, "rb") as fh:
            media = sniff(fh.read(4096), claimed.path)
    except (OSError, VanthuError):
        return None  # the extraction reports what is wrong with the file
    if media.startswith("text/"):
        return None
    return out_path_for(layout, claimed.name, sha256).with_suffix(".pdf")


@dataclass
class Outcome:
    name: str  # as dropped in inbox/
    sha256: str | None
    status: str  # done | failed | duplicate | retaken (the lease expired: another worker has it)
    path: Path  # where the original is now
    out_path: Path | None = None
    error_path: Path | None = None
    error: dict | None = None
    tasks: int = 0
    record: DispatchRecord | None = None


def error_report(exc: BaseException, name: str, sha256: str | None) -> dict:
    """What ``failed/<name>.error.json`` says: file, sha256, error class, message, exit code, time."""
    if isinstance(exc, VanthuError):  # named as dropped, not by its path in processing/
        message = _nfc(f"{name}: {exc.reason}" + (f" ({_(exc.hint)})" if exc.hint else ""))
        code = int(exc.exit_code)
    else:
        message = _nfc(
            _("{name}: internal error {kind}: {why} (please report it)").format(
                name=name, kind=type(exc).__name__, why=exc
            )
        )
        code = int(ExitCode.INTERNAL)
    return {
        "file": _nfc(name),
        "sha256": sha256,
        "error_class": getattr(exc, "error_class", None) or type(exc).__name__,
        "message": message,
        "exit_code": code,
        "time": now_iso(),
    }


def check_duplicate(
    layout: Layout, store: TaskStore, claimed: Claimed, *, flow_run_id: str | None = None
) -> tuple[str, Outcome | None]:
    """Hash the claimed file; if a letter with these bytes is done, move it to duplicates/."""
    sha = sha256_file(claimed.path)
    if not store.is_done(sha):
        return sha, None
    target = finish_duplicate(layout, claimed, sha)
    store.record_run(
        Run(
            file=_nfc(claimed.name),
            sha256=sha,
            outcome="duplicate",
            path=str(target),
            duplicate_of=f"sha256:{sha}",
            started=claimed.claimed_at,
            flow_run_id=flow_run_id,
            host=socket.gethostname(),
        )
    )
    return sha, Outcome(name=claimed.name, sha256=sha, status="duplicate", path=target)


def named_as(record: DispatchRecord, name: str) -> DispatchRecord:
    """The record with the file name the letter arrived under: extraction read it under its
    claim's name in processing/ (``letter.<token>.pdf``)."""
    return record.model_copy(update={"source": record.source.model_copy(update={"file": _nfc(name)})})


def save_success(
    layout: Layout,
    store: TaskStore,
    claimed: Claimed,
    sha256: str,
    record: DispatchRecord,
    *,
    flow_run_id: str | None = None,
) -> Outcome:
    """out/<stem>.json, then the store (one transaction, the letter's arrival number
    given), then the original to done/. The same letter stored before with other bytes is
    named in the record's ``duplicate_of``.

    A crash between the steps leaves the file in processing/; it is re-queued, is not a
    duplicate yet (the store marks a letter done only after the move), and storing it
    again replaces the same rows.
    """
    ensure_held(claimed)
    record = noting_earlier(named_as(record, claimed.name), store)
    out = out_path_for(layout, claimed.name, sha256)
    write_atomic(out, record.to_json() + "\n")
    store.save_document(record, file=_nfc(claimed.name), out_path=str(out))
    ensure_held(claimed)  # the name in processing/ is this claim's own: a lost one cannot move another's file
    done = move(claimed.path, layout.done, tag=sha256[:8], name=claimed.name)
    release(claimed)
    store.mark_done(
        sha256,
        str(done),
        Run(
            file=_nfc(claimed.name),
            sha256=sha256,
            outcome="done",
            path=str(done),
            started=claimed.claimed_at,
            flow_run_id=flow_run_id,
            host=socket.gethostname(),
        ),
    )
    return Outcome(
        name=claimed.name, sha256=sha256, status="done", path=done, out_path=out, tasks=len(record.tasks), record=record
    )


def settle_done(layout: Layout, store: TaskStore) -> list[Path]:
    """Mark done the letters a crash left in done/ before the store said so; returns them.

    ``save_success`` moves the original to done/ and then marks it done in the store: a
    process killed between the two leaves the letter in done/ (its JSON and tasks saved)
    with no ``done_path``, so the same bytes dropped again would not be a duplicate. The
    original is in done/ under its name, or that name tagged with its hash (the first
    free one when it was moved): those names are looked at, and a file is taken only if
    its bytes have the letter's hash.
    """
    settled: list[Path] = []
    for row in store.unmarked():
        sha, name = row["sha256"], row["file"] or ""
        if not sha or not name:
            continue
        for tries, candidate in enumerate(candidate_names(name, sha[:8])):
            path = layout.done / candidate
            if tries > 100 or not os.path.lexists(path):
                break  # (a name past the first free one was never given to it)
            if path.is_file() and not path.is_symlink() and sha256_file(path) == sha:
                store.mark_done(
                    sha,
                    str(path),
                    Run(file=name, sha256=sha, outcome="done", path=str(path), host=socket.gethostname()),
                )
                settled.append(path)
                break
    return settled


def save_failure(
    layout: Layout,
    store: TaskStore,
    claimed: Claimed | Path,
    sha256: str | None,
    exc: BaseException,
    *,
    flow_run_id: str | None = None,
) -> Outcome:
    """The original to failed/ beside ``<name>.error.json``, and a failed run in the store."""
    name = claimed.name
    report = error_report(exc, name, sha256)
    target, err = finish_failed(layout, claimed, report)
    started = claimed.claimed_at if isinstance(claimed, Claimed) else report["time"]
    store.record_run(
        Run(
            file=_nfc(name),
            sha256=sha256,
            outcome="failed",
            path=str(target),
            error_class=report["error_class"],
            message=report["message"],
            exit_code=report["exit_code"],
            started=started,
            flow_run_id=flow_run_id,
            host=socket.gethostname(),
        )
    )
    return Outcome(name=name, sha256=sha256, status="failed", path=target, error_path=err, error=report)


class ReportedError(VanthuError):
    """A ``VanthuError`` carried as plain data (:func:`error_fields`) across a boundary that
    keeps only JSON, such as a Prefect task's failed state; keeps its class name and code."""

    def __init__(self, path: object, reason: str, *, hint: str | None = None, error_class: str = "", code: int = 70):
        super().__init__(path, reason, hint=hint)
        self.error_class = error_class or type(self).__name__
        self.exit_code = ExitCode(code) if code in ExitCode._value2member_map_ else ExitCode.INTERNAL


def error_fields(exc: VanthuError) -> dict:
    """The fields of ``exc`` as JSON data, rebuilt by :func:`error_from_fields`."""
    return {
        "path": exc.path,
        "reason": exc.reason,
        "hint": exc.hint,
        "error_class": getattr(exc, "error_class", None) or type(exc).__name__,
        "code": int(exc.exit_code),
    }


def error_from_fields(data: dict) -> ReportedError:
    return ReportedError(
        data.get("path", "?"),
        str(data.get("reason", "")),
        hint=data.get("hint") or "",
        error_class=str(data.get("error_class", "")),
        code=int(data.get("code", ExitCode.INTERNAL)),
    )


class Refused(VanthuError):
    """A symlink or special file in the inbox: never opened, moved to failed/."""

    exit_code = ExitCode.UNSUPPORTED_FORMAT


def ingest_claimed(
    layout: Layout, store: TaskStore, claimed: Claimed, extract: Callable[[Path], DispatchRecord] = process_one
) -> Outcome:
    """The whole lifecycle of one claimed letter, without Prefect."""
    sha: str | None = None
    try:
        try:
            sha, dup = check_duplicate(layout, store, claimed)
            if dup is not None:
                return dup
            record = extract(claimed.path)
        except LeaseLost:
            raise
        except Exception as exc:  # noqa: BLE001 - every failure ends in failed/
            return save_failure(layout, store, claimed, sha, exc)
        return save_success(layout, store, claimed, sha, record)
    except (LeaseLost, FileNotFoundError) as exc:
        return retaken(claimed, sha, exc)


def retaken(claimed: Claimed, sha256: str | None, exc: BaseException) -> Outcome:
    """The outcome of a letter whose claim expired while this worker had it: another worker
    took it back from inbox/ and finishes it; this one writes nothing more. Re-raises a
    missing file that is not explained by a lost claim."""
    if isinstance(exc, FileNotFoundError):
        try:
            ensure_held(claimed)
        except LeaseLost:
            pass
        else:
            raise exc  # still ours: the file went away for another reason
    release(claimed)
    return Outcome(name=claimed.name, sha256=sha256, status="retaken", path=claimed.path)
