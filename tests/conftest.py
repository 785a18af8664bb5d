"""Shared test setup: Prefect telemetry off and a private PREFECT_HOME; paths to the
shared development sets (tests that need them skip when ../shared is absent)."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("DO_NOT_TRACK", "1")
os.environ.setdefault("PREFECT_HOME", tempfile.mkdtemp(prefix="vanthu-prefect-home-"))

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
SHARED = ROOT.parent / "shared"


def shared_dir(*parts: str) -> Path:
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} is absent (the shared development sets live beside the checkout)")
    return path


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
