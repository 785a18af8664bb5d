"""Regressions (issue 18, synthetic scans' tuning part): misreads that cost a subject, an
issuer, a signer's name or a recipient on clean and noisy scans. Each row is printed text
as the scan read it → what the record must hold."""

from __future__ import annotations

import pytest

from tests.support.ocr import words
from vanthu.models.document import Line, Regions, Word
from vanthu.pipeline.fields.header import read_header
from vanthu.pipeline.layout.cues import unspecked
from vanthu.pipeline.layout.recipients import label_to_recipients
from vanthu.pipeline.ocr import syllables
from vanthu.pipeline.ocr.postcorrect import correct_words, phrase_indices
from vanthu.pipeline.provenance import ProvenanceLog
from vanthu.pipeline.rules.loader import patterns


def two_lines(first: list[str], second: list[str], gap: float = 6.0) -> list[Word]:
    """Two OCR lines of a paragraph, the second just below the first."""
    top = words(*first, y=100.0)
    below = words(*second, y=120.0 + gap)
    return [w.model_copy(update={"line": 1}) for w in top] + [w.model_copy(update={"line": 2}) for w in below]


@pytest.mark.parametrize(
    ("first", "second", "expected"),
    [
        # the word pair broken at the line's end: the next line's first word vouches
        ("CHÍNH SÁCH QUẬN", "LÝ GIÁ DỊCH VỤ", "CHÍNH SÁCH QUẢN LÝ GIÁ DỊCH VỤ"),
        # a line that ends a sentence does not run on: no neighbour across it
        ("Hà Nội.", "Lý do", "Hà Nội. Lý do"),
    ],
)
def test_syllables_are_vouched_for_across_a_line_break(first: str, second: str, expected: str) -> None:
    got = correct_words(two_lines(first.split(), second.split()))
    assert " ".join(w.text for w in got) == expected


def test_a_line_far_below_is_no_neighbour() -> None:
    got = correct_words(two_lines("CHÍNH SÁCH QUẬN".split(), "LÝ GIÁ".split(), gap=60.0))
    assert [w.text for w in got][2] == "QUẬN"


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("BỘ NÔNG NGHIỆP VÀ MỖI TRƯƠNG", "BỘ NÔNG NGHIỆP VÀ MÔI TRƯỜNG"),  # both marks misread
        ("và mỗi trường học", "và mỗi trường học"),  # "trường học" binds the second: kept
        ("và mỗi trương", "và mỗi trương"),  # running text: left to the one-syllable fixes
        ("Trần Văn Mỗi Trương", "Trần Văn Mỗi Trương"),  # a name in title case: kept
        ("các cơ quan, đơn vị", "các cơ quan, đơn vị"),  # words already: kept
    ],
)
def test_a_pair_misread_in_both_syllables_marks(line: str, expected: str) -> None:
    texts = line.split()
    assert syllables.fix_syllables(texts, phrase_indices(texts)) == expected.split()


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("hiệu quả công-tác chống", ["hiệu", "quả", "công tác", "chống"]),  # a speck read as a hyphen
        ("Bà Rịa-Vũng Tàu", ["Bà", "Rịa-Vũng", "Tàu"]),  # names keep theirs
        ("địa chỉ e-mail", ["địa", "chỉ", "e-mail"]),  # no word: kept
    ],
)
def test_a_speck_hyphen_inside_a_word(line: str, expected: list[str]) -> None:
    texts = line.split()
    assert syllables.fix_syllables(texts, phrase_indices(texts)) == expected


@pytest.mark.parametrize(
    ("text", "number", "symbol"),
    [
        ("_ Số: 010/CT-UBND", "010", "CT-UBND"),
        ("- Số: 1539/VLO-QLDN3", "1539", "VLO-QLDN3"),
        ("Số: 12/UBND-VX", "12", "UBND-VX"),
    ],
)
def test_a_speck_before_the_number_line(text: str, number: str, symbol: str) -> None:
    m = patterns().number_line.match(text)
    assert m is not None and (m.group("number"), m.group("symbol")) == (number, symbol)


def _line(text: str, column: str | None = None) -> Line:
    return Line(text=text, page=1, column=column)


@pytest.mark.parametrize(
    ("header_left", "issuer", "parent"),
    [
        # the short rule under the issuer read as letters
        (
            ["BAN CHẤP HÀNH TRUNG ƯƠNG", "BAN TUYÊN GIÁO VÀ DÂN VẬN", "Gụ"],
            "BAN TUYÊN GIÁO VÀ DÂN VẬN",
            "BAN CHẤP HÀNH TRUNG ƯƠNG",
        ),
        (["BỘ TÀI CHÍNH", "CỤC THUẾ", "-ọ"], "CỤC THUẾ", "BỘ TÀI CHÍNH"),
        # a short name in capitals is no scrap
        (["BỘ Y TẾ", "VỤ PC"], "VỤ PC", "BỘ Y TẾ"),
    ],
)
def test_a_scrap_under_the_issuer_is_no_part_of_it(header_left: list[str], issuer: str, parent: str) -> None:
    h = read_header(Regions(header_left=[_line(t, "left") for t in header_left]), ProvenanceLog())
    assert (h["issuer"], h["parent_issuer"]) == (issuer, parent)


@pytest.mark.parametrize(
    ("title", "subject"),
    [
        # a speck read as a full stop ending a title line that runs on
        (["CÔNG ĐIỆN", "VỀ VIỆC KỊP THỜI KHẮC PHỤC.", "HẬU QUẢ MƯA LŨ"], "VỀ VIỆC KỊP THỜI KHẮC PHỤC HẬU QUẢ MƯA LŨ"),
        # an abbreviation keeps its dot
        (["KẾ HOẠCH", "TỔ CHỨC HỘI NGHỊ TẠI TP.", "HỒ CHÍ MINH"], "TỔ CHỨC HỘI NGHỊ TẠI TP. HỒ CHÍ MINH"),
    ],
)
def test_a_stray_stop_ending_a_title_line(title: list[str], subject: str) -> None:
    h = read_header(Regions(title=[_line(t, "center") for t in title]), ProvenanceLog())
    assert h["subject"] == subject


@pytest.mark.parametrize(
    ("printed", "name"),
    [
        ("Trương Công 'Thái", "Trương Công Thái"),
        ("Hoàng Nam:", "Hoàng Nam"),
        ("‘Nguyễn Văn Hạnh", "Nguyễn Văn Hạnh"),
        ("Nguyễn Văn Hạnh", "Nguyễn Văn Hạnh"),
    ],
)
def test_specks_on_a_signers_name(printed: str, name: str) -> None:
    assert unspecked(printed) == name


def _at(text: str, x0: float, x1: float, y0: float) -> Line:
    return Line(text=text, page=1, x0=x0, x1=x1, y0=y0, y1=y0 + 60, unit="px")


def test_a_recipient_entry_wrapped_back_to_the_margin_left_of_an_indented_label() -> None:
    lines = [
        _at("THỦ TƯỚNG CHÍNH PHỦ điện:", 473, 900, 884),
        _at("- Bộ trưởng các Bộ: Tài chính, Nội vụ.", 474, 1400, 961),
        _at("- Chủ tịch Ủy ban nhân dân các tỉnh, thành phố", 474, 2130, 1051),
        _at("trực thuộc Trung ương: Hà Tĩnh, Quảng Trị, Huế.", 355, 2128, 1131),
        _at("Trong mấy ngày qua, mưa lũ đặc biệt lớn đã xảy ra tại khu vực", 473, 2130, 1205),
    ]
    out: list[Line] = []
    assert label_to_recipients(lines, 0, len(lines), out) == 4
    assert out[-1].text.startswith("trực thuộc")


def test_a_short_entry_does_not_wrap_into_the_body_left_of_the_label() -> None:
    lines = [
        _at("Kính gửi: Sở Tài chính", 473, 1100, 884),
        _at("Ngày 18/11/2025, Ủy ban nhân dân tỉnh nhận được văn bản của", 355, 2128, 961),
    ]
    out: list[Line] = []
    assert label_to_recipients(lines, 0, len(lines), out) == 1


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a letter may print old and new tone places in one list of Party committees
        ("Các tỉnh uỷ, thành ủy phối hợp Bộ Y tế, Bộ Nội vụ.", ["Các tỉnh uỷ, thành ủy", "Bộ Y tế", "Bộ Nội vụ"]),
        ("Các tỉnh ủy, thành uỷ phối hợp Bộ Y tế sắp xếp.", ["Các tỉnh ủy, thành uỷ", "Bộ Y tế"]),
        ("Các tỉnh uỷ, thành uỷ phối hợp Bộ Y tế sắp xếp.", ["Các tỉnh uỷ, thành uỷ", "Bộ Y tế"]),
    ],
)
def test_a_unit_head_with_mixed_tone_places(text: str, expected: list[str]) -> None:
    from vanthu.pipeline.fields.unitbounds import units_in

    assert [text[a:b] for a, b in units_in(text)] == expected


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("L. Trách nhiệm phối hợp", "I. Trách nhiệm phối hợp"),  # fifty is no section of a letter
        ("L. TỔ CHỨC THỰC HIỆN", "I. TỔ CHỨC THỰC HIỆN"),
        ("theo L. Nguyễn", "theo L. Nguyễn"),  # not at the line's start
    ],
)
def test_a_roman_one_read_as_l(line: str, expected: str) -> None:
    assert " ".join(w.text for w in correct_words(words(*line.split()))) == expected


def _row(text: str, x0: float, x1: float, y0: float) -> Line:
    return Line(text=text, page=1, x0=x0, x1=x1, y0=y0, y1=y0 + 20, unit="px")


@pytest.mark.parametrize(
    ("prev", "prev_x1", "starts"),
    [
        ("các xã, phường", 700.0, True),  # an article heading that stops short: the item starts
        ("trên địa bàn các xã, phường theo Khoản", 2000.0, False),  # a full line: a wrapped number
        ("các xã, phường,", 700.0, False),  # a comma: the sentence goes on
    ],
)
def test_an_item_marker_after_a_line_that_stops_short(prev: str, prev_x1: float, starts: bool) -> None:
    from vanthu.pipeline.layout.paragraphs import paragraphs

    lines = [
        _row("Điều 2. Trách nhiệm của Sở Nông nghiệp và Môi trường; Uỷ ban nhân dân", 300, 2000, 100),
        _row(prev, 300, prev_x1, 130),
        _row("1. Trách nhiệm của Sở Nông nghiệp và Môi trường", 300, 1600, 160),
    ]
    assert (len(paragraphs(lines)) == 2) is starts


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("Nguyêu", "Nguyễn"),  # no syllable, one letter from one surname
        ("Phùug", "Phùng"),
        ("Nguyên", "Nguyễn"),  # by its marks
        ("Trình", "Trình"),  # a surname already
        ("Hà", "Hà"),  # a syllable: kept
        ("Xyz", "Xyz"),  # far from every surname
    ],
)
def test_a_surname_misread_by_one_letter(word: str, expected: str) -> None:
    from vanthu.pipeline.ocr.postcorrect import fix_surname

    assert fix_surname(word) == expected


def test_a_two_letter_scrap_in_capitals_under_the_issuer() -> None:
    h = read_header(Regions(header_left=[_line("VĂN PHÒNG CHÍNH PHỦ", "left"), _line("ST", "left")]), ProvenanceLog())
    assert (h["issuer"], h["parent_issuer"]) == ("VĂN PHÒNG CHÍNH PHỦ", None)


def test_a_speck_after_the_symbol() -> None:
    m = patterns().number_line.match("Số: 11554/VPCP-V.]")
    assert m is not None and m.group("number") == "11554" and m.group("symbol").startswith("VPCP-V")


@pytest.mark.parametrize(
    ("text", "number", "symbol"),
    [
        ("-_ Số: 141/KH-UBND", "141", "KH-UBND"),  # two specks before "Số"
        ("Số: 5330/CT-CS -", "5330", "CT-CS -"),  # a speck after (the header drops it: below)
    ],
)
def test_more_specks_around_the_number_line(text: str, number: str, symbol: str) -> None:
    m = patterns().number_line.match(text)
    assert m is not None and (m.group("number"), m.group("symbol")) == (number, symbol)


def test_a_speck_dash_after_the_symbol_is_dropped() -> None:
    h = read_header(Regions(number_line=_line("Số: 5330/CT-CS -", "left")), ProvenanceLog())
    assert (h["number"], h["symbol"]) == ("5330", "CT-CS")


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("gửi: Bộ Nông nghiệp và Môi trường.", True),  # "Kính" lost
        ("Kính BỬI: - Bộ trưởng Bộ Xây dựng;", True),  # "gửi" garbled
        ("Kính gửi: Sở Tài chính", True),
        ("gửi Bộ Tài chính xem xét", False),  # no colon: running text
        ("Kính thưa các đồng chí", False),
    ],
)
def test_the_recipients_label_misread(text: str, label: bool) -> None:
    assert bool(patterns().recipients_label.match(text)) is label


def test_a_speck_line_beside_the_title_does_not_end_it() -> None:
    from vanthu.pipeline.layout.regions import lines_to_title

    rows = [
        Line(text="CÔNG ĐIỆN", page=1, x0=500, x1=700, y0=100, y1=130, column="center", unit="px"),
        Line(text="|", page=1, x0=1500, x1=1510, y0=140, y1=170, column="right", unit="px"),
        Line(text="VỀ VIỆC GIẢI QUYẾT CHÍNH SÁCH", page=1, x0=300, x1=900, y0=150, y1=180, column="center", unit="px"),
    ]
    title: list[Line] = []
    lines_to_title(rows, 0, True, title)
    assert [ln.text for ln in title] == ["CÔNG ĐIỆN", "VỀ VIỆC GIẢI QUYẾT CHÍNH SÁCH"]


@pytest.mark.parametrize(
    ("printed", "title"),
    [("BỌ CHÍNH TRỊ", "BỘ CHÍNH TRỊ"), ("BAN BÍ THƯ", "BAN BÍ THƯ"), ("PHÓ CHỦ TICH", "PHÓ CHỦ TỊCH")],
)
def test_a_collective_body_title_misread(printed: str, title: str) -> None:
    from vanthu.pipeline.fields.signer import known_title

    assert known_title(printed) == title


def test_a_subject_in_capitals_keeps_its_printed_vv() -> None:
    assert [w.text for w in correct_words(words("V/V", "PHÁT", "ĐỘNG"))][0] == "V/V"


def test_a_speck_between_a_subjects_words() -> None:
    from vanthu.pipeline.fields.header import _despeck

    assert _despeck("V/v chống buôn lậu, . gian lận") == "V/v chống buôn lậu, gian lận"


@pytest.mark.parametrize(
    ("subject", "expected"),
    [
        ("CỦA BỘ MÁY HỆ: THỐNG CHÍNH TRỊ", "CỦA BỘ MÁY HỆ THỐNG CHÍNH TRỊ"),  # a colon inside a word
        ("CHỈ THỊ SỐ 32/CT-TTG NGÀY .21/10/2025", "CHỈ THỊ SỐ 32/CT-TTG NGÀY 21/10/2025"),  # a speck on a date
        ("TẠI TP. HỒ CHÍ MINH", "TẠI TP. HỒ CHÍ MINH"),  # an abbreviation's stop
        ("KHẮC PHỤC. HẬU QUẢ", "KHẮC PHỤC. HẬU QUẢ"),  # no word across it: left as read
    ],
)
def test_specks_inside_a_subject(subject: str, expected: str) -> None:
    from vanthu.pipeline.fields.header import _despeck

    assert _despeck(subject) == expected


def test_a_recipient_entry_whose_dash_the_scan_lost() -> None:
    lines = [Line(text=t, page=1) for t in ("Kính gửi:", "- Tổng Công ty Đường sắt Việt Nam;", "Ban Quản lý Dự án 85;")]
    lines.append(Line(text="- Sở Xây dựng các tỉnh.", page=1))
    out: list[Line] = []
    assert label_to_recipients(lines, 0, len(lines), out) == 4


def test_a_signers_surname_read_as_a_line_of_its_own() -> None:
    from vanthu.pipeline.fields.signer import read_signer

    block = [
        Line(text="KT. THỦ TƯỚNG", page=2, x0=1300, x1=1700, y0=100, y1=130, unit="px"),
        Line(text="PHÓ THỦ TƯỚNG", page=2, x0=1300, x1=1700, y0=140, y1=170, unit="px"),
        Line(text="Bùi", page=2, x0=1450, x1=1500, y0=400, y1=430, unit="px"),
        Line(text="Thanh Sơn -", page=2, x0=1400, x1=1600, y0=440, y1=470, unit="px"),
    ]
    signer = read_signer(Regions(signer=tuple(block)), ProvenanceLog())
    assert signer is not None and signer.name == "Bùi Thanh Sơn"


@pytest.mark.parametrize(
    ("printed", "labels"),
    [
        (["I", "I", "II", "IV"], ["I", "II", "III", "IV"]),  # strokes lost on two headings
        (["I", "III", "II"], ["I", "II", "III"]),  # "II." read as "HI." (→ "III."), then "III." as "II."
        (["I", "II", "III", "V"], ["I", "II", "III", "V"]),  # increasing: the letter's own numbering
        (["I", "II", "II", "V"], ["I", "II", "II", "V"]),  # past the count of headings: left as printed
    ],
)
def test_roman_headings_take_their_place_in_the_sequence(printed: list[str], labels: list[str]) -> None:
    from vanthu.pipeline.fields.items import read_assignments
    from vanthu.pipeline.layout.paragraphs import Paragraph

    paras = []
    for k, label in enumerate(printed):
        paras += [
            Paragraph(f"{label}. PHẦN THỨ {k + 1}"),
            Paragraph(f"{k + 1}. Giao Sở Nội vụ thực hiện việc {k + 1}."),
        ]
    got = read_assignments(paras, "2025-11-20", ProvenanceLog())
    assert [a.label for a in got] == labels


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("_L MỤC ĐÍCH, YÊU CẦU", "I. MỤC ĐÍCH, YÊU CẦU"),
        ("1L. NỘI DUNG", "II. NỘI DUNG"),
        ("HI. Trách nhiệm phối hợp", "III. Trách nhiệm phối hợp"),
        ("Lưu: VT, NC", "Lưu: VT, NC"),
    ],
)
def test_roman_heading_misreads(line: str, expected: str) -> None:
    assert " ".join(w.text for w in correct_words(words(*line.split()))) == expected


def test_a_surname_like_scrap_above_a_whole_name_is_not_joined() -> None:
    from vanthu.pipeline.fields.signer import read_signer

    block = [
        Line(text="KT. CHỦ TỊCH", page=2, x0=1300, x1=1700, y0=100, y1=130, unit="px"),
        Line(text="PHÓ CHỦ TỊCH", page=2, x0=1300, x1=1700, y0=140, y1=170, unit="px"),
        Line(text="Hà", page=2, x0=1450, x1=1500, y0=300, y1=330, unit="px"),  # a scrap of the seal
        Line(text="Nguyễn Văn Hạnh", page=2, x0=1400, x1=1700, y0=340, y1=370, unit="px"),
    ]
    signer = read_signer(Regions(signer=tuple(block)), ProvenanceLog())
    assert signer is not None and signer.name == "Nguyễn Văn Hạnh"


@pytest.mark.parametrize(
    ("text", "marked"),
    [
        ("-và Thủ trưởng các đơn vị có liên quan", False),  # a speck glued to a word in lower case
        ("- và các đơn vị khác", True),  # a bullet is spaced
        ("-Tổ chức tập huấn", True),  # glued to a capital: a bullet typed without its space
        ("- Sở Y tế", True),
    ],
)
def test_a_dash_glued_to_a_lower_case_word_is_no_bullet(text: str, marked: bool) -> None:
    from vanthu.pipeline.layout.cues import ITEM_MARKER

    assert bool(ITEM_MARKER.match(text)) is marked


@pytest.mark.parametrize(
    ("second", "items"),
    [
        ("2, Bộ trưởng Bộ Quốc phòng chỉ đạo các đơn vị.", 2),  # the next number, its stop read as a comma
        ("3, Bộ trưởng Bộ Quốc phòng chỉ đạo các đơn vị.", 1),  # out of sequence: no item
    ],
)
def test_an_items_stop_read_as_a_comma(second: str, items: int) -> None:
    from vanthu.pipeline.layout.paragraphs import paragraphs

    lines = [
        Line(text="1. Chủ tịch Ủy ban nhân dân các tỉnh chỉ đạo khắc phục.", page=1, x0=300, x1=2000, y0=100, y1=130),
        Line(text=second, page=1, x0=300, x1=1900, y0=140, y1=170),
    ]
    assert len(paragraphs(lines)) == items


@pytest.mark.parametrize(
    ("subject", "expected"),
    [
        ("TRIỂN KHAI THI HÀNH LUẬT VIỆC LÀM 'TRÊN ĐỊA BÀN", "TRIỂN KHAI THI HÀNH LUẬT VIỆC LÀM TRÊN ĐỊA BÀN"),
        ("V/v triển khai Nghị định - 136/2025/NĐ-CP", "V/v triển khai Nghị định 136/2025/NĐ-CP"),
        ("V/v chống buôn lậu, - gian lận", "V/v chống buôn lậu, gian lận"),
        ("HIỆU QUẢ : - BẢN TIN SINH HOẠT", "HIỆU QUẢ BẢN TIN SINH HOẠT"),
        ("CỦA PHÁP LỆNH CẢNH SÁT: MÔI TRƯỜNG", "CỦA PHÁP LỆNH CẢNH SÁT MÔI TRƯỜNG"),
        ("TẠI KHU VỰC:'TRUNG BỘ", "TẠI KHU VỰC TRUNG BỘ"),
        ("GIAI ĐOẠN 2026 - 2030", "GIAI ĐOẠN 2026 - 2030"),  # a range keeps its dash
        ("PHÁT TRIỂN KINH TẾ - XÃ HỘI", "PHÁT TRIỂN KINH TẾ - XÃ HỘI"),
        ("V/v góp ý dự thảo: Nghị định", "V/v góp ý dự thảo: Nghị định"),  # lower case: a colon may be printed
    ],
)
def test_more_specks_inside_a_subject(subject: str, expected: str) -> None:
    from vanthu.pipeline.fields.header import _despeck

    assert _despeck(subject) == expected


@pytest.mark.parametrize("printed", ["Số: 3769/QĐ-UBND_", "Số: 4085/UBND-ĐTˆ", "Số: 4085/UBND-ĐT"])
def test_a_speck_read_as_a_letter_after_the_symbol(printed: str) -> None:
    h = read_header(Regions(number_line=_line(printed, "left")), ProvenanceLog())
    assert h["symbol"] in ("QĐ-UBND", "UBND-ĐT")


def test_a_speck_after_a_cited_symbol() -> None:
    m = patterns().symbol.search("theo Công văn số 728/PA-UBND_ ngày 12/11/2025")
    assert m is not None and m.group("ns") == "728/PA-UBND"


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("- Điều 2. Giao Bộ trưởng Bộ Công an ký Hiệp định.", "dieu"),  # specks before a marker
        ("-_4. Công an tỉnh", "num"),
        ("_ 5. Văn phòng Chính phủ theo dõi.", "num"),
        ("- Sở Y tế;", "dash"),  # a bullet stays a bullet
        ("- 5 ngày làm việc", "dash"),
        ("II/ Nội dung", "roman"),
    ],
)
def test_specks_before_an_item_marker(text: str, kind: str) -> None:
    from vanthu.pipeline.layout.cues import ITEM_MARKER

    m = ITEM_MARKER.match(text)
    assert m is not None and m.group(kind)


def test_the_subjects_opener_is_no_roman_item() -> None:
    """Regression (the suite's repeated-first-page document): "V/v …" after a short header
    line was read as a Roman item "V", and the repeated items' numbers were lost."""
    from vanthu.pipeline.layout.cues import ITEM_MARKER

    assert ITEM_MARKER.match("V/v triển khai công tác phòng cháy") is None
