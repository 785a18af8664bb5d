"""Tables as an Excel workbook (openpyxl), for ``vanthu register``: the register of
incoming letters on the first sheet, the tracking book on the second. A bold header row with the panes frozen
below it, column widths for their content, dates as date cells shown dd/mm/yyyy, text
wrapped, printed in landscape on A4 with the header repeated on each page."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from vanthu.output import write_atomic

#: One sheet: its name, its headers, its column widths in characters (Excel's unit; text
#: wraps within them), its rows (values: date, int, text or None).
Sheet = tuple[str, tuple[str, ...], tuple[int, ...], list[tuple[Any, ...]]]

DATE_FORMAT = "dd/mm/yyyy"
DEFAULT_WIDTH = 15


def _fill(ws: Any, headers: tuple[str, ...], widths: tuple[int, ...], rows: list[tuple[Any, ...]]) -> None:
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    wrap = Alignment(wrap_text=True, vertical="top")
    ws.append(list(headers))
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
    for row in rows:
        ws.append(list(row))
        for cell in ws[ws.max_row]:
            cell.alignment = wrap
            if isinstance(cell.value, date):
                cell.number_format = DATE_FORMAT
    for i in range(1, len(headers) + 1):
        ws.column_dimensions[get_column_letter(i)].width = widths[i - 1] if i <= len(widths) else DEFAULT_WIDTH
    ws.freeze_panes = "A2"
    ws.print_title_rows = "1:1"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4


def xlsx_bytes(sheets: list[Sheet]) -> bytes:
    """The workbook of ``sheets``, as the bytes of an .xlsx file."""
    from io import BytesIO

    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    for name, headers, widths, rows in sheets:
        _fill(wb.create_sheet(name), headers, widths, rows)
    out = BytesIO()
    wb.save(out)
    return out.getvalue()


def write_xlsx(sheets: list[Sheet], path: Path) -> None:
    """Write the ``sheets`` to ``path`` atomically (``vanthu.output.write_atomic``: a
    folder that cannot take it is an ``OutputNotWritable`` error naming it)."""
    write_atomic(path, xlsx_bytes(sheets))
