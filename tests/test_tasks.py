"""Tasks: one per (assignment, responsible unit), or per recipient (pipeline/tasks.py)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.support.letters import extractor, letter, one_item
from vanthu.models.record import Assignment
from vanthu.pipeline.extract import extract_file
from vanthu.pipeline.tasks import action_for, build_tasks, own_text, task_id


@pytest.fixture
def extract(tmp_path: Path):
    """extract(text, name="letter.md") -> DispatchRecord, via a file in tmp_path."""
    return extractor(tmp_path)


TASK_LETTER = letter(
    recipients=("Kính gửi:", "- Sở Tài chính;", "- Sở Xây dựng."),
    body=(
        "1. Giao Sở Xây dựng chủ trì, phối hợp với Công an Thành phố, Sở Tài chính triển khai thực hiện.",
        "2. Sở Tài chính có trách nhiệm bố trí kinh phí.",
        "3. Tăng cường công tác tuyên truyền.",
    ),
)


def test_tasks_one_per_assignment_and_unit(extract) -> None:
    rec = extract(TASK_LETTER)
    expected = []
    for a in rec.assignments:
        if a.assignees:
            expected += [(a.label, a.lead, "lead")] + [(a.label, s, "support") for s in a.support]
        else:
            expected += [(a.label, r, "recipient") for r in rec.recipients]
    assert [(t.assignment, t.assignee, t.role) for t in rec.tasks] == expected
    assert expected == [
        ("1", "Sở Xây dựng", "lead"),
        ("1", "Công an Thành phố", "support"),
        ("1", "Sở Tài chính", "support"),
        ("2", "Sở Tài chính", "lead"),
        ("3", "Sở Tài chính", "recipient"),
        ("3", "Sở Xây dựng", "recipient"),
    ]
    assert len({(t.assignment, t.assignee) for t in rec.tasks}) == len(rec.tasks)
    for t in rec.tasks:
        assert t.document.number_symbol == "12/UBND-VX" and t.document.date == "2024-08-15"
    # the unit's clause: item 1 is one sentence, given to all three
    assert {t.action for t in rec.tasks if t.assignment == "1"} == {rec.assignments[0].text}
    assert {t.action for t in rec.tasks if t.assignment == "2"} == {"Sở Tài chính có trách nhiệm bố trí kinh phí."}


def test_task_ids_are_stable_and_distinct(extract, tmp_path: Path) -> None:
    path = tmp_path / "same.md"
    path.write_text(TASK_LETTER, encoding="utf-8")
    first = extract_file(path)
    second = extract_file(path)
    assert [t.task_id for t in first.tasks] == [t.task_id for t in second.tasks]
    # a copy under another name has the same bytes, so the same document id and task ids
    copy = tmp_path / "copy.md"
    shutil.copyfile(path, copy)
    assert [t.task_id for t in extract_file(copy).tasks] == [t.task_id for t in first.tasks]
    ids = [t.task_id for t in first.tasks]
    assert len(set(ids)) == len(ids)
    assert all(i.startswith("task:") for i in ids)
    # another letter (other bytes) gets other ids
    other = extract(TASK_LETTER.replace("Số: 12/UBND-VX", "Số: 13/UBND-VX"))
    assert not set(ids) & {t.task_id for t in other.tasks}


def test_task_id_function() -> None:
    doc = "sha256:" + "0" * 64
    a = task_id(doc, "1", "Sở Tài chính")
    assert a == task_id(doc, "1", "Sở Tài chính")
    assert a == task_id(doc, "1", "SỞ TÀI CHÍNH")  # compared case-folded
    assert a != task_id(doc, "1", "Sở Xây dựng")
    assert a != task_id(doc, "2", "Sở Tài chính")
    assert a != task_id("sha256:" + "1" * 64, "1", "Sở Tài chính")


def test_item_addressed_to_nobody_goes_to_every_recipient(extract) -> None:
    rec, a = one_item(
        extract,
        "1. Tăng cường công tác tuyên truyền, phổ biến pháp luật.",
        recipients=("Kính gửi:", "- Các cơ quan chuyên môn thuộc thành phố;", "- UBND các phường, xã."),
    )
    assert a.assignees == [] and a.lead is None and a.support == []
    assert [(t.assignee, t.role) for t in rec.tasks] == [
        ("Các cơ quan chuyên môn thuộc thành phố", "recipient"),
        ("UBND các phường, xã", "recipient"),
    ]
    assert all(t.assignment == "1" for t in rec.tasks)


SUB_ITEM_LETTER = letter(
    place_date="TP. Lạng Sơn, ngày 20 tháng 11 năm 2025",
    recipients=("Kính gửi:", "- Sở Tài chính;", "- Sở Xây dựng."),
    body=(
        "1. Về rà soát dữ liệu đất đai, hoàn thành trong tháng 12 năm 2025:",
        "1.1. Giao Sở Xây dựng chủ trì, phối hợp với Sở Tài chính rà soát hồ sơ, hoàn thành trước ngày 05/12/2025.",
        "1.2. Giao Sở Nội vụ chủ trì hướng dẫn các xã sắp xếp tổ chức bộ máy.",
        "1.3. Giao Công an tỉnh, Sở Tư pháp kiểm tra việc thực hiện, báo cáo trước ngày 20/12/2025.",
        "1.4. Giao Sở Y tế phối hợp với Sở Xây dựng kiểm tra an toàn.",
        "2. Sở Tài chính có trách nhiệm bố trí kinh phí. Sở Xây dựng cung cấp số liệu cho Sở Tài chính.",
    ),
)


def test_sub_items_give_one_task_per_sub_item_and_unit_with_their_role_and_deadline(extract) -> None:
    """Regression: item 1's sub-items 1.1-1.4 were flattened into tasks of "1", all with 1.1's deadline."""
    rec = extract(SUB_ITEM_LETTER)
    got = [(t.assignment, t.assignee, t.role, t.deadline, t.due, t.due_kind) for t in rec.tasks]
    assert got == [
        ("1.1", "Sở Xây dựng", "lead", "2025-12-05", "2025-12-05", "day"),
        ("1.1", "Sở Tài chính", "support", "2025-12-05", "2025-12-05", "day"),
        # 1.2 prints no deadline: its parent's own ("trong tháng 12 năm 2025"), not 1.1's
        ("1.2", "Sở Nội vụ", "lead", None, "2025-12-31", "end_of_period"),
        ("1.3", "Công an tỉnh", "lead", "2025-12-20", "2025-12-20", "day"),
        ("1.3", "Sở Tư pháp", "support", "2025-12-20", "2025-12-20", "day"),
        ("1.4", "Sở Y tế", "lead", None, "2025-12-31", "end_of_period"),
        # a unit named in two sub-items has a task in each, with the role each gives it
        ("1.4", "Sở Xây dựng", "support", None, "2025-12-31", "end_of_period"),
        ("2", "Sở Tài chính", "lead", None, None, None),
    ]
    # the top-level item keeps every unit of its sub-items, as the contract says
    assert set(rec.assignments[0].assignees) == {
        "Sở Xây dựng",
        "Sở Tài chính",
        "Sở Nội vụ",
        "Công an tỉnh",
        "Sở Tư pháp",
        "Sở Y tế",
    }
    assert len({t.task_id for t in rec.tasks}) == len(rec.tasks)


def test_a_silent_sub_item_without_a_parent_deadline_has_none(extract) -> None:
    """Regression: a sub-item without a deadline took its sibling's."""
    rec = extract(SUB_ITEM_LETTER.replace(", hoàn thành trong tháng 12 năm 2025:", ":"))
    assert [(t.assignment, t.deadline, t.due) for t in rec.tasks if t.assignee == "Sở Nội vụ"] == [("1.2", None, None)]


def test_action_is_the_units_clause_not_the_whole_item(extract) -> None:
    """Regression: every task repeated the whole item (often 1,000 characters)."""
    rec = extract(SUB_ITEM_LETTER)
    action = {(t.assignment, t.assignee): t.action for t in rec.tasks}
    assert action[("1.2", "Sở Nội vụ")] == "Giao Sở Nội vụ chủ trì hướng dẫn các xã sắp xếp tổ chức bộ máy."
    # the next sentence names another unit: it is that unit's, not this one's
    assert action[("2", "Sở Tài chính")] == "Sở Tài chính có trách nhiệm bố trí kinh phí."
    # the item's full text stays on the assignment
    assert "1.4." in rec.assignments[0].text and "Sở Y tế" in rec.assignments[0].text


HEADING_TEXT = (
    "Sở Tài chính: - Bố trí kinh phí thực hiện. - Hướng dẫn thanh quyết toán. "
    "Sở Xây dựng: - Rà soát hồ sơ. - Báo cáo kết quả."
)


@pytest.mark.parametrize(
    ("unit", "action"),
    [
        ("Sở Tài chính", "Sở Tài chính: - Bố trí kinh phí thực hiện. - Hướng dẫn thanh quyết toán."),
        ("Sở Xây dựng", "Sở Xây dựng: - Rà soát hồ sơ. - Báo cáo kết quả."),
        ("SỞ XÂY DỰNG", "Sở Xây dựng: - Rà soát hồ sơ. - Báo cáo kết quả."),  # found ignoring case
        ("Sở Y tế", None),
    ],
)
def test_action_of_a_heading_unit_is_its_own_paragraphs(unit: str, action: str | None) -> None:
    assert action_for(HEADING_TEXT, unit, ["Sở Tài chính", "Sở Xây dựng"]) == action


def test_own_text_leaves_out_the_sub_items() -> None:
    child = Assignment(label="1", text="Giao Sở Y tế kiểm tra, trước ngày 05/12/2025.")
    parent = Assignment(
        label="1",
        text="Về kiểm tra, trong tháng 12 năm 2025: 1.1. Giao Sở Y tế kiểm tra, trước ngày 05/12/2025.",
        children=[child],
    )
    assert own_text(parent) == "Về kiểm tra, trong tháng 12 năm 2025:"
    assert own_text(child) == child.text


def test_a_very_deep_item_tree_is_walked_without_recursion() -> None:
    """Sub-items are walked iteratively: a pathological depth raises no RecursionError."""
    deepest = Assignment.model_construct(
        label="a",
        text="Giao Sở Y tế kiểm tra.",
        assignees=["Sở Y tế"],
        lead="Sở Y tế",
        support=[],
        children=[],
        deadline=None,
        deadline_text=None,
        due=None,
        due_kind=None,
    )
    node = deepest
    for _ in range(5000):
        node = Assignment.model_construct(
            label="1",
            text="Về kiểm tra.",
            assignees=["Sở Y tế"],
            lead="Sở Y tế",
            support=[],
            children=[node],
            deadline=None,
            deadline_text=None,
            due=None,
            due_kind=None,
        )
    (task,) = build_tasks("sha256:" + "0" * 64, "1/UBND", "2025-11-20", [node], [])
    assert task.assignee == "Sở Y tế" and task.assignment.count(".") == 5000 and task.assignment.endswith(".a")
