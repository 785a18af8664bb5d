"""Stage 5c: the signer block (ô 7) and the "Nơi nhận" list (ô 9b)."""

from __future__ import annotations

import re
from typing import cast

from vanthu.models.document import Line, Regions
from vanthu.models.record import Signer, SignerPrefix
from vanthu.pipeline.fields.deputies import as_deputy, deputy_prefix, title_under_head
from vanthu.pipeline.fields.entries import join_entries
from vanthu.pipeline.layout.cues import PERSON_NAME, unspecked
from vanthu.pipeline.provenance import ProvenanceLog
from vanthu.pipeline.rules.loader import patterns, rules
from vanthu.pipeline.text.normalize import collapse, fold


def canonical_prefix(printed: str) -> str | None:
    key = fold(printed).replace(" ", "")
    for canon, variants in rules().signer_prefixes.items():
        if any(fold(v).replace(" ", "") == key for v in variants):
            return canon
    return None


def _below_signature(title, ln) -> bool:
    """``ln`` is separated from the title above it by the space left for the signature."""
    if title.y1 is None or ln.y0 is None or ln.page != title.page:
        return False
    height = max(title.y1 - title.y0, 1.0)
    return ln.y0 - title.y1 > 2.0 * height


def _titles() -> list[str]:
    officials = [t.upper() for t in rules().units["officials"]]
    return officials + [f"PHÓ {t}" for t in officials if not t.startswith("PHÓ ")]


def known_title(title: str) -> str:
    """A signer title as printed, or, when a scan garbled it ("{.HU TỊCH", "PHÓỎ CHỦ
    TỊCH"), the official title it is closest to letter by letter."""

    from vanthu.pipeline.ocr.postcorrect import strip_marks

    if not title or title != title.upper():
        return title
    titles = [*_titles(), *rules().collective_titles]  # (a collective body under "TM." too)
    if title in titles:
        return title
    tokens = title.split()
    while tokens and not tokens[0].isalpha():  # scraps of a signature or seal before the title
        letters = "".join(ch for ch in tokens[0] if ch.isalpha())
        tokens = ([letters] if letters else []) + tokens[1:]
        if letters:
            break
    if not tokens:
        return title
    best, score = None, 0.0
    keys = [strip_marks(" ".join(tokens))]
    if len(tokens[0]) <= 2 and len(tokens) >= 3:  # a short scrap: "Ư THỦ TƯỚNG"
        keys.append(strip_marks(" ".join(tokens[1:])))
    for key in keys:
        for t, r in _title_scores(key, titles):
            if r > score:
                best, score = t, r
    return best if best and score >= 0.85 else title


def _title_scores(key: str, titles: list[str]):
    from difflib import SequenceMatcher

    from vanthu.pipeline.ocr.postcorrect import strip_marks

    words = key.split()
    for t in titles:
        tkey = strip_marks(t)
        if len(tkey.split()) != len(words):
            continue
        r = SequenceMatcher(None, key, tkey).ratio()
        r += 0.1 * sum(a == b for a, b in zip(words, tkey.split())) / len(words)  # whole words read right
        yield t, r


def read_signer(regions: Regions, prov: ProvenanceLog) -> Signer | None:
    lines = [ln for ln in _surnames_joined(list(regions.signer)) if ln.text.strip() and not is_scrap(ln)]
    if not lines:
        return None
    block = [collapse(ln.text) for ln in lines]
    said = _said(block)
    prefix, title_idx, name_idx = _find_title_and_name(lines, block, said)
    signer = Signer(block=block)
    if title_idx is not None:
        signer.title = _title(lines, said, title_idx, prefix) or None
        prov.add("/signer/title", [lines[title_idx]])
    if name_idx is not None:
        signer.name = _clean_name(unspecked(said[name_idx]), scanned=lines[name_idx].unit == "px")
        prov.add("/signer/name", [lines[name_idx]])
    if prefix is None:
        prefix = deputy_prefix(said[: name_idx if name_idx is not None else len(said)])
    # (a canonical prefix is a key of rules/data/signer.json's "prefixes": the five the
    # model allows; the model validates the assignment all the same)
    signer.prefix = cast("SignerPrefix | None", prefix)
    if prefix:
        prov.add("/signer/prefix", [lines[0]])
    return signer


def _surnames_joined(lines: list[Line]) -> list[Line]:
    """A name the scan read as two lines, its surname alone above the rest ("Bùi" /
    "Thanh Sơn"): one line again (a lone word would be taken for a scrap)."""
    from vanthu.pipeline.ocr.postcorrect import fixes

    surnames = fixes().surname_set
    out: list[Line] = []
    for ln in lines:
        prev = out[-1] if out else None
        rest = unspecked(ln.text.strip(" -"))
        if (
            prev is not None
            and prev.text.strip() in surnames
            and PERSON_NAME.match(rest)
            and rest.split()[0] not in surnames  # (a name of its own under a scrap: "Hà" / "Nguyễn Văn A")
            and _name_goes_on(prev, ln)
        ):
            out[-1] = prev.model_copy(
                update={"text": f"{prev.text.strip()} {ln.text.strip(' -')}", "x1": ln.x1, "y1": ln.y1}
            )
            continue
        out.append(ln)
    return out


def _name_goes_on(a: Line, b: Line) -> bool:
    """``b`` goes on with ``a``'s words: on the same row right after it (the OCR cut the
    row at a gap: "Bùi" | "Thanh Sơn"), or right below it, the two overlapping across."""
    if a.page != b.page or None in (a.y0, a.y1, b.y0, b.y1, b.x0, b.x1, a.x0, a.x1):
        return a.page == b.page and a.y0 is None  # (plain text: no geometry to ask)
    height = a.y1 - a.y0  # type: ignore[operator]
    if _same_row(a, b):
        return 0 <= b.x0 - a.x1 <= NAME_GAP_HEIGHTS * height  # type: ignore[operator]
    gap = b.y0 - a.y1  # type: ignore[operator]
    return 0 <= gap <= height and min(a.x1, b.x1) > max(a.x0, b.x0)  # type: ignore[type-var,operator]


#: the widest gap (in line heights) between two pieces of a name the OCR read apart on one row
NAME_GAP_HEIGHTS = 2.0


#: A signer-block line with fewer letters, or a smaller share of letters among its signs,
#: is a scrap of the seal or the signature ("-Ý", ":", "4Ÿ 3"), not a printed line.
MIN_BLOCK_LETTERS = 3
MIN_LETTER_SHARE = 0.6
#: An OCR line whose words are Vietnamese syllables less often than this is a scrap
#: ("0N À2ZV"); abbreviations ("UBND") count as unknown, so the bar is low.
MIN_KNOWN_SHARE = 0.34


def is_scrap(ln: Line) -> bool:
    """``ln`` is no printed line of the signer block but a scrap of the seal or of the
    handwritten signature: few letters, mostly punctuation, or (on a scan) no Vietnamese
    words, or a lone word not in capitals ("Nội": printed lines are titles in capitals and
    names of two words or more; "txx-`*PHÓ" keeps its title for ``_said``, and so does
    "+4`_.-=-PHÓ", the scrap before its capitals aside). A prefix
    ("KT.", "TM. ỦY BAN …") is never a scrap."""
    text = collapse(ln.text)
    if patterns().signer_prefix.match(text) or canonical_prefix(text.strip(" .")) is not None:
        return False
    as_name = unspecked(text)
    if ln.unit == "px" and PERSON_NAME.match(as_name) and len(as_name.split()) > len(text.split()):
        text = as_name  # a name whose syllables the scan ran together ("TrươngCôngThá")
    signs = [ch for ch in _without_scrap_before_capitals(text) if not ch.isspace()]
    letters = sum(ch.isalpha() for ch in signs)
    if letters < MIN_BLOCK_LETTERS or letters < MIN_LETTER_SHARE * len(signs):
        return True
    if ln.unit != "px":  # a text layer prints no scraps
        return False
    if text.isalpha() and text != text.upper():  # one word, not in capitals: "Nội"
        return True
    from vanthu.pipeline.ocr.lexicon import known_words

    known, words = known_words(text)
    return known < MIN_KNOWN_SHARE * max(words, 1)


#: the most signs of the seal or the signature run into a line's first word ("+4`_.-=-PHÓ")
MAX_SCRAP_SIGNS = 10


def _without_scrap_before_capitals(t: str) -> str:
    """``t`` without the signs, digits or small letters of the seal or the signature run into
    a word in capitals ("+4`_.-=-PHÓ CHỦ TỊCH", "„.zPHÓ THỦ TƯỚNG"), or the signs before any
    other first word (a digit before a small letter may be a name's capital: "1ê Văn Hải")."""
    for i in range(1, min(len(t), MAX_SCRAP_SIGNS + 1)):
        if any(ch.isupper() for ch in t[:i]):
            break
        if t[i : i + 2].isalpha() and t[i : i + 2].isupper() and t[:i].strip():
            return t[i:]
    return re.sub(r"^[\W_]+(?=\w)", "", t)


def _said(block: list[str]) -> list[str]:
    """What each line says without a speck of the seal or signature before it ("- TM. ỦY
    BAN") or after it ("- Phạm Tất Thắng -"), or scraps of two or three signs before a
    prefix ("s- KT. CHỦ TỊCH") or a title ("4Ÿ 3 PHÓ CHỦ TỊCH", "c‹ PHÓ TRƯỞNG BAN")."""
    said = [re.sub(r"(?<=\w)\s+[\W_]+$", "", _without_scrap_before_capitals(t)) for t in block]
    said = [misread_prefix(t) or t for t in said]
    p = patterns()
    for i, t in enumerate(said):
        # "Phó" read in lower case before a title in capitals: "Phó CHÁNH VĂN PHÒNG"
        low = re.match(r"^Phó\s+(?=\S)", t)
        if low and t[low.end() :] == t[low.end() :].upper() and _official("PHÓ " + t[low.end() :]):
            t = said[i] = "PHÓ " + t[low.end() :]
        if p.signer_prefix.match(t) or _official(t):
            continue
        said[i] = _without_scraps(t)
    return said


#: a prefix run into scraps of the seal or the signature before it ("x4KT. BỘ TRƯỞNG",
#: "áeK/T TRƯỞNG BAN", "2 .K/T CHÁNH VĂN PHÒNG"): the prefix ends the first word (or
#: the second, after a scrap of up to three signs) and no capital stands before it
_GLUED_PREFIX = re.compile(r"^(?:\S{1,3}\s+)?\S*?(?<![A-ZĐ])(?P<prefix>K/T|KT|T/M|TM|T/L|TL|TUQ)\.?\s+(?P<rest>\S.*)$")
#: the prefixes a scan misreads by one sign ("KẾT.", "1M.", "EM"), without their points
_FUZZY_PREFIXES = ("KT", "TM", "TL", "TUQ")


def misread_prefix(text: str) -> str | None:
    """``text`` (a signer-block line, its title in capitals) with its prefix spelt right, when a scan
    ran it into scraps ("x4KT. BỘ TRƯỞNG" → "KT. BỘ TRƯỞNG") or misread one of its signs
    ("KẾT. CHỦ TỊCH" → "KT. CHỦ TỊCH", "1M. CHÍNH PHỦ" or "EM BỘ CHÍNH TRỊ" → "TM. …");
    None when it has no such prefix. The title after it must agree with the prefix: an
    official's title after "KT.", "TL." or "TUQ.", a collective body after "TM."
    (Nghị định 30, Điều 13); a misread sign fits one prefix only ("TT" may be "TM" or "TL")."""
    from vanthu.pipeline.ocr.postcorrect import one_edit, strip_marks

    if patterns().signer_prefix.match(text):
        return None
    m = _GLUED_PREFIX.match(text)
    if m and m.start("prefix") > 0:
        prefix, rest = canonical_prefix(m.group("prefix")), m.group("rest")
    else:
        first = re.match(r"^(?P<token>[^\s]{2,4})\s+(?P<rest>\S.*)$", text)
        if not first:
            return None
        key = strip_marks(first.group("token").rstrip(".,:;")).replace("/", "").upper()
        near = [p for p in _FUZZY_PREFIXES if one_edit(key, p)]
        if len(near) != 1:
            return None
        prefix, rest = f"{near[0]}.", first.group("rest")
    rest = rest.strip(" .")
    if rest != rest.upper() or sum(ch.isalpha() for ch in rest) < 3:
        return None
    if (prefix == "TM.") == _official(rest):
        return None  # "TM." heads a collective body, the others an official's title
    return f"{prefix} {rest}"


def _without_scraps(t: str) -> str:
    """``t`` without up to four short scraps before a prefix or an official title."""
    p = patterns()
    rest = t
    for n in range(4):
        scrap = re.match(r"^(\S+)\s+", rest)
        if (
            not scrap
            or canonical_prefix(scrap.group(1)) is not None
            or (len(scrap.group(1)) > 3 and scrap.group(1).isalpha())
        ):
            break  # (a scrap is short, or no word: "(đ€©?.1 xJŸ:Ý PHÓ CHỦ TỊCH")
        rest = rest[scrap.end() :]
        if (n == 0 and len(scrap.group(1)) <= 3 and p.signer_prefix.match(rest)) or (
            rest == rest.upper() and _official(rest)
        ):
            return rest
    return t


def _find_title_and_name(
    lines: list[Line], block: list[str], said: list[str]
) -> tuple[str | None, int | None, int | None]:
    """(the prefix printed, the title's line, the name's line)."""
    skip = {fold(x) for x in rules().not_a_name}
    p = patterns()
    prefix = None
    title_idx = None
    name_idx = None
    for i, (ln, text) in enumerate(zip(lines, said)):
        if fold(block[i]) in skip or fold(text) in skip or fold(text).startswith("ký bởi"):
            continue
        m = p.signer_prefix.match(text)
        # (three letters at least: "-Ý", a scrap of a signature, is no title; a prefix in any
        # case: "kT. BỘ TRƯỞNG")
        upper = text[: m.end()].upper() + text[m.end() :] if m else text
        is_upper = upper == upper.upper() and sum(ch.isalpha() for ch in text) >= 3
        if m and is_upper and name_idx is None:
            prefix = prefix or canonical_prefix(m.group("prefix"))
            title_idx = i
            continue
        if is_upper and name_idx is None:
            if title_idx is not None and _below_signature(lines[title_idx], ln):
                continue  # a second title under the signature space (two-title block)
            if title_idx is not None and _official(said[title_idx]) and _seal_scrap(ln, text):
                continue  # a scrap of the seal or the signature read in capitals ("0N À2ZV")
            title_idx = i
        elif PERSON_NAME.match(unspecked(text)) and title_idx is not None and name_idx is None:
            name_idx = i
    return prefix, title_idx, name_idx


def _title(lines: list[Line], said: list[str], title_idx: int, prefix: str | None) -> str:
    title = said[title_idx]
    m = patterns().signer_prefix.match(title)
    if m:
        title = title[m.end() :].strip()
    wrapped = _wrapped_title(lines, said, title_idx, title)
    title = wrapped if wrapped != title else known_title(title)
    # "PHÓ" read as a line of its own beside the rest of the title, on the same row
    row = lines[title_idx]
    if (
        title
        and not title.startswith("PHÓ ")
        and any(
            said[k].endswith("PHÓ") and _same_row(lines[k], row)
            for k in range(len(lines))
            if k != title_idx and (lines[k].x0 or 0) < (row.x0 or 0)
        )
    ):
        title = known_title(f"PHÓ {title}")
    if prefix == "KT.":  # a deputy's title a scan turned into another by its marks ("THỦ TRƯỞNG")
        head = next((said[k] for k in range(title_idx - 1, -1, -1) if patterns().signer_prefix.match(said[k])), "")
        title = as_deputy(title_under_head(head, said[title_idx], title) if title_idx else title)
    return title


def _wrapped_title(lines: list[Line], said: list[str], title_idx: int, title: str) -> str:
    """A title too long for the signer's column, wrapped onto a second line ("CHÁNH VĂN
    PHÒNG" / "TRUNG ƯƠNG ĐẢNG", "PHÓ CHÁNH VĂN" / "PHÒNG THƯỜNG TRỰC"): the line above
    without a prefix, and the two together begin with an official title that the last line
    alone does not."""
    if title_idx == 0 or _begins_with_title(title):
        return title
    above = said[title_idx - 1]
    if above != above.upper() or patterns().signer_prefix.match(above):
        return title
    if _below_signature(lines[title_idx - 1], lines[title_idx]):
        return title
    joined = f"{above} {title}"
    return joined if _begins_with_title(joined) else title


def _begins_with_title(text: str) -> bool:
    """``text`` is an official title of the vocabulary, or begins with one and a space."""
    return any(text == t or text.startswith(t + " ") for t in _titles())


def _official(text: str) -> bool:
    """The line (its prefix aside) is an official title of the vocabulary, maybe misread."""
    m = patterns().signer_prefix.match(text)
    title = text[m.end() :].strip() if m else text
    return bool(title) and known_title(title) in _titles()


def _seal_scrap(ln: Line, text: str) -> bool:
    """A line in capitals under an official title that is no title itself: a scrap of the
    seal or the signature, which only a scan reads. An official title with a qualifier
    after it ("THỨ TRƯỞNG THƯỜNG TRỰC", "PHÓ CHỦ TỊCH THƯỜNG TRỰC") is a title."""
    if ln.unit != "px" or _official(text):
        return False
    return not any(text.startswith(f"{t} ") for t in _titles())


def _same_row(a, b) -> bool:
    if a.page != b.page or a.y0 is None or b.y0 is None or a.y1 is None or b.y1 is None:
        return False
    return min(a.y1, b.y1) - max(a.y0, b.y0) > 0.4 * min(a.y1 - a.y0, b.y1 - b.y0)


def _clean_name(text: str, scanned: bool) -> str:
    """A signer's name without scraps of the signature before it ("TỬ Trân Thị Diệu
    Thúy": a name is written in title case); on a scan, with its surname's marks, which
    the OCR fixes could not give while the scraps stood before it. (A text layer's name
    is as printed: "La" is a surname too, not a misread "Lã".)"""
    tokens = text.split()
    while len(tokens) > 2 and not (tokens[0][:1].isupper() and tokens[0][1:].islower()):
        tokens = tokens[1:]
    if scanned and len(tokens) >= 2:
        from vanthu.pipeline.ocr.postcorrect import fix_surname

        tokens[0] = fix_surname(tokens[0])
    return " ".join(tokens)


def read_distribution(regions: Regions, prov: ProvenanceLog) -> list[str]:
    """The Nơi nhận entries, without the label the scan read again or misread ("Nơi ni:")."""
    return [e for e in join_entries(regions.distribution, prov, "/distribution") if not _LABEL_READ_AGAIN.match(e)]


#: "Nơi nhận" as an entry: the label read twice, or with its second word garbled
_LABEL_READ_AGAIN = re.compile(r"^\W*N[ơoóờở]i\s+n\w{0,4}\W*$", re.IGNORECASE)
