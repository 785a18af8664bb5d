"""The bodies of the ``vanthu`` commands that are not views: ``extract``, ``schema``, ``deploy`` and
``tasks``, and what every command that reads letters shares: the folders expanded into
letters, and the extraction through the isolation of ``vanthu.pipeline.run.isolate`` (a
child process with time and memory limits, so one hostile file cannot hang a command).

The extract path imports neither Prefect nor spaCy/underthesea until a letter needs them.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from vanthu.output import exit_code_for, report, say, write_atomic
from vanthu.pipeline.errors import ExitCode, UnsupportedFormat, UsageError, VanthuError
from vanthu.pipeline.i18n import _

if TYPE_CHECKING:  # pragma: no cover
    from vanthu.models.record import DispatchRecord
    from vanthu.pipeline.run.isolate import Letter
    from vanthu.pipeline.settings import Settings

# ------------------------------------------------------------------ shared by the commands

#: The name of a letter read from standard input (``vanthu extract -``): its ``source.file``.
STDIN_NAME = "stdin"
STDIN_PREFIX = "vanthu-stdin-"


def shown(path: Path) -> str:
    """How a letter is named in messages: ``-`` for standard input, else its path."""
    return "-" if path.name == STDIN_NAME and path.parent.name.startswith(STDIN_PREFIX) else str(path)


def expand(paths: list[Path], on_skip: Callable[[VanthuError], None] | None = None) -> list[Path]:
    """Files as given; folders become the letters in them (recursively, sorted). Every other
    file of a folder is skipped, and ``on_skip`` gets why: the error the file would give if
    it were named directly ("notes.docx: this is an Office document …"). Hidden files are
    skipped silently."""
    from vanthu.pipeline.read.detect import DOC_SUFFIXES

    out: list[Path] = []
    for p in paths:
        if not p.is_dir():
            out.append(p)
            continue
        for f in sorted(p.rglob("*")):
            if any(part.startswith(".") for part in f.relative_to(p).parts) or f.is_dir():
                continue
            if f.is_file() and not f.is_symlink() and f.suffix.lower() in DOC_SUFFIXES:
                out.append(f)
            elif on_skip is not None:
                on_skip(skip_reason(f))
    return out


def skip_reason(path: Path) -> VanthuError:
    """Why a file of a folder is not read: the error of naming it directly, or, for a file
    that would be read (a text file with another ending), that its name is not a letter's."""
    from vanthu.pipeline.read.detect import load_input

    try:
        load_input(path)
    except VanthuError as exc:
        return exc
    return UnsupportedFormat(
        path,
        _("{ending} is not a letter's file ending (PDF, images, .txt, .md)").format(
            ending=path.suffix or _("a name without an ending")
        ),
        hint=_("name the file directly to read it"),
    )


def isolation_settings(
    *,
    timeout_s: float | None = None,
    timeout_per_page_s: float | None = None,
    memory_mb: int | None = None,
    max_pages: int | None = None,
) -> Settings:
    """The settings, read once (``VANTHU_*`` variables, the ``VANTHU_CONFIG`` file), with the
    command's limit flags over them (None: not given)."""
    from vanthu.pipeline.settings import load_settings

    return load_settings(
        limits__timeout_s=timeout_s,
        limits__timeout_per_page_s=timeout_per_page_s,
        limits__memory_mb=memory_mb,
        limits__max_pages=max_pages,
    )


def letter_label(letter: Letter) -> str:
    """A letter as messages name it: its path (``-`` for standard input), or its page
    images' paths joined."""
    from vanthu.pipeline.run.isolate import letter_label as label

    return shown(letter) if isinstance(letter, Path) else label(letter)


def workers(requested: int | None, settings: Settings) -> int:
    """Documents read at once: ``--workers``, else the settings' (``VANTHU_WORKERS``,
    default 2); at most the CPU count."""
    if requested is None:
        requested = settings.workers
    if requested < 1:
        raise UsageError("--workers", _("must be at least 1, not {requested}").format(requested=requested))
    return min(requested, os.cpu_count() or 1)


def extract_one(
    path: Path, settings: Settings | None = None, *, isolate: bool = True, warm: bool = True
) -> DispatchRecord:
    """The record of one letter, read as ``vanthu extract`` reads it: in a bounded child
    process (unless ``isolate`` is false: in this process, for debugging); raises its
    ``VanthuError``. With ``warm`` the forkserver loads the pipeline once (for a batch)."""
    from vanthu.pipeline.run.isolate import extract_isolated, extract_many

    if settings is None:
        settings = isolation_settings()
    if isolate and warm:
        return extract_isolated(path, settings)
    for _path, outcome in extract_many([Path(path)], settings, workers=1, isolate=isolate):
        if isinstance(outcome, BaseException):
            raise outcome
        return outcome
    raise AssertionError("unreachable")  # pragma: no cover


# ------------------------------------------------------------------------------ extract


def _out_name(path: Letter, used: set[str]) -> str:
    if isinstance(path, tuple):  # pages photographed one by one: name.p1.jpg … → name.json
        from vanthu.pipeline.read.parts import part_of

        first = path[0]
        stem = (part_of(first) or (first.stem, 1))[0]
        name = f"{stem}.json" if f"{stem}.json" not in used else f"{first.name}.json"
        used.add(name)
        return name
    name = f"{path.stem}.json"
    if name in used:  # letter.pdf and letter.png in one batch
        name = f"{path.name}.json"
    used.add(name)
    return name


class _Results:
    """Where the records of ``extract`` go: files in ``out``, JSON Lines, or one JSON
    document printed at the end."""

    def __init__(
        self, out: Path | None, jsonl: bool, n_files: int, debug: bool, pdfs: dict[Letter, Path] | None = None
    ):
        self.out, self.jsonl, self.n_files, self.debug = out, jsonl, n_files, debug
        self.pdfs = pdfs or {}
        self.failures: list[ExitCode] = []
        self.records: list[str] = []
        self.used: set[str] = set()

    def add(self, path: Letter, record: DispatchRecord | VanthuError) -> None:
        if isinstance(record, VanthuError):
            if record.path == str(path):
                record.path = letter_label(path)
            self.failures.append(report(record, debug=self.debug))
            return
        if path in self.pdfs:
            how = _(" (copied as it is: it has a text layer)") if record.source.text_source == "text-layer" else ""
            print(f"{letter_label(path)} -> {self.pdfs[path]}{how}", file=sys.stderr)
        if self.out is not None:
            target = self.out / _out_name(path, self.used)
            try:
                write_atomic(target, record.to_json() + "\n")
            except VanthuError as exc:
                self.failures.append(report(exc, debug=self.debug))
                return
            print(f"{letter_label(path)} -> {target}")
        elif self.jsonl:
            sys.stdout.write(record.model_dump_json(ensure_ascii=False) + "\n")
            sys.stdout.flush()
        else:
            self.records.append(record.to_json())

    def finish(self) -> int:
        if self.out is None and not self.jsonl and self.records:
            records = self.records
            sys.stdout.write(records[0] + "\n" if self.n_files == 1 else "[\n" + ",\n".join(records) + "\n]\n")
        return int(exit_code_for(self.failures))


def cmd_extract(
    paths: list[Path],
    out: Path | None,
    jsonl: bool,
    *,
    debug: bool = False,
    settings: Settings | None = None,
    workers: int = 1,
    isolate: bool = True,
    quiet: bool = False,
    pdf: Path | None = None,
    as_one: bool = False,
) -> int:
    with stdin_letter(paths) as files:
        return _extract_files(
            files,
            out,
            jsonl,
            debug=debug,
            settings=settings,
            workers=workers,
            isolate=isolate,
            quiet=quiet,
            pdf=pdf,
            as_one=as_one,
        )


@contextlib.contextmanager
def stdin_letter(paths: list[Path]) -> Iterator[list[Path]]:
    """``-`` among ``paths``: standard input is written to a private temporary file named
    ``stdin`` (so the record's ``source.file`` is "stdin"), which is removed afterwards."""
    if Path("-") not in paths:
        yield paths
        return
    if paths.count(Path("-")) > 1:
        raise UsageError("-", _("standard input can be read only once"))
    import shutil
    import tempfile

    folder = Path(tempfile.mkdtemp(prefix=STDIN_PREFIX))  # mode 0700: private
    try:
        letter = folder / STDIN_NAME
        with open(letter, "wb") as fh:
            shutil.copyfileobj(sys.stdin.buffer, fh)
        yield [letter if p == Path("-") else p for p in paths]
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _extract_files(
    paths: list[Path],
    out: Path | None,
    jsonl: bool,
    *,
    debug: bool,
    settings: Settings | None,
    workers: int,
    isolate: bool,
    quiet: bool,
    pdf: Path | None,
    as_one: bool,
) -> int:
    from vanthu.pipeline.run.isolate import extract_many

    files = expand(paths, on_skip=lambda exc: say(_("skipped {line}").format(line=exc.line())))
    if not files:
        raise UnsupportedFormat(", ".join(map(str, paths)), _("no letters found"))
    if settings is None:
        settings = isolation_settings()
    letters: list[Letter] = list(files)
    if as_one:
        if len(files) < 2:
            raise UsageError(
                "--as-one", _("joins two or more page images into one letter; {n} given").format(n=len(files))
            )
        letters = [tuple(files)]
    pdfs = pdf_targets(letters, pdf)
    results = _Results(out, jsonl, len(letters), debug, pdfs)
    bar: contextlib.AbstractContextManager = contextlib.nullcontext()
    if len(letters) > 1:  # a bar is for several files; one letter starts faster without rich
        from vanthu.views.progress import FileProgress

        bar = FileProgress(len(letters), "extract", quiet=quiet)
    with bar as progress:
        for path, record in extract_many(letters, settings, workers=workers, isolate=isolate, pdfs=pdfs):
            if progress is not None:
                progress.start(Path(letter_label(path)).name)
                progress.done()
            results.add(path, record)
    return results.finish()


def pdf_targets(files: list[Letter], pdf: Path | None) -> dict[Letter, Path]:
    """Where ``--pdf`` puts each letter's searchable PDF: a path ending in ``.pdf`` is the
    PDF of the one letter; any other path is a folder, with ``<stem>.pdf`` per letter."""
    if pdf is None:
        return {}
    if str(pdf).strip() == "":
        raise UsageError("--pdf", _("an empty path; give the PDF file (one letter) or a folder"))
    if pdf.suffix.lower() == ".pdf" and not pdf.is_dir():
        if len(files) == 1:
            return {files[0]: pdf}
        raise UsageError(
            "--pdf",
            _("{n} letters cannot all go into {pdf}; give a folder for their PDFs").format(n=len(files), pdf=pdf),
        )
    used: set[str] = set()
    return {f: pdf / (_out_name(f, used)[: -len(".json")] + ".pdf") for f in files}


# ------------------------------------------------------------------------------- schema


def cmd_schema(out: Path | None, *, markdown: bool = False) -> int:
    from vanthu.models import json_schema

    if markdown:
        from vanthu.views.schemadoc import markdown_tables

        text = markdown_tables()
    else:
        text = json.dumps(json_schema(), ensure_ascii=False, indent=2) + "\n"
    if out is None:
        sys.stdout.write(text)
    else:
        write_atomic(out, text)
    return 0
