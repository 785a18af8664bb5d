"""The README documents the record's schema (tables generated from the models) with the
full record of the seed letter; ``vanthu schema`` prints the schema."""

from __future__ import annotations

import importlib.util
import json
import re
import sys

from tests.conftest import ROOT, SAMPLES
from vanthu.cli import main
from vanthu.models import DispatchRecord, json_schema
from vanthu.views.schemadoc import markdown_tables, objects, undocumented

README = (ROOT / "README.md").read_text(encoding="utf-8")


def _tool():
    spec = importlib.util.spec_from_file_location("readme_schema", ROOT / "tools" / "readme_schema.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("readme_schema", module)
    spec.loader.exec_module(module)
    return module


def test_readme_schema_section_is_current() -> None:
    assert _tool().refreshed(README) == README, (
        "README.md's schema tables or seed record are stale: run .venv/bin/python tools/readme_schema.py")


def test_every_field_is_documented() -> None:
    assert undocumented() == [], "describe these fields in the model or in flows/schemadoc.py NOTES"
    tables = markdown_tables()
    for obj, spec in objects().items():
        for name in spec["properties"]:
            assert re.search(rf"^\| `{name}` \|", tables, re.M), f"{obj}.{name}"


def test_readme_full_example_is_a_valid_record_of_the_seed_letter() -> None:
    block = re.search(r"<!-- seed-record:begin -->\n```json\n(.*?)```\n<!-- seed-record:end -->", README, re.S)
    assert block, "README has no full example record"
    example = json.loads(block.group(1))
    record = DispatchRecord.model_validate(example)
    assert record.source.file == "seed-cv-ubnd-langson.md"
    assert len(record.assignments) == 9 and len(record.tasks) == 16
    assert set(example) == set(json_schema()["properties"])  # every top-level field shown
    assert example == json.loads((SAMPLES / "seed-cv-ubnd-langson.expected.json").read_text(encoding="utf-8"))


def test_schema_command_prints_json_or_markdown(capsys) -> None:
    assert main(["schema"]) == 0
    assert json.loads(capsys.readouterr().out) == json.loads(json.dumps(json_schema(), ensure_ascii=False))
    assert main(["schema", "--markdown"]) == 0
    assert capsys.readouterr().out == markdown_tables()
