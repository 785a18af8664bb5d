"""The regions of a Decree-30 letter drawn on a :class:`~vanthu.samplegen.canvas.Canvas`:
the two-column header, the title, the recipients, the body, the signer and the
distribution list, page by page."""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

from fpdf import FPDF

from vanthu.samplegen.canvas import (
    BODY_CX,
    BODY_LEADING,
    BODY_SIZE,
    BODY_X0,
    BODY_X1,
    BOTTOM_Y,
    FIRST_INDENT,
    INK,
    LEFT_X1,
    PAGE_NO_Y,
    PAGE_W,
    PARA_GAP,
    SIGN_CX,
    SIGN_X0,
    SIGN_X1,
    SIGNATURE_SPACE,
    TOP_Y,
    Canvas,
    Row,
    Word,
    _parent_line_count,
    draw_line,
    lines_of,
    nfc,
    wrap_plain,
    wrap_words,
)
from vanthu.samplegen.header import issuer_column, motto_column, number_and_date, receipt_stamp, subject_and_marks


class Renderer:
    def __init__(self, layout: dict, font_dir: Path) -> None:
        self.layout = layout
        self.c = Canvas(font_dir)
        self.page = 0
        self.y = TOP_Y  # current baseline cursor
        self.page_top = TOP_Y

    # -- pages ---------------------------------------------------------------
    def new_page(self) -> None:
        self.c.pdf.add_page()
        self.page += 1
        self.c.set_color(INK)
        if self.page >= 2:
            self.c.centred(PAGE_W / 2, PAGE_NO_Y, str(self.page), "", 13)
            self.y = TOP_Y + 4
        else:
            self.y = TOP_Y
        self.page_top = self.y

    def ensure(self, needed: float) -> None:
        """Start a new page if a block of `needed` points below the cursor does not fit."""
        if self.y + needed > BOTTOM_Y:
            self.new_page()

    # -- header --------------------------------------------------------------
    def header(self) -> None:
        left = lines_of(self.layout, "header_left")
        yl = issuer_column(self.c, left, _parent_line_count(self.layout, left), TOP_Y)
        yr = motto_column(self.c, lines_of(self.layout, "header_right"), TOP_Y)
        # Number line (left) and place/date (right) share one baseline.
        base = max(yl, yr) + 9.0
        number_and_date(
            self.c, nfc(self.layout.get("number_line") or ""), nfc(self.layout.get("place_date") or ""), base
        )
        yl = base + 16.0
        yr = base + 16.0
        yl = subject_and_marks(self.c, lines_of(self.layout, "subject_left"), lines_of(self.layout, "marks"), yl)
        # Incoming receipt stamp ("ĐẾN"): boxed, small, left column.
        stamp = [ln for ln in lines_of(self.layout, "stamp") if ln.strip()]
        if stamp:
            yl = receipt_stamp(self.c, stamp, yl + 4.0)

        self.y = max(yl, yr) + 8.0

    # -- title ---------------------------------------------------------------
    def title(self) -> None:
        lines = lines_of(self.layout, "title")
        if not lines:
            return
        c = self.c
        self.y += 10.0
        last_w = 0.0
        last_base = self.y
        for k, line in enumerate(lines):
            size = 15.0 if k == 0 else 14.0
            for part in wrap_plain(c, line, "B", size, 430.0, balanced=True):
                last_w = c.centred(BODY_CX, self.y, part, "B", size)
                last_base = self.y
                self.y += 19.0 if k == 0 else 17.0
        rule = min(max(60.0, last_w / 3), 160.0)
        c.hline(BODY_CX - rule / 2, BODY_CX + rule / 2, last_base + 9.0)
        self.y = last_base + 9.0 + 19.0

    # -- recipients ----------------------------------------------------------
    def recipients(self) -> None:
        lines = lines_of(self.layout, "recipients")
        if not lines:
            return
        c = self.c
        size = BODY_SIZE
        self.y += 6.0
        first = lines[0]
        m = re.match(r"^(.*?:)\s*(.*)$", first)
        label, head_rest = (m.group(1), m.group(2)) if m else ("", first)
        items = ([head_rest] if head_rest else []) + lines[1:]
        label_w = c.width(label + " ", "", size) if label else 0.0
        if label and label_w > 0.4 * (BODY_X1 - BODY_X0):
            # Long label (e.g. a Công điện's "THỦ TƯỚNG CHÍNH PHỦ điện:"): label alone, items below.
            c.text(BODY_X0 + FIRST_INDENT, self.y, label, "", size)
            self.y += BODY_LEADING
            rows: list[Row] = []
            for item in items:
                rows += self._paragraph([Word(t) for t in item.split()], size, BODY_X0, BODY_X1, FIRST_INDENT, True)
            self.flow(rows)
            return
        item_ws = [c.width(it, "", size) for it in items] or [0.0]
        block_w = label_w + max(item_ws)
        x_label = BODY_CX - block_w / 2
        x_label = max(BODY_X0 + FIRST_INDENT, min(x_label, BODY_X0 + 2 * FIRST_INDENT + 30))
        if x_label + block_w > BODY_X1:
            x_label = max(BODY_X0 + FIRST_INDENT, BODY_X1 - block_w)
        x_items = x_label + label_w
        if label:
            c.text(x_label, self.y, label, "", size)
        if not items:
            self.y += BODY_LEADING
        for item in items:
            wrapped = wrap_words(c, [Word(t) for t in item.split()], size, BODY_X1 - x_items, BODY_X1 - x_items)
            for line in wrapped:
                self.ensure(0)
                draw_line(c, x_items, self.y, line, size, BODY_X1 - x_items, False)
                self.y += BODY_LEADING
        self.y += 4.0

    # -- body ----------------------------------------------------------------
    def _paragraph(
        self,
        words: list[Word],
        size: float,
        x0: float,
        x1: float,
        indent: float,
        justify: bool,
        centre: bool = False,
        keep_next: bool = False,
    ) -> list[Row]:
        """Break a paragraph into rows (not drawn yet; see `flow`)."""
        c = self.c
        width = x1 - x0
        lines = wrap_words(c, words, size, width - indent, width)
        rows: list[Row] = []
        for k, line in enumerate(lines):
            last = k == len(lines) - 1
            if centre:
                text_w = sum(c.width(w.text, w.style, size) for w in line)
                text_w += sum(c.width(" ", w.style, size) for w in line[:-1])
                lx, lw, just = (x0 + x1) / 2 - text_w / 2, text_w, False
            else:
                lx = x0 + (indent if k == 0 else 0.0)
                lw, just = x1 - lx, justify and not last
            rows.append(Row(tuple(line), lx, lw, just, size, size * 1.25, keep_next and last))
        rows.append(Row(None, 0.0, 0.0, False, size, PARA_GAP))
        return rows

    def flow(self, rows: Sequence[Row], tail_height: float = 0.0) -> None:
        """Place rows on pages.  Headings keep with the next line, and the last two
        lines of text move to a new page with the closing block (`tail_height`)
        when that block would otherwise stand alone on the next page."""
        text_idx = [i for i, r in enumerate(rows) if r.words is not None]
        tail_start = text_idx[-2] if len(text_idx) >= 2 else (text_idx[0] if text_idx else len(rows))
        for i, r in enumerate(rows):
            if r.words is None:
                self.y += r.advance
                continue
            at_top = self.y <= self.page_top + 0.01
            # The lowest baseline that must still fit on this page if row i goes here.
            last_y = self.y
            if tail_height and i == tail_start:
                last_y = self.y + sum(rr.advance for rr in rows[i:]) + tail_height
            elif r.keep_next:
                j = next((j for j in range(i + 1, len(rows)) if rows[j].words is not None), None)
                if j is not None:
                    last_y = self.y + sum(rr.advance for rr in rows[i:j])
            if not at_top and last_y > BOTTOM_Y:
                self.new_page()
            draw_line(self.c, r.x, self.y, r.words, r.size, r.width, r.justify)
            self.y += r.advance

    def body_rows(self) -> list[Row]:
        lines = lines_of(self.layout, "body")
        rows: list[Row] = []
        if not lines:
            return rows
        rows.append(Row(None, 0.0, 0.0, False, BODY_SIZE, 6.0))
        has_title = bool(lines_of(self.layout, "title"))
        decision_re = re.compile(r"^(QUYẾT ĐỊNH|QUYẾT NGHỊ|NGHỊ QUYẾT|CHỈ THỊ|THÔNG BÁO)\s*:\s*$")
        decision_idx = next((k for k, ln in enumerate(lines) if decision_re.match(ln.strip())), None)
        para = self._paragraph
        for k, line in enumerate(lines):
            s = line.strip()
            if not s:
                rows.append(Row(None, 0.0, 0.0, False, BODY_SIZE, BODY_LEADING / 2))
                continue
            tokens = s.split()
            letters = [ch for ch in s if ch.isalpha()]
            all_caps = bool(letters) and all(ch.isupper() for ch in letters)
            if decision_re.match(s):
                # "QUYẾT ĐỊNH:" between the grounds and the articles: bold, centred.
                rows.append(Row(None, 0.0, 0.0, False, BODY_SIZE, 2.0))
                rows += para([Word(t, "B") for t in tokens], BODY_SIZE, BODY_X0, BODY_X1, 0, False, True, True)
            elif k == 0 and has_title and all_caps and not any(ch.isdigit() for ch in s):
                # Authority line of a decision: "CHỦ TỊCH ỦY BAN NHÂN DÂN …"
                rows += para([Word(t, "B") for t in tokens], BODY_SIZE, BODY_X0, BODY_X1, 0, False, True, True)
            elif (
                decision_idx is not None
                and k < decision_idx
                and re.match(r"^(Căn cứ|Theo đề nghị|Xét đề nghị|Xét )", s)
            ):
                # Grounds of a decision are printed in italics.
                rows += para([Word(t, "I") for t in tokens], BODY_SIZE, BODY_X0, BODY_X1, FIRST_INDENT, True)
            elif re.match(r"^[IVXL]+\.\s", s):
                rows += para(
                    [Word(t, "B") for t in tokens], BODY_SIZE, BODY_X0, BODY_X1, FIRST_INDENT, True, False, True
                )
            elif m := re.match(r"^(Điều\s+\d+[a-z]?\.)\s", s):
                n_head = len(m.group(1).split())
                words = [Word(t, "B" if j < n_head else "") for j, t in enumerate(tokens)]
                rows += para(words, BODY_SIZE, BODY_X0, BODY_X1, FIRST_INDENT, True)
            else:
                rows += para([Word(t) for t in tokens], BODY_SIZE, BODY_X0, BODY_X1, FIRST_INDENT, True)
        return rows

    # -- closing block ---------------------------------------------------------
    def closing_layout(self) -> tuple[list[tuple[float, str, str, float, float]], list[tuple[float, str]], float]:
        """Lay out "Nơi nhận" (left) and the signer block (right); offsets from the top baseline."""
        c = self.c
        dist = lines_of(self.layout, "distribution")
        signer = lines_of(self.layout, "signer")
        dist_ops: list[tuple[float, str, str, float, float]] = []  # dy, text, style, size, x
        dy = 0.0
        dist_w = LEFT_X1 - BODY_X0 + 10
        for k, line in enumerate(dist):
            if k == 0 and line.rstrip().endswith(":"):
                dist_ops.append((dy, line, "BI", 12.0, BODY_X0))
                dy += 14.0
                continue
            hang = c.width("- ", "", 11.0) if line.startswith("- ") else 0.0
            words = [Word(t) for t in line.split()]
            for j, wl in enumerate(wrap_words(c, words, 11.0, dist_w, dist_w - hang)):
                dist_ops.append((dy, " ".join(w.text for w in wl), "", 11.0, BODY_X0 + (hang if j else 0.0)))
                dy += 12.5
        dist_h = dy
        sign_ops: list[tuple[float, str]] = []
        dy = 0.0
        for line in signer:
            if not line.strip():
                dy += SIGNATURE_SPACE
                continue
            for part in wrap_plain(c, line, "B", 14.0, SIGN_X1 - SIGN_X0, balanced=True):
                sign_ops.append((dy, part))
                dy += 17.0
        return dist_ops, sign_ops, max(dist_h, dy)

    def closing(self) -> None:
        dist_ops, sign_ops, needed = self.closing_layout()
        if not dist_ops and not sign_ops:
            return
        c = self.c
        self.y += 10.0
        if self.y + needed > BOTTOM_Y + 10:
            self.new_page()
        top = self.y
        for dy, text, style, size, x in dist_ops:
            c.text(x, top + dy, text, style, size)
        for dy, text in sign_ops:
            c.centred(SIGN_CX, top + dy, text, "B", 14.0)
        self.y = top + needed

    # -- all -------------------------------------------------------------------
    def render(self) -> FPDF:
        pdf = self.c.pdf
        title = " ".join(
            lines_of(self.layout, "subject_left")
            or lines_of(self.layout, "title")[1:]
            or lines_of(self.layout, "title")
        )
        if title:
            pdf.set_title(title)
        issuer = " ".join(ln for ln in lines_of(self.layout, "header_left") if ln.strip("* "))
        if issuer:
            pdf.set_author(issuer)
        pdf.set_creator("vanthu tools/render_letter.py")
        self.new_page()
        self.header()
        self.title()
        self.recipients()
        self.flow(self.body_rows(), self.closing_layout()[2])
        self.closing()
        return pdf
