"""Tasks: one per (assignment, responsible unit), or per recipient (pipeline/tasks.py)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.support.letters import extractor, letter, one_item
from vanthu.pipeline.extract import extract_file
from vanthu.pipeline.tasks import task_id


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
        assert t.action == next(a.text for a in rec.assignments if a.label == t.assignment)


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
