"""flows/ is ingestion only: it imports no argparse, rich or jinja2, and nothing of the app
layer (the CLI, the views, eval), imports inside functions counted."""

from __future__ import annotations

import ast
from pathlib import Path

import vanthu.flows

FLOWS = Path(vanthu.flows.__file__).parent
FORBIDDEN = (
    "argparse",
    "rich",
    "jinja2",
    "vanthu.cli",
    "vanthu.commands",
    "vanthu.output",
    "vanthu.views",
    "vanthu.evaluate",
    "vanthu.scoring",
)


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module)
            names.update(f"{node.module}.{a.name}" for a in node.names)
    return names


def test_flows_import_no_cli_nor_view_library() -> None:
    files = sorted(FLOWS.glob("*.py"))
    assert {f.name for f in files} >= {"inbox.py", "claims.py", "store.py", "steps.py", "ingest.py", "watch.py"}
    for f in files:
        bad = sorted(n for n in _imports(f) if any(n == x or n.startswith(x + ".") for x in FORBIDDEN))
        assert not bad, f"{f.name} imports {bad}"
