"""The deputy who signs for the head (Nghị định 30, Điều 13: "KT."): the prefix known from the
block's titles when the scan garbled or lost it, and the deputy's title a scan read with other
marks."""

from __future__ import annotations

from functools import cache

from vanthu.models.record import SignerPrefix
from vanthu.pipeline.rules.loader import patterns, rules
from vanthu.pipeline.text.normalize import fold, fold_accents

#: the most signs a garbled "KT." prefix leaves before the head's title ("11T. ")
MAX_GARBLED_PREFIX = 6


def deputy_prefix(block: list[str]) -> SignerPrefix | None:
    """ "KT." when the block has "… CHỦ TỊCH" right above "PHÓ CHỦ TỊCH": a deputy signs
    for the head only under "KT." (Nghị định 30), so a prefix the scan garbled
    ("11T. CHỦ TỊCH") or lost is still known."""
    for above, below in zip(block, block[1:]):
        b = fold(below).strip(" .")
        if not b.startswith("phó ") or len(b) < 8:
            continue
        head = b[4:]
        a = fold(above).strip(" .")
        rest = a[: len(a) - len(head)].rstrip()
        # the prefix garbled ("11T.") or lost, or the head's two titles ("BỘ TRƯỞNG, CHỦ NHIỆM")
        if a.endswith(head) and (len(rest) <= MAX_GARBLED_PREFIX or rest.endswith(",")):
            return "KT."
    return None


def as_deputy(title: str) -> str:
    """``title`` headed by the deputy's title it differs from only in marks ("THỦ TRƯỞNG THƯỜNG TRỰC")."""
    words = title.split()
    for deputy in rules().deputy_titles:
        n = len(deputy.split())
        if fold_accents(" ".join(words[:n])) == fold_accents(deputy):
            return " ".join([deputy, *words[n:]])
    return title


def title_under_head(above: str, read: str, title: str) -> str:
    """The deputy's title when the scan kept only its last words ("TƯỚNG" under "KT. THỦ
    TƯỚNG" is "PHÓ THỦ TƯỚNG") or lost a word after "PHÓ" ("PHÓ THUẾ TỈNH" under "KT.
    TRƯỞNG THUẾ TỈNH" is "PHÓ TRƯỞNG THUẾ TỈNH"); ``title`` otherwise."""
    m = patterns().signer_prefix.match(above)
    if not m:
        return title
    head = above[m.end() :].strip()
    h, r = fold(head), fold(read).strip(" .")
    if r and len(r) < len(h) and h.endswith(" " + r):
        return f"PHÓ {head}"
    # (as read and joined: "PHÓ" may be a line of its own on the row; a deputy's title of the
    # vocabulary is whole: "PHÓ CHỦ NHIỆM" under "KT. BỘ TRƯỞNG, CHỦ NHIỆM")
    t = fold(title).strip(" .")
    tail = t[4:] if t.startswith("phó ") and t not in _officials() and t[4:] not in _officials() else ""
    if tail and len(tail) < len(h) and h.endswith(" " + tail):
        return f"PHÓ {head}"
    return title


@cache
def _officials() -> frozenset[str]:
    """The officials' titles of the vocabulary, folded."""
    return frozenset(fold(o) for o in rules().units["officials"])
