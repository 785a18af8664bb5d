"""Cues shared by the layout and the field readers: the one grammar of item markers and
bullets, the urgency and secrecy marks, and the shape of a person's name."""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache

from vanthu.models.document import Line
from vanthu.pipeline.ocr.lexicon import lexicon, syllable_key
from vanthu.pipeline.rules.loader import alternation, rules
from vanthu.pipeline.text.normalize import fold

#: the lower-case letters of Vietnamese (a dash glued to one is a speck, not a bullet: "-và")
LOWER_VI = "a-zđàáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ"
ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "XIII", "XIV", "XV"]
ITEM_MARKER = re.compile(
    # (a scan's specks before a marker: "-_4.", "_ 5.", "- Điều 2.")
    r"^\s*(?:[-_.,'`‘’~|]\s?){0,2}(?:(?P<dieu>Điều\s+(?P<dn>\d{1,3}))\s*[.:]?"
    r"|(?P<roman>[IVX]{1,4})\s*(?:\.|/(?![vV]\b))"  # (not "V/v", the subject's opener)
    r"|(?P<sub>\d{1,2}(?:\.\d{1,2})+)\.?"
    r"|(?P<num>\d{1,2})\s*[.)](?!\d)"
    r"|(?P<letter>[a-zđ])\s*\)"
    rf"|(?P<dash>[-–—+•])(?![{LOWER_VI}]))\s*(?=\S)",
)
ITEM_LEVELS = ("dieu", "roman", "num", "sub", "letter", "dash")
# the bullet of a list entry or a body line ("- A;", "+ B", "* C")
BULLET = re.compile(r"^\s*[-–—+•*]\s*")
# a numbered item, its marker followed by a space ("Điều 2 ", "II. ", "3. ", "1.2. ", "a) "),
# in any case; unlike ITEM_MARKER it takes no dash and needs a point after a number
NUMBERED_ITEM = re.compile(r"^\s*(?:Điều\s+\d+|[IVXLC]{1,6}\.|\d{1,2}(?:\.\d{1,2})*\.|[a-zđ]\))\s", re.IGNORECASE)
# a rule drawn under a header block, as text ("--------", "_____", "* * *")
RULE_LINE = re.compile(r"^[\s\-–—_=*.·•]+$")

# a capital letter, with any Vietnamese mark
_CAPITAL = "A-ZĐÂĂÊÔƠƯÁÀẢÃẠẤẦẨẪẬẮẰẲẴẶÉÈẺẼẸẾỀỂỄỆÍÌỈĨỊÓÒỎÕỌỐỒỔỖỘỚỜỞỠỢÚÙỦŨỤỨỪỬỮỰÝỲỶỸỴ"
# two to six words, each starting with a capital ("Nguyễn Văn An")
PERSON_NAME = re.compile(rf"^[{_CAPITAL}][\wÀ-ỹ]*(?:\s+[{_CAPITAL}][\wÀ-ỹ]*){{1,5}}$")

_WORD_SPECKS = re.compile(r"(?<!\S)['`‘’_.,]+(?=\w)|(?<=\w)['`‘’_,.:;]+(?!\S)")


#: the capitals a scan reads as a digit at the head of a syllable ("1hị" for "Thị"), likeliest first
_NAME_DIGIT_LOOKALIKES = {"1": "LTI", "0": "O", "5": "S", "8": "B", "6": "G"}
_DIGIT_OPENING = re.compile(r"(?<!\w)(\d)([a-zà-ỹđ]+)\b")


def _lettered(m: re.Match[str]) -> str:
    """A syllable of a name opened by a digit, with the capital it stands for when that
    makes a Vietnamese syllable; as read otherwise (a name holds no digit to keep)."""
    for capital in _NAME_DIGIT_LOOKALIKES.get(m.group(1), ""):
        if lexicon().known(syllable_key((capital + m.group(2)).lower())):
            return capital + m.group(2)
    return m.group(0)


def _without_leading_scraps(text: str) -> str:
    """A name without the scraps of the signature the scan read before it ('"«á Bùi Thanh
    An', "á Bùi Thanh An"): the tokens before the first capitalised word, once its signs are
    off ('"Trần' is "Trần"); a list's bullet is no scrap."""
    tokens = text.split()
    while len(tokens) > 2 and not BULLET.match(tokens[0]):
        word = tokens[0].lstrip("".join(ch for ch in tokens[0] if not ch.isalnum()))
        if word[:1].isupper():  # a capitalised word, or one in capitals ("PHÓ", "KT.")
            tokens[0] = word if word[1:].islower() else tokens[0]
            break
        tokens = tokens[1:]
    return " ".join(tokens) if tokens else text


def unspecked(text: str) -> str:
    """A line read as a person's name: without the specks a scan glued to its words' ends
    ("Trương Công 'Thái", "Hoàng Nam:"), its syllables apart where the scan ran them
    together ("TrươngCông Thái"; a Vietnamese name has no capital inside a syllable)."""
    text = _WORD_SPECKS.sub("", text)
    text = _DIGIT_OPENING.sub(_lettered, text)
    text = _without_leading_scraps(text)
    # a name's syllables the scan ran together ("TrươngCông"): a capital right after a small letter
    cuts = [i for i in range(1, len(text)) if text[i].isupper() and text[i - 1].islower()]
    for i in reversed(cuts):
        text = f"{text[:i]} {text[i:]}"
    return text


# what a stamp's frame leaves around its word in OCR ("|HỎA TỐC|", "[KHẨN]", "_MẬT_")
_FRAME_JUNK = " .:-|[](){}_=!/\\'\"`~*«»"
#: a mark printed beside another header line is at most this many words
MARK_MAX_WORDS = 4


def _mark_of(text: str) -> tuple[str, str] | None:
    r = rules()
    key = " ".join(fold(text).strip(_FRAME_JUNK).split())
    for kind, table in (("urgency", r.urgency), ("confidentiality", r.confidentiality)):
        for value, printed in table.items():
            if any(fold(p) == key for p in printed):
                return kind, value
    return None


def is_mark(line: Line) -> bool:
    return _mark_of(line.text) is not None


def mark_of(line: Line) -> tuple[str, str] | None:
    return _mark_of(line.text)


def split_mark(line: Line, rest_ok: Callable[[str], bool]) -> tuple[list[Line], Line] | None:
    """(the line's other parts, the mark) for a header line with an urgency or secrecy
    stamp printed beside its text on the same baseline ("Số: 12/UBND-VX    HỎA TỐC", or
    between the number and the date: "Số: 12/UBND-VX HỎA TỐC Hà Nội, ngày …"), where
    every other part is one ``rest_ok`` accepts (a number line, a place and date); else
    None. The mark is in capitals."""
    words = line.text.split()
    for n in range(min(MARK_MAX_WORDS, len(words) - 1), 0, -1):
        for start in range(len(words) - n + 1):
            text = " ".join(words[start : start + n])
            if text != text.upper() or _mark_of(text) is None:
                continue
            parts = [" ".join(p) for p in (words[:start], words[start + n :]) if p]
            if parts and all(rest_ok(p) for p in parts):
                rest = [line.model_copy(update={"text": p}) for p in parts]
                return rest, line.model_copy(update={"text": text})
    return None


#: a routing note is a short line: a body sentence that happens to start alike is longer
ROUTING_NOTE_MAX_WORDS = 14


@cache
def _routing_note() -> tuple[re.Pattern, re.Pattern]:
    notes = rules().layout["routing_notes"]
    # an opener ends at a colon or a word's end ("Chuyển:", "Kính chuyển đ/c …")
    opener = re.compile(rf"^\s*(?:{alternation(notes['openers'])})(?:(?<=:)|(?!\w))", re.IGNORECASE)
    addressed = re.compile(
        rf"^\s*(?:{alternation(notes['addressed'])})\s.*(?<!\w)(?:{alternation(notes['ends'])})\s*[.,]?\s*$",
        re.IGNORECASE,
    )
    return opener, addressed


def is_routing_note(text: str) -> bool:
    """A line the receiving office adds to route the letter ("Chuyển: Phòng Tổng hợp xử lý",
    "Kính chuyển đ/c Giám đốc", "Đồng chí Nguyễn Văn B xem, cho ý kiến"), typed or written
    in the margin: no part of the letter (``layout.json``, ``routing_notes``)."""
    if len(text.split()) > ROUTING_NOTE_MAX_WORDS or text.rstrip().endswith("./."):
        return False
    opener, addressed = _routing_note()
    return bool(opener.match(text) or addressed.match(text))


def body_opener(text: str) -> bool:
    """A line that opens the body: a reference opener ("Căn cứ", "Thực hiện" …) or an item."""
    openers = rules().phrases["reference_openers"]
    return any(re.match(rf"^\s*{re.escape(o)}\b", text) for o in openers) or bool(NUMBERED_ITEM.match(text))


def in_capitals(text: str) -> bool:
    return mostly_capitals(text, share=1.0)


#: the least share of a line's letters in capitals for it to go on a subject in capitals: a
#: scan garbles a word of it ("THỐNG CHÍNH ba: VÀ CHÍNH QUYỀN …"); running text has a few
MIN_CAPITAL_SHARE = 0.8


def mostly_capitals(text: str, share: float = MIN_CAPITAL_SHARE) -> bool:
    """Three letters or more, and ``share`` of them in capitals."""
    letters = [ch for ch in text if ch.isalpha()]
    return len(letters) >= 3 and sum(ch.isupper() for ch in letters) >= share * len(letters)


#: the most signs of a speck a scan reads between two printed lines ("4", "|", "'")
MAX_SPECK_SIGNS = 3


def is_speck(text: str) -> bool:
    """A line that is a speck of the seal, the signature or the paper: a sign or three, no letter."""
    return len(text) <= MAX_SPECK_SIGNS and not any(ch.isalpha() for ch in text)
