"""The extracted fields of a letter as the review shows them: rows keyed by their JSON
pointer (for the page boxes), grouped in sections, and the task rows. The labels are in
the process's language (``pipeline.i18n``); the values are the record's own."""

from __future__ import annotations

from dataclasses import dataclass, field

from vanthu.models.record import DispatchRecord
from vanthu.pipeline.i18n import N_, _
from vanthu.views.extras import EXTRA_TITLES, extra_rows
from vanthu.views.terminal import (
    HEADER_FIELDS,
    assignment_pointers,
    display_label,
    is_low,
    provenance_for,
    walk_assignments,
)


@dataclass
class FieldRow:
    ptr: str
    label: str
    value: str | None
    conf: float | None = None
    page: int | None = None
    boxed: bool = False
    level: int = 0
    kind: str = "field"

    @property
    def low(self) -> bool:
        return is_low(self.conf)


@dataclass
class Section:
    title: str
    rows: list[FieldRow] = field(default_factory=list)


# ------------------------------------------------------------------------------ the fields


def _row(record: DispatchRecord, ptr: str, label: str, value: object, level: int = 0, kind: str = "field") -> FieldRow:
    entry = provenance_for(record, ptr)
    text = None if value is None or value == "" else str(value)
    return FieldRow(
        ptr=ptr,
        label=label,
        value=text,
        conf=entry.confidence if entry else None,
        page=entry.page if entry else None,
        boxed=bool(entry and entry.bbox),
        level=level,
        kind=kind,
    )


def field_sections(record: DispatchRecord) -> list[Section]:
    """Every extracted field as a row keyed by its JSON pointer, grouped for display."""
    header = Section(_("Header"))
    for name, label in HEADER_FIELDS:
        header.rows.append(_row(record, f"/{name}", _(label), getattr(record, name)))
    sections = [header]

    rec = Section(_("Recipients ({n})").format(n=len(record.recipients)))
    rec.rows = [_row(record, f"/recipients/{i}", "Kính gửi", r) for i, r in enumerate(record.recipients)]
    sections.append(rec)

    sections.append(_references_section(record))
    sections.append(_assignments_section(record))

    signer = Section(_("Signer"))
    s = record.signer
    for key, label in (("prefix", N_("prefix")), ("title", N_("position")), ("name", N_("name"))):
        signer.rows.append(_row(record, f"/signer/{key}", _(label), getattr(s, key) if s else None))
    sections.append(signer)

    dist = Section(_("Distribution ({n})").format(n=len(record.distribution)))
    dist.rows = [_row(record, f"/distribution/{i}", "Nơi nhận", d) for i, d in enumerate(record.distribution)]
    sections.append(dist)

    if record.receipt_stamp is not None:
        st = record.receipt_stamp
        stamp = Section(_("Receipt stamp (ĐẾN)"))
        stamp.rows = [
            _row(record, "/receipt_stamp/number", _("number"), st.number),
            _row(record, "/receipt_stamp/date", _("date"), st.date or st.date_text),
            _row(record, "/receipt_stamp/text", _("text"), st.text),
        ]
        sections.append(stamp)
    for key, rows in extra_rows(record).items():
        extra = Section(_(EXTRA_TITLES[key]))
        extra.rows = [
            FieldRow(ptr=r.ptr, label=r.label, value=r.value, kind="extra warn" if r.warn else "extra") for r in rows
        ]
        sections.append(extra)
    return sections


def _references_section(record: DispatchRecord) -> Section:
    refs = Section(_("References ({n})").format(n=len(record.references)))
    for i, r in enumerate(record.references):
        p = f"/references/{i}"
        refs.rows.append(_row(record, p, f"#{i + 1}", r.text, kind="item"))
        for key, label in (
            ("doc_type", N_("type")),
            ("number_symbol", N_("number/symbol")),
            ("date", N_("date")),
            ("issuer", N_("issuer")),
            ("title", N_("title")),
        ):
            value = getattr(r, key)
            if value is not None:
                refs.rows.append(_row(record, f"{p}/{key}", _(label), value, level=1))
    return refs


def _assignments_section(record: DispatchRecord) -> Section:
    items = Section(_("Assignments ({n})").format(n=len(record.assignments)))
    for item in walk_assignments(record.assignments):
        a, p, lvl = item.assignment, item.pointer, item.depth
        items.rows.append(_row(record, p, display_label(item), a.text, level=lvl, kind="item"))
        for k, unit in enumerate(a.assignees):  # lead first, then support (named by their role)
            role = N_("lead") if unit == a.lead else N_("support") if unit in a.support else N_("assignee")
            items.rows.append(_row(record, f"{p}/assignees/{k}", _(role), unit, level=lvl + 1, kind=role))
        if a.deadline or a.deadline_text:
            value = a.deadline or _("(no date)")
            if a.deadline_text:
                value += f" — “{a.deadline_text}”"
            items.rows.append(_row(record, f"{p}/deadline", _("deadline"), value, level=lvl + 1, kind="deadline"))
    return items


def task_rows(record: DispatchRecord) -> list[dict]:
    pointers = assignment_pointers(record)
    rows = []
    for t in record.tasks:
        ptr = pointers.get(t.assignment, "/tasks")
        entry = provenance_for(record, ptr)
        rows.append(
            {
                "ptr": ptr,
                "assignment": t.assignment,
                "assignee": t.assignee,
                "role": t.role,
                "deadline": t.deadline,
                "deadline_text": t.deadline_text,
                "due": t.due,
                "due_kind": t.due_kind,
                "recurring": t.recurring,
                "action": t.action,
                "low": bool(entry and is_low(entry.confidence)),
            }
        )
    return rows
