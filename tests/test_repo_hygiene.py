"""The repository itself: no merge leftovers in tracked files; a short README and
documentation whose links resolve inside the repository."""

from __future__ import annotations

import os
import re
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


# ---------------------------------------------------------------------------- documentation
README = ROOT / "README.md"
DOCS = sorted((ROOT / "docs").rglob("*.md"))
_LINK = re.compile(r"(?<!!)\[[^\]]*\]\(([^)\s]+)\)")
_FENCE = re.compile(r"^```.*?^```", re.S | re.M)


def _slug(heading: str) -> str:
    """GitHub's anchor of a heading: lower case, punctuation dropped, spaces to dashes."""
    text = heading.strip().lower().replace("`", "")
    text = "".join(ch for ch in text if ch.isalnum() or ch in " -_")
    return text.replace(" ", "-")


def _anchors(path: Path) -> set[str]:
    text = _FENCE.sub("", path.read_text(encoding="utf-8"))
    return {_slug(m.group(1)) for m in re.finditer(r"^#{1,6}\s+(.+?)\s*$", text, re.M)}


def _links(path: Path) -> list[str]:
    return _LINK.findall(_FENCE.sub("", path.read_text(encoding="utf-8")))


def test_readme_is_short() -> None:
    assert README.stat().st_size < 20_000, "README.md is over 20 KB: move details into docs/"


def test_readme_keeps_the_two_quickstart_commands() -> None:
    text = README.read_text(encoding="utf-8")
    assert "./scripts/setup.sh && .venv/bin/vanthu extract samples/ --out out/samples" in text
    assert "VANTHU_SETUP_TESTS=1 ./scripts/setup.sh && .venv/bin/python -m pytest -q" in text
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "VANTHU_SETUP_TESTS=1 ./scripts/setup.sh && .venv/bin/python -m pytest -q" in ci  # the README's command


@pytest.mark.parametrize("doc", [README, *DOCS], ids=lambda p: str(p.relative_to(ROOT)))
def test_documentation_links_resolve_inside_the_repository(doc: Path) -> None:
    bad = []
    for target in _links(doc):
        if re.match(r"^[a-z]+:", target):  # http:, https:, mailto:
            continue
        file_part, _, anchor = target.partition("#")
        dest = (doc.parent / file_part).resolve() if file_part else doc
        if not dest.is_relative_to(ROOT):
            bad.append(f"{target}: outside the repository")
        elif not dest.exists():
            bad.append(f"{target}: no such file")
        elif anchor and dest.suffix == ".md" and anchor not in _anchors(dest):
            bad.append(f"{target}: no such heading")
    assert not bad, bad


# ------------------------------------------------------------------ licence and installation
def test_license_file_is_the_gpl3_text_the_package_declares() -> None:
    text = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert text.lstrip().startswith("GNU GENERAL PUBLIC LICENSE")
    assert "Version 3, 29 June 2007" in text and "END OF TERMS AND CONDITIONS" in text
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert 'license = "GPL-3.0-or-later"' in pyproject
    assert "(LICENSE)" in README.read_text(encoding="utf-8")  # the README links the file in the repository


def test_readme_sends_readers_to_no_file_outside_the_repository() -> None:
    # it once sent them to ../shared/, which a checkout does not have
    text = README.read_text(encoding="utf-8")
    assert "../" not in text
    assert "/usr/share/common-licenses" not in text


def test_supported_pythons_agree_in_pyproject_setup_and_readme() -> None:
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["requires-python"] == ">=3.11,<3.14"
    setup = (ROOT / "scripts" / "setup.sh").read_text(encoding="utf-8")
    assert "(3, 11) <= v <= (3, 13)" in setup
    lock = (ROOT / "uv.lock").read_text(encoding="utf-8")
    assert 'requires-python = ">=3.11, <3.14"' in lock  # the lock was resolved for the same range
    readme = " ".join(README.read_text(encoding="utf-8").split())
    assert "3.11, 3.12 or 3.13" in readme and "Tested:" in readme


@pytest.mark.parametrize(
    ("tests", "has", "lacks"),
    [
        ("", {"tesseract-ocr-vie", "fonts-liberation2"}, {"chromium", "poppler-utils"}),
        ("0", {"tesseract-ocr-vie", "fonts-liberation2"}, {"chromium", "poppler-utils"}),
        ("1", {"tesseract-ocr-vie", "chromium", "poppler-utils"}, set()),
    ],
)
def test_setup_installs_the_test_debian_packages_only_when_asked(tests: str, has: set, lacks: set) -> None:

    env = {**os.environ, "VANTHU_SETUP_TESTS": tests}
    out = subprocess.run(
        ["bash", str(ROOT / "scripts" / "setup.sh"), "--packages"], capture_output=True, text=True, env=env, check=True
    ).stdout.split()
    assert has <= set(out) and not lacks & set(out), out


def test_setup_refuses_an_unknown_test_choice() -> None:

    env = {**os.environ, "VANTHU_SETUP_TESTS": "yes"}
    proc = subprocess.run(
        ["bash", str(ROOT / "scripts" / "setup.sh"), "--packages"], capture_output=True, text=True, env=env
    )
    assert proc.returncode == 2 and "VANTHU_SETUP_TESTS must be 0, 1 or unset" in proc.stderr
