"""Stage 5b: the numbered items of a letter's body (ô 6) as a tree ("I." > "1." > "a)",
"Điều 1." > "1." > "a)"), each an assignment with its responsible units and deadline."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from vanthu.models.record import Assignment
from vanthu.pipeline.fields.assignees import dedupe, responsible
from vanthu.pipeline.fields.deadlines import due_of, find_deadline
from vanthu.pipeline.layout.cues import ITEM_LEVELS, ITEM_MARKER, ROMAN
from vanthu.pipeline.layout.paragraphs import Paragraph
from vanthu.pipeline.provenance import ProvenanceLog
from vanthu.pipeline.rules.loader import patterns
from vanthu.pipeline.text.normalize import collapse


@dataclass
class Item:
    """A numbered item: its kind ("roman", "num", "dieu", …), its label, its paragraphs
    (the first opens with the marker) and its sub-items."""

    kind: str
    label: str
    paras: list[Paragraph]
    children: list[Item] = field(default_factory=list)


def _kind(text: str) -> tuple[str, str] | None:
    m = ITEM_MARKER.match(text)
    if not m:
        return None
    for k in ITEM_LEVELS:
        if m.group(k):
            if k == "dieu":
                return k, f"Điều {m.group('dn')}"
            if k == "roman":
                if m.group("roman") not in ROMAN:
                    return None
                return k, m.group("roman")
            if k == "dash":
                return k, "-"
            if k == "num":
                return k, str(int(m.group(k)))
            return k, m.group(k)
    return None


def _build_items(paras: list[Paragraph]) -> tuple[list[Item], list[Paragraph]]:
    """Nest the marked paragraphs; returns (top-level items, paragraphs before the first)."""
    kinds_present = []
    for p in paras:
        k = _kind(p.text)
        if k and k[0] not in kinds_present:
            kinds_present.append(k[0])
    order = [k for k in ITEM_LEVELS if k in kinds_present]
    if not order:
        return [], paras
    top_kind = next((k for k in ("dieu", "roman", "num", "sub") if k in order), None)
    if top_kind is None:
        return [], paras
    rank = {k: i for i, k in enumerate(ITEM_LEVELS)}
    top: list[Item] = []
    preamble: list[Paragraph] = []
    stack: list[Item] = []
    for p in paras:
        k = _kind(p.text)
        if k and (rank[k[0]] > rank[top_kind] or k[0] == top_kind):
            kind, label = k
            if kind == "num" and top_kind == "num" and stack and top and not _next_number(top, label):
                # "1." inside an item that is not the next top-level number: a sub-list
                item = Item(kind, label, [p])
                stack[-1].children.append(item)
                stack.append(item)
                continue
            item = Item(kind, label, [p])
            while stack and rank[stack[-1].kind] >= rank[kind]:
                stack.pop()
            if not stack:
                if kind != top_kind:
                    preamble.append(p)
                    continue
                top.append(item)
            else:
                stack[-1].children.append(item)
            stack.append(item)
        elif stack:
            stack[-1].paras.append(p)
        else:
            preamble.append(p)
    _fix_sub_labels(top)
    _fix_repeated_labels(top)
    return top, preamble


def _successor(label: str, steps: int = 1) -> str | None:
    """The label ``steps`` after ``label`` in its own numbering ("II" → "III",
    "Điều 2" → "Điều 3", "4" → "5")."""
    if label in ROMAN:
        i = ROMAN.index(label) + steps
        return ROMAN[i] if i < len(ROMAN) else None
    m = re.fullmatch(r"(Điều )?(\d+)", label)
    return f"{m.group(1) or ''}{int(m.group(2)) + steps}" if m else None


def _fix_repeated_labels(top: list[Item]) -> None:
    """A top-level label printed twice in a row is an OCR misread of the next one (a
    letter never repeats a heading number): "I, II, II, IV" is "I, II, III, IV". Only
    where the label after it (if any) confirms the sequence."""
    for i in range(1, len(top)):
        prev, cur = top[i - 1].label, top[i].label
        if cur != prev or top[i].kind != top[i - 1].kind:
            continue
        fixed = _successor(prev)
        after = top[i + 1].label if i + 1 < len(top) else None
        if fixed and (after is None or after == _successor(prev, 2)):
            top[i].label = fixed


def _next_number(top: list[Item], label: str) -> bool:
    try:
        return int(label) == int(top[-1].label) + 1
    except ValueError:
        return True


def _fix_sub_labels(items: list[Item]) -> None:
    for it in items:
        if it.kind == "sub":
            it.label = it.label.split(".")[-1] or it.label
        _fix_sub_labels(it.children)


def _closing(item: Item) -> Item:
    """Drop the letter's closing paragraph ("… đề nghị … nghiêm túc thực hiện./.") from the last item."""
    holder = item
    while holder.children:
        holder = holder.children[-1]
    last = holder.paras[-1].text
    if (
        len(holder.paras) > 1
        and last.rstrip().endswith(("./.", "/."))
        and not ITEM_MARKER.match(last)
        and not patterns().execution_clause.search(last)
    ):  # "A, B chịu trách nhiệm thi hành …./." assigns
        holder.paras.pop()
    return item


def read_assignments(paras: list[Paragraph], letter_date: str | None, prov: ProvenanceLog) -> list[Assignment]:
    items, _ = _build_items(paras)
    if items:
        _closing(items[-1])
    out = []
    memo: dict[int, str] = {}
    for i, it in enumerate(items):
        out.append(_to_assignment(it, letter_date, prov, f"/assignments/{i}", memo))
    return out


def _to_assignment(
    it: Item, letter_date: str | None, prov: ProvenanceLog, pointer: str, memo: dict[int, str]
) -> Assignment:
    own_text = collapse(
        " ".join(ITEM_MARKER.sub("", p.text, count=1) if j == 0 else p.text for j, p in enumerate(it.paras))
    )
    children = [
        _to_assignment(c, letter_date, prov, f"{pointer}/children/{k}", memo) for k, c in enumerate(it.children)
    ]
    full = collapse(" ".join([own_text] + [_child_text(c, memo) for c in it.children]))
    lead, support = responsible(it)
    assignees = dedupe(([lead] if lead else []) + support)
    deadline, deadline_text = find_deadline(full, letter_date)
    due, due_kind = due_of(deadline, deadline_text, letter_date)
    prov.add(pointer, [ln for p in it.paras for ln in p.lines])
    return Assignment(
        label=it.label,
        text=full,
        assignees=assignees,
        lead=lead,
        support=support,
        deadline=deadline,
        deadline_text=deadline_text,
        due=due,
        due_kind=due_kind,
        children=children,
    )


def _child_text(c: Item, memo: dict[int, str]) -> str:
    """The text of an item and its sub-items (memoised: deep nesting stays linear)."""
    key = id(c)
    if key not in memo:
        memo[key] = collapse(" ".join([p.text for p in c.paras] + [_child_text(x, memo) for x in c.children]))
    return memo[key]
