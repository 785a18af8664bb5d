#!/usr/bin/env python3
"""Render a "layout source" JSON into an A4 PDF laid out per Nghị định 30/2020/NĐ-CP.

The input is the format of ``corpus/letters/*.json``: the printed lines of each
region of the page (``header_left``, ``header_right``, ``number_line``,
``place_date``, ``marks``, ``subject_left``, ``title``, ``recipients``, ``body``,
``distribution``, ``signer``), plus an optional ``stamp`` (lines of an incoming
"ĐẾN" receipt stamp).  Other keys (``source`` …) are ignored.

The output is deterministic: the same layout and the same font files give a
byte-identical PDF (fixed creation date, no random ids), so the PDFs can serve
as fixtures and as the clean input of a synthetic-scan generator.

Usage::

    python tools/render_letter.py LAYOUT.json OUT.pdf
    python -m vanthu.samplegen.render LAYOUT.json OUT.pdf

    from vanthu.samplegen.render import render_letter
    render_letter(layout_dict, Path("out.pdf"))

Fonts: Liberation Serif (regular, bold, italic, bold-italic) with Vietnamese
glyphs.  On Debian 12 that is the package ``fonts-liberation2``
(``/usr/share/fonts/truetype/liberation2``); the older ``fonts-liberation``
1.07 in ``/usr/share/fonts/truetype/liberation`` has no Vietnamese letters
(ư, ơ, ạ, ế …) and is only used if it has them (Debian 13 ships 2.x there).
Set ``VANTHU_FONT_DIR`` to use another directory holding the four
``LiberationSerif-*.ttf`` files.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from collections.abc import Iterable
from pathlib import Path

from vanthu.samplegen.canvas import FontsNotFoundError, find_font_dir
from vanthu.samplegen.renderer import Renderer

__all__ = ["render_letter", "render_file", "find_font_dir", "FontsNotFoundError", "main"]

# ---------------------------------------------------------------------------
# API


def render_letter(layout: dict, out_path: Path, font_dir: Path | str | None = None) -> None:
    """Render `layout` (a layout-source dict) to an A4 PDF at `out_path`.

    Deterministic: the same layout and fonts give byte-identical output.
    The file is written to a temporary name and moved into place.
    """
    fonts = find_font_dir(str(font_dir) if font_dir else None)
    pdf = Renderer(layout, fonts).render()
    data = bytes(pdf.output())
    out_path = Path(out_path)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=out_path.name + ".", suffix=".tmp", dir=out_path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.chmod(tmp, 0o644)  # mkstemp creates 0600; give the usual file mode
        os.replace(tmp, out_path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def render_file(layout_path: Path | str, out_path: Path | str) -> None:
    with open(layout_path, encoding="utf-8") as fh:
        layout = json.load(fh)
    render_letter(layout, Path(out_path))


def main(argv: Iterable[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if len(args) != 2 or args[0] in {"-h", "--help"}:
        print("usage: python tools/render_letter.py LAYOUT.json OUT.pdf", file=sys.stderr)
        return 2
    try:
        render_file(args[0], args[1])
    except FontsNotFoundError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 3
    except (OSError, json.JSONDecodeError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
