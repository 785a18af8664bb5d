"""``vanthu links [ROOT]``: which stored letter cites which ("citing → cited"), from the
references each record prints (:mod:`vanthu.flows.links`); and the "cites → …" /
"cited by ← …" of one stored letter, for ``vanthu letters --format json`` and the review
page of a letter read from the store.

The links are worked out from all stored letters each time, so they hold whichever letter
arrived first.
"""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

from vanthu.pipeline.errors import ExitCode, InputNotFound
from vanthu.pipeline.i18n import N_, _, ngettext

LINK_FIELDS = (
    "citing_number_symbol",
    "citing_date",
    "cited_number_symbol",
    "cited_date",
    "reference",
    "matched_by",
    "citing_sha256",
    "cited_sha256",
)

#: The table's columns (headings translated where shown): citing → cited.
LINK_COLUMNS: tuple[tuple[str, dict[str, Any]], ...] = (
    (N_("citing"), {"no_wrap": True}),
    (N_("date"), {"no_wrap": True}),
    ("", {"no_wrap": True}),
    (N_("cited"), {"no_wrap": True}),
    (N_("date"), {"no_wrap": True}),
    (N_("reference as printed"), {"ratio": 1, "overflow": "fold"}),
)


def open_root_store(root: Path, store: str | None) -> Any:
    """The store of ``root`` (or ``store``); a root without one is a clear error."""
    from vanthu.flows.store import default_url, open_store

    if store is None and not (root / "vanthu.db").exists():
        raise InputNotFound(
            root / "vanthu.db", _("no task store here"), hint=_("run `vanthu watch ROOT` first, or pass --store URL")
        )
    return open_store(store or default_url(root))


def stored_links(db: Any) -> tuple[list[Any], dict[str, dict[str, Any]]]:
    """Every link between the letters of ``db``, and the letters by their sha256."""
    from vanthu.flows.links import find_links, stored_documents

    docs = stored_documents(db)
    return find_links(docs), {d["sha256"]: d for d in docs}


def link_rows(links: list[Any], docs: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    rows = []
    for link in links:
        citing, cited = docs.get(link.source_sha256, {}), docs.get(link.target_sha256, {})
        rows.append(
            {
                "citing_number_symbol": link.source_number_symbol,
                "citing_date": citing.get("date"),
                "cited_number_symbol": link.target_number_symbol,
                "cited_date": cited.get("date"),
                "reference": link.reference,
                "matched_by": link.matched_by,
                "citing_sha256": link.source_sha256,
                "cited_sha256": link.target_sha256,
            }
        )
    return rows


def _side(sha: str, docs: dict[str, dict[str, Any]], link: Any) -> dict[str, Any]:
    doc = docs.get(sha, {})
    return {
        "number_symbol": doc.get("number_symbol"),
        "date": doc.get("date"),
        "issuer": doc.get("issuer"),
        "subject": doc.get("subject"),
        "sha256": sha,
        "reference": link.reference,
        "matched_by": link.matched_by,
    }


def links_of(sha256: str, links: list[Any], docs: dict[str, dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """``{"cites": [...], "cited_by": [...]}`` of one letter: the other letter's number,
    date, issuer, subject and sha256, with the reference as printed by the citing one."""
    from vanthu.flows.links import cited_by, cites

    return {
        "cites": [_side(link.target_sha256, docs, link) for link in cites(links, sha256)],
        "cited_by": [_side(link.source_sha256, docs, link) for link in cited_by(links, sha256)],
    }


def record_links(json_path: Path, sha256: str) -> dict[str, list[dict[str, Any]]] | None:
    """The links of a record saved by the ingestion (``ROOT/out/X.json`` with
    ``ROOT/vanthu.db``); None for a record outside an ingestion tree or a store that
    cannot be read (the review is still worth writing)."""
    db_path = json_path.absolute().parent.parent / "vanthu.db"
    if json_path.absolute().parent.name != "out" or not db_path.is_file():
        return None
    from vanthu.flows.store import open_store

    try:
        with open_store(db_path) as db:
            links, docs = stored_links(db)
    except Exception:  # noqa: BLE001 - a store that cannot be read just shows no links
        return None
    return links_of(sha256, links, docs) if sha256 in docs else None


def to_table(rows: list[dict[str, Any]], width: int | None = None) -> str:
    """A rich table "citing → cited" with both numbers and dates and the reference."""
    import shutil

    from rich.console import Console
    from rich.table import Table

    table = Table(box=None, header_style="bold", pad_edge=False, expand=False)
    for name, opts in LINK_COLUMNS:
        table.add_column(_(name) if name else "", **opts)
    for r in rows:
        table.add_row(
            r["citing_number_symbol"] or "—",
            r["citing_date"] or "—",
            "→",
            r["cited_number_symbol"] or "—",
            r["cited_date"] or "—",
            r["reference"],
        )
    buf = io.StringIO()
    Console(file=buf, width=width or shutil.get_terminal_size().columns, highlight=False, soft_wrap=False).print(table)
    return buf.getvalue() + ngettext("{n} link", "{n} links", len(rows)).format(n=len(rows)) + "\n"


def cmd_links(root: Path, *, store: str | None = None, fmt: str = "table", width: int | None = None) -> int:
    """List every link between the stored letters, as a table or JSON."""
    from vanthu.output import write_stdout

    with open_root_store(root, store) as db:
        links, docs = stored_links(db)
    rows = link_rows(links, docs)
    if fmt == "json":
        write_stdout(json.dumps(rows, ensure_ascii=False, indent=2) + "\n")
    else:
        write_stdout(to_table(rows, width))
    return int(ExitCode.OK)
