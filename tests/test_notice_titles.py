"""Notices (Thông báo) whose title block follows the Party's format or prints the type name
and the subject on one line (issue 18, fifth round): "THÔNG BÁO" / "KẾT LUẬN CỦA THƯỜNG
TRỰC BAN BÍ THƯ" / "về …", and "THÔNG BÁO KẾT LUẬN CỦA …". Hand-written letters, as plain
text and rendered."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import load_renderer
from tests.support.letters import extractor, letter
from vanthu.pipeline.extract import extract_file

PARTY = ("BAN CHẤP HÀNH TRUNG ƯƠNG", "VĂN PHÒNG", "*")
PARTY_MOTTO = ("ĐẢNG CỘNG SẢN VIỆT NAM",)
BODY = (
    "Ngày 15/10/2025, Thường trực Ban Bí thư kết luận như sau:",
    "1. Giao Ban Tổ chức Trung ương chủ trì, phối hợp với Bộ Nội vụ hoàn thiện Đề án.",
    "2. Các tỉnh uỷ, thành uỷ lãnh đạo thực hiện nghiêm.",
)


@pytest.fixture
def extract(tmp_path: Path):
    return extractor(tmp_path)


def _notice(title: tuple[str, ...], **kw) -> str:
    base = {
        "issuer": PARTY,
        "motto": PARTY_MOTTO,
        "number": "Số 518-TB/VPTW",
        "place_date": "Hà Nội, ngày 20 tháng 10 năm 2025",
        "title": title,
        "subject": (),
        "recipients": (),
        "closing": None,
        "body": BODY,
        "distribution": ("Nơi nhận:", "- Các tỉnh uỷ, thành uỷ,", "- Lưu Văn phòng Trung ương Đảng."),
        "signer": ("T/L BAN BÍ THƯ", "CHÁNH VĂN PHÒNG", "", "Lê Hoài Trung"),
    }
    return letter(**(base | kw))


# (title block as printed: the type name line, then the subject's lines) -> (doc_type, subject)
TITLES = [
    # the Party's notice: a subject in capitals goes on in a line in lower case ("về …")
    (
        ("THÔNG BÁO", "KẾT LUẬN CỦA THƯỜNG TRỰC BAN BÍ THƯ\nvề Đề án phát triển báo chí"),
        ("Thông báo", "KẾT LUẬN CỦA THƯỜNG TRỰC BAN BÍ THƯ về Đề án phát triển báo chí"),
    ),
    (
        ("THÔNG BÁO", "KẾT LUẬN CỦA BAN BÍ THƯ\nvề việc tiếp tục thực hiện Chỉ thị số 05-CT/TW"),
        ("Thông báo", "KẾT LUẬN CỦA BAN BÍ THƯ về việc tiếp tục thực hiện Chỉ thị số 05-CT/TW"),
    ),
    (
        ("THÔNG BÁO", "Ý KIẾN CỦA BỘ CHÍNH TRỊ\nVỀ CHỦ TRƯƠNG SẮP XẾP CÁC CƠ QUAN BÁO CHÍ"),
        ("Thông báo", "Ý KIẾN CỦA BỘ CHÍNH TRỊ VỀ CHỦ TRƯƠNG SẮP XẾP CÁC CƠ QUAN BÁO CHÍ"),
    ),
    # the type name and the subject's first words on one line
    (
        ("THÔNG BÁO KẾT LUẬN CỦA THƯỜNG TRỰC BAN BÍ THƯ\nvề Đề án phát triển báo chí",),
        ("Thông báo", "KẾT LUẬN CỦA THƯỜNG TRỰC BAN BÍ THƯ về Đề án phát triển báo chí"),
    ),
    (
        ("KẾ HOẠCH TỔ CHỨC HỘI NGHỊ TỔNG KẾT NĂM 2025",),
        ("Kế hoạch", "TỔ CHỨC HỘI NGHỊ TỔNG KẾT NĂM 2025"),
    ),
    # a type name alone on its line, a subject in sentence case: unchanged
    (
        ("THÔNG BÁO", "Kết luận của Phó Thủ tướng Chính phủ tại cuộc họp về nhà ở xã hội"),
        ("Thông báo", "Kết luận của Phó Thủ tướng Chính phủ tại cuộc họp về nhà ở xã hội"),
    ),
]


@pytest.mark.parametrize(("title", "expected"), TITLES)
def test_notice_title_gives_type_and_whole_subject(extract, title, expected) -> None:
    rec = extract(_notice(title))
    assert (rec.doc_type, rec.subject) == expected
    assert [a.lead for a in rec.assignments] == ["Ban Tổ chức Trung ương", "Các tỉnh uỷ, thành uỷ"]


# body lines in capitals right under a subject in capitals still end it
SUBJECT_ENDS = [
    (("THÔNG BÁO", "KẾT LUẬN CỦA BAN BÍ THƯ"), "Ngày 15/10/2025, Ban Bí thư kết luận như sau:"),
    (("THÔNG BÁO", "Ý KIẾN CỦA BỘ CHÍNH TRỊ\nVỀ SẮP XẾP CÁC CƠ QUAN BÁO CHÍ"), "Bộ Chính trị có ý kiến như sau:"),
]


@pytest.mark.parametrize(("title", "first"), SUBJECT_ENDS)
def test_running_text_under_a_capital_subject_is_body(extract, title, first) -> None:
    rec = extract(_notice(title, body=(first, *BODY[1:])))
    assert first not in (rec.subject or "")
    assert rec.subject == " ".join(title[1].split("\n"))


def test_a_capital_body_line_starting_with_a_type_name_is_no_title(extract) -> None:
    """Only the line where the title stands is split; "KẾ HOẠCH …" later in the body is text."""
    rec = extract(
        _notice(
            ("THÔNG BÁO", "KẾT LUẬN CỦA BAN BÍ THƯ"),
            body=(*BODY, "3. KẾ HOẠCH TỔ CHỨC HỘI NGHỊ do Ban Tổ chức Trung ương chuẩn bị."),
        )
    )
    assert rec.subject == "KẾT LUẬN CỦA BAN BÍ THƯ"
    assert [a.label for a in rec.assignments] == ["1", "2", "3"]


def test_rendered_party_notice_reads_type_subject_and_signer(tmp_path: Path) -> None:
    layout = {
        "header_left": list(PARTY),
        "parent_lines": 1,
        "header_right": list(PARTY_MOTTO),
        "number_line": "Số 518-TB/VPTW",
        "place_date": "Hà Nội, ngày 20 tháng 10 năm 2025",
        "marks": [],
        "subject_left": [],
        "title": ["THÔNG BÁO KẾT LUẬN CỦA THƯỜNG TRỰC BAN BÍ THƯ", "về Đề án phát triển hệ thống báo chí", "-----"],
        "recipients": [],
        "body": list(BODY),
        "distribution": ["Nơi nhận:", "- Các tỉnh uỷ, thành uỷ,", "- Lưu Văn phòng Trung ương Đảng."],
        "signer": ["T/L BAN BÍ THƯ", "CHÁNH VĂN PHÒNG", "", "Lê Hoài Trung"],
    }
    pdf = tmp_path / "tb.pdf"
    load_renderer().render_letter(layout, pdf)
    rec = extract_file(pdf)
    assert rec.doc_type == "Thông báo"
    assert rec.subject == "KẾT LUẬN CỦA THƯỜNG TRỰC BAN BÍ THƯ về Đề án phát triển hệ thống báo chí"
    assert rec.signer is not None
    assert (rec.signer.prefix, rec.signer.title, rec.signer.name) == ("TL.", "CHÁNH VĂN PHÒNG", "Lê Hoài Trung")
    assert [a.lead for a in rec.assignments] == ["Ban Tổ chức Trung ương", "Các tỉnh uỷ, thành uỷ"]


# signer block as printed -> (prefix, title, name): a title wrapped onto a second line is one
# title; a title under a prefix line, or a second title of its own, stays apart
SIGNERS = [
    (
        ("T/L BỘ CHÍNH TRỊ", "CHÁNH VĂN PHÒNG", "TRUNG ƯƠNG ĐẢNG", "", "Lê Hoài Trung"),
        ("TL.", "CHÁNH VĂN PHÒNG TRUNG ƯƠNG ĐẢNG", "Lê Hoài Trung"),
    ),
    (
        ("T/L BAN BÍ THƯ", "PHÓ CHÁNH VĂN", "PHÒNG THƯỜNG TRỰC", "", "Nguyễn Văn An"),
        ("TL.", "PHÓ CHÁNH VĂN PHÒNG THƯỜNG TRỰC", "Nguyễn Văn An"),
    ),
    (
        ("GIÁM ĐỐC SỞ NÔNG NGHIỆP", "VÀ MÔI TRƯỜNG", "", "Phạm Thị Hoa"),
        (None, "GIÁM ĐỐC SỞ NÔNG NGHIỆP VÀ MÔI TRƯỜNG", "Phạm Thị Hoa"),
    ),
    (
        ("T/L BAN BÍ THƯ", "K/T CHÁNH VĂN PHÒNG", "PHÓ CHÁNH VĂN PHÒNG", "", "Nguyễn Văn An"),
        ("TL.", "PHÓ CHÁNH VĂN PHÒNG", "Nguyễn Văn An"),
    ),
    (("TM. ỦY BAN NHÂN DÂN", "THÀNH PHỐ", "CHỦ TỊCH", "", "Nguyễn Văn An"), ("TM.", "CHỦ TỊCH", "Nguyễn Văn An")),
    (("KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "", "Nguyễn Văn An"), ("KT.", "PHÓ CHỦ TỊCH", "Nguyễn Văn An")),
    (("T/M BỘ CHÍNH TRỊ", "", "Trần Cẩm Tú"), ("TM.", "BỘ CHÍNH TRỊ", "Trần Cẩm Tú")),
]


@pytest.mark.parametrize(("block", "expected"), SIGNERS)
def test_signer_title_wrapped_onto_two_lines_is_one(extract, block, expected) -> None:
    rec = extract(_notice(("THÔNG BÁO", "KẾT LUẬN CỦA BAN BÍ THƯ"), signer=block))
    assert rec.signer is not None
    assert (rec.signer.prefix, rec.signer.title, rec.signer.name) == expected
