"""The rule data of ``pipeline/rules/data/*.json``, checked against its schema and loaded
on first use, with the regular expressions built from it. Nothing here reads a letter, and
nothing is loaded at import: ``rules()``, ``patterns()`` and ``load()`` are cached calls.

How to add a rule
-----------------
1. Put the words in ``data/<name>.json``: a new value in an existing list needs nothing
   else. A list entry may carry its reason where the schema allows it (``#/$defs/entry``):
   ``{"text": "VÀ ", "why": "a unit name wrapped before 'và'"}``; the code sees the text.
2. A new key is declared in ``schemas/<name>.json`` (JSON Schema; every object with fixed
   keys has ``"additionalProperties": false``), with a ``description``.
3. Read it where it is needed, by its name in quotes: ``load("<name>")["<key>"]`` or the
   dictionaries ``rules().phrases`` / ``.units`` / ``.deadlines`` / ``.layout``, and build any
   regular expression from it on first use (``functools.cache``), never at import.
A new file needs its schema too. ``tests/test_rules_data.py`` fails on a key the schema does
not declare and on a declared key that no code under ``pipeline/`` names.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

from vanthu.pipeline.rules.validate import check
from vanthu.pipeline.text.normalize import canon, fold, fold_accents

DATA_DIR = "data"
SCHEMA_DIR = "schemas"


def _read(folder: str, name: str) -> dict:
    with resources.files("vanthu.pipeline.rules").joinpath(folder, f"{name}.json").open(encoding="utf-8") as fh:
        return json.load(fh)


@cache
def load(name: str) -> dict:
    """``data/<name>.json``, checked against ``schemas/<name>.json`` (a ``RulesDataError``
    naming the file and the key when it does not follow it)."""
    return check(_read(DATA_DIR, name), _read(SCHEMA_DIR, name), f"pipeline/rules/{DATA_DIR}/{name}.json")


def alternation(phrases: list[str] | tuple[str, ...], space: str = r"\s+") -> str:
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
    signer_prefixes: dict[str, tuple[str, ...]]
    not_a_name: tuple[str, ...]
    deputy_titles: tuple[str, ...]
    collective_titles: tuple[str, ...]
    urgency: dict[str, tuple[str, ...]]
    confidentiality: dict[str, tuple[str, ...]]
    phrases: dict
    deadlines: dict
    units: dict
    layout: dict

    # --- derived look-ups -------------------------------------------------
    def type_by_title(self, line: str) -> str | None:
        """'QUYẾT ĐỊNH' -> 'Quyết định' when the line is a type name."""
        # (a speck read as a quote or a dash before it, a colon after it: "'KẾ HOẠCH:")
        key = fold(line).strip(":. '\"‘’“”`_-|~")
        for t in self.doc_types:
            if t.title and fold(t.name) == key:
                return t.name
        # a scan's misread marks or one misread letter in a type name in capitals ("QUYẾT ĐINH", "GHỈ THỊ")
        if line.strip() != line.strip().upper():
            return None
        bare = fold_accents(key)
        for t in self.doc_types:
            name = fold_accents(t.name)
            if t.title and len(name) >= MIN_FUZZY_TYPE_LETTERS and _one_letter_apart(bare, name):
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


#: the shortest type name (in letters and spaces) a scan's one misread letter is undone in
MIN_FUZZY_TYPE_LETTERS = 7


def _one_letter_apart(a: str, b: str) -> bool:
    """``a`` and ``b`` (without their marks) differ in one letter at most, in the same place
    (no space, no length): a mark misread ("QUYẾT ĐINH") or a letter ("GHỈ THỊ")."""
    if len(a) != len(b):
        return False
    diff = [(x, y) for x, y in zip(a, b, strict=True) if x != y]
    return len(diff) <= 1 and all(x.isalpha() and y.isalpha() for x, y in diff)


@cache
def rules() -> Rules:
    types = load("doc_types")
    signer = load("signer")
    marks = load("marks")
    return Rules(
        doc_types=tuple(DocType(t["name"], tuple(t["abbr"]), t["title"]) for t in types["types"]),
        letter_type=types["letter_type"],
        signer_prefixes={k: tuple(v) for k, v in signer["prefixes"].items()},
        not_a_name=tuple(signer["not_a_name"]),
        deputy_titles=tuple(signer["deputy_titles"]),
        collective_titles=tuple(signer.get("collective_titles", ())),
        urgency={k: tuple(v) for k, v in marks["urgency"].items()},
        confidentiality={k: tuple(v) for k, v in marks["confidentiality"].items()},
        phrases=load("phrases"),
        deadlines=load("deadlines"),
        units=load("units"),
        layout=load("layout"),
    )


#: Specks a pen or a scan leaves around a number line's number, at most (each side).
NUMBER_SPECKS_MAX = 6


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
    deadline_before: re.Pattern
    deadline_month: re.Pattern
    deadline_year: re.Pattern
    recurring: re.Pattern
    execution_clause: re.Pattern
    role_label: re.Pattern


def _place_date() -> re.Pattern:
    """The place and date line: the place, then the date phrase from "ngày" (``rest``)."""
    # "Hà Nội, ngày 5 tháng 3 năm 2024"; older letters also print the place and a full date
    # with no comma between ("Hà nội ngày 5 tháng 3 năm 1996", "Hà Nội Ngày 05-03-1996")
    return re.compile(
        r"^\s*(?P<place>.+?)\s*(?:,\s*|\s(?=ngày\s+\d{1,2}\s*(?:tháng\s+\d{1,2}\s+năm\s+\d{4}|[/\-.]\s*\d{1,2}\s*[/\-.]\s*\d{4})))"
        r"(?P<rest>ngày\b.*)$",
        re.IGNORECASE,
    )


def _number_line() -> re.Pattern:
    """The number line of a letter ("Số: 12/UBND-VX")."""
    # "Số:" and its OCR misreads (Sô, SÓ, sÓ, Só); the number may be blank or spaced, or
    # written by hand: a pen's specks around it or in its blank (",", "…", "'") are no part
    # of it, a few at most ("Số: ,/UBND-VP", "Số: …/UBND").
    specks = rf"(?:[,.'`‘’_…~|*]\s*){{0,{NUMBER_SPECKS_MAX}}}"
    return re.compile(
        # (letters a scan reads for digits, "1O5", are let in to be flagged: fields/header.py)
        # (a speck before "Số" too: "_ Số: 010/CT-UBND", "- Số: 1539/…")
        rf"^\s*(?:[\-_'`‘’.,~|*]\s*){{0,{NUMBER_SPECKS_MAX}}}(?:s[ốôóoỏ]|S[ỐÔÓOỎ])\s*(?:[:;.]\s*)?{specks}"
        # (the spaces after the number belong to it: two "\s*" in a row are quadratic on spaces)
        rf"(?:(?P<number>(?=[\dOoIl.]*\d)[\dOoIl][\dOoIl.]*)\s*)?{specks}"
        r"(?P<sep>[/\-])\s*"
        # the symbol never ends in a space; ')' only last. (Not "\s*\.?\s*" nor a lazy
        # body before "\s*$": both are quadratic on a line of spaces.)
        r"(?P<symbol>[\wĐđ](?:[\w&.\-/ ]*[\w&.\-/)])?)\s*"
        # (a speck after it: "11554/VPCP-V.]" whose last letter the scan read as a bracket;
        # a colon or comma after it is cut before matching: ``number_line_match``)
        # (one "\s*" each side of an optional speck: two in a row are quadratic on spaces)
        r"(?:[\]|'`]\s*)?$",
        re.IGNORECASE,
    )


def number_line_match(text: str) -> re.Match[str] | None:
    """``text`` read as a number line ("Số: 12/UBND-VX"), without the colon, semicolon or comma
    a scan put after the symbol ("11414/VPCP-CN:", "172/KH-UBND,"), which no symbol ends with.
    (Cut by string ends, not in the pattern: no backtracking on a line of spaces.)"""
    cut = text.rstrip()
    if cut[-1:] in (":", ";", ","):
        rest = cut[:-1].rstrip()
        text = rest if rest[-1:].isalnum() or rest[-1:] == ")" else text
    return patterns().number_line.match(text)


@cache
def patterns() -> Patterns:
    r = rules()
    ph = r.phrases
    prefix_variants = [v for vs in r.signer_prefixes.values() for v in vs]
    symbol = re.compile(
        # (no "_" in a symbol: "728/PA-UBND_" is a speck after it)
        r"(?<![\w/])(?P<ns>\d{1,6}(?:[./]\d{4})?(?:/\d{4})?(?:[/\-](?:[A-ZĐ](?:[^\W_]|\.)*)(?:(?:[\-/]|\s?&\s?)(?:[^\W_]|\.)+)*))"
    )
    # a number read twice by a scan ("tháng 11 11 năm") is still the one number
    date_long = re.compile(
        r"ngày\s+(?P<d>\d{1,2})(?:\s+(?P=d))?\s+tháng\s+(?P<m>\d{1,2})(?:\s+(?P=m))?\s+năm\s+(?P<y>\d{4})",
        re.IGNORECASE,
    )
    date_short = re.compile(
        r"(?<![\d/])(?P<d>\d{1,2})\s*[/\-.]\s*(?P<m>\d{1,2})\s*[/\-.]\s*(?P<y>\d{4}|\d{2})(?![\d/])"
    )
    dist_label = alternation(ph["distribution_label"], r"\s*")
    return Patterns(
        number_line=_number_line(),
        symbol=symbol,
        date_long=date_long,
        date_short=date_short,
        place_date=_place_date(),
        motto=re.compile(rf"^\s*(?:{alternation([canon(m) for m in ph['motto']] + ph['motto'])})\s*$", re.IGNORECASE),
        # "Kính gửi:"; a Công điện addresses its recipients with "<SENDER> điện:"; on a scan,
        # "Kính" with its next word garbled ("Kính BỬI:") or lost ("gửi: Bộ …"), a colon after
        recipients_label=re.compile(
            rf"^\s*(?:{alternation(ph['recipients_label'])})\s*:?|^\s*[A-ZĐÀ-Ỹ][A-ZĐÀ-Ỹ ]{{3,60}}\s+điện\s*:"
            r"|^\s*K[íi]nh\s+\S{3,4}?\s*:|^\s*g[ửữừứựưu]i\s*:",
            re.IGNORECASE,
        ),
        # (a scan may run "Nơi nhận" together: "Nơinhận")
        # (after a speck or two: "_Nơi nhận:"; each with its spaces, or a line of spaces is quadratic)
        distribution_label=re.compile(rf"^\s*(?:[_.,'`~|]\s*){{0,2}}(?:{dist_label})\s*:?", re.IGNORECASE),
        signer_prefix=re.compile(
            # run into the title only after a point or two letters ("KT.CHỦ TỊCH"), never a
            # lone "Q" ("QUYẾT ĐỊNH:", "QUẢNG NGÃI" are no "Q." prefix)
            # (after a speck or two the scan read before it: ".KT. CHỦ TỊCH")
            rf"^\s*(?:[.,'`‘’_~|]\s?){{0,2}}(?P<prefix>{alternation(prefix_variants)})(?:(?=\s|$)|(?<=[.\w]{{2}})(?=[A-ZĐÂĂÊÔƠƯ]))\s*",
            re.IGNORECASE,
        ),
        deadline_before=re.compile(rf"(?P<phrase>{alternation(r.deadlines['before'])})\s*", re.IGNORECASE),
        # "hoàn thành trong tháng 10/2024", "trong tháng 12 năm 2025", "trong quý IV/2024", "trong quý IV"
        # (no year: the letter's); not "Trong quý III năm 2024, …" (a setting, not a deadline)
        deadline_month=re.compile(
            rf"(?<!\w)(?P<phrase>(?:{alternation(r.deadlines['within_month'])})\s+(?P<n>\d{{1,2}}|IV|I{{1,3}})"
            rf"(?:\s*(?:/|-|\s+năm\s+)\s*(?P<y>\d{{4}}))?)(?![\w/])(?!\s*(?:,|[/-]\s*\d|năm\s+\d))",
            re.IGNORECASE,
        ),
        deadline_year=re.compile(
            rf"(?<!\w)(?P<phrase>(?:{alternation(r.deadlines['within_year'])})\s+(?P<y>\d{{4}}))(?!\d)(?!\s*,)",
            re.IGNORECASE,
        ),
        recurring=re.compile(rf"(?<!\w)(?P<phrase>{alternation(r.deadlines['recurring'])})(?!\w)", re.IGNORECASE),
        execution_clause=re.compile(rf"(?P<clause>{alternation(ph['execution_clause'])})", re.IGNORECASE),
        role_label=re.compile(
            rf"^\s*[-+•]?\s*(?P<label>{alternation(ph['role_labels']['lead'] + ph['role_labels']['support'])})\s*:\s*",
            re.IGNORECASE,
        ),
    )
