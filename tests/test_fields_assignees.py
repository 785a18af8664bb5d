"""Who an item assigns its task to: lead and support (fields/assignees.py)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.conftest import shared_dir
from tests.support.letters import decision, extractor, letter, one_item
from vanthu.pipeline.extract import extract_file


@pytest.fixture
def extract(tmp_path: Path):
    """extract(text, name="letter.md") -> DispatchRecord, via a file in tmp_path."""
    return extractor(tmp_path)


def test_lead_with_cung(extract) -> None:
    _, a = one_item(
        extract,
        "7. Giao Văn phòng HĐND-UBND thành phố chủ trì cùng UBND các phường, xã tập trung "
        "đầu tư cơ sở vật chất tại Bộ phận một cửa theo lộ trình, kế hoạch cụ thể.",
    )
    assert a.lead == "Văn phòng HĐND-UBND thành phố"
    assert a.support == ["UBND các phường, xã"]
    assert a.assignees == ["Văn phòng HĐND-UBND thành phố", "UBND các phường, xã"]


def test_lead_with_several_supporters_in_order(extract) -> None:
    _, a = one_item(
        extract,
        "1. Giao Sở Xây dựng chủ trì, phối hợp với Trung tâm Chuyển đổi số Thành phố, Công an "
        "Thành phố, Sở Nông nghiệp và Môi trường triển khai thực hiện.",
    )
    assert a.lead == "Sở Xây dựng"
    assert a.support == ["Trung tâm Chuyển đổi số Thành phố", "Công an Thành phố", "Sở Nông nghiệp và Môi trường"]
    assert a.assignees == [a.lead, *a.support]


def test_unit_with_co_trach_nhiem(extract) -> None:
    _, a = one_item(extract, "2. Sở Tài chính có trách nhiệm bố trí kinh phí thực hiện.")
    assert a.lead == "Sở Tài chính"
    assert a.support == []
    assert a.assignees == ["Sở Tài chính"]


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
    rec, a = one_item(extract, item)
    if a.assignees:
        assert a.lead == a.assignees[0]
        assert a.assignees == [a.lead, *a.support]
        assert [t.role for t in rec.tasks] == ["lead"] + ["support"] * len(a.support)
    else:
        assert a.lead is None and a.support == []


def test_generic_units_before_a_named_unit(extract) -> None:
    _, a = one_item(extract, "1. Yêu cầu Sở Tài chính, Sở Xây dựng rà soát hồ sơ.")
    assert (a.lead, a.support) == ("Sở Tài chính", ["Sở Xây dựng"])
    _, a = one_item(extract, "5. Yêu cầu các cơ quan, đơn vị, UBND các phường xã cần chủ động nghiên cứu.")
    assert "các cơ quan" not in " ".join(a.assignees).lower()
    assert a.support == []


def test_responsibility_headings_of_sub_items(extract) -> None:
    """ "1. Trách nhiệm của Sở Tư pháp" under "Điều 2. Trách nhiệm của các cơ quan, đơn vị"
    makes the Sở an assignee; the generic heading names nobody."""
    rec = decision(
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
    rec = extract(
        letter(
            body=(
                "1. Giao Sở Tài chính chủ trì tổng hợp kết quả.",
                "2. Các cơ quan, đơn vị, địa phương căn cứ nội dung văn bản để triển khai thực hiện.",
            )
        )
    )
    assert rec.assignments[0].assignees == ["Sở Tài chính"]
    assert rec.assignments[1].assignees == []


def test_unit_list_ending_in_a_two_word_place_type(extract) -> None:
    """ "…các phường, xã, đặc khu" at the end of a line: the segmenter splits "đặc | khu"."""
    rec = extract(
        letter(
            body=(
                "1. Giao Ủy ban nhân dân các phường, xã, đặc khu",
                "- Rà soát dữ liệu số nhà trên địa bàn.",
                "2. Giao Sở Xây dựng theo dõi, đôn đốc.",
            )
        )
    )
    assert rec.assignments[0].assignees == ["Ủy ban nhân dân các phường, xã, đặc khu"]


def test_addressee_heading_ending_with_a_colon(extract) -> None:
    """ "1. X, trong đó trọng tâm là …:" over points a), b): X is the addressee; a later
    "Y chịu trách nhiệm toàn diện trước Z" is accountability, not a task for Y."""
    rec = extract(
        letter(
            body=(
                "1. Chủ tịch Ủy ban nhân dân các tỉnh, thành phố từ Hà Tĩnh đến Lâm Đồng, trong đó trọng tâm là "
                "các tỉnh: Đắk Lắk, Gia Lai:",
                "a) Tổ chức xây dựng kế hoạch cụ thể.",
                "b) Rà soát số hộ bị ảnh hưởng. Chủ tịch Ủy ban nhân dân cấp tỉnh chịu trách nhiệm toàn diện trước "
                "Thủ tướng Chính phủ về tính chính xác của thông tin.",
                "2. Giao Bộ Xây dựng hướng dẫn các địa phương.",
            )
        )
    )
    assert rec.assignments[0].assignees == ["Chủ tịch Ủy ban nhân dân các tỉnh, thành phố từ Hà Tĩnh đến Lâm Đồng"]


def test_party_committees_listed_as_addressee(extract) -> None:
    rec = extract(
        letter(
            body=(
                "1. Ban Tuyên giáo và Dân vận Trung ương chủ trì hướng dẫn, kiểm tra.",
                "2. Các tỉnh ủy, thành ủy, đảng ủy trực thuộc Trung ương cụ thể hóa hướng dẫn này.",
            )
        )
    )
    assert rec.assignments[1].assignees == ["Các tỉnh ủy, thành ủy, đảng ủy trực thuộc Trung ương"]


def test_head_of_generic_bodies_is_nobody(extract) -> None:
    """ "Người đứng đầu cơ quan, tổ chức, đơn vị được giao nhiệm vụ" and "Thủ trưởng các cơ
    quan, đơn vị có liên quan" name no one; "Thủ trưởng các sở, ban, ngành" does."""
    rec = extract(
        letter(
            body=(
                "1. Người đứng đầu cơ quan, tổ chức, đơn vị được giao nhiệm vụ chủ động triển khai thực hiện.",
                "2. Thủ trưởng các sở, ban, ngành chủ động triển khai thực hiện.",
                "3. Thủ trưởng các cơ quan, đơn vị có liên quan chủ động triển khai thực hiện.",
            )
        )
    )
    assert [a.assignees for a in rec.assignments] == [[], ["Thủ trưởng các sở, ban, ngành"], []]


def test_generic_word_after_a_name_is_not_part_of_it(extract) -> None:
    rec = extract(
        letter(
            body=(
                "1. Sở Văn hóa và Thể thao, Đài Phát thanh và Truyền hình tỉnh, cơ quan thông tấn báo chí chủ động "
                "tuyên truyền.",
            )
        )
    )
    assert rec.assignments[0].assignees == ["Sở Văn hóa và Thể thao", "Đài Phát thanh và Truyền hình tỉnh"]


def test_units_a_list_of_generic_words_is_one_addressee(extract) -> None:
    """Regression (real 08/CT-UBND, 660/TB-UBND): "các cơ quan, đơn vị và UBND các xã" gave
    "các cơ quan" (a generic word after a name begins the next addressee, but not inside
    a list of generic words), and "các cơ quan, đơn vị và địa phương" two addressees."""
    body = (
        "1. Sở Y tế phối hợp với các cơ quan, đơn vị và UBND các xã triển khai.",
        "2. Sở Tài chính chủ trì, phối hợp với các cơ quan, đơn vị và địa phương: thẩm định hồ sơ.",
        "3. Đài Phát thanh và Truyền hình tỉnh, cơ quan thông tấn, báo chí tuyên truyền.",
    )
    got = [(a.lead, a.support) for a in extract(letter(body=body)).assignments]
    assert got == [
        ("Sở Y tế", ["các cơ quan, đơn vị", "UBND các xã"]),
        ("Sở Tài chính", ["các cơ quan, đơn vị và địa phương"]),
        ("Đài Phát thanh và Truyền hình tỉnh", []),
    ]


# ----------------------------------------------------------------------- the seed letter


def test_seed_letter_assignees_match_the_answer_key(tmp_path: Path) -> None:
    shared_dir("seed")
    truth = json.loads((shared_dir("seed") / "letter.truth.json").read_text(encoding="utf-8"))
    letter_path = tmp_path / "letter.md"
    shutil.copyfile(shared_dir("seed") / "letter.md", letter_path)
    rec = extract_file(letter_path)
    got = {a.label: a.assignees for a in rec.assignments}
    want = {a["label"]: a["assignees"] for a in truth["assignments"]}
    assert got == want
    for a in rec.assignments:
        assert a.lead == (a.assignees[0] if a.assignees else None)


# ------------------------------------------------- printed lines -> expected assignees
# Each row: what the behaviour is, the body lines of a letter, the assignees of its items,
# lead first (the others are compared as a set: scoring does not weigh their order).
# Generic addressees stay in the output (they are only not scored).
PRINTED = [
    (
        "a sub-item heading that lists units gives each of them the task",
        (
            "1. Bảo đảm an ninh, trật tự:",
            "a) Công an tỉnh, Bộ Chỉ huy Quân sự tỉnh:",
            "- Bố trí lực lượng bảo vệ các mục tiêu trọng điểm.",
            "b) Các sở, ban, ngành, đoàn thể cấp tỉnh và UBND các xã, phường:",
            "- Phối hợp tuyên truyền.",
        ),
        [["Công an tỉnh", "Bộ Chỉ huy Quân sự tỉnh", "Các sở, ban, ngành, đoàn thể cấp tỉnh", "UBND các xã, phường"]],
    ),
    (
        "a comma inside a compound name closed by 'và' is part of the name, by structure not by a list",
        (
            "1. Sở Văn hóa, Thể thao và Du lịch chủ trì, phối hợp với Sở Lao động, Thương binh và Xã hội, "
            "Sở Y tế tổ chức các hoạt động.",
            "2. Đài Truyền hình Việt Nam, Đài Tiếng nói Việt Nam, Thông tấn xã Việt Nam và các cơ quan báo chí "
            "tăng thời lượng tuyên truyền.",
        ),
        [
            ["Sở Văn hóa, Thể thao và Du lịch", "Sở Lao động, Thương binh và Xã hội", "Sở Y tế"],
            ["Đài Truyền hình Việt Nam", "Đài Tiếng nói Việt Nam", "Thông tấn xã Việt Nam"],
        ],
    ),
    (
        "a unit head printed with the old tone placement ('uỷ', 'hoá') is a head all the same",
        (
            "1. Đảng uỷ Chính phủ lãnh đạo, chỉ đạo việc triển khai.",
            "2. Giao Chi cục Văn hoá tỉnh chủ trì, phối hợp với Đảng uỷ các xã tổ chức thực hiện.",
        ),
        [["Đảng uỷ Chính phủ"], ["Chi cục Văn hoá tỉnh", "Đảng uỷ các xã"]],
    ),
    (
        "the named units of a 'Cơ quan phối hợp:' label work with the lead of the item",
        (
            "1. Hỗ trợ đào tạo nghề cho người lao động.",
            "- Cơ quan chủ trì: Sở Nội vụ, Sở Giáo dục và Đào tạo.",
            "- Cơ quan phối hợp: Bảo hiểm xã hội Thành phố, Trung tâm Dịch vụ việc làm Thành phố; "
            "các cơ quan, đơn vị liên quan.",
        ),
        [
            [
                "Sở Nội vụ",
                "Sở Giáo dục và Đào tạo",
                "Bảo hiểm xã hội Thành phố",
                "Trung tâm Dịch vụ việc làm Thành phố",
            ]
        ],
    ),
    (
        "structural heads: a news agency, a tax office, the State Audit, a 'Ban quản lý' in lower case",
        (
            "1. Thông tấn xã Việt Nam, Thuế tỉnh Gia Lai và Kiểm toán nhà nước khu vực XII phối hợp tuyên truyền.",
            "2. Ban quản lý Khu kinh tế tỉnh chủ trì, phối hợp với Hải quan khu vực IV thực hiện.",
        ),
        [
            ["Thông tấn xã Việt Nam", "Thuế tỉnh Gia Lai", "Kiểm toán nhà nước khu vực XII"],
            ["Ban quản lý Khu kinh tế tỉnh", "Hải quan khu vực IV"],
        ],
    ),
    (
        "a comma before a capitalised field that starts no unit is inside the name",
        ("1. Báo và Phát thanh, Truyền hình tỉnh chủ trì, phối hợp với Sở Nội vụ tuyên truyền.",),
        [["Báo và Phát thanh, Truyền hình tỉnh", "Sở Nội vụ"]],
    ),
    (
        "names that share a plural head after a colon are one addressee",
        (
            "Điều 1. Phê duyệt Đề án.",
            "Điều 2. Bộ trưởng các Bộ: Xây dựng, Tư pháp, Công an, Công Thương và Thủ trưởng các cơ quan, "
            "đơn vị liên quan chịu trách nhiệm thi hành Quyết định này./.",
        ),
        [[], ["Bộ trưởng các Bộ: Xây dựng, Tư pháp, Công an, Công Thương"]],
    ),
    (
        "a plural head whose places follow a colon, then works with others",
        (
            "1. Chủ tịch Ủy ban nhân dân các tỉnh: Gia Lai, Khánh Hòa, Lâm Đồng chủ động phối hợp chặt chẽ "
            "với Bộ Tài chính, Bộ Y tế để bảo đảm quyền lợi của người dân.",
        ),
        [["Chủ tịch Ủy ban nhân dân các tỉnh: Gia Lai, Khánh Hòa, Lâm Đồng", "Bộ Tài chính", "Bộ Y tế"]],
    ),
    (
        "support after the lead's 'chủ trì,' however long the phrase before it",
        (
            "1. Bộ Nội vụ theo chức năng, nhiệm vụ được giao chủ trì, phối hợp với Bộ Tài chính và các địa "
            "phương liên quan chỉ đạo việc giải quyết quyền lợi.",
        ),
        [["Bộ Nội vụ", "Bộ Tài chính", "các địa phương liên quan"]],
    ),
    (
        "a clause opening with 'phối hợp với Y' names Y as support of the item's lead",
        (
            "1. Giao Ủy ban nhân dân các xã rà soát dữ liệu; đồng thời, phối hợp với Công an xã cập nhật dữ liệu.",
            "2. Trách nhiệm của Sở Y tế:",
            "a) Tổ chức triển khai thực hiện.",
            "b) Chủ trì, phối hợp với Văn phòng UBND tỉnh xây dựng quy trình.",
        ),
        [["Ủy ban nhân dân các xã", "Công an xã"], ["Sở Y tế", "Văn phòng UBND tỉnh"]],
    ),
    (
        "a later sentence whose units take a role verb gives them a role",
        (
            "1. Yêu cầu Đảng uỷ Chính phủ chỉ đạo giải quyết các kiến nghị. Các tỉnh uỷ, thành uỷ phối hợp "
            "Bộ Y tế và Bộ Nội vụ sắp xếp các trạm y tế cấp xã.",
        ),
        [["Đảng uỷ Chính phủ", "Các tỉnh uỷ, thành uỷ", "Bộ Y tế", "Bộ Nội vụ"]],
    ),
    (
        "a generic word continuing a lower-case list after 'các' stays in the name",
        (
            "1. Trên cơ sở đó, Ban Chỉ đạo 389 các bộ, ngành, địa phương xây dựng kế hoạch.",
            "2. Bộ trưởng các Bộ, Thủ trưởng cơ quan ngang Bộ và Chủ tịch Ủy ban nhân dân các tỉnh chỉ đạo "
            "các đơn vị thực hiện.",
        ),
        [
            ["Ban Chỉ đạo 389 các bộ, ngành, địa phương"],
            ["Bộ trưởng các Bộ", "Thủ trưởng cơ quan ngang Bộ", "Chủ tịch Ủy ban nhân dân các tỉnh"],
        ],
    ),
    (
        "a lower-case word between capitalised fields of one name is inside it",
        (
            "1. Sở Nội vụ, Ban quản lý Khu Lâm nghiệp ứng dụng Công nghệ Sinh học Tây Sơn, UBND cấp xã "
            "có trách nhiệm phối hợp công bố thông tin.",
        ),
        [["Sở Nội vụ", "Ban quản lý Khu Lâm nghiệp ứng dụng Công nghệ Sinh học Tây Sơn", "UBND cấp xã"]],
    ),
    (
        "a noun of names that is also a verb closes the name before a role word or a comma",
        (
            "1. Cục Quy hoạch kiến trúc xây dựng chủ trì, phối hợp với Đảng uỷ các xã tổ chức thực hiện.",
            "2. Cục Kinh tế - Quản lý đầu tư xây dựng, Cục Hạ tầng kỹ thuật xây dựng theo chức năng rà soát "
            "các công trình.",
        ),
        [
            ["Cục Quy hoạch kiến trúc xây dựng", "Đảng uỷ các xã"],
            ["Cục Kinh tế - Quản lý đầu tư xây dựng", "Cục Hạ tầng kỹ thuật xây dựng"],
        ],
    ),
    (
        "units in brackets after a generic addressee heading its sub-items",
        (
            "1. Các cơ quan tiếp nhận hồ sơ (Sở Công Thương, Ban Quản lý Khu kinh tế tỉnh):",
            "a) Tiếp nhận hồ sơ.",
            "b) Trả kết quả đúng hạn.",
        ),
        [["Sở Công Thương", "Ban Quản lý Khu kinh tế tỉnh"]],
    ),
    (
        "an anaphoric 'nêu trên' closes the name it belongs to",
        ("1. Các Sở Giao thông nêu trên", "- Chủ động phân luồng giao thông."),
        [["Các Sở Giao thông nêu trên"]],
    ),
    (
        "a sentence before the heading sentence of sub-items names no addressee",
        (
            "1. Chính phủ cơ bản thống nhất với dự thảo Nghị định. Giao Bộ Tư pháp chủ trì hoàn thiện "
            "dự thảo, bảo đảm các yêu cầu sau:",
            "a) Rà soát kỹ nội dung.",
            "b) Bảo đảm tính khả thi.",
        ),
        [["Bộ Tư pháp"]],
    ),
]


@pytest.mark.parametrize(("behaviour", "body", "expected"), PRINTED, ids=[row[0] for row in PRINTED])
def test_printed_lines_give_assignees(extract, behaviour: str, body: tuple[str, ...], expected) -> None:
    rec = extract(letter(body=body))
    got = [(a.assignees[:1], sorted(a.assignees)) for a in rec.assignments]
    assert got == [(units[:1], sorted(units)) for units in expected], behaviour
