"""Every warning of the record, worded in one place.

A warning is one sentence a clerk can read: it names the field (in words, e.g. "Mục II.1:
tên đơn vị") and the page, e.g. ``Mục II.1: tên đơn vị đọc không chắc chắn (độ tin cậy
0,39), trang 2``. Programs get the same warning with the JSON pointer of the field and the
page number apart (``WarningDetail``). The readers call the ``page_*`` functions here for
what they note about a page; :func:`record_warnings` adds the fields read with low
confidence and what the header lacks. All wording is here, so that another language
(issue 17) replaces this module's texts, not the readers'.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from vanthu.models.document import PageText
from vanthu.models.record import Assignment, Provenance, Signature, WarningDetail

#: A field read with less confidence is flagged (warnings; the terminal and HTML views).
LOW_CONFIDENCE = 0.6

#: Top-level fields in words.
FIELD_NAMES: dict[str, str] = {
    "doc_type": "Loại văn bản",
    "issuer": "Cơ quan ban hành",
    "parent_issuer": "Cơ quan chủ quản",
    "number": "Số văn bản",
    "symbol": "Ký hiệu",
    "number_symbol": "Số, ký hiệu",
    "place": "Địa danh",
    "date": "Ngày ban hành",
    "date_text": "Ngày ban hành",
    "subject": "Trích yếu",
    "urgency": "Độ khẩn",
    "confidentiality": "Độ mật",
    "signer": "Người ký",
    "receipt_stamp": "Dấu đến",
    "signatures": "Chữ ký số",
}
#: Parts of a list item or object in words.
PART_NAMES: dict[str, str] = {
    "assignees": "tên đơn vị",
    "lead": "đơn vị chủ trì",
    "support": "đơn vị phối hợp",
    "deadline": "thời hạn",
    "deadline_text": "thời hạn",
    "text": "nội dung",
    "doc_type": "loại văn bản",
    "number_symbol": "số, ký hiệu",
    "number": "số",
    "date": "ngày",
    "date_text": "ngày",
    "issuer": "cơ quan ban hành",
    "title": "tên",
    "name": "họ tên",
    "block": "khối chữ ký",
}
#: Parts of the signer, where a word means something else than in a reference.
SIGNER_PARTS: dict[str, str] = {"title": "chức vụ", "prefix": "quyền hạn ký (TM., KT. …)"}
LISTS: dict[str, str] = {
    "recipients": "Kính gửi, dòng {n}",
    "distribution": "Nơi nhận, dòng {n}",
    "references": "Văn bản dẫn chiếu thứ {n}",
}
DIGIT_KINDS = {"number": "số văn bản", "day": "ngày", "month": "tháng", "year": "năm"}


def _decimal(value: float) -> str:
    """0.39 as Vietnamese writes it: 0,39."""
    return f"{value:.2f}".replace(".", ",")


def _page(text: str, page: int | None) -> str:
    return text if page is None else f"{text}, trang {page}"


# ------------------------------------------------------------------ what readers note on a page


def page_no_text_layer(page: int, words: int) -> str:
    return f"Trang {page}: lớp chữ của PDF không dùng được ({words} từ), trang được đọc bằng OCR"


def page_text_layer_unreadable(page: int, engine_error: str) -> str:
    return f"Trang {page}: không đọc được lớp chữ của PDF (lỗi {engine_error}), trang được đọc bằng OCR"


def page_not_loadable(page: int) -> str:
    return f"Trang {page}: không mở được trang này của PDF, trang được đọc bằng OCR"


def page_text_not_loadable(page: int) -> str:
    return f"Trang {page}: không tải được lớp chữ của trang, trang được đọc bằng OCR"


_LAYER_REFUSED = {
    "layer-not-vietnamese": "không phải chữ tiếng Việt (lớp chữ do phần mềm OCR khác tạo?)",
    "layer-without-accents": "bị mất dấu tiếng Việt",
    "layer-disagrees-with-scan": "không khớp với chữ trên ảnh quét",
}


def page_layer_refused(page: int, reason: str) -> str:
    why = _LAYER_REFUSED.get(reason, reason)
    return f"Trang {page}: lớp chữ ẩn của PDF {why}, trang được đọc lại bằng OCR"


#: The words of :func:`page_ocr_timed_out` that tell a skipped page (``is_page_skipped``).
_SKIPPED = "trang bị bỏ qua"


def page_ocr_timed_out(page: int, seconds: float) -> str:
    return f"Trang {page}: OCR quá {seconds:g} giây, {_SKIPPED}"


def page_out_of_time(page: int, seconds: float) -> str:
    return f"Trang {page}: chưa đọc xong khi hết thời gian của văn bản ({seconds:.0f} giây), {_SKIPPED}"


def page_rereads_dropped(page: int) -> str:
    return f"Trang {page}: sắp hết thời gian, không đọc lại khối chữ ký và số viết tay"


def is_page_skipped(text: str) -> bool:
    return _SKIPPED in text


def page_perspective_corrected(page: int) -> str:
    return f"Trang {page}: ảnh chụp xiên, đã được nắn thẳng trước khi đọc"


def page_turned(page: int, degrees: int) -> str:
    how = "bị lộn ngược" if degrees == 180 else "nằm ngang"
    return f"Trang {page}: bản quét {how}, đã xoay {degrees}° theo chiều kim đồng hồ để đọc"


def page_signer_reread(page: int) -> str:
    return f"Trang {page}: khối chữ ký được đọc lại riêng (con dấu hoặc chữ ký đè lên chữ)"


def page_blank(page: int) -> str:
    return f"Trang {page}: trang trắng, không nhận dạng được chữ"


def items_restarted(times: int) -> str:
    return (
        f"Các mục: số thứ tự bắt đầu lại từ 1 {times} lần (trang bị lặp lại, hoặc phụ lục?); "
        "các mục đó được xếp sau các mục khác"
    )


def items_too_deep(count: int, depth: int) -> str:
    return f"Các mục: {count} mục lồng sâu hơn {depth} cấp, được giữ ở cấp {depth}"


def handwriting_unsure(kind: str, digits: str, confidence: float, page: int = 1) -> str:
    what = DIGIT_KINDS.get(kind, kind)
    return (
        f"Trang {page}: chữ số viết tay ở ô {what} không chắc chắn (đọc được '{digits}', "
        f"độ tin cậy {_decimal(confidence)}), để trống"
    )


def handwriting_unreadable(kind: str, page: int = 1) -> str:
    return f"Trang {page}: không đọc được chữ số viết tay ở ô {DIGIT_KINDS.get(kind, kind)}"


def page_range(pages: Sequence[int]) -> str:
    """``[3, 4, 5]`` -> "3–5", ``[2]`` -> "2", ``[2, 5]`` -> "2, 5" (a run only when unbroken)."""
    if len(pages) > 1 and list(pages) == list(range(pages[0], pages[-1] + 1)):
        return f"{pages[0]}–{pages[-1]}"
    return ", ".join(str(p) for p in pages)


def other_pages(pages: Sequence[int]) -> WarningDetail:
    """Pages of other papers in the file (``layout.ends``): not read as the letter."""
    text = f"Trang {page_range(pages)}: giấy tờ khác trong cùng tệp (không thuộc văn bản này), không được đọc"
    return WarningDetail(message=text, field="/other_pages", page=pages[0])


def attached_part(kind: str, pages: Sequence[int], index: int) -> WarningDetail:
    """An appendix or a draft after the letter: its items are not the letter's."""
    what = "dự thảo kèm theo" if kind == "draft" else "phụ lục"
    text = f"Trang {page_range(pages)}: {what}, không đọc thành nhiệm vụ hay nơi nhận của văn bản"
    return WarningDetail(message=text, field=f"/appendices/{index}", page=pages[0])


# ------------------------------------------------------------------------------ the fields


def _item_label(assignments: Sequence[Assignment], parts: list[str]) -> tuple[str, list[str]]:
    """ "Mục II.1" for ``assignments/4/children/0`` and the parts after the item."""
    labels: list[str] = []
    items = assignments
    rest = parts
    while rest and rest[0].isdigit() and int(rest[0]) < len(items):
        item = items[int(rest[0])]
        labels.append(item.label)
        rest = rest[1:]
        if rest[:1] == ["children"]:
            items, rest = item.children, rest[1:]
        else:
            break
    shown = ".".join(lb for lb in labels if lb[:1].isalnum()) or (labels[-1] if labels else "?")
    return f"Mục {shown}", rest


def field_name(pointer: str, assignments: Sequence[Assignment] = ()) -> str:
    """The field of a JSON pointer in words: ``/assignments/4/children/0/assignees/1`` ->
    ``Mục II.1: tên đơn vị``; ``/number_symbol`` -> ``Số, ký hiệu``."""
    parts = [p for p in pointer.split("/") if p]
    if not parts:
        return "Văn bản"
    head, rest = parts[0], parts[1:]
    if head == "assignments":
        name, rest = _item_label(assignments, rest)
    elif head in LISTS and rest[:1] and rest[0].isdigit():
        name, rest = LISTS[head].format(n=int(rest[0]) + 1), rest[1:]
    else:
        name = FIELD_NAMES.get(head, head)
    parts_named = {**PART_NAMES, **SIGNER_PARTS} if head == "signer" else PART_NAMES
    words = [parts_named.get(p, p) for p in rest if not p.isdigit()]
    return f"{name}: {words[-1]}" if words else name


def low_confidence(pointer: str, entry: Provenance, assignments: Sequence[Assignment] = ()) -> WarningDetail:
    name = field_name(pointer, assignments)
    message = _page(f"{name} đọc không chắc chắn (độ tin cậy {_decimal(entry.confidence)})", entry.page)
    return WarningDetail(message=message, field=pointer, page=entry.page)


def _at(pointer: str, provenance: Mapping[str, Provenance]) -> int | None:
    entry = provenance.get(pointer)
    return entry.page if entry else None


def header_warnings(
    header: Mapping[str, object], provenance: Mapping[str, Provenance], skip: set[str] | None = None
) -> list[WarningDetail]:
    """What the header lacks: the number line, a complete date, a filled-in number (not for
    the pointers of ``skip``, warned otherwise)."""
    out: list[WarningDetail] = []
    if header.get("number_symbol") is None:
        out.append(WarningDetail(message="Không tìm thấy dòng số, ký hiệu (Số: …)", field="/number_symbol"))
    if header.get("date") is None and "/date" not in (skip or set()):
        if header.get("date_text"):
            page = _at("/date_text", provenance) or _at("/date", provenance)
            text = _page("Ngày ban hành không đầy đủ (thiếu ngày, tháng hoặc năm)", page)
            out.append(WarningDetail(message=text, field="/date", page=page))
        else:
            out.append(WarningDetail(message="Không tìm thấy ngày ban hành", field="/date"))
    if header.get("number") is None and header.get("symbol"):
        page = _at("/number_symbol", provenance) or _at("/symbol", provenance)
        text = _page("Số văn bản để trống (sẽ được điền tay)", page)
        out.append(WarningDetail(message=text, field="/number", page=page))
    return out


def record_warnings(
    pages: Iterable[PageText],
    provenance: Mapping[str, Provenance],
    header: Mapping[str, object],
    assignments: Sequence[Assignment] = (),
    item_notes: Sequence[str] = (),
    flags: Mapping[str, tuple[str, str]] | None = None,
) -> list[WarningDetail]:
    """All warnings of a record, in order: the pages' notes, the numbered items' notes, the
    values that cannot be as read (``flags``: pointer -> kind, as printed), the fields read
    with low confidence (every one, nested ones too), then what the header lacks."""
    flags = flags or {}
    out = [WarningDetail(message=w, page=p.number) for p in pages for w in p.warnings]
    out += [WarningDetail(message=w, field="/assignments") for w in item_notes]
    out += [implausible(ptr, kind, printed, _at(ptr, provenance)) for ptr, (kind, printed) in flags.items()]
    out += [
        low_confidence(pointer, entry, assignments)
        for pointer, entry in provenance.items()
        if entry.confidence < LOW_CONFIDENCE and pointer not in flags
    ]
    return out + header_warnings(header, provenance, skip=set(flags))


# ------------------------------------------------------ values that cannot be as read

IMPLAUSIBLE: dict[str, str] = {
    "date": "'{printed}' không phải là ngày có thật (đọc nhầm?), không được ghi nhận, cần kiểm tra lại",
    "number": "'{printed}' có chữ cái lẫn trong số (đọc nhầm?), đã đọc thành '{value}', cần kiểm tra lại",
    "symbol": "'{printed}' thiếu mã loại văn bản (đọc nhầm?), cần kiểm tra lại",
}


def implausible(pointer: str, kind: str, printed: str, page: int | None = None) -> WarningDetail:
    """A value that cannot exist as read: a day 42, a month 13, 31/02, a number with letters
    in it, a typed document's symbol without its type code. ``printed`` is "as read|value"
    for a number read again as digits."""
    shown, _, value = printed.partition("|")
    what = IMPLAUSIBLE.get(kind, "'{printed}' không hợp lệ, cần kiểm tra lại").format(printed=shown, value=value)
    return WarningDetail(message=_page(f"{field_name(pointer)}: {what}", page), field=pointer, page=page)


def date_from_signature(date: str, page: int | None = None) -> WarningDetail:
    """The letter's day unreadable, taken from the first digital signature's time."""
    y, m, d = date.split("-")
    text = f"Ngày ban hành: không đọc được ngày, lấy ngày theo thời điểm ký số ({d}/{m}/{y}), cần kiểm tra lại"
    return WarningDetail(message=_page(text, page), field="/date", page=page)


def signature_warnings(signatures: Sequence[Signature]) -> list[WarningDetail]:
    """A digital signature that cannot be read, that no longer matches the document, or
    whose certificate the configured CA bundle does not trust."""
    out: list[WarningDetail] = []
    for i, sig in enumerate(signatures):
        who = f"Chữ ký số thứ {i + 1}" + (f" ({sig.signer})" if sig.signer else "")
        if not sig.intact and sig.signer is None and sig.signed_at is None:
            text = f"{who}: không đọc được chữ ký (chữ ký hỏng?), không xác nhận được văn bản"
        elif not sig.intact:
            text = f"{who}: văn bản đã bị thay đổi sau khi ký, hoặc chữ ký không hợp lệ"
        elif sig.trusted is False:
            text = f"{who}: chứng thư số không thuộc các tổ chức chứng thực được tin cậy (VANTHU_CA_BUNDLE)"
        else:
            continue
        out.append(WarningDetail(message=text, field=f"/signatures/{i}"))
    return out
