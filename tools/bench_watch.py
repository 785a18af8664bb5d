#!/usr/bin/env python3
"""Throughput of ``vanthu watch`` on N digital letters, and its overhead per file against
``vanthu extract`` on the same files.

    .venv/bin/python tools/bench_watch.py [--n 100] [--keep DIR]

Renders N distinct letters from ``samples/src/*.json`` (the number differs), then times,
each as a fresh process with a fresh PREFECT_HOME:

* ``vanthu extract`` on 1 letter and on all N (fixed cost and per-letter cost);
* ``vanthu watch --once`` on one letter and on the N letters (fixed cost: Prefect's
  temporary API, which an empty inbox never starts; per-letter cost: claim, extraction
  task, JSON, store, moves, artifact, logs). Start-up and resting memory:
  ``tools/bench_watch_rest.py``.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VANTHU = [sys.executable, "-m", "vanthu.cli"]


def render(n: int, out: Path) -> list[Path]:
    from vanthu.samplegen import render as rl

    sources = sorted((ROOT / "samples" / "src").glob("*.json"))
    paths = []
    for i in range(n):
        layout = json.loads(sources[i % len(sources)].read_text(encoding="utf-8"))
        _, _, rest = layout["number_line"].partition("/")
        layout["number_line"] = f"Số: {1000 + i}/{rest}"
        p = out / f"letter-{i:03d}.pdf"
        rl.render_letter(layout, p)
        paths.append(p)
    return paths


def timed(cmd: list[str], env: dict[str, str], log: Path) -> float:
    t0 = time.perf_counter()
    with open(log, "w") as fh:
        rc = subprocess.run(cmd, stdout=fh, stderr=subprocess.STDOUT, env=env).returncode
    dt = time.perf_counter() - t0
    if rc != 0:
        raise SystemExit(f"{' '.join(cmd)} exited with {rc}; see {log}")
    return dt


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=100)
    ap.add_argument("--keep", type=Path, help="work in this folder and keep it")
    args = ap.parse_args()
    work = args.keep or Path(tempfile.mkdtemp(prefix="vanthu-bench-watch-"))
    work.mkdir(parents=True, exist_ok=True)
    letters = work / "letters"
    letters.mkdir(exist_ok=True)
    files = render(args.n, letters)

    def env_for(tag: str) -> dict[str, str]:
        home = work / f"prefect-home-{tag}"
        shutil.rmtree(home, ignore_errors=True)
        env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
        env.update(PREFECT_HOME=str(home), DO_NOT_TRACK="1", PREFECT_SERVER_ANALYTICS_ENABLED="false")
        return env

    def tree(tag: str, items: list[Path]) -> Path:
        root = work / f"root-{tag}"
        shutil.rmtree(root, ignore_errors=True)
        (root / "inbox").mkdir(parents=True)
        old = time.time() - 60
        for p in items:
            q = root / "inbox" / p.name
            shutil.copy(p, q)
            os.utime(q, (old, old))
        return root

    e1 = timed(VANTHU + ["extract", str(files[0]), "--out", str(work / "x1")], env_for("e"), work / "e1.log")
    en = timed(VANTHU + ["extract", str(letters), "--out", str(work / "xn")], env_for("e"), work / "en.log")
    # a first watch run creates the Prefect database (once per PREFECT_HOME): not timed
    env = env_for("w")
    timed(VANTHU + ["watch", str(tree("warm", [])), "--once", "--settle", "0.1"], env, work / "w-warm.log")
    w0 = timed(VANTHU + ["watch", str(tree("w0", files[:1])), "--once", "--settle", "0.1"], env, work / "w0.log")
    root = tree("wn", files)
    wn = timed(VANTHU + ["watch", str(root), "--once", "--settle", "0.1"], env, work / "wn.log")
    done = len(list((root / "done").iterdir()))
    if done != args.n:
        raise SystemExit(f"watch finished {done} of {args.n} letters; see {work / 'wn.log'}")

    n = args.n
    per_extract = (en - e1) / (n - 1)
    per_watch = (wn - w0) / (n - 1)
    print(f"letters: {n} digital PDFs rendered from samples/src (work: {work})")
    print(
        f"vanthu extract: 1 letter {e1:.2f} s, {n} letters {en:.2f} s -> {per_extract * 1000:.0f} ms/letter, "
        f"{n / en:.2f} letters/s overall"
    )
    print(
        f"vanthu watch --once: 1 letter {w0:.2f} s (Prefect's temporary API up and down), "
        f"{n} letters {wn:.2f} s -> {per_watch * 1000:.0f} ms/letter"
    )
    print(f"watch throughput: {(n - 1) / (wn - w0):.2f} files/s once running ({n / wn:.2f} files/s including start-up)")
    print(f"watch overhead per file vs extract: {(per_watch - per_extract) * 1000:.0f} ms")
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
