"""Every ``VANTHU_*`` setting, read once into frozen objects and passed down.

This is the only module that reads ``VANTHU_*`` from the environment. The program
(``vanthu`` CLI, the Prefect flows) calls :func:`load_settings` once at start; everything
below takes the piece it needs (:class:`LimitSettings`, :class:`OcrSettings`,
:class:`ReadSettings`) as an argument. Values come, lowest first, from the defaults
here, an optional TOML file (``VANTHU_CONFIG=/etc/vanthu.toml``: the same names without
the prefix, lower case, e.g. ``timeout = 300``), then ``VANTHU_*`` variables.

A value that is not a number where a number is wanted is a usage error (exit 2) that
names the variable.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, FilePath, ValidationError
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict, TomlConfigSettingsSource

from vanthu.pipeline.errors import UsageError
from vanthu.pipeline.i18n import LANGUAGES, _, language_of, locale_language

ENV_PREFIX = "VANTHU_"
CONFIG_VARIABLE = "VANTHU_CONFIG"

# ------------------------------------------------------------------ defaults
DEFAULT_TIMEOUT_S = 120.0
DEFAULT_TIMEOUT_PER_PAGE_S = 5.0  # added for each page after the first (long scans)
DEFAULT_MEMORY_MB = 2048
DEFAULT_MAX_PAGES = 500
DEFAULT_MAX_PAGE_INCHES = 5000 / 72  # A0 is 46.8 in; the PDF spec's own cap is 200 in
DEFAULT_MAX_PIXELS = 100_000_000  # per page image; a 600-dpi A3 page is 70 MP
DEFAULT_MAX_MB = 200  # input file size
DEFAULT_WORKERS = 2  # documents read at once
DEFAULT_OCR_DPI = 300
DEFAULT_OCR_TIMEOUT_S = 60.0  # per page, under the document's own deadline
DEFAULT_TESSERACT_CMD = "tesseract"
DEFAULT_DIGIT_READER = "rapidocr"


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class LimitSettings(_Frozen):
    """Per-document limits. Defaults fit a 2-core, 24 GB machine running 2 workers."""

    timeout_s: float = Field(DEFAULT_TIMEOUT_S, gt=0)
    timeout_per_page_s: float = Field(DEFAULT_TIMEOUT_PER_PAGE_S, ge=0)
    memory_mb: int = Field(DEFAULT_MEMORY_MB, gt=0)
    max_pages: int = Field(DEFAULT_MAX_PAGES, gt=0)
    max_page_inches: float = Field(DEFAULT_MAX_PAGE_INCHES, gt=0)
    max_pixels: int = Field(DEFAULT_MAX_PIXELS, gt=0)
    max_mb: int = Field(DEFAULT_MAX_MB, gt=0)


class OcrSettings(_Frozen):
    """How Tesseract reads a page."""

    dpi: int = Field(DEFAULT_OCR_DPI, gt=0)
    workers: int = Field(0, ge=0)  # Tesseract processes at once; 0: one per core
    timeout_s: float = Field(DEFAULT_OCR_TIMEOUT_S, gt=0)
    # the page is cleaned at ``dpi`` and read by Tesseract scaled down to this (0: not
    # scaled); the handwritten slots and the signer block are read at full resolution
    read_dpi: int = Field(0, ge=0)
    tesseract_cmd: str = DEFAULT_TESSERACT_CMD
    # a library preloaded into Tesseract only (None: the built pngstore if there is one;
    # "": none)
    tesseract_preload: str | None = None
    # who reads the handwritten digits (the number and day slots, the receipt stamp):
    # "rapidocr" (the PP-OCR recogniser of the rapidocr wheel) or "tesseract"
    digit_reader: str = Field(DEFAULT_DIGIT_READER, pattern="^(rapidocr|tesseract)$")

    def tesseract_workers(self) -> int:
        return self.workers or (os.cpu_count() or 1)


class ReadSettings(_Frozen):
    pdf_reader: str = ""  # "pdfplumber" forces the second PDF reader
    # PEM/DER file of the CA certificates a signed PDF's signatures are checked against
    # (``read/signatures.py``); None: signatures are read, their trust is not judged
    ca_bundle: FilePath | None = None


class Settings(_Frozen):
    limits: LimitSettings = LimitSettings()
    ocr: OcrSettings = OcrSettings()
    read: ReadSettings = ReadSettings()
    workers: int = Field(DEFAULT_WORKERS, ge=1)
    cache_dir: Path | None = None  # the OCR lexicon's cache; None: $XDG_CACHE_HOME/vanthu
    font_dir: Path | None = None  # Liberation Serif for the sample letters (vanthu.samplegen)
    # the language of messages (pipeline.i18n): VANTHU_LANG, else the locale's
    lang: str = Field("en", pattern="^(" + "|".join(LANGUAGES) + ")$")


# Each variable, the place it fills (section, field) and the type it parses as.
VARIABLES: dict[str, tuple[str | None, str]] = {
    "TIMEOUT": ("limits", "timeout_s"),
    "TIMEOUT_PER_PAGE": ("limits", "timeout_per_page_s"),
    "MEMORY_MB": ("limits", "memory_mb"),
    "MAX_PAGES": ("limits", "max_pages"),
    "MAX_PAGE_INCHES": ("limits", "max_page_inches"),
    "MAX_PIXELS": ("limits", "max_pixels"),
    "MAX_MB": ("limits", "max_mb"),
    "OCR_DPI": ("ocr", "dpi"),
    "OCR_WORKERS": ("ocr", "workers"),
    "OCR_TIMEOUT": ("ocr", "timeout_s"),
    "OCR_READ_DPI": ("ocr", "read_dpi"),
    "TESSERACT_CMD": ("ocr", "tesseract_cmd"),
    "TESSERACT_PRELOAD": ("ocr", "tesseract_preload"),
    "DIGIT_READER": ("ocr", "digit_reader"),
    "PDF_READER": ("read", "pdf_reader"),
    "CA_BUNDLE": ("read", "ca_bundle"),
    "WORKERS": (None, "workers"),
    "CACHE_DIR": (None, "cache_dir"),
    "FONT_DIR": (None, "font_dir"),
    "LANG": (None, "lang"),
}

#: variables whose empty value is a setting of its own, not "unset"
#: (``VANTHU_TESSERACT_PRELOAD=``: no library preloaded into Tesseract)
EMPTY_MEANS_SOMETHING = frozenset({"TESSERACT_PRELOAD"})


class _Flat(BaseSettings):
    """The variables as pydantic-settings reads them (flat names), before they are
    sorted into the frozen sections."""

    # numbers in the TOML file (``timeout = 300``) are read as their text, like variables
    model_config = SettingsConfigDict(env_prefix=ENV_PREFIX, extra="ignore", frozen=True, coerce_numbers_to_str=True)

    timeout: str | None = None
    timeout_per_page: str | None = None
    memory_mb: str | None = None
    max_pages: str | None = None
    max_page_inches: str | None = None
    max_pixels: str | None = None
    max_mb: str | None = None
    ocr_dpi: str | None = None
    ocr_workers: str | None = None
    ocr_timeout: str | None = None
    ocr_read_dpi: str | None = None
    tesseract_cmd: str | None = None
    tesseract_preload: str | None = None
    pdf_reader: str | None = None
    ca_bundle: str | None = None
    workers: str | None = None
    cache_dir: str | None = None
    font_dir: str | None = None
    lang: str | None = None

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        sources: list[PydanticBaseSettingsSource] = [init_settings]
        toml = os.environ.get(CONFIG_VARIABLE)
        if toml:
            sources.append(TomlConfigSettingsSource(settings_cls, toml_file=Path(toml)))
        return tuple(sources)


def _raw_values(env: Mapping[str, str] | None) -> dict[str, str]:
    """Each variable's raw text, TOML file first, the environment over it."""
    if env is None:
        config = os.environ.get(CONFIG_VARIABLE)
        if config and not Path(config).is_file():
            raise UsageError(CONFIG_VARIABLE, _("no such settings file: {config}").format(config=config))
        try:
            from_file = _Flat().model_dump(exclude_none=True)
        except (ValidationError, ValueError) as exc:
            raise UsageError(CONFIG_VARIABLE, _("{config}: {why}").format(config=config, why=exc)) from None
        env = os.environ
    else:
        from_file = {}
    values = {k.upper(): str(v) for k, v in from_file.items()}
    for name in VARIABLES:
        raw = env.get(ENV_PREFIX + name)
        if raw is not None and (raw.strip() or name in EMPTY_MEANS_SOMETHING):
            values[name] = raw.strip()
    return values


def load_settings(env: Mapping[str, str] | None = None, **overrides: Any) -> Settings:
    """Defaults, then the TOML file named by ``VANTHU_CONFIG``, then the ``VANTHU_*``
    variables of ``env`` (default: this process's environment), then ``overrides``
    given as ``section__field=value`` (``limits__timeout_s=30``) or ``field=value``
    for top-level fields; None values are ignored."""
    sections: dict[str, dict[str, Any]] = {"limits": {}, "ocr": {}, "read": {}}
    top: dict[str, Any] = {}
    for name, raw in _raw_values(env).items():
        section, field = VARIABLES[name]
        (sections[section] if section else top)[field] = raw
    top["lang"] = _language(top.get("lang"), env)
    for key, value in overrides.items():
        if value is None:
            continue
        section, _, field = key.rpartition("__")
        (sections[section] if section else top)[field] = value
    try:
        return Settings(
            limits=LimitSettings(**sections["limits"]),
            ocr=OcrSettings(**sections["ocr"]),
            read=ReadSettings(**sections["read"]),
            **top,
        )
    except ValidationError as exc:
        raise _usage_error(exc) from None


def load_language(env: Mapping[str, str] | None = None) -> str:
    """The language of messages alone, for the program's help and errors before the rest
    of the settings are read (``vi`` or ``en``; an unknown ``VANTHU_LANG`` is the locale's)."""
    env = os.environ if env is None else env
    raw = env.get(ENV_PREFIX + "LANG")
    return language_of(raw) or locale_language(env)


def explicit_language(env: Mapping[str, str] | None = None) -> str | None:
    """The language ``VANTHU_LANG`` asks for (``vi``/``en``), or None when it is unset or
    blank: for views that default to Vietnamese whatever the locale (the web page). An
    unknown value is a usage error naming the variable."""
    env = os.environ if env is None else env
    raw = (env.get(ENV_PREFIX + "LANG") or "").strip()
    return _language(raw, env) if raw else None


def _language(raw: str | None, env: Mapping[str, str] | None) -> str:
    """``VANTHU_LANG`` (``vi``, ``en``, or a locale name such as ``vi_VN.UTF-8``), else the
    locale's language."""
    if raw is None:
        return locale_language(env)
    lang = language_of(raw)
    if lang is None:
        raise UsageError(
            ENV_PREFIX + "LANG",
            _("unknown language {raw!r}; known: {known}").format(raw=raw, known=", ".join(LANGUAGES)),
        )
    return lang


def _usage_error(exc: ValidationError) -> UsageError:
    """The first wrong value, named by its variable: ``VANTHU_TIMEOUT: not a number: 'soon'``."""
    error = exc.errors()[0]
    field = str(error["loc"][0]) if error["loc"] else "?"
    section = exc.title
    names = {(s, f): ENV_PREFIX + n for n, (s, f) in VARIABLES.items()}
    sect = {"LimitSettings": "limits", "OcrSettings": "ocr", "ReadSettings": "read"}.get(section)
    variable = names.get((sect, field), ENV_PREFIX + field.upper())
    value = error.get("input")
    if error["type"] in ("float_parsing", "int_parsing", "int_from_float"):
        return UsageError(variable, _("not a number: {value!r}").format(value=value))
    if sect == "limits" and error["type"] in ("greater_than", "greater_than_equal"):
        kind = float if LimitSettings.model_fields[field].annotation is float else int
        return UsageError(
            variable, _("limit {field} must be positive, not {kind!r}").format(field=field, kind=kind(value))
        )
    return UsageError(variable, _("{why}, not {value!r}").format(why=error["msg"].lower(), value=value))
