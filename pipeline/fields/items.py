"""Stage 5b: the numbered items of a letter's body (ô 6) as a tree ("I." > "1." > "a)",
"Điều 1." > "1." > "a)", "1.1." > "1.1.1."), each an assignment with its responsible
units and deadline.

Nothing here recurses: the tree is built with a stack and walked with explicit stacks
(``walk``), so a document's length or depth never meets Python's recursion limit, and
the work is linear in the number of paragraphs (times the depth, which is bounded by
``MAX_ITEM_DEPTH``)."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from functools import cache

from vanthu.models.record import Assignment
from vanthu.pipeline.fields.assignees import dedupe, responsible
from vanthu.pipeline.fields.deadlines import due_of, find_deadline
from vanthu.pipeline.layout.cues import ITEM_LEVELS, ITEM_MARKER, ROMAN
from vanthu.pipeline.layout.paragraphs import Paragraph
from vanthu.pipeline.provenance import ProvenanceLog
from vanthu.pipeline.rules.loader import patterns, rules
from vanthu.pipeline.text.normalize import collapse, fold
from vanthu.pipeline.warnings import items_restarted, items_too_deep

#: Items nest at most this deep; a deeper one is kept as a sibling at this depth, with a
#: warning (a letter nests three or four levels; 64 leaves room for any real outline).
MAX_ITEM_DEPTH = 64
#: A passage quoted from another document (“Điều 49. … ”) is closed within this many
#: paragraphs; an opening quote left open longer is a misread, and nothing is skipped.
QUOTE_MAX_PARAGRAPHS = 40
#: top-level numbers that may be missing between two items ("8." then "10."): more is a sub-list
MAX_NUMBER_SKIP = 2
_OPEN_QUOTE, _CLOSE_QUOTE = "“", "”"
_RANK = {k: i for i, k in enumerate(ITEM_LEVELS)}


@dataclass
class Item:
    """A numbered item: its kind ("roman", "num", "dieu", …), its label, its paragraphs
    (the first opens with the marker) and its sub-items. ``level`` orders the kinds
    (and the depth of a dotted "1.2.3"); ``sublist`` marks a "1." list nested in a "2."."""

    kind: str
    label: str
    paras: list[Paragraph]
    children: list[Item] = field(default_factory=list)
    level: tuple[int, int] = (0, 0)
    sublist: bool = False


def walk(assignments: Sequence[Assignment]) -> Iterator[tuple[int, Assignment]]:
    """``(depth, assignment)`` for every assignment and sub-assignment, in reading order
    (pre-order), without recursion: depth 0 is the top level."""
    stack: list[tuple[int, Assignment]] = [(0, a) for a in reversed(assignments)]
    while stack:
        depth, a = stack.pop()
        yield depth, a
        stack.extend((depth + 1, c) for c in reversed(a.children))


def _walk_items(items: Sequence[Item]) -> Iterator[Item]:
    stack = list(reversed(items))
    while stack:
        it = stack.pop()
        yield it
        stack.extend(reversed(it.children))


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


def _level(kind: str, label: str) -> tuple[int, int]:
    """The nesting order of an item: its kind's rank, then (for "1.2.3") its depth."""
    return _RANK[kind], label.count(".") if kind == "sub" else 0


class _Builder:
    """Nests marked paragraphs into items with one stack (the open items, outermost
    first); each paragraph is placed in constant time apart from popping the stack."""

    def __init__(self, top_kind: str, warnings: list[str]):
        self.top_kind = top_kind
        self.top: list[Item] = []
        self.preamble: list[Paragraph] = []
        self.stack: list[Item] = []
        self.warnings = warnings
        self.restarts = 0
        self.too_deep = 0

    def add(self, p: Paragraph) -> None:
        k = _kind(p.text)
        if not k or not (_RANK[k[0]] > _RANK[self.top_kind] or k[0] == self.top_kind):
            (self.stack[-1].paras if self.stack else self.preamble).append(p)
            return
        kind, label = k
        item = Item(kind, label, [p], level=_level(kind, label))
        if kind == "num" and self.top_kind == "num" and self.stack and self.top and not self._next_top(label):
            self._numbered_in_list(item)
            return
        while self.stack and self.stack[-1].level >= item.level:
            self.stack.pop()
        if not self.stack:
            if kind != self.top_kind:
                self.preamble.append(p)
                return
            self.top.append(item)
        else:
            self._attach(self.stack[-1], item)
        self.stack.append(item)

    def _next_top(self, label: str) -> bool:
        """Is the number ``label`` the next top-level item: the last one's successor, or a
        little past it while no sub-list is open?"""
        last = self.top[-1]
        return _follows(last, label) or (_skips_ahead(last, label) and not any(it.sublist for it in self.stack))

    def _numbered_in_list(self, item: Item) -> None:
        """A "1." that is not the next top-level number: a sub-list in the current item;
        the next number of an open sub-list is its sibling there; a "1." inside a sub-list
        is the numbering starting again (a repeated page, an appendix): a new top-level item."""
        open_list = next((i for i in range(len(self.stack) - 1, 0, -1) if self.stack[i].sublist), None)
        if open_list is not None and item.label == "1":
            self.restarts += 1
            del self.stack[:]
            self.top.append(item)
            self.stack.append(item)
            return
        item.sublist = True
        if open_list is not None:
            del self.stack[open_list:]  # a sibling in the open sub-list
        self._attach(self.stack[-1], item)
        self.stack.append(item)

    def _attach(self, parent: Item, item: Item) -> None:
        if len(self.stack) >= MAX_ITEM_DEPTH:  # the parent is as deep as items go
            self.too_deep += 1
            parent = self.stack[MAX_ITEM_DEPTH - 2]
            del self.stack[MAX_ITEM_DEPTH - 1 :]
        parent.children.append(item)

    def finish(self) -> tuple[list[Item], list[Paragraph]]:
        if self.restarts:
            self.warnings.append(items_restarted(self.restarts))
        if self.too_deep:
            self.warnings.append(items_too_deep(self.too_deep, MAX_ITEM_DEPTH))
        return self.top, self.preamble


def _build_items(paras: list[Paragraph], warnings: list[str] | None = None) -> tuple[list[Item], list[Paragraph]]:
    """Nest the marked paragraphs; returns (top-level items, paragraphs before the first).
    What was odd about the numbering is appended to ``warnings``."""
    kinds_present = {k[0] for p in paras if (k := _kind(p.text))}
    top_kind = next((k for k in ("dieu", "roman", "num", "sub") if k in kinds_present), None)
    if top_kind is None:
        return [], paras
    builder = _Builder(top_kind, warnings if warnings is not None else [])
    for p in paras:
        builder.add(p)
    top, preamble = builder.finish()
    for it in _walk_items(top):
        if it.kind == "sub":
            it.label = it.label.split(".")[-1] or it.label
    _fix_repeated_labels(top)
    _fix_roman_by_position(top)
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


def _fix_roman_by_position(top: list[Item]) -> None:
    """Roman section headings a scan misread ("I, I, II, IV" for "I, II, III, IV": strokes
    lost; "I, III, II" for "I, II, III": "II." read as "HI.") take their place in the
    sequence, for a letter never repeats a heading nor goes back: only when the labels
    repeat or fall back, and none is past the count of headings."""
    romans = [it for it in top if it.kind == "roman"]
    labels = [it.label for it in romans]
    if len(romans) < 2 or labels[0] != ROMAN[0] or len(romans) > len(ROMAN):
        return
    values = [ROMAN.index(x) for x in labels]
    if all(b > a for a, b in zip(values, values[1:])):
        return  # increasing: nothing repeats (a skipped section is the letter's own)
    if any(v >= len(values) for v in values):
        return
    for k, it in enumerate(romans):
        it.label = ROMAN[k]


def _follows(last: Item, label: str) -> bool:
    try:
        return int(label) == int(last.label) + 1
    except ValueError:
        return True


def _skips_ahead(last: Item, label: str) -> bool:
    """``label`` is a top-level number a little past the next one ("8." then "10.": the
    letter skipped one, or its line was lost); a sub-list inside an item starts at 1."""
    try:
        return int(last.label) + 1 < int(label) <= int(last.label) + MAX_NUMBER_SKIP + 1
    except ValueError:
        return False


def _closing(item: Item) -> Item:
    """Drop the letter's closing paragraph ("… đề nghị … nghiêm túc thực hiện./.") from the last item."""
    holder = item
    while holder.children:
        holder = holder.children[-1]
    ended = False  # (the letter's "./." ends its last paragraph, which may follow one about the letter)
    while len(holder.paras) > 1:
        last = holder.paras[-1].text
        closes = not ended and last.rstrip().endswith(("./.", "/.")) or _about_this_letter().match(last)
        if not closes or ITEM_MARKER.match(last) or patterns().execution_clause.search(last):
            break  # "A, B chịu trách nhiệm thi hành …./." assigns
        ended = True
        holder.paras.pop()
    return item


@cache
def _about_this_letter() -> re.Pattern:
    """A closing paragraph that speaks of the letter itself ("Căn cứ Chỉ thị này, …",
    "Trên đây là Kế hoạch …"), when the OCR lost its "./.": the whole letter's, not the last
    item's."""
    names = "(?:" + "|".join(re.escape(t.name) for t in sorted(rules().doc_types, key=lambda t: -len(t.name))) + ")"
    openers = [re.escape(o).replace(re.escape("{type}"), names) for o in rules().phrases["closing_about_letter"]]
    return re.compile(r"^\s*(?:" + "|".join(openers) + r")\b", re.IGNORECASE)


def read_assignments(
    paras: list[Paragraph], letter_date: str | None, prov: ProvenanceLog, warnings: list[str] | None = None
) -> list[Assignment]:
    """The assignments of the body's numbered items; odd numbering is appended to
    ``warnings`` (when given)."""
    items, _ = _build_items(unquoted(paras), warnings)
    if items:
        _closing(items[-1])
    return _to_assignments(items, letter_date, prov)


def unquoted(paras: list[Paragraph]) -> list[Paragraph]:
    """The paragraphs without the passages quoted from another document: a paragraph that
    opens with “ and the ones after it up to the one that closes it with ” (a law's
    "“Điều 49. …”", "“2. Cơ quan …”" quoted as the grounds are the law's items, not the
    letter's)."""
    out: list[Paragraph] = []
    i = 0
    while i < len(paras):
        end = _quote_end(paras, i) if paras[i].text.lstrip().startswith(_OPEN_QUOTE) else None
        if end is not None:
            i = end + 1
            continue
        out.append(paras[i])
        i += 1
    return out


def _quote_end(paras: list[Paragraph], start: int) -> int | None:
    """The paragraph that closes the quotation opened at ``paras[start]`` (quotes inside it,
    "“bên liên kết”", nest), or None when it stays open too long."""
    depth = 0
    for j in range(start, min(start + QUOTE_MAX_PARAGRAPHS, len(paras))):
        depth += paras[j].text.count(_OPEN_QUOTE) - paras[j].text.count(_CLOSE_QUOTE)
        if depth <= 0:
            return j
    return None


def _to_assignments(items: list[Item], letter_date: str | None, prov: ProvenanceLog) -> list[Assignment]:
    """The items as assignments, children before their parent (post-order, as the
    provenance lists them), with an explicit stack."""
    whole: dict[int, str] = {}  # id(item) → the text of the item and its sub-items
    built: dict[int, Assignment] = {}
    stack: list[tuple[Item, str, bool]] = [
        (it, f"/assignments/{i}", False) for i, it in reversed(list(enumerate(items)))
    ]
    while stack:
        it, pointer, expanded = stack.pop()
        if not expanded:
            stack.append((it, pointer, True))
            stack.extend((c, f"{pointer}/children/{k}", False) for k, c in reversed(list(enumerate(it.children))))
            continue
        child_texts = [whole.pop(id(c)) for c in it.children]
        whole[id(it)] = collapse(" ".join([p.text for p in it.paras] + child_texts))
        built[id(it)] = _assignment(
            it, child_texts, [built.pop(id(c)) for c in it.children], letter_date, prov, pointer
        )
    return [built[id(it)] for it in items]


def _assignment(
    it: Item,
    child_texts: list[str],
    children: list[Assignment],
    letter_date: str | None,
    prov: ProvenanceLog,
    pointer: str,
) -> Assignment:
    own_text = collapse(
        " ".join(ITEM_MARKER.sub("", p.text, count=1) if j == 0 else p.text for j, p in enumerate(it.paras))
    )
    full = collapse(" ".join([own_text, *child_texts]))
    lead, support = responsible(it)
    support = in_order_of_mention(support, full)
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


def in_order_of_mention(units: list[str], text: str) -> list[str]:
    """``units`` in the order ``text`` first names them (CONTRACT: after the lead, the units
    of an item in order of first mention); those it does not print as read go last, in
    their order."""
    folded = fold(text)
    found = [(folded.find(fold(u)), k) for k, u in enumerate(units)]
    return [units[k] for _, k in sorted(found, key=lambda pk: (pk[0] < 0, pk[0], pk[1]))]
