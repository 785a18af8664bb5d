"""The register page's rows and the downloads of the web page (the register as XLSX, the
tasks as a calendar, a letter as edXML), each made by the module that makes it for the
command line: nothing is formatted twice."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from vanthu.pipeline.i18n import N_


@dataclass(frozen=True)
class Download:
    label: str  # N_(): translated where shown
    build: Callable[[Any, Any, Mapping[str, str]], tuple[bytes, str, str]]  # (store, config, query) → body, type, name


def register_rows(db: Any) -> list[dict[str, Any]]:
    """The register's rows (the letters in arrival order)."""
    from vanthu.letters import letter_rows

    return letter_rows(db)


DOWNLOADS: dict[str, Download] = {}
_ = N_
