#!/usr/bin/env python3
"""Several Prefect workers on one work pool, one PostgreSQL store, one worker killed.

    .venv/bin/python tools/scale_test.py --letters 60 --workers 2 --kill-one [--keep DIR]

Everything runs on this machine, on loopback or Unix sockets only, and is stopped at the
end (also on Ctrl-C or an error):

1. N digital letters from :mod:`vanthu.samplegen.variety` (each its own number and day);
2. a throw-away PostgreSQL cluster (``initdb`` + ``pg_ctl``, Unix socket only, as
   tests/flows/test_store_postgres.py does; as root the server runs as ``postgres``);
3. a temporary Prefect server (``prefect server start --host 127.0.0.1``, its own
   PREFECT_HOME, scheduler and workers polling every 2 s);
4. ``vanthu deploy ROOT --pool POOL --store postgresql://…`` (a sweep every few seconds)
   and W ``prefect worker start --pool POOL --limit 1``, each in its own session;
5. the letters renamed into ROOT/inbox; with ``--kill-one``, once a quarter of them are done,
   the first worker seen holding a claim is killed with SIGKILL, with everything it started
   (a machine that dies);
6. waits until every letter has an outcome (done/, failed/ or duplicates/) or the timeout.

Counts: processed = letters with an outcome; twice = letters with two outcomes, two runs
in the store or a "duplicate" outcome (every letter has its own bytes); lost = letters with
no outcome. The last line is exactly
``scale: letters N, workers W, killed K, processed P, twice T, lost L``; exit 0 only when
processed == N, twice == 0 and lost == 0.
"""

from __future__ import annotations

import argparse
import json
import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections import Counter
from pathlib import Path

from soak import FINAL, outcomes, process_tree

BIN = Path(sys.executable).parent
POOL = "vanthu-scale"
START_TIMEOUT = 180.0  # seconds for the Prefect server to answer
STOP_GRACE = 20.0  # seconds a process has after SIGTERM


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _pg_bin(name: str) -> str:
    found = shutil.which(name)
    if found:
        return found
    base = Path("/usr/lib/postgresql")
    for version in sorted(base.iterdir(), reverse=True) if base.is_dir() else []:
        if (version / "bin" / name).exists():
            return str(version / "bin" / name)
    raise SystemExit(f"scale: PostgreSQL's {name} is not installed (Debian: apt-get install postgresql)")


class Machine:
    """The processes and servers of the test, each stopped by :meth:`stop_all`."""

    def __init__(self, work: Path):
        self.work = work
        self.env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
        self.env.update(
            PREFECT_HOME=str(work / "prefect-home"),
            PREFECT_SERVER_ANALYTICS_ENABLED="false",
            DO_NOT_TRACK="1",
            PREFECT_SERVER_SERVICES_SCHEDULER_LOOP_SECONDS="2",
            PREFECT_WORKER_QUERY_SECONDS="2",
            PREFECT_WORKER_PREFETCH_SECONDS="5",
            PYTHONUNBUFFERED="1",
        )
        self.procs: dict[str, subprocess.Popen] = {}
        self.pg_stop: list[str] | None = None

    def start(self, name: str, cmd: list[str]) -> subprocess.Popen:
        log = open(self.work / f"{name}.log", "w")  # noqa: SIM115 - closed with the process
        proc = subprocess.Popen(
            cmd, stdout=log, stderr=subprocess.STDOUT, env=self.env, start_new_session=True, stdin=subprocess.DEVNULL
        )
        self.procs[name] = proc
        return proc

    # -- PostgreSQL
    def postgres(self) -> str:
        initdb, pg_ctl = _pg_bin("initdb"), _pg_bin("pg_ctl")
        base = self.work / "pg"
        data, sock = base / "data", base / "sock"
        sock.mkdir(parents=True)
        prefix: list[str] = []
        if os.geteuid() == 0:  # the server refuses to run as root
            user = pwd.getpwnam("postgres")
            for p in (self.work, base):
                os.chmod(p, 0o755)
            os.chown(base, user.pw_uid, user.pw_gid)
            os.chown(sock, user.pw_uid, user.pw_gid)
            prefix = ["runuser", "-u", "postgres", "--"]
        run = {"check": True, "capture_output": True}
        subprocess.run(prefix + [initdb, "-D", str(data), "-A", "trust", "-U", "postgres", "--no-sync"], **run)
        port = _free_port()
        opts = f"-k {sock} -p {port} -c listen_addresses='' -c fsync=off -c max_connections=100"
        subprocess.run(prefix + [pg_ctl, "-D", str(data), "-l", str(base / "log"), "-w", "-o", opts, "start"], **run)
        self.pg_stop = prefix + [pg_ctl, "-D", str(data), "-m", "fast", "-w", "stop"]
        return f"postgresql://postgres@/postgres?host={sock}&port={port}"

    # -- Prefect
    def prefect_server(self) -> str:
        port = _free_port()
        api = f"http://127.0.0.1:{port}/api"
        self.start("server", [str(BIN / "prefect"), "server", "start", "--host", "127.0.0.1", "--port", str(port)])
        end = time.monotonic() + START_TIMEOUT
        while True:
            if self.procs["server"].poll() is not None:
                raise SystemExit(f"scale: the Prefect server exited; see {self.work / 'server.log'}")
            try:
                with urllib.request.urlopen(f"{api}/health", timeout=2):
                    break
            except OSError:
                if time.monotonic() > end:
                    raise SystemExit("scale: the Prefect server did not start in time") from None
                time.sleep(0.5)
        self.env["PREFECT_API_URL"] = api
        return api

    # -- stopping
    def kill_tree(self, name: str) -> None:
        """SIGKILL ``name`` and every process it started (its session and its descendants)."""
        proc = self.procs[name]
        pids = process_tree(proc.pid)
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        for pid in pids:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        proc.wait()

    def stop_all(self) -> None:
        leftovers = {pid for proc in self.procs.values() if proc.poll() is None for pid in process_tree(proc.pid)}
        for proc in reversed(list(self.procs.values())):
            if proc.poll() is None:
                try:
                    os.killpg(proc.pid, signal.SIGTERM)
                except ProcessLookupError:
                    pass
        end = time.monotonic() + STOP_GRACE
        for proc in self.procs.values():
            try:
                proc.wait(max(0.1, end - time.monotonic()))
            except subprocess.TimeoutExpired:
                pass
        for proc in self.procs.values():
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            proc.wait()
        for pid in leftovers:  # a flow run or forkserver that left its worker's session
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        if self.pg_stop:
            subprocess.run(self.pg_stop, capture_output=True)
            self.pg_stop = None


def claim_holders(processing: Path) -> set[int]:
    """The pids named by the claim markers in processing/."""
    pids = set()
    for marker in processing.glob(".*.claim"):
        try:
            pid = json.loads(marker.read_text(encoding="utf-8")).get("pid")
        except (OSError, ValueError):
            continue
        if isinstance(pid, int):
            pids.add(pid)
    return pids


def store_runs(url: str) -> tuple[Counter, Counter, int]:
    """(runs per file, outcomes, documents) of the PostgreSQL store."""
    import psycopg

    with psycopg.connect(url) as conn:
        rows = conn.execute("SELECT file, outcome FROM runs").fetchall()
        documents = conn.execute("SELECT COUNT(*) FROM documents WHERE done_path IS NOT NULL").fetchone()[0]
    return Counter(f for f, _ in rows), Counter(o for _, o in rows), documents


def make_letters(staging: Path, n: int) -> list[str]:
    from vanthu.samplegen.variety import LetterFactory

    (staging / ".templates").mkdir(parents=True, exist_ok=True)
    factory = LetterFactory(staging / ".templates", templates=min(n, 8))
    names = [f"scale-{i:04d}.pdf" for i in range(n)]
    old = time.time() - 60
    for i, name in enumerate(names):
        factory.write(i, staging / name)
        os.utime(staging / name, (old, old))
    return names


def deploy(m: Machine, root: Path, store: str, interval: float, stale_after: float) -> None:
    cmd = [sys.executable, "-m", "vanthu.cli", "deploy", str(root), "--pool", POOL, "--store", store]
    cmd += ["--interval", str(interval), "--settle", "0.5", "--stale-after", str(stale_after)]
    done = subprocess.run(cmd, env=m.env, capture_output=True, text=True)
    (m.work / "deploy.log").write_text(done.stdout + done.stderr, encoding="utf-8")
    if done.returncode != 0:
        raise SystemExit(f"scale: vanthu deploy failed ({done.returncode}): {done.stderr.strip()}")
    print(f"scale: {done.stdout.strip().splitlines()[0]}")


def run(m: Machine, args: argparse.Namespace) -> tuple[int, list[str], Path, str]:
    """Start everything, drop the letters, kill a worker, wait; returns (killed, names, root, store)."""
    staging, root = m.work / "staging", m.work / "root"
    t = time.monotonic()
    names = make_letters(staging, args.letters)
    print(f"scale: {len(names)} letters generated in {time.monotonic() - t:.1f} s (work folder {m.work})")
    store = m.postgres()
    m.prefect_server()
    deploy(m, root, store, args.interval, args.stale_after)
    workers = [f"worker-{k}" for k in range(args.workers)]
    for w in workers:
        m.start(w, [str(BIN / "prefect"), "worker", "start", "--pool", POOL, "--limit", "1", "--name", w])
    t0 = time.monotonic()
    for name in names:
        os.rename(staging / name, root / "inbox" / name)
    killed, deadline = 0, t0 + args.timeout
    while time.monotonic() < deadline:
        finished = sum(1 for f in FINAL for p in (root / f).iterdir() if not p.name.endswith(".error.json"))
        if finished >= len(names) and not any(p for p in (root / "processing").iterdir()):
            print(f"scale: every letter has an outcome {time.monotonic() - t0:.1f} s after the drop")
            break
        if args.kill_one and not killed and finished >= max(1, len(names) // 4):  # mid-run: some letters done
            holders = claim_holders(root / "processing")
            victim = next((w for w in workers if holders & set(process_tree(m.procs[w].pid))), None)
            if victim is None and finished >= len(names) // 2:
                victim = workers[0]  # no claim seen in time: a worker dies between letters
            if victim is not None:
                m.kill_tree(victim)
                killed = 1
                print(f"scale: killed {victim} with SIGKILL ({finished} letters had an outcome)")
        time.sleep(0.5)
    else:
        print(f"scale: timed out after {args.timeout:g} s")
    return killed, names, root, store


def count(names: list[str], root: Path, store: str) -> tuple[int, int, int]:
    """(processed, twice, lost), also checked against the store."""
    where = outcomes(root, names)
    per_file, by_outcome, documents = store_runs(store)
    processed = sum(1 for folders in where.values() if folders)
    twice = sum(
        1 for n, folders in where.items() if len(folders) > 1 or per_file.get(n, 0) > 1 or "duplicates" in folders
    )
    lost = sum(1 for folders in where.values() if not folders)
    done = sum(1 for folders in where.values() if "done" in folders)
    print(
        f"scale: store: {documents} documents done, runs {dict(by_outcome)}; folders: done {done}, "
        f"failed {sum(1 for f in where.values() if 'failed' in f)}, still in inbox/processing "
        f"{len(list((root / 'inbox').iterdir())) + len([p for p in (root / 'processing').iterdir()])}"
    )
    if documents != done:
        print(f"scale: the store has {documents} documents done but done/ has {done} letters")
        twice += abs(documents - done) if documents > done else 0
    return processed, twice, lost


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--letters", type=int, default=60)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--kill-one", action="store_true", help="SIGKILL one worker while it holds a letter")
    ap.add_argument("--interval", type=float, default=5.0, help="seconds between scheduled sweeps (default 5)")
    ap.add_argument("--stale-after", type=float, default=30.0, help="vanthu deploy --stale-after (default 30)")
    ap.add_argument("--timeout", type=float, default=900.0, help="seconds to wait for every outcome (default 900)")
    ap.add_argument("--keep", type=Path, help="work in this folder and keep it")
    args = ap.parse_args(argv)
    if args.letters < 1 or args.workers < 1 or (args.kill_one and args.workers < 2):
        ap.error("--letters and --workers must be at least 1, and --kill-one needs two workers")
    work = args.keep or Path(tempfile.mkdtemp(prefix="vanthu-scale-"))
    work.mkdir(parents=True, exist_ok=True)
    m = Machine(work)

    def interrupted(signum, frame):  # noqa: ARG001
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, interrupted)
    killed, processed, twice, lost = 0, 0, 0, args.letters
    try:
        killed, names, root, store = run(m, args)
        processed, twice, lost = count(names, root, store)
    except KeyboardInterrupt:
        print("scale: interrupted")
    except (SystemExit, Exception) as exc:  # noqa: BLE001 - reported, then everything is stopped
        print(f"scale: stopped: {type(exc).__name__}: {exc}")
    finally:
        m.stop_all()
    print(
        f"scale: letters {args.letters}, workers {args.workers}, killed {killed}, "
        f"processed {processed}, twice {twice}, lost {lost}"
    )
    ok = processed == args.letters and twice == 0 and lost == 0
    if ok and not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
