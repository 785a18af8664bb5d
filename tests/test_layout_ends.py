"""Where the letter ends (pipeline/layout/ends.py): what follows its signature zone in
the same file is an appendix, an attached draft, a copy's block or other papers, never
the letter's items, distribution or signer."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.letters import extractor, letter
from vanthu.models.document import Line
from vanthu.pipeline.layout.ends import lines_to_parts, part_title

LETTER_END = ["Nơi nhận:", "- Như trên;", "- Lưu: VT.", "CHỦ TỊCH", "Nguyễn Văn An"]
MOTTO = ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"]


def _lines(*pages: list[str]) -> list[Line]:
    return [Line(text=t, page=n) for n, texts in enumerate(pages, start=1) for t in texts]


@pytest.mark.parametrize(
    ("pages", "kinds", "letter_lines"),
    [
        # nothing after the signer block
        ([["Kính gửi: Sở Tài chính.", "1. Báo cáo.", *LETTER_END]], [], 7),
        # an appendix heading after the signature, same page
        ([["1. Báo cáo.", *LETTER_END, "PHỤ LỤC", "DANH MỤC NHIỆM VỤ", "1. Sở Y tế chủ trì."]], ["appendix"], 6),
        # a draft on its own pages: header and motto at the top, blank number
        (
            [
                ["Xin gửi kèm theo: Dự thảo Nghị quyết.", *LETTER_END],
                ["HỘI ĐỒNG NHÂN DÂN", *MOTTO, "Số: /2025/NQ-HĐND", "NGHỊ QUYẾT", "Điều 1. Bãi bỏ."],
            ],
            ["draft"],
            6,
        ),
        # the letter says it sends a draft; the draft's number line is missing
        (
            [
                ["- Dự thảo Quyết định;", *LETTER_END],
                ["ỦY BAN NHÂN DÂN", *MOTTO, "QUYẾT ĐỊNH", "Điều 1. Ban hành."],
            ],
            ["draft"],
            6,
        ),
        # another paper scanned after the letter: a form with its own motto
        (
            [["1. Báo cáo.", *LETTER_END], [*MOTTO, "ĐƠN ĐỀ NGHỊ", "Kính gửi: Ủy ban nhân dân xã.", "Tôi tên là"]],
            ["other"],
            6,
        ),
        # a copy's block under the letter
        (
            [["1. Báo cáo.", *LETTER_END, "VĂN PHÒNG UBND TỈNH", "SAO Y", "Số: 05/SY-VP"]],
            ["copy"],
            6,
        ),
        # an appendix, then a copy block: two parts in order
        (
            [["1. Báo cáo.", *LETTER_END], ["PHỤ LỤC I", "1. Nội dung."], ["SAO LỤC", "Số: 7/SL-UBND"]],
            ["appendix", "copy"],
            6,
        ),
        # a motto inside the body (quoted) before the signature is no cut
        ([["1. Ghi đúng quốc hiệu:", *MOTTO, *LETTER_END]], [], 8),
        # no Nơi nhận and no end mark: nothing is cut
        ([["1. Báo cáo.", "PHỤ LỤC", "1. Sở Y tế."]], [], 3),
    ],
)
def test_parts_after_the_letter(pages, kinds, letter_lines) -> None:
    parts = lines_to_parts(_lines(*pages))
    assert [p.kind for p in parts.parts] == kinds
    assert len(parts.letter) == letter_lines


def test_a_part_on_its_own_pages_starts_at_the_pages_first_line() -> None:
    parts = lines_to_parts(_lines(["1. Báo cáo.", *LETTER_END], ["HỘI ĐỒNG NHÂN DÂN", *MOTTO, "Số: /NQ-HĐND"]))
    assert parts.parts[0].lines[0].text == "HỘI ĐỒNG NHÂN DÂN"
    assert parts.parts[0].pages == [2]


@pytest.mark.parametrize(
    ("texts", "title"),
    [
        (["PHỤ LỤC I", "DANH MỤC CÁC NHIỆM VỤ", "1. Một."], "PHỤ LỤC I DANH MỤC CÁC NHIỆM VỤ"),
        (["HỘI ĐỒNG NHÂN DÂN", *MOTTO, "Số: /2025/NQ-HĐND", "NGHỊ QUYẾT", "Bãi bỏ các nghị quyết"], "NGHỊ QUYẾT"),
    ],
)
def test_part_title(texts, title) -> None:
    columns = {"HỘI ĐỒNG NHÂN DÂN": "left", "Số: /2025/NQ-HĐND": "left"}
    lines = [Line(text=t, page=2, column=columns.get(t, "right" if t.isupper() else "full")) for t in texts]
    assert part_title(lines) == title


# ---------------------------------------------------------------- through the whole pipeline
@pytest.fixture
def extract(tmp_path):
    return extractor(tmp_path)


def test_appendix_items_are_not_assignments(extract) -> None:
    text = letter(body=("1. Sở Tài chính chủ trì tổng hợp báo cáo.",)) + (
        "\nPHỤ LỤC\n\nDANH MỤC NHIỆM VỤ\n\n1. Sở Y tế chủ trì kiểm tra.\n\n2. Sở Xây dựng chủ trì rà soát.\n"
    )
    rec = extract(text)
    assert [a.label for a in rec.assignments] == ["1"]
    assert [(a.kind, a.title) for a in rec.appendices] == [("appendix", "PHỤ LỤC DANH MỤC NHIỆM VỤ")]
    assert rec.signer is not None and rec.signer.name == "Nguyễn Văn Hạnh"
    assert any("phụ lục" in w for w in rec.warnings)


def test_a_copy_block_is_read_and_the_original_is_the_letter(extract) -> None:
    copy_block = (
        "\nVĂN PHÒNG UBND TỈNH\n\nSAO Y\n\nSố: 05/SY-VP\n\nLạng Sơn, ngày 20 tháng 8 năm 2024\n\n"
        "Nơi nhận:\n- Các phòng;\n- Lưu: VT.\n\nTL. CHỦ TỊCH\nCHÁNH VĂN PHÒNG\n\nTrần Thị Bình\n"
    )
    rec = extract(letter() + copy_block)
    assert rec.number_symbol == "12/UBND-VX" and rec.date == "2024-08-15"
    assert rec.signer is not None and rec.signer.name == "Nguyễn Văn Hạnh"
    assert rec.distribution == ["Như trên", "Lưu: VT, VP"]
    c = rec.copy_block
    assert c is not None
    assert (c.kind, c.issuer, c.number_symbol, c.date, c.place) == (
        "SAO Y",
        "VĂN PHÒNG UBND TỈNH",
        "05/SY-VP",
        "2024-08-20",
        "Lạng Sơn",
    )
    assert (c.signer_title, c.signer_name) == ("CHÁNH VĂN PHÒNG", "Trần Thị Bình")
    assert '"copy": {' in rec.to_json()


def test_an_attached_draft_keeps_the_letters_signer_and_distribution(extract) -> None:
    draft = letter(
        issuer=("HỘI ĐỒNG NHÂN DÂN", "TỈNH LẠNG SƠN"),
        number="Số:     /2025/NQ-HĐND",
        place_date="Lạng Sơn, ngày    tháng    năm 2025",
        title=("NGHỊ QUYẾT", "Bãi bỏ các nghị quyết"),
        subject=(),
        recipients=(),
        closing=None,
        body=("QUYẾT NGHỊ:", "Điều 1. Bãi bỏ Nghị quyết số 39/2011/NQ-HĐND.", "Điều 2. Sở Tư pháp chủ trì thi hành."),
        distribution=("Nơi nhận:", "- UBTV Quốc hội;", "- Lưu: VT."),
        signer=("CHỦ TỊCH", "", "Lê Văn Cường"),
    )
    submission = letter(
        number="Số: 9/TTr-UBND",
        title=("TỜ TRÌNH", "Về việc ban hành Nghị quyết"),
        subject=(),
        recipients=("Kính gửi: Hội đồng nhân dân tỉnh.",),
        body=("1. Sự cần thiết ban hành.", "Xin gửi kèm theo: Dự thảo Nghị quyết."),
        closing=None,
    )
    rec = extract(submission + "\n" + draft)
    assert rec.number_symbol == "9/TTr-UBND"
    assert rec.signer is not None and rec.signer.name == "Nguyễn Văn Hạnh"
    assert "UBTV Quốc hội" not in rec.distribution
    assert [a.kind for a in rec.appendices] == ["draft"]
    assert not any(a.label.startswith("Điều") for a in rec.assignments)
    assert all(r.number_symbol != "39/2011/NQ-HĐND" for r in rec.references)


def test_a_form_scanned_after_the_letter_is_reported_as_other_pages(tmp_path) -> None:
    """A digital PDF: the letter (samples/src) followed by an application form with its own
    motto, joined into one file."""
    import json

    import pypdfium2 as pdfium

    from vanthu.pipeline.extract import extract_file
    from vanthu.samplegen.render import render_letter

    root = Path(__file__).resolve().parents[1]
    layout = json.loads((root / "samples" / "src" / "tb-so-2024-88.json").read_text(encoding="utf-8"))
    form = {
        "header_left": [],
        "header_right": ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"],
        "title": ["ĐƠN ĐỀ NGHỊ", "Cấp bản sao giấy chứng nhận"],
        "recipients": ["Kính gửi: Ủy ban nhân dân phường Đông Kinh"],
        "body": ["1. Họ và tên người đề nghị: Hoàng Văn Nam.", "2. Sở Tài chính chủ trì thẩm định hồ sơ."],
        "distribution": [],
        "signer": ["NGƯỜI LÀM ĐƠN", "", "Hoàng Văn Nam"],
    }
    render_letter(layout, tmp_path / "letter.pdf")
    render_letter(form, tmp_path / "form.pdf")
    joined = pdfium.PdfDocument(str(tmp_path / "letter.pdf"))
    letter_pages = len(joined)
    joined.import_pages(pdfium.PdfDocument(str(tmp_path / "form.pdf")))
    joined.save(str(tmp_path / "both.pdf"))
    alone = extract_file(tmp_path / "letter.pdf")
    both = extract_file(tmp_path / "both.pdf")
    assert both.other_pages == list(range(letter_pages + 1, len(joined) + 1))
    assert both.appendices == []
    assert [a.label for a in both.assignments] == [a.label for a in alone.assignments]
    assert both.signer == alone.signer and both.distribution == alone.distribution
    assert any("giấy tờ khác" in w for w in both.warnings)
