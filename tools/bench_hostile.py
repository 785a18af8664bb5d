"""Benchmark (not a test): every hostile file through a real ``vanthu extract`` process,
with its outcome, wall time and peak memory, as a Markdown table.

    .venv/bin/python tools/bench_hostile.py [--watch] [--only NAME…] [--shared DIR] [-- EXTRACT FLAGS…]

Cases: those written by ``vanthu/samplegen/hostile.py`` and, when present, the broken PDFs of
``../shared/hostile`` (MANIFEST.json). With ``--watch`` each file is dropped, one at a
time, into the inbox of a running ``vanthu watch`` (after one good warm-up letter); its
time runs until it lands in done/ or failed/ (the watcher's 1 s settle time included),
and the tree then includes the watcher's temporary Prefect server. Peak memory is sampled every 20 ms from /proc:
"tree" is the largest sum of RSS over the command's process tree (the CLI, the
forkserver, the worker, Tesseract; shared pages counted once per process, so it
over-states), "worker" the largest RSS of any one process. Done-when: each case within
60 s and under 2 GB, input bytes unchanged.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from proctree import process_tree  # (tools/, beside this script)

from vanthu.samplegen.hostile import generate

ROOT = Path(__file__).resolve().parent.parent

EXIT_NAMES = {
    0: "ok",
    1: "SOME_FAILED",
    2: "USAGE",
    3: "NOT_FOUND",
    4: "UNSUPPORTED_FORMAT",
    5: "EMPTY_FILE",
    6: "CORRUPT",
    7: "ENCRYPTED",
    8: "TOO_LARGE",
    9: "TIMED_OUT",
    10: "OCR_ENGINE",
    11: "NO_TEXT",
    12: "OUTPUT_NOT_WRITABLE",
    13: "NOT_A_LETTER",
    70: "INTERNAL",
}
PAGE_KB = os.sysconf("SC_PAGE_SIZE") // 1024


def _rss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/statm", "rb") as fh:
            return int(fh.read().split()[1]) * PAGE_KB
    except (OSError, IndexError, ValueError):
        return 0


class TreeSampler(threading.Thread):
    def __init__(self, pid: int):
        super().__init__(daemon=True)
        self.pid = pid
        self.peak_tree_kb = 0
        self.peak_one_kb = 0
        self.stop = threading.Event()

    def run(self) -> None:
        while not self.stop.is_set():
            sizes = [_rss_kb(p) for p in process_tree(self.pid)]
            self.peak_tree_kb = max(self.peak_tree_kb, sum(sizes))
            self.peak_one_kb = max(self.peak_one_kb, max(sizes, default=0))
            self.stop.wait(0.02)


def run_case(path: Path, out: Path, flags: list[str], env: dict[str, str] | None = None) -> dict:
    exe = ROOT / ".venv" / "bin" / "vanthu"
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    t0 = time.perf_counter()
    proc = subprocess.Popen(
        [str(exe), "extract", "--out", str(out), *flags, "--", str(path)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
        env={**os.environ, **(env or {})},
    )
    sampler = TreeSampler(proc.pid)
    sampler.start()
    stdout, stderr = proc.communicate(timeout=600)
    seconds = time.perf_counter() - t0
    sampler.stop.set()
    sampler.join()
    after = hashlib.sha256(path.read_bytes()).hexdigest()
    warnings = []
    if proc.returncode == 0:
        for f in out.glob("*.json"):
            warnings = json.loads(f.read_text(encoding="utf-8")).get("warnings", [])
    lines = [ln for ln in stderr.splitlines() if ln.strip()]
    return {
        "rc": proc.returncode,
        "seconds": seconds,
        "tree_mb": sampler.peak_tree_kb / 1024,
        "one_mb": sampler.peak_one_kb / 1024,
        "unchanged": before == after,
        "message": (lines[-1] if lines else "").replace(str(path), "FILE"),
        "lines": len(lines),
        "warnings": warnings,
    }


def watch_cases(items: list, tmp_path: Path) -> list[tuple[str, str, dict]]:
    """Each file dropped into a running ``vanthu watch`` inbox, one at a time: time until
    it lands in done/ or failed/ (including the watcher's 1 s settle time), peak memory
    of the watcher's process tree meanwhile."""
    root = tmp_path / "watch-root"
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    env.pop("PREFECT_API_URL", None)
    log = open(tmp_path / "watch.log", "w")
    proc = subprocess.Popen(
        [sys.executable, "-m", "vanthu.cli", "watch", str(root), "--settle", "1", "--rescan", "1"],
        stdout=log,
        stderr=subprocess.STDOUT,
        env=env,
        cwd=tmp_path,
    )
    rows = []
    try:
        end = time.monotonic() + 120
        while not (root / "inbox").is_dir():
            if time.monotonic() > end or proc.poll() is not None:
                raise SystemExit(f"the watcher did not start; see {tmp_path / 'watch.log'}")
            time.sleep(0.2)
        # a good letter first: the watcher's first extraction starts its worker server
        warm = root / "inbox" / "warm-up.pdf"  # (not a byte-copy of any case: no duplicate)
        warm.write_bytes((ROOT / "samples" / "cv-khan-ubnd-phuongx.pdf").read_bytes())
        while not (root / "done" / "warm-up.pdf").exists():
            if proc.poll() is not None or time.monotonic() > end + 120:
                raise SystemExit(f"the warm-up letter was not processed; see {tmp_path / 'watch.log'}")
            time.sleep(0.2)
        for name, path, expected, case_env in items:
            if case_env:
                continue  # the watcher has one environment
            data = path.read_bytes()
            drop = name.replace("/", "_")
            sampler = TreeSampler(proc.pid)
            sampler.start()
            t0 = time.perf_counter()
            (root / "inbox" / drop).write_bytes(data)
            result: dict = {}
            while time.perf_counter() - t0 < 600:
                if (root / "done" / drop).exists():
                    result = {"rc": 0, "where": root / "done" / drop}
                    break
                if (root / "duplicates" / drop).exists():
                    result = {"rc": 0, "where": root / "duplicates" / drop, "message": "duplicate"}
                    break
                err = root / "failed" / f"{drop}.error.json"
                if err.exists() and (root / "failed" / drop).exists():
                    report = json.loads(err.read_text(encoding="utf-8"))
                    result = {"rc": report["exit_code"], "where": root / "failed" / drop, "message": report["message"]}
                    break
                if proc.poll() is not None:
                    raise SystemExit(f"the watcher died on {name}; see {tmp_path / 'watch.log'}")
                time.sleep(0.05)
            seconds = time.perf_counter() - t0
            sampler.stop.set()
            sampler.join()
            unchanged = (
                bool(result) and hashlib.sha256(result["where"].read_bytes()).digest() == hashlib.sha256(data).digest()
            )
            rows.append(
                (
                    name,
                    expected,
                    {
                        "rc": result.get("rc", -1),
                        "seconds": seconds,
                        "tree_mb": sampler.peak_tree_kb / 1024,
                        "one_mb": sampler.peak_one_kb / 1024,
                        "unchanged": unchanged,
                        "message": result.get("message", ""),
                        "warnings": [],
                    },
                )
            )
        alive = proc.poll() is None
        print(f"\nwatcher still running after the last file: {'yes' if alive else 'NO'}")
    finally:
        proc.send_signal(2)
        try:
            proc.wait(60)
        except subprocess.TimeoutExpired:
            proc.kill()
    return rows


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared" / "hostile")
    ap.add_argument("--only", nargs="*", help="case names to run")
    ap.add_argument("--watch", action="store_true", help="drop each file into a running `vanthu watch` instead")
    ap.add_argument("flags", nargs="*", help="extra flags for vanthu extract (after --)")
    args = ap.parse_args()

    with tempfile.TemporaryDirectory(prefix="vanthu-bench-hostile-") as tmp:
        tmp_path = Path(tmp)
        items = [(c.name, c.path, c.describe(), c.env) for c in generate(tmp_path / "in", args.only)]
        manifest_path = args.shared / "MANIFEST.json"
        if manifest_path.exists():
            manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
            for name, entry in manifest.items():
                if not args.only or name in args.only:
                    items.append((f"shared/{name}", args.shared / name, "/".join(entry["accept"]), {}))
        if args.watch:
            done = watch_cases(items, tmp_path)
        else:
            done = []
            for name, path, expected, env in items:
                r = run_case(path, tmp_path / "out" / name.replace("/", "_"), args.flags, env)
                if env:
                    name += " (" + " ".join(f"{k}={v}" for k, v in env.items()) + ")"
                done.append((name, expected, r))
        print(
            "| case | expected | outcome | exit | time (s) | peak tree RSS (MB) | peak process RSS (MB) "
            "| input unchanged | message / warnings |"
        )
        print("|---|---|---|---|---|---|---|---|---|")
        worst_s = worst_mb = 0.0
        for name, expected, r in done:
            outcome = ("partial" if r["warnings"] else "ok") if r["rc"] == 0 else "error"
            if args.watch and r["rc"] == 0:
                outcome = "done/"
            elif args.watch:
                outcome = "failed/"
            note = r["message"] if r["rc"] else "; ".join(r["warnings"][:2])
            note = note.replace("|", "\\|")
            if len(note) > 140:
                note = note[:137] + "…"
            worst_s, worst_mb = max(worst_s, r["seconds"]), max(worst_mb, r["tree_mb"])
            print(
                f"| {name} | {expected} | {outcome} | {r['rc']} {EXIT_NAMES.get(r['rc'], '?')} | {r['seconds']:.1f} "
                f"| {r['tree_mb']:.0f} | {r['one_mb']:.0f} | {'yes' if r['unchanged'] else 'NO'} | {note} |",
                flush=True,
            )
        print(
            f"\nworst time {worst_s:.1f} s, worst peak tree RSS {worst_mb:.0f} MB ({len(items)} cases; "
            f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs)"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
