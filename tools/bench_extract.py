"""Benchmark (not a test): letters/second of `vanthu extract` on digital PDFs in one
process (warm), and the CLI's cold-start time.

    .venv/bin/python tools/bench_extract.py [DIR] [--rounds N] [--cold N]
    # default DIR ../shared/corpus/pdf; targets: >= 20 letters/s warm, cold start <= 1.5 s

Wall-clock times depend on what else the machine runs; the CPU seconds (user + system
time of this process, or of the CLI child processes) do much less, so both are printed.
The warm figure is split into reading the text layer and the rest of the pipeline.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _children_cpu() -> float:
    ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    return ru.ru_utime + ru.ru_stime


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("folder", nargs="?", type=Path, default=ROOT.parent / "shared" / "corpus" / "pdf")
    ap.add_argument("--rounds", type=int, default=3, help="passes over the folder for the warm figure")
    ap.add_argument("--cold", type=int, default=5, help="runs of the CLI for the cold-start figure")
    args = ap.parse_args()
    files = sorted(args.folder.glob("*.pdf"))
    if not files:
        print(f"no PDFs in {args.folder}", file=sys.stderr)
        return 1
    from vanthu.pipeline.extract import build_record
    from vanthu.pipeline.read.detect import load_input
    from vanthu.pipeline.read.pages import read_pages
    from vanthu.pipeline.settings import load_settings

    settings = load_settings()

    t0 = time.perf_counter()
    for f in files:  # imports, spaCy/underthesea models, rules, caches
        inp = load_input(f)
        build_record(inp, read_pages(inp, settings))
    first = time.perf_counter() - t0

    n = args.rounds * len(files)
    read_wall = rest_wall = 0.0
    c0 = time.process_time()
    for _ in range(args.rounds):
        for f in files:
            t0 = time.perf_counter()
            inp = load_input(f)
            pages = read_pages(inp, settings)
            t1 = time.perf_counter()
            build_record(inp, pages)
            read_wall += t1 - t0
            rest_wall += time.perf_counter() - t1
    cpu = time.process_time() - c0
    wall = read_wall + rest_wall
    print(f"warm-up pass over {len(files)} letters (imports + models): {first:.2f} s")
    print(
        f"warm: {n} letters in {wall:.2f} s wall = {n / wall:.1f} letters/s "
        f"(read {1000 * read_wall / n:.0f} ms + rest {1000 * rest_wall / n:.0f} ms per letter); "
        f"CPU {cpu:.2f} s = {n / cpu:.1f} letters/s"
    )

    exe = ROOT / ".venv" / "bin" / "vanthu"
    env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1")
    cases = (("vanthu --version", ["--version"]), ("vanthu extract <1 pdf>", ["extract", str(files[0])]))
    for label, cli_args in cases:
        walls, cpus = [], []
        for _ in range(args.cold):
            c0, t0 = _children_cpu(), time.perf_counter()
            subprocess.run([str(exe), *cli_args], check=True, stdout=subprocess.DEVNULL, env=env)
            walls.append(time.perf_counter() - t0)
            cpus.append(_children_cpu() - c0)
        print(
            f"cold start, {label}: median {statistics.median(walls):.2f} s wall (min {min(walls):.2f}), "
            f"median {statistics.median(cpus):.2f} s CPU"
        )
    load = os.getloadavg()[0]
    print(f"load average during the run: {load:.1f} on {os.cpu_count()} CPUs")
    return 0


if __name__ == "__main__":
    sys.exit(main())
