"""Every vocabulary of the rule data (``pipeline/rules/data/*.json``) says why it is there,
and no reason rests on one letter: a rule that exists for a single letter is tuned to it
(CONTRACT, "never special-case one letter"). A reason is general ("ND30 Phụ lục III",
"structural head …", "Vietnamese grammar"), or names two or more letters by their ids."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

RULES = Path(__file__).resolve().parent.parent / "pipeline" / "rules"
DATA = sorted(p.stem for p in (RULES / "data").glob("*.json"))
# a letter's id: "cd-ttg-2025-234", "kh-ubnd-daklak-2025-0129", "qngai-565-tb-2024"
LETTER_ID = re.compile(r"(?<![\w-])[a-z]+(?:-[a-z0-9]+)*-(?:19|20)\d\d(?:-[a-z0-9]+)*(?![\w-])")


def _letters(why: Any) -> set[str]:
    """The letters a reason names."""
    if isinstance(why, list):
        return {x for w in why for x in _letters(w)} | {
            w for w in why if isinstance(w, str) and not LETTER_ID.search(w)
        }
    return set(LETTER_ID.findall(why)) if isinstance(why, str) else set()


def _entries(value: Any, path: str) -> Iterator[tuple[str, Any]]:
    """(path, entry) for every entry of a vocabulary: list items and mapping values."""
    items = enumerate(value) if isinstance(value, list) else value.items() if isinstance(value, dict) else ()
    for key, item in items:
        yield f"{path}/{key}", item


def problems(data: dict) -> list[str]:
    """What is wrong with the reasons of one data file (empty when all is well)."""
    out = []
    whys = data.get("_why", {})
    for key, value in data.items():
        if key.startswith("_") or not isinstance(value, (list, dict)):
            continue
        reasons = [(f"_why/{key}", whys[key])] if key in whys else []
        own = [(p, e["why"]) for p, e in _entries(value, key) if isinstance(e, dict) and "why" in e]
        if not reasons and len(own) < len(list(_entries(value, key))):
            out.append(f"{key}: no reason (give '_why/{key}' or a 'why' to each entry)")
        for path, why in reasons + own:
            if isinstance(why, list) and len(set(why)) < 2:
                out.append(f"{path}: a list of sources needs two letters at least: {why}")
            elif len(_letters(why)) == 1:
                out.append(f"{path}: rests on one letter ({why!r}); make it general or name a second letter")
    return out


@pytest.mark.parametrize("name", DATA)
def test_every_vocabulary_says_why_and_rests_on_more_than_one_letter(name: str) -> None:
    data = json.loads((RULES / "data" / f"{name}.json").read_text(encoding="utf-8"))
    assert problems(data) == []


@pytest.mark.parametrize(
    ("data", "found"),
    [
        ({"_why": {"heads": "structural heads"}, "heads": ["Sở"]}, []),
        ({"heads": ["Sở"]}, ["heads: no reason (give '_why/heads' or a 'why' to each entry)"]),
        ({"heads": [{"text": "Sở", "why": "structural head"}]}, []),
        (
            {"_why": {"heads": "seen in cd-ttg-2025-234"}, "heads": ["Sở"]},
            ["_why/heads: rests on one letter ('seen in cd-ttg-2025-234'); make it general or name a second letter"],
        ),
        ({"_why": {"heads": "cd-ttg-2025-234, qngai-565-tb-2024"}, "heads": ["Sở"]}, []),
        (
            {
                "_why": {"w": "engine"},
                "w": {"Sô": "Số"},
                "heads": [{"text": "Thuế", "why": ["kh-ubnd-nghean-2025-1026"]}],
            },
            ["heads/0: a list of sources needs two letters at least: ['kh-ubnd-nghean-2025-1026']"],
        ),
        (
            {"_why": {"heads": "general"}, "heads": [{"text": "Thuế", "why": ["cv-a-2025-1", "cv-a-2025-1"]}]},
            ["heads/0: a list of sources needs two letters at least: ['cv-a-2025-1', 'cv-a-2025-1']"],
        ),
    ],
)
def test_a_reason_resting_on_one_letter_is_found(data: dict, found: list[str]) -> None:
    assert problems(data) == found
