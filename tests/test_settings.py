"""Settings (``pipeline.settings``): defaults, ``VANTHU_*`` variables, a TOML file named
by ``VANTHU_CONFIG``, overrides; a bad value is a usage error naming its variable; the
objects are frozen."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from tests.conftest import SAMPLES
from vanthu.cli import main
from vanthu.pipeline import errors
from vanthu.pipeline.errors import ExitCode
from vanthu.pipeline.settings import (
    DEFAULT_MAX_PAGES,
    DEFAULT_TIMEOUT_S,
    LimitSettings,
    OcrSettings,
    Settings,
    load_settings,
)

GOOD_MD = SAMPLES / "seed-cv-ubnd-langson.md"


def test_defaults() -> None:
    settings = load_settings({})
    assert settings == Settings()
    assert settings.limits.timeout_s == DEFAULT_TIMEOUT_S and settings.limits.max_pages == DEFAULT_MAX_PAGES
    assert settings.read.pdf_reader == "" and settings.cache_dir is None


def test_limits_from_env_and_overrides() -> None:
    env = {"VANTHU_TIMEOUT": "30", "VANTHU_MEMORY_MB": "512", "VANTHU_MAX_PAGES": "9"}
    limits = load_settings(env, limits__memory_mb=None, limits__max_pages=20).limits
    assert (limits.timeout_s, limits.memory_mb, limits.max_pages) == (30.0, 512, 20)
    assert load_settings({}).limits == LimitSettings()
    with pytest.raises(errors.UsageError, match="VANTHU_TIMEOUT: not a number"):
        load_settings({"VANTHU_TIMEOUT": "soon"})
    with pytest.raises(errors.UsageError, match="must be positive"):
        load_settings({}, limits__timeout_s=0)


def test_env_overrides_every_section() -> None:
    env = {
        "VANTHU_OCR_DPI": "200",
        "VANTHU_OCR_WORKERS": "3",
        "VANTHU_PDF_READER": "pdfplumber",
        "VANTHU_WORKERS": "4",
        "VANTHU_CACHE_DIR": "/tmp/c",
        "VANTHU_TIMEOUT_PER_PAGE": " 0 ",
    }
    settings = load_settings(env)
    assert (settings.ocr.dpi, settings.ocr.workers, settings.ocr.tesseract_workers()) == (200, 3, 3)
    assert settings.read.pdf_reader == "pdfplumber"
    assert settings.workers == 4 and settings.cache_dir == Path("/tmp/c")
    assert settings.limits.timeout_per_page_s == 0
    assert load_settings({"VANTHU_TIMEOUT": "  "}).limits.timeout_s == DEFAULT_TIMEOUT_S  # blank: unset


def test_toml_file_under_the_environment(tmp_path: Path, monkeypatch) -> None:
    config = tmp_path / "vanthu.toml"
    config.write_text('timeout = 300\nmemory_mb = 1024\npdf_reader = "pdfplumber"\n', encoding="utf-8")
    monkeypatch.setenv("VANTHU_CONFIG", str(config))
    monkeypatch.setenv("VANTHU_MEMORY_MB", "4096")
    settings = load_settings()
    assert settings.limits.timeout_s == 300.0  # from the file
    assert settings.limits.memory_mb == 4096  # the environment wins over the file
    assert settings.read.pdf_reader == "pdfplumber"
    monkeypatch.setenv("VANTHU_CONFIG", str(tmp_path / "absent.toml"))
    with pytest.raises(errors.UsageError, match="VANTHU_CONFIG: no such settings file"):
        load_settings()


def test_bad_number_names_its_variable() -> None:
    with pytest.raises(errors.UsageError) as caught:
        load_settings({"VANTHU_OCR_DPI": "high"})
    assert caught.value.line() == "VANTHU_OCR_DPI: not a number: 'high'"
    assert caught.value.exit_code == ExitCode.USAGE == 2
    with pytest.raises(errors.UsageError, match="VANTHU_MAX_PAGES: limit max_pages must be positive, not 0"):
        load_settings({"VANTHU_MAX_PAGES": "0"})


def test_bad_limit_is_a_usage_error(tmp_path: Path, capsys, monkeypatch) -> None:
    monkeypatch.setenv("VANTHU_MEMORY_MB", "lots")
    assert main(["extract", str(GOOD_MD)]) == ExitCode.USAGE
    assert capsys.readouterr().err.strip() == "vanthu: VANTHU_MEMORY_MB: not a number: 'lots'"


def test_settings_are_frozen() -> None:
    settings = Settings()
    with pytest.raises(ValidationError):
        settings.workers = 3  # type: ignore[misc]
    with pytest.raises(ValidationError):
        settings.limits.timeout_s = 1.0  # type: ignore[misc]
    with pytest.raises(ValidationError):
        OcrSettings(dpi=300, colour=True)  # type: ignore[call-arg]
    assert settings.model_copy(update={"workers": 3}).workers == 3 and settings.workers != 3
