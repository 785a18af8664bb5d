"""Typed values of vanthu: the dispatch record (output contract) and the pipeline's
intermediate values. No I/O."""

from vanthu.models.record import (
    SCHEMA_VERSION,
    Assignment,
    DispatchRecord,
    DocumentRef,
    DuplicateOf,
    PageSize,
    Provenance,
    ReceiptStamp,
    Reference,
    Signature,
    Signer,
    Source,
    Task,
    json_schema,
    nfc,
)

__all__ = [
    "SCHEMA_VERSION",
    "Assignment",
    "DispatchRecord",
    "DocumentRef",
    "DuplicateOf",
    "PageSize",
    "Provenance",
    "ReceiptStamp",
    "Reference",
    "Signature",
    "Signer",
    "Source",
    "Task",
    "json_schema",
    "nfc",
]
