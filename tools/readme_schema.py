#!/usr/bin/env python3
"""Refresh the generated parts of README.md's "Record schema" section.

* between ``<!-- schema-tables:begin -->`` and ``<!-- schema-tables:end -->``: the field
  tables of ``vanthu schema --markdown`` (from the pydantic models);
* between ``<!-- seed-record:begin -->`` and ``<!-- seed-record:end -->``: the full record
  of the seed letter, ``samples/seed-cv-ubnd-langson.expected.json`` (what
  ``vanthu extract samples/seed-cv-ubnd-langson.md`` prints).

Usage: ``.venv/bin/python tools/readme_schema.py`` (``--check`` exits 1 when stale).
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
SEED_RECORD = ROOT / "samples" / "seed-cv-ubnd-langson.expected.json"


def blocks() -> dict[str, str]:
    from vanthu.views.schemadoc import markdown_tables

    record = SEED_RECORD.read_text(encoding="utf-8").rstrip("\n")
    return {"schema-tables": markdown_tables(), "seed-record": f"```json\n{record}\n```\n"}


def refreshed(text: str) -> str:
    for name, body in blocks().items():
        pattern = re.compile(rf"(<!-- {name}:begin -->\n).*?(<!-- {name}:end -->)", re.S)
        if not pattern.search(text):
            raise SystemExit(f"README.md has no <!-- {name}:begin/end --> markers")
        text = pattern.sub(lambda m: m.group(1) + body + m.group(2), text)
    return text


def main(argv: list[str]) -> int:
    old = README.read_text(encoding="utf-8")
    new = refreshed(old)
    if "--check" in argv:
        return 0 if new == old else 1
    if new != old:
        README.write_text(new, encoding="utf-8")
        print("README.md updated")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
