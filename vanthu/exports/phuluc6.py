"""One incoming letter as the input fields of Phụ lục VI (Decree 30/2020), as JSON:
CodeNumber, CodeNotation, OrganName, IssuedDate, Subject, ArrivalDate, ArrivalNumber,
SignerInfo, Priority, ToPlaces, DueDate.

ArrivalNumber and ArrivalDate are the store's (``arrival_number``/``arrival_date`` of the
letter's row, where the store keeps them), else the incoming stamp ("ĐẾN") read on the
letter, else null. Priority is the urgency code of :data:`URGENCY_CODES`."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from vanthu.exports.fields import URGENCY_CODES, code_parts, competence, earliest_due
from vanthu.models.record import DispatchRecord

FIELDS = (
    "CodeNumber",
    "CodeNotation",
    "OrganName",
    "IssuedDate",
    "Subject",
    "ArrivalDate",
    "ArrivalNumber",
    "SignerInfo",
    "Priority",
    "ToPlaces",
    "DueDate",
)


def _arrival(record: DispatchRecord, stored: Mapping[str, Any] | None) -> tuple[Any, Any]:
    stored = stored or {}
    if stored.get("arrival_number") is not None or stored.get("arrival_date") is not None:
        return stored.get("arrival_number"), stored.get("arrival_date")
    stamp = record.receipt_stamp
    return (stamp.number, stamp.date) if stamp is not None else (None, None)


def incoming_fields(record: DispatchRecord, stored: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """The Phụ lục VI fields of ``record``; ``stored`` is its row in the store, if any."""
    number, notation = code_parts(record)
    arrival_number, arrival_date = _arrival(record, stored)
    signer = record.signer
    return {
        "CodeNumber": number,
        "CodeNotation": notation,
        "OrganName": record.issuer,
        "IssuedDate": record.date,
        "Subject": record.subject,
        "ArrivalDate": arrival_date,
        "ArrivalNumber": arrival_number,
        "SignerInfo": None
        if signer is None
        else {"Competence": competence(record), "Position": signer.title, "FullName": signer.name},
        "Priority": URGENCY_CODES.get(record.urgency, 0),
        "ToPlaces": list(record.recipients),
        "DueDate": earliest_due(record),
    }
