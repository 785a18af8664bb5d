"""The pipeline, top to bottom:

    load_input → read_pages → assemble_lines → split_regions
               → read_header / read_body / read_signer → build_tasks → DispatchRecord
"""

from __future__ import annotations

import os

from vanthu.models.document import InputFile, PageText
from vanthu.models.record import DispatchRecord, PageSize, Source
from vanthu.pipeline.fields.items import read_assignments
from vanthu.pipeline.fields.references import read_references
from vanthu.pipeline.layout.paragraphs import paragraphs
from vanthu.pipeline.errors import NoTextFound, VanthuError
from vanthu.pipeline.fields.header import read_header
from vanthu.pipeline.layout.lines import assemble_lines
from vanthu.pipeline.read.detect import load_input
from vanthu.pipeline.provenance import ProvenanceLog
from vanthu.pipeline.read.readers import read_pages
from vanthu.pipeline.layout.regions import split_regions
from vanthu.pipeline.fields.signer import read_distribution, read_signer
from vanthu.pipeline.tasks import build_tasks

LOW_CONFIDENCE = 0.6


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
    return [PageSize(page=p.number, width=round(p.width, 2), height=round(p.height, 2), unit=p.unit)
            for p in pages if p.width and p.height and p.unit]


def build_record(inp: InputFile, pages: list[PageText]) -> DispatchRecord:
    prov = ProvenanceLog()
    lines = assemble_lines(pages)
    if not any(ln.text.strip() for ln in lines):
        raise NoTextFound(inp.path, "no text found on any page")
    regions = split_regions(lines)
    header = read_header(regions, prov)
    paras = paragraphs(regions.body)
    references = read_references(paras, header.number_symbol, prov)
    assignments = read_assignments(paras, header.date, prov)
    signer = read_signer(regions, prov)
    distribution = read_distribution(regions, prov)
    doc_id = f"sha256:{inp.sha256}"
    tasks = build_tasks(doc_id, header.number_symbol, header.date, assignments, header.recipients)

    warnings = [w for p in pages for w in p.warnings]
    ocr_conf = [w.confidence for p in pages if p.source == "ocr" for w in p.words]
    for pointer, entry in prov.entries().items():
        if entry.confidence < LOW_CONFIDENCE and pointer.count("/") == 1:
            warnings.append(f"low OCR confidence ({entry.confidence:.2f}) on {pointer[1:]}")
    if header.number_symbol is None:
        warnings.append("no number line (Số: …) found")
    if header.date is None:
        warnings.append("no complete issue date found" if header.date_text else "no issue date found")
    if header.number is None and header.symbol:
        warnings.append("the registration number is blank (to be filled in by hand)")

    source = Source(
        file=inp.name, sha256=inp.sha256, media_type=inp.media_type, pages=len(pages),
        text_source=text_source(pages),
        ocr_confidence=round(sum(ocr_conf) / len(ocr_conf), 3) if ocr_conf else None,
        page_sizes=page_sizes(pages),
    )
    return DispatchRecord(
        id=doc_id, source=source, doc_type=header.doc_type, issuer=header.issuer,
        parent_issuer=header.parent_issuer, number=header.number, symbol=header.symbol,
        number_symbol=header.number_symbol, place=header.place, date=header.date,
        date_text=header.date_text, subject=header.subject, urgency=header.urgency,
        confidentiality=header.confidentiality, recipients=header.recipients,
        references=references, assignments=assignments, signer=signer,
        distribution=distribution, tasks=tasks, receipt_stamp=header.receipt_stamp,
        warnings=warnings, provenance=prov.entries(),
    )


def extract_file(path: str | os.PathLike[str]) -> DispatchRecord:
    """Extract one letter. Raises a ``VanthuError`` subclass for a bad input."""
    inp = load_input(path)
    pages = read_pages(inp)
    try:
        return build_record(inp, pages)
    except VanthuError:
        raise
    except RecursionError as exc:  # pathological text; never a traceback for a user
        raise NoTextFound(inp.path, f"the text could not be parsed ({exc})") from None
