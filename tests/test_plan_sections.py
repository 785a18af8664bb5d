"""A Kế hoạch whose "Tổ chức thực hiện" section gives each unit a numbered heading alone on
its line, with its task in the sentence under it (issue 18, fifth round). Rendered, so the
heading's line ends short of the margin as printed."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import load_renderer
from vanthu.pipeline.extract import extract_file

ORGANISATION = [
    "I. MỤC ĐÍCH, YÊU CẦU",
    "1. Mục đích",
    "Triển khai đồng bộ các nhiệm vụ chuyển đổi số trên địa bàn tỉnh.",
    "II. TỔ CHỨC THỰC HIỆN",
    "1. Sở Khoa học và Công nghệ",
    "- Chủ trì, phối hợp với Sở Nội vụ triển khai Kế hoạch này.",
    "2. Sở Tài chính",
    "Tham mưu bố trí kinh phí thực hiện Kế hoạch.",
    "3. Các sở, ban, ngành; Ủy ban nhân dân các xã, phường",
    "Căn cứ chức năng, nhiệm vụ được giao, xây dựng kế hoạch chi tiết để triển khai thực hiện.",
    "4. Trách nhiệm của Công an tỉnh: bảo đảm an ninh, an toàn hệ thống thông tin.",
]


def _plan() -> dict:
    return {
        "header_left": ["ỦY BAN NHÂN DÂN", "TỈNH GIA LAI"],
        "parent_lines": 0,
        "header_right": ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"],
        "number_line": "Số: 215/KH-UBND",
        "place_date": "Gia Lai, ngày 14 tháng 11 năm 2025",
        "marks": [],
        "subject_left": [],
        "title": ["KẾ HOẠCH", "Triển khai thực hiện Chương trình chuyển đổi số năm 2026"],
        "recipients": [],
        "body": ["Ủy ban nhân dân tỉnh ban hành Kế hoạch như sau:", *ORGANISATION],
        "distribution": ["Nơi nhận:", "- Các sở, ban, ngành;", "- Lưu: VT, KGVX."],
        "signer": ["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "", "Nguyễn Hữu Quế"],
    }


def test_unit_headings_alone_on_their_lines_give_each_unit_its_task(tmp_path: Path) -> None:
    pdf = tmp_path / "kh.pdf"
    load_renderer().render_letter(_plan(), pdf)
    rec = extract_file(pdf)
    section = rec.assignments[1]
    assert section.label == "II"
    assert [c.assignees for c in section.children] == [
        ["Sở Khoa học và Công nghệ", "Sở Nội vụ"],
        ["Sở Tài chính"],
        ["Các sở, ban, ngành", "Ủy ban nhân dân các xã, phường"],
        ["Công an tỉnh"],
    ]
    assert section.lead == "Sở Khoa học và Công nghệ"
    named = {"Sở Nội vụ", "Sở Tài chính", "Ủy ban nhân dân các xã, phường", "Công an tỉnh"}
    assert named <= set(section.support)
    # the heading and the sentence under it are one item's text, in order
    assert section.children[1].text == "Sở Tài chính Tham mưu bố trí kinh phí thực hiện Kế hoạch."
