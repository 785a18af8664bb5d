"""The numbered items of a letter's body as a tree (fields/items.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.letters import decision, extractor, letter
from vanthu.models.document import Word


@pytest.fixture
def extract(tmp_path: Path):
    """extract(text, name="letter.md") -> DispatchRecord, via a file in tmp_path."""
    return extractor(tmp_path)


def test_numbered_items(extract) -> None:
    rec = extract(
        letter(
            body=(
                "UBND thành phố yêu cầu các cơ quan thực hiện tốt một số nội dung như sau:",
                "1. Tăng cường công tác tuyên truyền.",
                "2. Rà soát thủ tục hành chính.",
                "3. Báo cáo kết quả.",
            )
        )
    )
    assert [a.label for a in rec.assignments] == ["1", "2", "3"]
    assert rec.assignments[1].text == "Rà soát thủ tục hành chính."
    assert all(a.children == [] for a in rec.assignments)


def test_closing_paragraph_is_not_part_of_the_last_item(extract) -> None:
    rec = extract(letter(body=("1. Tăng cường công tác tuyên truyền.", "2. Rà soát thủ tục hành chính.")))
    assert rec.assignments[-1].text == "Rà soát thủ tục hành chính."


def test_roman_items_with_children(extract) -> None:
    rec = extract(
        letter(
            body=(
                "I. MỤC ĐÍCH, YÊU CẦU",
                "1. Bảo đảm tiến độ triển khai.",
                "2. Phân công rõ trách nhiệm.",
                "II. NHIỆM VỤ",
                "1. Tăng cường tuyên truyền.",
                "2. Rà soát thủ tục.",
                "3. Báo cáo kết quả.",
            )
        )
    )
    assert [a.label for a in rec.assignments] == ["I", "II"]
    assert [c.label for c in rec.assignments[0].children] == ["1", "2"]
    assert [c.label for c in rec.assignments[1].children] == ["1", "2", "3"]
    assert rec.assignments[1].children[2].text == "Báo cáo kết quả."
    assert rec.assignments[1].text.startswith("NHIỆM VỤ")
    assert "Rà soát thủ tục." in rec.assignments[1].text  # children's text is part of the item


def test_articles_with_points(extract) -> None:
    rec = extract(
        letter(
            number="Số: 19/QĐ-UBND",
            title=("QUYẾT ĐỊNH", "Về việc ban hành Kế hoạch cải cách hành chính"),
            subject=(),
            recipients=(),
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
        )
    )
    assert rec.doc_type == "Quyết định"
    assert rec.subject == "Về việc ban hành Kế hoạch cải cách hành chính"
    assert [a.label for a in rec.assignments] == ["Điều 1", "Điều 2", "Điều 3"]
    assert [c.label for c in rec.assignments[0].children] == ["a", "b"]
    assert rec.assignments[0].children[1].text.startswith("Nội dung thứ hai")
    d3 = rec.assignments[2]
    assert d3.assignees == [
        "Chánh Văn phòng UBND tỉnh",
        "Giám đốc Sở Nông nghiệp và Môi trường",
        "Chủ tịch Ủy ban nhân dân các xã, phường",
    ]
    assert d3.lead == "Chánh Văn phòng UBND tỉnh"
    assert d3.support == d3.assignees[1:]


def test_execution_clause_ending_the_letter_is_kept(extract) -> None:
    """The last article's "A; B chịu trách nhiệm thi hành Quyết định này./." names its
    assignees: it is not a closing paragraph to drop."""
    rec = decision(
        extract,
        "Điều 1. Ban hành kèm theo Quyết định này Quy định hỗ trợ doanh nghiệp.",
        "Điều 2. Hiệu lực và trách nhiệm thi hành",
        "Quyết định này có hiệu lực thi hành kể từ ngày ký.",
        "Chánh Văn phòng Ủy ban nhân dân tỉnh; Giám đốc Sở Tài chính; Giám đốc Trung tâm Phục vụ hành "
        "chính công tỉnh và các tổ chức, cá nhân có liên quan chịu trách nhiệm thi hành Quyết định này./.",
    )
    d2 = rec.assignments[1]
    assert "chịu trách nhiệm thi hành" in d2.text
    assert d2.assignees == [
        "Chánh Văn phòng Ủy ban nhân dân tỉnh",
        "Giám đốc Sở Tài chính",
        "Giám đốc Trung tâm Phục vụ hành chính công tỉnh",
    ]


def test_zero_padded_label(extract) -> None:
    rec = extract(letter(body=("04. Rà soát hồ sơ.", "05. Báo cáo kết quả.")))
    assert [a.label for a in rec.assignments] == ["4", "5"]
    assert rec.assignments[1].text == "Báo cáo kết quả."


def test_zero_padded_child_label(extract) -> None:
    rec = extract(
        letter(body=("II. NHIỆM VỤ", "1. Tăng cường tuyên truyền.", "2. Rà soát thủ tục.", "05. Báo cáo kết quả."))
    )
    assert [c.label for c in rec.assignments[0].children] == ["1", "2", "5"]


def test_no_items(extract) -> None:
    rec = extract(letter(body=("UBND thành phố đề nghị Sở Tài chính quan tâm, phối hợp.",)))
    assert rec.assignments == []
    assert rec.tasks == []


def test_heading_number_misread_as_the_one_before_it_is_renumbered(extract) -> None:
    """Regression (noisy scans): "III. KINH PHÍ" read as "II." gave two items II and no
    III; a heading number never repeats, and IV after it confirms III."""
    body = (
        "I. MỤC ĐÍCH\nTăng cường công tác.",
        "II. NỘI DUNG\nGiao Sở Nội vụ chủ trì.",
        "II. KINH PHÍ\nGiao Sở Tài chính bố trí kinh phí.",
        "IV. TỔ CHỨC THỰC HIỆN\nCác sở thực hiện.",
    )
    rec = extract(letter(body=body))
    assert [a.label for a in rec.assignments] == ["I", "II", "III", "IV"]
    # two equal labels with nothing to confirm the sequence stay as printed
    body = (
        "I. MỤC ĐÍCH\nTăng cường.",
        "II. NỘI DUNG\nGiao Sở Nội vụ.",
        "II. KINH PHÍ\nGiao Sở Tài chính.",
        "V. TỔ CHỨC\nCác sở thực hiện.",
    )
    assert [a.label for a in extract(letter(body=body)).assignments] == ["I", "II", "II", "V"]


# -------------------------------------- item markers misread by OCR (ocr/postcorrect.py)


def words(*texts: str, y: float = 100.0) -> list[Word]:
    """OCR words side by side on one row (as ``words`` of tests/support/ocr.py)."""
    out, x = [], 10.0
    for t in texts:
        out.append(Word(text=t, x0=x, y0=y, x1=x + 12 * len(t), y1=y + 20, confidence=0.9))
        x += 12 * len(t) + 8
    return out


def test_roman_heading_with_a_speck_before_it():
    from vanthu.pipeline.ocr.postcorrect import correct_words

    assert [w.text for w in correct_words(words("-IH.", "NỘI", "DUNG"))] == ["II.", "NỘI", "DUNG"]


# ------------------------------------------------------------------ deep and long trees
def _paras(texts: list[str]) -> list:
    from vanthu.pipeline.layout.paragraphs import Paragraph

    return [Paragraph(t) for t in texts]


def _read(texts: list[str]) -> tuple[list, list[str]]:
    """(assignments, warnings) of body paragraphs, with a recursion limit far below the
    tree's size and depth: any recursion over items fails here."""
    import inspect
    import sys

    from vanthu.pipeline.fields.items import read_assignments
    from vanthu.pipeline.provenance import ProvenanceLog

    paras = _paras(texts)
    read_assignments(_paras(["1. Giao Phòng Nội vụ thực hiện."]), None, ProvenanceLog())  # vocabularies loaded
    warnings: list[str] = []
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(len(inspect.stack(0)) + 150)
    try:
        out = read_assignments(paras, "2024-08-15", ProvenanceLog(), warnings)
    finally:
        sys.setrecursionlimit(limit)
    return out, warnings


def _depths(assignments) -> list[int]:
    from vanthu.pipeline.fields.items import walk

    return [d for d, _ in walk(assignments)]


def test_restarting_numbering_stays_flat_with_a_warning() -> None:
    from vanthu.samplegen.oddities import restarting_items

    out, warnings = _read(restarting_items(300))
    assert sum(1 for _ in _depths(out)) == 900  # every item kept
    assert max(_depths(out)) <= 1  # a restart never nests deeper
    assert [a.label for a in out[:2]] == ["1", "2"]
    assert len(warnings) == 1 and "bắt đầu lại từ 1" in warnings[0]


def test_a_repeated_page_restart_after_a_sub_list() -> None:
    out, warnings = _read(
        [
            "1. Giao Sở Tài chính thực hiện.",
            "2. Giao Sở Nội vụ:",
            "1. rà soát;",
            "2. báo cáo.",
            "1. Giao lại Sở Tài chính.",
        ]
    )
    assert [a.label for a in out] == ["1", "2", "1"]
    assert [c.label for c in out[1].children] == ["1", "2"]  # the sub-list: siblings, not nested
    assert warnings and "bắt đầu lại từ 1 1 lần" in warnings[0]


def test_two_thousand_items() -> None:
    from vanthu.samplegen.oddities import flat_items

    out, warnings = _read(flat_items(2000))
    assert len(out) == 40 and len(list(_depths(out))) == 2000
    assert out[0].label == "Điều 1" and [c.label for c in out[0].children][-1] == "49"
    assert warnings == []


def test_items_nested_fifty_deep_serialise() -> None:
    from vanthu.models.record import Assignment
    from vanthu.samplegen.oddities import nested_items

    out, warnings = _read(nested_items(50))
    assert max(_depths(out)) == 49 and [a.label for a in out] == ["1", "2"]
    deepest = out[0]
    while deepest.children:
        deepest = deepest.children[0]
    assert deepest.text.startswith("Nội dung cấp 50")
    assert "Nội dung cấp 50" in out[0].text  # a parent's text holds its sub-items'
    back = Assignment.model_validate_json(out[0].model_dump_json())
    assert back == out[0]
    assert warnings == []


def test_items_deeper_than_the_limit_are_kept_at_it() -> None:
    from vanthu.pipeline.fields.items import MAX_ITEM_DEPTH
    from vanthu.samplegen.oddities import nested_items

    out, warnings = _read(nested_items(MAX_ITEM_DEPTH + 10))
    assert max(_depths(out)) == MAX_ITEM_DEPTH - 1
    assert len(list(_depths(out))) == MAX_ITEM_DEPTH + 11  # none lost
    assert warnings and "lồng sâu hơn" in warnings[0]


def test_walk_is_pre_order_with_depths() -> None:
    from vanthu.pipeline.fields.items import walk

    out, _ = _read(["I. MỤC ĐÍCH", "1. Một.", "a) A.", "2. Hai.", "II. NHIỆM VỤ", "1. Ba."])
    assert [(d, a.label) for d, a in walk(out)] == [(0, "I"), (1, "1"), (2, "a"), (1, "2"), (0, "II"), (1, "1")]


@pytest.mark.parametrize(
    ("quoted", "labels"),
    [
        # a law's article quoted as the grounds: its items are the law's
        (("“Điều 49. Nguyên tắc ấn định thuế", "…", "2. Cơ quan quản lý thuế ấn định số tiền thuế phải nộp.”"), []),
        # quotes nested in the passage do not close it
        (
            (
                "“Điều 5. Các bên có quan hệ liên kết",
                "1. Các bên (sau đây viết tắt là “bên liên kết”) là các bên có mối quan hệ sau:",
                "a) Một bên tham gia điều hành bên kia;",
                "2. Các bên liên kết được quy định cụ thể.”",
            ),
            [],
        ),
        # a quotation left open is no quotation: nothing is skipped
        (("“Điều 5. Các bên có quan hệ liên kết", "1. Sở Tài chính chủ trì thực hiện."), ["1"]),
    ],
)
def test_items_of_a_quoted_passage_are_not_the_letters(extract, quoted, labels) -> None:
    """Regression: the numbered items of a law quoted in a letter's grounds became its assignments."""
    body = ("Căn cứ khoản 2 Điều 49 Luật Quản lý thuế, quy định:", *quoted, "Sở Tài chính có ý kiến như sau.")
    rec = extract(letter(body=body))
    assert [a.label for a in rec.assignments] == labels


@pytest.mark.parametrize(
    ("printed", "top", "children_of_last"),
    [
        # a number skipped (or its line lost): still the next top-level item
        (
            ["7. Thanh tra tỉnh kiểm tra.", "8. Tỉnh đoàn tham gia.", "10. Chủ tịch UBND các huyện:"],
            ["7", "8", "10"],
            [],
        ),
        (["1. Sở A thực hiện.", "3. Sở B thực hiện."], ["1", "3"], []),
        # far past the next one: a list inside the item, as before
        (["1. Sở A thực hiện:", "5. năm nội dung;"], ["1"], ["5"]),
        # a sub-list open inside the item: its numbers stay in it
        (["1. Sở A:", "1. rà soát;", "3. báo cáo."], ["1"], ["1", "3"]),
    ],
)
def test_a_skipped_top_level_number_stays_top_level(printed, top, children_of_last) -> None:
    out, _ = _read(printed)
    assert [a.label for a in out] == top
    assert [c.label for c in out[-1].children] == children_of_last


@pytest.mark.parametrize(
    "closing",
    [
        "Căn cứ Chỉ thị này, Thủ trưởng các sở, ngành và Chủ tịch UBND các huyện xây dựng kế hoạch thực hiện",
        "Trên đây là Kế hoạch triển khai công tác năm 2025 của UBND tỉnh",
    ],
)
def test_a_closing_that_speaks_of_the_letter_is_not_the_last_items(extract, closing: str) -> None:
    """The OCR lost its "./.": the closing paragraph went to the last item and gave it the
    letter's addressees."""
    rec = extract(
        letter(body=("1. Sở Y tế: chuẩn bị vật tư.", "2. Công an tỉnh bảo đảm an ninh:", "a) Tuần tra;", closing))
    )
    assert closing not in rec.assignments[-1].text
    assert [a.assignees for a in rec.assignments] == [["Sở Y tế"], ["Công an tỉnh"]]
