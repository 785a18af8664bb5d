"""One letter as an edXML message header (QCVN 102:2016/BTTTT, amended by Thông tư
01/2022/TT-BTTTT), namespace ``http://www.mic.gov.vn/TBT/QCVN_102_2016``, built with lxml.

Produced: ``edXMLEnvelope/edXMLHeader/MessageHeader`` with From (OrganName; OrganId left
empty: the registry's organ code is not printed on a letter), Code (CodeNumber,
CodeNotation), PromulgationInfo (Place, PromulgationDate in ISO), DocumentType (Type,
TypeName), Subject, SignerInfo (Competence, Position, FullName), DueDate, ToPlaces (one
Place per recipient), ResponseFor (one per stored letter this one cites) and SteeringType
(the urgency code of :data:`vanthu.exports.fields.URGENCY_CODES`). An element whose value
the letter does not give is left out.

Not produced: the body (attachments and their manifest), signatures, and the routing of the
envelope (To, TraceHeaderList, business and status messages), which belong to the system
that sends the message.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from lxml import etree

from vanthu.exports.fields import URGENCY_CODES, code_parts, competence, document_type_code, earliest_due
from vanthu.models.record import DispatchRecord

NAMESPACE = "http://www.mic.gov.vn/TBT/QCVN_102_2016"
PREFIX = "edXML"


def _q(name: str) -> str:
    return f"{{{NAMESPACE}}}{name}"


def _add(parent: etree._Element, name: str, text: str | None = None, *, empty: bool = False) -> etree._Element | None:
    """A child ``name`` holding ``text``; none when there is no text (unless ``empty``)."""
    if text is None and not empty:
        return None
    child = etree.SubElement(parent, _q(name))
    if text is not None:
        child.text = text
    return child


def _response_for(header: etree._Element, cited: Mapping[str, Any]) -> None:
    rf = etree.SubElement(header, _q("ResponseFor"))
    _add(rf, "OrganId", empty=True)
    _add(rf, "Code", cited.get("number_symbol"))
    _add(rf, "PromulgationDate", cited.get("date"))
    _add(rf, "DocumentId", cited.get("id") or (f"sha256:{cited['sha256']}" if cited.get("sha256") else None))


def message_header(record: DispatchRecord, cited: Iterable[Mapping[str, Any]] = ()) -> etree._Element:
    """The MessageHeader of ``record``; ``cited`` are the stored letters it cites (rows
    with number_symbol, date, sha256), in the order of its references."""
    header = etree.Element(_q("MessageHeader"), nsmap={PREFIX: NAMESPACE})
    sender = etree.SubElement(header, _q("From"))
    _add(sender, "OrganId", empty=True)
    _add(sender, "OrganName", record.issuer)
    code = etree.SubElement(header, _q("Code"))
    number, notation = code_parts(record)
    _add(code, "CodeNumber", number)
    _add(code, "CodeNotation", notation)
    promulgation = etree.SubElement(header, _q("PromulgationInfo"))
    _add(promulgation, "Place", record.place)
    _add(promulgation, "PromulgationDate", record.date)
    kind = etree.SubElement(header, _q("DocumentType"))
    _add(kind, "Type", document_type_code(record.doc_type))
    _add(kind, "TypeName", record.doc_type)
    _add(header, "Subject", record.subject)
    if record.signer is not None:
        signer = etree.SubElement(header, _q("SignerInfo"))
        _add(signer, "Competence", competence(record))
        _add(signer, "Position", record.signer.title)
        _add(signer, "FullName", record.signer.name)
    _add(header, "DueDate", earliest_due(record))
    if record.recipients:
        places = etree.SubElement(header, _q("ToPlaces"))
        for recipient in record.recipients:
            _add(places, "Place", recipient)
    for letter in cited:
        _response_for(header, letter)
    _add(header, "SteeringType", str(URGENCY_CODES.get(record.urgency, 0)))
    return header


def envelope(record: DispatchRecord, cited: Iterable[Mapping[str, Any]] = ()) -> etree._Element:
    root = etree.Element(_q("edXMLEnvelope"), nsmap={PREFIX: NAMESPACE})
    etree.SubElement(root, _q("edXMLHeader")).append(message_header(record, cited))
    return root


def to_bytes(record: DispatchRecord, cited: Iterable[Mapping[str, Any]] = ()) -> bytes:
    """The edXML document: UTF-8, with its XML declaration, indented."""
    return etree.tostring(envelope(record, cited), xml_declaration=True, encoding="UTF-8", pretty_print=True)
