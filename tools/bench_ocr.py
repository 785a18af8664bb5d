#!/usr/bin/env python3
"""OCR benchmark (not a test): seconds per page for the OCR reader at several
resolutions and worker counts, on scanned PDFs or images.

    .venv/bin/python tools/bench_ocr.py ../shared/real/*.pdf [--dpi 300 200] [--workers 1 2]

Accuracy at each resolution is measured with the evaluation, e.g.
``VANTHU_OCR_DPI=200 vanthu eval ../shared/real``.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("files", nargs="+")
    ap.add_argument("--dpi", type=int, nargs="+", default=[300, 200])
    ap.add_argument("--workers", type=int, nargs="+", default=[1, os.cpu_count() or 1])
    args = ap.parse_args()

    from vanthu.pipeline.ocr.options import OcrOptions
    from vanthu.pipeline.ocr.pages import ocr_pages
    from vanthu.pipeline.read.detect import load_input

    inputs = [load_input(f) for f in args.files]
    print(f"{'dpi':>4} {'workers':>7} {'pages':>5} {'seconds':>8} {'s/page':>7} {'words':>6} {'mean conf':>9}")
    for dpi in args.dpi:
        for workers in args.workers:
            opts = OcrOptions(dpi=dpi, workers=workers)
            t0 = time.perf_counter()
            pages = [p for inp in inputs for p in ocr_pages(inp, opts=opts)]
            dt = time.perf_counter() - t0
            words = [w for p in pages for w in p.words]
            conf = sum(w.confidence for w in words) / len(words) if words else 0.0
            print(
                f"{dpi:>4} {workers:>7} {len(pages):>5} {dt:>8.1f} {dt / max(len(pages), 1):>7.2f} "
                f"{len(words):>6} {conf:>9.3f}"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
