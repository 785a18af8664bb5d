"""Letters photographed page by page, in the inbox: image files named ``name.p1.jpg``,
``name.p2.jpg`` … are the pages of one letter (``vanthu.pipeline.read.parts``), read into
one record ``out/name.json``. Plain functions, no Prefect.

A letter's pages are taken together once every one of them has settled (none still being
written, ``Scanner``'s rule), so photos copied into the inbox at one go are one letter; a
page that arrives after its letter was read is a letter of its own. The pages are claimed
one by one (a page another worker took first puts the others back), then they travel
together: to done/ after the record is written and stored, to failed/ each beside its
``.error.json``, or to duplicates/ when the same photos in the same order were read
before (the letter's hash is that of the pages' bytes in order).
"""

from __future__ import annotations

import socket
from pathlib import Path

from vanthu.flows.claims import Claimed, claim, finish_duplicate, finish_failed, release
from vanthu.flows.inbox import DEFAULT_LEASE, Layout, move, out_path_for, write_atomic
from vanthu.flows.register_store import noting_earlier
from vanthu.flows.steps import Outcome, _nfc, error_report, named_as
from vanthu.flows.store import Run, TaskStore
from vanthu.models.record import DispatchRecord
from vanthu.pipeline.read.parts import files_sha256, part_of, parts_label

#: the files that can be pages of a letter photographed page by page
PAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".tif", ".tiff")


def _page(path: Path) -> tuple[str, int] | None:
    return part_of(path.name) if path.suffix.lower() in PAGE_SUFFIXES else None


def group_pages(ready: list[Path], waiting: list[Path]) -> tuple[list[Path], list[list[Path]]]:
    """``(single letters, letters of several pages)`` among the ready files: pages of one
    name in page order, held back while another page of theirs is still being written; a
    name with a single page ready is a letter of its own."""
    arriving = {page[0] for page in map(_page, waiting) if page}
    singles: list[Path] = []
    pages: dict[str, list[tuple[int, str, Path]]] = {}
    for path in ready:
        page = _page(path)
        if page is None:
            singles.append(path)
        elif page[0] not in arriving:
            pages.setdefault(page[0], []).append((page[1], path.name, path))
    groups = []
    for items in pages.values():
        if len(items) == 1:
            singles.append(items[0][2])
        else:
            groups.append([p for _, _, p in sorted(items)])
    return singles, groups


def claim_pages(layout: Layout, paths: list[Path], lease: float = DEFAULT_LEASE) -> list[Claimed] | None:
    """Claim every page, or none: a page another worker took puts the others back."""
    taken: list[Claimed] = []
    for path in paths:
        claimed = claim(layout, path, lease)
        if claimed is None:
            for c in taken:
                move(c.path, layout.inbox, name=c.name)
                release(c)
            return None
        taken.append(claimed)
    return taken


def pages_sha256(pages: list[Claimed]) -> str:
    """The letter's identity: the same as ``extract_file`` gives the same photos."""
    return files_sha256([page.path for page in pages])


def extract_pages(pages: list[Claimed], pdf: Path | None = None) -> DispatchRecord:
    """The record of the pages as one letter, read in an isolated worker (the limits of
    ``vanthu.pipeline.run.isolate``)."""
    from vanthu.pipeline.run.isolate import extract_many
    from vanthu.pipeline.settings import load_settings

    letter = tuple(p.path for p in pages)
    for _, outcome in extract_many([letter], load_settings(), workers=1, pdfs={letter: pdf} if pdf else None):
        if isinstance(outcome, BaseException):
            raise outcome
        return outcome
    raise AssertionError("unreachable")  # pragma: no cover


def ingest_pages(
    layout: Layout,
    store: TaskStore,
    paths: list[Path],
    *,
    pdf: bool = False,
    flow_run_id: str | None = None,
    lease: float = DEFAULT_LEASE,
) -> Outcome | None:
    """The lifecycle of one letter of several pages; None when another worker took a page."""
    pages = claim_pages(layout, paths, lease)
    if pages is None:
        return None
    label = parts_label([p.name for p in pages])
    stem = part_of(pages[0].name)[0]  # type: ignore[index]  # (grouped by their names)
    run = Run(file=_nfc(label), sha256=None, outcome="", started=pages[0].claimed_at, flow_run_id=flow_run_id)
    run.host = socket.gethostname()
    sha: str | None = None
    try:
        sha = pages_sha256(pages)
        if store.is_done(sha):
            where = [finish_duplicate(layout, p, sha) for p in pages]
            run.sha256, run.outcome, run.path, run.duplicate_of = sha, "duplicate", str(where[0]), f"sha256:{sha}"
            store.record_run(run)
            return Outcome(name=label, sha256=sha, status="duplicate", path=where[0])
        out = out_path_for(layout, f"{stem}.json", sha)
        record = named_as(extract_pages(pages, out.with_suffix(".pdf") if pdf else None), label)
    except Exception as exc:  # noqa: BLE001 - every failure ends in failed/
        report = error_report(exc, label, sha)
        where = [finish_failed(layout, p, report)[0] for p in pages]
        run.sha256, run.outcome, run.path = sha, "failed", str(where[0])
        run.error_class, run.message, run.exit_code = report["error_class"], report["message"], report["exit_code"]
        store.record_run(run)
        return Outcome(name=label, sha256=sha, status="failed", path=where[0], error=report)
    record = noting_earlier(record, store)
    write_atomic(out, record.to_json() + "\n")
    store.save_document(record, file=_nfc(label), out_path=str(out))
    done = [move(p.path, layout.done, tag=sha[:8], name=p.name) for p in pages]
    for p in pages:
        release(p)
    run.sha256, run.outcome, run.path = sha, "done", str(done[0])
    store.mark_done(sha, str(done[0]), run)
    return Outcome(name=label, sha256=sha, status="done", path=done[0], out_path=out, tasks=len(record.tasks))
