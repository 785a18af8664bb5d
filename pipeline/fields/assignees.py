"""Stage 5b: who an item assigns its task to: the lead unit ("Giao Sở Xây dựng chủ trì")
and the units that support it ("phối hợp với Công an Thành phố, Sở Tài chính")."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Protocol

from vanthu.pipeline.fields.nlp import starts_with_verb
from vanthu.pipeline.fields.subjects import agent_units, standing_role
from vanthu.pipeline.fields.subjects import bracketed_units as _bracketed_units
from vanthu.pipeline.fields.subjects import generic_list_intro as _generic_list_intro
from vanthu.pipeline.fields.subjects import past_generic_tail as _past_generic_tail
from vanthu.pipeline.fields.subjects import past_leadin as _past_leadin
from vanthu.pipeline.fields.subjects import past_speaker as _past_speaker
from vanthu.pipeline.fields.subjects import topic_heading as _topic_heading
from vanthu.pipeline.fields.subjects import units_at_start as _units_at_start
from vanthu.pipeline.fields.unitbounds import shared_head_list_end, units_in
from vanthu.pipeline.fields.unitnames import clean_unit, dedupe, is_generic_unit, looks_like_unit
from vanthu.pipeline.layout.cues import ITEM_MARKER
from vanthu.pipeline.layout.paragraphs import Paragraph
from vanthu.pipeline.rules.loader import patterns, rules
from vanthu.pipeline.text.normalize import fold

_ANSWERABLE = re.compile(r"\b(?:chịu|có)\s+trách\s+nhiệm(?:\s+toàn\s+diện)?\s+trước\b", re.IGNORECASE)
_RUN_ON_MARK = re.compile(r"^[^\s()\d]\)\s+")  # "e) ", or "©) ", "ø) " as a scan reads them
_CLAUSE_MARK = re.compile(r"^\((?:[ivx]{1,4}|\d{1,2}|[a-zđ])\)\s+")  # "(i) ", "(2) ", "(a) "
#: "phối hợp … giữa A, B và C": how far "giữa" may follow "phối hợp"
BETWEEN_REACH = 80
_BETWEEN = re.compile(rf"\bphối hợp\b[^;:.]{{0,{BETWEEN_REACH}}}?\bgiữa\s+", re.IGNORECASE)
_SUPPORT = re.compile(r"\b(?:phối hợp(?:\s+chặt chẽ)?(?:\s+với)?|cùng với|cùng)\s+", re.IGNORECASE)
_CLAUSES = re.compile(r"(?<=[;.])\s+|:\s+(?=[A-ZĐ-]|\(\w{1,3}\)\s)")  # "… sau: (1) …" too
HEADING_SUPPORT_REACH = 120  # how far into a heading unit's own text "phối hợp với …" may begin
NEXT_PARA_SUPPORT_REACH = 12  # … and into the paragraph under a heading unit alone on its line
# the lead's own role right before the support, however far after the units ("… được giao chủ trì, phối hợp …")
_LEADS_THEN = re.compile(r"\bchủ\s+trì\s*,?\s*$", re.IGNORECASE)
SUPPORT_AFTER_UNITS_REACH = 40  # … and after the units that open a clause


class ItemNode(Protocol):
    """A numbered item as ``fields.items`` builds it."""

    @property
    def kind(self) -> str: ...

    @property
    def paras(self) -> list[Paragraph]: ...

    @property
    def children(self) -> Sequence[ItemNode]: ...


def _words(phrases: list[str]) -> str:
    """Regex alternation of ``phrases`` in their order in the data, escaped."""
    return "|".join(re.escape(p) for p in phrases)


@cache
def _directive() -> re.Pattern:
    d = sorted(rules().phrases["directive"], key=len, reverse=True)
    return re.compile(r"^\s*(?:" + "|".join(re.escape(x) for x in d) + r")\s+", re.IGNORECASE)


@cache
def _resp_heading() -> re.Pattern:
    words = "|".join(re.escape(x) for x in rules().phrases["responsibility_heading"])
    return re.compile(r"^\s*(?:" + words + r")\s+", re.IGNORECASE)


@cache
def _action_start() -> re.Pattern:
    """The first word of an action after the units: "cần", "phải", "khẩn trương" …"""
    return re.compile(r"^(?:" + _words(rules().phrases["action_starts"]) + r")\w*")


@cache
def _opens_with_support() -> re.Pattern:
    """A clause of the item's lead that opens with whom it works with: "Đồng thời, phối hợp với …"."""
    return re.compile(
        r"^(?:(?:" + _words(rules().phrases["support_openers"]) + r")\s*,?\s*)*phối\s+hợp(?:\s+chặt\s+chẽ)?\s+với\s+",
        re.IGNORECASE,
    )


@cache
def _name_goes_on() -> re.Pattern:
    """ "và (các) <Name in capitals …>" after a unit: its name goes on."""
    g = rules().units["name_goes_on"]
    return re.compile(
        r"\s*((?:" + _words(g["joiners"]) + r")\s+(?:(?:" + _words(g["quantifiers"]) + r")\s+)?"
        r"[A-ZĐ]\w*(?:\s+[\w-]+){0,6}?)\s*[.:;]?\s*"
    )


#: the longest bracket after the units that their action may follow ("(SCIC)", "(cơ quan thường trực)")
MAX_BRACKET_AFTER_UNITS = 40
_ABBREVIATION = re.compile(rf"^\([^()]{{1,{MAX_BRACKET_AFTER_UNITS}}}\)\s*")


def _after_units_is_action(text: str, pos: int) -> bool:
    rest = _ABBREVIATION.sub("", text[pos:].lstrip(" ,"))  # "… (SCIC) chủ động …", "… (cơ quan thường trực) chủ trì …"
    if not rest:
        return True
    if rest[:1] == ":":
        return True
    low = rest.lower()
    lead_words = rules().phrases["lead"]
    return any(low.startswith(w) for w in lead_words) or bool(_action_start().match(low))


@dataclass
class _Owners:
    """The units an item names, as leads or as support, in order of mention."""

    leads: list[str] = field(default_factory=list)
    support: list[str] = field(default_factory=list)

    def add(self, units: list[str], role: str) -> None:
        for u in units:
            if not u or (is_generic_unit(u) and role == "lead"):
                continue
            if role == "lead":
                self.leads.append(u)
            else:
                self.support.append(u)

    def add_named(self, units: list[str]) -> None:
        """The first unit that is no generic word leads, the others support it."""
        named = [u for u in units if not is_generic_unit(u)]
        self.add(named[:1], "lead")
        self.add(named[1:], "support")

    def lead_and_support(self) -> tuple[str | None, list[str]]:
        if self.leads:
            lead = self.leads[0]
            return lead, dedupe([u for u in self.leads[1:] + self.support if fold(u) != fold(lead)])
        return None, dedupe(self.support)


@dataclass
class _Reading:
    """One paragraph of an item, read for the units it names."""

    paras: list[tuple[int, Paragraph]]  # all the item's paragraphs, with their depth
    n: int  # this paragraph's index in ``paras``
    depth: int
    text: str  # without its item marker
    intro: bool  # it heads sub-items with a colon


def responsible(it: ItemNode) -> tuple[str | None, list[str]]:
    """The lead unit and the supporting units named by an item and its sub-items."""
    owners = _Owners()
    paras = list(_paras_with_depth(it))
    for n, (depth, para) in enumerate(paras):
        text = _labelled_owners(it, depth, ITEM_MARKER.sub("", para.text, count=1).strip(), owners)
        if text is None:
            continue
        # "X, trong đó trọng tâm là …:" heading sub-items a), b): X is whom they are addressed to
        intro = depth == 0 and bool(it.children) and para is it.paras[0] and text.rstrip().endswith(":")
        at = _Reading(paras, n, depth, text, intro)
        clauses = _clauses(text)
        for clause_no, clause in enumerate(clauses):
            # "A hướng dẫn, kiểm tra; B bảo đảm kinh phí": B is given a task of its own
            # "… các nhiệm vụ sau: (i) A tham mưu …; (ii) B hướng dẫn …": each its own task
            enumerated = _CLAUSE_MARK.match(clause.strip())
            parallel = bool(enumerated) or (
                clause_no > 0
                and (
                    (clauses[clause_no - 1].rstrip().endswith(";") and bool(owners.leads))
                    or (clause_no == 1 and (_generic_list_intro(clauses[0]) or _topic_heading(clauses[0])))
                )
            )
            # (a sub-item's marker the scan ran into the paragraph before it: "…; ø) Chủ trì, …")
            clause = clause.strip()[enumerated.end() :] if enumerated else _RUN_ON_MARK.sub("", clause.strip(), count=1)
            _clause_owners(clause, clause_no, at, owners, parallel)
    return owners.lead_and_support()


def _clauses(text: str) -> list[str]:
    """``text`` split at "; ", ". " and at a colon before a capital, but not at the colon of a
    list of names that share a head ("Bộ trưởng các Bộ: Xây dựng, Ngoại giao …")."""
    out, pos = [], 0
    for m in _clause_breaks().finditer(text):
        if text[m.start()] == ":" and _shares_head(text, m.start()):
            continue
        out.append(text[pos : m.start() + (1 if text[m.start()] == ":" else 0)])
        pos = m.end()
    return [part for c in [*out, text[pos:]] for part in _topic_then_directive(c)]


def _topic_then_directive(clause: str) -> list[str]:
    """ "Về đề nghị của UBND tỉnh X: giao Bộ Y xem xét": a topic heading and the directive
    in lower case that answers it after its colon, as two clauses."""
    colon = clause.find(":")
    if colon < 0 or not _topic_heading(clause[: colon + 1]):
        return [clause]
    rest = clause[colon + 1 :].lstrip()
    if not rest[:1].islower() or not _directive().match(rest):
        return [clause]
    return [clause[: colon + 1], rest]


@cache
def _clause_breaks() -> re.Pattern:
    """Where clauses end: ``_CLAUSES``, and before a bracket that opens a clause giving a
    unit its own role ("… báo cáo hằng quý (Sở Kế hoạch và Đầu tư chịu trách nhiệm …)")."""
    roles = _words(rules().phrases["bracketed_lead"])
    return re.compile(_CLAUSES.pattern + r"|\s\((?=[A-ZĐ][^()]{0,80}?\s(?:" + roles + r")\b)")


def _shares_head(text: str, colon: int) -> bool:
    """The colon at ``colon`` opens a list of names sharing the head of the unit before it."""
    before = text[:colon]
    last = units_in(before)[-1:] if ":" not in before[-1:] else []
    return any(b == len(before.rstrip()) and shared_head_list_end(text, a, b) > b for a, b in last)


def _labelled_owners(it: ItemNode, depth: int, text: str, owners: _Owners) -> str | None:
    """The units a paragraph names by its form: an execution clause ending a decision, a
    responsibility heading, a role label ("Cơ quan chủ trì: …"). Returns the text left to
    read clause by clause, or None when the paragraph is read."""
    p = patterns()
    # "Điều 3. A, B và C chịu trách nhiệm thi hành Quyết định này"
    ex = p.execution_clause.search(text)
    if ex and it.kind == "dieu":
        for part in re.split(r"\s*;\s*", text[: ex.start()]):
            owners.add([clean_unit(part[a:b]) for a, b in units_in(part)], "lead")
        return None
    head = _resp_heading().match(text)
    named = text[head.end() :] if head else ""
    if head and _directive().match(text) and not _names_only(named.split(":", 1)[0]):
        head = None  # "Giao nhiệm vụ cho A chủ trì, phối hợp với B …": a directive, read by clause
    if head and depth > 0 and not _names_only(named):
        # "5. Trách nhiệm của Sở Tài chính: tham mưu …": the names before the colon
        named = named.split(":", 1)[0] if ":" in named else ""
        head = head if _names_only(named) else None
    if head:
        # "Trách nhiệm của A; B" as an item's heading, or as a sub-item's ("1. Trách nhiệm của Sở Tư pháp")
        for part in re.split(r"\s*;\s*", named):
            owners.add(_units_at_start(part)[0], "lead")
        return None
    rl = p.role_label.match(text)
    if rl:
        label = fold(rl.group("label"))
        rest = text[rl.end() :]
        is_support = any(fold(x) == label for x in rules().phrases["role_labels"]["support"])
        if is_support or "chủ trì" in label:
            # "Cơ quan chủ trì: A, B" leads; "Cơ quan phối hợp: C; D" works with them
            names = [u for a, b in units_in(rest.rstrip(". ")) if looks_like_unit(u := clean_unit(rest[a:b]))]
            owners.add(names, "support" if is_support else "lead")
            return None
        return rest
    return text


def _clause_units(c: str, clause_no: int, depth: int) -> tuple[re.Match | None, str, list[str], int] | None:
    """(the directive, the clause after it, the units that open it, where they end), or
    None when the clause names no one it assigns to."""
    if not c:
        return None
    if _ANSWERABLE.search(c):
        return None  # "X chịu trách nhiệm toàn diện trước Thủ tướng …": accountability, not a task
    c = _past_speaker(c)
    directive = _directive().match(c)
    if directive and clause_no > 0 and depth == 0 and not c.lower().startswith("giao"):
        # a later "Yêu cầu các cơ quan, đơn vị, UBND các xã …" restates the addressees;
        # "Giao" assigns, and so does a "Yêu cầu/Đề nghị" that opens with a named unit
        # ("… Yêu cầu Chi cục X chủ trì …")
        first = _units_at_start(c[directive.end() :])[0][:1]
        if not first or is_generic_unit(first[0]):
            return None
    body = c[directive.end() :] if directive else _past_leadin(c)
    if not directive and (directive := _directive().match(body)):
        body = body[directive.end() :]  # "Theo đề nghị của Sở Y tế, giao Trung tâm Y tế …"
    units, pos = _units_at_start(body)
    pos = _past_generic_tail(body, pos) if units else pos
    if all(is_generic_unit(u) for u in units):
        units, pos = _bracketed_units(body) or (units, pos)
    if not units:
        return None
    goes_on = _name_goes_on().fullmatch(body, pos) if clause_no == 0 and depth == 0 else None
    if goes_on:
        # "Ban Quản lý Khu Kinh tế Dung Quất và các Khu công nghiệp tỉnh: …": what
        # follows "và" is no unit of its own but a name in capitals, so it is part of
        # this one (the Board manages both)
        units[-1] = clean_unit(units[-1] + " " + goes_on.group(1))
        pos = len(body)
    return directive, body, units, pos


def _clause_owners(c: str, clause_no: int, at: _Reading, owners: _Owners, parallel: bool = False) -> None:
    """The units one clause of a paragraph assigns to."""
    between = _BETWEEN.search(c)
    if between:
        # "tăng cường phối hợp … giữa A, B và C": the units named work with one another
        owners.add(_units_after(c[between.end() :]), "support")
    read = _clause_units(c, clause_no, at.depth)
    if read is None and _by_agent(c, owners):
        return
    if read is None:
        opens = _opens_with_support().match(c)
        # "đồng thời, phối hợp với Y …", "c) Chủ trì, phối hợp với Y …": Y works with the lead
        # named before it (a sub-item read alone has none: its lead is its parent's)
        if opens and owners.leads:
            owners.add(_units_after(c[opens.end() :]), "support")
        return
    directive, body, units, pos = read
    depth = at.depth
    whole_heading = not body[pos:].strip(" .:;,")
    # the units the heading sentence opens with (not a sentence before it: "Chính phủ
    # thống nhất với …. Giao Bộ X chủ trì …, bảo đảm các yêu cầu sau:")
    heading_clause = c.rstrip().endswith(":")
    if at.intro and clause_no == 0 and not directive and heading_clause:
        owners.add_named(units)
        if whole_heading:
            _heading_support(at.text[at.text.find(c) + len(c) :], at, owners)
        return
    if (
        directive
        or (whole_heading and depth <= 2 and clause_no == 0)
        or (_after_units_is_action(body, pos) and (clause_no == 0 or depth > 0 or directive or heading_clause))
        or (parallel and (_after_units_is_action(body, pos) or starts_with_verb(body[pos:].lstrip(" ,"))))
        or _takes_a_role(body, pos)
    ):
        owners.add_named(units)
        sm = _SUPPORT.search(body, pos)
        if sm and (sm.start() - pos < SUPPORT_AFTER_UNITS_REACH or _LEADS_THEN.search(body, pos, sm.start())):
            owners.add(_units_after(body[sm.end() :]), "support")
        if whole_heading and depth == 0 and clause_no == 0:
            _heading_support(at.text[at.text.find(c) + len(c) :], at, owners)


def _by_agent(c: str, owners: _Owners) -> bool:
    """ "Việc … do Bộ X chủ trì, phối hợp với Bộ Y thực hiện": the agent leads, those it
    works with support it."""
    found = agent_units(c)
    if found is None:
        return False
    units, rest = found
    owners.add_named(units)
    sm = _SUPPORT.search(rest)
    if sm and sm.start() < SUPPORT_AFTER_UNITS_REACH:
        owners.add(_units_after(rest[sm.end() :]), "support")
    return True


def _takes_a_role(body: str, pos: int) -> bool:
    """The units that open a later sentence take a role of their own: "Các tỉnh uỷ, thành uỷ
    phối hợp Bộ Y tế …", "Sở Tài chính chủ trì …" (a role verb right after them)."""
    low = body[pos:].lstrip(" ,").lower()
    return any(low.startswith(w) for w in rules().units["stop_words_any_case"]) or standing_role(low)


def _heading_support(rest: str, at: _Reading, owners: _Owners) -> None:
    """ "Cục Thuế tỉnh: Chủ trì, phối hợp với các cơ quan, đơn vị có liên quan …":
    those the heading unit is told to work with support it, also when its first
    task is a bullet of its own that opens so ("Cục Thuế tỉnh:" / "- Chủ trì, phối
    hợp với …", or its next paragraph so, bullet or not; a bullet that comes to it
    later, "- Trên cơ sở chức năng nhiệm vụ, chủ trì, phối hợp với …", is read as a
    task of its own in the answer keys)."""
    paras, n = at.paras, at.n
    reach = HEADING_SUPPORT_REACH
    if not rest.strip(" .:") and n + 1 < len(paras) and paras[n + 1][0] >= paras[n][0]:
        rest = ITEM_MARKER.sub("", paras[n + 1][1].text, count=1).lstrip(" -–•+")
        reach = NEXT_PARA_SUPPORT_REACH
    sm = _SUPPORT.search(rest)
    if sm and sm.start() < reach:
        owners.add(_units_after(rest[sm.end() :]), "support")


def _names_only(text: str) -> bool:
    """``text`` is nothing but unit names (a heading): "Sở Tư pháp", "Sở Y tế; Sở Tài chính"."""
    parts = [x for x in re.split(r"\s*;\s*", text.strip(" .:")) if x]
    if not parts:
        return False
    for part in parts:
        units, pos = _units_at_start(part)
        if not units or part[pos:].strip(" .:,"):
            return False
    return True


def _units_after(text: str) -> list[str]:
    """The units that open ``text`` (after "phối hợp với", "giữa" …)."""
    return _units_at_start(text)[0]


def _paras_with_depth(it: ItemNode) -> Iterator[tuple[int, Paragraph]]:
    """The paragraphs of an item and its sub-items in reading order, with their depth
    below ``it`` (an explicit stack: no recursion however deep the items nest)."""
    stack: list[tuple[int, ItemNode]] = [(0, it)]
    while stack:
        depth, node = stack.pop()
        for p in node.paras:
            yield depth, p
        stack.extend((depth + 1, c) for c in reversed(node.children))
