#!/usr/bin/env python3
"""Synthetic scans of Decree-30 letters at four levels (clean, noisy, hard, photo),
deterministic by seed.

    .venv/bin/python tools/scan_letter.py LAYOUT.json... --out DIR [--levels clean,noisy] [--seed 7]
    .venv/bin/python tools/scan_letter.py ../shared/corpus/letters --out /tmp/scans

The generator is :mod:`vanthu.samplegen.scan` (``scan_pages(layout, level, seed)``,
``write_scan``), shared with the tests and ``tools/eval_scans.py``; this file is its
command line.
"""

from __future__ import annotations

import sys

from vanthu.samplegen.scan import main

if __name__ == "__main__":
    sys.exit(main())
