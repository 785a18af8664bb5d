"""Reading a review page (as written, or as a headless browser dumped it) in tests."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser


@dataclass
class Element:
    tag: str
    attrs: dict[str, str]
    text: str = ""
    value: str | None = None  # text of a field's <span class="value">

    @property
    def classes(self) -> set[str]:
        return set(self.attrs.get("class", "").split())


@dataclass
class Page:
    fields: dict[str, list[Element]] = field(default_factory=dict)  # data-ptr -> .field / tr.task
    boxes: dict[str, list[Element]] = field(default_factory=dict)  # data-ptr -> .box
    images: list[Element] = field(default_factory=list)
    links: list[str] = field(default_factory=list)
    geometry: dict | None = None
    text: str = ""


class _Parser(HTMLParser):
    VOID = {"img", "br", "meta", "link", "input", "hr"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = Page()
        self.stack: list[tuple[str, Element | None, bool]] = []  # (tag, tracked element, is value span)
        self.script: list[str] | None = None
        self.chunks: list[str] = []

    def handle_starttag(self, tag: str, attrs_list) -> None:
        attrs = {k: v or "" for k, v in attrs_list}
        for key in ("src", "href"):
            if key in attrs:
                self.page.links.append(attrs[key])
        if tag == "img":
            self.page.images.append(Element(tag, attrs))
        if tag == "script" and attrs.get("id") == "vanthu-geometry":
            self.script = []
        el = None
        classes = set(attrs.get("class", "").split())
        if "data-ptr" in attrs:
            el = Element(tag, attrs)
            target = self.page.boxes if "box" in classes else self.page.fields
            target.setdefault(attrs["data-ptr"], []).append(el)
        if tag not in self.VOID:
            self.stack.append((tag, el, tag == "span" and "value" in classes))

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self.script is not None:
            raw = "".join(self.script).strip()
            self.page.geometry = json.loads(raw) if raw else None
            self.script = None
        while self.stack:
            t, _, _ = self.stack.pop()
            if t == tag:
                break

    def handle_data(self, data: str) -> None:
        if self.script is not None:
            self.script.append(data)
            return
        self.chunks.append(data)
        for _, el, _ in self.stack:
            if el is not None:
                el.text += data
        if self.stack and self.stack[-1][2]:
            owner = next((el for _, el, _ in reversed(self.stack) if el is not None), None)
            if owner is not None:
                owner.value = (owner.value or "") + data


def parse(html: str) -> Page:
    p = _Parser()
    p.feed(html)
    p.close()
    p.page.text = re.sub(r"\s+", " ", "".join(p.chunks))
    return p.page


def boxes_for(page: Page, ptr: str) -> list[Element]:
    """The boxes a field highlights: its own, else its nearest ancestor's (as the page's JS does)."""
    while ptr:
        if ptr in page.boxes:
            return page.boxes[ptr]
        ptr = ptr.rsplit("/", 1)[0]
    return []


def style_pct(el: Element) -> dict[str, float]:
    return {k: float(v) for k, v in re.findall(r"(left|top|width|height):\s*([-\d.]+)%", el.attrs.get("style", ""))}


def field_values(record: dict) -> dict[str, str]:
    """Every field of a letter that has a value: JSON pointer -> the text shown for it."""
    out: dict[str, str] = {}
    for key in (
        "doc_type",
        "issuer",
        "parent_issuer",
        "number",
        "symbol",
        "number_symbol",
        "place",
        "date",
        "date_text",
        "subject",
        "urgency",
        "confidentiality",
    ):
        if record.get(key) is not None:
            out[f"/{key}"] = str(record[key])
    for i, r in enumerate(record["recipients"]):
        out[f"/recipients/{i}"] = r
    for i, ref in enumerate(record["references"]):
        out[f"/references/{i}"] = ref["text"]
        for key in ("doc_type", "number_symbol", "date", "issuer", "title"):
            if ref.get(key) is not None:
                out[f"/references/{i}/{key}"] = ref[key]

    def items(assignments: list[dict], base: str) -> None:
        for i, a in enumerate(assignments):
            out[f"{base}/{i}"] = a["text"]
            for k, unit in enumerate(a["assignees"]):
                out[f"{base}/{i}/assignees/{k}"] = unit
            items(a["children"], f"{base}/{i}/children")

    items(record["assignments"], "/assignments")
    for key in ("prefix", "title", "name"):
        if record.get("signer") and record["signer"].get(key) is not None:
            out[f"/signer/{key}"] = record["signer"][key]
    for i, d in enumerate(record["distribution"]):
        out[f"/distribution/{i}"] = d
    return out
