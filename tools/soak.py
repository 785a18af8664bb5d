#!/usr/bin/env python3
"""Soak test of ``vanthu watch``: many varied letters in waves, memory watched throughout.

    .venv/bin/python tools/soak.py --letters 1000 [--wave 100] [--keep DIR] [--json FILE]

1. Builds an inbox of N files from the project's generators (``vanthu.samplegen``): about
   90 % digital letters (:mod:`vanthu.samplegen.variety`: templates of different issuers,
   types, items and units, each letter with its own number and day), 8 % scans of such
   letters (:mod:`vanthu.samplegen.scan`) and 2 % broken or non-letter files
   (:mod:`vanthu.samplegen.hostile`), mixed evenly so that every 100 files have the same mix.
2. Starts ``vanthu watch ROOT`` (a subprocess with its own PREFECT_HOME) and drops the files
   into ROOT/inbox in waves (the next wave when the backlog is down to half a wave), each
   file by one atomic rename.
3. Every second, samples the memory of the watcher's whole process tree (the watcher and all
   its descendants: Prefect's server, the forkserver, the extraction workers, Tesseract)
   from /proc: the sum of RSS (the criterion) and of PSS (shared pages counted once).
4. When every file has an outcome (or at the timeout) stops the watcher with SIGTERM and
   checks: lost 0 (every file in done/, failed/ or duplicates/), twice 0 (no file with two
   outcomes or two runs in the store), the store's documents = out/*.json = done runs, and
   flat memory: the peak while the last ``--window`` files were processed is within 10 % of
   the peak while the first ``--window`` were (needs at least twice ``--window`` files).

Exit 0 only when every criterion holds. ``--json FILE`` writes the numbers (used by
tests/flows/test_soak.py).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path

from proctree import process_tree  # (tools/, beside this script)

MEMORY_GROWTH_LIMIT = 0.10  # the last window's peak may exceed the first's by this much
SAMPLE_EVERY = 1.0  # seconds between memory samples
STOP_GRACE = 120.0  # seconds the watcher has to finish its current file after SIGTERM
FINAL = ("done", "failed", "duplicates")


# ------------------------------------------------------------------------------ the inbox


def plan(n: int, scan_share: float, broken_share: float) -> list[str]:
    """The kind of each of the ``n`` files, each kind spread evenly (every window of files
    has the same mix)."""
    kinds = ["digital"] * n
    for kind, share, offset in (("broken", broken_share, 0.5), ("scan", scan_share, 0.25)):
        count = min(round(n * share), n)
        for j in range(count):
            i = int((j + offset) * n / count)
            while kinds[i % n] != "digital" and "digital" in kinds:
                i += 1
            kinds[i % n] = kind
    return kinds


def hostile_cases() -> list:
    """The hostile generator's cases that need no settings of their own and are quick."""
    from vanthu.samplegen import hostile

    return [c for c in hostile.CASES if not c.slow and not c.env]


def build_inbox(staging: Path, kinds: list[str], templates: int, scan_level: str) -> list[str]:
    """Write the files into ``staging``; returns their names in drop order."""
    from vanthu.samplegen.variety import LetterFactory

    factory = LetterFactory(staging / ".templates", templates=templates)
    (staging / ".templates").mkdir(parents=True, exist_ok=True)
    cases = hostile_cases()
    names, broken = [], 0
    for i, kind in enumerate(kinds):
        if kind == "broken":
            case = cases[broken % len(cases)]
            broken += 1
            name = f"{i:05d}-broken-{case.name}"
            case.build(staging / name)
        elif kind == "scan":
            name = f"{i:05d}-scan.pdf"
            (staging / name).write_bytes(factory.scan(i, scan_level))
        else:
            name = f"{i:05d}-letter.pdf"
            factory.write(i, staging / name)
        names.append(name)
    old = time.time() - 60  # settled already when dropped
    for name in names:
        os.utime(staging / name, (old, old))
    return names


# ------------------------------------------------------------------------------ memory


def _kb(path: str, key: str) -> int:
    try:
        with open(path, encoding="ascii", errors="replace") as fh:
            for line in fh:
                if line.startswith(key):
                    return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


def tree_memory(pid: int) -> tuple[float, float, int]:
    """(RSS, PSS) of the process tree of ``pid`` in MB, and its process count."""
    pids = process_tree(pid)
    rss = sum(_kb(f"/proc/{p}/status", "VmRSS:") for p in pids)
    pss = sum(_kb(f"/proc/{p}/smaps_rollup", "Pss:") for p in pids)
    return rss / 1024, pss / 1024, len(pids)


def _count(folder: Path, skip_suffix: str = ".error.json") -> int:
    try:
        return sum(1 for e in os.scandir(folder) if not e.name.startswith(".") and not e.name.endswith(skip_suffix))
    except FileNotFoundError:
        return 0


@dataclass
class Sample:
    t: float
    finished: int
    rss_mb: float
    pss_mb: float
    processes: int


class Sampler(threading.Thread):
    """Every second: the tree's memory and how many files have an outcome."""

    def __init__(self, pid: int, root: Path):
        super().__init__(daemon=True)
        self.pid, self.root, self.t0 = pid, root, time.monotonic()
        self.samples: list[Sample] = []
        self.halt = threading.Event()

    def finished(self) -> int:
        return sum(_count(self.root / f) for f in FINAL)

    def sample(self) -> None:
        rss, pss, n = tree_memory(self.pid)
        if n and rss:
            self.samples.append(Sample(time.monotonic() - self.t0, self.finished(), rss, pss, n))

    def run(self) -> None:
        while not self.halt.is_set():
            self.sample()
            self.halt.wait(SAMPLE_EVERY)
        self.sample()  # the state at the end, before the watcher is stopped


# ------------------------------------------------------------------------------ the run


def start_watcher(root: Path, work: Path, settle: float) -> subprocess.Popen:
    """``vanthu watch ROOT`` in its own session (so that everything it starts can be stopped)."""
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
    env.update(
        PREFECT_HOME=str(work / "prefect-home"),
        PREFECT_SERVER_ANALYTICS_ENABLED="false",
        DO_NOT_TRACK="1",
        PYTHONUNBUFFERED="1",
    )
    cmd = [sys.executable, "-m", "vanthu.cli", "watch", str(root), "--settle", str(settle), "--rescan", "5"]
    log = open(work / "watch.log", "w")  # noqa: SIM115 - closed with the process
    return subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, env=env, start_new_session=True)


def stop_watcher(proc: subprocess.Popen) -> None:
    """SIGTERM (the watcher finishes its current file), then the whole session by SIGKILL."""
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(STOP_GRACE)
        except subprocess.TimeoutExpired:
            pass
    try:
        os.killpg(proc.pid, signal.SIGKILL)  # whatever it left behind
    except ProcessLookupError:
        pass
    proc.wait()


def drop_in_waves(
    staging: Path, inbox: Path, names: list[str], wave: int, sampler: Sampler, proc: subprocess.Popen, deadline: float
) -> float | None:
    """Rename the files into the inbox, a wave whenever the backlog is down to half a wave;
    wait until every file has an outcome. Returns the seconds from the first drop, or None
    at the timeout (or when the watcher died)."""
    t0, next_i = time.monotonic(), 0
    while time.monotonic() < deadline and proc.poll() is None:
        if next_i < len(names) and _count(inbox, skip_suffix="\0") <= wave // 2:
            for name in names[next_i : next_i + wave]:
                os.rename(staging / name, inbox / name)
            next_i += wave
        if next_i >= len(names) and sampler.finished() >= len(names) and not _count(inbox.parent / "processing"):
            return time.monotonic() - t0
        time.sleep(0.5)
    return None


# ------------------------------------------------------------------------------ the checks


_TAGGED = re.compile(r"^(?P<stem>.*)\.[0-9a-f]{8}(?:-\d+)?(?P<suffix>\.[^.]*)?$")


def outcomes(root: Path, names: list[str]) -> dict[str, list[str]]:
    """Each dropped name → the final folders it is in (a name tagged with a hash on a
    collision counts as its original)."""
    wanted, where = set(names), {n: [] for n in names}
    for folder in FINAL:
        for entry in os.scandir(root / folder):
            name = entry.name
            if name.startswith(".") or name.endswith(".error.json"):
                continue
            if name not in wanted and (m := _TAGGED.match(name)):
                name = m.group("stem") + (m.group("suffix") or "")
            if name in wanted:
                where[name].append(folder)
    return where


@dataclass
class Result:
    letters: int
    kinds: dict[str, int]
    generate_s: float
    seconds: float | None
    files_per_s: float | None
    steady_files_per_s: float | None
    outcome_counts: dict[str, int]
    lost: list[str]
    twice: list[str]
    documents: int
    out_files: int
    done_runs: int
    memory: dict[str, float | None]
    memory_meaningful: bool
    failures: list[str] = field(default_factory=list)


def check_store(root: Path) -> tuple[int, int, Counter]:
    """(documents, done runs, runs per file) of ROOT/vanthu.db."""
    db = sqlite3.connect(root / "vanthu.db")
    try:
        documents = db.execute("SELECT COUNT(*) FROM documents").fetchone()[0]
        done_runs = db.execute("SELECT COUNT(*) FROM runs WHERE outcome = 'done'").fetchone()[0]
        per_file = Counter(f for (f,) in db.execute("SELECT file FROM runs"))
    finally:
        db.close()
    return documents, done_runs, per_file


def memory_report(samples: list[Sample], n: int, window: int) -> tuple[dict[str, float | None], bool]:
    first = [s.rss_mb for s in samples if s.finished < window]
    last = [s.rss_mb for s in samples if s.finished >= n - window]
    mem: dict[str, float | None] = {
        "start_rss_mb": samples[0].rss_mb if samples else None,
        "peak_rss_mb": max((s.rss_mb for s in samples), default=None),
        "final_rss_mb": samples[-1].rss_mb if samples else None,
        "peak_pss_mb": max((s.pss_mb for s in samples), default=None),
        "final_pss_mb": samples[-1].pss_mb if samples else None,
        "first_window_peak_rss_mb": max(first, default=None),
        "last_window_peak_rss_mb": max(last, default=None),
        "max_processes": max((s.processes for s in samples), default=0),
    }
    return mem, n >= 2 * window and bool(first) and bool(last)


def steady_rate(samples: list[Sample], n: int) -> float | None:
    """Files per second from the first outcome to the last (without the watcher's start-up)."""
    first = next((s for s in samples if s.finished >= 1), None)
    last = next((s for s in samples if s.finished >= n), None)
    if first is None or last is None or last.t <= first.t:
        return None
    return (last.finished - first.finished) / (last.t - first.t)


def evaluate(root: Path, names: list[str], kinds: list[str], sampler: Sampler, window: int) -> Result:
    where = outcomes(root, names)
    documents, done_runs, per_file = check_store(root)
    out_files = _count(root / "out")
    lost = [n for n, folders in where.items() if not folders]
    twice = [n for n, folders in where.items() if len(folders) > 1 or per_file.get(n, 0) > 1]
    mem, meaningful = memory_report(sampler.samples, len(names), window)
    counts = Counter(f for folders in where.values() for f in folders)
    res = Result(
        letters=len(names),
        kinds=dict(Counter(kinds)),
        generate_s=0.0,
        seconds=None,
        files_per_s=None,
        steady_files_per_s=None,
        outcome_counts={f: counts.get(f, 0) for f in FINAL},
        lost=lost,
        twice=twice,
        documents=documents,
        out_files=out_files,
        done_runs=done_runs,
        memory=mem,
        memory_meaningful=meaningful,
    )
    if lost:
        res.failures.append(f"lost {len(lost)}: {', '.join(lost[:5])}")
    if twice:
        res.failures.append(f"processed twice {len(twice)}: {', '.join(twice[:5])}")
    if not documents == out_files == done_runs:
        res.failures.append(f"store documents {documents}, out files {out_files}, done runs {done_runs} differ")
    first, last = mem["first_window_peak_rss_mb"], mem["last_window_peak_rss_mb"]
    if meaningful and first and last and last > first * (1 + MEMORY_GROWTH_LIMIT):
        res.failures.append(f"memory grew: last {window} files' peak {last:.0f} MB > first's {first:.0f} MB + 10 %")
    return res


def report(res: Result, window: int) -> None:
    m = res.memory
    print(f"soak: {res.letters} files {res.kinds}, generated in {res.generate_s:.1f} s")
    if res.seconds is None:
        print("soak: not every file got an outcome before the timeout (or the watcher died)")
    else:
        steady = "-" if res.steady_files_per_s is None else f"{res.steady_files_per_s:.2f}"
        print(
            f"soak: all files had an outcome {res.seconds:.1f} s after the first drop: {res.files_per_s:.2f} files/s "
            f"({steady} files/s from the first outcome to the last, without the watcher's start-up)"
        )
    print(f"soak: outcomes {res.outcome_counts}")

    def mb(key: str) -> str:
        return "-" if m.get(key) is None else f"{m[key]:.0f} MB"

    print(
        f"soak: memory of the watcher's process tree (RSS): start {mb('start_rss_mb')}, peak {mb('peak_rss_mb')}, "
        f"final {mb('final_rss_mb')} (PSS: peak {mb('peak_pss_mb')}, final {mb('final_pss_mb')}; "
        f"up to {m['max_processes']:.0f} processes)"
    )
    flat = "" if res.memory_meaningful else f" (not judged: fewer than {2 * window} files)"
    print(
        f"soak: peak while the first {window} files were processed {mb('first_window_peak_rss_mb')}, "
        f"the last {window} {mb('last_window_peak_rss_mb')}{flat}"
    )
    print(
        f"soak: lost {len(res.lost)}, twice {len(res.twice)}, store documents {res.documents}, "
        f"out files {res.out_files}, done runs {res.done_runs}"
    )
    print("soak: PASS" if not res.failures else "soak: FAIL: " + "; ".join(res.failures))


# ------------------------------------------------------------------------------ main


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--letters", type=int, default=1000, help="files to drop (default 1000)")
    ap.add_argument("--wave", type=int, default=100, help="files per wave (default 100)")
    ap.add_argument("--window", type=int, default=100, help="files of the first and last memory window")
    ap.add_argument("--scan-share", type=float, default=0.08, help="share of scans (default 0.08)")
    ap.add_argument("--broken-share", type=float, default=0.02, help="share of broken files (default 0.02)")
    ap.add_argument("--scan-level", default="clean", help="level of the scans (samplegen.scan LEVELS)")
    ap.add_argument("--templates", type=int, default=12, help="distinct letters rendered (default 12)")
    ap.add_argument("--settle", type=float, default=0.5, help="watch --settle (default 0.5)")
    ap.add_argument("--timeout", type=float, help="seconds to wait for every outcome (default 300 + 15 per file)")
    ap.add_argument("--keep", type=Path, help="work in this folder and keep it")
    ap.add_argument("--json", type=Path, dest="json_out", help="write the numbers here")
    args = ap.parse_args(argv)
    if args.letters < 1 or args.wave < 1:
        ap.error("--letters and --wave must be at least 1")
    work = args.keep or Path(tempfile.mkdtemp(prefix="vanthu-soak-"))
    staging, root = work / "staging", work / "root"
    staging.mkdir(parents=True, exist_ok=True)
    (root / "inbox").mkdir(parents=True, exist_ok=True)
    for folder in FINAL:
        (root / folder).mkdir(exist_ok=True)

    t = time.monotonic()
    kinds = plan(args.letters, args.scan_share, args.broken_share)
    names = build_inbox(staging, kinds, args.templates, args.scan_level)
    generate_s = time.monotonic() - t

    proc = start_watcher(root, work, args.settle)
    sampler = Sampler(proc.pid, root)
    sampler.start()
    deadline = time.monotonic() + (args.timeout or 300 + 15 * args.letters)
    try:
        seconds = drop_in_waves(staging, root / "inbox", names, args.wave, sampler, proc, deadline)
        died = proc.poll()
    finally:
        sampler.halt.set()
        sampler.join()
        stop_watcher(proc)
    res = evaluate(root, names, kinds, sampler, args.window)
    res.generate_s, res.seconds = generate_s, seconds
    res.files_per_s = args.letters / seconds if seconds else None
    res.steady_files_per_s = steady_rate(sampler.samples, args.letters)
    if seconds is None:
        res.failures.insert(0, "timed out" if died is None else f"the watcher exited early with code {died}")
    report(res, args.window)
    print(f"soak: work folder {work} (watch log: {work / 'watch.log'})")
    if args.json_out:
        data = asdict(res) | {"samples": [asdict(s) for s in sampler.samples], "work": str(work)}
        args.json_out.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
    return 0 if not res.failures else 1


if __name__ == "__main__":
    sys.exit(main())
