#!/usr/bin/env python3
"""Render a layout source JSON into an A4 PDF laid out per Decree 30 (Nghị định 30/2020/NĐ-CP).

    .venv/bin/python tools/render_letter.py LAYOUT.json OUT.pdf

The renderer is :mod:`vanthu.samplegen.render` (``render_letter(layout, out_path)``), shared
with the tests; this file is its command line.
"""

from __future__ import annotations

import sys

from vanthu.samplegen.render import main

if __name__ == "__main__":
    sys.exit(main())
