"""``vanthu export PATH... --format edxml|json --out DIR``: one file per letter for another
system: an edXML message header (:mod:`vanthu.exports.edxml`) or the Phụ lục VI input fields
as JSON (:mod:`vanthu.exports.phuluc6`).

A PATH is a saved record (``.json``/``.jsonl``) or an ingestion root (its ``out/*.json``).
The store of the tree (``ROOT/vanthu.db``, or ``--store``) gives the letters each one cites
(edXML ResponseFor) and the arrival number and date where it keeps them; without a store
these are left out.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from vanthu.models.record import DispatchRecord
from vanthu.output import exit_code_for, say, write_atomic
from vanthu.pipeline.errors import ExitCode, InputNotFound, OutputNotWritable, VanthuError
from vanthu.pipeline.i18n import _, ngettext

FORMATS = {"edxml": ".xml", "json": ".json"}


def _sources(path: Path) -> tuple[list[Path], Path | None]:
    """The record files of ``path`` and the ingestion root they belong to (if any)."""
    from vanthu.views.terminal import is_record_file

    if path.is_dir():
        if not (path / "out").is_dir():
            raise InputNotFound(
                path, _("no out/ folder here"), hint=_("give an ingestion root or a saved record (.json)")
            )
        return sorted(p for p in (path / "out").iterdir() if p.suffix.lower() == ".json"), path
    if not path.exists():
        raise InputNotFound(path, _("no such file"))
    if not is_record_file(path):
        raise InputNotFound(path, _("not a saved record"), hint=_("give a record saved as .json, or an ingestion root"))
    parent = path.absolute().parent
    return [path], parent.parent if parent.name == "out" else None


class _Store:
    """The letters of one store (rows with their records) and the links between them."""

    def __init__(self, url: str | None):
        self.docs: dict[str, dict[str, Any]] = {}
        if url is None:
            return
        from vanthu.flows.links import stored_documents
        from vanthu.flows.store import open_store

        with open_store(url) as db:
            self.docs = {d["sha256"]: d for d in stored_documents(db)}

    def cited(self, record: DispatchRecord) -> list[dict[str, Any]]:
        """The stored letters ``record`` cites (itself counted among the letters even
        when the store does not hold it)."""
        from vanthu.flows.links import cites, find_links

        sha = record.source.sha256
        docs = dict(self.docs)
        if sha not in docs:
            row = {"sha256": sha, "number_symbol": record.number_symbol, "issuer": record.issuer, "date": record.date}
            docs[sha] = dict(row, record=record.model_dump())
        return [
            dict(docs[link.target_sha256], id=f"sha256:{link.target_sha256}")
            for link in cites(find_links(docs.values()), sha)
        ]


def _store_url(root: Path | None, store: str | None) -> str | None:
    from vanthu.flows.store import default_url

    if store is not None:
        return store
    return default_url(root) if root is not None and (root / "vanthu.db").is_file() else None


def _write_one(record: DispatchRecord, fmt: str, out: Path, used: set[str], stores: _Store) -> Path:
    from vanthu.exports import edxml, phuluc6

    stem = Path(record.source.file).stem or record.source.sha256[:12]
    if stem in used:
        stem = f"{stem}.{record.source.sha256[:8]}"
    used.add(stem)
    target = out / f"{stem}{FORMATS[fmt]}"
    if fmt == "edxml":
        write_atomic(target, edxml.to_bytes(record, stores.cited(record)).decode("utf-8"))
    else:
        fields = phuluc6.incoming_fields(record, stores.docs.get(record.source.sha256))
        write_atomic(target, json.dumps(fields, ensure_ascii=False, indent=2) + "\n")
    return target


def cmd_export(paths: list[Path], *, fmt: str, out: Path, store: str | None = None) -> int:
    """Write one ``.xml`` (edxml) or ``.json`` (Phụ lục VI) per letter into ``out``; a
    PATH that cannot be read is reported and the others are still written."""
    from vanthu.views.terminal import load_record_file

    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputNotWritable(out, _("cannot write here: {reason}").format(reason=exc.strerror or exc)) from None
    failures: list[ExitCode] = []
    used: set[str] = set()
    written = 0
    stores: dict[str | None, _Store] = {}
    for path in paths:
        try:
            files, root = _sources(path)
            url = _store_url(root, store)
            if url not in stores:
                stores[url] = _Store(url)
            for file in files:
                for record in load_record_file(file):
                    _write_one(record, fmt, out, used, stores[url])
                    written += 1
        except VanthuError as exc:
            say(exc.line())
            failures.append(exc.exit_code)
    letters = ngettext("{n} letter written as {fmt}", "{n} letters written as {fmt}", written)
    failed = ngettext("{n} path failed", "{n} paths failed", len(failures))
    print(f"{out}: {letters.format(n=written, fmt=fmt)}, {failed.format(n=len(failures))}")
    return int(exit_code_for(failures))
