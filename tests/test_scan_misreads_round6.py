"""Regressions (issue 18, sixth round; the synthetic scans' tuning part at another seed, noisy
and photo): words the engine read with no confidence, a rule under the issuer read as
letters and digits, a number read twice, a garbled word in a subject in capitals, a digit
for the capital of a name, a deputy's title with a qualifier. Each row is what the scan
read → what the record must hold."""

from __future__ import annotations

import pytest

from vanthu.models.document import Line, Word
from vanthu.pipeline.fields.dates import parse_date_phrase
from vanthu.pipeline.fields.header import read_header
from vanthu.pipeline.fields.signer import read_signer
from vanthu.pipeline.layout.cues import unspecked
from vanthu.pipeline.layout.regions import split_regions
from vanthu.pipeline.ocr.reading import drop_noise
from vanthu.pipeline.provenance import ProvenanceLog


def _px(text: str, x0: float, y0: float, x1: float, column: str) -> Line:
    return Line(text=text, page=1, x0=x0, y0=y0, x1=x1, y1=y0 + 55, unit="px", column=column)


def _word(text: str, confidence: float) -> Word:
    return Word(text=text, x0=100, y0=100, x1=200, y1=140, confidence=confidence)


@pytest.mark.parametrize(
    ("text", "confidence", "kept"),
    [
        # a whole word the engine gave no confidence, opening a line after a speck
        ("_'TỈNH", 0.0, True),
        ("PHÒNG", 0.0, True),
        ("TUYÊN", 0.03, True),
        # scribbles of a signature or a seal: no Vietnamese syllable
        ("xvz", 0.0, False),
        ("Hkq", 0.05, False),
        ("ii", 0.0, False),
        # two letters are too few to tell a syllable from a scribble, but in capitals they
        # are a header's word
        ("Hà", 0.0, False),
        ("'UỶ", 0.06, True),
        ("HK", 0.0, False),
        # kept as before: an anchor word, a number, a confident word
        ("Số:", 0.0, True),
        ("1147", 0.0, True),
        ("xvz", 0.5, True),
    ],
)
def test_a_word_of_no_confidence_is_kept_when_it_is_a_syllable(text: str, confidence: float, kept: bool) -> None:
    assert bool(drop_noise([_word(text, confidence)])) is kept


def _header(left: list[str], date_line: str = "Hà Nội, ngày 18 tháng 11 năm 2025") -> dict:
    lines = [_px("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 1200, 200, 2250, "right")]
    lines += [_px(text, 400, 210 + 65 * k, 1000, "left") for k, text in enumerate(left)]
    lines += [
        _px("Độc lập - Tự do - Hạnh phúc", 1370, 280, 2080, "right"),
        _px("Số: 11306/VPCP-NN", 480, 450, 940, "left"),
        _px(date_line, 1300, 450, 2150, "right"),
        _px("V/v đề xuất giải pháp tháo gỡ khó khăn", 400, 520, 1020, "left"),
        _px("Kính gửi: Bộ Nông nghiệp và Môi trường.", 720, 690, 1700, "center"),
        _px("Văn phòng Chính phủ nhận được văn bản của Hội Chăn nuôi Việt Nam.", 474, 790, 2246, "full"),
    ]
    return read_header(split_regions(lines), ProvenanceLog())


@pytest.mark.parametrize(
    ("left", "issuer", "parent"),
    [
        # the rule under the issuer read as letters and digits: no line of the header
        (["VĂN PHÒNG CHÍNH PHỦ", "S-7254007EET3"], "VĂN PHÒNG CHÍNH PHỦ", None),
        # a unit whose name holds a number is a unit
        (["BỘ QUỐC PHÒNG", "QUÂN KHU 7"], "QUÂN KHU 7", "BỘ QUỐC PHÒNG"),
        # the place line's first word read after specks that are word characters
        (["ỦY BAN NHÂN DÂN", "_'TỈNH QUẢNG TRỊ"], "ỦY BAN NHÂN DÂN TỈNH QUẢNG TRỊ", None),
        # an issuer's name the header wrapped: a line that opens with no unit's head goes on
        (
            ["ỦY BAN NHÂN DÂN", "THÀNH PHỐ HÀ NỘI", "TRUNG TÂM PHỤC VỤ", "HÀNH CHÍNH CÔNG"],
            "TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG",
            "ỦY BAN NHÂN DÂN THÀNH PHỐ HÀ NỘI",
        ),
        (
            ["UBND TỈNH GIA LAI", "BAN QUẢN LÝ CÁC KHU", "CÔNG NGHIỆP TỈNH"],
            "BAN QUẢN LÝ CÁC KHU CÔNG NGHIỆP TỈNH",
            "UBND TỈNH GIA LAI",
        ),
        (["ĐẢNG ỦY CÁC CƠ QUAN", "ĐẢNG TỈNH"], "ĐẢNG ỦY CÁC CƠ QUAN ĐẢNG TỈNH", None),
        # a line that opens with a head is a unit of its own
        (["CỤC THUẾ", "THUẾ TỈNH VĨNH LONG"], "THUẾ TỈNH VĨNH LONG", "CỤC THUẾ"),
        (["BỘ Y TẾ", "BỆNH VIỆN BẠCH MAI"], "BỆNH VIỆN BẠCH MAI", "BỘ Y TẾ"),
        # specks after a line
        (["BỘ TÀI CHÍNH . `", "CỤC THUẾ"], "CỤC THUẾ", "BỘ TÀI CHÍNH"),
        (["ỦY BAN NHÂN DÂN", "THÀNH PHỐ HỒ CHÍ MINH '"], "ỦY BAN NHÂN DÂN THÀNH PHỐ HỒ CHÍ MINH", None),
    ],
)
def test_the_issuer_under_scan_scraps(left: list[str], issuer: str, parent: str | None) -> None:
    h = _header(left)
    assert (h["issuer"], h.get("parent_issuer")) == (issuer, parent)


@pytest.mark.parametrize(
    ("printed", "iso"),
    [
        ("ngày 22 tháng 11 11 năm 2025", "2025-11-22"),
        ("ngày 22 22 tháng 11 năm 2025", "2025-11-22"),
        ("ngày 22 tháng 11 năm 2025", "2025-11-22"),
        # two different numbers are no date
        ("ngày 22 tháng 11 12 năm 2025", None),
        # "tháng" garbled into another short word: the numbers stand
        ("ngày 01 lung 12 năm 2025", "2025-12-01"),
        ("ngày 5 xx 13 năm 2025", None),
    ],
)
def test_an_issue_date_the_scan_garbled(printed: str, iso: str | None) -> None:
    assert parse_date_phrase(printed)[0] == iso


def test_a_subject_in_capitals_goes_on_past_a_garbled_word() -> None:
    lines = [
        _px("BAN CHẤP HÀNH TRUNG ƯƠNG", 290, 209, 1135, "left"),
        _px("ĐẢNG CỘNG SẢN VIỆT NAM", 1357, 209, 2102, "right"),
        _px("Số 221-KL/TW", 545, 380, 883, "left"),
        _px("Hà Nội, ngày 28 tháng 11 năm 2025", 1303, 380, 2155, "right"),
        _px("KẾT LUẬN", 1139, 505, 1463, "center"),
        _px("CỦA BỘ CHÍNH TRỊ, BAN BÍ THƯ", 837, 575, 1766, "center"),
        _px("VỀ TÌNH HÌNH, KẾT QUẢ HOẠT ĐỘNG CỦA BỘ MÁY HỆ", 511, 645, 2089, "center"),
        _px("THỐNG CHÍNH ba: VÀ CHÍNH QUYỀN ĐỊA PHƯƠNG 2 CẤP", 471, 715, 2130, "full"),
        _px("Tại phiên họp ngày 28/11/2025, sau khi nghe Báo cáo của Ban Tổ chức", 473, 841, 2245, "full"),
        _px("Trung ương về tình hình, kết quả hoạt động của bộ máy hệ thống chính trị.", 354, 911, 2246, "full"),
    ]
    regions = split_regions(lines)
    assert [ln.text for ln in regions.title][-1] == "THỐNG CHÍNH ba: VÀ CHÍNH QUYỀN ĐỊA PHƯƠNG 2 CẤP"
    assert regions.body[0].text.startswith("Tại phiên họp")


@pytest.mark.parametrize(
    ("printed", "name"),
    [
        ("Trần 1hị Diệu Thúy", "Trần Thị Diệu Thúy"),
        ("1ê Văn Hải", "Lê Văn Hải"),
        ("1rần Văn Nam", "Trần Văn Nam"),
        ("Nguyễn Văn 5ơn", "Nguyễn Văn Sơn"),
        # scraps of the signature read before the name
        ('"«á Bùi Thanh An', "Bùi Thanh An"),
        ("á Bùi Thanh An", "Bùi Thanh An"),
        ('"Trần Cẩm Tú', "Trần Cẩm Tú"),
        # a list's entry and a title are no name to clean
        ("- Lưu VT", "- Lưu VT"),
        ("PHÓ CHỦ TỊCH", "PHÓ CHỦ TỊCH"),
        # no letter for the digit makes a syllable: as read
        ("Nguyễn 1xq An", "Nguyễn 1xq An"),
    ],
)
def test_a_name_with_a_digit_for_a_capital_or_scraps_before_it(printed: str, name: str) -> None:
    assert unspecked(printed) == name


BODY = [
    _px("BỘ Y TẾ", 500, 210, 800, "left"),
    _px("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 1200, 210, 2250, "right"),
    _px("Số: 3574/QĐ-BYT", 450, 400, 850, "left"),
    _px("Hà Nội, ngày 19 tháng 11 năm 2025", 1300, 400, 2200, "right"),
    _px("QUYẾT ĐỊNH", 1150, 520, 1450, "center"),
    _px("Về việc công bố thủ tục hành chính", 900, 590, 1700, "center"),
    _px("Điều 1. Công bố kèm theo Quyết định này thủ tục hành chính.", 474, 700, 2243, "full"),
    _px("Nơi nhận:", 356, 900, 600, "left"),
    _px("- Như Điều 3;", 356, 960, 700, "left"),
    _px("- Lưu: VT, KCB.", 356, 1020, 700, "left"),
]


@pytest.mark.parametrize(
    ("block", "expected"),
    [
        # the prefix lost: the head's title right above the deputy's still says "KT."
        (("CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Trần Thị Diệu Thúy"), ("KT.", "PHÓ CHỦ TỊCH", "Trần Thị Diệu Thúy")),
        # the prefix garbled before the head's two titles
        (
            ("K†1. BỘ TRƯỞNG, CHỦ NHIỆM", "PHÓ CHỦ NHIỆM", "Phạm Mạnh Cường"),
            ("KT.", "PHÓ CHỦ NHIỆM", "Phạm Mạnh Cường"),
        ),
        # a deputy's title with a qualifier read with other marks
        (
            ("KT. BỘ TRƯỞNG", "THỦ TRƯỞNG THƯỜNG TRỰC", "Vũ Mạnh Hà"),
            ("KT.", "THỨ TRƯỞNG THƯỜNG TRỰC", "Vũ Mạnh Hà"),
        ),
        (("KT. BỘ TRƯỞNG", "THỦ TRƯỞNG", "Vũ Mạnh Hà"), ("KT.", "THỨ TRƯỞNG", "Vũ Mạnh Hà")),
        (("KT. BỘ TRƯỞNG", "THỨ TRƯỞNG", "Vũ Mạnh Hà"), ("KT.", "THỨ TRƯỞNG", "Vũ Mạnh Hà")),
        # no deputy: no prefix to infer
        (("CHỦ TỊCH", "", "Nguyễn Văn An"), (None, "CHỦ TỊCH", "Nguyễn Văn An")),
        # the prefix read in lower case
        (("kT. BỘ TRƯỞNG", "THỨ TRƯỞNG", "Lê Anh Tuấn"), ("KT.", "THỨ TRƯỞNG", "Lê Anh Tuấn")),
        # only the last word of the deputy's title read
        (("KT. THỦ TƯỚNG", "TƯỚNG", "Hồ Đức Phớc"), ("KT.", "PHÓ THỦ TƯỚNG", "Hồ Đức Phớc")),
        # the prefix's point read as a colon
        (("KT: CHỦ TỊCH", "`. -ĐHÓ CHỦ TỊCH", "Phùng Thành Vinh"), ("KT.", "PHÓ CHỦ TỊCH", "Phùng Thành Vinh")),
        # (round 7) signs and a digit of the signature run into the deputy's title: no scrap
        (("_.KT. CHỦ TỊCH", "+4`_.-=-PHÓ CHỦ TỊCH", "Trương Công Thái"), ("KT.", "PHÓ CHỦ TỊCH", "Trương Công Thái")),
        # ... or signs and a small letter ("z" of the signature)
        (("KT. THỦ TƯỚNG", "„.zPHÓ THỦ TƯỚNG", "Hồ Đức Phớc"), ("KT.", "PHÓ THỦ TƯỚNG", "Hồ Đức Phớc")),
        # (round 7) the prefix's point read as a semicolon or a comma
        (("KT; BỘ TRƯỞNG", "THỨ TRƯỞNG", "Huỳnh Minh Giám"), ("KT.", "THỨ TRƯỞNG", "Huỳnh Minh Giám")),
        (('"KT, BỘ TRƯỞNG', "THỨ TRƯỞNG", "Nguyễn Xuân Sang"), ("KT.", "THỨ TRƯỞNG", "Nguyễn Xuân Sang")),
        # (round 7) a word of the deputy's title lost after "PHÓ": the head's title says which
        (("KT. TRƯỞNG THUẾ TỈNH", "PHÓ THUẾ TỈNH", "Lê Văn Hải"), ("KT.", "PHÓ TRƯỞNG THUẾ TỈNH", "Lê Văn Hải")),
        # ... but a deputy's title of the vocabulary is whole under the head's two titles
        (
            ("KT. BỘ TRƯỞNG, CHỦ NHIỆM", "PHÓ CHỦ NHIỆM", "Phạm Mạnh Cường"),
            ("KT.", "PHÓ CHỦ NHIỆM", "Phạm Mạnh Cường"),
        ),
        # ... while a digit before a small letter stays the name's capital
        (("KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "`1ê Văn Hải"), ("KT.", "PHÓ CHỦ TỊCH", "Lê Văn Hải")),
    ],
)
def test_a_deputy_block_as_a_scan_reads_it(block: tuple[str, ...], expected) -> None:
    lines = [*BODY, *(_px(t, 1500, 900 + 65 * k, 2000, "right") for k, t in enumerate(block[:2]) if t)]
    lines.append(_px(block[2], 1600, 1250, 1900, "right"))
    signer = read_signer(split_regions(lines), ProvenanceLog())
    assert signer is not None
    assert (signer.prefix, signer.title, signer.name) == expected


def test_a_line_the_engine_read_twice_inside_another_is_dropped() -> None:
    from vanthu.models.document import PageText
    from vanthu.pipeline.layout.lines import assemble_lines

    def w(text: str, x0: float, x1: float, y0: float, line: int) -> Word:
        return Word(text=text, x0=x0, y0=y0, x1=x1, y1=y0 + 52, confidence=0.9, line=line)

    words = [
        w("PHÓ", 1482, 1600, 502, 1),
        w("TRƯỞNG", 1620, 1880, 502, 1),
        w("BAN", 1900, 2020, 502, 1),
        w("TRƯỞNG", 1622, 1881, 503, 2),  # the middle word read again as a line of its own
        w("Phạm", 1539, 1700, 808, 3),
        w("Tất", 1720, 1800, 808, 3),
        w("Thắng", 1820, 1964, 808, 3),
    ]
    page = PageText(number=1, width=2480, height=3508, words=words, source="ocr", unit="px")
    assert [ln.text for ln in assemble_lines([page])] == ["PHÓ TRƯỞNG BAN", "Phạm Tất Thắng"]


@pytest.mark.parametrize(
    ("number_line", "number_symbol"),
    [
        ("Số: 11414/VPCP-CN:", "11414/VPCP-CN"),
        ("Số: 172/KH-UBND,", "172/KH-UBND"),
        ("Số: 172/KH-UBND", "172/KH-UBND"),
    ],
)
def test_a_number_line_with_a_speck_after_the_symbol(number_line: str, number_symbol: str) -> None:
    lines = [
        _px("VĂN PHÒNG CHÍNH PHỦ", 387, 207, 1040, "left"),
        _px("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 1168, 210, 2295, "right"),
        _px("Độc lập - Tự do - Hạnh phúc", 1375, 280, 2087, "right"),
        _px(number_line, 484, 390, 957, "left"),
        _px("Hà Nội, ngày 20 tháng 11 năm 2025", 1304, 389, 2156, "right"),
        _px("V/v đẩy nhanh tiến độ Dự án đường cao tốc.", 276, 460, 1151, "left"),
        _px("Kính gửi: Bộ Xây dựng.", 557, 743, 1408, "center"),
        _px("Xét đề nghị của Bộ Xây dựng, Thủ tướng Chính phủ có ý kiến như sau:", 474, 969, 2247, "full"),
    ]
    h = read_header(split_regions(lines), ProvenanceLog())
    assert (h["issuer"], h["number_symbol"]) == ("VĂN PHÒNG CHÍNH PHỦ", number_symbol)
    # a subject ends with no stop: the one the scan glued to its last word is a speck
    assert h["subject"] == "V/v đẩy nhanh tiến độ Dự án đường cao tốc"


@pytest.mark.parametrize(
    ("label", "between"),
    [
        ("_Nơi nhận:", ()),  # a speck before the label
        ("Nơi nhận:", ("4",)),  # a speck of the seal between the title and the name
    ],
)
def test_the_signature_zone_under_scan_specks(label: str, between: tuple[str, ...]) -> None:
    lines = [
        *BODY[:7],
        _px(label, 341, 900, 566, "left"),
        _px("KT. BỘ TRƯỞNG", 1405, 900, 2100, "right"),
        _px("- Như Điều 3;", 356, 960, 700, "left"),
        _px("THỨ TRƯỞNG", 1389, 960, 2114, "right"),
        _px("- Lưu: VT, KCB.", 356, 1020, 700, "left"),
        *(_px(t, 1650, 1100, 1670, "right") for t in between),
        _px("Lê Khánh Toàn", 1555, 1250, 1949, "right"),
    ]
    regions = split_regions(lines)
    signer = read_signer(regions, ProvenanceLog())
    assert signer is not None
    assert (signer.prefix, signer.title, signer.name) == ("KT.", "THỨ TRƯỞNG", "Lê Khánh Toàn")
    assert [ln.text for ln in regions.distribution][-1] == "- Lưu: VT, KCB."


def test_a_closing_signer_block_with_a_seal_speck_and_its_prefix_lost() -> None:
    from tests.test_scan_misreads_round5 import BODY as CLOSING_BODY  # a Chỉ thị with no Nơi nhận

    lines = [
        *CLOSING_BODY,
        # no Nơi nhận; "KT." lost; a speck of the seal between the title and the name
        _px("CHỦ TỊCH", 1663, 2516, 1953, "right"),
        _px("PHÓ CHỦ TỊCH", 1515, 2587, 1967, "right"),
        _px("4", 1657, 2737, 1664, "right"),
        _px("Hoàng Nam", 1601, 2892, 1900, "right"),
    ]
    signer = read_signer(split_regions(lines), ProvenanceLog())
    assert signer is not None
    assert (signer.prefix, signer.title, signer.name) == ("KT.", "PHÓ CHỦ TỊCH", "Hoàng Nam")


@pytest.mark.parametrize(
    "entries",
    [
        # a speck of the scan beside the list
        ("Kính gửi: - Bộ trưởng Bộ Tài chính;", "|", "- Chủ tịch Ủy ban nhân dân các tỉnh;", "- Chánh Văn phòng Bộ."),
        # the last entry's dash lost: the list went on after the ";"
        ("Kính gửi: - Bộ trưởng Bộ Tài chính;", "- Chủ tịch Ủy ban nhân dân các tỉnh;", "Chánh Văn phòng Bộ."),
    ],
)
def test_recipients_under_scan_specks(entries: tuple[str, ...]) -> None:
    lines = [
        _px("VĂN PHÒNG CHÍNH PHỦ", 387, 207, 1040, "left"),
        _px("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 1168, 210, 2295, "right"),
        _px("Số: 11554/VPCP-V.I", 484, 390, 957, "left"),
        _px("Hà Nội, ngày 25 tháng 11 năm 2025", 1304, 389, 2156, "right"),
        _px("V/v nâng cao hiệu quả công tác chống buôn lậu", 276, 460, 1151, "left"),
    ]
    lines += [_px(t, 712 if k else 474, 630 + 70 * k, 712 + 20 * len(t), "full") for k, t in enumerate(entries)]
    lines.append(_px("Thực hiện chỉ đạo của Thủ tướng Chính phủ, Văn phòng thông báo:", 474, 1100, 2246, "full"))
    h = read_header(split_regions(lines), ProvenanceLog())
    assert h["recipients"] == [
        "Bộ trưởng Bộ Tài chính",
        "Chủ tịch Ủy ban nhân dân các tỉnh",
        "Chánh Văn phòng Bộ",
    ]


@pytest.mark.parametrize("again", ["Nơi nhận", "Nơi ni:", "Noi nh:"])
def test_the_distribution_label_read_again_is_no_entry(again: str) -> None:
    from vanthu.pipeline.fields.signer import read_distribution

    lines = [
        *BODY[:7],
        _px("Nơi nhận:", 341, 900, 566, "left"),
        _px(again, 341, 950, 566, "left"),
        _px("KT. BỘ TRƯỞNG", 1405, 900, 2100, "right"),
        _px("- Như Điều 3;", 356, 1000, 700, "left"),
        _px("THỨ TRƯỞNG", 1389, 960, 2114, "right"),
        _px("- Lưu: VT, KCB.", 356, 1060, 700, "left"),
        _px("Lê Khánh Toàn", 1555, 1250, 1949, "right"),
    ]
    assert read_distribution(split_regions(lines), ProvenanceLog()) == ["Như Điều 3", "Lưu: VT, KCB"]


@pytest.mark.parametrize(
    ("subject", "recipient", "expected_subject", "expected_recipient"),
    [
        # a colon glued to the subject's end; a speck before the contact details
        (
            "V/v đổi mới bản tin sinh hoạt chi bộ:",
            "Kính gửi: Bà Huỳnh Thị Mỹ Hằng .(Địa chỉ: 33 Hai Bà Trưng; Số ĐT: 0971171792)",
            "V/v đổi mới bản tin sinh hoạt chi bộ",
            "Bà Huỳnh Thị Mỹ Hằng",
        ),
        # a speck glued before a word of the subject
        (
            "V/v tăng .cường công tác bảo vệ bí mật",
            "Kính gửi: Sở Nội vụ.",
            "V/v tăng cường công tác bảo vệ bí mật",
            "Sở Nội vụ",
        ),
    ],
)
def test_a_subject_and_a_recipient_without_scan_specks(
    subject: str, recipient: str, expected_subject: str, expected_recipient: str
) -> None:
    lines = [
        _px("CỤC THUẾ", 500, 207, 900, "left"),
        _px("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 1168, 210, 2295, "right"),
        _px("Số: 5330/CT-CS", 484, 390, 957, "left"),
        _px("Hà Nội, ngày 20 tháng 11 năm 2025", 1304, 389, 2156, "right"),
        _px(subject, 276, 460, 1151, "left"),
        _px(recipient, 472, 570, 2231, "full"),
        _px("Cục Thuế nhận được văn bản của bà về chính sách thuế thu nhập cá nhân.", 474, 800, 2246, "full"),
    ]
    h = read_header(split_regions(lines), ProvenanceLog())
    assert (h["subject"], h["recipients"]) == (expected_subject, [expected_recipient])
