"""OCR post-correction (``ocr/postcorrect.py``): misreads, phrases, surnames, symbols, line rules."""

from __future__ import annotations

import pytest

from tests.support.ocr import words
from vanthu.models.document import Word
from vanthu.pipeline.ocr.postcorrect import correct_words, strip_marks


def test_ocr_misreads_from_nd30_are_corrected():
    got = [w.text for w in correct_words(words("Sô:", "12/UBND-VP"))]
    assert got == ["Số:", "12/UBND-VP"]
    assert [w.text for w in correct_words(words("VIv", "triển", "khai"))][0] == "V/v"
    assert [w.text for w in correct_words(words("Kinh", "gui:", "Sở", "Nội", "vụ"))][:2] == ["Kính", "gửi:"]
    assert correct_words(words("ÐẢNG"))[0].text == "ĐẢNG"


def test_vocabulary_restores_accents_of_known_phrases():
    assert [w.text for w in correct_words(words("UY", "BẠN", "NHÂN", "DẪN"))] == ["ỦY", "BAN", "NHÂN", "DÂN"]
    assert [w.text for w in correct_words(words("THÔNG", "BẢO"))] == ["THÔNG", "BÁO"]
    assert [w.text for w in correct_words(words("QUYÉT", "ĐỊNH"))] == ["QUYẾT", "ĐỊNH"]
    assert [w.text for w in correct_words(words("TÍNH", "QUẢNG", "NGÃI"))] == ["TỈNH", "QUẢNG", "NGÃI"]


def test_vocabulary_keeps_case_of_running_text():
    # "Chủ tịch" in a sentence must not become "CHỦ TỊCH"
    got = [w.text for w in correct_words(words("của", "Chủ", "tịch", "UBND"))]
    assert got == ["của", "Chủ", "tịch", "UBND"]


def test_year_context_rule_and_real_word_left_alone():
    assert [w.text for w in correct_words(words("tháng", "8", "nắm", "2024"))] == ["tháng", "8", "năm", "2024"]
    # "nắm bắt" (to grasp) is a real word: no year after it, no change
    assert [w.text for w in correct_words(words("nắm", "bắt", "tình", "hình"))][0] == "nắm"


def test_misread_surname_of_a_name():
    assert [w.text for w in correct_words(words("Trãn", "Phước", "Hiền"))] == ["Trần", "Phước", "Hiền"]
    # a lone capitalised word is not a name
    assert correct_words(words("Nguyên", "tắc"))[0].text == "Nguyên"


def test_corrections_keep_boxes_and_confidence():
    src = words("Sô:", "5/UBND")
    out = correct_words(src)
    assert (out[0].x0, out[0].x1, out[0].confidence) == (src[0].x0, src[0].x1, src[0].confidence)


def test_strip_marks():
    assert strip_marks("Đường Ỷ") == "duong y"


def test_capital_phrase_with_one_letter_misread():
    assert [w.text for w in correct_words(words("PHÓ", "CHỦ", "TIC"))] == ["PHÓ", "CHỦ", "TỊCH"]
    # running text is never edited this way
    assert [w.text for w in correct_words(words("Phó", "chủ", "tic"))] == ["Phó", "chủ", "tic"]


def test_symbol_parts_misread_d_and_doubled_d_are_fixed():
    assert [w.text for w in correct_words(words("số", "87/HĐĐĐND-KTNS"))][1] == "87/HĐND-KTNS"
    assert [w.text for w in correct_words(words("số", "7603/TTr-HDTĐ"))][1] == "7603/TTr-HĐTĐ"
    # "HD" (Hướng dẫn) is a real type abbreviation: left alone
    assert [w.text for w in correct_words(words("số", "123/HD-UBND"))][1] == "123/HD-UBND"


def test_typographic_quotes_stay_as_read():
    """Regression (synthetic scans of kh-ubnd-nghean-2025-1026, cd-ttg-2025-234): the
    subject's “ ” were made straight, and no longer matched the letter's print."""
    got = [w.text for w in correct_words(words("CỦA", "CHÍNH", "PHỦ", "“VỀ", "TĂNG", "CƯỜNG”", "và", '"thẳng"'))]
    assert got[3:] == ["“VỀ", "TĂNG", "CƯỜNG”", "và", '"thẳng"']


def test_a_one_of_the_day_or_month_read_as_a_bar_is_a_one():
    """Regression (real 660/TB-UBND): "ngày 3| tháng 12 năm 2024" gave no date."""
    fixed = [w.text for w in correct_words(words("Quảng", "Ngãi,", "ngày", "3|", "tháng", "1|", "năm", "2024"))]
    assert fixed[2:] == ["ngày", "31", "tháng", "11", "năm", "2024"]
    fixed = [w.text for w in correct_words(words("ngày", "|5", "tháng", "|2", "năm", "2024"))]
    assert fixed[1:4] == ["15", "tháng", "12"]
    # a bar anywhere else, or a two-digit day before one, is left alone
    assert [w.text for w in correct_words(words("ngày", "12|", "tháng", "3", "năm", "2024"))][1] == "12|"
    assert [w.text for w in correct_words(words("Điều", "3|", "khoản"))][1] == "3|"


def test_symbol_tail_after_a_line_break_is_fixed_too():
    # "7603/TTr-" at a line end, "HDTĐ ngày 30/12/2024" on the next (real scan qngai-04)
    assert [w.text for w in correct_words(words("HDTĐ", "ngày"))][0] == "HĐTĐ"
    assert [w.text for w in correct_words(words("DANH", "MỤC"))] == ["DANH", "MỤC"]


def test_titles_and_roman_headings_misread_by_ocr():
    assert [w.text for w in correct_words(words("THU", "TƯƠNG"))] == ["THỦ", "TƯỚNG"]
    assert [w.text for w in correct_words(words("H.", "NHIỆM", "VỤ", "TRỌNG", "TÂM"))][0] == "II."
    assert [w.text for w in correct_words(words("IL", "ĐÁNH", "GIÁ", "KẾT", "QUẢ"))][0] == "I."
    # not before running text
    assert [w.text for w in correct_words(words("H.", "Nguyễn", "Văn", "A"))][0] == "H."


def test_signer_name_with_a_word_in_lower_case_and_misread_prefix():
    assert [w.text for w in correct_words(words("Phùng", "thành", "Vinh"))] == ["Phùng", "Thành", "Vinh"]
    assert [w.text for w in correct_words(words("Hồ", "sơ", "công", "việc"))] == ["Hồ", "sơ", "công", "việc"]
    assert [w.text for w in correct_words(words("K1.", "CHỦ", "TỊCH"))][0] == "KT."


def test_surname_fix_only_on_a_name_line():
    assert [w.text for w in correct_words(words("Quảng", "Ngãi,", "ngày", "15", "tháng", "8"))][0] == "Quảng"
    assert [w.text for w in correct_words(words("Nguyên", "Hoàng", "Giang"))][0] == "Nguyễn"


def test_one_word_official_title_is_not_a_phrase_fix():
    # "TRƯỞNG" alone in the vocabulary turned "MÔI TRƯỜNG" into "MÔI TRƯỞNG"
    assert [w.text for w in correct_words(words("VÀ", "MÔI", "TRƯỜNG", "THỰC", "HIỆN"))][2] == "TRƯỜNG"


def test_phrase_vocabulary_keeps_a_right_spelling_and_real_words():
    # "THỨ TRƯỞNG" became "THỦ TRƯỞNG", "CHI BỘ TRONG" became "CHI BỘ TRƯỞNG"
    assert [w.text for w in correct_words(words("THỨ", "TRƯỞNG"))] == ["THỨ", "TRƯỞNG"]
    assert [w.text for w in correct_words(words("SINH", "HOẠT", "CHI", "BỘ", "TRONG", "GIAI", "ĐOẠN"))][4] == "TRONG"
    assert [w.text for w in correct_words(words("PHÓ", "CHỦ", "TIC"))] == ["PHÓ", "CHỦ", "TỊCH"]


def test_number_glued_to_its_symbol_gets_its_slash():
    assert [w.text for w in correct_words(words("Số:", "1026KH-UBND"))] == ["Số:", "1026/KH-UBND"]
    assert [w.text for w in correct_words(words("Số:", "12/UBND-VP"))] == ["Số:", "12/UBND-VP"]


def test_syllables_run_together_by_the_scan_are_spaced_again():
    got = [w.text for w in correct_words(words("ỦY", "BANNHÂNDÂN", "TỈNH", "ĐỒNG", "NAI"))]
    assert " ".join(got) == "ỦY BAN NHÂN DÂN TỈNH ĐỒNG NAI"
    assert got[1] == "BAN NHÂN DÂN"  # still one word, with its one box
    assert [w.text for w in correct_words(words("xếp", "loại", "trungtâm"))][2] == "trung tâm"
    assert [w.text for w in correct_words(words("-", "Như", "Điều4,"))][2] == "Điều 4,"
    assert [w.text for w in correct_words(words("-", "Như", "Điều-4;"))][2] == "Điều 4;"  # a speck between
    # acronyms and real long syllables are no glued words
    assert [w.text for w in correct_words(words("UBND", "TTĐT", "KBNN", "CSDL", "nghiêng"))] == [
        "UBND",
        "TTĐT",
        "KBNN",
        "CSDL",
        "nghiêng",
    ]
    # a line rule still applies on a line holding such a word
    assert [w.text for w in correct_words(words("trungtâm", "nắm", "2024"))] == ["trung tâm", "năm", "2024"]


def test_surname_that_lost_its_first_letter_to_a_signature():
    assert [w.text for w in correct_words(words("rần", "Ngọc", "Căng"))] == ["Trần", "Ngọc", "Căng"]
    # (real 24/TTr-UBND: the surname read in lower case and without its tilde)
    assert [w.text for w in correct_words(words("nguyên", "Hoàng", "Giang"))] == ["Nguyễn", "Hoàng", "Giang"]
    assert [w.text for w in correct_words(words("các", "Sở", "Ngành"))] == ["các", "Sở", "Ngành"]


def _line(text: str) -> list[Word]:
    return [
        Word(text=t, x0=60 * i, y0=0, x1=60 * i + 50, y1=20, size=20, confidence=0.9, line=0)
        for i, t in enumerate(text.split())
    ]


def test_ocr_department_sử_is_sở():
    """Regression (real 01/CT-UBND): "Sử Thông tin và Truyền thông" (Sở misread) was no unit."""
    got = " ".join(w.text for w in correct_words(_line("2. Sử Thông tin và Truyền thông: Theo lịch sử")))
    assert got == "2. Sở Thông tin và Truyền thông: Theo lịch sử"


def test_ocr_capitalised_word_takes_the_tone_its_lower_case_neighbour_asks_for():
    """Regression (real 01/CT-UBND): "Khu Kính tế Dung Quất" kept its misread tone because
    a capitalised word was never corrected; "kính tế" is no word, "kinh tế" is."""
    fixed = lambda s: " ".join(w.text for w in correct_words(_line(s)))  # noqa: E731
    assert fixed("Ban Quản lý Khu Kính tế Dung Quất") == "Ban Quản lý Khu Kinh tế Dung Quất"
    assert fixed("Kính gửi: Sở Tài chính") == "Kính gửi: Sở Tài chính"
    assert fixed("Tỉnh ủy Quảng Ngãi") == "Tỉnh ủy Quảng Ngãi"


def test_ocr_second_syllable_of_a_word_in_a_name_takes_the_tone_the_word_asks_for():
    """Regression (real 01/CT-UBND): "Đài Phát thanh và Truyền hỉnh tỉnh" kept "hỉnh": a
    capitalised neighbour never vouched for the word after it."""
    fixed = lambda s: " ".join(w.text for w in correct_words(_line(s)))  # noqa: E731
    assert fixed("Đài Phát thanh và Truyền hỉnh tỉnh") == "Đài Phát thanh và Truyền hình tỉnh"
    assert fixed("UBND tỉnh Hà Tĩnh") == "UBND tỉnh Hà Tĩnh"
    assert fixed("Sở Tài chính") == "Sở Tài chính"


def test_ocr_phrase_followed_by_a_comma_is_still_corrected():
    """Regression (synthetic hard scan of 3769/QĐ-UBND): "TT Tinh ủy, TT HĐND tỉnh" kept
    "Tinh": the comma glued to "ủy," hid the phrase "Tỉnh ủy"; the comma stays."""
    fixed = lambda s: " ".join(w.text for w in correct_words(_line(s)))  # noqa: E731
    assert fixed("TT Tinh ủy, TT HĐND tỉnh") == "TT Tỉnh ủy, TT HĐND tỉnh"
    assert fixed("Kinh gửi: Sở Tài chính") == "Kính gửi: Sở Tài chính"


def test_ocr_tỉnh_after_a_provincial_body_and_an_unknown_capitalised_syllable():
    """Regression (same scan): "Chủ tịch UBND tính" and "Truyên hình" (a syllable that is
    no syllable, capitalised) were left as read."""
    fixed = lambda s: " ".join(w.text for w in correct_words(_line(s)))  # noqa: E731
    assert fixed("Chủ tịch UBND tính;") == "Chủ tịch UBND tỉnh;"
    assert fixed("Báo và Phát thanh - Truyên hình") == "Báo và Phát thanh - Truyền hình"
    assert fixed("tính toán kinh phí") == "tính toán kinh phí"


@pytest.mark.parametrize(
    ("read", "fixed"),
    [
        ("239/TIr-UBND", "239/TTr-UBND"),  # a serif T's bar lost: a Tờ trình's code
        ("3298/TIr-SVHTTDL", "3298/TTr-SVHTTDL"),
        ("/TIr-UBND", "/TTr-UBND"),  # "Số: 239 /TIr-UBND": the symbol read apart from its number
        ("15/CTr-UBND", "15/CTr-UBND"),  # known: unchanged
        ("88/TIX-UBND", "88/TIX-UBND"),  # no look-alike makes a known code: as read
    ],
)
def test_a_symbol_code_letter_read_as_its_look_alike_is_fixed(read: str, fixed: str) -> None:
    assert [w.text for w in correct_words(words("số", read))][1] == fixed


@pytest.mark.parametrize(
    ("read", "fixed"),
    [
        (("'b)", "Ban", "quản", "lý"), ["b)", "Ban", "quản", "lý"]),
        (("‘3.", "Sở", "Y", "tế"), ["3.", "Sở", "Y", "tế"]),
        (("`c)", "Giao"), ["c)", "Giao"]),
        (("'Tổ", "chức"), ["'Tổ", "chức"]),  # no item marker after it: as read
    ],
)
def test_a_speck_before_an_item_marker_is_dropped(read: tuple[str, ...], fixed: list[str]) -> None:
    """ "'b) Ban quản lý …": the sub-item was read as text of the one before it."""
    assert [w.text for w in correct_words(words(*read))] == fixed


@pytest.mark.parametrize(
    ("read", "fixed"),
    [
        ("chủ trì, phối In) với Đài", "chủ trì, phối hợp với Đài"),  # the middle word garbled
        ("phối hợp với Sở", "phối hợp với Sở"),
        ("phân phối lại với nhau", "phân phối lại với nhau"),  # another phrase: as read
        ("điều phối vốn với", "điều phối vốn với"),
    ],
)
def test_phoi_hop_voi_with_its_middle_word_garbled_is_restored(read: str, fixed: str) -> None:
    assert " ".join(w.text for w in correct_words(words(*read.split()))) == fixed
