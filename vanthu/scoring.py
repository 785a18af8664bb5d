"""Score one extracted record against an answer key: pure functions, no I/O.

A record is the JSON dict of a :class:`~vanthu.models.DispatchRecord`; an answer key is a
``truth/*.json`` / ``*.truth.json`` dict (``../shared/seed/letter.truth.json`` format).

* Scalars (``SCALAR_FIELDS``) are equal when their canonical strings are equal: NFC,
  ``Ð`` (U+00D0) mapped to ``Đ``, whitespace collapsed, case folded, and the old/new tone
  placement on ``oa``/``oe``/``uy`` unified (``hoà`` = ``hòa``, ``uỷ`` = ``ủy``). ``null``
  equals ``null``. ``number_symbol`` also loses all whitespace.
* Lists are scored by F1 over multisets of canonical items (both empty = 1.0); list items
  also lose a leading bullet (``- ``) and a trailing ``;``/``.``/``,``.
* Assignees are compared per item label; generic addressees without a named unit ("các
  cơ quan, đơn vị liên quan", "các sở, ban, ngành") are output but not scored: they are
  set aside on both sides (``is_generic_addressee``, the parser's own rule), as the
  contract says.
* Only fields present in the truth are scored.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from vanthu.pipeline.fields.generic import is_generic_addressee
from vanthu.pipeline.text.normalize import compare_key

SCALAR_FIELDS: tuple[str, ...] = (
    "doc_type",
    "issuer",
    "parent_issuer",
    "number",
    "symbol",
    "number_symbol",
    "place",
    "date",
    "subject",
    "urgency",
    "confidentiality",
)
LIST_FIELDS: tuple[str, ...] = ("recipients", "distribution")
SIGNER_FIELDS: tuple[str, ...] = ("name", "title", "prefix")

#: Every field ``score`` can report, in report order, with the truth key it needs.
FIELDS: tuple[str, ...] = (
    *SCALAR_FIELDS,
    *LIST_FIELDS,
    "references",
    "assignments",
    "assignees",
    "deadlines",
    *(f"signer.{k}" for k in SIGNER_FIELDS),
)
# --- canonical strings (pipeline.text.normalize.compare_key: the project's one normaliser) ---


_BULLET = re.compile(r"^(?:[-–—•+*·]\s+)+")
_TRAILING = re.compile(r"[\s;.,]+$")


def canon_item(value: Any) -> str | None:
    """Canonical form of a list item: :func:`compare_key` minus bullet and final ``;``/``.``/``,``."""
    text = compare_key(value)
    if text is None:
        return None
    return _TRAILING.sub("", _BULLET.sub("", text))


def canon_number_symbol(value: Any) -> str | None:
    """Canonical number/symbol: :func:`canon` with every space removed; empty -> ``None``."""
    text = compare_key(value)
    if text is None:
        return None
    return "".join(text.split()) or None


# --- result types --------------------------------------------------------------------------


@dataclass(frozen=True)
class FieldDetail:
    """What was compared for one field: shown for mismatches (``--details``)."""

    expected: Any
    got: Any
    missing: list[str] = field(default_factory=list)  # list fields: in truth, not in record
    extra: list[str] = field(default_factory=list)  # list fields: in record, not in truth

    def describe(self) -> str:
        if self.missing or self.extra:
            parts = []
            if self.missing:
                parts.append(f"missing {self.missing}")
            if self.extra:
                parts.append(f"extra {self.extra}")
            return "; ".join(parts)
        return f"expected {self.expected!r}, got {self.got!r}"


@dataclass
class DocScore:
    """Scores (0..1) of one document, by field, and what was compared."""

    scores: dict[str, float] = field(default_factory=dict)
    details: dict[str, FieldDetail] = field(default_factory=dict)
    error: str | None = None

    @property
    def mean(self) -> float:
        return sum(self.scores.values()) / len(self.scores) if self.scores else 0.0

    def mismatches(self) -> list[tuple[str, FieldDetail]]:
        """Fields scoring below 1, in report order."""
        return [(f, self.details[f]) for f in self.scores if self.scores[f] < 1.0]

    def to_dict(self) -> dict[str, Any]:
        return {
            "scores": dict(self.scores),
            "error": self.error,
            "mismatches": {
                f: {"expected": d.expected, "got": d.got, "missing": d.missing, "extra": d.extra}
                for f, d in self.mismatches()
            },
        }


# --- list scoring --------------------------------------------------------------------------


def f1(expected: Iterable[Any], got: Iterable[Any]) -> float:
    """F1 of two multisets; both empty = 1.0, one empty = 0.0."""
    exp, rec = Counter(expected), Counter(got)
    n_exp, n_rec = sum(exp.values()), sum(rec.values())
    if n_exp == 0 and n_rec == 0:
        return 1.0
    hits = sum((exp & rec).values())
    if hits == 0:
        return 0.0
    precision, recall = hits / n_rec, hits / n_exp
    return 2 * precision * recall / (precision + recall)


def _score_multiset(expected: list[tuple[Any, str]], got: list[tuple[Any, str]]) -> tuple[float, FieldDetail]:
    """``expected``/``got`` are (canonical key, display text) pairs."""
    exp = Counter(k for k, _ in expected)
    rec = Counter(k for k, _ in got)
    shown = {k: d for k, d in reversed(got)} | {k: d for k, d in reversed(expected)}
    missing = [shown[k] for k in (exp - rec).elements()]
    extra = [shown[k] for k in (rec - exp).elements()]
    detail = FieldDetail(expected=[d for _, d in expected], got=[d for _, d in got], missing=missing, extra=extra)
    return f1(exp.elements(), rec.elements()), detail


def _as_list(value: Any) -> list[Any]:
    return list(value) if isinstance(value, (list, tuple)) else []


def _items(values: Any) -> list[tuple[Any, str]]:
    out = []
    for v in _as_list(values):
        key = canon_item(v)
        if key:
            out.append((key, str(v)))
    return out


def reference_key(ref: Mapping[str, Any]) -> str:
    """``number_symbol`` when given; for laws cited by name, ``doc_type|date``."""
    ns = canon_number_symbol(ref.get("number_symbol"))
    if ns is not None:
        return ns
    return f"{compare_key(ref.get('doc_type')) or ''}|{compare_key(ref.get('date')) or ''}"


def _references(values: Any) -> list[tuple[Any, str]]:
    return [(reference_key(r), _show_ref(r)) for r in _as_list(values) if isinstance(r, Mapping)]


def _show_ref(ref: Mapping[str, Any]) -> str:
    if ref.get("number_symbol"):
        return str(ref["number_symbol"])
    return f"{ref.get('doc_type')}|{ref.get('date')}"


def _assignments(values: Any) -> list[Mapping[str, Any]]:
    return [a for a in _as_list(values) if isinstance(a, Mapping)]


def _label(a: Mapping[str, Any]) -> str:
    return canon_item(a.get("label")) or ""


def _labels(values: Any) -> list[tuple[Any, str]]:
    return [(_label(a), str(a.get("label"))) for a in _assignments(values)]


def _assignees(values: Any) -> list[tuple[Any, str, bool]]:
    """(label, unit) pairs, their display text, and whether the unit is a generic addressee."""
    out = []
    for a in _assignments(values):
        for unit in _as_list(a.get("assignees")):
            key = canon_item(unit)
            if key:
                out.append(((_label(a), key), f"{a.get('label')}: {unit}", is_generic_addressee(str(unit))))
    return out


def _named_assignees(truth: Any, record: Any) -> tuple[list[tuple[Any, str]], list[tuple[Any, str]]]:
    """The assignees of both sides without the generic addressees: a unit is set aside when
    every printed form of it, on either side, is generic ("sở nội vụ" in one and "Sở Nội
    vụ" in the other are the same named unit)."""
    exp, got = _assignees(truth), _assignees(record)
    named = {key[1] for key, _, generic in exp + got if not generic}
    return (
        [(key, shown) for key, shown, _ in exp if key[1] in named],
        [(key, shown) for key, shown, _ in got if key[1] in named],
    )


def _deadlines(truth: Any, record: Any) -> tuple[list[tuple[Any, str]], list[tuple[Any, str]]]:
    """(label, deadline) pairs of the items whose truth deadline is set.

    The record contributes its pair for each of those labels, even a null deadline (so a
    missed deadline costs precision as well as recall); deadlines the record gives for
    items the truth leaves null are not scored.
    """
    exp = [
        ((_label(a), compare_key(a.get("deadline"))), f"{a.get('label')}: {a.get('deadline')}")
        for a in _assignments(truth)
        if a.get("deadline") is not None
    ]
    labels = {k[0] for k, _ in exp}
    got = [
        ((_label(a), compare_key(a.get("deadline"))), f"{a.get('label')}: {a.get('deadline')}")
        for a in _assignments(record)
        if _label(a) in labels
    ]
    return exp, got


# --- the score -----------------------------------------------------------------------------


def _signer(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def score(record: Mapping[str, Any], truth: Mapping[str, Any]) -> DocScore:
    """Compare one extracted record (JSON dict) with its answer key, field by field."""
    result = DocScore()

    def put(name: str, value: float, detail: FieldDetail) -> None:
        result.scores[name] = value
        result.details[name] = detail

    for name in SCALAR_FIELDS:
        if name not in truth:
            continue
        norm = canon_number_symbol if name == "number_symbol" else compare_key
        exp, got = truth[name], record.get(name)
        put(name, float(norm(exp) == norm(got)), FieldDetail(exp, got))

    for name in LIST_FIELDS:
        if name in truth:
            put(name, *_score_multiset(_items(truth[name]), _items(record.get(name))))

    if "references" in truth:
        exp_r, got_r = _references(truth["references"]), _references(record.get("references"))
        put("references", *_score_multiset(exp_r, got_r))

    if "assignments" in truth:
        exp_a, got_a = truth["assignments"], record.get("assignments")
        put("assignments", *_score_multiset(_labels(exp_a), _labels(got_a)))
        put("assignees", *_score_multiset(*_named_assignees(exp_a, got_a)))
        put("deadlines", *_score_multiset(*_deadlines(exp_a, got_a)))

    if "signer" in truth:
        exp_s, got_s = _signer(truth["signer"]), _signer(record.get("signer"))
        keys = [k for k in SIGNER_FIELDS if k in exp_s] if exp_s else list(SIGNER_FIELDS)
        for key in keys:
            exp, got = exp_s.get(key), got_s.get(key)
            put(f"signer.{key}", float(compare_key(exp) == compare_key(got)), FieldDetail(exp, got))

    # keep report order stable regardless of the truth's key order
    result.scores = {f: result.scores[f] for f in FIELDS if f in result.scores}
    return result


def failed(truth: Mapping[str, Any], error: str) -> DocScore:
    """The score of a document whose extraction failed: 0 on every field of its truth."""
    result = score({}, truth)
    result.scores = dict.fromkeys(result.scores, 0.0)
    result.details = {f: FieldDetail(d.expected, None) for f, d in result.details.items()}
    result.error = error
    return result


def aggregate(scores: list[DocScore]) -> dict[str, float]:
    """Mean of each field over the documents that score it, and ``overall``: the mean over
    all (document, field) scores. Fields in report order; ``overall`` last (0.0 if empty)."""
    sums: dict[str, list[float]] = {}
    for s in scores:
        for name, value in s.scores.items():
            sums.setdefault(name, []).append(value)
    out = {f: sum(sums[f]) / len(sums[f]) for f in FIELDS if f in sums}
    every = [v for s in scores for v in s.scores.values()]
    out["overall"] = sum(every) / len(every) if every else 0.0
    return out


# ---------------------------------------------------------------- tuning / checking split
CHECK_EVERY = 3  # one document in three is for checking, the rest for tuning
SPLITS = ("tune", "check")
SPLIT_SALT = "vanthu:"  # part of the fixed hash; never changed once failures were read


def split_of(doc_id: str) -> str:
    """``"tune"`` or ``"check"``, fixed by a hash of the document id (the file name up to
    its first dot, so a letter's scans fall with its PDF): two thirds for tuning, one third
    for checking. Failures are read on the tuning part only; the checking part is for
    numbers, and a parser change is kept only if it does not fall."""
    digest = hashlib.sha256((SPLIT_SALT + doc_id).encode("utf-8")).digest()
    return "check" if int.from_bytes(digest[:8], "big") % CHECK_EVERY == 0 else "tune"
