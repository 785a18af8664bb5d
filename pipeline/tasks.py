"""Stage 6: one task per (assignment, responsible unit), or per recipient when the
assignment names none. Task ids are stable: derived from the document id, the
assignment label and the unit."""

from __future__ import annotations

import hashlib

from vanthu.models.record import Assignment, DocumentRef, Task
from vanthu.pipeline.rules.loader import patterns
from vanthu.pipeline.text.normalize import fold


def task_id(doc_id: str, label: str, assignee: str) -> str:
    key = "\x1f".join((doc_id, label, fold(assignee)))
    return "task:" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]


def build_tasks(
    doc_id: str, number_symbol: str | None, date: str | None, assignments: list[Assignment], recipients: list[str]
) -> list[Task]:
    doc = DocumentRef(number_symbol=number_symbol, date=date)
    tasks: list[Task] = []
    seen: set[str] = set()
    for a in assignments:
        if a.lead or a.support:
            owners = ([(a.lead, "lead")] if a.lead else []) + [(s, "support") for s in a.support]
        else:
            owners = [(r, "recipient") for r in recipients]
        recurring = bool(a.deadline_text and patterns().recurring.search(a.deadline_text))
        for unit, role in owners:
            tid = task_id(doc_id, a.label, unit)
            if tid in seen:
                continue
            seen.add(tid)
            tasks.append(
                Task(
                    task_id=tid,
                    document=doc,
                    assignment=a.label,
                    assignee=unit,
                    role=role,
                    action=a.text,
                    deadline=a.deadline,
                    deadline_text=a.deadline_text,
                    recurring=recurring,
                )
            )
    return tasks
