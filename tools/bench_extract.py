"""Benchmark (not a test): letters/second of `vanthu extract` on digital PDFs in one
process (warm), and the CLI's cold-start time.

    .venv/bin/python tools/bench_extract.py [DIR]   # default ../shared/corpus/pdf
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT.parent / "shared" / "corpus" / "pdf"
    files = sorted(folder.glob("*.pdf"))
    if not files:
        print(f"no PDFs in {folder}", file=sys.stderr)
        return 1
    from vanthu.pipeline.extract import extract_file

    t0 = time.perf_counter()
    extract_file(files[0])  # load spaCy, underthesea, rules
    first = time.perf_counter() - t0
    rounds = 3
    t0 = time.perf_counter()
    for _ in range(rounds):
        for f in files:
            extract_file(f)
    warm = time.perf_counter() - t0
    print(f"first letter (imports + models): {first:.2f} s")
    print(f"warm: {rounds * len(files)} letters in {warm:.2f} s = {rounds * len(files) / warm:.1f} letters/s")

    exe = ROOT / ".venv" / "bin" / "vanthu"
    for label, args in (("vanthu --version", ["--version"]), ("vanthu extract <1 pdf>", ["extract", str(files[0])])):
        times = []
        for _ in range(5):
            t0 = time.perf_counter()
            subprocess.run([str(exe), *args], check=True, stdout=subprocess.DEVNULL)
            times.append(time.perf_counter() - t0)
        print(f"cold start, {label}: median {statistics.median(times):.2f} s (min {min(times):.2f})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
