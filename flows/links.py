"""Citation links between stored letters: which stored letter each reference points to.

A letter's ``references`` print the number and symbol of the documents it cites ("Thực hiện
Công văn số 4114/VP-NC ngày 08/8/2024 của Văn phòng UBND tỉnh"). :func:`find_links` resolves
them against every letter in the store:

- the number and symbol must be equal once normalised (:func:`number_key`: NFC, upper case,
  no spaces, every dash "–", "—", "‐" … read as "-"); OCR variants such as "Đ"/"D" are not
  guessed, and a number left blank ("/UBND-NV") links nothing;
- where the reference prints a date, the letter's date must be that day; where it prints an
  issuer, the letter's issuer must name the same body (``pipeline/fields/issuers.py``); a mismatch on
  either rejects the letter, a match confirms it (``matched_by``);
- a letter cannot cite a later one (a candidate dated after the citing letter is rejected),
  and never itself, nor another copy of itself (same number, symbol and date);
- of the candidates left, those with the most confirmations are linked (several only when
  the store holds the same letter twice).

It is a pure function of all stored letters, so a link holds whichever of the two letters
arrived first: the citing letter stored before the letter it cites is linked as soon as the
cited one is stored. No Prefect here.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from vanthu.pipeline.fields.issuers import same_issuer
from vanthu.pipeline.text.normalize import nfc

_DASHES = dict.fromkeys(map(ord, "\u2010\u2011\u2012\u2013\u2014\u2015\u2212"), "-")


@dataclass(frozen=True)
class Link:
    """The letter ``source`` cites the stored letter ``target`` (``reference`` as printed)."""

    source_sha256: str
    source_number_symbol: str | None
    target_sha256: str
    target_number_symbol: str | None
    reference: str
    matched_by: str  # "number", "number+issuer", "number+date", "number+issuer+date"


def number_key(number_symbol: str | None) -> str | None:
    """The comparison key of a number and symbol: "123/ubnd – vx" and "123/UBND-VX" give
    "123/UBND-VX"; None when there is no number (blank or not starting with a digit)."""
    if not number_symbol:
        return None
    key = "".join(nfc(number_symbol).translate(_DASHES).split()).upper()
    return key if key[:1].isdigit() else None


def _record(doc: Mapping[str, Any]) -> dict[str, Any]:
    record = doc.get("record")
    if isinstance(record, (str, bytes)):
        return json.loads(record)
    return dict(record) if isinstance(record, Mapping) else {}


def _verdict(ref: Mapping[str, Any], target: Mapping[str, Any], rec: Mapping[str, Any]) -> tuple[str, ...] | None:
    """The confirmations of a candidate ("issuer", "date"), or None when one rejects it."""
    confirmed: list[str] = []
    if ref.get("issuer"):
        same = same_issuer(ref["issuer"], target.get("issuer"), rec.get("parent_issuer"))
        if same is False:
            return None
        if same:
            confirmed.append("issuer")
    if ref.get("date") and target.get("date"):
        if ref["date"] != target["date"]:
            return None
        confirmed.append("date")
    return tuple(confirmed)


def _resolve(source: Mapping[str, Any], ref: Mapping[str, Any], candidates: list[tuple[dict, dict]]) -> list[Link]:
    key, best, chosen = number_key(ref.get("number_symbol")), -1, []
    for target, rec in candidates:
        if target["sha256"] == source["sha256"]:
            continue
        if number_key(source.get("number_symbol")) == key and target.get("date") == source.get("date"):
            continue  # another copy of the citing letter itself
        if source.get("date") and target.get("date") and target["date"] > source["date"]:
            continue  # a letter cannot cite a later one
        confirmed = _verdict(ref, target, rec)
        if confirmed is None or len(confirmed) < best:
            continue
        if len(confirmed) > best:
            best, chosen = len(confirmed), []
        chosen.append((target, confirmed))
    return [
        Link(
            source_sha256=source["sha256"],
            source_number_symbol=source.get("number_symbol"),
            target_sha256=target["sha256"],
            target_number_symbol=target.get("number_symbol"),
            reference=ref.get("text") or ref.get("number_symbol") or "",
            matched_by="+".join(("number", *confirmed)),
        )
        for target, confirmed in chosen
    ]


def find_links(documents: Iterable[Mapping[str, Any]]) -> list[Link]:
    """Every reference of every document that points to another document of ``documents``
    (store rows with ``sha256``, ``number_symbol``, ``issuer``, ``date`` and ``record``, the
    record as JSON text or a dict; a row without its record cites nothing), in the order of
    the documents and of their references, each (source, target) pair once."""
    docs = [(dict(d), _record(d)) for d in documents]
    by_key: dict[str, list[tuple[dict, dict]]] = defaultdict(list)
    for doc, rec in docs:
        key = number_key(doc.get("number_symbol"))
        if key:
            by_key[key].append((doc, rec))
    links, seen = [], set()
    for doc, rec in docs:
        for ref in rec.get("references") or []:
            key = number_key(ref.get("number_symbol"))
            if not key or key not in by_key:
                continue
            for link in _resolve(doc, ref, by_key[key]):
                if (link.source_sha256, link.target_sha256) not in seen:
                    seen.add((link.source_sha256, link.target_sha256))
                    links.append(link)
    return links


def cites(links: Iterable[Link], sha256: str) -> list[Link]:
    """The links from the letter ``sha256`` to the letters it cites."""
    return [link for link in links if link.source_sha256 == sha256]


def cited_by(links: Iterable[Link], sha256: str) -> list[Link]:
    """The links to the letter ``sha256`` from the letters that cite it."""
    return [link for link in links if link.target_sha256 == sha256]


def stored_documents(store: Any) -> list[dict[str, Any]]:
    """The store's document rows (``store.documents()``) each with its ``record`` (a dict)."""
    return [dict(row, record=store.record(row["sha256"]) or {}) for row in store.documents()]
