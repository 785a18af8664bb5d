"""Benchmark: a long archival scan, 6 A4 pages at 600 dpi (issue 19), read by ``vanthu
extract`` with the default limits. Prints the wall time, the exit code, the page sizes
the record gives and its warnings.

    .venv/bin/python tools/bench_archive.py [--pages 6] [--dpi 600] [--format tiff|pdf] [--keep DIR]

The scan is rendered from ``samples/src/cv-khan-ubnd-phuongx.json`` by the scan generator
(``vanthu.samplegen.scan``, level "clean"), its pages repeated up to ``--pages``.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LAYOUT = ROOT / "samples" / "src" / "cv-khan-ubnd-phuongx.json"


def archive_scan(folder: Path, pages: int, dpi: int, fmt: str) -> Path:
    from vanthu.samplegen.scan import scan_pages

    scan = scan_pages(json.loads(LAYOUT.read_text(encoding="utf-8")), "clean", seed=19, dpi=dpi)
    images = [scan.pages[i % len(scan.pages)].convert("L") for i in range(pages)]
    path = folder / f"archive-{pages}p-{dpi}dpi.{fmt}"
    images[0].save(path, save_all=True, append_images=images[1:], resolution=dpi, dpi=(dpi, dpi))
    return path


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pages", type=int, default=6)
    ap.add_argument("--dpi", type=int, default=600)
    ap.add_argument("--format", choices=("tiff", "pdf"), default="tiff")
    ap.add_argument("--keep", type=Path, help="write the scan and the record here")
    args = ap.parse_args(argv)
    folder = args.keep or Path(tempfile.mkdtemp(prefix="bench-archive-"))
    folder.mkdir(parents=True, exist_ok=True)
    scan = archive_scan(folder, args.pages, args.dpi, args.format)
    out = folder / "out"
    vanthu = Path(sys.executable).with_name("vanthu")
    t0 = time.perf_counter()
    run = subprocess.run(
        [str(vanthu), "extract", "--out", str(out), "--", str(scan)], capture_output=True, text=True, env=os.environ
    )
    seconds = time.perf_counter() - t0
    print(f"{scan.name}: {scan.stat().st_size / 2**20:.1f} MB, exit {run.returncode}, {seconds:.1f} s")
    for record_path in sorted(out.glob("*.json")) if out.exists() else []:
        record = json.loads(record_path.read_text(encoding="utf-8"))
        sizes = {(s["width"], s["height"], s["unit"]) for s in record["source"]["page_sizes"]}
        print(f"  pages {record['source']['pages']}, page sizes {sorted(sizes)}, issuer {record['issuer']!r}")
        for w in record["warnings"]:
            print(f"  warning: {w}")
    if run.returncode:
        print(run.stderr.strip())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
