"""Stage 5b: the documents a letter cites (ô 6): "Căn cứ Nghị định số 30/2020/NĐ-CP
ngày 05/3/2020 của Chính phủ …", laws cited by their names, bare "số 123/UBND-VX"."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

from vanthu.models.record import Reference
from vanthu.pipeline.fields.dates import find_date, impossible_date
from vanthu.pipeline.fields.nlp import Span, spans
from vanthu.pipeline.layout.paragraphs import Paragraph
from vanthu.pipeline.provenance import ProvenanceLog
from vanthu.pipeline.rules.loader import rules
from vanthu.pipeline.text.normalize import collapse, fold

# how far after a type name its symbol may be printed: "số", or a date before "số"
_SYMBOL_LEAD = re.compile(r"^\s*(?:số\s*[:.]?\s*)?(?:(?:ngày|,)[^;]{0,40}?(?:số)\s*)?", re.IGNORECASE)
_LAW_NUMBER = re.compile(r"\s+số\s+(?P<ns>\d{1,4}/\d{4}/[A-ZĐ]+\d*)")


def _words(phrases: list[str]) -> str:
    """Regex alternation of ``phrases`` in their order in the data, escaped."""
    return "|".join(re.escape(p) for p in phrases)


@cache
def _laws() -> tuple[str, ...]:
    """Type names of laws, cited by their names without a symbol ("Luật Đất đai")."""
    return tuple(rules().phrases["law_types"])


@cache
def _title_tail() -> re.Pattern:
    return re.compile(r"(?:^|\s)(?:" + _words(rules().phrases["title_openers"]) + r")\s+(?P<t>[^;]+)$")


@cache
def _citation_stop() -> re.Pattern:
    """Where a citation ends: the next ';', a sentence's end, or the next citation opener."""
    return re.compile(r";|\.\s+[A-ZĐ]|\.$|,\s*(?:" + _words(rules().phrases["citation_restarts"]) + r")\b")


@cache
def _issuer() -> re.Pattern:
    """ "của <issuer>", up to a word that goes on with the citation ("về", "ngày", …)."""
    ends = _words(rules().phrases["issuer_ends"])
    return re.compile(r"(?:^|\s)của\s+(?P<iss>.+?)(?=\s+(?:" + ends + r"|“|\")\b|[,;:(“\"]|\.\s|\.$|$)")


@cache
def _law_name_end() -> re.Pattern:
    ends = _words(rules().phrases["law_name_ends"])
    return re.compile(r"\s+(?:" + ends + r")\b|[,;:(“\"]|\.(?:\s|$)|$")


@dataclass
class _Citations:
    """What a letter has cited so far: one reference per document, in order of mention."""

    own: str | None  # the letter's own number and symbol, folded: no citation
    prov: ProvenanceLog
    refs: list[Reference] = field(default_factory=list)
    seen: set[str] = field(default_factory=set)
    law_titles: list[str] = field(default_factory=list)  # names of the laws cited with their numbers

    index: dict[str, int] = field(default_factory=dict)  # a document's key -> its reference

    def add(self, ref: Reference, para: Paragraph, key: str | None = None) -> None:
        """A new reference; a date that cannot exist ("42/02/2018") is not given, but flagged."""
        pointer = f"/references/{len(self.refs)}"
        self.prov.add(pointer, para.lines)
        if key is not None:
            self.index[key] = len(self.refs)
        self.refs.append(ref)
        impossible = impossible_date(ref.text) if ref.date is None else None
        if impossible:
            self.prov.flag(f"{pointer}/date", para.lines, "date", impossible)

    def again(self, key: str, ref: Reference, para: Paragraph) -> None:
        """The document cited again: its date from this mention when the first one's could
        not exist (another reading of the same slot)."""
        i = self.index.get(key)
        pointer = f"/references/{i}/date"
        if i is None or ref.date is None or self.refs[i].date is not None or pointer not in self.prov.flags():
            return
        self.refs[i].date = ref.date
        self.prov.add(pointer, para.lines)
        self.prov.unflag(pointer)

    def add_typed(self, ref: Reference, name: str, text: str, start: int, para: Paragraph) -> None:
        """A citation by a type name, unless the document was cited before."""
        key = fold(ref.number_symbol) if ref.number_symbol else "law|" + fold(ref.title or ref.text)
        if key in self.seen:
            self.again(key, ref, para)
            return
        if (
            not ref.number_symbol
            and ref.title
            and (
                "law|" + fold(ref.title) in self.seen
                or any(fold(text[start : start + len(t) + 5]).startswith(t) for t in self.law_titles)
            )
        ):
            return  # (a law cited again by its name alone, after its number was)
        self.seen.add(key)
        if ref.number_symbol and ref.title and name in _laws():
            self.seen.add("law|" + fold(ref.title))
            self.law_titles.append(fold(ref.title))
        self.add(ref, para, key)


def read_references(paras: list[Paragraph], own_ns: str | None, prov: ProvenanceLog) -> list[Reference]:
    cited = _Citations(fold(own_ns) if own_ns else None, prov)
    for para in paras:
        text = _join_symbols(para.text)
        found = spans(text)
        type_spans = [s for s in found if s.label == "DOC_TYPE"]
        sym_spans = [s for s in found if s.label == "SYMBOL"]
        used_syms = _typed_citations(text, type_spans, sym_spans, para, cited)
        _bare_symbols(text, sym_spans, used_syms, para, cited)
    return cited.refs


def _typed_citations(
    text: str, type_spans: list[Span], sym_spans: list[Span], para: Paragraph, cited: _Citations
) -> set[int]:
    """The documents cited by a type name in one paragraph; returns the starts of the
    symbols they used."""
    used_syms: set[int] = set()
    consumed = -1  # a law's name may hold type words ("… văn bản quy phạm pháp luật")
    for k, ts in enumerate(type_spans):
        if ts.start < consumed:
            continue
        next_type = type_spans[k + 1].start if k + 1 < len(type_spans) else len(text)
        sym = _symbol_after(text, ts, next_type, sym_spans)
        name = rules().type_by_name(ts.text) or ts.text
        if sym is not None:
            used_syms.add(sym.start)
            ns = "".join(sym.text.split()).rstrip(".")
            if cited.own and fold(ns) == cited.own:
                continue
            ref = _describe(name, ns, text, ts.start, sym.end, next_type)
        elif ts.text[:1].isupper() and (name in _laws() or _named_resolution(name, text, ts.end)):
            clause = text.find(";", ts.end)
            # (a type word in lower case is inside the law's name: "Luật Ban hành văn bản quy
            # phạm pháp luật ngày 22 tháng 6 năm 2015")
            next_cap = next((t.start for t in type_spans[k + 1 :] if t.text[:1].isupper()), len(text))
            law, end = _law(name, text, ts.start, ts.end, next_cap, clause if clause >= 0 else len(text))
            if law is None:
                continue
            ref, consumed = law, end
            if ref.number_symbol:  # "Luật … số 72/2025/QH15": its symbol is not a second citation
                used_syms.update(s.start for s in sym_spans if s.text.rstrip(".") == ref.number_symbol)
        else:
            continue
        cited.add_typed(ref, name, text, ts.start, para)
    return used_syms


def _symbol_after(text: str, ts: Span, next_type: int, sym_spans: list[Span]) -> Span | None:
    """The symbol a type name cites: "Công văn số 12/…", "Kế hoạch ngày 02/3/2024 số …"."""
    m = _SYMBOL_LEAD.match(text[ts.end : next_type])
    sym = next((s for s in sym_spans if ts.end <= s.start <= ts.end + max(len(m.group(0)) if m else 0, 6) + 1), None)
    if sym is None:
        # a later symbol in a short window: "Nghị quyết của Chính phủ số 66/NQ-CP"
        sym = next((s for s in sym_spans if ts.end <= s.start <= ts.end + 4), None)
    return sym


def _bare_symbols(text: str, sym_spans: list[Span], used_syms: set[int], para: Paragraph, cited: _Citations) -> None:
    """A bare "số 123/UBND-VX" cited without a type name."""
    for s in sym_spans:
        if s.start in used_syms:
            continue
        before = text[max(0, s.start - 12) : s.start].lower()
        if "số" not in before:
            continue
        ns = "".join(s.text.split()).rstrip(".")
        if cited.own and fold(ns) == cited.own:
            continue
        after_number = ns.split("/", 1)[-1].split("-", 1)[-1] if "-" in ns.split("/")[0] else ns.split("/", 1)[-1]
        abbr = re.split(r"[-/]", after_number)[0]
        ref = _describe(rules().type_by_abbr(abbr) or "Văn bản", ns, text, s.start, s.end, len(text))
        if fold(ns) in cited.seen:
            cited.again(fold(ns), ref, para)
            continue
        cited.seen.add(fold(ns))
        cited.add(ref, para, fold(ns))


def _describe(doc_type: str, ns: str, text: str, start: int, sym_end: int, seg_end: int) -> Reference:
    seg = text[sym_end:seg_end]
    # the citation runs to the next ';' or to the next citation opener
    stop = _citation_stop().search(seg)
    seg = seg[: stop.start()] if stop else seg
    date_iso, _, ds, _ = find_date(seg)
    before = text[max(0, start - 40) : start]
    if date_iso is None or ds > 40:
        # a date printed before the number: "ngày 12/3/2025 số 45/…" or "… ngày 05/3 …"
        bm = list(re.finditer(r"ngày\s+[^,;]{4,25}$", before))
        if bm:
            date_iso2, _, _, _ = find_date(bm[-1].group(0))
            if date_iso2:
                date_iso, ds = date_iso2, -1
        elif date_iso is not None and ds > 40:
            date_iso = None
    issuer = None
    title = None
    im = _issuer().search(seg)
    if im and (ds < 0 or im.start() < 80):
        cand = im.group("iss").strip()
        if cand and cand[:1].isupper() and len(cand) < 90:
            issuer = cand
    # A match holds no ';': start after the last one (else quadratic on "về x về x …;").
    tm = _title_tail().search(seg, seg.rfind(";") + 1)
    if tm:
        title = collapse(tm.group("t")).rstrip(" .,;") or None
    text_printed = collapse(text[start : sym_end + (stop.start() if stop else len(seg))]).rstrip(" ;,.")
    return Reference(doc_type=doc_type, number_symbol=ns, date=date_iso, issuer=issuer, title=title, text=text_printed)


@cache
def _another_citation() -> re.Pattern:
    """What ends a law's name before a number: another document cited by its type name
    in capitals ("…; Nghị định …", "Luật …"; lower-case "văn bản", "luật" stay inside
    the name), a date, or punctuation that closes the citation."""
    names = sorted({t.name for t in rules().doc_types} | set(_laws()), key=len, reverse=True)
    return re.compile(r"\b(?:" + "|".join(re.escape(n) for n in names) + r")\b|[.;(]|\bngày\b")


def _named_resolution(name: str, text: str, at: int) -> bool:
    """A Party resolution cited by the body that passed it, without a number ("Nghị quyết
    Đại hội Đảng toàn quốc lần thứ XIII", "Nghị quyết Trung ương 4 khoá XII")."""
    return name == "Nghị quyết" and _resolution_head().match(text, at) is not None


@cache
def _resolution_head() -> re.Pattern:
    return re.compile(r"\s+(?:" + _words(rules().phrases["named_resolution_heads"]) + r")\b")


def _law(
    name: str, text: str, start: int, name_end: int, seg_end: int, clause_end: int
) -> tuple[Reference | None, int]:
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
        return Reference(
            doc_type=name,
            number_symbol=numbered.group("ns"),
            date=date_iso if 0 <= ds <= 20 else None,
            issuer=None,
            title=law_name,
            text=collapse(text[start:end]).rstrip(" ;,."),
        ), end
    name_stop = _law_name_end().search(seg, 1)
    law_name = collapse(f"{name} {seg[: name_stop.start() if name_stop else len(seg)]}")
    if len(law_name.split()) < 2:
        return None, name_end
    number = None
    sm = re.match(r"^\s*số\s+(?P<ns>\d{1,4}/\d{4}/[A-ZĐ]+\d*)", seg[name_stop.start() :] if name_stop else "")
    if sm:
        number = sm.group("ns")
    date_iso, _, ds, _ = find_date(seg)
    if ds > 90:
        date_iso = None
    return Reference(
        doc_type=name,
        number_symbol=number,
        date=date_iso,
        issuer=None,
        title=law_name,
        text=collapse(text[start : name_end + len(seg)]).rstrip(" ;,."),
    ), name_end + len(seg)


def _join_symbols(text: str) -> str:
    """Symbols broken by a space in print: "9151- CV/BTCTW", "QLN& TTBĐS"."""
    text = re.sub(r"(?<=\d)-\s+(?=[A-ZĐ]{2})", "-", text)
    # a symbol broken at a line end after its hyphen: "6138/UBND-" + "KGVX", "131/CĐ-" + "TTg"
    text = re.sub(r"(\d/[A-ZĐ][\wĐđ]*(?:-[\wĐđ]+)*)-\s+(?=[A-ZĐ][A-Za-zĐđ]+\b)", r"\1-", text)
    return re.sub(r"(?<=[A-ZĐ])&\s+(?=[A-ZĐ])", "&", text)
