"""``vanthu tasks --format ics``: one VTODO per task (vanthu/taskcal.py)."""

from __future__ import annotations

import pytest
from icalendar import Calendar

from tests.support.stored import stored_tree
from vanthu.cli import main
from vanthu.pipeline.errors import ExitCode
from vanthu.pipeline.fields.deadlines import recurrence_period
from vanthu.taskcal import PRIORITIES, to_ics


@pytest.fixture(scope="module")
def tree(tmp_path_factory):
    return stored_tree(tmp_path_factory.mktemp("taskcal"))


@pytest.fixture
def todos(tree, capsysbinary) -> dict[str, object]:
    root, _ = tree
    assert main(["tasks", str(root), "--format", "ics"]) == ExitCode.OK
    cal = Calendar.from_ical(capsysbinary.readouterr().out)
    return {str(t["uid"]): t for t in cal.walk("VTODO")}


def _tasks(tree):
    _, records = tree
    return [(r, t) for r in records.values() for t in r.tasks]


def test_one_vtodo_per_task(tree, todos) -> None:
    assert sorted(todos) == sorted(t.task_id for _, t in _tasks(tree))


def test_each_vtodo_carries_its_task(tree, todos) -> None:
    for record, task in _tasks(tree):
        todo = todos[task.task_id]
        assert str(todo["summary"]).startswith(f"{task.assignee}: ")
        if task.due:
            assert todo.decoded("due").isoformat() == task.due
        else:
            assert "due" not in todo
        description = str(todo["description"])
        assert record.number_symbol in description and record.date in description and record.subject in description
        assert int(todo["priority"]) == PRIORITIES.get(record.urgency, 5)
        assert str(todo["status"]) == "NEEDS-ACTION"
        assert todo["categories"].cats == [task.assignee]
        assert str(todo["related-to"]) == record.id


@pytest.mark.parametrize(
    ("deadline_text", "rrule"),
    [
        ("trước ngày 25 hằng tháng", {"FREQ": ["MONTHLY"]}),
        ("định kỳ hằng quý", {"FREQ": ["MONTHLY"], "INTERVAL": [3]}),
    ],
)
def test_a_recurring_task_repeats(tree, todos, deadline_text, rrule) -> None:
    (task,) = [t for _, t in _tasks(tree) if t.deadline_text == deadline_text]
    todo = todos[task.task_id]
    assert dict(todo["rrule"]) == rrule
    assert todo.decoded("dtstart").isoformat() == task.due


def test_a_task_due_on_a_day_does_not_repeat(tree, todos) -> None:
    for _, task in _tasks(tree):
        if not task.recurring:
            assert "rrule" not in todos[task.task_id]


def test_a_closed_task_is_completed(tree, capsysbinary) -> None:
    root, records = tree
    task_id = records["other"].tasks[0].task_id
    assert main(["tasks", str(root), "--close", task_id]) == ExitCode.OK
    try:
        capsysbinary.readouterr()
        assert main(["tasks", str(root), "--format", "ics"]) == ExitCode.OK
        cal = Calendar.from_ical(capsysbinary.readouterr().out)
        status = {str(t["uid"]): str(t["status"]) for t in cal.walk("VTODO")}
        assert status[task_id] == "COMPLETED"
    finally:
        main(["tasks", str(root), "--reopen", task_id])


@pytest.mark.parametrize(
    ("text", "period"),
    [
        ("báo cáo hằng tháng", "month"),
        ("trước ngày 25 hàng tháng", "month"),
        ("định kỳ hằng quý", "quarter"),
        ("hằng năm", "year"),
        ("thường xuyên", None),
        ("định kỳ 6 tháng", None),
        (None, None),
    ],
)
def test_recurrence_period(text, period) -> None:
    assert recurrence_period(text) == period


@pytest.mark.parametrize(("urgency", "priority"), [("Hỏa tốc", 1), ("Thượng khẩn", 2), ("Khẩn", 3), (None, 5)])
def test_priority_from_urgency(urgency, priority) -> None:
    row = {"task_id": "t1", "assignee": "Sở Y tế", "action": "Báo cáo.", "sha256": "a" * 64, "status": "open"}
    cal = Calendar.from_ical(to_ics([row], {"a" * 64: urgency}))
    (todo,) = cal.walk("VTODO")
    assert int(todo["priority"]) == priority and "due" not in todo
