"""The dispatch record: the output contract of ``../shared/CONTRACT.md`` as pydantic types.

No I/O here. Every string that enters a model is normalised to Unicode NFC (and the
look-alike ``Ð`` U+00D0 is mapped to ``Đ``), so downstream code can compare strings
byte for byte.
"""

from __future__ import annotations

import unicodedata
from typing import Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    SerializerFunctionWrapHandler,
    field_validator,
    model_serializer,
    model_validator,
)

SCHEMA_VERSION = 1

TextSource = Literal["text-layer", "ocr", "mixed", "plain-text"]
Role = Literal["lead", "support", "recipient"]
BBoxUnit = Literal["pt", "px"]
SignerPrefix = Literal["TM.", "KT.", "TL.", "TUQ.", "Q."]
DueKind = Literal["day", "end_of_period", "recurring"]
_DUE = (
    "The date by which the work is due: the printed day, the last day of a printed month/quarter/year, "
    "or the next occurrence after the letter's date of a recurring deadline; null when nothing dates it"
)
#: Fields written only when set (a record without them reads as before they existed).
OMITTED_WHEN_NULL = ("duplicate_of",)
_DUE_KIND = "day: a printed day; end_of_period: the last day of a printed period; recurring: the next occurrence"


def nfc(value: Any) -> Any:
    """Normalise every string inside ``value`` (str, list, dict) to NFC."""
    if isinstance(value, str):
        return unicodedata.normalize("NFC", value.replace("\u00d0", "Đ"))
    if isinstance(value, list):
        return [nfc(v) for v in value]
    if isinstance(value, dict):
        return {nfc(k): nfc(v) for k, v in value.items()}
    return value


class Strict(BaseModel):
    """Base: unknown fields are an error, strings are NFC."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True)

    @model_validator(mode="before")
    @classmethod
    def _nfc_everything(cls, data: Any) -> Any:
        return nfc(data) if isinstance(data, dict) else data


class PageSize(Strict):
    """The size of one page, in the unit of the boxes read from it, so a viewer can place a
    box on a page image of any resolution (box / page size)."""

    page: int = Field(ge=1, description="1-based page number")
    width: float = Field(gt=0)
    height: float = Field(gt=0)
    unit: BBoxUnit = Field(description="pt: PDF points; px: pixels of the image the OCR read")


class Source(Strict):
    file: str = Field(description="File name of the input (no directories)")
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    media_type: str = Field(description="Detected from the file's bytes, e.g. application/pdf")
    pages: int = Field(ge=0)
    text_source: TextSource
    ocr_confidence: float | None = Field(
        default=None, ge=0, le=1, description="Mean word confidence of OCR pages; null without OCR"
    )
    page_sizes: list[PageSize] = Field(
        default_factory=list, description="Size of each page that has geometry (none for text files)"
    )
    text_source_reason: str | None = Field(
        default=None,
        description="Why pages with a text layer were read by OCR: layer-not-vietnamese, layer-without-accents, "
        "layer-disagrees-with-scan (another engine's layer); null when every layer was kept",
    )


class Reference(Strict):
    doc_type: str | None = Field(description="Type of the cited document: Công văn, Nghị định, Luật …")
    number_symbol: str | None = Field(description="e.g. 4114/VP-NC; null for a law cited by name")
    date: str | None = Field(default=None, pattern=r"^\d{4}-\d{2}-\d{2}$")
    issuer: str | None = None
    title: str | None = Field(default=None, description="The 'về …' part, or a law's name")
    text: str = Field(description="The citation as printed")


class Assignment(Strict):
    label: str = Field(description='"1", "II", "Điều 3", "a", "-"')
    text: str = Field(description="The item's full text, whitespace collapsed")
    assignees: list[str] = Field(default_factory=list, description="Responsible units, lead first")
    lead: str | None = None
    support: list[str] = Field(default_factory=list)
    deadline: str | None = Field(default=None, pattern=r"^\d{4}-\d{2}-\d{2}$")
    deadline_text: str | None = None
    due: str | None = Field(default=None, pattern=r"^\d{4}-\d{2}-\d{2}$", description=_DUE)
    due_kind: DueKind | None = Field(default=None, description=_DUE_KIND)
    children: list[Assignment] = Field(default_factory=list)


class Signer(Strict):
    name: str | None = None
    title: str | None = None
    prefix: SignerPrefix | None = None
    block: list[str] = Field(default_factory=list)


class DocumentRef(Strict):
    number_symbol: str | None
    date: str | None


class Task(Strict):
    task_id: str
    document: DocumentRef
    assignment: str = Field(description="Label of the assignment (child labels joined by '.')")
    assignee: str
    role: Role
    action: str = Field(description="The clause or sentences of the item that give this unit its work")
    deadline: str | None = Field(default=None, pattern=r"^\d{4}-\d{2}-\d{2}$")
    deadline_text: str | None = None
    due: str | None = Field(default=None, pattern=r"^\d{4}-\d{2}-\d{2}$", description=_DUE)
    due_kind: DueKind | None = Field(default=None, description=_DUE_KIND)
    recurring: bool = False


class ReceiptStamp(Strict):
    """The incoming "ĐẾN" stamp: never the letter's own number or date."""

    number: str | None = None
    date: str | None = None
    date_text: str | None = None
    text: str


class DuplicateOf(Strict):
    """The letter stored earlier with the same issuer, number and symbol, and date, but
    other bytes (a re-scan, a forwarded copy): set by ingestion, never by ``vanthu extract``."""

    id: str = Field(pattern=r"^sha256:[0-9a-f]{64}$", description="The earlier letter's id")
    file: str | None = Field(default=None, description="The file name it arrived under")
    number_symbol: str | None = Field(default=None, description="Its number and symbol, e.g. 19/QĐ-UBND")
    arrival_year: int | None = Field(default=None, description="The year of its arrival number")
    arrival_number: int | None = Field(default=None, ge=1, description="Its arrival number (số đến) in that year")


class Appendix(Strict):
    """A part of the file after the letter that belongs to it: an appendix ("PHỤ LỤC",
    "Danh mục …") or the draft it submits (a Tờ trình's draft Nghị quyết). Its numbered
    items are not the letter's assignments."""

    kind: Literal["appendix", "draft"] = Field(
        description="appendix: PHỤ LỤC/DANH MỤC…; draft: a draft the letter submits"
    )
    title: str | None = Field(default=None, description="Its heading as printed, e.g. 'PHỤ LỤC I DANH MỤC …'")
    pages: list[int] = Field(default_factory=list, description="1-based pages it is printed on")


class CopyBlock(Strict):
    """The copying office's block of a SAO Y / SAO LỤC / TRÍCH SAO copy: who copied the
    letter, when and under which number. The letter itself is the original."""

    kind: Literal["SAO Y", "SAO LỤC", "TRÍCH SAO"] = Field(description="The form of the copy, as printed")
    issuer: str | None = Field(default=None, description="The copying office, as printed")
    number_symbol: str | None = Field(default=None, description="The copy's own number, e.g. 05/SY-VP")
    place: str | None = Field(default=None, description="The place before the copy's date")
    date: str | None = Field(default=None, pattern=r"^\d{4}-\d{2}-\d{2}$", description="The copy's date (ISO)")
    signer_title: str | None = Field(default=None, description="Who signed the copy: the title")
    signer_name: str | None = Field(default=None, description="Who signed the copy: the name")
    pages: list[int] = Field(default_factory=list, description="1-based pages the block is printed on")


class Provenance(Strict):
    page: int = Field(ge=1, description="1-based page number")
    bbox: tuple[float, float, float, float] | None = Field(
        default=None, description="x0, y0, x1, y1 from the top-left corner of the page"
    )
    unit: BBoxUnit | None = None
    confidence: float = Field(ge=0, le=1)


class WarningDetail(Strict):
    """One warning for programs: the sentence of ``warnings`` with the field and the page apart."""

    message: str = Field(description="The sentence, as in `warnings`")
    field: str | None = Field(default=None, description="JSON pointer of the field it is about, e.g. /assignments/4")
    page: int | None = Field(default=None, ge=1, description="1-based page it is about; null when it is no one page")


# -- digital signatures (issue 19): what a signed PDF's signatures say, and a date they witness
DateSource = Literal["printed", "signature"]


class Signature(Strict):
    """One digital signature (chữ ký số) of a signed PDF (``pipeline/read/signatures.py``)."""

    signer: str | None = Field(default=None, description="The certificate subject's common name (CN)")
    organisation: str | None = Field(default=None, description="The certificate subject's organisation (O)")
    signed_at: str | None = Field(
        default=None, description="ISO 8601 time of signing, Vietnam time: the timestamp token's, else self-reported"
    )
    intact: bool = Field(
        description="The signed bytes are unchanged and later revisions add only what DocMDP allows "
        "(form filling, further signatures); false for a signature that cannot be parsed"
    )
    trusted: bool | None = Field(
        default=None, description="The certificate chains to a root of VANTHU_CA_BUNDLE; null when none is configured"
    )


class DispatchRecord(Strict):
    # ``copy`` is the contract's name for the copying office's block; in Python it is
    # ``copy_block`` (``copy`` is a pydantic method), in JSON ``copy`` both ways
    model_config = ConfigDict(
        extra="forbid", validate_assignment=True, serialize_by_alias=True, validate_by_name=True, validate_by_alias=True
    )

    schema_version: int = SCHEMA_VERSION
    id: str = Field(pattern=r"^sha256:[0-9a-f]{64}$")
    source: Source
    doc_type: str | None = None
    issuer: str | None = None
    parent_issuer: str | None = None
    number: str | None = None
    symbol: str | None = None
    number_symbol: str | None = None
    place: str | None = None
    date: str | None = Field(default=None, pattern=r"^\d{4}-\d{2}-\d{2}$")
    date_text: str | None = None
    date_source: DateSource | None = Field(
        default=None, description="printed: read from the page; signature: the day from the signing time (warned)"
    )
    subject: str | None = None
    urgency: Literal["Khẩn", "Thượng khẩn", "Hỏa tốc"] | None = None
    confidentiality: Literal["Mật", "Tối mật", "Tuyệt mật"] | None = None
    recipients: list[str] = Field(default_factory=list)
    references: list[Reference] = Field(default_factory=list)
    assignments: list[Assignment] = Field(default_factory=list)
    signer: Signer | None = None
    distribution: list[str] = Field(default_factory=list)
    tasks: list[Task] = Field(default_factory=list)
    receipt_stamp: ReceiptStamp | None = None
    duplicate_of: DuplicateOf | None = Field(
        default=None,
        description="Ingestion only: the same letter stored before (other bytes); no key when there is none",
    )
    appendices: list[Appendix] = Field(
        default_factory=list, description="Appendices and attached drafts after the letter"
    )
    copy_block: CopyBlock | None = Field(
        default=None,
        alias="copy",
        description="The copying office's block when the file is a SAO Y/SAO LỤC/TRÍCH SAO copy",
    )
    other_pages: list[int] = Field(
        default_factory=list, description="Pages of other papers in the same file (a form, another letter), not read"
    )
    signatures: list[Signature] = Field(default_factory=list, description="The digital signatures of a signed PDF")
    warnings: list[str] = Field(
        default_factory=list,
        description="Anything the reader should check, one sentence (Vietnamese) each, naming the field and the page",
    )
    warning_details: list[WarningDetail] = Field(
        default_factory=list, description="The same warnings, in order, with the field's JSON pointer and the page"
    )
    provenance: dict[str, Provenance] = Field(
        default_factory=dict, description="JSON pointer of a field or list item -> where it was read"
    )

    @field_validator("number_symbol")
    @classmethod
    def _no_spaces(cls, v: str | None) -> str | None:
        return None if v is None else "".join(v.split())

    @model_serializer(mode="wrap")
    def _omit_no_duplicate(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        """No ``duplicate_of`` key for a letter that is no copy (``OMITTED_WHEN_NULL``):
        records and their JSON as before the field existed."""
        data = handler(self)
        for name in OMITTED_WHEN_NULL:
            if data.get(name, True) is None:
                del data[name]
        return data

    def to_json(self) -> str:
        """Readable UTF-8 JSON (Vietnamese stays Vietnamese in diffs)."""
        return self.model_dump_json(indent=2, ensure_ascii=False)


def json_schema() -> dict[str, Any]:
    """The JSON Schema of the record, as committed in ``schema/dispatch.schema.json``."""
    schema = DispatchRecord.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = "https://vanthu.example/schema/dispatch.schema.json"
    return schema
