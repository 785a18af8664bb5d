#!/usr/bin/env python3
"""Benchmark (not a test): the whole ``vanthu extract`` on scanned letters against plain
Tesseract on the same pages, in one run.

    .venv/bin/python tools/bench_scans.py ../shared/real/*.pdf [--workers 2] [--rounds 3] [--json out.json]

1. **Plain Tesseract**: every page rasterised at 300 dpi to PNG (pypdfium2, grey), then
   ``tesseract page.png - -l vie``, one process per page, ``--workers`` in parallel,
   ``OMP_THREAD_LIMIT=1``. The rasterising is not timed: this is Tesseract's own cost.
2. **vanthu extract**: ``vanthu extract FILES --out TMP --workers N`` as a fresh process,
   as a user runs it: loading, rendering, cleaning, OCR, correction and parsing, start
   to finish (the cold start included).

Both are timed ``--rounds`` times, alternately (a run on this 2-core machine varies by
about 5% from one to the next); the medians are reported. Reports pages/second of
each and the pipeline's time as a share of Tesseract's. The CPU seconds of each run
(user + system of every process under it, Tesseract's and the extraction workers'
included: ``getrusage`` of the children, which each parent waited for) are reported
too, and their ratio: on a machine other work also loads, the wall-clock ratio moves
with that load and the CPU ratio much less.

Memory is measured in one more, untimed run of the pipeline: every process under
``vanthu extract`` (the isolated extraction workers are children of its forkserver,
which ``getrusage`` of this process never sees) is looked at every 0.1 s, and its own
high-water mark (``VmHWM`` in ``/proc/PID/status``) kept: the peak resident memory of
the largest extraction worker and of the largest Tesseract process are reported.
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
    from vanthu.pipeline.ocr.raster import page_images
    from vanthu.pipeline.read.detect import load_input

    pngs = []
    for f in files:
        inp = load_input(f)
        for n, img in page_images(inp.path, inp.media_type, dpi=dpi):
            png = out / f"{f.stem}-{n:03d}.png"
            img.convert("L").save(png)
            pngs.append(png)
    return pngs


def _children_cpu() -> float:
    """User + system seconds of this process's children waited for so far."""
    ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    return ru.ru_utime + ru.ru_stime


def missing_bytecode() -> list[str]:
    """Modules ``vanthu extract`` imports whose compiled bytecode is not there to load
    while this environment forbids writing it (``PYTHONDONTWRITEBYTECODE``): then every
    process compiles them again at start, some 2 CPU-s a run a user's install (which
    ``scripts/setup.sh`` compiles) never pays."""
    import importlib.util

    if not os.environ.get("PYTHONDONTWRITEBYTECODE"):
        return []  # (the first run writes what is missing)
    missing = []
    for name in ("vanthu.pipeline.extract", "spacy", "underthesea", "pyhanko", "pydantic"):
        spec = importlib.util.find_spec(name)
        origin = spec.origin if spec is not None else None
        if origin and origin.endswith(".py") and not Path(importlib.util.cache_from_source(origin)).is_file():
            missing.append(name)
    return missing


def plain_tesseract(pngs: list[Path], workers: int) -> tuple[float, float]:
    """(wall, CPU) seconds of plain Tesseract on every page."""
    env = dict(os.environ, OMP_THREAD_LIMIT="1")

    def one(png: Path) -> None:
        subprocess.run(
            ["tesseract", str(png), "-", "-l", "vie"],
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

    c0, t0 = _children_cpu(), time.perf_counter()
    with ThreadPoolExecutor(max_workers=workers) as pool:
        list(pool.map(one, pngs))
    return time.perf_counter() - t0, _children_cpu() - c0


def _command(files: list[Path], workers: int, out: Path) -> tuple[list[str], dict[str, str]]:
    env = {k: v for k, v in os.environ.items() if k not in ("VANTHU_OCR_WORKERS", "VANTHU_WORKERS")}
    exe = ROOT / ".venv" / "bin" / "vanthu"
    return [str(exe), "extract", *map(str, files), "--out", str(out), "--workers", str(workers)], env


def pipeline(files: list[Path], workers: int, out: Path) -> tuple[float, float]:
    """(wall, CPU) seconds of ``vanthu extract`` on the files."""
    cmd, env = _command(files, workers, out)
    c0, t0 = _children_cpu(), time.perf_counter()
    subprocess.run(cmd, env=env, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - t0, _children_cpu() - c0


def _descendants(root: int) -> dict[int, str]:
    """pid → command name of every process under ``root`` (from /proc)."""
    parent, name = {}, {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as fh:
                stat = fh.read()
        except OSError:
            continue
        comm = stat[stat.index("(") + 1 : stat.rindex(")")]
        parent[int(entry)] = int(stat[stat.rindex(")") + 2 :].split()[1])
        name[int(entry)] = comm
    found, todo = {}, [root]
    while todo:
        pid = todo.pop()
        for child, ppid in parent.items():
            if ppid == pid and child not in found:
                found[child] = name[child]
                todo.append(child)
    return found


def _hwm_kib(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status", encoding="ascii", errors="replace") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def peak_memory(files: list[Path], workers: int, out: Path) -> tuple[int, int]:
    """(largest extraction worker or other vanthu process, largest Tesseract) peak RSS in KiB."""
    cmd, env = _command(files, workers, out)
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL)
    peaks: dict[int, tuple[str, int]] = {}
    while proc.poll() is None:
        for pid, comm in _descendants(proc.pid).items():
            hwm = _hwm_kib(pid)
            if hwm > peaks.get(pid, ("", 0))[1]:
                peaks[pid] = (comm, hwm)
        time.sleep(0.1)
    if proc.returncode:
        raise subprocess.CalledProcessError(proc.returncode, cmd)
    main_peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss  # the CLI process itself
    tess = max((kib for comm, kib in peaks.values() if comm.startswith("tesseract")), default=0)
    worker = max([kib for comm, kib in peaks.values() if not comm.startswith("tesseract")] + [main_peak])
    return worker, tess


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("files", nargs="+", type=Path)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--rounds", type=int, default=1, help="time both this many times; report the medians")
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()

    if missing := missing_bytecode():
        print(
            f"note: no compiled bytecode for {', '.join(missing)} and PYTHONDONTWRITEBYTECODE is set: every "
            "run compiles them (CPU a user's install never spends); compile first with "
            "`.venv/bin/python -m compileall -q -j 2 .venv/lib pipeline models flows vanthu`",
            file=sys.stderr,
        )
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        (tmp / "png").mkdir()
        pngs = rasterise(args.files, tmp / "png")
        n = len(pngs)
        pipe_runs, tess_runs, pipe_cpu, tess_cpu = [], [], [], []
        worker_kib, tess_kib = peak_memory(args.files, args.workers, tmp / "mem")
        for r in range(max(1, args.rounds)):
            wall, cpu = pipeline(args.files, args.workers, tmp / f"out{r}")
            pipe_runs.append(wall)
            pipe_cpu.append(cpu)
            wall, cpu = plain_tesseract(pngs, args.workers)
            tess_runs.append(wall)
            tess_cpu.append(cpu)
    t_pipe, t_tess = statistics.median(pipe_runs), statistics.median(tess_runs)
    c_pipe, c_tess = statistics.median(pipe_cpu), statistics.median(tess_cpu)
    result = {
        "pages": n,
        "workers": args.workers,
        "tesseract_seconds": round(t_tess, 2),
        "tesseract_pages_per_second": round(n / t_tess, 3),
        "pipeline_seconds": round(t_pipe, 2),
        "pipeline_pages_per_second": round(n / t_pipe, 3),
        "pipeline_over_tesseract": round(t_pipe / t_tess, 3),
        "tesseract_cpu_seconds": round(c_tess, 2),
        "pipeline_cpu_seconds": round(c_pipe, 2),
        "pipeline_over_tesseract_cpu": round(c_pipe / c_tess, 3),
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "peak_rss_mib_largest_worker": round(worker_kib / 1024, 1),
        "peak_rss_mib_largest_tesseract": round(tess_kib / 1024, 1),
        "rounds": len(pipe_runs),
        "pipeline_runs": [round(t, 2) for t in pipe_runs],
        "tesseract_runs": [round(t, 2) for t in tess_runs],
        "pipeline_cpu_runs": [round(t, 2) for t in pipe_cpu],
        "tesseract_cpu_runs": [round(t, 2) for t in tess_cpu],
    }
    print(f"{n} pages, {args.workers} workers, median of {len(pipe_runs)} round(s)")
    print(f"  plain tesseract (300 dpi PNG, OMP_THREAD_LIMIT=1): {t_tess:6.1f} s  {n / t_tess:.3f} pages/s")
    print(f"  vanthu extract (end to end, cold start included):  {t_pipe:6.1f} s  {n / t_pipe:.3f} pages/s")
    print(f"  pipeline / tesseract: {t_pipe / t_tess:.2f} (target <= 1.15)")
    print(f"  CPU seconds: tesseract {c_tess:.1f}, pipeline {c_pipe:.1f}, pipeline / tesseract {c_pipe / c_tess:.2f}")
    print("  load average at the end (1, 5, 15 min): " + ", ".join(f"{x:.2f}" for x in os.getloadavg()))
    print(
        f"  peak RSS of the largest extraction worker: {worker_kib / 1024:.0f} MiB (target <= 400), "
        f"of the largest Tesseract process: {tess_kib / 1024:.0f} MiB"
    )
    if args.json:
        args.json.write_text(json.dumps(result, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
