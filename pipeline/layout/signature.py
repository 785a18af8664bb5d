"""The signature zone of a letter (ô 7 and ô 9b of Phụ lục I): where it begins, where the
body above it ends, and its split into the Nơi nhận list and the signer block. Steps of
``layout.regions.split_regions``."""

from __future__ import annotations

from functools import cache

from vanthu.models.document import Line
from vanthu.pipeline.layout.cues import BULLET, NUMBERED_ITEM, PERSON_NAME, is_speck, unspecked
from vanthu.pipeline.rules.loader import patterns, rules
from vanthu.pipeline.text.normalize import fold

SIGNER_BLOCK_MAX_LINES = 8  # the signer's title lines above the name, at most
SIGNER_TITLE_MAX_CHARS = 60
SIGNER_ABOVE_LIST_LINES = 4  # a signer block printed above "Nơi nhận": searched this far up


@cache
def body_end_marks() -> tuple[str, ...]:
    """The marks that end a letter's body ("./.")."""
    return tuple(rules().phrases["body_end"])


# ------------------------------------------------------------------ signature zone
def lines_to_signature_start(lines: list[Line], start: int, geometry: bool) -> int:
    """Where the signature zone begins: at "Nơi nhận", else after the body's end mark
    ("./."), else at a signer block that closes the letter; ``len(lines)`` if none."""
    n = len(lines)
    for j in range(n - 1, start - 1, -1):
        if patterns().distribution_label.match(lines[j].text):
            return j
    # no Nơi nhận: the signer block follows the body's end mark (the last one)
    end_mark = next((j for j in range(n - 1, start - 1, -1) if lines[j].text.rstrip().endswith(body_end_marks())), None)
    if end_mark is not None and end_mark + 1 < n:
        return end_mark + 1
    # neither (or the mark ends the text): the signer block is the title line(s) and the name at the end
    return _trailing_signer_block(lines, start, geometry)


def _trailing_signer_block(lines: list[Line], start: int, geometry: bool, end: int | None = None) -> int:
    """Where a signer block that closes ``lines[start:end]`` begins ("CHỦ TỊCH" / "KT. GIÁM
    ĐỐC" … above a person's name, "(Đã ký)" aside), or ``end`` when they do not end with
    one. ``end``: ``len(lines)`` when None."""
    end = len(lines) if end is None else end
    skip = {fold(x) for x in rules().not_a_name}
    k = end - 1
    while k >= start and (not lines[k].text.strip() or fold(lines[k].text.strip()) in skip):
        k -= 1
    if (
        k < start
        or not PERSON_NAME.match(unspecked(lines[k].text.strip()))
        or (geometry and lines[k].column != "right")
    ):
        return end
    first = None
    j = k - 1
    while j >= start and k - j <= SIGNER_BLOCK_MAX_LINES:
        t = lines[j].text.strip()
        if not t or fold(t) in skip or is_speck(t):
            j -= 1
            continue
        if not _signer_title_line(t) or (geometry and lines[j].column != "right"):
            break
        first = j
        j -= 1
    return first if first is not None else end


def _signer_title_line(t: str) -> bool:
    """A line of a signer block above the name: a prefix or a title, in capitals, short,
    neither an item nor a sentence ("TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH")."""
    return (
        t == t.upper()
        and any(ch.isalpha() for ch in t)
        and len(t) <= SIGNER_TITLE_MAX_CHARS
        and not NUMBERED_ITEM.match(t)
        and not t.endswith((".", ";", ":", ","))
    )


def signature_start_to_body_end(lines: list[Line], start: int, sig_start: int, geometry: bool) -> int:
    """Where the body ends: at the signature zone, or, when the zone begins at "Nơi nhận",
    above a signer block printed before it in reading order (plain text, two rows): the
    title lines and the name ("TM. ỦY BAN …" / "KT. CHỦ TỊCH" / "PHÓ CHỦ TỊCH" / "(Đã ký)" /
    "Nguyễn Văn A"), or title lines with a prefix a few lines above it."""
    if sig_start >= len(lines) or not patterns().distribution_label.match(lines[sig_start].text):
        return sig_start  # the zone begins at the signer block itself, or after the end mark
    block = _trailing_signer_block(lines, start, geometry, end=sig_start)
    if block < sig_start:
        return block
    p = patterns()
    body_end = sig_start
    for j in range(sig_start - 1, start - 1, -1):
        t = lines[j].text.strip()
        if not t:
            continue
        if t.endswith(body_end_marks()):
            break
        signer_like = _signer_title_line(t) and (p.signer_prefix.match(t) or (geometry and lines[j].column == "right"))
        if signer_like:
            body_end = j  # keep going up: "KT. CHỦ TỊCH" sits above "PHÓ CHỦ TỊCH"
            continue
        if body_end < sig_start or j < sig_start - SIGNER_ABOVE_LIST_LINES:
            break
    return body_end


# ------------------------------------------------------------------ signature
def lines_to_signature(lines: list[Line], geometry: bool, reg: dict[str, list[Line]]) -> None:
    """The signature zone into Nơi nhận (distribution) and the signer block, by column
    where there is geometry, else by bullets and open entries."""
    p = patterns()
    for ln in lines:
        text = ln.text.strip()
        if not text:
            continue
        if p.distribution_label.match(text):
            rest = p.distribution_label.sub("", text, count=1).strip()
            if rest:
                reg["distribution"].append(ln.model_copy(update={"text": rest}))
            continue
        reg[_signature_side(ln, text, geometry, reg["distribution"])].append(ln)


def _signature_side(ln: Line, text: str, geometry: bool, distribution: list[Line]) -> str:
    if geometry and ln.column is not None:
        bulleted_full = ln.x0 is not None and ln.column == "full" and BULLET.match(text)
        return "distribution" if ln.column == "left" or bulleted_full else "signer"
    open_entry = distribution and not distribution[-1].text.rstrip().endswith((";", "."))
    return "distribution" if BULLET.match(text) or open_entry else "signer"
