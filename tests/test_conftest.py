"""tests/conftest.py: corpus tests skip when ../shared is absent, and fail in CI (CI=true)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests import conftest


def test_shared_dir_returns_a_present_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "corpus").mkdir()
    monkeypatch.setattr(conftest, "SHARED", tmp_path)
    monkeypatch.setenv("CI", "true")
    assert conftest.shared_dir("corpus") == tmp_path / "corpus"


@pytest.mark.parametrize("ci", [None, "", "false"])
def test_shared_dir_absent_skips_outside_ci(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, ci: str | None) -> None:
    monkeypatch.setattr(conftest, "SHARED", tmp_path / "shared")
    if ci is None:
        monkeypatch.delenv("CI", raising=False)
    else:
        monkeypatch.setenv("CI", ci)
    with pytest.raises(pytest.skip.Exception, match="absent"):
        conftest.shared_dir("corpus")


@pytest.mark.parametrize("ci", ["true", "TRUE", "1"])
def test_shared_dir_absent_fails_in_ci(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, ci: str) -> None:
    monkeypatch.setattr(conftest, "SHARED", tmp_path / "shared")
    monkeypatch.setenv("CI", ci)
    with pytest.raises(pytest.fail.Exception, match=r"absent.*CI=true"):
        conftest.shared_dir("corpus")


def test_prefect_telemetry_is_set_for_the_tests() -> None:
    # conftest sets these unless the environment already does
    assert {"DO_NOT_TRACK", "PREFECT_SERVER_ANALYTICS_ENABLED", "PREFECT_HOME"} <= set(os.environ)
