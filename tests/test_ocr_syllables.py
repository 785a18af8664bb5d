"""Syllable correction by the lexicon (``ocr/syllables.py``)."""

from __future__ import annotations

import pytest

from tests.support.ocr import words
from vanthu.pipeline.ocr import syllables
from vanthu.pipeline.ocr.postcorrect import correct_words, phrase_indices


def fix_syllables(texts: list[str]) -> list[str]:
    """The line's syllables fixed as ``correct_words`` fixes them: the vocabulary's
    phrases (``phrase_indices``) are kept."""
    return syllables.fix_syllables(texts, phrase_indices(texts))


def test_impossible_syllable_takes_the_dictionary_tone():
    assert fix_syllables("tại buỗi làm việc".split()) == "tại buổi làm việc".split()
    assert fix_syllables("thực hiện tôt phương châm".split())[2] == "tốt"


def test_real_syllables_are_not_changed_by_weak_context():
    # a real syllable next to a word that is already whole is never changed
    assert fix_syllables("trên địa bàn tỉnh".split())[3] == "tỉnh"  # not "bàn tính"
    assert fix_syllables("Hội đồng nhân dân tỉnh".split())[4] == "tỉnh"  # not "dân tình"
    assert fix_syllables("TỈNH LẠNG SƠN".split()) == ["TỈNH", "LẠNG", "SƠN"]
    # common words next to names, and proper names themselves, are left alone
    assert fix_syllables("Sở Kế hoạch và Đầu tư".split()) == "Sở Kế hoạch và Đầu tư".split()
    assert fix_syllables("có gì giúp nấy".split())[0] == "có"
    assert fix_syllables("Nguyễn Hoàng Giang".split()) == ["Nguyễn", "Hoàng", "Giang"]


def test_hook_above_read_as_acute_is_undone_when_it_makes_a_word():
    assert fix_syllables("kiếm tra, đôn đốc".split())[0] == "kiểm"
    assert fix_syllables("thấm định hồ sơ".split())[0] == "thẩm"
    assert fix_syllables("tính toán chi phí".split())[0] == "tính"  # already a word: untouched


def test_subject_in_capitals_gets_the_marks_its_words_need():
    def fix(s):
        return " ".join(fix_syllables(s.split()))

    assert fix("TRIỂN KHAI THỊ HÀNH LUẬT VIỆC LÀM") == "TRIỂN KHAI THI HÀNH LUẬT VIỆC LÀM"
    assert fix("VỀ VIỆC ĐỐI MỚI, NÂNG CAO") == "VỀ VIỆC ĐỔI MỚI, NÂNG CAO"  # not "ĐỜI MỚI"
    assert fix("HIỆU QUẢ BÁN TIN SINH HOẠT") == "HIỆU QUẢ BẢN TIN SINH HOẠT"
    assert fix("THUỘC THẤM QUYỀN GIẢI QUYẾT") == "THUỘC THẨM QUYỀN GIẢI QUYẾT"  # not "THAM"
    assert fix("ỨNG DỤNG QUẬN LÝ THUẾ") == "ỨNG DỤNG QUẢN LÝ THUẾ"
    assert fix('TỈNH HÌNH MỚI" TRÊN') == 'TÌNH HÌNH MỚI" TRÊN'
    # ... while names and phrases the vocabulary knows keep theirs
    assert fix("HỘI ĐỒNG NHÂN DÂN TỈNH LẠNG SƠN") == "HỘI ĐỒNG NHÂN DÂN TỈNH LẠNG SƠN"
    assert fix("THÀNH PHỐ HỒ CHÍ MINH") == "THÀNH PHỐ HỒ CHÍ MINH"
    assert fix("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM") == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"


def test_acute_with_no_word_around_it_is_read_as_the_hook_real_text_writes():
    assert fix_syllables("Bộ trưởng (đế b/c)".split())[2] == "(để"
    assert fix_syllables("(đế báo cáo)".split())[0] == "(để"
    assert fix_syllables("giá bán".split()) == ["giá", "bán"]  # a word: untouched


def test_pairs_written_in_real_text_keep_their_marks():
    """Regression: "cấp tỉnh" is not in the dictionary but "cấp tính" is; the running
    text (VLSP) writes "cấp tỉnh", so the tone stays. Nor does one sighting of "các
    phương" turn "các phường" into it."""
    assert fix_syllables("đoàn thể cấp tỉnh".split())[3] == "tỉnh"
    assert fix_syllables("Ủy ban nhân dân các phường, xã".split())[5] == "phường,"
    assert fix_syllables("Các Ban/đơn vị thuộc Cục Thuế".split())[2] == "vị"


def test_tilde_with_no_word_around_it_and_a_comma_kept_as_printed():
    """Regressions: "(đẽ b/c)" for "(để b/c)" (hard synthetic scans: the hat lost with
    the hook); and "Lưu: VT,KT.bngoc106" is printed so on a real letter, so a comma
    without a space after it stays (inserting one broke that real line)."""
    assert fix_syllables("Bộ trưởng (đẽ b/c)".split())[2] == "(để"
    assert fix_syllables("bức tranh đẹp đẽ".split())[3] == "đẽ"  # a word: untouched
    assert [w.text for w in correct_words(words("Lưu:", "VT,KT.bngoc106"))][1] == "VT,KT.bngoc106"
    assert [w.text for w in correct_words(words("1,5", "tỷ"))][0] == "1,5"


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("CÁC TỈNH MIÊỀN TRUNG", "CÁC TỈNH MIỀN TRUNG"),  # a vowel twice: the one with the tone
        ("SỬA ĐỔI, BỔỐ SUNG", "SỬA ĐỔI, BỔ SUNG"),  # both with a tone: the one making a word
        ("TRIẾỂN KHAI THỰC HIỆN", "TRIỂN KHAI THỰC HIỆN"),  # only one is a syllable
        ("Hồ Đức Phứớc", "Hồ Đức Phước"),  # two tones on one syllable
        ("Hồ Đức Phớc", "Hồ Đức Phớc"),  # a real syllable: kept
        ("Facebook Zoo", "Facebook Zoo"),  # no variant is a syllable: kept
    ],
)
def test_a_syllable_read_with_one_mark_too_many_loses_it(line: str, expected: str) -> None:
    """Regression (issue 18, subjects in capitals on every scan level): Tesseract read one
    vowel twice with its marks ("MIÊỀN", "BỔỐ") or put two tones on a syllable."""
    assert fix_syllables(line.split()) == expected.split()


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        # issue 18, sixth round: a capitalised word read with an acute for the hook, when the
        # hook makes a word with the next syllable (tuning scans: "Văn phòng Tống Bí thư")
        ("Văn phòng Tống Bí thư", "Văn phòng Tổng Bí thư"),
        ("Phó Tống Giám đốc", "Phó Tổng Giám đốc"),
        ("Tống cục Thuế", "Tổng cục Thuế"),
        # the surname: no word with the name after it
        ("đồng chí Tống Thị Phóng", "đồng chí Tống Thị Phóng"),
        ("ông Tống Văn Bình", "ông Tống Văn Bình"),
        ("Đặng Ngọc Minh", "Đặng Ngọc Minh"),
    ],
)
def test_a_capitalised_word_takes_the_hook_that_makes_a_word_with_the_next(line: str, expected: str) -> None:
    assert fix_syllables(line.split()) == expected.split()


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        # issue 18, sixth round: a letter's mark misread into another real syllable, undone
        # when the change makes a word real text writes with the neighbour (tuning scans)
        ("Ban Tổ chức Trung ương tiếp tức theo dõi", "Ban Tổ chức Trung ương tiếp tục theo dõi"),
        # the read pair is a word already: kept
        ("tin tức mới", "tin tức mới"),
        ("có gì giúp nấy", "có gì giúp nấy"),
    ],
)
def test_a_misread_mark_undone_when_the_neighbour_writes_the_word(line: str, expected: str) -> None:
    assert fix_syllables(line.split()) == expected.split()
