"""Shared test setup: Prefect telemetry off and a private PREFECT_HOME; paths to the
shared development sets (tests that need them skip when ../shared is absent, and fail
in CI, ``CI=true``, where they must run). Helpers shared by several tests live in
``tests/support/``; sample letters come from ``vanthu.samplegen``."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("DO_NOT_TRACK", "1")
os.environ.setdefault("PREFECT_HOME", tempfile.mkdtemp(prefix="vanthu-prefect-home-"))
# The tests read English messages whatever the developer's locale (tests/test_i18n.py and
# the Vietnamese tests ask for Vietnamese themselves, through VANTHU_LANG or use_language).
os.environ["VANTHU_LANG"] = "en"

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
SHARED = ROOT.parent / "shared"


@pytest.fixture(autouse=True)
def _english_after_each_test():
    """A test that switched the process to Vietnamese (``vanthu.cli.main`` with
    VANTHU_LANG=vi) leaves the next one in English, argparse's own words included."""
    yield
    from vanthu.argparse_vi import use_language

    use_language("en")


def in_ci() -> bool:
    """``CI=true`` (as GitHub Actions, GitLab CI and most CI services set it)."""
    return os.environ.get("CI", "").strip().lower() in {"true", "1", "yes"}


def shared_dir(*parts: str) -> Path:
    """``../shared/<parts>``; when it is absent the test skips, or fails in CI, where
    passing without the corpus would hide that it never ran."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        message = f"{path} is absent (the shared development sets live beside the checkout)"
        if in_ci():
            pytest.fail(f"{message}; CI=true: the corpus tests must run in CI, provide {SHARED}", pytrace=False)
        pytest.skip(message)
    return path


def shared_files(*parts: str, pattern: str = "*") -> list:
    """The files of ``../shared/<parts>`` matching ``pattern``, as test parameters. When the
    folder is absent there is one parameter, the folder itself: the test then calls
    :func:`shared_dir`, which skips it, or fails it in CI (never an empty, silent pass)."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        return [pytest.param(path, id="shared-absent")]
    return sorted(path.glob(pattern))


def load_renderer(require_fonts: bool = True):
    """The letter renderer, :mod:`vanthu.samplegen.render` (skips the test when its fonts
    are missing)."""
    from vanthu.samplegen import render as module

    if require_fonts:
        try:
            module.find_font_dir()
        except module.FontsNotFoundError as exc:
            pytest.skip(str(exc))
    return module
