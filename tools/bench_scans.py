#!/usr/bin/env python3
"""Benchmark (not a test): the whole ``vanthu extract`` on scanned letters against plain
Tesseract on the same pages, in one run.

    .venv/bin/python tools/bench_scans.py ../shared/real/*.pdf [--workers 2] [--rounds 3] [--json out.json]

1. **Plain Tesseract**: every page rasterised at 300 dpi to PNG (pypdfium2, grey), then
   ``tesseract page.png - -l vie``, one process per page, ``--workers`` in parallel,
   ``OMP_THREAD_LIMIT=1``. The rasterising is not timed: this is Tesseract's own cost.
2. **vanthu extract**: ``vanthu extract FILES --out TMP`` as a fresh process with
   ``VANTHU_OCR_WORKERS=--workers``: loading, rendering, cleaning, OCR, correction and
   parsing, start to finish (the cold start included).

Both are timed ``--rounds`` times, alternately (a run on this 2-core machine varies by
about 5% from one to the next); the medians are reported. Reports pages/second of
each, the pipeline's time as a share of Tesseract's, and the peak resident memory of the largest single process of the pipeline's run (the isolated
extraction worker or a Tesseract process: ``getrusage(RUSAGE_CHILDREN).ru_maxrss``).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def rasterise(files: list[Path], out: Path, dpi: int = 300) -> list[Path]:
    from vanthu.pipeline.load import load_input
    from vanthu.pipeline.raster import page_images

    pngs = []
    for f in files:
        inp = load_input(f)
        for n, img in page_images(inp.path, inp.media_type, dpi=dpi):
            png = out / f"{f.stem}-{n:03d}.png"
            img.convert("L").save(png)
            pngs.append(png)
    return pngs


def plain_tesseract(pngs: list[Path], workers: int) -> float:
    env = dict(os.environ, OMP_THREAD_LIMIT="1")

    def one(png: Path) -> None:
        subprocess.run(["tesseract", str(png), "-", "-l", "vie"], env=env, check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    t0 = time.perf_counter()
    with ThreadPoolExecutor(max_workers=workers) as pool:
        list(pool.map(one, pngs))
    return time.perf_counter() - t0


def pipeline(files: list[Path], workers: int, out: Path) -> tuple[float, int]:
    env = dict(os.environ, VANTHU_OCR_WORKERS=str(workers))
    exe = ROOT / ".venv" / "bin" / "vanthu"
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    t0 = time.perf_counter()
    subprocess.run([str(exe), "extract", *map(str, files), "--out", str(out)], env=env, check=True,
                   stdout=subprocess.DEVNULL)
    dt = time.perf_counter() - t0
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return dt, max(peak, before)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("files", nargs="+", type=Path)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--rounds", type=int, default=1, help="time both this many times; report the medians")
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        (tmp / "png").mkdir()
        pngs = rasterise(args.files, tmp / "png")
        n = len(pngs)
        pipe_runs, tess_runs, peak_kib = [], [], 0
        for r in range(max(1, args.rounds)):
            # the pipeline first: its peak memory is then the largest child of this process
            # (in the first round: later, plain Tesseract's processes count too)
            t_pipe, peak = pipeline(args.files, args.workers, tmp / f"out{r}")
            peak_kib = peak_kib or peak
            pipe_runs.append(t_pipe)
            tess_runs.append(plain_tesseract(pngs, args.workers))
    t_pipe, t_tess = statistics.median(pipe_runs), statistics.median(tess_runs)
    result = {
        "pages": n, "workers": args.workers,
        "tesseract_seconds": round(t_tess, 2), "tesseract_pages_per_second": round(n / t_tess, 3),
        "pipeline_seconds": round(t_pipe, 2), "pipeline_pages_per_second": round(n / t_pipe, 3),
        "pipeline_over_tesseract": round(t_pipe / t_tess, 3),
        "peak_rss_mib_largest_process": round(peak_kib / 1024, 1),
        "rounds": len(pipe_runs), "pipeline_runs": [round(t, 2) for t in pipe_runs],
        "tesseract_runs": [round(t, 2) for t in tess_runs],
    }
    print(f"{n} pages, {args.workers} workers, median of {len(pipe_runs)} round(s)")
    print(f"  plain tesseract (300 dpi PNG, OMP_THREAD_LIMIT=1): {t_tess:6.1f} s  {n / t_tess:.3f} pages/s")
    print(f"  vanthu extract (end to end, cold start included):  {t_pipe:6.1f} s  {n / t_pipe:.3f} pages/s")
    print(f"  pipeline / tesseract: {t_pipe / t_tess:.2f} (target <= 1.15)")
    print(f"  peak RSS of the largest process in the pipeline run: {peak_kib / 1024:.0f} MiB (target <= 400)")
    if args.json:
        args.json.write_text(json.dumps(result, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
