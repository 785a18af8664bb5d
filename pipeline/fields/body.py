"""Stage 5b: the body (ô 6): paragraphs, cited documents, numbered assignments with
their responsible units and deadlines."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

from vanthu.models.record import Assignment, Reference
from vanthu.pipeline.fields.dates import find_date, iso
from vanthu.pipeline.fields.nlp import spans, units_in
from vanthu.pipeline.layout.cues import ITEM_LEVELS, ITEM_MARKER, ROMAN
from vanthu.pipeline.layout.paragraphs import Paragraph
from vanthu.pipeline.provenance import ProvenanceLog
from vanthu.pipeline.rules.loader import patterns, rules
from vanthu.pipeline.text.normalize import collapse, fold

_TITLE_TAIL = re.compile(r"(?:^|\s)(?:về việc|về|V/v)\s+(?P<t>[^;]+)$")


@dataclass
class Item:
    kind: str
    label: str
    paras: list[Paragraph]
    children: list[Item] = field(default_factory=list)

    @property
    def head(self) -> str:
        return ITEM_MARKER.sub("", self.paras[0].text, count=1).strip()

    def all_paras(self) -> list[Paragraph]:
        out = list(self.paras)
        for c in self.children:
            out.extend(c.all_paras())
        return out


_TYPE_WORDS = None


def _type_regex() -> re.Pattern:
    global _TYPE_WORDS
    if _TYPE_WORDS is None:
        names = sorted({t.name for t in rules().doc_types}, key=len, reverse=True)
        alt = "|".join(re.escape(n).replace(r"\ ", r"\s+") for n in names)
        _TYPE_WORDS = re.compile(rf"(?<!\w)(?P<type>{alt})(?!\w)", re.IGNORECASE)
    return _TYPE_WORDS


_LAWS = ("Luật", "Bộ luật", "Hiến pháp", "Pháp lệnh")

def read_references(paras: list[Paragraph], own_ns: str | None, prov: ProvenanceLog) -> list[Reference]:
    refs: list[Reference] = []
    seen: set[str] = set()
    law_titles: list[str] = []  # names of the laws cited with their numbers
    own = fold(own_ns) if own_ns else None
    for para in paras:
        text = _join_symbols(para.text)
        found = spans(text)
        type_spans = [s for s in found if s.label == "DOC_TYPE"]
        sym_spans = [s for s in found if s.label == "SYMBOL"]
        used_syms: set[int] = set()
        consumed = -1  # a law's name may hold type words ("… văn bản quy phạm pháp luật")
        for k, ts in enumerate(type_spans):
            if ts.start < consumed:
                continue
            next_type = type_spans[k + 1].start if k + 1 < len(type_spans) else len(text)
            tail = text[ts.end:next_type]
            m = re.match(r"^\s*(?:số\s*[:.]?\s*)?(?:(?:ngày|,)[^;]{0,40}?(?:số)\s*)?", tail, re.IGNORECASE)
            sym = next((s for s in sym_spans if ts.end <= s.start <= ts.end + max(len(m.group(0)) if m else 0, 6) + 1), None)
            if sym is None:
                # a later symbol in a short window: "Nghị quyết của Chính phủ số 66/NQ-CP"
                sym = next((s for s in sym_spans if ts.end <= s.start <= ts.end + 4), None)
            name = rules().type_by_name(ts.text) or ts.text
            if sym is not None:
                used_syms.add(sym.start)
                ns = "".join(sym.text.split()).rstrip(".")
                if own and fold(ns) == own:
                    continue
                segment_end = next_type
                ref = _describe(name, ns, text, ts.start, sym.end, segment_end)
            elif name in _LAWS and ts.text[:1].isupper():
                clause = text.find(";", ts.end)
                ref, end = _law(name, text, ts.start, ts.end, next_type, clause if clause >= 0 else len(text))
                if ref is None:
                    continue
                consumed = end
                if ref.number_symbol:  # "Luật … số 72/2025/QH15": its symbol is not a second citation
                    used_syms.update(s.start for s in sym_spans if s.text.rstrip(".") == ref.number_symbol)
            else:
                continue
            key = fold(ref.number_symbol) if ref.number_symbol else "law|" + fold(ref.title or ref.text)
            if key in seen or (not ref.number_symbol and ref.title and (
                    "law|" + fold(ref.title) in seen
                    or any(fold(text[ts.start:ts.start + len(t) + 5]).startswith(t) for t in law_titles))):
                continue  # (a law cited again by its name alone, after its number was)
            seen.add(key)
            if ref.number_symbol and ref.title and name in _LAWS:
                seen.add("law|" + fold(ref.title))
                law_titles.append(fold(ref.title))
            prov.add(f"/references/{len(refs)}", para.lines)
            refs.append(ref)
        # a bare "số 123/UBND-VX" cited without a type name
        for s in sym_spans:
            if s.start in used_syms:
                continue
            before = text[max(0, s.start - 12):s.start].lower()
            if "số" not in before:
                continue
            ns = "".join(s.text.split()).rstrip(".")
            if (own and fold(ns) == own) or fold(ns) in seen:
                continue
            abbr = re.split(r"[-/]", ns.split("/", 1)[-1].split("-", 1)[-1] if "-" in ns.split("/")[0] else ns.split("/", 1)[-1])[0]
            ref = _describe(rules().type_by_abbr(abbr) or "Văn bản", ns, text, s.start, s.end, len(text))
            seen.add(fold(ns))
            prov.add(f"/references/{len(refs)}", para.lines)
            refs.append(ref)
    return refs


def _describe(doc_type: str, ns: str, text: str, start: int, sym_end: int, seg_end: int) -> Reference:
    seg = text[sym_end:seg_end]
    # the citation runs to the next ';' or to the next citation opener
    stop = re.search(r";|\.\s+[A-ZĐ]|\.$|,\s*(?:Căn cứ|Thực hiện|Theo)\b", seg)
    seg = seg[: stop.start()] if stop else seg
    date_iso, _, ds, de = find_date(seg)
    before = text[max(0, start - 40):start]
    if date_iso is None or ds > 40:
        # a date printed before the number: "ngày 12/3/2025 số 45/…" or "… ngày 05/3 …"
        bm = list(re.finditer(r"ngày\s+[^,;]{4,25}$", before))
        if bm:
            date_iso2, _, _, _ = find_date(bm[-1].group(0))
            if date_iso2:
                date_iso, ds, de = date_iso2, -1, -1
        elif date_iso is not None and ds > 40:
            date_iso = None
    issuer = None
    title = None
    im = re.search(r"(?:^|\s)của\s+(?P<iss>.+?)(?=\s+(?:về|về việc|V/v|quy định|hướng dẫn|ban hành|sửa đổi|tại|ngày|đã|đối với|nêu|trong|thì|để|như|do|theo|với|phê duyệt|thông qua|bãi bỏ|“|\")\b|[,;:(“\"]|\.\s|\.$|$)", seg)
    if im and (ds < 0 or im.start() < 80):
        cand = im.group("iss").strip()
        if cand and cand[:1].isupper() and len(cand) < 90:
            issuer = cand
    # A match holds no ';': start after the last one (else quadratic on "về x về x …;").
    tm = _TITLE_TAIL.search(seg, seg.rfind(";") + 1)
    if tm:
        title = collapse(tm.group("t")).rstrip(" .,;") or None
    text_printed = collapse(text[start:sym_end + (stop.start() if stop else len(seg))]).rstrip(" ;,.")
    return Reference(doc_type=doc_type, number_symbol=ns, date=date_iso, issuer=issuer, title=title, text=text_printed)


_LAW_NAME_END = re.compile(
    r"\s+(?:số|ngày|năm|của|đã|được|và|trên|trong|theo|với|thuộc|khi|về|để|các|bảo|nguồn|tại|hiện|đến|do|cho|là|có|từ|nhằm|mới|sửa)\b"
    r"|[,;:(“\"]|\.(?:\s|$)|$")


_LAW_NUMBER = re.compile(r"\s+số\s+(?P<ns>\d{1,4}/\d{4}/[A-ZĐ]+\d*)")


@cache
def _another_citation() -> re.Pattern:
    """What ends a law's name before a number: another document cited by its type name
    in capitals ("…; Nghị định …", "Luật …"; lower-case "văn bản", "luật" stay inside
    the name), a date, or punctuation that closes the citation."""
    names = sorted({t.name for t in rules().doc_types} | set(_LAWS), key=len, reverse=True)
    return re.compile(r"\b(?:" + "|".join(re.escape(n) for n in names) + r")\b|[.;(]|\bngày\b")


def _law(name: str, text: str, start: int, name_end: int, seg_end: int,
         clause_end: int) -> tuple[Reference | None, int]:
    """A law cited by its name ("Luật Hỗ trợ doanh nghiệp nhỏ và vừa số 04/2017/QH14"),
    and where its citation ends. A law's number, when printed in the same clause, ends
    its name, whatever words the name holds ("và", "văn bản"); else the name ends at the
    first word that cannot continue it."""
    seg = text[name_end:seg_end]
    stop = re.search(r";|\.\s|\.$", seg)
    seg = seg[: stop.start()] if stop else seg
    if not re.match(r"^\s*[A-ZĐÂĂÊÔƠƯÁÀẢÃẠ]", seg):
        return None, name_end
    clause = text[name_end:clause_end]
    numbered = _LAW_NUMBER.search(clause)
    if numbered and not _another_citation().search(clause[: numbered.start()]):
        law_name = collapse(f"{name} {clause[: numbered.start()]}")
        end = name_end + numbered.end()
        date_iso, _, ds, _ = find_date(text[end:clause_end])
        return Reference(doc_type=name, number_symbol=numbered.group("ns"), date=date_iso if 0 <= ds <= 20 else None,
                         issuer=None, title=law_name, text=collapse(text[start:end]).rstrip(" ;,.")), end
    end = _LAW_NAME_END.search(seg, 1)
    law_name = collapse(f"{name} {seg[: end.start() if end else len(seg)]}")
    if len(law_name.split()) < 2:
        return None, name_end
    number = None
    sm = re.match(r"^\s*số\s+(?P<ns>\d{1,4}/\d{4}/[A-ZĐ]+\d*)", seg[end.start():] if end else "")
    if sm:
        number = sm.group("ns")
    date_iso, _, ds, _ = find_date(seg)
    if ds > 90:
        date_iso = None
    return Reference(doc_type=name, number_symbol=number, date=date_iso, issuer=None, title=law_name,
                     text=collapse(text[start:name_end + len(seg)]).rstrip(" ;,.")), name_end + len(seg)


def _join_symbols(text: str) -> str:
    """Symbols broken by a space in print: "9151- CV/BTCTW", "QLN& TTBĐS"."""
    text = re.sub(r"(?<=\d)-\s+(?=[A-ZĐ]{2})", "-", text)
    # a symbol broken at a line end after its hyphen: "6138/UBND-" + "KGVX", "131/CĐ-" + "TTg"
    text = re.sub(r"(\d/[A-ZĐ][\wĐđ]*(?:-[\wĐđ]+)*)-\s+(?=[A-ZĐ][A-Za-zĐđ]+\b)", r"\1-", text)
    return re.sub(r"(?<=[A-ZĐ])&\s+(?=[A-ZĐ])", "&", text)


# ------------------------------------------------------------------ assignments
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
                if stack:
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
    if len(holder.paras) > 1 and last.rstrip().endswith(("./.", "/.")) and not ITEM_MARKER.match(last) \
            and not patterns().execution_clause.search(last):  # "A, B chịu trách nhiệm thi hành …./." assigns
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


def _to_assignment(it: Item, letter_date: str | None, prov: ProvenanceLog, pointer: str,
                   memo: dict[int, str]) -> Assignment:
    own_text = collapse(" ".join(ITEM_MARKER.sub("", p.text, count=1) if j == 0 else p.text for j, p in enumerate(it.paras)))
    children = [_to_assignment(c, letter_date, prov, f"{pointer}/children/{k}", memo) for k, c in enumerate(it.children)]
    full = collapse(" ".join([own_text] + [_child_text(c, memo) for c in it.children]))
    lead, support = responsible(it)
    assignees = _dedupe(([lead] if lead else []) + support)
    deadline, deadline_text = find_deadline(full, letter_date)
    prov.add(pointer, [ln for p in it.paras for ln in p.lines])
    return Assignment(label=it.label, text=full, assignees=assignees, lead=lead, support=support,
                      deadline=deadline, deadline_text=deadline_text, children=children)


def _child_text(c: Item, memo: dict[int, str]) -> str:
    """The text of an item and its sub-items (memoised: deep nesting stays linear)."""
    key = id(c)
    if key not in memo:
        memo[key] = collapse(" ".join([p.text for p in c.paras] + [_child_text(x, memo) for x in c.children]))
    return memo[key]


def _dedupe(units: list[str]) -> list[str]:
    seen, out = set(), []
    for u in units:
        k = fold(u)
        if k not in seen:
            seen.add(k)
            out.append(u)
    return out


# ------------------------------------------------------------- responsibility
_DIRECTIVE = None


def _directive() -> re.Pattern:
    global _DIRECTIVE
    if _DIRECTIVE is None:
        d = sorted(rules().phrases["directive"], key=len, reverse=True)
        _DIRECTIVE = re.compile(r"^\s*(?:" + "|".join(re.escape(x) for x in d) + r")\s+", re.IGNORECASE)
    return _DIRECTIVE


_ANSWERABLE = re.compile(r"\b(?:chịu|có)\s+trách\s+nhiệm(?:\s+toàn\s+diện)?\s+trước\b", re.IGNORECASE)
_LEADIN = re.compile(r"^\s*(?:Trên cơ sở|Căn cứ|Sau khi|Để|Trong|Đối với|Thông qua|Từ)\b[^,;]{0,120},\s*", re.IGNORECASE)
_SUPPORT = re.compile(r"\b(?:phối hợp(?:\s+chặt chẽ)?(?:\s+với)?|cùng với|cùng)\s+", re.IGNORECASE)


_RESP_HEADING = re.compile(r"^\s*(?:" + "|".join(re.escape(x) for x in rules().phrases["responsibility_heading"]) + r")\s+", re.IGNORECASE)


def _is_generic(unit: str) -> bool:
    if unit == unit.upper() and len(unit) > 12:
        return True  # a heading in capitals ("TỔ CHỨC THỰC HIỆN"), not a unit
    if unit[:1].islower() and not re.match(r"^các\s+\S+.*[A-ZĐ]", unit):
        return True  # a lowercase mention inside a sentence ("cơ quan chuyên môn")
    key = fold(unit)
    if any(key == fold(g) or key == fold("các " + g) for g in rules().phrases["generic_units"]):
        return True
    # a list of generic words only, whoever heads it and whatever its scope: "Các cơ quan,
    # đơn vị, địa phương", "các sở, ban, ngành Thành phố", "Người đứng đầu cơ quan, tổ chức"
    for official in sorted((fold(o) for o in rules().units["officials"]), key=len, reverse=True):
        if key.startswith(official + " "):
            key = key[len(official) + 1:]
            break
    key = _SCOPE.sub("", key)
    words = [re.sub(r"^(?:các|toàn thể|mọi)\s+", "", w) for w in re.split(r"\s*(?:,|;|\bvà\b|\bhoặc\b)\s*", key)]
    words = [w for w in words if w]
    return bool(words) and all(w in _GENERIC_WORDS for w in words)


# where a generic list's scope begins: "… thuộc Ủy ban nhân dân Thành phố", "… cấp tỉnh", "… Thành phố"
_SCOPE = re.compile(r"\s+(?:(?:trực\s+)?thuộc\s.*|có\s+liên\s+quan.*|liên\s+quan.*|trên\s+địa\s+bàn.*|được\s+giao.*"
                    r"|cấp\s+(?:tỉnh|huyện|xã|thành\s+phố|trung\s+ương)|(?:thành\s+phố|tỉnh|trung\s+ương))$")


_GENERIC_WORDS = {"cơ quan", "đơn vị", "ngành", "địa phương", "tổ chức", "cá nhân", "doanh nghiệp", "cơ sở",
                  "các cơ quan", "các đơn vị", "các ngành", "các địa phương", "các tổ chức", "các cá nhân",
                  "cơ quan có liên quan", "đơn vị có liên quan", "đơn vị liên quan", "cơ quan liên quan",
                  "địa phương có liên quan", "tổ chức, cá nhân có liên quan", "cá nhân có liên quan",
                  "tổ chức có liên quan", "người dân"}


def _clean_unit(u: str) -> str:
    u = collapse(u).strip(" ,;:-")
    u = re.sub(r"^(?:Giao cho|Giao|Đề nghị|Yêu cầu)\s+", "", u)
    # a generic word after the name begins the next addressee: "Đài Phát thanh …, cơ quan
    # thông tấn" (but "các sở, ngành, địa phương" is one list of generic words)
    if not u[:1].islower():
        u = re.sub(r"(?:,\s*(?:các\s+)?(?:cơ quan|đơn vị|tổ chức|cá nhân|địa phương))+$", "", u)
    return u


def _units_at_start(text: str) -> tuple[list[str], int]:
    """Units named at the start of ``text`` ("A, B và C <verb> …") and where they end."""
    found = units_in(text)
    out: list[str] = []
    pos = 0
    for a, b in found:
        gap = text[pos:a]
        if out and not re.fullmatch(r"\s*(?:,|;|và|cùng|,\s*và)?\s*", gap):
            break
        if not out and gap.strip():
            break
        out.append(_clean_unit(text[a:b]))
        pos = b
    return [u for u in out if u], pos


def _after_units_is_action(text: str, pos: int) -> bool:
    rest = text[pos:].lstrip(" ,")
    if not rest:
        return True
    if rest[:1] == ":":
        return True
    low = rest.lower()
    lead_words = rules().phrases["lead"]
    return any(low.startswith(w) for w in lead_words) or bool(re.match(r"^(?:cần|phải|có|được|khẩn|kịp|tập|quán|chủ|căn|tiếp|thực|phối|tăng|đẩy|xây|rà|tham|hướng|chỉ|theo|tổ|kiểm|nghiên|bố|giải|quan|nâng|phát|tuyên|ban|trình|lập|đề|đánh|quản|hoàn|sớm|nghiêm|cung|thông|gửi|thi|chịu|đôn|giám|tổng|lãnh|vận|hỗ|ưu|bảo|đảm|làm|công|cập|cụ thể)\w*", low))


_NAME_GOES_ON = re.compile(r"\s*(và\s+(?:các\s+)?[A-ZĐ]\w*(?:\s+[\w-]+){0,6}?)\s*[.:;]?\s*")


def responsible(it: Item) -> tuple[str | None, list[str]]:
    """The lead unit and the supporting units named by an item and its sub-items."""
    lead: str | None = None
    support: list[str] = []
    leads: list[str] = []
    p = patterns()

    def add(units: list[str], role: str) -> None:
        for u in units:
            if not u or (_is_generic(u) and role == "lead"):
                continue
            if role == "lead":
                leads.append(u)
            else:
                support.append(u)

    paras = list(_paras_with_depth(it))

    def heading_support(rest: str, n: int) -> None:
        """"Cục Thuế tỉnh: Chủ trì, phối hợp với các cơ quan, đơn vị có liên quan …":
        those the heading unit is told to work with support it, also when its first
        task is a bullet of its own that opens so ("Cục Thuế tỉnh:" / "- Chủ trì, phối
        hợp với …", or its next paragraph so, bullet or not; a bullet that comes to it
        later, "- Trên cơ sở chức năng nhiệm vụ, chủ trì, phối hợp với …", is read as a
        task of its own in the answer keys)."""
        reach = 120
        if not rest.strip(" .:") and n + 1 < len(paras) and paras[n + 1][0] >= paras[n][0]:
            rest, reach = ITEM_MARKER.sub("", paras[n + 1][1].text, count=1).lstrip(" -–•+"), 12
        sm = _SUPPORT.search(rest)
        if sm and sm.start() < reach:
            add(_units_after(rest[sm.end():]), "support")

    for n, (depth, para) in enumerate(paras):
        text = ITEM_MARKER.sub("", para.text, count=1).strip()
        # "Điều 3. A, B và C chịu trách nhiệm thi hành Quyết định này"
        ex = p.execution_clause.search(text)
        if ex and it.kind == "dieu":
            for part in re.split(r"\s*;\s*", text[: ex.start()]):
                add([_clean_unit(part[a:b]) for a, b in units_in(part)], "lead")
            continue
        head = _RESP_HEADING.match(text)
        if head and (depth == 0 or _names_only(text[head.end():])):
            # "Trách nhiệm của A; B" as an item's heading, or as a sub-item's ("1. Trách nhiệm của Sở Tư pháp")
            for part in re.split(r"\s*;\s*", text[head.end():]):
                add(_units_at_start(part)[0], "lead")
            continue
        rl = p.role_label.match(text)
        if rl:
            label = fold(rl.group("label"))
            rest = text[rl.end():]
            is_support = any(fold(x) == label for x in rules().phrases["role_labels"]["support"])
            if is_support:
                continue  # "Cơ quan phối hợp: …" lists helpers of the item, not its owners
            if "chủ trì" in label:
                names = re.split(r"\s*[;,]\s*", rest.rstrip(". "))
                add([_clean_unit(n) for n in names if _looks_like_unit(n)], "lead")
                continue
            text = rest
        # "X, trong đó trọng tâm là …:" heading sub-items a), b): X is whom they are addressed to
        intro = depth == 0 and bool(it.children) and para is it.paras[0] and text.rstrip().endswith(":")
        for clause_no, clause in enumerate(re.split(r"(?<=[;.])\s+|:\s+(?=[A-ZĐ-])", text)):
            c = clause.strip()
            if not c:
                continue
            if _ANSWERABLE.search(c):
                continue  # "X chịu trách nhiệm toàn diện trước Thủ tướng …": accountability, not a task
            directive = _directive().match(c)
            if directive and clause_no > 0 and depth == 0 and not c.lower().startswith("giao"):
                continue  # a later "Yêu cầu …/Đề nghị …" restates the addressees; "Giao" assigns
            body = c[directive.end():] if directive else _LEADIN.sub("", c, count=1)
            units, pos = _units_at_start(body)
            if not units:
                continue
            goes_on = _NAME_GOES_ON.fullmatch(body, pos) if clause_no == 0 and depth == 0 else None
            if goes_on:
                # "Ban Quản lý Khu Kinh tế Dung Quất và các Khu công nghiệp tỉnh: …": what
                # follows "và" is no unit of its own but a name in capitals, so it is part of
                # this one (the Board manages both)
                units[-1] = _clean_unit(units[-1] + " " + goes_on.group(1))
                pos = len(body)
            whole_heading = not body[pos:].strip(" .:;,")
            if whole_heading and depth >= 1 and len(units) > 1:
                units = [_clean_unit(body[:pos])]  # "5. Các sở, ban, ngành … và UBND các xã, phường" is one addressee
            if intro and clause_no == 0 and not directive:
                named = [u for u in units if not _is_generic(u)]
                add(named[:1], "lead")
                add(named[1:], "support")
                if whole_heading:
                    heading_support(text[text.find(c) + len(c):], n)
                continue
            if directive or (whole_heading and depth <= 2 and clause_no == 0) or (
                    _after_units_is_action(body, pos) and (clause_no == 0 or depth > 0 or directive)):
                if clause_no > 0 and depth == 0 and not directive:
                    continue
                named = [u for u in units if not _is_generic(u)]
                add(named[:1], "lead")
                add(named[1:], "support")
                sm = _SUPPORT.search(body, pos)
                if sm and sm.start() - pos < 40:
                    add(_units_after(body[sm.end():]), "support")
                if whole_heading and depth == 0 and clause_no == 0:
                    heading_support(text[text.find(c) + len(c):], n)
    if leads:
        lead = leads[0]
        support = _dedupe([u for u in leads[1:] + support if fold(u) != fold(lead)])
    else:
        support = _dedupe(support)
    return lead, support


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
    out, pos = [], 0
    for a, b in units_in(text):
        gap = text[pos:a]
        if out and not re.fullmatch(r"\s*(?:,|;|và|,\s*và)?\s*", gap):
            break
        if not out and gap.strip():
            break
        out.append(_clean_unit(text[a:b]))
        pos = b
    return out


def _looks_like_unit(name: str) -> bool:
    name = name.strip()
    if not name or len(name) > 120:
        return False
    found = units_in(name)
    return bool(found) and found[0][0] <= 4 and not _is_generic(_clean_unit(name)) and not re.match(r"^(?:các\s+)?(?:tổ chức|cá nhân)", name, re.IGNORECASE)


def _paras_with_depth(it: Item, depth: int = 0):
    for p in it.paras:
        yield depth, p
    for c in it.children:
        yield from _paras_with_depth(c, depth + 1)


# ------------------------------------------------------------------ deadlines
_SHORT_NO_YEAR = re.compile(r"^(?P<d>\d{1,2})\s*/\s*(?P<m>\d{1,2})(?![/\d])")


def find_deadline(text: str, letter_date: str | None) -> tuple[str | None, str | None]:
    """(ISO date or None, the printed phrase) of the first deadline in ``text``."""
    p = patterns()
    for m in p.deadline_before.finditer(text):
        after = text[m.end():]
        after_day = re.sub(r"^ngày\s+", "", after, flags=re.IGNORECASE)
        window = text[m.start():m.end() + 40]
        value, phrase, ds, de = find_date(window)
        if value and ds <= (m.end() - m.start()) + 6:
            return value, collapse(window[:de])
        sm = _SHORT_NO_YEAR.match(after_day)
        if sm and letter_date:
            year = int(letter_date[:4])
            value = iso(int(sm.group("d")), int(sm.group("m")), year)
            if value and value < letter_date:
                value = iso(int(sm.group("d")), int(sm.group("m")), year + 1)
            if value:
                cut = len(after) - len(after_day) + sm.end()
                return value, collapse(text[m.start():m.end() + cut])
    mo = p.deadline_month.search(text)
    if mo:  # a month or quarter, no day: printed, but no exact date (as the answer keys do)
        return None, collapse(mo.group("phrase"))
    r = p.recurring.search(text)
    if r:
        return None, r.group("phrase")
    return None, None
