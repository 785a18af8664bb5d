"""What the record says about the file beyond the letter's own fields, as the views show it:
the digital signatures, the appendices and drafts after the letter, the copying office's
block of a SAO Y copy, the pages of other papers, and the letter stored before with the
same number. One sentence per entry, shared by the terminal, the review page and the web
page (``vanthu inspect``, ``vanthu review``, ``vanthu web``)."""

from __future__ import annotations

from dataclasses import dataclass

from vanthu.models.record import Appendix, CopyBlock, DispatchRecord, DuplicateOf, Signature
from vanthu.pipeline.i18n import N_, _
from vanthu.pipeline.warnings import page_range

#: Section titles by the record's key (the first part of the rows' pointers).
EXTRA_TITLES = {
    "signatures": N_("Digital signatures"),
    "appendices": N_("Appendices and drafts after the letter"),
    "copy": N_("Copy (SAO Y, SAO LỤC, TRÍCH SAO)"),
    "other_pages": N_("Other papers in the file"),
    "duplicate_of": N_("Same letter stored before"),
}


@dataclass(frozen=True)
class ExtraRow:
    ptr: str
    label: str
    value: str
    warn: bool = False


def signature_text(sig: Signature) -> tuple[str, bool]:
    """One signature as a sentence, and whether it needs the reader's attention (changed
    after signing, or its certificate not trusted by the configured bundle)."""
    who = ", ".join(part for part in (sig.signer, sig.organisation) if part) or _("unknown signer")
    parts = [who]
    if sig.signed_at:
        parts.append(_("signed at {time}").format(time=sig.signed_at.replace("T", " ")))
    parts.append(_("unchanged since signing") if sig.intact else _("CHANGED after signing or unreadable"))
    if sig.trusted is None:
        parts.append(_("trust not checked (no CA bundle configured)"))
    else:
        parts.append(_("certificate trusted") if sig.trusted else _("certificate NOT trusted"))
    return " · ".join(parts), (not sig.intact) or sig.trusted is False


def pages_text(pages: list[int]) -> str:
    """``[3, 4, 5]`` -> "pages 3–5"; ``[2]`` -> "page 2"."""
    if not pages:
        return ""
    if len(pages) == 1:
        return _("page {n}").format(n=pages[0])
    return _("pages {list}").format(list=page_range(pages))


def appendix_text(part: Appendix) -> str:
    kind = _("draft") if part.kind == "draft" else _("appendix")
    return " · ".join(x for x in (kind, part.title or "", pages_text(part.pages)) if x)


def copy_text(block: CopyBlock) -> str:
    signer = " ".join(x for x in (block.signer_title, block.signer_name) if x)
    parts = [
        block.kind,
        block.issuer or "",
        block.number_symbol or "",
        ", ".join(x for x in (block.place, block.date) if x),
        _("signed by {who}").format(who=signer) if signer else "",
        pages_text(block.pages),
    ]
    return " · ".join(x for x in parts if x)


def duplicate_text(dup: DuplicateOf) -> str:
    parts = []
    if dup.arrival_number is not None:
        parts.append(_("arrival number {n}/{year}").format(n=dup.arrival_number, year=dup.arrival_year or "?"))
    parts.extend(x for x in (dup.number_symbol, dup.file) if x)
    return " · ".join(parts) or dup.id


def extra_rows(record: DispatchRecord) -> dict[str, list[ExtraRow]]:
    """The rows of each extra section present in ``record`` (keys of ``EXTRA_TITLES``)."""
    out: dict[str, list[ExtraRow]] = {}
    for i, sig in enumerate(record.signatures):
        text, warn = signature_text(sig)
        out.setdefault("signatures", []).append(ExtraRow(f"/signatures/{i}", f"#{i + 1}", text, warn))
    for i, part in enumerate(record.appendices):
        out.setdefault("appendices", []).append(ExtraRow(f"/appendices/{i}", f"#{i + 1}", appendix_text(part)))
    if record.copy_block is not None:
        out["copy"] = [ExtraRow("/copy", _("copied by"), copy_text(record.copy_block))]
    if record.other_pages:
        out["other_pages"] = [ExtraRow("/other_pages", _("not read"), pages_text(record.other_pages), warn=True)]
    if record.duplicate_of is not None:
        out["duplicate_of"] = [ExtraRow("/duplicate_of", _("stored as"), duplicate_text(record.duplicate_of))]
    return out
