"""Stage 6: one task per (item, responsible unit), or per recipient when the item names
no unit. Task ids are stable: derived from the document id, the item's label and the unit.

A task comes from the deepest item that names its unit: in an item 1 whose sub-items
1.1–1.4 each say "Giao <unit> …", the unit of 1.2 gets the task "1.2", with the role and
the deadline that 1.2 gives it; where 1.2 prints no deadline it inherits the nearest
parent's own (the parent's text without its sub-items), never a sibling's. A unit named
in two sub-items gets a task in each. The units are the top-level item's assignees (the
contract's rule: they include the sub-items' units); a unit no sub-item names keeps its
task on the top-level item, with that item's role and deadline.

A task's ``action`` is the clause that gives the unit its work (see :func:`action_for`),
not the whole item: the item's full text stays on the assignment.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache

from vanthu.models.record import Assignment, DocumentRef, Task
from vanthu.pipeline.fields.deadlines import due_of, find_deadline
from vanthu.pipeline.rules.loader import alternation, patterns, rules
from vanthu.pipeline.text.normalize import fold

# Where one sentence (or clause) of an item ends and the next begins: after . ; ! ? or a
# colon, and before a bullet or a sub-item marker ("- ", "1.2. ", "a) ").
_SENTENCE_BREAK = re.compile(
    r"(?<=[.;!?:])\s+(?=\S)|\s+(?=[-–•+]\s)|\s+(?=(?:\d+(?:\.\d+)*\.|[a-zđ]\)|[IVX]+\.)\s)",
)
_TRAILING_MARKER = re.compile(r"\s*(?:\d+(?:\.\d+)*\.?|[a-zđ]\)|[IVX]+\.|[-–•+])\s*$")
OWN_TEXT_PROBE = 60  # characters of a sub-item's text used to find where it starts in its parent's


def task_id(doc_id: str, label: str, assignee: str) -> str:
    key = "\x1f".join((doc_id, label, fold(assignee)))
    return "task:" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True)
class _Node:
    """An item of the tree, with its joined label ("1.2") and its ancestors (nearest first)."""

    item: Assignment
    label: str
    ancestors: tuple[Assignment, ...]


def _walk(top: Assignment) -> Iterator[_Node]:
    """The item and its labelled sub-items, in reading order, iteratively (deep trees are
    fine). A bullet ("-") has no label a tracker can cite: its units belong to its item."""
    stack = [_Node(top, top.label, ())]
    while stack:
        node = stack.pop()
        yield node
        kids = [c for c in node.item.children if c.label != "-"]
        chain = (node.item, *node.ancestors)
        stack.extend(_Node(c, f"{node.label}.{c.label}", chain) for c in reversed(kids))


def own_text(a: Assignment) -> str:
    """An item's text without its sub-items' (they follow its own paragraphs)."""
    if not a.children:
        return a.text
    probe = a.children[0].text[:OWN_TEXT_PROBE]
    at = a.text.find(probe) if probe else -1
    return _TRAILING_MARKER.sub("", a.text[:at]) if at > 0 else ""


def _deadline(node: _Node, letter_date: str | None) -> tuple[str | None, str | None, str | None, str | None]:
    """(deadline, deadline_text, due, due_kind) of a task on ``node``: its own, else the
    nearest ancestor's own."""
    a = node.item
    if a.deadline_text or not node.ancestors:
        return a.deadline, a.deadline_text, a.due, a.due_kind
    for parent in node.ancestors:
        deadline, text = find_deadline(own_text(parent), letter_date)
        if text:
            return (deadline, text, *due_of(deadline, text, letter_date))
    return None, None, None, None


def _plain(text: str) -> str:
    """``text`` lower-cased without accents, one character for one (positions are kept)."""
    return "".join(unicodedata.normalize("NFD", c)[0] for c in text.lower().replace("đ", "d"))


def _find(text: str, unit: str) -> int:
    at = text.lower().find(unit.lower())
    return at if at >= 0 else _plain(text).find(_plain(unit))


@cache
def _opener() -> re.Pattern:
    """What may come before the unit that a sentence gives work to: a marker or bullet and
    a directive ("Giao", "Đề nghị" …, from phrases.json)."""
    words = sorted(rules().phrases["directive"], key=len, reverse=True)
    return re.compile(
        r"^[\s\-–•+]*(?:(?:\d+(?:\.\d+)*\.|[a-zđ]\)|[IVX]+\.)\s+)?(?:(?:" + alternation(words) + r")\s+)?",
        re.IGNORECASE,
    )


def _opens(sentence: str, unit: str) -> bool:
    """``sentence`` gives ``unit`` work: it opens with it, after a marker and a directive."""
    m = _opener().match(sentence)
    return _find(sentence[m.end() if m else 0 :][: len(unit) + 4], unit) == 0


def action_for(text: str, unit: str, others: list[str]) -> str | None:
    """The clause of ``text`` that gives ``unit`` its work: from the first sentence that
    opens with the unit ("Giao Sở Xây dựng …", "Sở Xây dựng có trách nhiệm …", a heading
    "Sở Xây dựng:"), else the first that names it, up to the next sentence that opens with
    another of ``others`` (the letter's other units). A unit named in passing ("phối hợp
    với Sở Y") does not end the clause. A heading unit thus gets its own paragraphs and
    bullets, up to the next unit's heading. None when ``unit`` is not in ``text``."""
    if _find(text, unit) < 0:
        return None
    spans, start = [], 0
    for m in _SENTENCE_BREAK.finditer(text):
        spans.append((start, m.start()))
        start = m.end()
    spans.append((start, len(text)))
    sentences = [text[a:b] for a, b in spans]
    first = next((k for k, x in enumerate(sentences) if _opens(x, unit)), None)
    if first is None:
        first = next((k for k, x in enumerate(sentences) if _find(x, unit) >= 0), 0)
    rivals = [o for o in others if fold(o) != fold(unit) and fold(unit) not in fold(o)]
    end = next(
        (k for k in range(first + 1, len(sentences)) if any(_opens(sentences[k], o) for o in rivals)), len(sentences)
    )
    return text[spans[first][0] : spans[end - 1][1]].strip().lstrip("-–•+ ")


def _owners(top: Assignment) -> list[tuple[_Node, str, str]]:
    """(node, unit, role) of every task of a top-level item that names units: each unit on
    the deepest items that name it, unless an item's own text (without its sub-items)
    names it: then the sub-items are that unit's work ("Tổ công tác có nhiệm vụ: a) …
    b) …") and its task stays on that item."""
    wanted = {fold(u): u for u in ([top.lead] if top.lead else []) + top.support}
    nodes = list(_walk(top))
    naming = [{fold(u) for u in n.item.assignees} & wanted.keys() for n in nodes]
    naming[0] = set(wanted)
    below: dict[int, set[str]] = {}  # id(item) -> the units its sub-items name
    for n, names in zip(reversed(nodes), reversed(naming), strict=True):
        if n.ancestors:
            below.setdefault(id(n.ancestors[0]), set()).update(names | below.get(id(n.item), set()))
    claimed: dict[int, set[str]] = {}  # id(item) -> units whose task an ancestor holds
    out = []
    for node, names in zip(nodes, naming, strict=True):
        item = node.item
        taken = claimed.get(id(node.ancestors[0]), set()) if node.ancestors else set()
        own = {k for k in names if item.children and _find(own_text(item), wanted[k]) >= 0}
        claimed[id(item)] = taken | own
        under = below.get(id(item), set()) - own
        for u in [top.lead, *top.support] if item is top else item.assignees:
            key = fold(u) if u else ""
            if key in names and key not in taken and key not in under:
                out.append((node, wanted[key], "lead" if item.lead and fold(item.lead) == key else "support"))
    return out


def build_tasks(
    doc_id: str, number_symbol: str | None, date: str | None, assignments: list[Assignment], recipients: list[str]
) -> list[Task]:
    doc = DocumentRef(number_symbol=number_symbol, date=date)
    tasks: list[Task] = []
    seen: set[str] = set()
    # every unit the letter names as responsible or addresses: where one of them is named,
    # another unit's clause ends
    named = [u for a in assignments for u in a.assignees] + recipients
    for a in assignments:
        if a.lead or a.support:
            owners = _owners(a)
        else:
            top = _Node(a, a.label, ())
            owners = [(top, r, "recipient") for r in recipients]
        for node, unit, role in owners:
            tid = task_id(doc_id, node.label, unit)
            if tid in seen:
                continue
            seen.add(tid)
            deadline, deadline_text, due, due_kind = _deadline(node, date)
            action = a.text
            if role != "recipient":
                action = action_for(node.item.text, unit, named) or own_text(node.item) or node.item.text
            tasks.append(
                Task(
                    task_id=tid,
                    document=doc,
                    assignment=node.label,
                    assignee=unit,
                    role=role,
                    action=action,
                    deadline=deadline,
                    deadline_text=deadline_text,
                    due=due,
                    due_kind=due_kind,
                    recurring=bool(deadline_text and patterns().recurring.search(deadline_text)),
                )
            )
    return tasks
