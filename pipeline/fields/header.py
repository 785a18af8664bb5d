"""Stage 5a: header fields (ô 1–5 and 9a): issuer, number and symbol, place and date,
type and subject, marks, recipients, and the incoming receipt stamp."""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from vanthu.models.document import Line, Regions
from vanthu.models.record import ReceiptStamp
from vanthu.pipeline.fields.anchors import opens_with_head
from vanthu.pipeline.fields.dates import find_date, impossible_date, parse_date_phrase
from vanthu.pipeline.fields.entries import join_entries
from vanthu.pipeline.layout.cues import RULE_LINE, mark_of
from vanthu.pipeline.ocr.lexicon import known_words
from vanthu.pipeline.provenance import ProvenanceLog
from vanthu.pipeline.rules.loader import number_line_match, patterns, rules
from vanthu.pipeline.text.normalize import canon, collapse

#: The record fields ``read_header`` fills (``DispatchRecord`` names).
HEADER_FIELDS = (
    "doc_type",
    "issuer",
    "parent_issuer",
    "number",
    "symbol",
    "number_symbol",
    "place",
    "date",
    "date_text",
    "subject",
    "urgency",
    "confidentiality",
    "recipients",
    "receipt_stamp",
)


def read_header(regions: Regions, prov: ProvenanceLog) -> dict[str, Any]:
    """The header's record fields, by their ``DispatchRecord`` names (each of ``HEADER_FIELDS``)."""
    h: dict[str, Any] = dict.fromkeys(HEADER_FIELDS)
    _issuer(regions, h, prov)
    _number(regions, h, prov)
    _place_date(regions, h, prov)
    _type_subject(regions, h, prov)
    for ln in regions.marks:
        found = mark_of(ln)
        if found:
            h[found[0]] = found[1]
            prov.add(f"/{found[0]}", [ln])
    h["recipients"] = [
        _without_contact(r) for r in join_entries(regions.recipients, prov, "/recipients", names_wrap_at_dashes=True)
    ]
    h["receipt_stamp"] = _stamp(regions)
    return h


@cache
def _issuer_continuations() -> tuple[str, ...]:
    return tuple(rules().layout["issuer_continuations"])


def _is_unit_start(text: str) -> bool:
    """A header line that names a unit of its own: it opens with a unit's head ("SỞ …",
    "TRUNG TÂM …") and not with a word that goes on the line above ("TỈNH …", "VÀ …"). A
    line that opens with neither is the rest of a name the header wrapped ("TRUNG TÂM PHỤC
    VỤ" / "HÀNH CHÍNH CÔNG")."""
    up = canon(text).upper()
    # (a head read with wrong marks still opens a unit: "SỚ Y TẾ")
    return not up.startswith(_issuer_continuations()) and opens_with_head(up, min_bare_letters=0)


#: the most letters a line under the issuer may have and be a scrap of the rule under it
MAX_SCRAP_LETTERS = 3
#: ... and the most it may have in capitals
MAX_CAPITAL_SCRAP_LETTERS = 2


def _header_scrap(text: str) -> bool:
    letters = [ch for ch in text if ch.isalpha()]
    if len(letters) <= MAX_CAPITAL_SCRAP_LETTERS:
        return True  # (no governing body nor issuer has a name of two letters: "ST")
    if any(ch.isdigit() for ch in text) and not known_words(text)[0]:
        return True  # the rule read as digits and letters ("S-7254007EET3"): "QUÂN KHU 7" has a word
    return len(letters) <= MAX_SCRAP_LETTERS and not all(ch.isupper() for ch in letters)


def _unspecked_ends(text: str) -> str:
    """A header line without the specks before and after it ("_'TỈNH …", "… CHÍNH . `"): a
    name opens with a letter or a bracket and ends with one or a closing bracket. (String
    ends, not a regex: no backtracking on a line of spaces.)"""
    start, end = 0, len(text)
    while start < end and not (text[start].isalnum() or text[start] == "("):
        start += 1
    while end > start and not (text[end - 1].isalnum() or text[end - 1] == ")"):
        end -= 1
    return text[start:end]


def _issuer(regions: Regions, h: dict[str, Any], prov: ProvenanceLog) -> None:
    lines = [ln for ln in regions.header_left if not RULE_LINE.match(ln.text) and ln.text.strip()]
    # a speck read as punctuation before or after a header line (".ỦY BAN…", "_'TỈNH…", "… CHÍNH . `")
    lines = [ln.model_copy(update={"text": _unspecked_ends(ln.text)}) for ln in lines]
    # the short rule under the issuer read as a scrap of letters ("Gụ"): a header name is
    # printed in capitals, so a short line that is not is no part of it
    lines = [ln for ln in lines if ln.text and not _header_scrap(ln.text)]
    if not lines:
        return
    groups: list[list[Line]] = []
    bolds = {ln.bold for ln in lines}
    if len(bolds) == 2 and not lines[0].bold and lines[-1].bold:
        # typographic split: the governing body is printed regular, the issuer bold
        groups = [[ln for ln in lines if not ln.bold], [ln for ln in lines if ln.bold]]
    else:
        for ln in lines:
            if groups and not _is_unit_start(ln.text):
                groups[-1].append(ln)
            else:
                groups.append([ln])
    issuer = groups[-1]
    h["issuer"] = collapse(" ".join(ln.text for ln in issuer))
    prov.add("/issuer", issuer)
    if len(groups) > 1:
        parent = [ln for g in groups[:-1] for ln in g]
        h["parent_issuer"] = collapse(" ".join(ln.text for ln in parent))
        prov.add("/parent_issuer", parent)


#: Letters a scan reads for digits in a number ("1O5" for 105); the number line's pattern
#: lets in only these (``rules/loader.py``).
_DIGIT_LOOKALIKES = str.maketrans("OoIl", "0011")


#: what a speck after a symbol reads as ("CT-CS -", "QĐ-UBND_", "UBND-ĐTˆ"): never its end
_SYMBOL_TAIL_SPECKS = ".-_ˆ`'~"


def _number(regions: Regions, h: dict[str, Any], prov: ProvenanceLog) -> None:
    ln = regions.number_line
    if ln is None:
        return
    m = number_line_match(ln.text)
    if not m:
        return
    number = (m.group("number") or "").rstrip(".") or None
    symbol = "".join(m.group("symbol").split()).rstrip(_SYMBOL_TAIL_SPECKS)  # ("CT-CS -", "QĐ-UBND_")
    printed = number
    if number and not number.replace(".", "").isdigit():  # "1O5": letters read for digits
        number = number.translate(_DIGIT_LOOKALIKES)
    h["number"], h["symbol"] = number, symbol
    h["number_symbol"] = f"{number or ''}{m.group('sep')}{symbol}"
    for key in ("/number", "/symbol", "/number_symbol"):
        prov.add(key, [ln])
    if number != printed:
        prov.flag("/number", [ln], "number", f"{printed}|{number}")


def _place_date(regions: Regions, h: dict[str, Any], prov: ProvenanceLog) -> None:
    ln = regions.place_date
    if ln is None:
        return
    text = collapse(ln.text)
    m = patterns().place_date.match(text)
    if not m:
        return
    h["place"] = re.sub(r"^[\W_]+", "", m.group("place")).strip() or None  # a speck: "_Nghệ An"
    h["date"], h["date_text"] = parse_date_phrase(m.group("rest"))
    for key in ("/place", "/date", "/date_text"):
        prov.add(key, [ln])
    impossible = impossible_date(m.group("rest"))
    if impossible:  # "ngày 42 tháng 02 năm 2018": no date, the phrase kept in date_text
        prov.flag("/date", [ln], "date", impossible)


def _type_subject(regions: Regions, h: dict[str, Any], prov: ProvenanceLog) -> None:
    r = rules()
    if regions.title:
        h["doc_type"] = r.type_by_title(regions.title[0].text)
        prov.add("/doc_type", [regions.title[0]])
        if len(regions.title) > 1:
            body = regions.title[1:]
            texts = [_no_stray_stop(ln.text) for ln in body[:-1]] + [body[-1].text]
            h["subject"] = _despeck(collapse(" ".join(texts)))
            # a title line is capitalised (OCR reads "Về" as "về"); an all-capital line stays
            h["subject"] = h["subject"][:1].upper() + h["subject"][1:]
            # "Về việc …" whose "Về" the scan lost (OCR drops short words at a line start)
            if re.match(r"^Việc\s", h["subject"]):
                h["subject"] = "Về v" + h["subject"][1:]
            prov.add("/subject", list(regions.title[1:]))
    if regions.subject_left:
        text = _despeck(collapse(" ".join(ln.text for ln in regions.subject_left)))
        text = re.sub(r"^\s*V\s*[/.lI1|]\s*v\b\.?\s*", "V/v ", text, flags=re.IGNORECASE)
        if h["subject"] is None:
            h["subject"] = text
            prov.add("/subject", list(regions.subject_left))
        if h["doc_type"] is None:
            h["doc_type"] = r.letter_type
            prov.add("/doc_type", list(regions.subject_left[:1]))
    if h["symbol"] and h["doc_type"] not in (None, r.letter_type) and not _type_codes(h["symbol"]):
        # a typed document's symbol holds its type's code ("QĐ-UBND"): one without is misread
        prov.flag("/symbol", [], "symbol", h["symbol"])
    if h["doc_type"] is None and h["symbol"]:
        # a typed document whose title was not found: its symbol names the type
        for part in _SYMBOL_PARTS.split(h["symbol"]):
            found = r.type_by_abbr(part)
            if found:
                h["doc_type"] = found
                break
        else:
            if regions.recipients:
                h["doc_type"] = r.letter_type


#: What separates the codes of a symbol: "QĐ-UBND", "37-QĐ/UB", and in older letters a dot ("QĐ.UB").
_SYMBOL_PARTS = re.compile(r"[-/.]")


def _type_codes(symbol: str) -> list[str]:
    """The document types whose codes the symbol holds ("QĐ-UBND": Quyết định)."""
    return [t for part in _SYMBOL_PARTS.split(symbol) if (t := rules().type_by_abbr(part))]


@cache
def _contact_details() -> re.Pattern | None:
    labels = sorted(rules().phrases.get("recipient_contact", []), key=len, reverse=True)
    if not labels:
        return None
    return re.compile(r"\s*\(\s*(?:" + "|".join(map(re.escape, labels)) + r")\s*:", re.IGNORECASE)


def _without_contact(recipient: str) -> str:
    """A recipient without the contact details printed after the name: "Bà Huỳnh Thị Mỹ
    Hằng (Địa chỉ: 33 Hai Bà Trưng, …; Số ĐT: …)" is "Bà Huỳnh Thị Mỹ Hằng"."""
    pattern = _contact_details()
    m = pattern.search(recipient) if pattern else None
    return recipient[: m.start()].rstrip(" ,;.") if m and m.start() > 0 else recipient  # (a speck: "Hằng .(Địa chỉ")


_STRAY_STOP = re.compile(r"(?<=[^\W\d_]{2})\.\s*$")
_VOWELS = re.compile(r"[AĂÂEÊIOÔƠUƯYÁÀẢÃẠẮẰẲẴẶẤẦẨẪẬÉÈẺẼẸẾỀỂỄỆÍÌỈĨỊÓÒỎÕỌỐỒỔỖỘỚỜỞỠỢÚÙỦŨỤỨỪỬỮỰÝỲỶỸỴ]")


def _no_stray_stop(text: str) -> str:
    """A title line in capitals that runs on into the next without the full stop a speck
    put at its end ("… KHẮC PHỤC." / "HẬU QUẢ …"); an abbreviation ("TP.") keeps its dot."""
    if not text.isupper():
        return text
    m = _STRAY_STOP.search(text)
    word = text[: m.start()].split()[-1] if m else ""
    return text[: m.start()] if m and _VOWELS.search(word) else text


_INNER_STOP = re.compile(r"(?P<a>[^\W\d_]+)[:.](?P<gap>\s+)(?P<b>[^\W\d_]+)")


def _stop_inside_a_word(m: re.Match[str]) -> str:
    """A colon or a stop a speck put between the two syllables of one word ("HỆ: THỐNG")."""
    from vanthu.pipeline.ocr.lexicon import lexicon, syllable_key

    a, b = m.group("a"), m.group("b")
    if lexicon().pair(syllable_key(a.lower()), syllable_key(b.lower())) and (a.isupper() or b.islower()):
        return f"{a}{m.group('gap')}{b}"
    return m.group(0)


def _despeck(text: str) -> str:
    """A subject without the specks a scan adds at its ends ("'VỀ VIỆC …", "… NGHỆ AN -")
    and between its words ("buôn lậu, . gian lận")."""
    text = re.sub(r"(?<=\S)\s+[.,'`~_|]{1,2}(?=\s)", "", text)
    text = re.sub(r"(?<=\s)[.,'`~_|](?=\d|[^\W\d_])", "", text)  # "NGÀY .21/10/2025", "TĂNG .CƯỜNG"
    text = re.sub(r"(?<=[\s:])['`‘’](?=\w)", "", text)  # "VIỆC LÀM 'TRÊN ĐỊA BÀN"
    text = re.sub(r"(?<=[,:])\s+-\s+", " ", text)  # "buôn lậu, - gian lận", "HIỆU QUẢ : - BẢN TIN"
    text = re.sub(r"(?<=[^\W\d_])\s+-\s+(?=\d+/)", " ", text)  # "Nghị định - 136/2025/NĐ-CP"
    text = re.sub(r"\s+:(?=\s)", "", text)  # "HIỆU QUẢ : BẢN TIN": a colon standing alone
    if text.isupper() and text.count(":") == 1:
        text = re.sub(r"(?<=[^\W\d_]):\s*(?=[^\W\d_])", " ", text)  # "CẢNH SÁT: MÔI TRƯỜNG" in capitals
    text = _INNER_STOP.sub(_stop_inside_a_word, text)
    text = re.sub(r"^[\s'`_.,~|\-]+", "", text)
    # (and a stop glued to its last word: a subject ends with none, Nghị định 30)
    return re.sub(r"(?:\s+[-_~|.,'`]+|(?<=\w)[.,;:])$", "", text)


def _stamp(regions: Regions) -> ReceiptStamp | None:
    return stamp_of([ln.text for ln in regions.stamp])


def stamp_of(lines: list[str] | tuple[str, ...]) -> ReceiptStamp | None:
    """The receipt stamp of its lines ("ĐẾN", "Số: 2771", "Ngày: 05/9/2024"); None: no lines."""
    if not lines:
        return None
    text = " / ".join(collapse(ln) for ln in lines)
    number = None
    m = re.search(r"Số\s*[:.]?\s*(\d+)", text, re.IGNORECASE)
    if m:
        number = m.group(1)
    date = date_text = None
    m = re.search(r"Ngày\s*[:.]?\s*([\d/.\-]+)", text, re.IGNORECASE)
    if m:
        date_text = m.group(1).strip(".")
        date, _, _, _ = find_date(date_text)
    return ReceiptStamp(number=number, date=date, date_text=date_text, text=text)
