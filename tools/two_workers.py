#!/usr/bin/env python3
"""Two process workers pulling ``ingest_folder`` runs from one work pool, on this machine.

    .venv/bin/python tools/two_workers.py [--n 30]

Starts ``prefect server start`` on loopback (fresh PREFECT_HOME), creates a process work
pool, deploys ``ingest_folder`` from this checkout on a 3-second interval, starts two
``prefect worker start --pool … --limit 1``, drops N rendered letters into one inbox and
checks that every letter was done exactly once and that both workers took part. This is
the several-machines set-up of docs/admin.md, with the machines folded into one.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def render(n: int, out: Path) -> None:
    from vanthu.samplegen import render as rl

    sources = sorted((ROOT / "samples" / "src").glob("*.json"))
    for i in range(n):
        layout = json.loads(sources[i % len(sources)].read_text(encoding="utf-8"))
        _, _, rest = layout["number_line"].partition("/")
        layout["number_line"] = f"Số: {2000 + i}/{rest}"
        rl.render_letter(layout, out / f"w-{i:03d}.pdf")


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=30)
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="vanthu-two-workers-"))
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    api = f"http://127.0.0.1:{port}/api"
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
    env.update(
        PREFECT_HOME=str(work / "home"),
        DO_NOT_TRACK="1",
        PREFECT_SERVER_ANALYTICS_ENABLED="false",
        PREFECT_SERVER_SERVICES_SCHEDULER_LOOP_SECONDS="2",
        PREFECT_WORKER_QUERY_SECONDS="2",
    )
    procs: list[subprocess.Popen] = []

    def start(cmd: list[str], log: str) -> subprocess.Popen:
        p = subprocess.Popen(
            cmd, stdout=open(work / log, "w"), stderr=subprocess.STDOUT, env=env, start_new_session=True
        )
        procs.append(p)
        return p

    try:
        start(
            [str(BIN / "prefect"), "server", "start", "--host", "127.0.0.1", "--port", str(port), "--no-ui"],
            "server.log",
        )
        end = time.monotonic() + 180
        while True:
            try:
                with urllib.request.urlopen(f"{api}/health", timeout=2):
                    break
            except OSError:
                if time.monotonic() > end:
                    raise SystemExit("prefect server did not start") from None
                time.sleep(0.5)
        env["PREFECT_API_URL"] = api
        subprocess.run(
            [str(BIN / "prefect"), "work-pool", "create", "vanthu", "--type", "process"],
            env=env,
            check=True,
            capture_output=True,
        )
        inbox_root = work / "root"
        (inbox_root / "inbox").mkdir(parents=True)
        deploy = (
            "from vanthu.flows.ingest import ingest_folder\n"
            f"ingest_folder.from_source(source={str(ROOT)!r}, entrypoint='flows/ingest.py:ingest_folder')"
            f".deploy(name='ingest', work_pool_name='vanthu', interval=3,"
            f" parameters={{'root': {str(inbox_root)!r}, 'settle': 0.5}})\n"
        )
        subprocess.run([sys.executable, "-c", deploy], env=env, check=True, capture_output=True)
        for name in ("a", "b"):
            start(
                [
                    str(BIN / "prefect"),
                    "worker",
                    "start",
                    "--pool",
                    "vanthu",
                    "--limit",
                    "1",
                    "--name",
                    f"worker-{name}",
                ],
                f"worker-{name}.log",
            )
        letters = work / "letters"
        letters.mkdir()
        render(args.n, letters)
        t0 = time.monotonic()
        for p in sorted(letters.iterdir()):
            shutil.copy(p, inbox_root / "inbox" / p.name)
        end = time.monotonic() + 600
        while len(list((inbox_root / "done").glob("*.pdf"))) < args.n:
            if time.monotonic() > end:
                raise SystemExit(f"timed out; see {work}")
            time.sleep(1)
        elapsed = time.monotonic() - t0
        db = sqlite3.connect(inbox_root / "vanthu.db")
        docs = db.execute("SELECT COUNT(*) FROM documents").fetchone()[0]
        runs = db.execute("SELECT COUNT(*), COUNT(DISTINCT sha256) FROM runs WHERE outcome = 'done'").fetchone()
        per_worker = {
            n: len(re.findall(r"Task run 'extract ", (work / f"worker-{n}.log").read_text())) for n in ("a", "b")
        }
        print(
            f"{args.n} letters done in {elapsed:.1f} s after the drop; documents {docs}, done runs {runs[0]} "
            f"({runs[1]} distinct); letters extracted per worker: {per_worker}"
        )
        ok = docs == args.n == runs[0] == runs[1] and all(per_worker.values())
        print("OK: every letter once, both workers took part" if ok else f"FAILED; see {work}")
        return 0 if ok else 1
    finally:
        for p in reversed(procs):
            try:
                os.killpg(p.pid, signal.SIGTERM)
                p.wait(20)
            except (ProcessLookupError, subprocess.TimeoutExpired):
                try:
                    os.killpg(p.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass


if __name__ == "__main__":
    sys.exit(main())
