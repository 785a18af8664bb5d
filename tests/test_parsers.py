"""The parsers, one edge case at a time.

Letters are written inline as plain text, in the layout of the seed letter
(``../shared/seed/letter.md``): each printed block is one or more lines, blocks are
separated by blank lines. They go through the whole pipeline via
``vanthu.pipeline.extract.extract_file``; pure functions (the number-line pattern,
dates, deadlines, prefixes, task ids) are also called directly.
"""

from __future__ import annotations

import json
import shutil
import unicodedata
from pathlib import Path

import pytest

from vanthu.models import DispatchRecord
from vanthu.pipeline.fields.body import find_deadline
from vanthu.pipeline.fields.dates import find_date, iso, parse_date_phrase
from vanthu.pipeline.extract import extract_file
from vanthu.pipeline.fields.entries import strip_item
from vanthu.pipeline.rules.loader import patterns
from vanthu.pipeline.fields.signer import canonical_prefix
from vanthu.pipeline.tasks import task_id

# ----------------------------------------------------------------------------- helpers

ISSUER = ("ỦY BAN NHÂN DÂN", "THÀNH PHỐ LẠNG SƠN")
MOTTO = ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc")
SIGNER = ("CHỦ TỊCH", "", "Nguyễn Văn Hạnh")
DISTRIBUTION = ("Nơi nhận:", "", "- Như trên;", "- Lưu: VT, VP.")
CLOSING = "UBND thành phố đề nghị các cơ quan, đơn vị nghiêm túc triển khai thực hiện./."


def letter(
    *,
    issuer: tuple[str, ...] = ISSUER,
    motto: tuple[str, ...] = MOTTO,
    before_number: tuple[str, ...] = (),
    number: str = "Số: 12/UBND-VX",
    place_date: str = "TP. Lạng Sơn, ngày 15 tháng 8 năm 2024",
    marks: tuple[str, ...] = (),
    title: tuple[str, ...] = (),
    subject: tuple[str, ...] = ("V/v triển khai nhiệm vụ năm 2024",),
    recipients: tuple[str, ...] = ("Kính gửi: Sở Tài chính.",),
    body: tuple[str, ...] = ("1. Tăng cường công tác tuyên truyền.",),
    closing: str | None = CLOSING,
    distribution: tuple[str, ...] = DISTRIBUTION,
    signer: tuple[str, ...] = SIGNER,
) -> str:
    """A plain-text letter: blocks in the order of Phụ lục I, separated by blank lines.
    A block given as a tuple is printed as consecutive lines; ``body`` items are
    separate paragraphs (each may hold '\\n' for a wrapped line)."""
    blocks: list[str] = ["\n".join(issuer), "\n".join(motto)]
    blocks += list(before_number)
    blocks += [number, place_date]
    blocks += list(marks)
    if title:
        blocks.append("\n\n".join(title))
    if subject:
        blocks.append("\n".join(subject))
    if recipients:
        blocks.append("\n".join(recipients))
    blocks += list(body)
    if closing:
        blocks.append(closing)
    if distribution:
        blocks.append("\n".join(distribution))
    if signer:
        blocks.append("\n".join(signer))
    return "\n\n".join(blocks) + "\n"


@pytest.fixture
def extract(tmp_path: Path):
    """extract(text, name="letter.md") -> DispatchRecord, via a file in tmp_path."""
    counter = iter(range(10_000))

    def run(text: str, name: str = "letter.md", *, encoding: str = "utf-8") -> DispatchRecord:
        folder = tmp_path / f"l{next(counter)}"
        folder.mkdir()
        path = folder / name
        path.write_bytes(text.encode(encoding))
        return extract_file(path)

    return run


def strings(value):
    """Every string (keys included) inside a JSON value."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield k
            yield from strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from strings(v)


# ------------------------------------------------------------------------- number line


@pytest.mark.parametrize(
    ("printed", "number", "sep", "symbol"),
    [
        ("Số: /UBND-NV", None, "/", "UBND-NV"),
        ("Số:19 /KH-UBND", "19", "/", "KH-UBND"),
        ("Số: 30/2020/NĐ-CP", "30", "/", "2020/NĐ-CP"),
        ("Số 27-KH/ĐU", "27", "-", "KH/ĐU"),
        ("sÓ:33 /TB-UBND", "33", "/", "TB-UBND"),
        ("Số 26 /KH-UBND", "26", "/", "KH-UBND"),
        ("Số: 05/BNV-VP", "05", "/", "BNV-VP"),
    ],
)
def test_number_line_pattern(printed: str, number: str | None, sep: str, symbol: str) -> None:
    m = patterns().number_line.match(printed)
    assert m is not None, printed
    assert m.group("number") == number
    assert m.group("sep") == sep
    assert "".join(m.group("symbol").split()) == symbol


@pytest.mark.parametrize("text", ["Căn cứ Nghị định 78/2002/NĐ-CP", "Số lượng: 15 người", "Sở Nội vụ"])
def test_number_line_pattern_rejects_other_lines(text: str) -> None:
    assert patterns().number_line.match(text) is None


@pytest.mark.parametrize(
    ("printed", "number", "symbol", "number_symbol"),
    [
        ("Số: /UBND-NV", None, "UBND-NV", "/UBND-NV"),
        ("Số:19 /KH-UBND", "19", "KH-UBND", "19/KH-UBND"),
        ("Số: 30/2020/NĐ-CP", "30", "2020/NĐ-CP", "30/2020/NĐ-CP"),
        ("Số 27-KH/ĐU", "27", "KH/ĐU", "27-KH/ĐU"),
        ("sÓ:33 /TB-UBND", "33", "TB-UBND", "33/TB-UBND"),
        ("Số: 93. /KH-UBND", "93", "KH-UBND", "93/KH-UBND"),
        ("Số: 05/UBND-VX", "05", "UBND-VX", "05/UBND-VX"),
    ],
)
def test_number_line_in_letter(extract, printed, number, symbol, number_symbol) -> None:
    rec = extract(letter(number=printed))
    assert (rec.number, rec.symbol, rec.number_symbol) == (number, symbol, number_symbol)
    blank_warned = any("blank" in w for w in rec.warnings)
    assert blank_warned == (number is None)


def test_party_document_number(extract) -> None:
    text = letter(
        issuer=("ĐẢNG BỘ TỈNH LẠNG SƠN", "ĐẢNG ỦY CƠ QUAN"),
        motto=("ĐẢNG CỘNG SẢN VIỆT NAM",),
        number="Số 27-KH/ĐU",
        place_date="Lạng Sơn, ngày 15 tháng 8 năm 2024",
        title=("KẾ HOẠCH", "Tổ chức hội nghị sơ kết"),
        subject=(),
        recipients=(),
        body=("1. Văn phòng Đảng ủy chủ trì tổ chức hội nghị.",),
        signer=("T/M BAN THƯỜNG VỤ", "BÍ THƯ", "", "Nguyễn Văn E"),
    )
    rec = extract(text)
    assert (rec.number, rec.symbol, rec.number_symbol) == ("27", "KH/ĐU", "27-KH/ĐU")
    assert rec.doc_type == "Kế hoạch"
    assert rec.signer is not None and rec.signer.prefix == "TM."


# ------------------------------------------------------------------------------- dates


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ngày 15 tháng 8 năm 2024", "2024-08-15"),
        ("Hà Nội, ngày 05 tháng 01 năm 2020", "2020-01-05"),
        ("15/8/2024", "2024-08-15"),
        ("15-8-2024", "2024-08-15"),
        ("ban hành ngày 08/8/2024 của", "2024-08-08"),
    ],
)
def test_find_date(text: str, expected: str) -> None:
    value, phrase, start, end = find_date(text)
    assert value == expected
    assert phrase is not None and text[start:end] == phrase


def test_find_date_prefers_the_first_date() -> None:
    value, _, _, _ = find_date("ngày 08/8/2024 và ngày 15 tháng 8 năm 2024")
    assert value == "2024-08-08"


def test_blank_day_has_text_but_no_iso() -> None:
    value, phrase = parse_date_phrase("ngày    tháng 8 năm 2024")
    assert value is None
    assert phrase is not None and "tháng 8 năm 2024" in phrase


@pytest.mark.parametrize("text", ["31/2/2024", "ngày 31 tháng 2 năm 2024", "30/13/2024"])
def test_invalid_date_is_none(text: str) -> None:
    assert find_date(text)[0] is None
    assert parse_date_phrase(text)[0] is None


def test_iso() -> None:
    assert iso(29, 2, 2024) == "2024-02-29"
    assert iso(29, 2, 2023) is None
    assert iso(31, 2, 2024) is None
    assert iso(1, 1, 24) == "2024-01-01"


def test_no_date() -> None:
    assert find_date("không có ngày tháng") == (None, None, -1, -1)


def test_header_date(extract) -> None:
    rec = extract(letter())
    assert rec.place == "TP. Lạng Sơn"
    assert rec.date == "2024-08-15"
    assert rec.date_text == "ngày 15 tháng 8 năm 2024"


def test_header_blank_day(extract) -> None:
    rec = extract(letter(place_date="TP. Lạng Sơn, ngày    tháng 8 năm 2024"))
    assert rec.place == "TP. Lạng Sơn"
    assert rec.date is None
    assert rec.date_text is not None and "tháng 8 năm 2024" in rec.date_text
    assert any("date" in w for w in rec.warnings)


def test_header_invalid_date(extract) -> None:
    rec = extract(letter(place_date="TP. Lạng Sơn, ngày 31 tháng 2 năm 2024"))
    assert rec.date is None
    assert rec.date_text == "ngày 31 tháng 2 năm 2024"


# ---------------------------------------------------------------- ĐẾN receipt stamp

STAMP = "ĐẾN\nSố: 2771\nNgày: 05/9/2024"


def test_receipt_stamp_before_the_number(extract) -> None:
    rec = extract(letter(before_number=(STAMP,), number="Số: 19/QĐ-UBND"))
    assert rec.number == "19"
    assert rec.number_symbol == "19/QĐ-UBND"
    assert rec.date == "2024-08-15"
    assert rec.receipt_stamp is not None
    assert rec.receipt_stamp.number == "2771"
    assert rec.receipt_stamp.date == "2024-09-05"
    # the stamp is not part of the issuer block
    assert rec.issuer == "ỦY BAN NHÂN DÂN THÀNH PHỐ LẠNG SƠN"
    assert rec.parent_issuer is None


def test_receipt_stamp_at_the_top(extract) -> None:
    text = STAMP + "\n\n" + letter(number="Số: 19/QĐ-UBND")
    rec = extract(text)
    assert rec.number_symbol == "19/QĐ-UBND"
    assert rec.date == "2024-08-15"
    assert rec.receipt_stamp is not None and rec.receipt_stamp.number == "2771"
    assert rec.issuer == "ỦY BAN NHÂN DÂN THÀNH PHỐ LẠNG SƠN"


def test_receipt_stamp_with_more_fields(extract) -> None:
    rec = extract(letter(before_number=("CÔNG VĂN ĐẾN\nSố: 2771\nNgày: 05/9/2024\nChuyển: Phòng Nội vụ",)))
    assert rec.receipt_stamp is not None
    assert rec.receipt_stamp.number == "2771"
    assert "Chuyển: Phòng Nội vụ" in rec.receipt_stamp.text
    assert rec.number_symbol == "12/UBND-VX"
    assert rec.issuer == "ỦY BAN NHÂN DÂN THÀNH PHỐ LẠNG SƠN" and rec.parent_issuer is None


def test_no_receipt_stamp(extract) -> None:
    assert extract(letter()).receipt_stamp is None


def test_receipt_stamp_lines_separated_by_blank_lines(extract) -> None:
    """Regression: a blank line between the stamp's lines ended the stamp."""
    stamp = ("ĐẾN", "Số: 2771", "Ngày: 05/9/2024")
    rec = extract(letter(before_number=stamp, number="Số: 19/QĐ-UBND"))
    assert rec.number_symbol == "19/QĐ-UBND"
    assert rec.issuer == "ỦY BAN NHÂN DÂN THÀNH PHỐ LẠNG SƠN"
    assert rec.parent_issuer is None
    assert rec.receipt_stamp is not None and rec.receipt_stamp.number == "2771"


# ------------------------------------------------------------------------------ header


def test_issuer_with_parent(extract) -> None:
    rec = extract(letter(issuer=("UBND TỈNH LẠNG SƠN", "SỞ NỘI VỤ"), number="Số: 04/SNV-VP"))
    assert rec.parent_issuer == "UBND TỈNH LẠNG SƠN"
    assert rec.issuer == "SỞ NỘI VỤ"


def test_issuer_on_two_lines_is_one_issuer(extract) -> None:
    rec = extract(letter(issuer=("ỦY BAN NHÂN DÂN", "THÀNH PHỐ LẠNG SƠN")))
    assert rec.issuer == "ỦY BAN NHÂN DÂN THÀNH PHỐ LẠNG SƠN"
    assert rec.parent_issuer is None


def test_subject_over_two_lines(extract) -> None:
    rec = extract(letter(subject=("V/v tiếp tục đẩy mạnh công tác CCHC", "trên địa bàn thành phố Lạng Sơn")))
    assert rec.subject == "V/v tiếp tục đẩy mạnh công tác CCHC trên địa bàn thành phố Lạng Sơn"
    assert rec.doc_type == "Công văn"


def test_typed_document(extract) -> None:
    rec = extract(letter(
        number="Số: 419/TB-UBND",
        title=("THÔNG BÁO", "Kết luận của Chủ tịch UBND thành phố tại cuộc họp giao ban"),
        subject=(),
    ))
    assert rec.doc_type == "Thông báo"
    assert rec.subject == "Kết luận của Chủ tịch UBND thành phố tại cuộc họp giao ban"
    assert rec.number_symbol == "419/TB-UBND"


def test_typed_document_subject_over_two_lines(extract) -> None:
    rec = extract(letter(number="Số: 12/KH-UBND", subject=(), recipients=(),
                         title=("KẾ HOẠCH", "Cải cách hành chính\ntrên địa bàn thành phố năm 2024")))
    assert rec.doc_type == "Kế hoạch"
    assert rec.subject == "Cải cách hành chính trên địa bàn thành phố năm 2024"
    assert [a.label for a in rec.assignments] == ["1"]


def test_typed_document_subject_starting_with_trien_khai(extract) -> None:
    """Regression: a subject starting with a reference opener was taken for the body."""
    rec = extract(letter(number="Số: 12/KH-UBND", subject=(), recipients=(),
                         title=("KẾ HOẠCH", "Triển khai công tác chuyển đổi số\ntrên địa bàn thành phố năm 2024")))
    assert rec.doc_type == "Kế hoạch"
    assert rec.subject == "Triển khai công tác chuyển đổi số trên địa bàn thành phố năm 2024"


def test_typed_document_body_opening_with_thuc_hien_is_not_the_subject(extract) -> None:
    rec = extract(letter(number="Số: 12/KH-UBND", subject=(), recipients=(), title=("KẾ HOẠCH",),
                         body=("Thực hiện Kế hoạch số 45/KH-UBND ngày 02/3/2024 của UBND tỉnh, UBND thành phố ban "
                               "hành Kế hoạch như sau:", "1. Tăng cường tuyên truyền.")))
    assert rec.doc_type == "Kế hoạch"
    assert rec.subject is None
    assert [r.number_symbol for r in rec.references] == ["45/KH-UBND"]


@pytest.mark.parametrize(("mark", "field", "value"), [
    ("KHẨN", "urgency", "Khẩn"),
    ("THƯỢNG KHẨN", "urgency", "Thượng khẩn"),
    ("HỎA TỐC", "urgency", "Hỏa tốc"),
    ("MẬT", "confidentiality", "Mật"),
])
def test_marks(extract, mark: str, field: str, value: str) -> None:
    rec = extract(letter(marks=(mark,)))
    assert getattr(rec, field) == value
    assert rec.subject == "V/v triển khai nhiệm vụ năm 2024"
    assert rec.number_symbol == "12/UBND-VX"


def test_mark_above_the_number(extract) -> None:
    rec = extract(letter(before_number=("KHẨN",)))
    assert rec.urgency == "Khẩn"
    assert rec.issuer == "ỦY BAN NHÂN DÂN THÀNH PHỐ LẠNG SƠN" and rec.parent_issuer is None


def test_no_marks(extract) -> None:
    rec = extract(letter())
    assert rec.urgency is None and rec.confidentiality is None


def test_recipients_as_bullets(extract) -> None:
    rec = extract(letter(recipients=("Kính gửi:", "", "- Các cơ quan chuyên môn thuộc thành phố;",
                                     "- UBND các phường, xã.")))
    assert rec.recipients == ["Các cơ quan chuyên môn thuộc thành phố", "UBND các phường, xã"]


def test_recipients_short_bullets(extract) -> None:
    rec = extract(letter(recipients=("Kính gửi:", "- A;", "- B.")))
    assert rec.recipients == ["A", "B"]


def test_recipient_on_the_label_line(extract) -> None:
    rec = extract(letter(recipients=("Kính gửi: Sở Tài chính.",)))
    assert rec.recipients == ["Sở Tài chính"]


# -------------------------------------------------------------------------- references

GROUNDS = (
    "Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;",
    "Căn cứ Nghị định 30/2020/NĐ-CP ngày 05/3/2020 của Chính phủ về công tác văn thư;",
    "Thực hiện Công văn số 4114/VP-NC ngày 08/8/2024 của Văn phòng UBND tỉnh về việc tham mưu "
    "triển khai thực hiện Kết luận của Ban Chỉ đạo cải cách hành chính của Chính phủ; "
    "Thông báo số 419/TB-UBND ngày 24/7/2024 của UBND tỉnh.",
)


@pytest.fixture
def cited(extract) -> DispatchRecord:
    return extract(letter(body=GROUNDS + ("1. Tăng cường công tác tuyên truyền.",)))


def _ref(rec: DispatchRecord, ns: str | None, doc_type: str | None = None):
    found = [r for r in rec.references if r.number_symbol == ns and (doc_type is None or r.doc_type == doc_type)]
    assert len(found) == 1, [r.model_dump() for r in rec.references]
    return found[0]


def test_law_cited_by_name(cited: DispatchRecord) -> None:
    law = _ref(cited, None, "Luật")
    assert law.date == "2015-06-19"
    assert law.number_symbol is None
    assert "Luật Tổ chức chính quyền địa phương" in law.text
    assert law.title == "Luật Tổ chức chính quyền địa phương"


def test_decree_without_so(cited: DispatchRecord) -> None:
    nd = _ref(cited, "30/2020/NĐ-CP")
    assert nd.doc_type == "Nghị định"
    assert nd.date == "2020-03-05"
    assert nd.issuer == "Chính phủ"


def test_full_citation(cited: DispatchRecord) -> None:
    cv = _ref(cited, "4114/VP-NC")
    assert cv.doc_type == "Công văn"
    assert cv.date == "2024-08-08"
    assert cv.issuer == "Văn phòng UBND tỉnh"
    assert cv.title is not None and cv.title.startswith("tham mưu triển khai")
    assert cv.text.startswith("Công văn số 4114/VP-NC ngày 08/8/2024")


def test_references_in_order_of_mention(cited: DispatchRecord) -> None:
    assert [(r.doc_type, r.number_symbol) for r in cited.references] == [
        ("Luật", None), ("Nghị định", "30/2020/NĐ-CP"), ("Công văn", "4114/VP-NC"), ("Thông báo", "419/TB-UBND"),
    ]
    tb = _ref(cited, "419/TB-UBND")
    assert tb.date == "2024-07-24"


def test_same_document_cited_twice_is_listed_once(extract) -> None:
    rec = extract(letter(body=(
        "Thực hiện Công văn số 4114/VP-NC ngày 08/8/2024 của Văn phòng UBND tỉnh về việc triển khai nhiệm vụ.",
        "1. Triển khai các nội dung tại Công văn số 4114/VP-NC nêu trên.",
        "2. Báo cáo kết quả theo Công văn 4114/VP-NC.",
    )))
    assert [r.number_symbol for r in rec.references] == ["4114/VP-NC"]
    assert rec.references[0].date == "2024-08-08"  # the first, full mention is kept


def test_own_number_is_not_a_reference(extract) -> None:
    rec = extract(letter(number="Số: 05/UBND-VX", body=(
        "Căn cứ Kế hoạch số 05/UBND-VX ngày 01/8/2024 của UBND thành phố; "
        "Thực hiện Kế hoạch số 12/KH-UBND ngày 06/6/2023 của UBND tỉnh.",
        "1. Triển khai theo văn bản số 05/UBND-VX.",
    )))
    assert rec.number_symbol == "05/UBND-VX"
    assert [r.number_symbol for r in rec.references] == ["12/KH-UBND"]


def test_no_references(extract) -> None:
    assert extract(letter()).references == []


# ------------------------------------------------------------------------- assignments


def test_numbered_items(extract) -> None:
    rec = extract(letter(body=(
        "UBND thành phố yêu cầu các cơ quan thực hiện tốt một số nội dung như sau:",
        "1. Tăng cường công tác tuyên truyền.",
        "2. Rà soát thủ tục hành chính.",
        "3. Báo cáo kết quả.",
    )))
    assert [a.label for a in rec.assignments] == ["1", "2", "3"]
    assert rec.assignments[1].text == "Rà soát thủ tục hành chính."
    assert all(a.children == [] for a in rec.assignments)


def test_closing_paragraph_is_not_part_of_the_last_item(extract) -> None:
    rec = extract(letter(body=("1. Tăng cường công tác tuyên truyền.", "2. Rà soát thủ tục hành chính.")))
    assert rec.assignments[-1].text == "Rà soát thủ tục hành chính."


def test_roman_items_with_children(extract) -> None:
    rec = extract(letter(body=(
        "I. MỤC ĐÍCH, YÊU CẦU",
        "1. Bảo đảm tiến độ triển khai.",
        "2. Phân công rõ trách nhiệm.",
        "II. NHIỆM VỤ",
        "1. Tăng cường tuyên truyền.",
        "2. Rà soát thủ tục.",
        "3. Báo cáo kết quả.",
    )))
    assert [a.label for a in rec.assignments] == ["I", "II"]
    assert [c.label for c in rec.assignments[0].children] == ["1", "2"]
    assert [c.label for c in rec.assignments[1].children] == ["1", "2", "3"]
    assert rec.assignments[1].children[2].text == "Báo cáo kết quả."
    assert rec.assignments[1].text.startswith("NHIỆM VỤ")
    assert "Rà soát thủ tục." in rec.assignments[1].text  # children's text is part of the item


def test_articles_with_points(extract) -> None:
    rec = extract(letter(
        number="Số: 19/QĐ-UBND",
        title=("QUYẾT ĐỊNH", "Về việc ban hành Kế hoạch cải cách hành chính"),
        subject=(), recipients=(),
        body=(
            "CHỦ TỊCH ỦY BAN NHÂN DÂN THÀNH PHỐ",
            "Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;",
            "QUYẾT ĐỊNH:",
            "Điều 1. Ban hành kèm theo Quyết định này Kế hoạch cải cách hành chính.",
            "a) Nội dung thứ nhất;",
            "b) Nội dung thứ hai.",
            "Điều 2. Quyết định này có hiệu lực kể từ ngày ký.",
            "Điều 3. Chánh Văn phòng UBND tỉnh; Giám đốc Sở Nông nghiệp và Môi trường; Chủ tịch Ủy ban "
            "nhân dân các xã, phường chịu trách nhiệm thi hành Quyết định này./.",
        ),
        closing=None,
        distribution=("Nơi nhận:", "- Như Điều 3;", "- Lưu: VT, VP."),
        signer=("TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "", "Nguyễn Văn B"),
    ))
    assert rec.doc_type == "Quyết định"
    assert rec.subject == "Về việc ban hành Kế hoạch cải cách hành chính"
    assert [a.label for a in rec.assignments] == ["Điều 1", "Điều 2", "Điều 3"]
    assert [c.label for c in rec.assignments[0].children] == ["a", "b"]
    assert rec.assignments[0].children[1].text.startswith("Nội dung thứ hai")
    d3 = rec.assignments[2]
    assert d3.assignees == ["Chánh Văn phòng UBND tỉnh", "Giám đốc Sở Nông nghiệp và Môi trường",
                            "Chủ tịch Ủy ban nhân dân các xã, phường"]
    assert d3.lead == "Chánh Văn phòng UBND tỉnh"
    assert d3.support == d3.assignees[1:]


def _decision(extract, *articles: str) -> DispatchRecord:
    return extract(letter(
        number="Số: 19/QĐ-UBND", title=("QUYẾT ĐỊNH", "Về việc ban hành Quy định hỗ trợ doanh nghiệp"),
        subject=(), recipients=(), closing=None,
        body=("CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH", "QUYẾT ĐỊNH:", *articles),
        distribution=("Nơi nhận:", "- Như Điều 3;", "- Lưu: VT, VP."),
        signer=("KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "", "Nguyễn Văn B"),
    ))


def test_execution_clause_ending_the_letter_is_kept(extract) -> None:
    """The last article's "A; B chịu trách nhiệm thi hành Quyết định này./." names its
    assignees: it is not a closing paragraph to drop."""
    rec = _decision(
        extract,
        "Điều 1. Ban hành kèm theo Quyết định này Quy định hỗ trợ doanh nghiệp.",
        "Điều 2. Hiệu lực và trách nhiệm thi hành",
        "Quyết định này có hiệu lực thi hành kể từ ngày ký.",
        "Chánh Văn phòng Ủy ban nhân dân tỉnh; Giám đốc Sở Tài chính; Giám đốc Trung tâm Phục vụ hành "
        "chính công tỉnh và các tổ chức, cá nhân có liên quan chịu trách nhiệm thi hành Quyết định này./.",
    )
    d2 = rec.assignments[1]
    assert "chịu trách nhiệm thi hành" in d2.text
    assert d2.assignees == ["Chánh Văn phòng Ủy ban nhân dân tỉnh", "Giám đốc Sở Tài chính",
                            "Giám đốc Trung tâm Phục vụ hành chính công tỉnh"]


def test_responsibility_headings_of_sub_items(extract) -> None:
    """"1. Trách nhiệm của Sở Tư pháp" under "Điều 2. Trách nhiệm của các cơ quan, đơn vị"
    makes the Sở an assignee; the generic heading names nobody."""
    rec = _decision(
        extract,
        "Điều 1. Ban hành kèm theo Quyết định này Quy định hỗ trợ doanh nghiệp.",
        "Điều 2. Trách nhiệm của các cơ quan, đơn vị",
        "1. Trách nhiệm của Sở Tư pháp",
        "a) Chủ trì, hướng dẫn, tiếp nhận, thẩm định hồ sơ đề nghị hỗ trợ;",
        "b) Thực hiện việc quyết định hỗ trợ.",
        "2. Trách nhiệm của Sở Tài chính",
        "Hằng năm, bố trí kinh phí thực hiện hỗ trợ.",
        "Điều 3. Chánh Văn phòng UBND tỉnh; Giám đốc Sở Tư pháp chịu trách nhiệm thi hành Quyết định này./.",
    )
    d2 = rec.assignments[1]
    assert d2.assignees == ["Sở Tư pháp", "Sở Tài chính"]
    assert [c.assignees for c in d2.children] == [["Sở Tư pháp"], ["Sở Tài chính"]]


def test_a_list_of_generic_words_is_nobody(extract) -> None:
    rec = extract(letter(body=(
        "1. Giao Sở Tài chính chủ trì tổng hợp kết quả.",
        "2. Các cơ quan, đơn vị, địa phương căn cứ nội dung văn bản để triển khai thực hiện.",
    )))
    assert rec.assignments[0].assignees == ["Sở Tài chính"]
    assert rec.assignments[1].assignees == []


def test_unit_list_ending_in_a_two_word_place_type(extract) -> None:
    """"…các phường, xã, đặc khu" at the end of a line: the segmenter splits "đặc | khu"."""
    rec = extract(letter(body=(
        "1. Giao Ủy ban nhân dân các phường, xã, đặc khu",
        "- Rà soát dữ liệu số nhà trên địa bàn.",
        "2. Giao Sở Xây dựng theo dõi, đôn đốc.",
    )))
    assert rec.assignments[0].assignees == ["Ủy ban nhân dân các phường, xã, đặc khu"]


def test_addressee_heading_ending_with_a_colon(extract) -> None:
    """"1. X, trong đó trọng tâm là …:" over points a), b): X is the addressee; a later
    "Y chịu trách nhiệm toàn diện trước Z" is accountability, not a task for Y."""
    rec = extract(letter(body=(
        "1. Chủ tịch Ủy ban nhân dân các tỉnh, thành phố từ Hà Tĩnh đến Lâm Đồng, trong đó trọng tâm là "
        "các tỉnh: Đắk Lắk, Gia Lai:",
        "a) Tổ chức xây dựng kế hoạch cụ thể.",
        "b) Rà soát số hộ bị ảnh hưởng. Chủ tịch Ủy ban nhân dân cấp tỉnh chịu trách nhiệm toàn diện trước "
        "Thủ tướng Chính phủ về tính chính xác của thông tin.",
        "2. Giao Bộ Xây dựng hướng dẫn các địa phương.",
    )))
    assert rec.assignments[0].assignees == ["Chủ tịch Ủy ban nhân dân các tỉnh, thành phố từ Hà Tĩnh đến Lâm Đồng"]


def test_party_committees_listed_as_addressee(extract) -> None:
    rec = extract(letter(body=(
        "1. Ban Tuyên giáo và Dân vận Trung ương chủ trì hướng dẫn, kiểm tra.",
        "2. Các tỉnh ủy, thành ủy, đảng ủy trực thuộc Trung ương cụ thể hóa hướng dẫn này.",
    )))
    assert rec.assignments[1].assignees == ["Các tỉnh ủy, thành ủy, đảng ủy trực thuộc Trung ương"]


def test_head_of_generic_bodies_is_nobody(extract) -> None:
    """"Người đứng đầu cơ quan, tổ chức, đơn vị được giao nhiệm vụ" and "Thủ trưởng các cơ
    quan, đơn vị có liên quan" name no one; "Thủ trưởng các sở, ban, ngành" does."""
    rec = extract(letter(body=(
        "1. Người đứng đầu cơ quan, tổ chức, đơn vị được giao nhiệm vụ chủ động triển khai thực hiện.",
        "2. Thủ trưởng các sở, ban, ngành chủ động triển khai thực hiện.",
        "3. Thủ trưởng các cơ quan, đơn vị có liên quan chủ động triển khai thực hiện.",
    )))
    assert [a.assignees for a in rec.assignments] == [[], ["Thủ trưởng các sở, ban, ngành"], []]


def test_generic_word_after_a_name_is_not_part_of_it(extract) -> None:
    rec = extract(letter(body=(
        "1. Sở Văn hóa và Thể thao, Đài Phát thanh và Truyền hình tỉnh, cơ quan thông tấn báo chí chủ động "
        "tuyên truyền.",
    )))
    assert rec.assignments[0].assignees == ["Sở Văn hóa và Thể thao", "Đài Phát thanh và Truyền hình tỉnh"]


def test_zero_padded_label(extract) -> None:
    rec = extract(letter(body=("04. Rà soát hồ sơ.", "05. Báo cáo kết quả.")))
    assert [a.label for a in rec.assignments] == ["4", "5"]
    assert rec.assignments[1].text == "Báo cáo kết quả."


def test_zero_padded_child_label(extract) -> None:
    rec = extract(letter(body=("II. NHIỆM VỤ", "1. Tăng cường tuyên truyền.", "2. Rà soát thủ tục.",
                               "05. Báo cáo kết quả.")))
    assert [c.label for c in rec.assignments[0].children] == ["1", "2", "5"]


def test_wrapped_date_is_not_an_item(extract) -> None:
    rec = extract(letter(body=(
        "1. Bảo đảm tiến độ triển khai theo Kế hoạch số 12/KH-UBND ngày\n06/6/2023 của UBND tỉnh.",
        "2. Phân công rõ trách nhiệm.",
    )))
    assert [a.label for a in rec.assignments] == ["1", "2"]
    assert rec.assignments[0].text == (
        "Bảo đảm tiến độ triển khai theo Kế hoạch số 12/KH-UBND ngày 06/6/2023 của UBND tỉnh.")
    assert rec.assignments[0].children == []


def test_item_text_joins_wrapped_lines(extract) -> None:
    rec = extract(letter(body=("1. Tăng cường bồi dưỡng kiến thức cho đội ngũ cán bộ và\ncông chức của các đơn vị.",)))
    assert rec.assignments[0].text == "Tăng cường bồi dưỡng kiến thức cho đội ngũ cán bộ và công chức của các đơn vị."


def test_no_items(extract) -> None:
    rec = extract(letter(body=("UBND thành phố đề nghị Sở Tài chính quan tâm, phối hợp.",)))
    assert rec.assignments == []
    assert rec.tasks == []


# --------------------------------------------------------------------------- assignees


def _one(extract, item: str, **kw):
    rec = extract(letter(body=(item,), **kw))
    assert len(rec.assignments) == 1, [a.label for a in rec.assignments]
    return rec, rec.assignments[0]


def test_lead_with_cung(extract) -> None:
    _, a = _one(extract, "7. Giao Văn phòng HĐND-UBND thành phố chủ trì cùng UBND các phường, xã tập trung "
                         "đầu tư cơ sở vật chất tại Bộ phận một cửa theo lộ trình, kế hoạch cụ thể.")
    assert a.lead == "Văn phòng HĐND-UBND thành phố"
    assert a.support == ["UBND các phường, xã"]
    assert a.assignees == ["Văn phòng HĐND-UBND thành phố", "UBND các phường, xã"]


def test_lead_with_several_supporters_in_order(extract) -> None:
    _, a = _one(extract, "1. Giao Sở Xây dựng chủ trì, phối hợp với Trung tâm Chuyển đổi số Thành phố, Công an "
                         "Thành phố, Sở Nông nghiệp và Môi trường triển khai thực hiện.")
    assert a.lead == "Sở Xây dựng"
    assert a.support == ["Trung tâm Chuyển đổi số Thành phố", "Công an Thành phố", "Sở Nông nghiệp và Môi trường"]
    assert a.assignees == [a.lead, *a.support]


def test_unit_with_co_trach_nhiem(extract) -> None:
    _, a = _one(extract, "2. Sở Tài chính có trách nhiệm bố trí kinh phí thực hiện.")
    assert a.lead == "Sở Tài chính"
    assert a.support == []
    assert a.assignees == ["Sở Tài chính"]


def test_item_addressed_to_nobody_goes_to_every_recipient(extract) -> None:
    rec, a = _one(extract, "1. Tăng cường công tác tuyên truyền, phổ biến pháp luật.",
                  recipients=("Kính gửi:", "- Các cơ quan chuyên môn thuộc thành phố;", "- UBND các phường, xã."))
    assert a.assignees == [] and a.lead is None and a.support == []
    assert [(t.assignee, t.role) for t in rec.tasks] == [
        ("Các cơ quan chuyên môn thuộc thành phố", "recipient"), ("UBND các phường, xã", "recipient")]
    assert all(t.assignment == "1" for t in rec.tasks)


@pytest.mark.parametrize(
    "item",
    [
        "5. Yêu cầu các cơ quan, đơn vị, UBND các phường xã cần chủ động nghiên cứu, đề xuất sáng kiến CCHC.",
        "1. Yêu cầu Sở Tài chính, Sở Xây dựng rà soát hồ sơ.",
        "1. Đề nghị Sở Tài chính và Sở Xây dựng rà soát hồ sơ.",
        "1. Tập trung rà soát hồ sơ. Giao Sở Xây dựng chủ trì thực hiện.",
        "1. Giao Sở Xây dựng chủ trì, phối hợp với Công an Thành phố triển khai thực hiện.",
    ],
)
def test_assignees_start_with_the_lead(extract, item: str) -> None:
    """No supporter without a lead: assignees == [lead, *support], or all empty."""
    rec, a = _one(extract, item)
    if a.assignees:
        assert a.lead == a.assignees[0]
        assert a.assignees == [a.lead, *a.support]
        assert [t.role for t in rec.tasks] == ["lead"] + ["support"] * len(a.support)
    else:
        assert a.lead is None and a.support == []


def test_generic_units_before_a_named_unit(extract) -> None:
    _, a = _one(extract, "1. Yêu cầu Sở Tài chính, Sở Xây dựng rà soát hồ sơ.")
    assert (a.lead, a.support) == ("Sở Tài chính", ["Sở Xây dựng"])
    _, a = _one(extract, "5. Yêu cầu các cơ quan, đơn vị, UBND các phường xã cần chủ động nghiên cứu.")
    assert "các cơ quan" not in " ".join(a.assignees).lower()
    assert a.support == []


SEED = Path(__file__).resolve().parents[2] / "shared" / "seed"


def test_seed_letter_assignees_match_the_answer_key(tmp_path: Path) -> None:
    if not (SEED / "letter.md").exists():
        pytest.skip(f"seed letter not found at {SEED}")
    truth = json.loads((SEED / "letter.truth.json").read_text(encoding="utf-8"))
    letter_path = tmp_path / "letter.md"
    shutil.copyfile(SEED / "letter.md", letter_path)
    rec = extract_file(letter_path)
    got = {a.label: a.assignees for a in rec.assignments}
    want = {a["label"]: a["assignees"] for a in truth["assignments"]}
    assert got == want
    for a in rec.assignments:
        assert a.lead == (a.assignees[0] if a.assignees else None)


# ------------------------------------------------------------------------------ deadlines


@pytest.mark.parametrize(
    ("text", "deadline", "phrase"),
    [
        ("báo cáo kết quả trước ngày 30/9/2024.", "2024-09-30", "trước ngày 30/9/2024"),
        ("bố trí kinh phí, chậm nhất ngày 15 tháng 10 năm 2024.", "2024-10-15", "chậm nhất ngày 15 tháng 10 năm 2024"),
        ("rà soát hồ sơ, xong trước 15/11.", "2024-11-15", "xong trước 15/11"),
        ("rà soát hồ sơ, xong trước 15/01.", "2025-01-15", "xong trước 15/01"),  # next year's 15 January
        ("Trước ngày 05/10/2024, các đơn vị báo cáo.", "2024-10-05", "Trước ngày 05/10/2024"),
    ],
)
def test_find_deadline(text: str, deadline: str, phrase: str) -> None:
    value, printed = find_deadline(text, "2024-08-15")
    assert value == deadline
    assert printed is not None and phrase in printed


def test_find_deadline_recurring() -> None:
    assert find_deadline("báo cáo định kỳ hằng quý.", "2024-08-15") == (None, "định kỳ hằng quý")
    assert find_deadline("thường xuyên rà soát.", "2024-08-15") == (None, "thường xuyên")


def test_find_deadline_none() -> None:
    assert find_deadline("Tăng cường công tác tuyên truyền.", "2024-08-15") == (None, None)


def test_short_deadline_needs_the_letter_year() -> None:
    assert find_deadline("xong trước 15/11.", None)[0] is None


def test_deadlines_in_letter(extract) -> None:
    rec = extract(letter(
        recipients=("Kính gửi:", "- Sở Tài chính;", "- Sở Xây dựng."),
        body=(
            "1. Giao Sở Xây dựng chủ trì triển khai, hoàn thành trước ngày 30/9/2024.",
            "2. Sở Tài chính có trách nhiệm bố trí kinh phí, chậm nhất ngày 15 tháng 10 năm 2024.",
            "3. Giao Sở Xây dựng rà soát hồ sơ, xong trước 15/11.",
            "4. Tăng cường công tác tuyên truyền, báo cáo định kỳ hằng quý.",
            "5. Tổng kết công tác năm.",
        )))
    a = {x.label: x for x in rec.assignments}
    assert a["1"].deadline == "2024-09-30" and "trước ngày 30/9/2024" in a["1"].deadline_text
    assert a["2"].deadline == "2024-10-15" and "chậm nhất ngày 15 tháng 10 năm 2024" in a["2"].deadline_text
    assert a["3"].deadline == "2024-11-15" and "xong trước 15/11" in a["3"].deadline_text
    assert a["4"].deadline is None and a["4"].deadline_text == "định kỳ hằng quý"
    assert a["5"].deadline is None and a["5"].deadline_text is None
    by_label = {}
    for t in rec.tasks:
        by_label.setdefault(t.assignment, []).append(t)
    assert by_label["4"] and all(t.recurring for t in by_label["4"])
    assert all(t.deadline is None and t.deadline_text == "định kỳ hằng quý" for t in by_label["4"])
    for label in ("1", "2", "3", "5"):
        assert by_label[label] and not any(t.recurring for t in by_label[label])
        assert all(t.deadline == a[label].deadline for t in by_label[label])


@pytest.mark.parametrize(("text", "printed"), [
    ("Tổng hợp báo cáo, hoàn thành trong tháng 10/2024.", "hoàn thành trong tháng 10/2024"),
    ("Tổ chức hội nghị trong tháng 12 năm 2025.", "trong tháng 12 năm 2025"),
    ("Hoàn thành trong quý IV/2024.", "Hoàn thành trong quý IV/2024"),
])
def test_deadline_within_a_month(text: str, printed: str) -> None:
    """Regression: month-only deadlines gave no deadline_text. No day, so no ISO date."""
    assert find_deadline(text, "2024-08-15") == (None, printed)


def test_period_fronting_a_sentence_is_no_deadline() -> None:
    assert find_deadline("Trong quý III năm 2024, các phòng đã hoàn thành các nhiệm vụ.", "2024-08-15") == (None, None)


def test_dated_deadline_wins_over_a_month() -> None:
    assert find_deadline("Trong tháng 10/2024 rà soát, báo cáo trước ngày 15/10/2024.", "2024-08-15") == (
        "2024-10-15", "trước ngày 15/10/2024")


# --------------------------------------------------------------------------------- signer


@pytest.mark.parametrize(
    ("block", "prefix", "title", "name"),
    [
        (("KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "", "Nguyễn Văn A"), "KT.", "PHÓ CHỦ TỊCH", "Nguyễn Văn A"),
        (("TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "", "Nguyễn Văn A"), "TM.", "PHÓ CHỦ TỊCH",
         "Nguyễn Văn A"),
        (("TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "", "Nguyễn Văn A"), "TM.", "CHỦ TỊCH", "Nguyễn Văn A"),
        (("K/T GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "", "Trần Thị C"), "KT.", "PHÓ GIÁM ĐỐC", "Trần Thị C"),
        (("KT GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "", "Lê Văn D"), "KT.", "PHÓ GIÁM ĐỐC", "Lê Văn D"),
        (("TL. CHỦ TỊCH", "CHÁNH VĂN PHÒNG", "", "Hoàng Văn E"), "TL.", "CHÁNH VĂN PHÒNG", "Hoàng Văn E"),
        (("CHỦ TỊCH", "", "Nguyễn Văn Hạnh"), None, "CHỦ TỊCH", "Nguyễn Văn Hạnh"),
        (("KT.CHỦ TỊCH", "PHÓ CHỦ TỊCH", "", "Nguyễn Văn A"), "KT.", "PHÓ CHỦ TỊCH", "Nguyễn Văn A"),
        (("KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "", "(Đã ký)", "", "Nguyễn Văn A"), "KT.", "PHÓ CHỦ TỊCH", "Nguyễn Văn A"),
    ],
)
def test_signer(extract, block, prefix, title, name) -> None:
    rec = extract(letter(signer=block))
    s = rec.signer
    assert s is not None
    assert (s.prefix, s.title, s.name) == (prefix, title, name)
    assert s.block == [x for x in block if x]


@pytest.mark.parametrize(
    ("printed", "canonical"),
    [("KT.", "KT."), ("KT", "KT."), ("K/T", "KT."), ("T/M", "TM."), ("TM", "TM."), ("TL.", "TL."),
     ("TUQ.", "TUQ."), ("Q.", "Q."), ("XYZ", None)],
)
def test_canonical_prefix(printed: str, canonical: str | None) -> None:
    assert canonical_prefix(printed) == canonical


def test_signer_is_not_a_body_item(extract) -> None:
    rec = extract(letter(signer=("KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "", "Nguyễn Văn A")))
    assert all("CHỦ TỊCH" not in a.text for a in rec.assignments)
    assert all("Nguyễn Văn A" not in d for d in rec.distribution)


@pytest.mark.parametrize(("signer", "title"), [
    (SIGNER, "CHỦ TỊCH"),
    (("KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "", "(Đã ký)", "", "Nguyễn Văn Hạnh"), "PHÓ GIÁM ĐỐC"),
])
def test_signer_without_distribution_or_end_mark(extract, signer, title) -> None:
    """Regression: with neither 'Nơi nhận' nor './.', the signer block became body text."""
    rec = extract(letter(body=("1. Sở Tài chính có trách nhiệm bố trí kinh phí.",), closing=None, distribution=(),
                         signer=signer))
    assert rec.signer is not None and rec.signer.name == "Nguyễn Văn Hạnh"
    assert rec.signer.title == title
    assert rec.assignments[0].assignees == ["Sở Tài chính"]
    assert rec.assignments[0].text == "Sở Tài chính có trách nhiệm bố trí kinh phí."


def test_letter_ending_with_a_heading_and_a_name_like_line_keeps_its_body(extract) -> None:
    """Without 'Nơi nhận' or './.', a body that merely ends in capitals is not a signer block."""
    rec = extract(letter(body=("1. Sở Tài chính có trách nhiệm bố trí kinh phí.", "2. Báo cáo kết quả về Sở Nội vụ."),
                         closing=None, distribution=(), signer=()))
    assert rec.signer is None
    assert [a.label for a in rec.assignments] == ["1", "2"]


# ----------------------------------------------------------------------------- Nơi nhận


def test_distribution_entries(extract) -> None:
    rec = extract(letter(distribution=(
        "Nơi nhận:", "", "- Như trên;", "- CT, các PCT UBND;", "- UBND các phường, xã;", "- Lưu: VT, VP.")))
    assert rec.distribution == ["Như trên", "CT, các PCT UBND", "UBND các phường, xã", "Lưu: VT, VP"]


def test_distribution_wrapped_entry(extract) -> None:
    rec = extract(letter(distribution=(
        "Nơi nhận:", "- Ủy ban MTTQ Việt Nam và các tổ chức", "chính trị - xã hội thành phố;", "- Lưu: VT (TTPT).")))
    assert rec.distribution == ["Ủy ban MTTQ Việt Nam và các tổ chức chính trị - xã hội thành phố", "Lưu: VT (TTPT)"]


@pytest.mark.parametrize(
    ("printed", "entry"),
    [("- Như trên;", "Như trên"), ("- Lưu: VT, VP.", "Lưu: VT, VP"), ("+ Sở Tài chính;", "Sở Tài chính"),
     ("• UBND các xã.", "UBND các xã"), ("-  CT,  các PCT UBND ;", "CT, các PCT UBND")],
)
def test_strip_item(printed: str, entry: str) -> None:
    assert strip_item(printed) == entry


# ----------------------------------------------------------------------------------- tasks

TASK_LETTER = letter(
    recipients=("Kính gửi:", "- Sở Tài chính;", "- Sở Xây dựng."),
    body=(
        "1. Giao Sở Xây dựng chủ trì, phối hợp với Công an Thành phố, Sở Tài chính triển khai thực hiện.",
        "2. Sở Tài chính có trách nhiệm bố trí kinh phí.",
        "3. Tăng cường công tác tuyên truyền.",
    ),
)


def test_tasks_one_per_assignment_and_unit(extract) -> None:
    rec = extract(TASK_LETTER)
    expected = []
    for a in rec.assignments:
        if a.assignees:
            expected += [(a.label, a.lead, "lead")] + [(a.label, s, "support") for s in a.support]
        else:
            expected += [(a.label, r, "recipient") for r in rec.recipients]
    assert [(t.assignment, t.assignee, t.role) for t in rec.tasks] == expected
    assert expected == [
        ("1", "Sở Xây dựng", "lead"), ("1", "Công an Thành phố", "support"), ("1", "Sở Tài chính", "support"),
        ("2", "Sở Tài chính", "lead"),
        ("3", "Sở Tài chính", "recipient"), ("3", "Sở Xây dựng", "recipient"),
    ]
    assert len({(t.assignment, t.assignee) for t in rec.tasks}) == len(rec.tasks)
    for t in rec.tasks:
        assert t.document.number_symbol == "12/UBND-VX" and t.document.date == "2024-08-15"
        assert t.action == next(a.text for a in rec.assignments if a.label == t.assignment)


def test_task_ids_are_stable_and_distinct(extract, tmp_path: Path) -> None:
    path = tmp_path / "same.md"
    path.write_text(TASK_LETTER, encoding="utf-8")
    first = extract_file(path)
    second = extract_file(path)
    assert [t.task_id for t in first.tasks] == [t.task_id for t in second.tasks]
    # a copy under another name has the same bytes, so the same document id and task ids
    copy = tmp_path / "copy.md"
    shutil.copyfile(path, copy)
    assert [t.task_id for t in extract_file(copy).tasks] == [t.task_id for t in first.tasks]
    ids = [t.task_id for t in first.tasks]
    assert len(set(ids)) == len(ids)
    assert all(i.startswith("task:") for i in ids)
    # another letter (other bytes) gets other ids
    other = extract(TASK_LETTER.replace("Số: 12/UBND-VX", "Số: 13/UBND-VX"))
    assert not set(ids) & {t.task_id for t in other.tasks}


def test_task_id_function() -> None:
    doc = "sha256:" + "0" * 64
    a = task_id(doc, "1", "Sở Tài chính")
    assert a == task_id(doc, "1", "Sở Tài chính")
    assert a == task_id(doc, "1", "SỞ TÀI CHÍNH")  # compared case-folded
    assert a != task_id(doc, "1", "Sở Xây dựng")
    assert a != task_id(doc, "2", "Sở Tài chính")
    assert a != task_id("sha256:" + "1" * 64, "1", "Sở Tài chính")


# --------------------------------------------------------------------------- text hygiene


def test_latin_eth_becomes_d_stroke(extract) -> None:
    text = letter(
        issuer=("UBND TỈNH LẠNG SƠN", "SỞ GIÁO DỤC VÀ ĐÀO TẠO"),
        before_number=(STAMP,),
        number="Số: 19/QĐ-SGDĐT",
        title=("QUYẾT ĐỊNH", "Về việc ban hành Quy chế"),
        subject=(), recipients=(),
        body=("Căn cứ Nghị định 30/2020/NĐ-CP ngày 05/3/2020 của Chính phủ;", "QUYẾT ĐỊNH:",
              "Điều 1. Ban hành Quy chế.", "Điều 2. Chánh Văn phòng Sở chịu trách nhiệm thi hành Quyết định này./."),
        closing=None,
    )
    text = text.replace("Đ", "\u00d0")
    assert "\u00d0" in text and "Đ" not in text
    rec = extract(text)
    assert rec.number_symbol == "19/QĐ-SGDĐT"
    assert rec.issuer == "SỞ GIÁO DỤC VÀ ĐÀO TẠO"
    assert rec.doc_type == "Quyết định"
    assert rec.receipt_stamp is not None and rec.receipt_stamp.number == "2771"
    assert [a.label for a in rec.assignments] == ["Điều 1", "Điều 2"]
    assert [r.number_symbol for r in rec.references] == ["30/2020/NĐ-CP"]
    assert "\u00d0" not in rec.to_json()


def test_nfd_input_comes_out_nfc(extract) -> None:
    text = letter(
        issuer=("UBND TỈNH LẠNG SƠN", "SỞ NỘI VỤ"),
        number="Số: 04/SNV-VP",
        recipients=("Kính gửi:", "- Sở Tài chính;", "- Sở Xây dựng."),
        body=("Thực hiện Công văn số 4114/VP-NC ngày 08/8/2024 của Văn phòng UBND tỉnh về việc triển khai.",
              "1. Giao Sở Xây dựng chủ trì, phối hợp với Sở Tài chính rà soát, hoàn thành trước ngày 30/9/2024.",
              "2. Tăng cường công tác tuyên truyền."),
        signer=("KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "", "Nguyễn Thị Hoà"),
    )
    nfd = unicodedata.normalize("NFD", text)
    assert nfd != text
    rec = extract(nfd)
    data = json.loads(rec.to_json())
    bad = [s for s in strings(data) if not unicodedata.is_normalized("NFC", s)]
    assert bad == []
    # and the fields were read as if the input had been NFC
    assert rec.issuer == "SỞ NỘI VỤ" and rec.parent_issuer == "UBND TỈNH LẠNG SƠN"
    assert rec.date == "2024-08-15"
    assert rec.subject == "V/v triển khai nhiệm vụ năm 2024"
    assert rec.recipients == ["Sở Tài chính", "Sở Xây dựng"]
    assert rec.assignments[0].lead == "Sở Xây dựng" and rec.assignments[0].support == ["Sở Tài chính"]
    assert rec.assignments[0].deadline == "2024-09-30"
    assert rec.references[0].issuer == "Văn phòng UBND tỉnh"
    assert rec.signer is not None and rec.signer.prefix == "KT." and rec.signer.name == "Nguyễn Thị Hoà"


def test_txt_and_md_give_the_same_fields(extract) -> None:
    text = letter(issuer=("**ỦY BAN NHÂN DÂN", "THÀNH PHỐ LẠNG SƠN**"))
    md = extract(text, "letter.md")
    txt = extract(letter(), "letter.txt")
    assert md.source.media_type == "text/markdown" and txt.source.media_type == "text/plain"
    assert md.source.text_source == txt.source.text_source == "plain-text"
    for field in ("issuer", "number_symbol", "date", "subject", "recipients", "distribution"):
        assert getattr(md, field) == getattr(txt, field), field
    assert md.issuer == "ỦY BAN NHÂN DÂN THÀNH PHỐ LẠNG SƠN"


def test_unit_name_with_a_dash_inside_is_one_unit():
    # "Sở Lao động - Thương binh và Xã hội" was cut at the dash (real scan qngai-660)
    from vanthu.pipeline.fields.nlp import units_in

    def names(t):
        return [t[a:b] for a, b in units_in(t)]

    assert names("Sở Lao động - Thương binh và Xã hội chịu trách nhiệm hướng dẫn") == ["Sở Lao động - Thương binh và Xã hội"]
    assert names("Ngân hàng Nhà nước - Chi nhánh Quảng Ngãi chỉ đạo") == ["Ngân hàng Nhà nước - Chi nhánh Quảng Ngãi"]
    assert names("Giao Sở Tài chính - Sở Kế hoạch và Đầu tư phối hợp") == ["Sở Tài chính", "Sở Kế hoạch và Đầu tư"]


def test_list_entry_ending_in_a_colon_misread_for_a_semicolon():
    from vanthu.pipeline.fields.entries import strip_item

    assert strip_item("- Ủy ban MTTQVN Tỉnh:") == "Ủy ban MTTQVN Tỉnh"
    assert strip_item("- Các Sở: Lao động, Xây dựng;") == "Các Sở: Lao động, Xây dựng"


def test_subject_in_capitals_stops_where_running_text_begins():
    # OCR has no bold: "…TỈNH QUẢNG TRỊ Trong những năm qua…" ran on into the subject
    from vanthu.models.document import Line
    from vanthu.pipeline.layout.regions import split_regions

    def ln(text, y, column="center"):
        return Line(text=text, page=1, x0=300, y0=y, x1=2100, y1=y + 45, column=column, unit="px")

    lines = [Line(text="Số: 06/CT-UBND", page=1, x0=300, y0=400, x1=800, y1=445, column="left", unit="px"),
             ln("CHỈ THỊ", 560), ln("VỀ TĂNG CƯỜNG CÔNG TÁC PHÒNG CHÁY", 620),
             ln("TRÊN ĐỊA BÀN TỈNH QUẢNG TRỊ", 680),
             ln("Trong những năm qua, công tác phòng cháy đã đạt nhiều kết quả", 735, column="full")]
    regions = split_regions(lines)
    assert [x.text for x in regions.title] == ["CHỈ THỊ", "VỀ TĂNG CƯỜNG CÔNG TÁC PHÒNG CHÁY", "TRÊN ĐỊA BÀN TỈNH QUẢNG TRỊ"]
    assert regions.body[0].text.startswith("Trong những năm qua")


def test_garbled_signer_title_from_a_scan_is_matched_to_an_official_title():
    from vanthu.pipeline.fields.signer import known_title

    assert known_title("{.HU TỊCH") == "CHỦ TỊCH"
    assert known_title("1 IỦ TƯỚNG") == "THỦ TƯỚNG"
    assert known_title("PHÓỎ CHỦ TỊCH") == "PHÓ CHỦ TỊCH"
    # printed titles that are not in the vocabulary stay as printed
    assert known_title("CHỦ TỊCH UBND TỈNH") == "CHỦ TỊCH UBND TỈNH"
    assert known_title("TRƯỞNG BAN CHỈ ĐẠO") == "TRƯỞNG BAN CHỈ ĐẠO"


def test_speck_before_a_header_line_is_not_part_of_the_issuer():
    from vanthu.models.document import Line, Regions
    from vanthu.pipeline.fields.header import read_header
    from vanthu.pipeline.provenance import ProvenanceLog

    regions = Regions(header_left=(Line(text=". CỤC THUẾ", page=1), Line(text="'ỦY BAN NHÂN DÂN", page=1),
                                   Line(text="TỈNH NGHỆ AN", page=1)))
    h = read_header(regions, ProvenanceLog())
    assert h["parent_issuer"] == "CỤC THUẾ" and h["issuer"] == "ỦY BAN NHÂN DÂN TỈNH NGHỆ AN"


def test_specks_before_the_place_and_around_the_subject_are_dropped(extract) -> None:
    """Regression (noisy scans): "_Nghệ An, ngày …" gave the place "_Nghệ An"; a speck
    before a subject in capitals ("'VỀ VIỆC …") and a dash after it stayed in it."""
    rec = extract(letter(place_date="_Nghệ An, ngày 26 tháng 11 năm 2025", subject=(),
                         title=("KẾ HOẠCH", "'VỀ VIỆC ĐỔI MỚI BẢN TIN -")))
    assert rec.place == "Nghệ An"
    assert rec.subject == "VỀ VIỆC ĐỔI MỚI BẢN TIN"
    assert rec.doc_type == "Kế hoạch"


def test_speck_before_the_signer_prefix_keeps_the_prefix() -> None:
    """Regression (noisy scan): the seal left "- " before "TM. ỦY BAN NHÂN DÂN", so the
    prefix was taken from the "KT. CHỦ TỊCH" line below it."""
    from vanthu.models.document import Line, Regions
    from vanthu.pipeline.provenance import ProvenanceLog
    from vanthu.pipeline.fields.signer import read_signer

    def ln(text, y):
        return Line(text=text, page=5, x0=1385, y0=y, x1=2000, y1=y + 50, column="right", unit="px")

    block = (ln("- TM. ỦY BAN NHÂN DÂN", 2225), ln("KT. CHỦ TỊCH", 2285), ln("PHÓ CHỦ TỊCH", 2367),
             ln("Bùi Thanh An", 2661))
    signer = read_signer(Regions(signer=block), ProvenanceLog())
    assert signer.prefix == "TM."
    assert signer.title == "PHÓ CHỦ TỊCH"
    assert signer.name == "Bùi Thanh An"
    assert signer.block[0] == "- TM. ỦY BAN NHÂN DÂN"  # the block stays as printed


def test_heading_number_misread_as_the_one_before_it_is_renumbered(extract) -> None:
    """Regression (noisy scans): "III. KINH PHÍ" read as "II." gave two items II and no
    III; a heading number never repeats, and IV after it confirms III."""
    body = ("I. MỤC ĐÍCH\nTăng cường công tác.", "II. NỘI DUNG\nGiao Sở Nội vụ chủ trì.",
            "II. KINH PHÍ\nGiao Sở Tài chính bố trí kinh phí.", "IV. TỔ CHỨC THỰC HIỆN\nCác sở thực hiện.")
    rec = extract(letter(body=body))
    assert [a.label for a in rec.assignments] == ["I", "II", "III", "IV"]
    # two equal labels with nothing to confirm the sequence stay as printed
    body = ("I. MỤC ĐÍCH\nTăng cường.", "II. NỘI DUNG\nGiao Sở Nội vụ.", "II. KINH PHÍ\nGiao Sở Tài chính.",
            "V. TỔ CHỨC\nCác sở thực hiện.")
    assert [a.label for a in extract(letter(body=body)).assignments] == ["I", "II", "II", "V"]


def test_roman_heading_with_a_speck_before_it():
    from vanthu.pipeline.ocr.postcorrect import correct_words
    from tests.test_ocr import words

    assert [w.text for w in correct_words(words("-IH.", "NỘI", "DUNG"))] == ["II.", "NỘI", "DUNG"]


def test_garbled_kt_prefix_is_known_from_the_deputy_title_below_it() -> None:
    """Regression (noisy scan): "KT. CHỦ TỊCH" read as "11T. CHỦ TỊCH" above "PHÓ CHỦ
    TỊCH" gave no prefix; only a deputy signing for the head stands under such a line."""
    from vanthu.models.document import Line, Regions
    from vanthu.pipeline.provenance import ProvenanceLog
    from vanthu.pipeline.fields.signer import read_signer

    def ln(text, y):
        return Line(text=text, page=4, x0=1490, y0=y, x1=2000, y1=y + 50, column="right", unit="px")

    def signer(*texts):
        block = tuple(ln(t, 400 + 80 * i) for i, t in enumerate(texts))
        return read_signer(Regions(signer=block), ProvenanceLog())

    got = signer("11T. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Trần Thị Diệu Thúy")
    assert (got.prefix, got.title, got.name) == ("KT.", "PHÓ CHỦ TỊCH", "Trần Thị Diệu Thúy")
    assert signer("TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Bùi Thanh An").prefix == "TM."
    assert signer("CHỦ TỊCH", "Nguyễn Văn Hạnh").prefix is None
    assert signer("PHÓ CHỦ TỊCH", "Nguyễn Văn Hạnh").prefix is None


def test_recipient_contact_details_are_not_part_of_the_recipient(extract) -> None:
    """Regression (cv-cucthue-2025-5330): the address and phone printed in parentheses
    under "Kính gửi: Bà …" were joined into the recipient."""
    rec = extract(letter(recipients=("Kính gửi: Bà Huỳnh Thị Mỹ Hằng",
                                     "(Địa chỉ: 33 Hai Bà Trưng, Phường Nghĩa Lộ, Tỉnh Quảng Ngãi;",
                                     "Số ĐT: 0971171792)")))
    assert rec.recipients == ["Bà Huỳnh Thị Mỹ Hằng"]
    # a parenthesis that is no contact detail stays
    rec = extract(letter(recipients=("Kính gửi: Ủy ban nhân dân các huyện (Bình Sơn, Sơn Tịnh).",)))
    assert rec.recipients == ["Ủy ban nhân dân các huyện (Bình Sơn, Sơn Tịnh)"]


def test_signer_block_under_seal_scraps_and_bleed_through() -> None:
    """Regression (hard synthetic scan): scraps of the seal and the signature read in
    capitals ("0N À2ZV") became the title, "PHÓ" read as a line of its own beside
    "CHỦ TỊCH" was lost, a scrap before "KT." hid the prefix, and one before the name
    stayed in it."""
    from vanthu.models.document import Line, Regions
    from vanthu.pipeline.provenance import ProvenanceLog
    from vanthu.pipeline.fields.signer import read_signer

    def ln(text, x0, y0, x1=1966, h=50):
        return Line(text=text, page=4, x0=x0, y0=y0, x1=x1, y1=y0 + h, column="right", unit="px")

    block = (ln("s- KT. CHỦ TỊCH", 1468, 444), ln("CHỦ TỊCH", 1677, 506), ln("txx-`*PHÓ", 1287, 505, h=69),
             ln("VHNHT", 1603, 609, 1700), ln("0N À2ZV", 1650, 669, 1800), ln("` TỬ Trân Thị Diệu Thúy", 1309, 776))
    got = read_signer(Regions(signer=block), ProvenanceLog())
    assert (got.prefix, got.title, got.name) == ("KT.", "PHÓ CHỦ TỊCH", "Trần Thị Diệu Thúy")
    # a prefix of its own is no scrap: "Q. CHÁNH VĂN PHÒNG"
    got = read_signer(Regions(signer=(ln("Q. CHÁNH VĂN PHÒNG", 1400, 400), ln("Lê Văn An", 1450, 700))),
                      ProvenanceLog())
    assert (got.prefix, got.title, got.name) == ("Q.", "CHÁNH VĂN PHÒNG", "Lê Văn An")


def test_law_name_holding_type_words_and_and_cited_again_by_name(extract) -> None:
    """Regression (qd-ubnd-nghean-2025-97): "Luật Ban hành văn bản quy phạm pháp luật số
    64/2025/QH15" was cut at "văn bản", "Luật Hỗ trợ doanh nghiệp nhỏ và vừa số
    04/2017/QH14" at "và" (its number then cited as a "Văn bản"), and the later mention
    of the same law by name alone was a citation of its own."""
    body = ("Căn cứ Luật Ban hành văn bản quy phạm pháp luật số 64/2025/QH15; Luật sửa đổi, bổ sung "
            "một số điều của Luật Ban hành văn bản quy phạm pháp luật số 87/2025/QH15;",
            "Căn cứ Luật Hỗ trợ doanh nghiệp nhỏ và vừa số 04/2017/QH14;",
            "Căn cứ Nghị định số 80/2021/NĐ-CP ngày 26/8/2021 của Chính phủ quy định chi tiết một số "
            "điều của Luật Hỗ trợ doanh nghiệp nhỏ và vừa;",
            "1. Giao Sở Tư pháp chủ trì thực hiện.")
    refs = [(r.doc_type, r.number_symbol, r.title) for r in extract(letter(body=body)).references]
    assert refs == [
        ("Luật", "64/2025/QH15", "Luật Ban hành văn bản quy phạm pháp luật"),
        ("Luật", "87/2025/QH15", "Luật Ban hành văn bản quy phạm pháp luật"),
        ("Luật", "04/2017/QH14", "Luật Hỗ trợ doanh nghiệp nhỏ và vừa"),
        ("Nghị định", "80/2021/NĐ-CP", None),
    ]


def test_units_a_heading_unit_is_told_to_work_with_support_it(extract) -> None:
    """Regression (real 01/CT-UBND): "Cục Thuế tỉnh: Chủ trì, phối hợp với các cơ quan,
    đơn vị có liên quan …" gave the lead only; those it works with are its support."""
    body = ("1. Cục Thuế tỉnh: Chủ trì, phối hợp với các cơ quan, đơn vị có liên quan triển khai "
            "áp dụng hóa đơn điện tử.",
            "2. Đài Phát thanh và Truyền hình tỉnh, Báo Quảng Ngãi: Phối hợp với Cơ quan Thuế xây dựng "
            "nội dung tuyên truyền.")
    got = [(a.lead, a.support) for a in extract(letter(body=body)).assignments]
    assert got == [("Cục Thuế tỉnh", ["các cơ quan, đơn vị có liên quan"]),
                   ("Đài Phát thanh và Truyền hình tỉnh", ["Báo Quảng Ngãi", "Cơ quan Thuế"])]


def test_units_heading_unit_whose_first_bullet_leads_with_others_has_them_as_support(extract) -> None:
    """Regression (real 01/CT-UBND, scanned): "Cục Thuế tỉnh:" with its tasks as bullets,
    the first "- Chủ trì, phối hợp với các cơ quan, đơn vị có liên quan …", lost the
    support that the same text on one line gave. A bullet that comes to it later ("- Trên
    cơ sở chức năng nhiệm vụ, chủ trì, phối hợp với …") stays a task of its own."""
    body = ("1. Cục Thuế tỉnh:",
            "- Chủ trì, phối hợp với các cơ quan, đơn vị có liên quan triển khai hóa đơn điện tử.",
            "- Tổ chức tập huấn cho người nộp thuế.",
            "2. Sở Tài chính",
            "- Trên cơ sở chức năng nhiệm vụ, chủ trì, phối hợp với các cơ quan, đơn vị có liên quan "
            "tham mưu bố trí kinh phí.")
    got = [(a.lead, a.support) for a in extract(letter(body=body)).assignments]
    assert got == [("Cục Thuế tỉnh", ["các cơ quan, đơn vị có liên quan"]), ("Sở Tài chính", [])]


def test_units_a_name_in_capitals_after_va_is_part_of_the_heading_unit(extract) -> None:
    """Regression (real 01/CT-UBND): "Ban Quản lý Khu Kinh tế Dung Quất và các Khu công
    nghiệp tỉnh: …" had no lead ("Khu công nghiệp" is no unit of its own); and "Hiệp hội
    Doanh nghiệp tỉnh: …" was no unit at all."""
    body = ("6. Ban Quản lý Khu Kinh tế Dung Quất và các Khu công nghiệp tỉnh: Tuyên truyền, hướng dẫn các "
            "doanh nghiệp; đồng thời, phối hợp với Cơ quan Thuế tháo gỡ khó khăn.",
            "7. Sở Y tế và Bảo hiểm xã hội tỉnh: Hướng dẫn thực hiện.",
            "8. Hiệp hội Doanh nghiệp tỉnh: Tuyên truyền, hướng dẫn các Hội viên.")
    got = [(a.lead, a.support) for a in extract(letter(body=body)).assignments]
    assert got == [("Ban Quản lý Khu Kinh tế Dung Quất và các Khu công nghiệp tỉnh", ["Cơ quan Thuế"]),
                   ("Sở Y tế", ["Bảo hiểm xã hội tỉnh"]),
                   ("Hiệp hội Doanh nghiệp tỉnh", [])]


def test_units_a_capitalised_role_verb_ends_the_unit_name(extract) -> None:
    """Regression (real 05/CT-UBND, scanned): "Cục Thuế tỉnh Chủ trì, phối hợp với …" made
    "Cục Thuế tỉnh Chủ trì" the lead and lost its support; "VNPT Quảng Ngãi" was no unit."""
    body = ("1. Cục Thuế tỉnh Chủ trì, phối hợp với các Ngân hàng thương mại trên địa bàn tỉnh, "
            "VNPT Quảng Ngãi xây dựng Kế hoạch triển khai nộp thuế điện tử.",
            "2. VNPT Quảng Ngãi chủ động phối hợp với Cục Thuế tỉnh để triển khai nộp thuế điện tử.",
            "3. Sở Xây dựng hướng dẫn thực hiện.")
    got = [(a.lead, a.support) for a in extract(letter(body=body)).assignments]
    assert got == [("Cục Thuế tỉnh", ["các Ngân hàng thương mại trên địa bàn tỉnh", "VNPT Quảng Ngãi"]),
                   ("VNPT Quảng Ngãi", ["Cục Thuế tỉnh"]),
                   ("Sở Xây dựng", [])]


def test_units_a_word_that_begins_with_a_unit_head_is_no_unit(extract) -> None:
    """Regression (real 23/BC-UBND): "Ban hành các kế hoạch: …" made "Ban hành các kế
    hoạch" the lead ("Ban" is a unit head, "Ban hành" is to issue); "Trường hợp …",
    "Hội nghị …", "Đội ngũ …", "Cục bộ …" were leads too."""
    body = ("1. Ban hành các kế hoạch: Truyền thông và kiểm tra hoạt động kiểm soát TTHC năm 2025.",
            "2. Trường hợp có khó khăn, vướng mắc, báo cáo UBND tỉnh.",
            "3. Hội nghị tổng kết được tổ chức vào tháng 12.",
            "4. Đội ngũ cán bộ cần nâng cao năng lực.",
            "5. Ban Dân tộc tỉnh hướng dẫn thực hiện.",
            "6. Hội Nông dân tỉnh phối hợp với Trường Chính trị tỉnh tổ chức tập huấn.")
    got = [(a.lead, a.support) for a in extract(letter(body=body)).assignments]
    assert got == [(None, []), (None, []), (None, []), (None, []), ("Ban Dân tộc tỉnh", []),
                   ("Hội Nông dân tỉnh", ["Trường Chính trị tỉnh"])]


def test_units_a_name_the_segmenter_joins_to_va_is_kept_whole(extract) -> None:
    """Regression (real 565/TB-UBND, 660/TB-UBND): underthesea reads "và Xã hội" as one
    word, a verb, so "Sở Lao động - Thương binh và Xã hội" became "Sở Lao động - Thương
    binh" and the unit after it ("Ban Dân tộc tỉnh") was lost."""
    body = ("1. Giao Sở Lao động - Thương binh và Xã hội, Ban Dân tộc tỉnh theo chức năng, nhiệm vụ "
            "chịu trách nhiệm kiểm tra, đôn đốc.",
            "2. Sở Y tế và Bảo hiểm xã hội tỉnh: Hướng dẫn thực hiện.")
    got = [(a.lead, a.support) for a in extract(letter(body=body)).assignments]
    assert got == [("Sở Lao động - Thương binh và Xã hội", ["Ban Dân tộc tỉnh"]),
                   ("Sở Y tế", ["Bảo hiểm xã hội tỉnh"])]


def test_units_a_name_that_holds_a_comma_is_one_unit(extract) -> None:
    """Regression (real 565/TB-UBND): "Sở Giáo dục và Đào tạo, Sở Văn hóa, Thể thao và Du
    lịch theo chức năng, nhiệm vụ khẩn trương …" had no lead: the name stopped at the
    comma after "Văn hóa" and "Thể thao …" was no action."""
    body = ("1. Sở Giáo dục và Đào tạo, Sở Văn hóa, Thể thao và Du lịch theo chức năng, nhiệm vụ "
            "khẩn trương hoàn thành thủ tục đầu tư.",
            "2. Sở Tài chính, Sở Y tế thực hiện.")
    got = [(a.lead, a.support) for a in extract(letter(body=body)).assignments]
    assert got == [("Sở Giáo dục và Đào tạo", ["Sở Văn hóa, Thể thao và Du lịch"]), ("Sở Tài chính", ["Sở Y tế"])]


def test_units_heading_unit_whose_next_paragraph_opens_with_support_has_it(extract) -> None:
    """Regression (real 05/CT-UBND, scanned): "1. Cục Thuế tỉnh" on its own line and its
    first task as a paragraph without a bullet, "Chủ trì, phối hợp với …", lost the
    support; a later paragraph's helpers stay its own ("Tổ chức …, phối hợp với …")."""
    body = ("1. Cục Thuế tỉnh",
            "Chủ trì, phối hợp với các Ngân hàng thương mại trên địa bàn tỉnh, VNPT Quảng Ngãi "
            "xây dựng Kế hoạch triển khai.",
            "Tổ chức tập huấn, tuyên truyền.",
            "2. Sở Tài chính",
            "Tổ chức tập huấn, phối hợp với Sở Y tế.",
            "3. UBND các huyện, thành phố tích cực hỗ trợ Nhà đầu tư.")
    got = [(a.lead, a.support) for a in extract(letter(body=body)).assignments]
    assert got == [("Cục Thuế tỉnh", ["các Ngân hàng thương mại trên địa bàn tỉnh", "VNPT Quảng Ngãi"]),
                   ("Sở Tài chính", []),
                   ("UBND các huyện, thành phố", [])]


def test_units_a_list_of_generic_words_is_one_addressee(extract) -> None:
    """Regression (real 08/CT-UBND, 660/TB-UBND): "các cơ quan, đơn vị và UBND các xã" gave
    "các cơ quan" (a generic word after a name begins the next addressee, but not inside
    a list of generic words), and "các cơ quan, đơn vị và địa phương" two addressees."""
    body = ("1. Sở Y tế phối hợp với các cơ quan, đơn vị và UBND các xã triển khai.",
            "2. Sở Tài chính chủ trì, phối hợp với các cơ quan, đơn vị và địa phương: thẩm định hồ sơ.",
            "3. Đài Phát thanh và Truyền hình tỉnh, cơ quan thông tấn, báo chí tuyên truyền.")
    got = [(a.lead, a.support) for a in extract(letter(body=body)).assignments]
    assert got == [("Sở Y tế", ["các cơ quan, đơn vị", "UBND các xã"]),
                   ("Sở Tài chính", ["các cơ quan, đơn vị và địa phương"]),
                   ("Đài Phát thanh và Truyền hình tỉnh", [])]


@pytest.mark.parametrize("block, expected", [
    # a seal's scraps before the title, on its line: "PHÓ" was lost with them
    (("KT. CHỦ TỊCH", "(đ€©?.1 xJŸ:Ý PHÓ CHỦ TỊCH", "Lê Trường Sơn"), ("KT.", "PHÓ CHỦ TỊCH", "Lê Trường Sơn")),
    (("K/T TRƯỞNG BAN", "c‹ PHÓ TRƯỞNG BAN", "xử r3 ⁄ tr tên", "- Phạm Tất Thắng -"),
     ("KT.", "PHÓ TRƯỞNG BAN", "Phạm Tất Thắng")),  # and a dash after the name hid it
    # "Phó" read in lower case made the title the name
    (("TL. CỤC TRƯỞNG", "KT. CHÁNH VĂN PHÒNG", ": Phó CHÁNH VĂN PHÒNG", "xPHÓ", "Phạm Ngọc Lai"),
     ("TL.", "PHÓ CHÁNH VĂN PHÒNG", "Phạm Ngọc Lai")),
    # a deputy minister's title read as "head of"
    (("KT. BỘ TRƯỞNG", "THỦ TRƯỞNG", "Nguyễn Văn An"), ("KT.", "THỨ TRƯỞNG", "Nguyễn Văn An")),
    # scraps before a prefix that leave no title are no title
    (("KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "gnô+ztl3f/1 TM TẾ,", "Bùi Xuân Cường"), ("KT.", "PHÓ CHỦ TỊCH", "Bùi Xuân Cường")),
])
def test_signer_title_and_name_among_scraps_of_seal_and_signature(block, expected) -> None:
    """Regression (hard synthetic scans: hd-btgdvtw-2025-37, qd-ubnd-dongnai-2025-2813,
    tb-cucthue-2025-983, cv-bnv-2025-10989, kh-ubnd-nghean-2025-1026)."""
    from vanthu.models.document import Line, Regions
    from vanthu.pipeline.provenance import ProvenanceLog
    from vanthu.pipeline.fields.signer import read_signer

    lines = tuple(Line(text=t, page=2, x0=1400, y0=2200 + 60 * i, x1=2000, y1=2250 + 60 * i, column="right", unit="px")
                  for i, t in enumerate(block))
    got = read_signer(Regions(signer=lines), ProvenanceLog())
    assert (got.prefix, got.title, got.name) == expected


def test_distribution_entries_without_specks_of_the_scan(extract) -> None:
    """Regression (noisy and hard synthetic scans: qd-ubnd-nghean-2025-97, cv-vpcp-2025-11306,
    cv-sgddt-hcm-2025-5155): a speck read as an entry ("_", "`"), and specks round an entry
    ("Văn phòng Chính phủ; -", "_ - Bộ Tư pháp") stayed in the distribution list."""
    rec = extract(letter(distribution=("Nơi nhận:", "- Như Điều 4;", "_", "- Văn phòng Chính phủ; -",
                                       "_ - Bộ Tư pháp;", "`", "- Bộ trưởng (để b/c);", "- Lưu: VT, TCBC.")))
    assert rec.distribution == ["Như Điều 4", "Văn phòng Chính phủ", "Bộ Tư pháp", "Bộ trưởng (để b/c)",
                                "Lưu: VT, TCBC"]
