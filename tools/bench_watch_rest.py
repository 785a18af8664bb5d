#!/usr/bin/env python3
"""Start-up time and resting memory of ``vanthu watch`` (the Prefect side of ingestion).

    .venv/bin/python tools/bench_watch_rest.py [--python PYTHON] [--rest 10]

Each as a fresh process with no PREFECT_API_URL, sharing one PREFECT_HOME whose database
an untimed first run has created (as on a machine where vanthu ran before):

* ``watch --once`` on an empty inbox: seconds until it exits;
* ``watch`` on an inbox with one letter: seconds until the letter is in done/ (start-up,
  the Prefect API if one is started, the first letter), then the whole process tree's
  memory after ``--rest`` idle seconds and again after ``--late`` seconds (the sum of RSS
  and of PSS over every process, from /proc), the number of processes, and whether a
  "View at http…" link was printed; then SIGTERM and seconds until it has exited.

``--python`` runs another checkout's interpreter (e.g. ``/work/main/.venv/bin/python``) to
measure the code before a change.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LETTER = ROOT / "samples" / "tb-so-2024-88.pdf"
POLL = 0.1


def tree_pids(pid: int) -> list[int]:
    """``pid`` and all its descendants (from /proc/*/stat)."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(ppid, []).append(int(entry))
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        todo.extend(children.get(p, []))
    return out


def _kb(path: str, key: str) -> int:
    try:
        for line in Path(path).read_text().splitlines():
            if line.startswith(key):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def tree_memory(pid: int) -> tuple[int, float, float]:
    """(processes, RSS MB, PSS MB) of the process tree of ``pid``."""
    pids = tree_pids(pid)
    rss = sum(_kb(f"/proc/{p}/status", "VmRSS:") for p in pids)
    pss = sum(_kb(f"/proc/{p}/smaps_rollup", "Pss:") for p in pids)
    return len(pids), rss / 1024, pss / 1024


def env_for(work: Path) -> dict[str, str]:
    home = work / "prefect-home"
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
    env.update(PREFECT_HOME=str(home), DO_NOT_TRACK="1", PREFECT_SERVER_ANALYTICS_ENABLED="false")
    return env


def once_empty(python: str, work: Path) -> tuple[float, str]:
    root = work / "root-empty"
    (root / "inbox").mkdir(parents=True)  # an existing, empty tree (a new one needs --create)
    t0 = time.perf_counter()
    proc = subprocess.run(
        [python, "-m", "vanthu.cli", "watch", str(root), "--once", "--settle", "0.1"],
        env=env_for(work),
        capture_output=True,
        text=True,
    )
    if proc.returncode != 0:
        raise SystemExit(f"watch --once exited with {proc.returncode}: {proc.stderr}")
    return time.perf_counter() - t0, proc.stdout + proc.stderr


def warm_up(python: str, work: Path) -> float:
    """One ``watch --once`` on one letter: creates Prefect's database in PREFECT_HOME."""
    root = work / "root-warm"
    (root / "inbox").mkdir(parents=True)
    shutil.copy(LETTER, root / "inbox" / LETTER.name)
    t0 = time.perf_counter()
    cmd = [python, "-m", "vanthu.cli", "watch", str(root), "--once", "--settle", "0.1"]
    subprocess.run(cmd, env=env_for(work), capture_output=True, check=True)
    return time.perf_counter() - t0


def one_letter(python: str, work: Path, rest: float, late: float) -> dict:
    root = work / "root-one"
    (root / "inbox").mkdir(parents=True)
    shutil.copy(LETTER, root / "inbox" / LETTER.name)
    old = time.time() - 60
    os.utime(root / "inbox" / LETTER.name, (old, old))
    log = work / "watch.log"
    t0 = time.perf_counter()
    with open(log, "w") as fh:
        proc = subprocess.Popen(
            [python, "-m", "vanthu.cli", "watch", str(root), "--settle", "0.1", "--rescan", "5"],
            env=env_for(work),
            stdout=fh,
            stderr=subprocess.STDOUT,
        )
    try:
        while not any((root / "done").glob("*.pdf")):
            if proc.poll() is not None:
                raise SystemExit(f"watch exited with {proc.returncode}; see {log}")
            time.sleep(POLL)
        first = time.perf_counter() - t0
        time.sleep(rest)
        procs, rss, pss = tree_memory(proc.pid)
        time.sleep(max(late - rest, 0))
        late_mem = tree_memory(proc.pid)
        t1 = time.perf_counter()
        proc.send_signal(signal.SIGTERM)
        proc.wait(120)
        stop = time.perf_counter() - t1
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    text = log.read_text()
    links = text.count("View at http")
    return {"first": first, "procs": procs, "rss": rss, "pss": pss, "late": late_mem, "stop": stop, "links": links}


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--python", default=sys.executable, help="the interpreter of the checkout to measure")
    ap.add_argument("--rest", type=float, default=10.0, help="idle seconds before memory is sampled")
    ap.add_argument("--late", type=float, default=140.0, help="idle seconds before it is sampled again")
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="vanthu-bench-rest-"))
    try:
        print(f"first run (creates Prefect's database; not compared): {warm_up(args.python, work):.2f} s")
        t_empty, text = once_empty(args.python, work)
        print(f"watch --once, empty inbox: {t_empty:.2f} s (says 'watching': {'watching' in text})")
        r = one_letter(args.python, work, args.rest, args.late)
        n, rss, pss = r["late"]
        print(
            f"watch, one letter: in done/ after {r['first']:.2f} s; at rest after {args.rest:g} s: "
            f"{r['procs']} processes, RSS {r['rss']:.0f} MB, PSS {r['pss']:.0f} MB; after {args.late:g} s: "
            f"{n} processes, RSS {rss:.0f} MB, PSS {pss:.0f} MB; "
            f"'View at' links: {r['links']}; stopped {r['stop']:.2f} s after SIGTERM"
        )
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
