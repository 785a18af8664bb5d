"""``vanthu export``: edXML (vanthu/exports/edxml.py) and the Phụ lục VI fields
(vanthu/exports/phuluc6.py), each field checked against the record it came from."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from lxml import etree

from tests.support.stored import stored_tree
from vanthu.cli import main
from vanthu.exports.fields import URGENCY_CODES, code_parts
from vanthu.models import DispatchRecord
from vanthu.pipeline.errors import ExitCode

NS = {"e": "http://www.mic.gov.vn/TBT/QCVN_102_2016"}
HEADER = "/e:edXMLEnvelope/e:edXMLHeader/e:MessageHeader"


@pytest.fixture(scope="module")
def tree(tmp_path_factory):
    return stored_tree(tmp_path_factory.mktemp("exports"))


@pytest.fixture(scope="module")
def exported(tree, tmp_path_factory) -> dict[str, etree._ElementTree]:
    """The edXML of every letter of the tree, exported from the root."""
    root, _ = tree
    out = tmp_path_factory.mktemp("edxml")
    assert main(["export", str(root), "--format", "edxml", "--out", str(out)]) == ExitCode.OK
    return {p.stem: etree.parse(str(p)) for p in out.glob("*.xml")}


def _text(doc: etree._ElementTree, path: str) -> str | None:
    found = doc.xpath(f"{HEADER}/{path}", namespaces=NS)
    return found[0].text if found else None


def _due(r: DispatchRecord) -> str | None:
    return min((t.due for t in r.tasks if t.due), default=None)


# (XPath under MessageHeader, the value the record gives)
FIELDS = [
    ("e:From/e:OrganName", lambda r: r.issuer),
    ("e:Code/e:CodeNumber", lambda r: r.number),
    ("e:Code/e:CodeNotation", lambda r: r.symbol),
    ("e:PromulgationInfo/e:Place", lambda r: r.place),
    ("e:PromulgationInfo/e:PromulgationDate", lambda r: r.date),
    ("e:DocumentType/e:TypeName", lambda r: r.doc_type),
    ("e:DocumentType/e:Type", lambda r: "1"),
    ("e:Subject", lambda r: r.subject),
    ("e:SignerInfo/e:Position", lambda r: r.signer.title),
    ("e:SignerInfo/e:FullName", lambda r: r.signer.name),
    ("e:DueDate", _due),
    ("e:SteeringType", lambda r: str(URGENCY_CODES[r.urgency])),
]


@pytest.mark.parametrize("name", ["cited", "cites", "other"])
@pytest.mark.parametrize(("path", "expected"), FIELDS, ids=[f[0] for f in FIELDS])
def test_edxml_field_equals_the_record(exported, tree, name, path, expected) -> None:
    _, records = tree
    record = records[name]
    value = expected(record)
    assert value is not None or name == "other"  # the letters give every field but "other"'s due date
    assert _text(exported[name], path) == value


@pytest.mark.parametrize(
    ("name", "competence", "places", "steering"),
    [
        ("cites", "KT. CHỦ TỊCH", ["Phòng Kinh tế", "Công an phường"], "1"),
        ("cited", None, ["Sở Tài chính"], "3"),
    ],
)
def test_edxml_signer_recipients_urgency(exported, name, competence, places, steering) -> None:
    doc = exported[name]
    assert _text(doc, "e:SignerInfo/e:Competence") == competence
    assert [p.text for p in doc.xpath(f"{HEADER}/e:ToPlaces/e:Place", namespaces=NS)] == places
    assert _text(doc, "e:SteeringType") == steering


def test_edxml_response_for_names_the_stored_letter_cited(exported, tree) -> None:
    _, records = tree
    cited = records["cited"]
    (rf,) = exported["cites"].xpath(f"{HEADER}/e:ResponseFor", namespaces=NS)
    assert rf.findtext("e:Code", namespaces=NS) == cited.number_symbol
    assert rf.findtext("e:PromulgationDate", namespaces=NS) == cited.date
    assert rf.findtext("e:DocumentId", namespaces=NS) == cited.id
    assert not exported["cited"].xpath(f"{HEADER}/e:ResponseFor", namespaces=NS)


def test_edxml_root_and_namespace(exported) -> None:
    root = exported["cites"].getroot()
    assert root.tag == "{http://www.mic.gov.vn/TBT/QCVN_102_2016}edXMLEnvelope"
    assert exported["cites"].docinfo.encoding == "UTF-8"


def test_export_of_one_record_file_finds_the_store_of_its_tree(tree, tmp_path: Path) -> None:
    root, records = tree
    assert main(["export", str(root / "out" / "cites.json"), "--out", str(tmp_path)]) == ExitCode.OK
    doc = etree.parse(str(tmp_path / "cites.xml"))
    assert _text(doc, "e:ResponseFor/e:Code") == records["cited"].number_symbol


@pytest.mark.parametrize("name", ["cited", "cites", "other"])
def test_phuluc6_json_fields_equal_the_record(tree, tmp_path: Path, name: str) -> None:
    root, records = tree
    record = records[name]
    assert main(["export", str(root / "out" / f"{name}.json"), "--format", "json", "--out", str(tmp_path)]) == 0
    fields = json.loads((tmp_path / f"{name}.json").read_text(encoding="utf-8"))
    assert list(fields) == [
        "CodeNumber", "CodeNotation", "OrganName", "IssuedDate", "Subject", "ArrivalDate", "ArrivalNumber",
        "SignerInfo", "Priority", "ToPlaces", "DueDate",
    ]  # fmt: skip
    assert (fields["CodeNumber"], fields["CodeNotation"]) == (record.number, record.symbol)
    assert fields["OrganName"] == record.issuer and fields["IssuedDate"] == record.date
    assert fields["Subject"] == record.subject and fields["ToPlaces"] == record.recipients
    assert fields["SignerInfo"]["FullName"] == record.signer.name
    assert fields["SignerInfo"]["Position"] == record.signer.title
    assert fields["Priority"] == URGENCY_CODES[record.urgency]
    assert fields["DueDate"] == _due(record)
    stamp = record.receipt_stamp
    assert fields["ArrivalNumber"] == (stamp.number if stamp else None)


@pytest.mark.parametrize(
    ("stored", "expected"),
    [
        ({"arrival_number": 17, "arrival_date": "2024-08-20"}, (17, "2024-08-20")),
        ({"arrival_number": None, "arrival_date": None}, (None, None)),
        ({}, (None, None)),
        (None, (None, None)),
    ],
)
def test_phuluc6_arrival_from_the_store_row_when_it_has_one(tree, stored, expected) -> None:
    from vanthu.exports.phuluc6 import incoming_fields

    _, records = tree
    fields = incoming_fields(records["cites"], stored)
    assert (fields["ArrivalNumber"], fields["ArrivalDate"]) == expected


@pytest.mark.parametrize(
    ("number", "symbol", "ns", "parts"),
    [
        ("123", "UBND-VX", "123/UBND-VX", ("123", "UBND-VX")),
        (None, None, "123/UBND-VX", ("123", "UBND-VX")),
        (None, None, "37-HD/BTGDVTW", ("37", "HD/BTGDVTW")),
        (None, None, "/UBND-NV", ("", "UBND-NV")),
        (None, "UBND-NV", "/UBND-NV", ("", "UBND-NV")),
        (None, None, None, ("", None)),
    ],
)
def test_code_parts(tree, number, symbol, ns, parts) -> None:
    _, records = tree
    record = records["other"].model_copy(update={"number": number, "symbol": symbol, "number_symbol": ns})
    assert code_parts(record) == parts


def test_export_of_a_missing_path_names_it_and_writes_the_others(tree, tmp_path: Path, capsys) -> None:
    root, _ = tree
    missing = tmp_path / "nope.json"
    code = main(["export", str(missing), str(root / "out" / "other.json"), "--out", str(tmp_path / "x")])
    assert code == ExitCode.NOT_FOUND
    assert f"{missing}: no such file" in capsys.readouterr().err
    assert (tmp_path / "x" / "other.xml").is_file()
