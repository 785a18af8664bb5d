"""Fixtures of the ingestion tests: a folder tree, its task store, the seed letter's record,
a Prefect server on loopback,
a throw-away PostgreSQL cluster (skips when PostgreSQL's programs are not installed)."""

from __future__ import annotations

import json
import os
import pwd
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from tests.conftest import SAMPLES
from vanthu.flows.inbox import Layout, sha256_file
from vanthu.flows.store import default_url, open_store

SEED = SAMPLES / "seed-cv-ubnd-langson.md"
OLD = time.time() - 3600


@pytest.fixture
def tree(tmp_path):
    return Layout.under(tmp_path / "root").ensure()


@pytest.fixture
def store(tree):
    s = open_store(default_url(tree.root))
    yield s
    s.close()


@pytest.fixture(scope="module")
def seed_record():
    from vanthu.pipeline.extract import extract_file

    return extract_file(SEED)


def drop(tree: Layout, name: str, data: bytes, *, old: bool = True) -> Path:
    p = tree.inbox / name
    p.write_bytes(data)
    if old:
        os.utime(p, (OLD, OLD))
    return p


def fake_extract(record):
    """An extractor returning ``record`` re-labelled with the file's own hash."""

    def run(path: Path):
        sha = sha256_file(path)
        data = json.loads(record.to_json())
        data["id"] = f"sha256:{sha}"
        data["source"]["sha256"] = sha
        data["source"]["file"] = path.name
        for t in data["tasks"]:
            t["task_id"] = f"task:{sha[:16]}:{t['task_id']}"
        return type(record).model_validate(data)

    return run


def _pg_bin(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        versions = os.listdir("/usr/lib/postgresql") if os.path.isdir("/usr/lib/postgresql") else []
        for d in sorted(versions, reverse=True):
            cand = f"/usr/lib/postgresql/{d}/bin/{name}"
            if os.path.exists(cand):
                return cand
        pytest.skip(f"PostgreSQL's {name} is not installed")
    return path


@pytest.fixture(scope="module")
def pg_url(tmp_path_factory):
    initdb, pg_ctl = _pg_bin("initdb"), _pg_bin("pg_ctl")
    base = tmp_path_factory.mktemp("pg")
    data, sock = base / "data", base / "sock"
    sock.mkdir()
    prefix: list[str] = []
    if os.geteuid() == 0:  # the server refuses to run as root
        try:
            user = pwd.getpwnam("postgres")
        except KeyError:
            pytest.skip("running as root without a 'postgres' user")
        os.chmod(base, 0o755)
        # every folder above it that pytest made (one more under pytest-xdist: popen-gwN)
        top = Path(tempfile.gettempdir()).resolve()
        for p in base.resolve().parents:
            if p == top or top not in p.parents:
                break
            os.chmod(p, os.stat(p).st_mode | 0o011)
        os.chown(base, user.pw_uid, user.pw_gid)
        os.chown(sock, user.pw_uid, user.pw_gid)
        prefix = ["runuser", "-u", "postgres", "--"]
    subprocess.run(
        prefix + [initdb, "-D", str(data), "-A", "trust", "-U", "postgres", "--no-sync"],
        check=True,
        capture_output=True,
    )
    port = "54329"
    subprocess.run(
        prefix
        + [
            pg_ctl,
            "-D",
            str(data),
            "-l",
            str(base / "log"),
            "-w",
            "-t",
            "300",  # a loaded machine starts it slowly
            "-o",
            f"-k {sock} -p {port} -c listen_addresses='' -c fsync=off",
            "start",
        ],
        check=True,
        capture_output=True,
    )
    try:
        yield f"postgresql://postgres@/postgres?host={sock}&port={port}"
    finally:
        subprocess.run(prefix + [pg_ctl, "-D", str(data), "-m", "immediate", "stop"], capture_output=True)


@pytest.fixture(scope="module")
def prefect_api(tmp_path_factory):
    """`prefect server start` on 127.0.0.1 with its own PREFECT_HOME (scheduler every 2 s)."""
    import socket
    import urllib.request

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    home = tmp_path_factory.mktemp("prefect-server-home")
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
    env.update(
        PREFECT_HOME=str(home),
        PREFECT_SERVER_SERVICES_SCHEDULER_LOOP_SECONDS="2",
        PREFECT_SERVER_ANALYTICS_ENABLED="false",
        PREFECT_UI_ENABLED="false",
    )
    log = open(home / "server.log", "w")
    proc = subprocess.Popen(
        [
            str(Path(sys.executable).with_name("prefect")),
            "server",
            "start",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--no-ui",
            "--analytics-off",
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
        env=env,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}/api"
    try:
        end = time.monotonic() + 180
        while True:
            assert proc.poll() is None, (home / "server.log").read_text()
            try:
                with urllib.request.urlopen(f"{url}/health", timeout=2) as resp:
                    if resp.status == 200:
                        break
            except OSError:
                pass
            assert time.monotonic() < end, "prefect server did not start"
            time.sleep(0.5)
        yield url
    finally:
        from vanthu.flows.watch import _drain_prefect

        _drain_prefect()  # flush this process's logs and events before the server goes away
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
