"""The ``vanthu`` command: output, batches with bad files, exit codes, schema, imports.

Most tests call ``vanthu.cli.main`` in-process (capsys); two run it as a real
process. Prefect is never needed.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import stat
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from vanthu.cli import main
from vanthu.pipeline.errors import ExitCode

ROOT = Path(__file__).resolve().parents[1]
SCHEMA_FILE = ROOT / "schema" / "dispatch.schema.json"

LETTER = """**ỦY BAN NHÂN DÂN
THÀNH PHỐ LẠNG SƠN**

**CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc**

Số: 4114/UBND-VX

TP. Lạng Sơn, ngày 15 tháng 8 năm 2024

V/v triển khai công tác chuyển đổi số
trên địa bàn thành phố

Kính gửi:

- Sở Tài chính;
- UBND các phường, xã.

Thực hiện Công văn số 419/VP-NC ngày 08/8/2024 của Văn phòng UBND tỉnh về việc triển khai nhiệm vụ.

1. Giao Sở Tài chính chủ trì, phối hợp với UBND các phường, xã rà soát, hoàn thành trước ngày 30/9/2024.

2. Tăng cường công tác tuyên truyền, báo cáo định kỳ hằng quý.

UBND thành phố đề nghị các cơ quan, đơn vị nghiêm túc triển khai thực hiện./.

Nơi nhận:

- Như trên;
- Lưu: VT, VP.

KT. CHỦ TỊCH
PHÓ CHỦ TỊCH

Nguyễn Văn Hạnh
"""

# The contract's names (../shared/CONTRACT.md)
TOP_FIELDS = {
    "schema_version",
    "id",
    "source",
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
    "recipients",
    "references",
    "assignments",
    "signer",
    "distribution",
    "tasks",
    "warnings",
    "provenance",
}
SOURCE_FIELDS = {"file", "sha256", "media_type", "pages", "text_source"}
REFERENCE_FIELDS = {"doc_type", "number_symbol", "date", "issuer", "title", "text"}
ASSIGNMENT_FIELDS = {"label", "text", "assignees", "lead", "support", "deadline", "deadline_text", "children"}
SIGNER_FIELDS = {"name", "title", "prefix", "block"}
TASK_FIELDS = {
    "task_id",
    "document",
    "assignment",
    "assignee",
    "role",
    "action",
    "deadline",
    "deadline_text",
    "recurring",
}


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def good(tmp_path: Path) -> Path:
    path = tmp_path / "in" / "good.md"
    path.parent.mkdir()
    path.write_text(LETTER, encoding="utf-8")
    return path


@pytest.fixture
def empty_pdf(tmp_path: Path) -> Path:
    path = tmp_path / "in" / "bad.pdf"
    path.parent.mkdir(exist_ok=True)
    path.write_bytes(b"")
    return path


@pytest.fixture
def docx_pdf(tmp_path: Path) -> Path:
    """A DOCX (a ZIP with word/document.xml) named x.pdf."""
    path = tmp_path / "in" / "x.pdf"
    path.parent.mkdir(exist_ok=True)
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        zf.writestr("word/document.xml", '<?xml version="1.0"?><w:document/>')
    return path


def check_record(rec: dict, file_name: str) -> None:
    assert rec.keys() >= TOP_FIELDS
    assert rec["source"].keys() >= SOURCE_FIELDS
    assert rec["source"]["file"] == file_name
    assert rec["id"] == "sha256:" + rec["source"]["sha256"]
    assert rec["doc_type"] == "Công văn"
    assert rec["issuer"] == "ỦY BAN NHÂN DÂN THÀNH PHỐ LẠNG SƠN"
    assert (rec["number"], rec["symbol"], rec["number_symbol"]) == ("4114", "UBND-VX", "4114/UBND-VX")
    assert (rec["place"], rec["date"]) == ("TP. Lạng Sơn", "2024-08-15")
    assert rec["subject"] == "V/v triển khai công tác chuyển đổi số trên địa bàn thành phố"
    assert rec["recipients"] == ["Sở Tài chính", "UBND các phường, xã"]
    assert [r["number_symbol"] for r in rec["references"]] == ["419/VP-NC"]
    assert all(r.keys() >= REFERENCE_FIELDS for r in rec["references"])
    assert [a["label"] for a in rec["assignments"]] == ["1", "2"]
    assert all(a.keys() >= ASSIGNMENT_FIELDS for a in rec["assignments"])
    assert rec["assignments"][0]["deadline"] == "2024-09-30"
    assert rec["signer"].keys() >= SIGNER_FIELDS
    assert (rec["signer"]["prefix"], rec["signer"]["title"], rec["signer"]["name"]) == (
        "KT.",
        "PHÓ CHỦ TỊCH",
        "Nguyễn Văn Hạnh",
    )
    assert rec["distribution"] == ["Như trên", "Lưu: VT, VP"]
    assert rec["tasks"] and all(t.keys() >= TASK_FIELDS for t in rec["tasks"])
    assert {t["role"] for t in rec["tasks"]} == {"lead", "support", "recipient"}


# --------------------------------------------------------------------------- extract


def test_extract_prints_the_record(good: Path, capsys) -> None:
    before = sha256(good)
    assert main(["extract", str(good)]) == ExitCode.OK
    out, err = capsys.readouterr()
    assert err == ""
    check_record(json.loads(out), "good.md")
    assert "Lạng Sơn" in out  # ensure_ascii=False: Vietnamese stays readable
    assert sha256(good) == before


def test_extract_out_dir(good: Path, tmp_path: Path, capsys) -> None:
    out_dir = tmp_path / "results"  # created on demand
    assert main(["extract", str(good), "--out", str(out_dir)]) == ExitCode.OK
    stdout, err = capsys.readouterr()
    assert err == ""
    assert sorted(p.name for p in out_dir.iterdir()) == ["good.json"]  # no leftover temp files
    target = out_dir / "good.json"
    check_record(json.loads(target.read_text(encoding="utf-8")), "good.md")
    assert str(target) in stdout


def test_extract_out_dir_twice_overwrites(good: Path, tmp_path: Path, capsys) -> None:
    out_dir = tmp_path / "results"
    assert main(["extract", str(good), "--out", str(out_dir)]) == ExitCode.OK
    first = (out_dir / "good.json").read_bytes()
    assert main(["extract", str(good), "--out", str(out_dir)]) == ExitCode.OK
    assert (out_dir / "good.json").read_bytes() == first
    assert sorted(p.name for p in out_dir.iterdir()) == ["good.json"]


@pytest.mark.parametrize(("umask", "mode"), [(0o022, 0o644), (0o077, 0o600), (0o002, 0o664)])
def test_extract_out_file_mode_follows_umask(good: Path, tmp_path: Path, capsys, umask: int, mode: int) -> None:
    """Regression: results were 0600 (mkstemp's mode) whatever the umask."""
    old = os.umask(umask)
    try:
        assert main(["extract", str(good), "--out", str(tmp_path / "results")]) == ExitCode.OK
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "results" / "good.json").stat().st_mode) == mode


def test_extract_jsonl(good: Path, tmp_path: Path, capsys) -> None:
    second = tmp_path / "in" / "second.txt"
    second.write_text(LETTER.replace("Số: 4114/UBND-VX", "Số: 4115/UBND-VX"), encoding="utf-8")
    assert main(["extract", str(good), str(second), "--jsonl"]) == ExitCode.OK
    out, err = capsys.readouterr()
    assert err == ""
    lines = out.splitlines()
    assert len(lines) == 2
    recs = [json.loads(line) for line in lines]
    assert [r["source"]["file"] for r in recs] == ["good.md", "second.txt"]
    assert [r["number_symbol"] for r in recs] == ["4114/UBND-VX", "4115/UBND-VX"]
    check_record(recs[0], "good.md")


def test_extract_several_files_prints_a_list(good: Path, tmp_path: Path, capsys) -> None:
    second = tmp_path / "in" / "second.md"
    second.write_text(LETTER, encoding="utf-8")
    assert main(["extract", str(good), str(second)]) == ExitCode.OK
    recs = json.loads(capsys.readouterr().out)
    assert [r["source"]["file"] for r in recs] == ["good.md", "second.md"]


def test_extract_folder(good: Path, tmp_path: Path, capsys) -> None:
    (good.parent / "notes.docx").write_bytes(b"not a letter")  # not a letter suffix: skipped
    assert main(["extract", str(good.parent), "--jsonl"]) == ExitCode.OK
    out = capsys.readouterr().out
    assert [json.loads(x)["source"]["file"] for x in out.splitlines()] == ["good.md"]


# ------------------------------------------------------------------------ bad inputs


def _err_lines(err: str) -> list[str]:
    return [line for line in err.splitlines() if line.strip()]


def test_empty_file_alone(empty_pdf: Path, capsys) -> None:
    assert main(["extract", str(empty_pdf)]) == ExitCode.EMPTY_FILE
    out, err = capsys.readouterr()
    assert out == ""
    lines = _err_lines(err)
    assert len(lines) == 1
    assert str(empty_pdf) in lines[0] and "empty" in lines[0]


def test_docx_named_pdf_alone(docx_pdf: Path, capsys) -> None:
    assert main(["extract", str(docx_pdf)]) == ExitCode.UNSUPPORTED_FORMAT
    out, err = capsys.readouterr()
    assert out == ""
    lines = _err_lines(err)
    assert len(lines) == 1
    assert str(docx_pdf) in lines[0]
    assert "DOCX" in lines[0] or "Office" in lines[0]


def test_batch_with_bad_files(good: Path, empty_pdf: Path, docx_pdf: Path, tmp_path: Path, capsys) -> None:
    inputs = [good, empty_pdf, docx_pdf]
    before = {p: sha256(p) for p in inputs}
    out_dir = tmp_path / "results"
    code = main(["extract", *map(str, inputs), "--out", str(out_dir)])
    assert code == ExitCode.SOME_FAILED
    assert code != 0
    _, err = capsys.readouterr()
    # the good letter is still written, and nothing else
    assert sorted(p.name for p in out_dir.iterdir()) == ["good.json"]
    check_record(json.loads((out_dir / "good.json").read_text(encoding="utf-8")), "good.md")
    # one line per bad file, naming it and the reason
    lines = _err_lines(err)
    assert len(lines) == 2, lines
    empty_line = [ln for ln in lines if str(empty_pdf) in ln]
    docx_line = [ln for ln in lines if str(docx_pdf) in ln]
    assert len(empty_line) == 1 and "empty" in empty_line[0]
    assert len(docx_line) == 1 and ("DOCX" in docx_line[0] or "Office" in docx_line[0])
    # the inputs are untouched
    assert {p: sha256(p) for p in inputs} == before
    assert sorted(p.name for p in good.parent.iterdir()) == ["bad.pdf", "good.md", "x.pdf"]


@pytest.mark.parametrize(
    ("bad", "code"), [("empty_pdf", ExitCode.EMPTY_FILE), ("docx_pdf", ExitCode.UNSUPPORTED_FORMAT)]
)
def test_batch_with_one_kind_of_failure(good: Path, bad: str, code: ExitCode, request, capsys) -> None:
    bad_path: Path = request.getfixturevalue(bad)
    assert main(["extract", str(good), str(bad_path), "--jsonl"]) == code
    out, err = capsys.readouterr()
    assert [json.loads(x)["source"]["file"] for x in out.splitlines()] == ["good.md"]
    assert len(_err_lines(err)) == 1


def test_missing_path(tmp_path: Path, capsys) -> None:
    missing = tmp_path / "nope.md"
    assert main(["extract", str(missing)]) == ExitCode.NOT_FOUND
    out, err = capsys.readouterr()
    assert out == ""
    lines = _err_lines(err)
    assert len(lines) == 1 and str(missing) in lines[0]
    assert not missing.exists()


def test_exit_codes_are_the_documented_numbers() -> None:
    assert (
        ExitCode.OK,
        ExitCode.SOME_FAILED,
        ExitCode.NOT_FOUND,
        ExitCode.UNSUPPORTED_FORMAT,
        ExitCode.EMPTY_FILE,
    ) == (0, 1, 3, 4, 5)


# ------------------------------------------------------------------------------ schema


def test_schema_matches_the_committed_file(capsys) -> None:
    if not SCHEMA_FILE.exists():
        pytest.skip(f"{SCHEMA_FILE.relative_to(ROOT)} is not committed yet (generate it with `vanthu schema --out`)")
    assert main(["schema"]) == ExitCode.OK
    out = capsys.readouterr().out
    committed = SCHEMA_FILE.read_text(encoding="utf-8")
    assert json.loads(out) == json.loads(committed), "regenerate it: vanthu schema --out schema/dispatch.schema.json"
    assert out == committed


def test_schema_describes_the_record(capsys) -> None:
    assert main(["schema"]) == ExitCode.OK
    schema = json.loads(capsys.readouterr().out)
    assert schema["properties"].keys() >= TOP_FIELDS
    assert schema["$schema"].startswith("https://json-schema.org/")


# ------------------------------------------------------------------------- subprocess


def _command() -> list[str]:
    exe = Path(sys.executable).parent / "vanthu"
    found = shutil.which("vanthu") or (str(exe) if exe.exists() else None)
    return [found] if found else [sys.executable, "-m", "vanthu.cli"]


def test_cli_as_a_process(good: Path, empty_pdf: Path, tmp_path: Path) -> None:
    out_dir = tmp_path / "results"
    proc = subprocess.run(
        [*_command(), "extract", str(good), str(empty_pdf), "--out", str(out_dir)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
    )
    assert proc.returncode == ExitCode.EMPTY_FILE, proc.stderr
    lines = _err_lines(proc.stderr)
    assert len(lines) == 1 and str(empty_pdf) in lines[0], proc.stderr
    assert "Traceback" not in proc.stderr
    check_record(json.loads((out_dir / "good.json").read_text(encoding="utf-8")), "good.md")


def test_extract_does_not_import_prefect(good: Path) -> None:
    code = (
        "import vanthu.cli, sys; rc = vanthu.cli.main(['extract', sys.argv[1]]); "
        "print(rc); print('prefect' in sys.modules)"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code, str(good)], capture_output=True, text=True, encoding="utf-8", timeout=120
    )
    assert proc.returncode == 0, proc.stderr
    *record, rc, prefect_loaded = proc.stdout.splitlines()
    assert rc == "0"
    check_record(json.loads("\n".join(record)), "good.md")  # the extract really ran
    assert prefect_loaded == "False"


def test_every_command_that_reads_letters_has_the_limits() -> None:
    """review, inspect and eval extract as extract does: the same limit flags and
    --no-isolation; --workers is extract's alone; the folder options are the inbox's."""
    from vanthu.cli import _parser
    from vanthu.flows.inbox import FOLDERS

    ap = _parser()
    for argv in (["extract", "a.pdf"], ["review", "a.pdf", "--out", "o"], ["inspect", "a.pdf"], ["eval", "d"]):
        args = ap.parse_args(
            [
                *argv,
                "--timeout",
                "7",
                "--timeout-per-page",
                "0",
                "--memory-mb",
                "512",
                "--max-pages",
                "3",
                "--no-isolation",
            ]
        )
        assert (args.timeout, args.timeout_per_page, args.memory_mb, args.max_pages) == (7.0, 0.0, 512, 3)
        assert args.no_isolation
    assert ap.parse_args(["extract", "a.pdf", "--workers", "3"]).workers == 3
    with pytest.raises(SystemExit):
        ap.parse_args(["review", "a.pdf", "--out", "o", "--workers", "3"])
    watch = ap.parse_args(["watch", "root", *(x for n in FOLDERS for x in (f"--{n}-dir", n.upper()))])
    assert [getattr(watch, f"{n}_dir") for n in FOLDERS] == [Path(n.upper()) for n in FOLDERS]


# ------------------------------------------------------------- commands that refuse (issue 16)


def test_an_empty_path_is_a_usage_error_not_the_current_folder(good: Path, monkeypatch, capsys) -> None:
    monkeypatch.chdir(good.parent)  # a folder with a letter: "" must not read it
    for argv in (["extract", ""], ["inspect", ""], ["review", "", "--out", "o"], ["watch", ""]):
        with pytest.raises(SystemExit) as stop:
            main(argv)
        assert stop.value.code == ExitCode.USAGE
        out, err = capsys.readouterr()
        assert out == "" and "an empty path" in err


def test_debug_is_accepted_after_the_subcommand() -> None:
    from vanthu.cli import _parser

    ap = _parser()
    assert ap.parse_args(["extract", "a.pdf", "--debug"]).debug
    assert ap.parse_args(["--debug", "extract", "a.pdf"]).debug
    assert not ap.parse_args(["extract", "a.pdf"]).debug
    assert ap.parse_args(["letters", "--debug"]).debug and ap.parse_args(["watch", "r", "--debug"]).debug


def _once(line: str, path: Path) -> bool:
    """No run of three words said twice (the reason and the hint repeating each other)."""
    words = re.findall(r"\w+", line.split(f"{path}: ", 1)[1].lower())
    runs = [tuple(words[i : i + 3]) for i in range(len(words) - 2)]
    return len(runs) == len(set(runs))


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("empty.pdf", b""),
        ("broken.pdf", b"%PDF-1.4\ngarbage\n"),
        ("blank.txt", b"   \n\n"),
        ("unknown.bin", bytes(range(256)) * 4),
        ("notes.docx", b"PK\x03\x04" + b"\0" * 60),
        ("latin1.txt", "Kính gửi".encode("cp1258", errors="replace") + b"\xff\xfe\x00"),
    ],
)
def test_error_texts_say_each_thing_once(name: str, data: bytes, tmp_path: Path, capsys) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    assert main(["extract", str(path)]) != ExitCode.OK
    (line,) = _err_lines(capsys.readouterr().err)
    assert str(path) in line and _once(line, path), line


def test_engine_messages_are_in_a_clerks_words_raw_text_under_debug(tmp_path: Path, capsys) -> None:
    path = tmp_path / "broken.pdf"
    path.write_bytes(b"%PDF-1.4\ngarbage\n")
    assert main(["extract", str(path)]) == ExitCode.CORRUPT
    err = capsys.readouterr().err
    assert "not a readable PDF" in err and "PDFium" not in err and "Data format" not in err
    assert main(["extract", str(path), "--debug"]) == ExitCode.CORRUPT
    assert "engine message: Failed to load document (PDFium: Data format error)." in capsys.readouterr().err
