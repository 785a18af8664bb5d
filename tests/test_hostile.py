"""Hostile files through the real ``vanthu extract`` process: each ends in its documented
exit code with one line naming the file (no traceback), and its bytes are unchanged.

The files come from ``vanthu/samplegen/hostile.py``; the real-world broken PDFs in
``../shared/hostile`` (with ``MANIFEST.json``) are run the same way when present.
Time and peak memory per case are measured by ``tools/bench_hostile.py``, not here.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import SAMPLES, SHARED, shared_dir
from vanthu.pipeline.errors import ExitCode
from vanthu.samplegen.hostile import CASES, Case, generate

EXIT_NAMES = {int(c): c.name for c in ExitCode}


def vanthu_command() -> list[str]:
    exe = Path(sys.executable).parent / "vanthu"
    found = str(exe) if exe.exists() else shutil.which("vanthu")
    return [found] if found else [sys.executable, "-m", "vanthu.cli"]


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@dataclass
class Run:
    path: Path
    out: Path
    rc: int
    stdout: str
    stderr: str
    seconds: float
    before: str
    after: str

    def err_lines(self) -> list[str]:
        return [ln for ln in self.stderr.splitlines() if ln.strip()]


def run_extract(path: Path, out: Path, *extra: str, env: dict[str, str] | None = None, timeout: float = 300) -> Run:
    before = sha256(path) if path.is_file() else ""
    t0 = time.perf_counter()
    proc = subprocess.run(
        [*vanthu_command(), "extract", "--out", str(out), *extra, "--", str(path)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=timeout,
        env={**os.environ, **(env or {})},
    )
    seconds = time.perf_counter() - t0
    after = sha256(path) if path.is_file() else ""
    return Run(path, out, proc.returncode, proc.stdout, proc.stderr, seconds, before, after)


def run_all(items: list[tuple[str, Path]], out_root: Path, envs: dict[str, dict] | None = None) -> dict[str, Run]:
    """Run each file through its own ``vanthu extract`` process, two at a time."""
    envs = envs or {}
    with ThreadPoolExecutor(max_workers=2) as pool:
        futures = {name: pool.submit(run_extract, path, out_root / name, env=envs.get(name)) for name, path in items}
        return {name: f.result() for name, f in futures.items()}


def check_error_line(run: Run) -> None:
    lines = run.err_lines()
    assert len(lines) == 1, run.stderr
    assert lines[0].startswith("vanthu: ") and str(run.path) in lines[0], run.stderr
    reason = lines[0][len(f"vanthu: {run.path}: ") :]
    assert len(reason) > 10, run.stderr  # a reason, not an empty message
    assert "Traceback" not in run.stderr and "internal error" not in run.stderr, run.stderr


def check_record(run: Run, name: str) -> dict:
    outputs = sorted(run.out.iterdir())
    assert len(outputs) == 1, outputs  # the record, nothing else (no attachment, no temp file)
    record = json.loads(outputs[0].read_text(encoding="utf-8"))
    assert record["source"]["file"] == name
    assert record["source"]["sha256"] == run.before
    return record


# ------------------------------------------------------------------------ generated
@pytest.fixture(scope="session")
def generated(tmp_path_factory) -> dict[str, tuple[Case, Run]]:
    root = tmp_path_factory.mktemp("hostile")
    cases = generate(root / "in")
    runs = run_all([(c.name, c.path) for c in cases], root / "out", {c.name: c.env for c in cases})
    return {c.name: (c, runs[c.name]) for c in cases}


@pytest.mark.parametrize("name", [c.name for c in CASES])
def test_hostile_file_outcome(generated, name: str) -> None:
    case, run = generated[name]
    assert run.rc in case.expect, (
        f"{name}: exit {run.rc} ({EXIT_NAMES.get(run.rc)}), expected {case.expect} ({case.why}); {run.stderr}"
    )
    assert run.before == run.after, "the input was modified"
    if run.rc == 0:
        check_record(run, name)
        assert "Traceback" not in run.stderr
    else:
        check_error_line(run)
        assert not run.out.exists() or not any(run.out.iterdir()), "an error left an output file"


def test_memory_limit_stops_a_bomb_without_pixel_limit(generated) -> None:
    _, run = generated["bomb-30000x30000-pixel-limit-off.png"]
    assert run.rc == ExitCode.TOO_LARGE, run.stderr
    assert "needs more than 2048 MB of memory" in run.stderr


def test_javascript_and_attachment_are_inert(generated) -> None:
    _, run = generated["javascript-attachment.pdf"]
    assert run.rc == 0, run.stderr
    record = check_record(run, "javascript-attachment.pdf")
    text = json.dumps(record, ensure_ascii=False)
    assert "VANTHU-ATTACHMENT-PAYLOAD" not in text and "VANTHU-JS-RAN" not in text
    assert "payload.sh" not in text
    assert record["issuer"]  # the page's text was read
    assert not Path("/tmp/vanthu-pwned").exists()


def test_encrypted_message_says_how_to_decrypt(generated) -> None:
    _, run = generated["encrypted-user-password.pdf"]
    assert run.rc == ExitCode.ENCRYPTED
    assert "encrypted" in run.stderr and "qpdf --decrypt" in run.stderr


def test_docx_message_hints_conversion(generated) -> None:
    _, run = generated["docx-named.pdf"]
    assert "convert .docx to PDF first" in run.stderr


def test_pixel_bomb_refused_by_its_size(generated) -> None:
    _, run = generated["bomb-30000x30000.png"]
    assert run.rc == ExitCode.TOO_LARGE, run.stderr
    assert "30000x30000" in run.stderr or "megapixel" in run.stderr or "bomb" in run.stderr


NOT_LETTERS = [c.name for c in CASES if ExitCode.NOT_A_LETTER in c.expect]


@pytest.mark.parametrize("name", NOT_LETTERS)
def test_not_a_letter_is_its_own_outcome(generated, name: str) -> None:
    _, run = generated[name]
    if run.rc == ExitCode.NO_TEXT:  # a photo or blank scan on which OCR read nothing
        return
    assert run.rc == ExitCode.NOT_A_LETTER, run.stderr
    assert "no official letter found" in run.stderr


def test_plain_text_named_pdf_is_not_a_letter(generated) -> None:
    _, run = generated["two-lines-named.pdf"]
    assert run.rc == ExitCode.NOT_A_LETTER, run.stderr
    assert not run.out.exists() or not any(run.out.iterdir())


@pytest.mark.parametrize("name", ["header-torn.md", "body-only.md"])
def test_a_letter_that_lost_its_header_is_still_a_partial_record(generated, name: str) -> None:
    _, run = generated[name]
    assert run.rc == 0, run.stderr
    record = check_record(run, name)
    assert "Không tìm thấy dòng số, ký hiệu (Số: …)" in record["warnings"]
    assert any("ngày ban hành" in w for w in record["warnings"])


def _walk(assignments: list[dict]):
    stack = [(0, a) for a in assignments]
    while stack:
        depth, a = stack.pop()
        yield depth, a
        stack.extend((depth + 1, c) for c in a["children"])


@pytest.mark.parametrize(
    ("name", "items", "depth", "warning"),
    [
        ("repeated-first-page-200.pdf", None, None, "bắt đầu lại từ 1"),
        ("items-restarting-400.md", 1200, 2, "bắt đầu lại từ 1"),
        ("items-2000.md", 2000, 2, None),
        ("items-nested-50.md", 51, 50, None),
    ],
)
def test_deep_and_long_documents_are_read(generated, name, items, depth, warning) -> None:
    _, run = generated[name]
    assert run.rc == 0, run.stderr
    record = check_record(run, name)
    walked = list(_walk(record["assignments"]))
    assert record["assignments"] and record["tasks"]
    if items is not None:
        assert len(walked) == items
        assert max(d for d, _ in walked) + 1 == depth
    if warning:
        assert any(warning in w for w in record["warnings"]), record["warnings"]


def test_five_hundred_pages_are_read(generated) -> None:
    _, run = generated["pages-500.pdf"]
    assert run.rc == 0, run.stderr
    assert check_record(run, "pages-500.pdf")["source"]["pages"] == 500


# --------------------------------------------------------------------- ../shared/hostile
def _manifest() -> dict:
    path = SHARED / "hostile" / "MANIFEST.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


@pytest.fixture(scope="session")
def shared_runs(tmp_path_factory) -> dict[str, Run]:
    shared_dir("hostile")
    manifest = _manifest()
    root = tmp_path_factory.mktemp("shared-hostile")
    return run_all([(name, SHARED / "hostile" / name) for name in manifest], root)


@pytest.mark.parametrize("name", sorted(_manifest()) or ["(absent)"])
def test_shared_hostile_pdf(shared_runs, name: str) -> None:
    entry = _manifest()[name]
    run = shared_runs[name]
    assert run.before == run.after, "the input was modified"
    if run.rc == 0:
        record = check_record(run, name)
        outcome = "partial" if record["warnings"] else "ok"
        assert outcome in entry["accept"] or "ok" in entry["accept"], (outcome, entry)
    else:
        assert "error" in entry["accept"], f"{name}: exit {run.rc}; {run.stderr}"
        check_error_line(run)
        assert run.rc != ExitCode.INTERNAL


def test_shared_bad_encryption_is_reported_as_encrypted(shared_runs) -> None:
    run = shared_runs.get("qpdf_bad-encryption-length_bad-crypt-dict.pdf")
    if run is None:
        pytest.skip("not in the manifest")
    assert run.rc == ExitCode.ENCRYPTED, run.stderr
    assert "encrypt" in run.stderr


# ------------------------------------------------------------------------- file names
TRICKY_NAMES = [
    "-leading dash.md",
    "with  two spaces.md",
    "Công văn số 1 'khẩn' \"mới\".md",
    "--out.md",
    "$(touch pwned).md",
    "tab\there.md",
]


def test_tricky_file_names(tmp_path: Path) -> None:
    src = SAMPLES / "seed-cv-ubnd-langson.md"
    folder = tmp_path / "thư mục có dấu"
    folder.mkdir()
    paths = []
    for name in TRICKY_NAMES:
        (folder / name).write_bytes(src.read_bytes())
        paths.append(folder / name)
    empty = folder / "-rỗng 'trống'.pdf"
    empty.touch()
    out = tmp_path / "kết quả"
    proc = subprocess.run(
        [*vanthu_command(), "extract", "--out", str(out), "--", *map(str, paths), str(empty)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=300,
        cwd=tmp_path,
    )
    assert proc.returncode == ExitCode.EMPTY_FILE, proc.stderr
    lines = [ln for ln in proc.stderr.splitlines() if ln.strip()]
    assert lines == [f"vanthu: {empty}: the file is empty (0 bytes) (was it copied completely?)"]
    for name in TRICKY_NAMES:
        record = json.loads((out / (Path(name).stem + ".json")).read_text(encoding="utf-8"))
        assert record["source"]["file"] == name
        assert record["issuer"] == "ỦY BAN NHÂN DÂN THÀNH PHỐ LẠNG SƠN"
    assert not (tmp_path / "pwned").exists()
    assert sorted(p.name for p in folder.iterdir()) == sorted([*TRICKY_NAMES, empty.name])


def test_leading_dash_as_relative_path(tmp_path: Path) -> None:
    (tmp_path / "-x.md").write_bytes((SAMPLES / "seed-cv-ubnd-langson.md").read_bytes())
    proc = subprocess.run(
        [*vanthu_command(), "extract", "./-x.md"],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=300,
        cwd=tmp_path,
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["source"]["file"] == "-x.md"


# ------------------------------------------------------------------ links and FIFOs
def test_symlink_and_fifo_refused(tmp_path: Path) -> None:
    target = tmp_path / "outside" / "letter.md"
    target.parent.mkdir()
    target.write_bytes((SAMPLES / "seed-cv-ubnd-langson.md").read_bytes())
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    link = inbox / "link.md"
    link.symlink_to(target)
    fifo = inbox / "pipe.pdf"
    os.mkfifo(fifo)
    proc = subprocess.run(
        [*vanthu_command(), "extract", str(link), str(fifo)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
    )
    assert proc.returncode == ExitCode.UNSUPPORTED_FORMAT, proc.stderr
    lines = [ln for ln in proc.stderr.splitlines() if ln.strip()]
    assert len(lines) == 2, proc.stderr
    assert str(link) in lines[0] and "symbolic link" in lines[0]
    assert str(fifo) in lines[1] and "not a regular file" in lines[1]
    assert proc.stdout == ""


@pytest.mark.parametrize("name", ["exif-rotated.jpg", "multipage.tiff"])
def test_scans_are_read_upright(generated, name: str) -> None:
    """The EXIF-rotated photo and the 2-page TIFF reach OCR upright: the sample's number
    and issuer come back (a sideways page gives neither)."""
    _, run = generated[name]
    assert run.rc == 0, run.stderr
    record = check_record(run, name)
    assert record["source"]["text_source"] == "ocr"
    assert record["number_symbol"] == "88/TB-SNV"
    assert record["source"]["pages"] == (2 if name.endswith(".tiff") else 1)


def test_one_bad_page_is_named_not_lost(generated) -> None:
    """Page 2's content stream is garbage: pages 1 and 3 are read, page 2 is named in a
    warning (before, the whole PDF failed as damaged)."""
    _, run = generated["one-bad-page.pdf"]
    assert run.rc == 0, run.stderr
    record = check_record(run, "one-bad-page.pdf")
    assert record["source"]["pages"] == 3
    assert any(w.startswith("Trang 2: ") for w in record["warnings"]), record["warnings"]
    assert not any(w.startswith(("Trang 1:", "Trang 3:")) for w in record["warnings"])
    assert record["number_symbol"] == "123/UBND-VX"


def test_pdfplumber_names_the_page_it_cannot_parse(generated) -> None:
    """The second reader (pdfminer) raises on page 2 only: that page goes to OCR with a
    warning saying why; pages 1 and 3 keep their text."""
    from vanthu.pipeline.read.detect import load_input
    from vanthu.pipeline.read.pdf import _pdfplumber_pages
    from vanthu.pipeline.settings import Settings

    case, _ = generated["one-bad-page.pdf"]
    pages = _pdfplumber_pages(load_input(case.path), Settings().limits.max_pages)
    assert [p.source for p in pages] == ["text-layer", "ocr", "text-layer"]
    assert pages[1].warnings == ("Trang 2: không đọc được lớp chữ của PDF (lỗi IndexError), trang được đọc bằng OCR",)


# ------------------------------------------------------------------ the exit-code table
def test_readme_exit_code_table_matches_the_codes() -> None:
    """Every ExitCode has its row in the README table, and the table has no other row;
    every error class maps to one of them."""
    import re

    from vanthu.pipeline import errors

    readme = (SAMPLES.parent / "README.md").read_text(encoding="utf-8")
    table = readme[readme.index("## Exit codes") :]
    table = table[: table.index("\n\n", table.index("|---|"))]
    rows = [int(m) for m in re.findall(r"^\| (\d+) \|", table, re.MULTILINE)]
    assert rows == sorted(int(c) for c in ExitCode)
    classes = [c for c in vars(errors).values() if isinstance(c, type) and issubclass(c, errors.VanthuError)]
    assert {c.exit_code for c in classes} <= set(ExitCode)
    assert {c.exit_code for c in classes} >= set(ExitCode) - {ExitCode.OK, ExitCode.SOME_FAILED}


def test_output_not_writable(tmp_path: Path) -> None:
    blocker = tmp_path / "a file"
    blocker.write_text("not a folder")
    proc = subprocess.run(
        [*vanthu_command(), "extract", "--out", str(blocker / "out"), str(SAMPLES / "seed-cv-ubnd-langson.md")],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=300,
    )
    assert proc.returncode == ExitCode.OUTPUT_NOT_WRITABLE, proc.stderr
    lines = [ln for ln in proc.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1 and str(blocker) in lines[0] and "cannot write" in lines[0], proc.stderr
