"""Extract the messages and update the Vietnamese catalog (a developer's tool, run as
``tools/i18n_catalog.py``; ``tests/test_i18n.py`` uses the same extraction).

    .venv/bin/python tools/i18n_catalog.py          # write pipeline/locale/vanthu.pot, merge into vi/.../vanthu.po
    .venv/bin/python tools/i18n_catalog.py --check  # exit 1 if a message lacks its Vietnamese

Messages are the calls ``_()``, ``N_()`` and ``ngettext()`` in ``vanthu/``, ``pipeline/``,
``flows/`` and ``models/``, and ``{{ _("…") }}`` / ``{% trans %}`` in the Jinja2 templates.
A new message enters the catalog untranslated; translate it in the ``.po`` file (msgstr).
A message no longer in the code is dropped (Babel keeps it as obsolete, not in use).
"""

from __future__ import annotations

import argparse
import sys
from io import BytesIO
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parents[1]  # the source tree (an editable install)
SOURCES = ("vanthu", "pipeline", "flows", "models")
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2)}
METHODS = [("**.py", "python"), ("**/templates/**.html", "jinja2")]
OPTIONS = {"**/templates/**.html": {"extensions": "jinja2.ext.i18n", "trimmed": "true"}}
POT = ROOT / "pipeline" / "locale" / "vanthu.pot"
PO = ROOT / "pipeline" / "locale" / "vi" / "LC_MESSAGES" / "vanthu.po"


def extract() -> Catalog:
    """Every message of the sources, with where it is used."""
    template = Catalog(project="vanthu", domain="vanthu", charset="utf-8")
    for source in SOURCES:
        folder = ROOT / source
        found = extract_from_dir(
            str(folder),
            METHODS,
            keywords=KEYWORDS,
            options_map=OPTIONS,
            comment_tags=("i18n:",),
            strip_comment_tags=True,
        )
        for filename, lineno, message, comments, context in found:
            where = (f"{source}/{filename}", lineno)
            template.add(message, None, [where], auto_comments=comments, context=context)
    return template


def merged(template: Catalog) -> Catalog:
    """The Vietnamese catalog updated to ``template`` (translations kept)."""
    if PO.is_file():
        with PO.open("rb") as fh:
            po = read_po(fh, locale="vi", domain="vanthu")
    else:
        po = Catalog(locale="vi", domain="vanthu", project="vanthu", charset="utf-8")
    po.update(template, no_fuzzy_matching=True)
    po.obsolete.clear()
    return po


def untranslated(po: Catalog) -> list[str]:
    missing = []
    for message in po:
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple | list) else (message.string,)
        if message.fuzzy or not all(strings):
            missing.append(message.id if isinstance(message.id, str) else message.id[0])
    return missing


def _bytes(catalog: Catalog) -> bytes:
    out = BytesIO()
    write_po(out, catalog, width=100, sort_output=True, omit_header=False, include_lineno=False)
    return out.getvalue()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true", help="only report missing translations")
    args = parser.parse_args(argv)
    template = extract()
    po = merged(template)
    missing = untranslated(po)
    if not args.check:
        POT.parent.mkdir(parents=True, exist_ok=True)
        POT.write_bytes(_bytes(template))
        PO.parent.mkdir(parents=True, exist_ok=True)
        PO.write_bytes(_bytes(po))
    print(f"i18n: {len(template)} messages, {len(missing)} without Vietnamese", file=sys.stderr)
    for message in missing:
        print(f"  {message}", file=sys.stderr)
    return 1 if missing else 0
