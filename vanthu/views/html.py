"""``vanthu review PATH… --out DIR``: a static HTML review of extracted letters.

Per letter, ``DIR/<stem>.html`` shows the page images beside the extracted fields;
hovering or selecting a field highlights the box it was read from (the record's
``provenance``), low-confidence fields and warnings stand out, and the tasks are listed
with their assignees and deadlines. ``DIR/index.html`` lists the batch: file, type,
number, date, task count, warnings, and failures with their reasons. Everything is
local (no server, no CDN): the page images and the record are written into
``DIR/<stem>.files/``. The page images and their boxes: :mod:`vanthu.views.pages`.

Letters are extracted as ``vanthu extract`` extracts them, each in a bounded child
process (:func:`vanthu.commands.extract_one`): a file that hangs the reader ends in a
timeout error in the index, and the batch goes on.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape

from vanthu.models.record import DispatchRecord
from vanthu.output import exit_code_for, say, show_detail, write_atomic
from vanthu.pipeline.errors import ExitCode, OutputNotWritable, UnsupportedFormat, UsageError, VanthuError
from vanthu.pipeline.i18n import _, language, plural_translator, translator
from vanthu.pipeline.warnings import LOW_CONFIDENCE
from vanthu.views.fields import Section, field_sections, task_rows
from vanthu.views.pages import PageView, render_pages
from vanthu.views.terminal import is_record_file, load_record_file, walk_assignments

TEMPLATES = Path(__file__).resolve().parent / "templates"


@dataclass
class DocView:
    input: str
    name: str
    html: str | None = None
    record: DispatchRecord | None = None
    error: str | None = None  # the one-line message (file: reason), as on stderr
    reason: str | None = None  # the reason alone, for the index
    exit_code: ExitCode | None = None
    pages: list[PageView] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    pages_missing: str | None = None  # why a letter that has pages shows none (a failure of review)
    sections: list[Section] = field(default_factory=list)
    tasks: list[dict] = field(default_factory=list)
    links: dict | None = None  # "cites"/"cited_by" of a record read from an ingestion tree's out/

    @property
    def warnings(self) -> list[tuple[str, str | None]]:
        """The record's warnings (sentence, JSON pointer of the field or None), as in the record."""
        if self.record is None:
            return []
        details = self.record.warning_details
        if [d.message for d in details] == self.record.warnings:
            return [(d.message, d.field) for d in details]
        return [(w, None) for w in self.record.warnings]  # a record saved before warning_details

    @property
    def earliest_deadline(self) -> str | None:
        """The soonest date any item of the letter is due (``due`` where the record has it)."""
        if self.record is None:
            return None
        dates = [
            getattr(item.assignment, "due", None) or item.assignment.deadline
            for item in walk_assignments(self.record.assignments)
        ]
        dates += [getattr(t, "due", None) or t.deadline for t in self.record.tasks]
        return min((d for d in dates if d), default=None)


# ------------------------------------------------------------------------------ the output


def environment(lang: str | None = None) -> Environment:
    """The templates, their ``_()``/``{% trans %}`` in ``lang`` (default: the process's language)."""
    lang = lang or language()
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
        extensions=["jinja2.ext.i18n"],
    )
    env.install_gettext_callables(translator(lang), plural_translator(lang), newstyle=True)  # type: ignore[attr-defined]
    env.globals["lang"] = lang
    env.filters["pct"] = lambda v: f"{v:.3f}%"
    env.filters["conf"] = lambda v: "" if v is None else f"{v:.2f}"
    return env


def _unique(name: str, used: set[str]) -> str:
    stem = Path(name).stem
    candidate = stem if stem not in used and stem != "index" else name
    n = 2
    while candidate in used or candidate == "index":
        candidate = f"{name}-{n}"
        n += 1
    used.add(candidate)
    return candidate


def _skipped(exc: VanthuError) -> None:
    if not exc.path.endswith(".json"):  # saved records are taken from a folder too
        say(_("skipped {line}").format(line=exc.line()))


def _inputs(paths: list[Path]) -> list[Path]:
    from vanthu.commands import expand

    files: list[Path] = []
    for p in paths:
        files.extend([p] if p.is_file() and is_record_file(p) else expand([p], on_skip=_skipped))
    return files


def _records(path: Path, settings: Any, isolate: bool) -> list[tuple[DispatchRecord, Path | str]]:
    """The records of a saved JSON with their letter (beside it, or in ROOT/done/; else why
    it was not found), or the record extracted from a letter (in a bounded child process
    unless ``isolate`` is false)."""
    if is_record_file(path):
        from vanthu.views.originals import find_original

        out: list[tuple[DispatchRecord, Path | str]] = []
        for r in load_record_file(path):
            found, search = find_original(path, r)
            out.append((r, found if found is not None else search.message(r)))
        return out
    from vanthu.commands import extract_one

    return [(extract_one(path, settings, isolate=isolate), path)]


def _failed(path: Path, exc: Exception, debug: bool) -> DocView:
    if not isinstance(exc, VanthuError):  # a bug outside the extraction (a saved record)
        if debug:
            show_detail(exc)
        reason = _("internal error {kind}: {why} (please report it; run with --debug for details)")
        reason = reason.format(kind=type(exc).__name__, why=exc)
        return DocView(
            input=str(path), name=path.name, error=f"{path}: {reason}", reason=reason, exit_code=ExitCode.INTERNAL
        )
    if debug and getattr(exc, "detail", ""):
        show_detail(exc)
    reason = f"{exc.reason} ({_(exc.hint)})" if exc.hint else exc.reason
    return DocView(input=str(path), name=path.name, error=exc.line(), reason=reason, exit_code=exc.exit_code)


def _with_pages(
    doc: DocView, record: DispatchRecord, source: Path | str, out_dir: Path, files_dir: str, dpi: int, debug: bool
) -> None:
    """Write the page images; a letter with pages that shows none is ``pages_missing``."""
    has_pages = record.source.media_type == "application/pdf" or record.source.media_type.startswith("image/")
    if isinstance(source, str):  # not found: the reason
        if has_pages:
            doc.pages_missing = source
            doc.notices.append(source)
        return
    try:
        render_pages(record, source, out_dir, files_dir, dpi, doc.pages, doc.notices)
    except VanthuError as exc:
        doc.pages_missing = _("no page images: {why}").format(why=exc.line())
    except Exception as exc:  # noqa: BLE001 - the fields are still worth showing
        if debug:
            show_detail(exc)
        doc.pages_missing = _("no page images: internal error {kind}: {why}").format(kind=type(exc).__name__, why=exc)
    if doc.pages_missing:
        doc.notices.append(doc.pages_missing)


def build_doc(
    path: Path, out_dir: Path, used: set[str], dpi: int, debug: bool, *, settings: Any = None, isolate: bool = True
) -> list[DocView]:
    """Extract (or load) ``path`` and write its page images; one view per record."""
    try:
        records = _records(path, settings, isolate)
    except Exception as exc:  # noqa: BLE001 - one bad letter must not stop the batch
        return [_failed(path, exc, debug)]
    views = []
    for record, source in records:
        stem = _unique(record.source.file, used)
        doc = DocView(input=str(path), name=record.source.file, html=f"{stem}.html", record=record)
        files_dir = f"{stem}.files"
        (out_dir / files_dir).mkdir(parents=True, exist_ok=True)
        write_atomic(out_dir / files_dir / "record.json", record.to_json() + "\n")
        _with_pages(doc, record, source, out_dir, files_dir, dpi, debug)
        doc.sections = field_sections(record)
        doc.tasks = task_rows(record)
        if is_record_file(path):
            from vanthu.linking import record_links

            doc.links = record_links(path, record.source.sha256)
        views.append(doc)
    return views


def write_review(
    paths: list[Path],
    out_dir: Path,
    *,
    dpi: int = 120,
    quiet: bool = True,
    debug: bool = False,
    on_failure: Callable[[DocView], None] | None = None,
    settings: Any = None,
    isolate: bool = True,
) -> list[DocView]:
    """Write ``out_dir/index.html`` and one page per record; return the views (failures
    too; ``on_failure`` is called for each as it happens)."""
    from vanthu.views.progress import track_files

    files = _inputs(paths)
    if not files:
        raise UnsupportedFormat(", ".join(map(str, paths)), _("no letters found (nor saved records, .json)"))
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputNotWritable(
            out_dir, _("cannot write the review here: {why}").format(why=exc.strerror or exc)
        ) from None
    env = environment()
    doc_tpl = env.get_template("document.html")
    used: set[str] = set()
    docs: list[DocView] = []
    for path in track_files(files, "review", quiet=quiet):
        for doc in build_doc(path, out_dir, used, dpi, debug, settings=settings, isolate=isolate):
            docs.append(doc)
            if doc.error and on_failure is not None:
                on_failure(doc)
            if doc.record is not None and doc.html:
                write_atomic(out_dir / doc.html, doc_tpl.render(doc=doc, low_threshold=LOW_CONFIDENCE))
    write_atomic(out_dir / "index.html", env.get_template("index.html").render(docs=docs))
    return docs


def cmd_review(
    paths: list[Path],
    out: Path,
    *,
    dpi: int = 120,
    quiet: bool = False,
    debug: bool = False,
    settings: Any = None,
    isolate: bool = True,
) -> int:
    if not 30 <= dpi <= 600:
        raise UsageError(f"--dpi {dpi}", _("use 30 to 600"))
    docs = write_review(
        paths,
        out,
        dpi=dpi,
        quiet=quiet,
        debug=debug,
        on_failure=lambda doc: say(str(doc.error)),
        settings=settings,
        isolate=isolate,
    )
    failed = [d.exit_code or ExitCode.INTERNAL for d in docs if d.error]
    pageless = [d for d in docs if not d.error and d.pages_missing]
    for doc in pageless:  # shown without its pages: not a success
        say(f"{doc.input}: {doc.pages_missing}")
    without = _(" ({n} without page images)").format(n=len(pageless)) if pageless else ""
    done = _("{index}: {n} reviewed{without}, {failed} failed")
    print(done.format(index=out / "index.html", n=len(docs) - len(failed), without=without, failed=len(failed)))
    return int(exit_code_for(failed + [ExitCode.NOT_FOUND] * len(pageless)))
