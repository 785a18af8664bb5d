"""The record's JSON Schema as Markdown tables (``vanthu schema --markdown``, docs/schema.md).

Generated from the pydantic models' JSON Schema, so the tables cannot drift from the
code: a field's description is the model's own, else the note below (a test checks that
every field has one of the two).
"""

from __future__ import annotations

import json
from typing import Any

from vanthu.models import json_schema

#: Order of the tables (the record first, then the objects it holds).
OBJECTS = [
    "DispatchRecord",
    "Source",
    "PageSize",
    "Reference",
    "Assignment",
    "Signer",
    "Task",
    "DocumentRef",
    "ReceiptStamp",
    "Provenance",
]

#: Meanings of fields whose model has no description (in the words of ../shared/CONTRACT.md).
NOTES: dict[str, str] = {
    "DispatchRecord.schema_version": "Bumped on a breaking change",
    "DispatchRecord.id": "`sha256:` and the hex SHA-256 of the input file's bytes",
    "DispatchRecord.source": "The input file",
    "DispatchRecord.doc_type": "Type name in sentence case: Công văn (a V/v letter), Quyết định, Thông báo, Kế hoạch …",
    "DispatchRecord.issuer": "Issuing body as printed, wrapped lines joined by one space",
    "DispatchRecord.parent_issuer": "Governing body printed above the issuer, else null",
    "DispatchRecord.number": "Registration number as printed; null when left blank",
    "DispatchRecord.symbol": "Everything after the number's slash: UBND-NV, QĐ-UBND, 2020/NĐ-CP",
    "DispatchRecord.number_symbol": "number/symbol without spaces; /UBND-NV when the number is blank",
    "DispatchRecord.place": "Place of issue: TP. Lạng Sơn",
    "DispatchRecord.date": "Date of issue, ISO; null unless day, month and year are all printed",
    "DispatchRecord.date_text": "The printed date phrase: ngày 15 tháng 8 năm 2024",
    "DispatchRecord.subject": "Trích yếu: the V/v text of a công văn, or the line(s) under the type name",
    "DispatchRecord.urgency": "Urgency mark",
    "DispatchRecord.confidentiality": "Secrecy mark",
    "DispatchRecord.recipients": "The Kính gửi addressees, bullets and final ; or . stripped",
    "DispatchRecord.references": "Every other document cited, in order of first mention, each once",
    "DispatchRecord.assignments": "The top-level numbered items of the body (1., I., Điều 1. …)",
    "DispatchRecord.signer": "The signature block",
    "DispatchRecord.distribution": "The Nơi nhận entries, bullets and final punctuation stripped",
    "DispatchRecord.tasks": "One per (assignment, responsible unit); per recipient when an item names no unit",
    "DispatchRecord.receipt_stamp": "The incoming ĐẾN stamp, if any",
    "Source.sha256": "SHA-256 of the file's bytes",
    "Source.pages": "Number of pages",
    "Source.text_source": "Where the words came from",
    "PageSize.width": "Page width in `unit`",
    "PageSize.height": "Page height in `unit`",
    "Reference.date": "Date of the cited document, ISO, or null",
    "Reference.issuer": "Issuer of the cited document, or null",
    "Assignment.lead": "The unit that leads (chủ trì), or null",
    "Assignment.support": "Units that support (phối hợp)",
    "Assignment.deadline": "ISO date, or null (also for recurring and month-only deadlines)",
    "Assignment.deadline_text": "The deadline phrase: trước ngày 30/9/2024, thường xuyên",
    "Assignment.children": "Sub-items (a), b), - …)",
    "Signer.name": "Name of the signer",
    "Signer.title": "The last title line above the signature space: CHỦ TỊCH, PHÓ CHỦ TỊCH",
    "Signer.prefix": "Outermost authority prefix, normalised (K/T → KT.)",
    "Signer.block": "All lines of the signer block as printed",
    "Task.task_id": "Stable across re-runs: from the record id, the assignment label and the unit",
    "Task.document": "The letter's number/symbol and date",
    "Task.assignee": "The responsible unit",
    "Task.role": "lead, support, or recipient (an item naming no unit goes to every recipient)",
    "Task.action": "The assignment's text",
    "Task.deadline": "ISO date or null",
    "Task.deadline_text": "The deadline phrase",
    "Task.recurring": "thường xuyên, định kỳ, hằng quý …",
    "DocumentRef.number_symbol": "The letter's number/symbol",
    "DocumentRef.date": "The letter's date",
    "ReceiptStamp.number": "Incoming number written on the stamp",
    "ReceiptStamp.date": "Receipt date, ISO",
    "ReceiptStamp.date_text": "Receipt date as written",
    "ReceiptStamp.text": "The stamp's text",
    "Provenance.bbox": "x0, y0, x1, y1 from the top-left corner of the page, in `unit`; null without geometry",
    "Provenance.unit": "pt (PDF points: text layer) or px (pixels of the image OCR read; see source.page_sizes)",
    "Provenance.confidence": "Lowest confidence of the words the field was read from (1 for a text layer)",
}


def _ref_name(ref: str) -> str:
    return ref.rsplit("/", 1)[-1]


def type_of(prop: dict[str, Any]) -> str:
    """A short type for a JSON Schema property: ``string | null``, ``list[Reference]`` …"""
    if "$ref" in prop:
        return _ref_name(prop["$ref"])
    if "anyOf" in prop:
        return " \\| ".join(type_of(p) for p in prop["anyOf"])
    if "enum" in prop:
        return " \\| ".join(json.dumps(v, ensure_ascii=False) for v in prop["enum"])
    if "const" in prop:
        return json.dumps(prop["const"], ensure_ascii=False)
    kind = prop.get("type")
    if kind == "array":
        if "prefixItems" in prop:
            return "[" + ", ".join(type_of(p) for p in prop["prefixItems"]) + "]"
        return f"list[{type_of(prop.get('items', {}))}]"
    if kind == "object":
        extra = prop.get("additionalProperties")
        return f"map: string → {type_of(extra)}" if isinstance(extra, dict) else "object"
    if kind == "string" and prop.get("pattern") == r"^\d{4}-\d{2}-\d{2}$":
        return "date (YYYY-MM-DD)"
    return {"integer": "int", "number": "number", "boolean": "bool", "null": "null", "string": "string"}.get(
        kind or "", kind or "any"
    )


def description(obj: str, name: str, prop: dict[str, Any]) -> str | None:
    text = prop.get("description") or NOTES.get(f"{obj}.{name}")
    return None if text is None else text.replace("|", "\\|").replace("\n", " ")


def objects() -> dict[str, dict[str, Any]]:
    schema = json_schema()
    out = {"DispatchRecord": schema}
    out.update(schema["$defs"])
    return out


def undocumented() -> list[str]:
    """Fields with neither a model description nor a note (a test keeps this empty)."""
    return [
        f"{obj}.{name}"
        for obj, spec in objects().items()
        for name, prop in spec["properties"].items()
        if description(obj, name, prop) is None
    ]


def markdown_tables() -> str:
    """One table per object: field, type, required, meaning."""
    specs = objects()
    order = [o for o in OBJECTS if o in specs] + sorted(o for o in specs if o not in OBJECTS)
    parts = []
    for obj in order:
        spec = specs[obj]
        required = set(spec.get("required", []))
        title = "The record (top level)" if obj == "DispatchRecord" else f"`{obj}`"
        lines = [f"#### {title}", "", "| field | type | required | meaning |", "|---|---|---|---|"]
        for name, prop in spec["properties"].items():
            lines.append(
                f"| `{name}` | {type_of(prop)} | {'yes' if name in required else ''} | "
                f"{description(obj, name, prop) or ''} |"
            )
        parts.append("\n".join(lines))
    return "\n\n".join(parts) + "\n"
