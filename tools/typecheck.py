#!/usr/bin/env python3
"""Type-check ``models/`` and ``pipeline/`` with mypy (settings in pyproject.toml's [tool.mypy]).

The folders install as ``vanthu.models`` and ``vanthu.pipeline`` (pyproject.toml's
package-dir), a mapping mypy cannot follow, and the editable install is an import hook
mypy does not run. So this builds the installed layout out of symbolic links in
``.mypy_cache/layout/`` (beside mypy's cache, so the next run is incremental) and checks
the packages there; paths in the report are the repository's.

    .venv/bin/python tools/typecheck.py            # exit 0 when clean, 1 with errors
    .venv/bin/python tools/typecheck.py --summary  # the error count per code as well
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# installed package -> source folder; only models and pipeline are checked, and they
# import nothing above them
LINKS = {"models": ROOT / "models", "pipeline": ROOT / "pipeline"}
PACKAGES = ["vanthu.models", "vanthu.pipeline"]
CACHE = ROOT / ".mypy_cache"


def layout() -> Path:
    """``.mypy_cache/layout/vanthu/{__init__.py,models,pipeline}`` as links into the checkout."""
    base = CACHE / "layout"
    shadow = base / "vanthu"
    shadow.mkdir(parents=True, exist_ok=True)
    links = {"__init__.py": ROOT / "vanthu" / "__init__.py", **LINKS}
    for name, target in links.items():
        link = shadow / name
        if link.is_symlink() and link.resolve() == target.resolve():
            continue
        if link.is_symlink() or link.exists():
            link.unlink()
        link.symlink_to(target, target_is_directory=target.is_dir())
    return base


def run_mypy(extra: list[str]) -> tuple[int, str]:
    base = layout()
    cmd = [sys.executable, "-m", "mypy", "--config-file", str(ROOT / "pyproject.toml"), "--cache-dir", str(CACHE)]
    cmd += [arg for package in PACKAGES for arg in ("-p", package)] + extra
    env = {**os.environ, "MYPYPATH": str(base)}
    proc = subprocess.run(cmd, cwd=base, env=env, capture_output=True, text=True)
    # vanthu/pipeline/x.py -> pipeline/x.py
    out = re.sub(r"(?m)^(?:[^\s:]*/)?vanthu/(models|pipeline)/", r"\1/", proc.stdout + proc.stderr)
    return proc.returncode, out


def main(argv: list[str]) -> int:
    code, out = run_mypy([a for a in argv if a != "--summary"])
    sys.stdout.write(out)
    if "--summary" in argv:
        counts = Counter(re.findall(r"error: .*\[([a-z-]+)\]$", out, re.M))
        for name, n in counts.most_common():
            print(f"{n:5d}  {name}")
    return 0 if code == 0 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
