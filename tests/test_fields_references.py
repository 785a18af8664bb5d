"""The documents a letter cites (fields/references.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.letters import extractor, letter
from vanthu.models import DispatchRecord


@pytest.fixture
def extract(tmp_path: Path):
    """extract(text, name="letter.md") -> DispatchRecord, via a file in tmp_path."""
    return extractor(tmp_path)


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
        ("Luật", None),
        ("Nghị định", "30/2020/NĐ-CP"),
        ("Công văn", "4114/VP-NC"),
        ("Thông báo", "419/TB-UBND"),
    ]
    tb = _ref(cited, "419/TB-UBND")
    assert tb.date == "2024-07-24"


def test_same_document_cited_twice_is_listed_once(extract) -> None:
    rec = extract(
        letter(
            body=(
                "Thực hiện Công văn số 4114/VP-NC ngày 08/8/2024 của Văn phòng UBND tỉnh về việc triển khai nhiệm vụ.",
                "1. Triển khai các nội dung tại Công văn số 4114/VP-NC nêu trên.",
                "2. Báo cáo kết quả theo Công văn 4114/VP-NC.",
            )
        )
    )
    assert [r.number_symbol for r in rec.references] == ["4114/VP-NC"]
    assert rec.references[0].date == "2024-08-08"  # the first, full mention is kept


def test_own_number_is_not_a_reference(extract) -> None:
    rec = extract(
        letter(
            number="Số: 05/UBND-VX",
            body=(
                "Căn cứ Kế hoạch số 05/UBND-VX ngày 01/8/2024 của UBND thành phố; "
                "Thực hiện Kế hoạch số 12/KH-UBND ngày 06/6/2023 của UBND tỉnh.",
                "1. Triển khai theo văn bản số 05/UBND-VX.",
            ),
        )
    )
    assert rec.number_symbol == "05/UBND-VX"
    assert [r.number_symbol for r in rec.references] == ["12/KH-UBND"]


def test_no_references(extract) -> None:
    assert extract(letter()).references == []


# ------------------------------------------- a cited date that cannot exist (issue 19)


@pytest.mark.parametrize(
    ("body", "date", "flagged"),
    [
        # read as "42/02/2018": no date given, the citation's text keeps it, a warning says so
        (("Thực hiện Công văn số 123/UBND-VX ngày 42/02/2018 của UBND tỉnh về việc triển khai;",), None, True),
        (("Thực hiện Quyết định số 45/QĐ-UBND ngày 31/02/2024 của UBND tỉnh;",), None, True),
        # the same document cited again with a real date: that reading is taken
        (
            (
                "Thực hiện Công văn số 123/UBND-VX ngày 42/02/2018 của UBND tỉnh về việc triển khai;",
                "Theo Công văn số 123/UBND-VX ngày 12/02/2018, các đơn vị báo cáo.",
            ),
            "2018-02-12",
            False,
        ),
        # a real date first, an impossible one later: the first stands
        (
            (
                "Thực hiện Công văn số 123/UBND-VX ngày 12/02/2018 của UBND tỉnh về việc triển khai;",
                "Theo số 123/UBND-VX ngày 42/02/2018, các đơn vị báo cáo.",
            ),
            "2018-02-12",
            False,
        ),
        (("Thực hiện Công văn số 123/UBND-VX ngày 12/02/2018 của UBND tỉnh;",), "2018-02-12", False),
    ],
)
def test_impossible_cited_date_is_not_given(extract, body: tuple[str, ...], date: str | None, flagged: bool) -> None:
    rec = extract(letter(body=(*body, "1. Tăng cường công tác tuyên truyền.")))
    ref = rec.references[0]
    assert ref.date == date
    warned = [w for w in rec.warning_details if w.field == "/references/0/date"]
    assert bool(warned) is flagged
    if flagged:
        assert "không phải là ngày có thật" in warned[0].message and warned[0].page == 1
        assert rec.provenance["/references/0/date"].confidence < 0.6
        assert "/02/20" in ref.text  # the printed citation keeps what was read


@pytest.mark.parametrize(
    ("body", "titles"),
    [
        (
            "1. Thực hiện các mục tiêu của Nghị quyết Đại hội Đảng toàn quốc lần thứ XIII và nghị quyết "
            "đại hội đảng bộ các tỉnh.",
            ["Nghị quyết Đại hội Đảng toàn quốc lần thứ XIII"],
        ),
        (
            "1. Tiếp tục thực hiện Nghị quyết Trung ương 4 khoá XII, Kết luận số 21-KL/TW về xây dựng Đảng.",
            ["Nghị quyết Trung ương 4 khoá XII"],
        ),
        (
            "1. Quán triệt Nghị quyết Hội nghị lần thứ mười Ban Chấp hành Trung ương.",
            ["Nghị quyết Hội nghị lần thứ mười Ban Chấp hành Trung ương"],
        ),
        ("1. Thực hiện Nghị quyết số 57-NQ/TW của Bộ Chính trị.", []),  # numbered: read with its symbol
        ("1. Các nghị quyết của Đảng được thực hiện.", []),  # lower case: no citation
    ],
)
def test_a_party_resolution_is_cited_by_the_body_that_passed_it(extract, body: str, titles: list[str]) -> None:
    rec = extract(letter(body=(body,)))
    assert [r.title for r in rec.references if r.doc_type == "Nghị quyết" and r.number_symbol is None] == titles


@pytest.mark.parametrize(
    ("body", "law"),
    [
        (
            "Căn cứ Luật Ban hành văn bản quy phạm pháp luật ngày 22 tháng 6 năm 2015;",
            ("Luật Ban hành văn bản quy phạm pháp luật", "2015-06-22"),
        ),
    ],
)
def test_a_type_word_in_lower_case_stays_inside_a_law_name(extract, body: str, law: tuple[str, str]) -> None:
    """ "văn bản" inside the law's name cut it ("Luật Ban hành") and lost its date."""
    rec = extract(letter(body=(body, "1. Nội dung.")))
    assert [(r.title, r.date) for r in rec.references if r.doc_type == "Luật"] == [law]
