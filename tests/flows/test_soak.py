"""The soak of ``vanthu watch`` (tools/soak.py) at 100 files, as CI runs it.

The tool itself is run (tests never import tools/): 100 files from the generators, mixed
as in the 1,000-letter soak but with 2 scans instead of 8 (OCR is most of a scan's cost;
two keep the run near 90 s on two cores), dropped in waves of 25 into a real watcher.

Asserted: every file got an outcome, none lost, none processed twice, the store's
documents = out/*.json = done runs, and the memory sampler saw the watcher's whole process
tree. Not asserted: flat memory. At 100 files the first and the last 100 files are the
same files, and smaller windows (the first and last 25) compare the watcher's warm-up
(Prefect's server filling its database and caches, the forkserver's first documents)
with its steady state rather than a leak; the criterion is judged by
``tools/soak.py --letters 1000`` (docs/admin.md).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.soak
def test_soak_100_files_lose_nothing_and_process_each_once(tmp_path):
    out = tmp_path / "soak.json"
    cmd = [
        sys.executable,
        str(ROOT / "tools" / "soak.py"),
        "--letters",
        "100",
        "--wave",
        "25",
        "--scan-share",
        "0.02",
        "--broken-share",
        "0.02",
        "--templates",
        "6",
        "--keep",
        str(tmp_path / "work"),
        "--json",
        str(out),
        "--timeout",
        "900",
    ]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=1200)
    assert out.exists(), proc.stdout + proc.stderr
    res = json.loads(out.read_text(encoding="utf-8"))
    assert res["seconds"] is not None, proc.stdout
    assert res["kinds"] == {"digital": 96, "scan": 2, "broken": 2}
    assert res["lost"] == [] and res["twice"] == []
    assert sum(res["outcome_counts"].values()) == 100
    assert res["documents"] == res["out_files"] == res["done_runs"] == res["outcome_counts"]["done"]
    assert res["outcome_counts"]["done"] >= 98  # every letter and scan read; a broken file may be too
    assert res["memory"]["max_processes"] >= 2 and res["memory"]["peak_rss_mb"] > 50
    assert res["memory_meaningful"] is False  # see the module's docstring
    assert proc.returncode == 0, proc.stdout
