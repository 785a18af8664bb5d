"""``vanthu inspect FILE_OR_JSON``: one record in the terminal (rich).

Header fields with their confidence, the references, the assignments as a tree (lead,
support, deadline), the task table and the warnings. A field read with low confidence
is highlighted. The input is a letter (extracted first) or a saved record: the JSON of
``vanthu extract`` (one record, a list of records, or JSON Lines).

The helpers at the top (loading records, confidence lookup, assignment pointers) are
shared with the HTML review (:mod:`vanthu.views.html`).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from rich import box
from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text
from rich.tree import Tree

from vanthu.models.record import Assignment, DispatchRecord, Provenance
from vanthu.pipeline.errors import UnsupportedFormat
from vanthu.pipeline.i18n import N_, _, ngettext
from vanthu.pipeline.warnings import LOW_CONFIDENCE  # a field is flagged below the extractor's own threshold
from vanthu.views.extras import EXTRA_TITLES, extra_rows

HEADER_FIELDS: list[tuple[str, str]] = [
    ("doc_type", N_("Type")),
    ("parent_issuer", N_("Parent body")),
    ("issuer", N_("Issuer")),
    ("number_symbol", N_("Number/symbol")),
    ("number", N_("Number")),
    ("symbol", N_("Symbol")),
    ("place", N_("Place")),
    ("date", N_("Date")),
    ("date_text", N_("Date as printed")),
    ("subject", N_("Subject")),
    ("urgency", N_("Urgency")),
    ("confidentiality", N_("Secrecy")),
]

#: The task roles, as the views show them (translated where shown).
ROLE_NAMES = (N_("lead"), N_("support"), N_("recipient"))


# ------------------------------------------------------------------ shared with the review


def is_record_file(path: Path) -> bool:
    return path.suffix.lower() in {".json", ".jsonl"}


def load_record_file(path: Path) -> list[DispatchRecord]:
    """Records saved by ``vanthu extract``: one object, a list, or JSON Lines."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        from vanthu.pipeline.errors import InputNotFound

        raise InputNotFound(path, _("no such file")) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise UnsupportedFormat(path, _("cannot read the record ({why})").format(why=exc)) from None
    try:
        data = json.loads(text)
        items = data if isinstance(data, list) else [data]
    except json.JSONDecodeError:
        try:
            items = [json.loads(line) for line in text.splitlines() if line.strip()]
        except json.JSONDecodeError as exc:
            raise UnsupportedFormat(
                path,
                _("not JSON ({why} at line {line})").format(why=exc.msg, line=exc.lineno),
                hint=_("give a letter or a record saved by `vanthu extract`"),
            ) from None
    if not items:
        raise UnsupportedFormat(path, _("no record in the file"), hint=_("give a record saved by `vanthu extract`"))
    try:
        return [DispatchRecord.model_validate(item) for item in items]
    except ValidationError as exc:
        first = exc.errors()[0]
        where = "/".join(str(p) for p in first["loc"])
        raise UnsupportedFormat(
            path,
            _("not a vanthu record ({where}: {why})").format(where=where, why=first["msg"]),
            hint=_("give a letter or a record saved by `vanthu extract`"),
        ) from None


def load_records(path: Path, settings: Any = None, *, isolate: bool = True) -> list[DispatchRecord]:
    """The record(s) of a saved JSON file, or the record extracted from a letter (as
    ``vanthu extract`` does: in a bounded child process unless ``isolate`` is false)."""
    if is_record_file(path):
        return load_record_file(path)
    from vanthu.commands import extract_one

    return [extract_one(path, settings, isolate=isolate, warm=False)]


def provenance_for(record: DispatchRecord, pointer: str) -> Provenance | None:
    """The entry of ``pointer``, else of its nearest ancestor (an assignee -> its item)."""
    while pointer:
        entry = record.provenance.get(pointer)
        if entry is not None:
            return entry
        pointer = pointer.rsplit("/", 1)[0]
    return None


def confidence(record: DispatchRecord, pointer: str) -> float | None:
    entry = provenance_for(record, pointer)
    return None if entry is None else entry.confidence


def is_low(conf: float | None) -> bool:
    return conf is not None and conf < LOW_CONFIDENCE


@dataclass
class Item:
    """An assignment with its JSON pointer and its full label (child labels joined by '.')."""

    pointer: str
    label: str
    assignment: Assignment
    depth: int


def walk_assignments(
    items: list[Assignment], base: str = "/assignments", prefix: str = "", depth: int = 0
) -> Iterator[Item]:
    for i, a in enumerate(items):
        pointer = f"{base}/{i}"
        label = f"{prefix}.{a.label}" if prefix else a.label
        yield Item(pointer, label, a, depth)
        yield from walk_assignments(a.children, f"{pointer}/children", label, depth + 1)


def display_label(item: Item) -> str:
    """``1.2`` for a numbered sub-item (as printed), the bullet alone for ``-`` items."""
    return item.label if item.assignment.label[:1].isalnum() else item.assignment.label


def assignment_pointers(record: DispatchRecord) -> dict[str, str]:
    """Task ``assignment`` label -> pointer of the assignment (first one for a repeated label)."""
    out: dict[str, str] = {}
    for item in walk_assignments(record.assignments):
        out.setdefault(item.label, item.pointer)
    return out


def signer_line(record: DispatchRecord) -> str | None:
    s = record.signer
    if s is None:
        return None
    parts = [p for p in (s.prefix, s.title, s.name) if p]
    return " · ".join(parts) or None


# ------------------------------------------------------------------------------- rendering


def _conf_cell(conf: float | None) -> Text:
    if conf is None:
        return Text("")
    if is_low(conf):
        return Text(f"⚠ {conf:.2f}", style="bold red")
    return Text(f"{conf:.2f}", style="dim")


def _value(value: object, conf: float | None) -> Text:
    if value is None or value == "" or value == []:
        return Text("—", style="dim")
    text = Text(str(value))
    if is_low(conf):
        text.stylize("bold black on yellow")
    return text


def _header(record: DispatchRecord) -> Table:
    t = Table(
        box=box.SIMPLE_HEAD, show_edge=False, expand=False, title=_("Header"), title_justify="left", title_style="bold"
    )
    t.add_column(_("field"), style="cyan", no_wrap=True)
    t.add_column(_("value"), overflow="fold")
    t.add_column(_("conf"), justify="right", no_wrap=True)
    t.add_column(_("page"), justify="right", style="dim", no_wrap=True)
    for name, label in HEADER_FIELDS:
        value = getattr(record, name)
        entry = record.provenance.get(f"/{name}")
        conf = entry.confidence if entry else None
        t.add_row(_(label), _value(value, conf), _conf_cell(conf), str(entry.page) if entry else "")
    for i, r in enumerate(record.recipients):
        entry = record.provenance.get(f"/recipients/{i}")
        conf = entry.confidence if entry else None
        t.add_row(_("Recipient") if i == 0 else "", _value(r, conf), _conf_cell(conf), str(entry.page) if entry else "")
    if not record.recipients:
        t.add_row(_("Recipient"), _value(None, None), Text(""), "")
    if record.signer is not None:
        for key, label in (("prefix", N_("Signer prefix")), ("title", N_("Signer title")), ("name", N_("Signer"))):
            entry = record.provenance.get(f"/signer/{key}")
            conf = entry.confidence if entry else None
            t.add_row(
                _(label), _value(getattr(record.signer, key), conf), _conf_cell(conf), str(entry.page) if entry else ""
            )
    else:
        t.add_row(_("Signer"), _value(None, None), Text(""), "")
    if record.distribution:
        t.add_row(_("Distribution"), Text("; ".join(record.distribution)), Text(""), "")
    if record.receipt_stamp is not None:
        st = record.receipt_stamp
        t.add_row(
            _("Receipt stamp"), Text(f"ĐẾN số {st.number or '?'} ngày {st.date or st.date_text or '?'}"), Text(""), ""
        )
    for key, rows in extra_rows(record).items():
        for k, row in enumerate(rows):
            label = _(EXTRA_TITLES[key]) if k == 0 else ""
            t.add_row(label, Text(row.value, style="bold black on yellow" if row.warn else ""), Text(""), "")
    return t


def _references(record: DispatchRecord) -> Table:
    t = Table(
        box=box.SIMPLE_HEAD,
        show_edge=False,
        title=_("References ({n})").format(n=len(record.references)),
        title_justify="left",
        title_style="bold",
    )
    t.add_column("#", justify="right", style="dim", no_wrap=True)
    t.add_column(_("type"), no_wrap=True)
    t.add_column(_("number/symbol"), style="cyan", no_wrap=True)
    t.add_column(_("date"), no_wrap=True)
    t.add_column(_("issuer"), overflow="fold")
    t.add_column(_("title"), overflow="fold")
    for i, r in enumerate(record.references, 1):
        conf = confidence(record, f"/references/{i - 1}")
        t.add_row(
            str(i),
            _value(r.doc_type, conf),
            _value(r.number_symbol, conf),
            _value(r.date, conf),
            _value(r.issuer, conf),
            _value(r.title, conf),
        )
    return t


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _assignments(record: DispatchRecord, width: int) -> Tree:
    tree = Tree(Text(_("Assignments ({n})").format(n=len(record.assignments)), style="bold"), guide_style="dim")
    by_label: dict[str, list] = {}
    for task in record.tasks:
        by_label.setdefault(task.assignment, []).append(task)
    nodes: dict[str, Tree] = {}
    for item in walk_assignments(record.assignments):
        a = item.assignment
        conf = confidence(record, item.pointer)
        head = Text()
        label = display_label(item)
        head.append(f"{label}. " if label[-1:].isalnum() else f"{label} ", style="bold")
        if is_low(conf):
            head.append(f"⚠ {conf:.2f} ", style="bold red")
        room = width - 4 * (item.depth + 1) - len(head) - 1  # one line under the tree guides
        head.append_text(_value(_short(a.text, max(30, room)), conf))
        parent = nodes.get(item.pointer.rsplit("/children/", 1)[0]) if item.depth else tree
        node = (parent or tree).add(head)
        nodes[item.pointer] = node
        if a.lead:
            node.add(Text.assemble((_("lead: "), "green"), (a.lead, "bold")))
        if a.support:
            node.add(Text.assemble((_("support: "), "blue"), "; ".join(a.support)))
        others = [u for u in a.assignees if u != a.lead and u not in a.support]
        if others:
            node.add(Text.assemble((_("assignees: "), "cyan"), "; ".join(others)))
        if not a.assignees:
            recipients = [t.assignee for t in by_label.get(item.label, []) if t.role == "recipient"]
            if recipients:
                node.add(Text.assemble((_("no unit named → recipients: "), "magenta"), "; ".join(recipients)))
            elif not a.children:
                node.add(Text(_("no unit named"), style="dim"))
        if a.deadline:
            node.add(
                Text.assemble(
                    (_("deadline: "), "red"), (a.deadline, "bold"), f"  ({a.deadline_text})" if a.deadline_text else ""
                )
            )
        elif a.deadline_text:
            node.add(Text.assemble((_("deadline: "), "red"), _("“{text}” (no date)").format(text=a.deadline_text)))
    return tree


def _tasks(record: DispatchRecord) -> Table:
    t = Table(
        box=box.SIMPLE_HEAD,
        show_edge=False,
        expand=True,
        title=_("Tasks ({n})").format(n=len(record.tasks)),
        title_justify="left",
        title_style="bold",
    )
    t.add_column(_("item"), justify="right", no_wrap=True)
    t.add_column(_("assignee"), overflow="fold", min_width=24, ratio=2)
    t.add_column(_("role"), no_wrap=True)
    t.add_column(_("due"), no_wrap=True)
    t.add_column(_("action"), overflow="ellipsis", no_wrap=True, ratio=3)
    styles = {"lead": "green", "support": "blue", "recipient": "magenta"}
    for task in record.tasks:
        # the due day; a period's end or a recurring one's next day is marked so
        deadline = task.due or (_("recurring") if task.recurring else "—")
        if task.due and task.due_kind != "day":
            deadline += _(" (period end)") if task.due_kind == "end_of_period" else _(" (next)")
        t.add_row(
            task.assignment, task.assignee, Text(_(task.role), style=styles.get(task.role, "")), deadline, task.action
        )
    return t


def _warnings(record: DispatchRecord) -> Panel:
    lines = [Text(f"• {w}") for w in record.warnings]  # the record's own sentences, nothing added
    if not lines:
        return Panel(
            Text(_("no warnings"), style="green"),
            title=_("Warnings"),
            title_align="left",
            border_style="green",
            expand=False,
        )
    return Panel(
        Group(*lines),
        title=_("Warnings ({n})").format(n=len(lines)),
        title_align="left",
        border_style="yellow",
        expand=False,
    )


def render_record(record: DispatchRecord, console: Console) -> None:
    src = record.source
    title = Text.assemble(
        (record.doc_type or _("document"), "bold"),
        "  ",
        (record.number_symbol or _("(no number)"), "bold cyan"),
        "  ",
        record.date or record.date_text or _("(no date)"),
    )
    pages = ngettext("{n} page", "{n} pages", src.pages).format(n=src.pages)
    meta = f"{src.file} · {pages} · {src.text_source}" + (
        f" · OCR {src.ocr_confidence:.2f}" if src.ocr_confidence is not None else ""
    )
    console.print(Panel(Group(title, Text(meta, style="dim")), expand=False))
    console.print(_header(record))
    if record.references:
        console.print(_references(record))
    console.print(_assignments(record, console.width))
    console.print()
    if record.tasks:
        console.print(_tasks(record))
    console.print(_warnings(record))


def cmd_inspect(
    path: Path, width: int | None = None, console: Console | None = None, *, settings: Any = None, isolate: bool = True
) -> int:
    import sys

    console = console or Console(width=width, highlight=False)
    if not is_record_file(path) and sys.stderr.isatty():  # a scan takes seconds: say so
        with Console(stderr=True).status(_("extracting {name} …").format(name=path.name)):
            records = load_records(path, settings, isolate=isolate)
    else:
        records = load_records(path, settings, isolate=isolate)
    for i, record in enumerate(records):
        if i:
            console.rule()
        render_record(record, console)
    return 0
