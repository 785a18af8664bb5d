"""The rule data of ``pipeline/rules/data/*.json``, loaded once, with the regular
expressions built from it. Nothing here reads a letter."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

from vanthu.pipeline.text.normalize import canon, fold


def _load(name: str) -> dict:
    with resources.files("vanthu.pipeline.rules").joinpath("data", name).open(encoding="utf-8") as fh:
        return json.load(fh)


def _alt(phrases: list[str], space: str = r"\s+") -> str:
    """Regex alternation, longest first, spaces matching any whitespace (``space``)."""
    ordered = sorted(set(phrases), key=len, reverse=True)
    return "|".join(re.escape(p).replace(r"\ ", space) for p in ordered)


@dataclass(frozen=True)
class DocType:
    name: str
    abbr: tuple[str, ...]
    title: bool


@dataclass(frozen=True)
class Rules:
    doc_types: tuple[DocType, ...]
    letter_type: str
    subject_prefixes: tuple[str, ...]
    signer_prefixes: dict[str, tuple[str, ...]]
    not_a_name: tuple[str, ...]
    deputy_titles: dict[str, str]
    urgency: dict[str, tuple[str, ...]]
    confidentiality: dict[str, tuple[str, ...]]
    circulation: tuple[str, ...]
    phrases: dict
    deadlines: dict
    units: dict

    # --- derived look-ups -------------------------------------------------
    def type_by_title(self, line: str) -> str | None:
        """'QUYẾT ĐỊNH' -> 'Quyết định' when the line is a type name."""
        # (a speck read as a quote or a dash before it, a colon after it: "'KẾ HOẠCH:")
        key = fold(line).strip(":. '\"‘’“”`_-|~")
        for t in self.doc_types:
            if t.title and fold(t.name) == key:
                return t.name
        return None

    def type_by_abbr(self, abbr: str) -> str | None:
        key = fold(abbr)
        for t in self.doc_types:
            if any(fold(a) == key for a in t.abbr):
                return t.name
        return None

    def type_by_name(self, text: str) -> str | None:
        key = fold(text)
        for t in sorted(self.doc_types, key=lambda t: -len(t.name)):
            if fold(t.name) == key:
                return t.name
        return None


@cache
def rules() -> Rules:
    types = _load("doc_types.json")
    signer = _load("signer.json")
    marks = _load("marks.json")
    return Rules(
        doc_types=tuple(DocType(t["name"], tuple(t["abbr"]), t["title"]) for t in types["types"]),
        letter_type=types["letter_type"],
        subject_prefixes=tuple(types["subject_prefixes"]),
        signer_prefixes={k: tuple(v) for k, v in signer["prefixes"].items()},
        not_a_name=tuple(signer["not_a_name"]),
        deputy_titles=dict(signer.get("deputy_titles", {})),
        urgency={k: tuple(v) for k, v in marks["urgency"].items()},
        confidentiality={k: tuple(v) for k, v in marks["confidentiality"].items()},
        circulation=tuple(marks["circulation"]),
        phrases=_load("phrases.json"),
        deadlines=_load("deadlines.json"),
        units=_load("units.json"),
    )


@dataclass(frozen=True)
class Patterns:
    number_line: re.Pattern
    symbol: re.Pattern
    date_long: re.Pattern
    date_short: re.Pattern
    place_date: re.Pattern
    motto: re.Pattern
    recipients_label: re.Pattern
    distribution_label: re.Pattern
    signer_prefix: re.Pattern
    citation_type: re.Pattern
    deadline_before: re.Pattern
    deadline_month: re.Pattern
    recurring: re.Pattern
    execution_clause: re.Pattern
    role_label: re.Pattern


@cache
def patterns() -> Patterns:
    r = rules()
    ph = r.phrases
    type_names = [t.name for t in r.doc_types] + [t.name.lower() for t in r.doc_types]
    type_names += [t.name.upper() for t in r.doc_types]
    prefix_variants = [v for vs in r.signer_prefixes.values() for v in vs]
    # "Số:" and its OCR misreads (Sô, SÓ, sÓ, Só); the number may be blank or spaced.
    number_line = re.compile(
        r"^\s*(?:s[ốôóoỏ]|S[ỐÔÓOỎ])\s*(?:[:;.]\s*)?"
        r"(?P<number>\d[\d.]*)?\s*(?:\.\s*)?"
        r"(?P<sep>[/\-])\s*"
        # the symbol never ends in a space; ')' only last. (Not "\s*\.?\s*" nor a lazy
        # body before "\s*$": both are quadratic on a line of spaces.)
        r"(?P<symbol>[\wĐđ](?:[\w&.\-/ ]*[\w&.\-/)])?)\s*$",
        re.IGNORECASE,
    )
    symbol = re.compile(
        r"(?<![\w/])(?P<ns>\d{1,6}(?:[./]\d{4})?(?:/\d{4})?(?:[/\-](?:[A-ZĐ][\wĐđ.]*)(?:(?:[\-/]|\s?&\s?)[\wĐđ.]+)*))"
    )
    date_long = re.compile(
        r"ngày\s+(?P<d>\d{1,2})\s+tháng\s+(?P<m>\d{1,2})\s+năm\s+(?P<y>\d{4})", re.IGNORECASE
    )
    date_short = re.compile(r"(?<![\d/])(?P<d>\d{1,2})\s*[/\-.]\s*(?P<m>\d{1,2})\s*[/\-.]\s*(?P<y>\d{4}|\d{2})(?![\d/])")
    place_date = re.compile(
        r"^\s*(?P<place>[^,]{2,60}?)\s*,\s*(?P<date>ngày\b.*?năm\s*\d{0,4})\s*$", re.IGNORECASE
    )
    dist_label = _alt(ph["distribution_label"], r"\s*")
    return Patterns(
        number_line=number_line,
        symbol=symbol,
        date_long=date_long,
        date_short=date_short,
        place_date=place_date,
        motto=re.compile(rf"^\s*(?:{_alt([canon(m) for m in ph['motto']] + ph['motto'])})\s*$", re.IGNORECASE),
        # "Kính gửi:"; a Công điện addresses its recipients with "<SENDER> điện:"
        recipients_label=re.compile(
            rf"^\s*(?:{_alt(ph['recipients_label'])})\s*:?|^\s*[A-ZĐÀ-Ỹ][A-ZĐÀ-Ỹ ]{{3,60}}\s+điện\s*:", re.IGNORECASE
        ),
        # (a scan may run "Nơi nhận" together: "Nơinhận")
        distribution_label=re.compile(rf"^\s*(?:{dist_label})\s*:?", re.IGNORECASE),
        signer_prefix=re.compile(rf"^\s*(?P<prefix>{_alt(prefix_variants)})(?=\s|$|[A-ZĐÂĂÊÔƠƯ])\s*", re.IGNORECASE),
        citation_type=re.compile(rf"\b(?P<type>{_alt(type_names)})\b"),
        deadline_before=re.compile(rf"(?P<phrase>{_alt(r.deadlines['before'])})\s*", re.IGNORECASE),
        # "hoàn thành trong tháng 10/2024", "trong tháng 12 năm 2025", "trong quý IV/2024"
        deadline_month=re.compile(
            rf"(?<!\w)(?P<phrase>(?:{_alt(r.deadlines['within_month'])})\s+(?:\d{{1,2}}|I{{1,3}}|IV)"
            rf"\s*(?:/|-|\s+năm\s+)\s*\d{{4}})(?!\d)(?!\s*,)", re.IGNORECASE),  # not "Trong quý III năm 2024, …"
        recurring=re.compile(rf"(?<!\w)(?P<phrase>{_alt(r.deadlines['recurring'])})(?!\w)", re.IGNORECASE),
        execution_clause=re.compile(rf"(?P<clause>{_alt(ph['execution_clause'])})", re.IGNORECASE),
        role_label=re.compile(
            rf"^\s*[-+•]?\s*(?P<label>{_alt(ph['role_labels']['lead'] + ph['role_labels']['support'])})\s*:\s*",
            re.IGNORECASE,
        ),
    )
