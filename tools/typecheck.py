#!/usr/bin/env python3
"""Type-check ``models/`` and ``pipeline/`` with mypy (settings in pyproject.toml's [tool.mypy]).

The folders install as ``vanthu.models`` and ``vanthu.pipeline`` (pyproject.toml's
package-dir), a mapping mypy cannot follow, and the editable install is an import hook
mypy does not run. So this builds the installed layout out of symbolic links in a
temporary folder and checks the packages there; paths in the report are the
repository's.

    .venv/bin/python tools/typecheck.py            # exit 0 when clean, 1 with errors
    .venv/bin/python tools/typecheck.py --summary  # the error count per code as well
"""

from __future__ import annotations

import re
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# installed package -> source folder; only models and pipeline are checked, and they
# import nothing above them
LINKS = {"models": ROOT / "models", "pipeline": ROOT / "pipeline"}
PACKAGES = ["vanthu.models", "vanthu.pipeline"]


def run_mypy(extra: list[str]) -> tuple[int, str]:
    with tempfile.TemporaryDirectory(prefix="vanthu-mypy-") as tmp:
        shadow = Path(tmp) / "vanthu"
        shadow.mkdir()
        (shadow / "__init__.py").symlink_to(ROOT / "vanthu" / "__init__.py")
        for name, folder in LINKS.items():
            (shadow / name).symlink_to(folder, target_is_directory=True)
        cmd = [sys.executable, "-m", "mypy", "--config-file", str(ROOT / "pyproject.toml")]
        cmd += [arg for package in PACKAGES for arg in ("-p", package)] + extra
        proc = subprocess.run(cmd, cwd=tmp, env={"MYPYPATH": tmp, "PATH": "/usr/bin:/bin"}, capture_output=True, text=True)
        out = proc.stdout + proc.stderr
        # vanthu/pipeline/x.py -> pipeline/x.py
        out = re.sub(r"(?m)^(?:[^\s:]*/)?vanthu/(models|pipeline)/", r"\1/", out)
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
