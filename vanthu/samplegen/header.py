"""The header of a Decree-30 letter, drawn on a :class:`~vanthu.samplegen.canvas.Canvas` in
this order: the issuer column (left), the motto column (right), the number line and the
place-date on one baseline, the trích yếu and the urgency marks under the number, and an
incoming receipt stamp. Each function returns the next baseline of its column."""

from __future__ import annotations

from vanthu.samplegen.canvas import (
    INK,
    LEFT_CX,
    LEFT_X0,
    LEFT_X1,
    MARK_INK,
    RIGHT_CX,
    RIGHT_X0,
    RIGHT_X1,
    STAMP_INK,
    Canvas,
    fit_size,
    wrap_plain,
)


def issuer_column(c: Canvas, left: list[str], n_parent: int, top: float) -> float:
    """Left column: parent line(s) regular, issuing body bold, a short rule under it."""
    yl = top
    last_issuer_w = 0.0
    for k, line in enumerate(left):
        style = "" if k < n_parent else "B"
        size = 13.0
        for part in wrap_plain(c, line, style, size, LEFT_X1 - LEFT_X0, balanced=True):
            w = c.centred(LEFT_CX, yl, part, style, size)
            if style == "B" and part.strip("* "):
                last_issuer_w = w
            yl += 15.0
    if left and left[-1].strip() not in {"*", "***"} and last_issuer_w:
        rule = max(50.0, last_issuer_w / 3)
        c.hline(LEFT_CX - rule / 2, LEFT_CX + rule / 2, yl - 15.0 + 7.0)
        yl += 2.0
    return yl


def motto_column(c: Canvas, right: list[str], top: float) -> float:
    """Right column: motto bold (first line 13 pt, second 14 pt), rule under the second."""
    yr = top
    for k, line in enumerate(right):
        size = fit_size(c, line, "B", 13.0 if k == 0 else 14.0, RIGHT_X1 - RIGHT_X0, 11.0)
        w = c.centred(RIGHT_CX, yr, line, "B", size)
        if k == 1 or len(right) == 1:  # rule under "Độc lập - Tự do - Hạnh phúc" (or a lone line)
            c.hline(RIGHT_CX - w / 2, RIGHT_CX + w / 2, yr + 3.5)
        yr += 15.5 if k == 0 else 17.0
    return yr


def number_and_date(c: Canvas, number: str, place_date: str, base: float) -> None:
    """The number line (left) and the place/date (right) on one baseline."""
    if number:
        size = fit_size(c, number, "", 13.0, LEFT_X1 - LEFT_X0, 10.0)
        c.centred(LEFT_CX, base, number, "", size)
    if place_date:
        size = fit_size(c, place_date, "I", 14.0, RIGHT_X1 - RIGHT_X0, 10.0)
        c.centred(RIGHT_CX, base, place_date, "I", size)


def subject_and_marks(c: Canvas, subject: list[str], mark_lines: list[str], yl: float) -> float:
    """The trích yếu of a công văn (small, centred under the number), then the urgency /
    secrecy marks (bold, boxed, near the number)."""
    sub_w = LEFT_X1 - LEFT_X0 - 6
    for line in subject:
        size = fit_size(c, line, "", 12.0, sub_w, 11.0)
        for part in wrap_plain(c, line, "", size, sub_w, balanced=True):
            c.centred(LEFT_CX, yl, part, "", size)
            yl += 14.0

    marks = [m for m in mark_lines if m.strip()]
    if marks:
        yl += 6.0
        size = 13.0
        pad_x, box_h = 7.0, 21.0
        widths = [c.width(m, "B", size) + 2 * pad_x for m in marks]
        total = sum(widths) + 10.0 * (len(marks) - 1)
        x = LEFT_CX - total / 2
        c.set_color(MARK_INK)
        for m, w in zip(marks, widths):
            c.rect(x, yl - 15.0, w, box_h, 1.2)
            c.text(x + pad_x, yl, m, "B", size)
            x += w + 10.0
        c.set_color(INK)
        yl += box_h
    return yl


def receipt_stamp(c: Canvas, lines: list[str], top_baseline: float) -> float:
    """Draw an incoming receipt stamp (Phụ lục IV): the receiving unit (bold),
    "ĐẾN" (bold, larger), then Số / Ngày / Chuyển lines.  Returns the next baseline."""
    pad = 6.0
    rows: list[tuple[str, str, float, bool, float]] = []  # text, style, size, centred, leading
    for k, line in enumerate(lines):
        if line.strip().upper() == "ĐẾN":
            rows.append((line.strip(), "B", 14.0, True, 16.0))
        elif k == 0:
            rows.append((line.strip(), "B", 10.0, True, 12.5))
        else:
            rows.append((line, "", 10.0, False, 12.5))
    inner_w = max(c.width(t, st, sz) for t, st, sz, _, _ in rows)
    box_w = min(max(inner_w + 2 * pad, 130.0), LEFT_X1 - LEFT_X0 - 20)
    x0 = max(LEFT_X0, LEFT_CX - box_w / 2 - 25.0)  # a little left of the column centre
    box_h = sum(r[4] for r in rows) + pad
    box_top = top_baseline - 6.0
    c.set_color(STAMP_INK)
    c.rect(x0, box_top, box_w, box_h, 1.1)
    y = box_top + pad
    for t, st, sz, centre, leading in rows:
        baseline = y + leading - 3.0
        sz = fit_size(c, t, st, sz, box_w - 2 * pad, 7.0)
        if centre:
            c.centred(x0 + box_w / 2, baseline, t, st, sz)
        else:
            c.text(x0 + pad, baseline, t, st, sz)
        y += leading
    c.set_color(INK)
    return box_top + box_h + 14.0
