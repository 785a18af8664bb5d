#!/usr/bin/env python3
"""Refresh the generated parts of docs/schema.md, the record schema page.

* between ``<!-- schema-tables:begin -->`` and ``<!-- schema-tables:end -->``: the field
  tables of ``vanthu schema --markdown`` (from the pydantic models);
* between ``<!-- seed-record:begin -->`` and ``<!-- seed-record:end -->``: the full record
  of the seed letter, ``samples/seed-cv-ubnd-langson.expected.json`` (what
  ``vanthu extract samples/seed-cv-ubnd-langson.md`` prints).

Usage: ``.venv/bin/python tools/schema_doc.py`` (``--check`` exits 1 when stale).
``tests/test_views_schemadoc.py`` checks the same blocks.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from vanthu.views.schemadoc import markdown_tables

ROOT = Path(__file__).resolve().parents[1]
SCHEMA_DOC = ROOT / "docs" / "schema.md"
SEED_RECORD = ROOT / "samples" / "seed-cv-ubnd-langson.expected.json"


def blocks() -> dict[str, str]:
    record = SEED_RECORD.read_text(encoding="utf-8").rstrip("\n")
    return {"schema-tables": markdown_tables(), "seed-record": f"```json\n{record}\n```\n"}


def refreshed(text: str) -> str:
    for name, body in blocks().items():
        pattern = re.compile(rf"(<!-- {name}:begin -->\n).*?(<!-- {name}:end -->)", re.S)
        if not pattern.search(text):
            raise SystemExit(f"{SCHEMA_DOC.name} has no <!-- {name}:begin/end --> markers")
        text = pattern.sub(lambda m, body=body: m.group(1) + body + m.group(2), text)
    return text


def main(argv: list[str]) -> int:
    old = SCHEMA_DOC.read_text(encoding="utf-8")
    new = refreshed(old)
    if "--check" in argv:
        return 0 if new == old else 1
    if new != old:
        SCHEMA_DOC.write_text(new, encoding="utf-8")
        print(f"{SCHEMA_DOC.relative_to(ROOT)} updated")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
