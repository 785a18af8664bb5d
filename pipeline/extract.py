"""One letter to a ``DispatchRecord``, stage by stage (composition only):

load_input         the file, identified by its bytes             read/detect.py
read_pages         positioned words per page                     read/pages.py (PDF, text, OCR)
assemble_lines     words to lines                                layout/lines.py
lines_to_parts     the letter, and the parts after it            layout/ends.py
split_regions      lines to header, body and signature regions   layout/regions.py
read_header        number, date, issuer, subject, recipients     fields/header.py
paragraphs         body lines to paragraphs                      layout/paragraphs.py
read_references    the letters it cites                          fields/references.py
read_assignments   who is to do what                             fields/items.py
read_signer        who signed                                    fields/signer.py
read_distribution  where copies go                               fields/signer.py
read_copy          the copying office's block of a copy          fields/copy.py
build_tasks        assignments to tasks                          tasks.py
read_signatures    a signed PDF's digital signatures             read/signatures.py
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from vanthu.models.document import InputFile, PageText
from vanthu.models.record import Appendix, DispatchRecord, PageSize, Signature, Source, WarningDetail
from vanthu.pipeline.errors import NoTextFound, VanthuError
from vanthu.pipeline.fields.anchors import check_letter
from vanthu.pipeline.fields.copy import read_copy
from vanthu.pipeline.fields.dates import witnessed_date
from vanthu.pipeline.fields.header import read_header, stamp_of
from vanthu.pipeline.fields.items import read_assignments
from vanthu.pipeline.fields.references import read_references
from vanthu.pipeline.fields.signer import read_distribution, read_signer
from vanthu.pipeline.i18n import _
from vanthu.pipeline.layout.ends import LetterParts, lines_to_parts, part_title
from vanthu.pipeline.layout.lines import assemble_lines
from vanthu.pipeline.layout.paragraphs import paragraphs
from vanthu.pipeline.layout.regions import split_regions
from vanthu.pipeline.ocr.searchable import check_searchable, write_searchable_pdf
from vanthu.pipeline.provenance import ProvenanceLog
from vanthu.pipeline.read.detect import load_input
from vanthu.pipeline.read.pages import read_pages
from vanthu.pipeline.read.parts import joined_input, parts_label
from vanthu.pipeline.read.signatures import personal_signing_times, read_signatures
from vanthu.pipeline.settings import Settings
from vanthu.pipeline.tasks import build_tasks
from vanthu.pipeline.warnings import (
    attached_part,
    date_from_signature,
    other_pages,
    record_warnings,
    signature_warnings,
)


def extract_file(
    path: str | os.PathLike[str] | Sequence[str | os.PathLike[str]],
    settings: Settings | None = None,
    *,
    searchable_pdf: str | os.PathLike[str] | None = None,
) -> DispatchRecord:
    """Extract one letter. Raises a ``VanthuError`` subclass for a bad input.
    ``path``: the letter's file, or a list of page images photographed one by one, read as
    one letter in that order (``read/parts.py``).
    ``settings``: None is the defaults (the ``vanthu`` command passes the loaded ones).
    ``searchable_pdf``: also write the letter there as a searchable PDF, its text layer made
    from the words read (``ocr/searchable.py``: the OCR is not run again)."""
    settings = settings or Settings()
    max_bytes = settings.limits.max_mb * 1024 * 1024
    if isinstance(path, (str, os.PathLike)):
        return _extract(load_input(path, max_bytes=max_bytes), settings, searchable_pdf)
    parts = list(path)
    if searchable_pdf is not None:
        for part in parts:
            check_searchable(load_input(part, max_bytes=max_bytes), searchable_pdf)
    with joined_input(parts, max_bytes=max_bytes) as inp:
        try:
            return _extract(inp, settings, searchable_pdf)
        except VanthuError as exc:
            if exc.path == inp.path:  # name the photos, not the temporary file they were joined into
                exc.path = parts_label(parts, full=True)
            raise


def _extract(inp: InputFile, settings: Settings, searchable_pdf: str | os.PathLike[str] | None) -> DispatchRecord:
    if searchable_pdf is not None:
        check_searchable(inp, searchable_pdf)
    pages = read_pages(inp, settings)
    signatures = read_signatures(inp, settings)
    try:
        record = build_record(inp, pages, signatures)
    except VanthuError:
        raise
    except RecursionError as exc:  # pathological text; never a traceback for a user
        raise NoTextFound(inp.path, _("the text could not be parsed ({why})").format(why=exc)) from None
    if searchable_pdf is not None:
        write_searchable_pdf(inp, pages, Path(searchable_pdf), ocr_dpi=settings.ocr.dpi, font_dir=settings.font_dir)
    return record


def build_record(inp: InputFile, pages: list[PageText], signatures: Sequence[Signature] = ()) -> DispatchRecord:
    prov = ProvenanceLog()
    lines = assemble_lines(pages)
    if not any(ln.text.strip() for ln in lines):
        raise NoTextFound(inp.path, _("no text found on any page"))
    parts = lines_to_parts(lines)
    regions = split_regions(parts.letter)
    header = read_header(regions, prov)
    if header["receipt_stamp"] is None:  # a stamp read from its own ink by the OCR (ocr.stamp)
        header["receipt_stamp"] = stamp_of(next((p.stamp for p in pages if p.stamp), ()))
    notes = signature_warnings(signatures)
    header["date_source"] = "printed" if header["date"] else None
    if header["date"] is None:  # the day unreadable: a personal signature's day, if its month and year agree
        header["date"] = witnessed_date(header["date_text"], personal_signing_times(signatures))
        if header["date"]:
            header["date_source"] = "signature"
            notes.append(date_from_signature(header["date"], prov.page("/date_text")))
    paras = paragraphs(regions.body)
    references = read_references(paras, header["number_symbol"], prov)
    item_warnings: list[str] = []
    assignments = read_assignments(paras, header["date"], prov, item_warnings)
    signer = read_signer(regions, prov)
    distribution = read_distribution(regions, prov)
    check_letter(inp.path, header, distribution, [ln.text for ln in lines])
    doc_id = f"sha256:{inp.sha256}"
    tasks = build_tasks(doc_id, header["number_symbol"], header["date"], assignments, header["recipients"])
    after = after_letter(parts)
    notes += after.pop("notes")
    warnings = record_warnings(pages, prov.entries(), header, assignments, item_warnings, prov.flags()) + notes
    return DispatchRecord(
        id=doc_id,
        source=describe_source(inp, pages),
        **header,
        references=references,
        assignments=assignments,
        signer=signer,
        distribution=distribution,
        tasks=tasks,
        **after,
        signatures=list(signatures),
        warnings=[w.message for w in warnings],
        warning_details=warnings,
        provenance=prov.entries(),
    )


def after_letter(parts: LetterParts) -> dict:
    """The record's fields for what follows the letter: ``appendices``, ``copy``,
    ``other_pages``, and the ``notes`` (warnings) about them."""
    appendices = [
        Appendix(kind=p.kind, title=part_title(p.lines), pages=p.pages)  # type: ignore[arg-type]
        for p in parts.of_kind("appendix", "draft")
    ]
    copies = [c for p in parts.of_kind("copy") if (c := read_copy(p.lines))]
    letter_pages = {ln.page for ln in parts.letter}
    other = sorted({pg for p in parts.of_kind("other") for pg in p.pages} - letter_pages)
    notes: list[WarningDetail] = [attached_part(a.kind, a.pages, i) for i, a in enumerate(appendices) if a.pages]
    if other:
        notes.append(other_pages(other))
    return {"appendices": appendices, "copy": copies[0] if copies else None, "other_pages": other, "notes": notes}


def describe_source(inp: InputFile, pages: list[PageText]) -> Source:
    ocr_conf = [w.confidence for p in pages if p.source == "ocr" for w in p.words]
    return Source(
        file=inp.name,
        sha256=inp.sha256,
        media_type=inp.media_type,
        pages=len(pages),
        text_source=text_source(pages),
        ocr_confidence=round(sum(ocr_conf) / len(ocr_conf), 3) if ocr_conf else None,
        page_sizes=page_sizes(pages),
        text_source_reason=next((p.reason for p in pages if p.reason), None),
    )


def text_source(pages: list[PageText]) -> str:
    kinds = {p.source for p in pages if p.words or p.plain_lines}
    if kinds == {"plain-text"}:
        return "plain-text"
    if kinds == {"ocr"}:
        return "ocr"
    if "ocr" in kinds:
        return "mixed"
    return "text-layer"


def page_sizes(pages: list[PageText]) -> list[PageSize]:
    """Each page's size in the unit of its boxes (what a viewer needs to place them)."""
    return [
        PageSize(page=p.number, width=round(p.width, 2), height=round(p.height, 2), unit=p.unit)
        for p in pages
        if p.width and p.height and p.unit
    ]
