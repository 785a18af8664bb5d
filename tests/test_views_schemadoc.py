"""docs/schema.md documents the record's schema (tables generated from the models) with the
full record of the seed letter; ``vanthu schema`` prints the schema. ``tools/schema_doc.py``
writes the generated blocks; this test rebuilds them itself (tests do not import tools/)."""

from __future__ import annotations

import json
import re

from tests.conftest import ROOT, SAMPLES
from vanthu.cli import main
from vanthu.models import DispatchRecord, json_schema
from vanthu.models.record import OMITTED_WHEN_NULL
from vanthu.views.schemadoc import markdown_tables, objects, undocumented

SCHEMA_DOC = (ROOT / "docs" / "schema.md").read_text(encoding="utf-8")
SEED_RECORD = SAMPLES / "seed-cv-ubnd-langson.expected.json"


def _block(name: str) -> str:
    found = re.search(rf"<!-- {name}:begin -->\n(.*?)<!-- {name}:end -->", SCHEMA_DOC, re.S)
    assert found, f"docs/schema.md has no <!-- {name}:begin/end --> markers"
    return found.group(1)


def test_schema_doc_is_current() -> None:
    stale = "docs/schema.md's schema tables or seed record are stale: run .venv/bin/python tools/schema_doc.py"
    assert _block("schema-tables") == markdown_tables(), stale
    record = SEED_RECORD.read_text(encoding="utf-8").rstrip("\n")
    assert _block("seed-record") == f"```json\n{record}\n```\n", stale


def test_every_field_is_documented() -> None:
    assert undocumented() == [], "describe these fields in the model or in vanthu/views/schemadoc.py NOTES"
    tables = markdown_tables()
    for obj, spec in objects().items():
        for name in spec["properties"]:
            assert re.search(rf"^\| `{name}` \|", tables, re.M), f"{obj}.{name}"


def test_full_example_is_a_valid_record_of_the_seed_letter() -> None:
    block = re.search(r"<!-- seed-record:begin -->\n```json\n(.*?)```\n<!-- seed-record:end -->", SCHEMA_DOC, re.S)
    assert block, "docs/schema.md has no full example record"
    example = json.loads(block.group(1))
    record = DispatchRecord.model_validate(example)
    assert record.source.file == "seed-cv-ubnd-langson.md"
    assert len(record.assignments) == 9 and len(record.tasks) == 16
    shown = set(json_schema()["properties"]) - set(OMITTED_WHEN_NULL)  # (no key on the seed letter)
    assert set(example) == shown  # every top-level field shown
    assert example == json.loads((SAMPLES / "seed-cv-ubnd-langson.expected.json").read_text(encoding="utf-8"))


def test_schema_command_prints_json_or_markdown(capsys) -> None:
    assert main(["schema"]) == 0
    assert json.loads(capsys.readouterr().out) == json.loads(json.dumps(json_schema(), ensure_ascii=False))
    assert main(["schema", "--markdown"]) == 0
    assert capsys.readouterr().out == markdown_tables()
