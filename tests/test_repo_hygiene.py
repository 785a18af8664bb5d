"""The repository itself: no merge leftovers in tracked files."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def test_no_merge_conflict_markers_in_tracked_files():
    # a README once landed with "<<<<<<< HEAD" blocks from a merge
    try:
        files = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout.split()
    except (OSError, subprocess.CalledProcessError):
        pytest.skip("not a git checkout")
    bad = []
    for name in files:
        path = ROOT / name
        if path.suffix not in {".py", ".md", ".json", ".toml", ".sh", ".html", ".txt", ".cfg", ".yaml", ".yml"}:
            continue
        for no, line in enumerate(path.read_text("utf-8", errors="replace").splitlines(), 1):
            if line.startswith(("<<<<<<< ", ">>>>>>> ")) or line == "=======":
                bad.append(f"{name}:{no}")
    assert not bad, bad
