"""The values both exports take from a record: the number split into CodeNumber and
CodeNotation, the signer's competence, the earliest due date, the urgency code."""

from __future__ import annotations

from vanthu.models.record import Assignment, DispatchRecord

#: The urgency mark as a code, for edXML's SteeringType and Phụ lục VI's Priority:
#: 0 ordinary (no mark), 1 Khẩn, 2 Thượng khẩn, 3 Hỏa tốc (the order of the marks in
#: Decree 30/2020, most urgent last).
URGENCY_CODES: dict[str | None, int] = {None: 0, "Khẩn": 1, "Thượng khẩn": 2, "Hỏa tốc": 3}

#: edXML DocumentType/Type: 2 for a legal normative document (these type names), 1 for
#: an administrative one (every other type, a công văn included).
LEGAL_NORMATIVE_TYPES = frozenset(
    {"Hiến pháp", "Bộ luật", "Luật", "Pháp lệnh", "Nghị định", "Thông tư", "Thông tư liên tịch"}
)
ADMINISTRATIVE, LEGAL_NORMATIVE = "1", "2"


def code_parts(record: DispatchRecord) -> tuple[str, str | None]:
    """(CodeNumber, CodeNotation): "123/UBND-VX" gives ("123", "UBND-VX"), a Party
    document's "37-HD/BTGDVTW" ("37", "HD/BTGDVTW"), a blank number "/UBND-NV" ("", "UBND-NV");
    the record's own ``number`` and ``symbol`` where it has them."""
    if record.number is not None or record.symbol is not None:
        return record.number or "", record.symbol
    ns = record.number_symbol
    if not ns:
        return "", None
    for sep in ("/", "-"):
        number, found, notation = ns.partition(sep)
        if found and (number.isdigit() or not number):
            return number, notation or None
    return ns, None


def competence(record: DispatchRecord) -> str | None:
    """The signing authority as printed: the block's line that starts with the prefix
    ("KT. CHỦ TỊCH", "TM. ỦY BAN NHÂN DÂN"), else the prefix alone; None without one."""
    s = record.signer
    if s is None or s.prefix is None:
        return None
    stem = s.prefix.rstrip(".").upper()
    for line in s.block:
        head = line.strip().upper().replace("/", "")
        if head.startswith(stem):
            return line.strip()
    return s.prefix


def _walk(items: list[Assignment]):
    for item in items:
        yield item
        yield from _walk(item.children)


def earliest_due(record: DispatchRecord) -> str | None:
    """The soonest ``due`` of the record's tasks and assignments (ISO), or None."""
    dates = [t.due for t in record.tasks] + [a.due for a in _walk(record.assignments)]
    return min((d for d in dates if d), default=None)


def document_type_code(doc_type: str | None) -> str:
    return LEGAL_NORMATIVE if doc_type in LEGAL_NORMATIVE_TYPES else ADMINISTRATIVE
