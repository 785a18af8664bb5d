"""Stage 4: lines -> the printed regions of a letter (Phụ lục I of Nghị định 30).

Geometry decides columns where there is any (header left/right, Nơi nhận vs signer);
text cues decide the rest (Số:, place and date, V/v, the type name, Kính gửi, Nơi nhận,
signer prefixes), so the same splitter serves text layers, OCR and plain text.
"""

from __future__ import annotations

import re

from vanthu.models.document import Line, Regions
from vanthu.pipeline.layout.cues import is_mark
from vanthu.pipeline.rules.loader import patterns, rules
from vanthu.pipeline.text.normalize import canon, fold

_BULLET = re.compile(r"^\s*[-–—+•*]\s*")
_ITEM = re.compile(r"^\s*(?:Điều\s+\d+|[IVXLC]{1,6}\.|\d{1,2}(?:\.\d{1,2})*\.|[a-zđ]\))\s", re.IGNORECASE)
_STAMP_HEAD = re.compile(r"^\s*(?:(?:CV|CÔNG VĂN|VĂN BẢN)\s+)?ĐẾN\s*:?\s*$|^\s*ĐẾN\s+(?:Số|Ngày)", re.IGNORECASE)
_STAMP_FIELD = re.compile(r"^\s*(?:Số|Ngày|Chuyển|Giờ|Lưu hồ sơ(?: số)?|Người nhận)\s*[:.]", re.IGNORECASE)
_VV = re.compile(r"^[\s\-–_.'`~|]*(?:V\s*[/.lI1|]\s*v\b|Về\s)", re.IGNORECASE)  # after a speck: "- Về …"
_AUTHORITY = re.compile(
    r"^(?:BỘ TRƯỞNG|CHỦ TỊCH|GIÁM ĐỐC|ỦY BAN|HỘI ĐỒNG|THỦ TƯỚNG|CHÁNH|CỤC TRƯỞNG|TỔNG|TRƯỞNG BAN|BAN THƯỜNG VỤ|VIỆN TRƯỞNG|HIỆU TRƯỞNG)\b"
)


def _is_motto(line: Line) -> bool:
    return bool(patterns().motto.match(canon(line.text)))


def _is_place_date(line: Line) -> bool:
    t = line.text
    return bool(re.search(r"\bngày\b", t, re.IGNORECASE) and re.search(r"\b(tháng|năm)\b", t, re.IGNORECASE)
                and "," in t and len(t) < 120 and not _ITEM.match(t))


def _body_opener(text: str) -> bool:
    openers = rules().phrases["reference_openers"]
    return any(re.match(rf"^\s*{re.escape(o)}\b", text) for o in openers) or bool(_ITEM.match(text))


def _subject_after_title(lines: list[Line], i: int, geometry: bool) -> bool:
    """Is the paragraph at ``lines[i]``, right under the type title and starting like a
    body ("Triển khai …", "Thực hiện …"), the document's subject? A subject cites no
    document, is not a numbered item, does not end like a sentence or a lead-in
    (";", ":", ","), and is printed bold; a body's opening paragraph is none of these."""
    text = lines[i].text.strip()
    if re.match(r"^\s*Căn\s+cứ\b", text, re.IGNORECASE) or _ITEM.match(text):
        return False
    para: list[Line] = []
    for ln in lines[i:i + 4]:
        if not ln.text.strip() or (para and geometry and (ln.page != para[-1].page or ln.bold != para[0].bold)):
            break
        para.append(ln)
    joined = " ".join(ln.text.strip() for ln in para)
    if joined.rstrip().endswith((";", ":", ",", "./.")) or patterns().symbol.search(joined) or len(joined) > 300:
        return False
    if geometry:  # the subject under a type title is bold (ND30); body text is not
        return all(ln.bold and ln.column in ("center", "full") for ln in para)
    return True


def _trailing_signer_block(lines: list[Line], start: int, geometry: bool) -> int:
    """Where a signer block that closes the letter begins ("CHỦ TỊCH" / "KT. GIÁM ĐỐC" …
    above a person's name), or ``len(lines)`` when the letter does not end with one."""
    from vanthu.pipeline.layout.cues import PERSON_NAME as _NAME

    skip = {fold(x) for x in rules().not_a_name}
    k = len(lines) - 1
    while k >= start and (not lines[k].text.strip() or fold(lines[k].text.strip()) in skip):
        k -= 1
    if k < start or not _NAME.match(lines[k].text.strip()) or (geometry and lines[k].column != "right"):
        return len(lines)
    first = None
    j = k - 1
    while j >= start and k - j <= 8:
        t = lines[j].text.strip()
        if not t or fold(t) in skip:
            j -= 1
            continue
        caps = t == t.upper() and any(ch.isalpha() for ch in t) and len(t) <= 60 and not _ITEM.match(t) \
            and not t.endswith((".", ";", ":", ","))
        if not caps or (geometry and lines[j].column != "right"):
            break
        first = j
        j -= 1
    return first if first is not None else len(lines)


def _is_stamp_field(text: str, stamp: list[Line]) -> bool:
    """A field of the ĐẾN stamp: "Số: 2771", "Ngày: 05/9/2024", "Chuyển: …" — each once, and
    never the letter's own number line ("Số: 19/QĐ-UBND", with a symbol)."""
    m = _STAMP_FIELD.match(text)
    if not m or patterns().number_line.match(text):
        return False
    field = fold(text[: m.end()]).strip(" :.")
    return not any(fold(s.text).startswith(field) for s in stamp)


def _capitals(text: str) -> bool:
    letters = [ch for ch in text if ch.isalpha()]
    return len(letters) >= 3 and all(ch.isupper() for ch in letters)


def split_regions(lines: list[Line]) -> Regions:
    geometry = any(ln.x0 is not None for ln in lines)
    p = patterns()
    r = rules()
    n = len(lines)
    reg: dict[str, list[Line]] = {k: [] for k in (
        "header_left", "header_right", "marks", "subject_left", "title", "recipients",
        "body", "distribution", "signer", "stamp")}
    number_line: Line | None = None
    place_date: Line | None = None

    # ---------------------------------------------------------------- header
    i = 0
    in_stamp = False
    in_subject = False
    seen_blank_after_subject = False
    while i < n:
        ln = lines[i]
        text = ln.text.strip()
        if not text:
            if in_subject:
                seen_blank_after_subject = True
            i += 1  # a blank line does not end the stamp: its fields may be spaced out
            continue
        if r.type_by_title(text) and (not geometry or ln.column in ("center", "full") or ln.bold):
            break
        if p.recipients_label.match(text) or p.distribution_label.match(text):
            break
        if number_line is not None and (_body_opener(text) or (geometry and ln.column == "full" and len(text) > 60 and not in_subject)):
            break
        if _STAMP_HEAD.match(text):
            in_stamp = True
            reg["stamp"].append(ln)
            i += 1
            continue
        if in_stamp and _is_stamp_field(text, reg["stamp"]):
            reg["stamp"].append(ln)
            i += 1
            continue
        in_stamp = False
        if _is_motto(ln):
            reg["header_right"].append(ln)
        elif number_line is None and p.number_line.match(text):
            number_line = ln
        elif place_date is None and _is_place_date(ln):
            place_date = ln
        elif is_mark(ln):
            reg["marks"].append(ln)
        elif _VV.match(text) and number_line is not None:
            in_subject = True
            reg["subject_left"].append(ln)
        elif in_subject and not seen_blank_after_subject and (not geometry or ln.column in ("left", "center")):
            reg["subject_left"].append(ln)
        elif number_line is None and (not geometry or ln.column in ("left", "center", None)):
            reg["header_left"].append(ln)
        elif number_line is None and ln.column == "right" and place_date is None:
            reg["header_right"].append(ln)
        elif number_line is not None and not geometry and not in_subject:
            break  # plain text: the first unknown line after the number starts the body
        i += 1

    # ---------------------------------------------------------------- title
    if i < n and r.type_by_title(lines[i].text.strip()):
        title_line = lines[i]
        reg["title"].append(title_line)
        i += 1
        prev = title_line
        while i < n:
            ln = lines[i]
            text = ln.text.strip()
            if not text:
                if reg["title"][1:]:
                    i += 1
                    break
                i += 1
                continue
            if p.recipients_label.match(text) or text.rstrip(":") in ("QUYẾT ĐỊNH", "QUYẾT NGHỊ"):
                break
            if _body_opener(text) and not (len(reg["title"]) == 1 and _subject_after_title(lines, i, geometry)):
                break
            subject_so_far = [x.text for x in reg["title"][1:]]
            if subject_so_far and all(_capitals(x) for x in subject_so_far) and not _capitals(text):
                break  # a subject in capitals ends where running text begins (OCR has no bold to tell)
            if geometry:
                gap = (ln.y0 or 0) - (prev.y1 or 0)
                height = (prev.y1 or 0) - (prev.y0 or 0)
                centred = ln.column in ("center", "full") and ln.bold == title_line.bold
                if not centred or (len(reg["title"]) > 1 and gap > 1.2 * height) or ln.page != prev.page:
                    break
                if len(reg["title"]) > 1 and _AUTHORITY.match(text) and gap > 0.6 * height:
                    break
            elif len(reg["title"]) > 1 and _AUTHORITY.match(text):
                break
            reg["title"].append(ln)
            prev = ln
            i += 1

    # -------------------------------------------------------- signature zone
    sig_start = n
    for j in range(n - 1, i - 1, -1):
        if p.distribution_label.match(lines[j].text):
            sig_start = j
            break
    if sig_start == n:  # no Nơi nhận: the signer block follows the body's end mark
        for j in range(n - 1, i - 1, -1):
            t = lines[j].text.rstrip()
            if t.endswith(("./.", "/.")):
                sig_start = j + 1
                break
    if sig_start == n:  # neither: the signer block is the title line(s) and the name at the end
        sig_start = _trailing_signer_block(lines, i, geometry)
    # a signer block printed before "Nơi nhận" in reading order (plain text, two rows)
    body_end = sig_start
    for j in range(sig_start - 1, i - 1, -1):
        t = lines[j].text.strip()
        if not t:
            continue
        if t.endswith(("./.", "/.")):
            break
        signer_like = t == t.upper() and any(ch.isalpha() for ch in t) and (
            p.signer_prefix.match(t) or (geometry and lines[j].column == "right"))
        if signer_like:
            body_end = j  # keep going up: "KT. CHỦ TỊCH" sits above "PHÓ CHỦ TỊCH"
            continue
        if body_end < sig_start or j < sig_start - 4:
            break

    # ---------------------------------------------------- recipients + body
    j = i
    while j < body_end:
        ln = lines[j]
        text = ln.text.strip()
        if p.recipients_label.match(text):
            j = _take_recipients(lines, j, body_end, reg["recipients"])
            continue
        if text:
            reg["body"].append(ln)
        elif not geometry and reg["body"]:
            reg["body"].append(ln)  # blank lines separate paragraphs in plain text
        j += 1

    # ------------------------------------------------------------- signature
    for ln in lines[body_end:]:
        text = ln.text.strip()
        if not text:
            continue
        if p.distribution_label.match(text):
            rest = p.distribution_label.sub("", text, count=1).strip()
            if rest:
                reg["distribution"].append(ln.model_copy(update={"text": rest}))
            continue
        if geometry and ln.column is not None:
            side = "distribution" if ln.column == "left" or (ln.x0 is not None and ln.column == "full" and _BULLET.match(text)) else "signer"
        else:
            side = "distribution" if _BULLET.match(text) or (reg["distribution"] and not reg["distribution"][-1].text.rstrip().endswith((";", "."))) else "signer"
        reg[side].append(ln)

    return Regions(
        header_left=tuple(reg["header_left"]), header_right=tuple(reg["header_right"]),
        number_line=number_line, place_date=place_date, marks=tuple(reg["marks"]),
        subject_left=tuple(reg["subject_left"]), title=tuple(reg["title"]),
        recipients=tuple(reg["recipients"]), body=tuple(reg["body"]),
        distribution=tuple(reg["distribution"]), signer=tuple(reg["signer"]), stamp=tuple(reg["stamp"]),
    )


def _take_recipients(lines: list[Line], j: int, end: int, out: list[Line]) -> int:
    """'Kính gửi: X' and the '- A;' lines after it. Returns the index after them."""
    p = patterns()
    label = lines[j]
    rest = p.recipients_label.sub("", label.text, count=1).strip()
    if rest:
        out.append(label.model_copy(update={"text": rest}))
    j += 1
    while j < end:
        ln = lines[j]
        text = ln.text.strip()
        if not text:
            if out:
                j += 1
                if j < end and _BULLET.match(lines[j].text or ""):
                    continue
                break
            j += 1
            continue
        last = out[-1].text.rstrip() if out else ""
        open_item = bool(out) and not last.endswith((";", ".", ":"))
        if _BULLET.match(text) and not _ITEM.match(text):
            if out and last.endswith(".") and ln.x0 is not None and label.x0 is not None and ln.x0 < label.x0 - 5:
                break
            out.append(ln)
        elif open_item and not _body_opener(text) and (ln.x0 is None or label.x0 is None or ln.x0 >= label.x0 - 2):
            out.append(ln)
        else:
            break
        j += 1
    return j
