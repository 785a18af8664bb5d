"""``vanthu register`` (vanthu.register, vanthu.register_xlsx): the register of incoming
letters (Phụ lục IV, Nghị định 30/2020) and the tracking book from the store, as XLSX and
as CSV, in Vietnamese whatever the locale (English with VANTHU_LANG=en); end to end after
``vanthu watch --once``."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import shutil
import subprocess
import sys
from datetime import date, datetime
from pathlib import Path

import pytest

from tests.conftest import SAMPLES
from vanthu.cli import main
from vanthu.flows.store import default_url, open_store
from vanthu.models.record import DispatchRecord, DuplicateOf
from vanthu.pipeline.errors import InputNotFound
from vanthu.register import REGISTER_COLUMNS, TRACKING_COLUMNS, choose_year, headers

openpyxl = pytest.importorskip("openpyxl")

#: The headings of the two books (Phụ lục IV), as the register writes them by default.
REGISTER_HEADERS = (
    "Ngày đến",
    "Số đến",
    "Tác giả",
    "Số, ký hiệu",
    "Ngày tháng văn bản",
    "Tên loại và trích yếu nội dung",
    "Đơn vị hoặc người nhận",
    "Ngày chuyển",
    "Ký nhận",
    "Ghi chú",
)
TRACKING_HEADERS = (
    "Số đến",
    "Tên loại, số, ký hiệu, ngày, cơ quan ban hành",
    "Đơn vị hoặc người nhận",
    "Thời hạn giải quyết",
    "Tiến độ giải quyết",
    "Số, ký hiệu văn bản trả lời",
    "Ghi chú",
)


@pytest.fixture(autouse=True)
def _register_by_default(monkeypatch):
    """No VANTHU_LANG (the register's default, Vietnamese) and an English locale, so the
    program's own messages stay English."""
    monkeypatch.delenv("VANTHU_LANG", raising=False)
    for name in ("LANGUAGE", "LC_MESSAGES"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LC_ALL", "en_US.UTF-8")


SEED = DispatchRecord.model_validate_json((SAMPLES / "seed-cv-ubnd-langson.expected.json").read_text(encoding="utf-8"))
DAY = date(2025, 11, 5)
STAMP = {"number": "123", "date": "2025-11-04", "date_text": "04/11/2025", "text": "ĐẾN Số: 123 Ngày: 04/11/2025"}


def letter(i: int, **fields) -> DispatchRecord:
    sha = hashlib.sha256(f"letter {i}".encode()).hexdigest()
    data = json.loads(SEED.to_json())
    data.update(id=f"sha256:{sha}", **fields)
    data["source"].update(sha256=sha, file=f"letter-{i}.pdf")
    for t in data["tasks"]:
        t["task_id"] = f"task:{sha[:16]}:{t['task_id']}"
    return DispatchRecord.model_validate(data)


#: The letters stored, in this order: the cited one, one with a ĐẾN stamp that cites it
#: (its reply), a re-scan of the first (other bytes), and one of the year before.
CITED = {"number": "4114", "number_symbol": "4114/VP-NC", "issuer": "VĂN PHÒNG UBND TỈNH", "date": "2024-08-08"}


@pytest.fixture
def root(tmp_path: Path) -> Path:
    root = tmp_path / "root"
    first = letter(0, **CITED, references=[])
    reply = letter(1, number="77", number_symbol="77/UBND-NV", receipt_stamp=STAMP)  # cites 4114/VP-NC
    rescan = letter(2, **CITED, references=[])
    with open_store(default_url(root)) as db:
        db.save_document(
            letter(9, number_symbol="5/UBND-NV", references=[]),
            file="old.pdf",
            out_path="x",
            received=date(2024, 12, 30),
        )
        db.save_document(first, file="first.pdf", out_path="x", received=DAY)
        db.save_document(reply, file="reply.pdf", out_path="x", received=DAY)
        rescan = rescan.model_copy(update={"duplicate_of": db.same_letter(rescan)})
        db.save_document(rescan, file="rescan.pdf", out_path="x", received=date(2025, 11, 6))
        db.set_status([reply.tasks[0].task_id, reply.tasks[1].task_id], "done")
    return root


def read_xlsx(path: Path) -> dict[str, list[tuple]]:
    wb = openpyxl.load_workbook(path)
    return {ws.title: [tuple(r) for r in ws.iter_rows(values_only=True)] for ws in wb.worksheets}


def read_csv(data: bytes) -> list[tuple]:
    assert data.startswith("\ufeff".encode())  # UTF-8 with a BOM, for Excel
    return [tuple(r) for r in csv.reader(io.StringIO(data.decode("utf-8-sig")))]


def register(root: Path, fmt: str, tmp_path: Path, *extra: str, sheet: str = "register") -> list[tuple]:
    out = tmp_path / f"r.{fmt}"
    args = ["register", str(root), "--format", fmt, "--out", str(out), "--year", "2025", "--sheet", sheet, *extra]
    assert main(args) == 0
    if fmt == "csv":
        return read_csv(out.read_bytes())
    books = read_xlsx(out)
    return books["Sổ đăng ký văn bản đến" if sheet == "register" else "Sổ theo dõi giải quyết"]


def as_day(value) -> date | str:
    """A date cell (xlsx) or its dd/mm/yyyy text (csv), as a date."""
    if isinstance(value, datetime):
        return value.date()
    return datetime.strptime(value, "%d/%m/%Y").date()


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_one_row_per_letter_by_arrival_number_under_the_ten_columns(root, tmp_path, fmt):
    rows = register(root, fmt, tmp_path)
    assert rows[0] == REGISTER_HEADERS
    body = rows[1:]
    assert [int(r[1]) for r in body] == [1, 2, 3]  # 2025's letters, numbered from 1
    assert [as_day(r[0]) for r in body] == [DAY, DAY, date(2025, 11, 6)]
    assert [r[3] for r in body] == ["4114/VP-NC", "77/UBND-NV", "4114/VP-NC"]
    assert [as_day(r[4]) for r in body] == [date(2024, 8, 8), date(2024, 8, 15), date(2024, 8, 8)]
    assert body[1][2] == SEED.issuer and body[1][5] == f"{SEED.doc_type}: {SEED.subject}"
    leads = [a.lead for a in SEED.assignments if a.lead]
    assert body[1][6] == "; ".join(dict.fromkeys(leads))
    assert all(r[7] in (None, "") and r[8] in (None, "") for r in body)  # Ngày chuyển, Ký nhận: by hand


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
@pytest.mark.parametrize(
    ("row", "note"),
    [
        (0, None),
        (1, "Dấu ĐẾN trên bản giấy: số 123, ngày 04/11/2025"),
        (2, "Trùng với văn bản đến số 1 (tệp first.pdf)"),
    ],
    ids=["plain", "receipt-stamp", "duplicate-of"],
)
def test_the_note_says_the_stamp_on_paper_and_the_earlier_copy(root, tmp_path, fmt, row, note):
    rows = register(root, fmt, tmp_path)
    assert (rows[1 + row][9] or None) == note


def test_xlsx_has_date_cells_a_frozen_header_widths_and_both_books(root, tmp_path):
    register(root, "xlsx", tmp_path)
    wb = openpyxl.load_workbook(tmp_path / "r.xlsx")
    assert wb.sheetnames == ["Sổ đăng ký văn bản đến", "Sổ theo dõi giải quyết"]
    ws = wb.worksheets[0]
    assert ws.freeze_panes == "A2"
    assert ws["A2"].is_date and ws["A2"].number_format == "dd/mm/yyyy"
    assert ws["E2"].is_date and ws["E2"].number_format == "dd/mm/yyyy"
    assert ws["F2"].alignment.wrap_text and ws.column_dimensions["F"].width > ws.column_dimensions["B"].width
    assert wb.worksheets[1].freeze_panes == "A2" and wb.worksheets[1]["D2"].is_date


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_the_tracking_book_has_due_progress_and_the_reply(root, tmp_path, fmt):
    rows = register(root, fmt, tmp_path, sheet="tracking")
    assert rows[0] == TRACKING_HEADERS
    cited, reply, rescan = rows[1:]
    assert [int(r[0]) for r in rows[1:]] == [1, 2, 3]
    assert cited[1] == "Công văn số 4114/VP-NC ngày 08/08/2024 của VĂN PHÒNG UBND TỈNH"
    assert cited[5] == "77/UBND-NV"  # the stored letter that cites it
    assert (reply[5] or None) is None
    assert reply[4] == f"Đã xong 2/{len(SEED.tasks)} nhiệm vụ"
    dues = sorted(t.due for t in SEED.tasks if t.due)
    assert as_day(reply[3]) == date.fromisoformat(dues[0])  # the earliest due
    assert rescan[6] == "Trùng với văn bản đến số 1 (tệp first.pdf)"


@pytest.mark.parametrize(
    ("columns", "vietnamese"), [(REGISTER_COLUMNS, REGISTER_HEADERS), (TRACKING_COLUMNS, TRACKING_HEADERS)]
)
def test_the_vietnamese_headings_are_the_decree_s_words(columns, vietnamese):
    assert headers(columns) == headers(columns, "vi") == vietnamese
    assert headers(columns, "en") == tuple(name for name, _width in columns)


@pytest.mark.parametrize(
    ("env", "first", "note"),
    [
        ({"VANTHU_LANG": "en"}, "Arrival date", "ĐẾN stamp on the paper letter: no. 123, dated 04/11/2025"),
        ({"LANG": "en_US.UTF-8"}, "Ngày đến", "Dấu ĐẾN trên bản giấy: số 123, ngày 04/11/2025"),
        ({"LANG": "vi_VN.UTF-8", "VANTHU_LANG": "vi"}, "Ngày đến", "Dấu ĐẾN trên bản giấy: số 123, ngày 04/11/2025"),
    ],
    ids=["vanthu-lang-en", "english-locale-still-vietnamese", "vanthu-lang-vi"],
)
def test_the_register_is_vietnamese_unless_vanthu_lang_says_otherwise(root, env, first, note):
    base = {
        k: v for k, v in os.environ.items() if k not in ("VANTHU_LANG", "LANG", "LANGUAGE", "LC_ALL", "LC_MESSAGES")
    }
    done = subprocess.run(
        [sys.executable, "-m", "vanthu.cli", "register", str(root), "--format", "csv", "--year", "2025"],
        capture_output=True,
        env={**base, **env},
        timeout=300,
    )
    assert done.returncode == 0, done.stderr.decode("utf-8", "replace")
    rows = read_csv(done.stdout)
    assert rows[0][0] == first and len(rows[0]) == 10
    assert rows[0] == (tuple(n for n, _w in REGISTER_COLUMNS) if first == "Arrival date" else REGISTER_HEADERS)
    assert rows[2][9] == note


def test_csv_goes_to_standard_output_without_out(root, capsysbinary):
    assert main(["register", str(root), "--format", "csv", "--year", "all"]) == 0
    rows = read_csv(capsysbinary.readouterr().out)
    assert [(r[0][-4:], r[1]) for r in rows[1:]] == [("2024", "1"), ("2025", "1"), ("2025", "2"), ("2025", "3")]


@pytest.mark.parametrize(
    ("years", "asked", "this_year", "chosen"),
    [
        ([2024, 2025], None, 2025, 2025),  # this year has letters
        ([2023, 2024], None, 2025, 2024),  # none yet this year: the latest year
        ([2024, 2025], "2024", 2025, 2024),
        ([2024, 2025], "all", 2025, None),
    ],
)
def test_the_year_shown(years, asked, this_year, chosen):
    assert choose_year(years, asked, this_year) == chosen


def test_a_year_without_letters_names_the_years_with_some():
    with pytest.raises(InputNotFound, match="no letter arrived in 2020") as info:
        choose_year([2024, 2025], "2020", 2025)
    assert "2024, 2025" in info.value.line()


@pytest.mark.parametrize(
    ("setup", "args", "code", "message"),
    [
        ("none", ["--format", "csv"], 3, "no task store here"),
        ("empty", ["--format", "csv"], 3, "holds no letters yet"),
        ("filled", [], 2, "give --out FILE.xlsx"),
        ("filled", ["--format", "csv", "--year", "1999"], 3, "no letter arrived in 1999"),
        ("filled", ["--year", "99"], 2, "not a year"),
    ],
    ids=["no-store", "empty-store", "xlsx-without-out", "year-without-letters", "bad-year"],
)
def test_errors_are_one_clear_line(tmp_path, capsys, setup, args, code, message):
    root = tmp_path / "root"
    root.mkdir()
    if setup != "none":
        with open_store(default_url(root)) as db:
            if setup == "filled":
                db.save_document(letter(0), file="a.pdf", out_path="x", received=DAY)
    try:
        got = main(["register", str(root), *args])
    except SystemExit as exc:  # argparse
        got = exc.code
    assert got == code
    assert message in capsys.readouterr().err


def test_duplicate_of_is_written_only_when_set():
    assert "duplicate_of" not in json.loads(SEED.to_json())
    dup = DuplicateOf(id=SEED.id, file="a.pdf", number_symbol="1/X", arrival_year=2025, arrival_number=4)
    again = DispatchRecord.model_validate_json(SEED.model_copy(update={"duplicate_of": dup}).to_json())
    assert again.duplicate_of == dup


# ------------------------------------------------------------------------- end to end


def test_watch_once_then_register(tmp_path):
    """Four generated letters and a copy of one with other bytes, ingested by `vanthu watch
    --once`, then `vanthu register --format xlsx`: ten headers, rows numbered 1..5, the
    copy noted."""
    from vanthu.samplegen.variety import LetterFactory

    root = tmp_path / "root"
    (root / "inbox").mkdir(parents=True)
    factory = LetterFactory(tmp_path / "templates", templates=2)
    for i in range(4):
        factory.write(i, root / "inbox" / f"letter-{i}.pdf")
    copy = (root / "inbox" / "letter-0.pdf").read_bytes() + b"\n% re-saved\n"  # same letter, other bytes
    (root / "inbox" / "letter-0-copy.pdf").write_bytes(copy)
    watch = [sys.executable, "-m", "vanthu.cli", "watch", str(root), "--once", "--settle", "0.1"]
    done = subprocess.run(watch, capture_output=True, text=True, timeout=600, cwd=tmp_path)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert len(list((root / "done").iterdir())) == 5
    out = tmp_path / "r.xlsx"
    assert main(["register", str(root), "--format", "xlsx", "--out", str(out)]) == 0
    rows = read_xlsx(out)["Sổ đăng ký văn bản đến"]
    assert rows[0] == REGISTER_HEADERS and len(rows[0]) == 10
    assert [r[1] for r in rows[1:]] == [1, 2, 3, 4, 5]
    assert all(isinstance(r[0], datetime) for r in rows[1:])
    notes = [r[9] for r in rows[1:] if r[9]]
    assert len(notes) == 1 and notes[0].startswith("Trùng với văn bản đến số ")
    shutil.rmtree(root / "inbox")
