"""``vanthu watch`` end to end: a real watcher subprocess (local temporary Prefect server)
on a temporary tree; 30 files dropped (valid letters, a scan, broken files, exact
duplicates, one written slowly in chunks); a SIGKILL in the middle of a batch."""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
import time
import zipfile
from pathlib import Path

import pytest

from tests.conftest import SAMPLES

IGNORED = {"later.pdf.part", ".hidden.pdf", "~$draft.docx"}


def _renderer():
    from tests.conftest import load_renderer

    return load_renderer()


@pytest.fixture(scope="module")
def letters(tmp_path_factory) -> dict[str, list[Path]]:
    """Valid digital letters (distinct bytes), one scan, broken files."""
    rl = _renderer()
    d = tmp_path_factory.mktemp("letters")
    valid = [p for p in sorted(SAMPLES.glob("*.pdf"))] + [SAMPLES / "seed-cv-ubnd-langson.md"]
    for i in range(13):
        src = sorted((SAMPLES / "src").glob("*.json"))[i % 3]
        layout = json.loads(src.read_text(encoding="utf-8"))
        prefix, _, rest = layout["number_line"].partition("/")
        layout["number_line"] = f"Số: {100 + i}/{rest}"
        out = d / f"r{i:02d}-{src.stem}.pdf"
        rl.render_letter(layout, out)
        valid.append(out)

    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(SAMPLES / "tb-so-2024-88.pdf"))
    image = pdf[0].render(scale=150 / 72).to_pil().convert("L")
    scan = d / "scan-tb-88.pdf"
    image.save(scan, "PDF", resolution=150)

    good = (SAMPLES / "tb-so-2024-88.pdf").read_bytes()
    broken = {
        "empty.pdf": b"",
        "truncated.pdf": good[: len(good) // 3],
        "garbage.pdf": bytes(range(256)) * 40,
        "header-only.pdf": b"%PDF-1.7\n%%EOF\n",
    }
    zbuf = io.BytesIO()
    with zipfile.ZipFile(zbuf, "w") as z:
        z.writestr("word/document.xml", "<w:document/>")
    broken["letter.docx"] = zbuf.getvalue()
    broken["photo.png"] = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64  # a PNG signature and nothing else
    paths = []
    for name, data in broken.items():
        (d / name).write_bytes(data)
        paths.append(d / name)
    return {"valid": valid, "scan": [scan], "broken": paths}


def start_watch(root: Path, *extra: str, api: str | None = None, lang: str = "en") -> subprocess.Popen:
    """A watcher subprocess (in ``lang``); without ``api`` it starts its own temporary Prefect server."""
    env = {**os.environ, "PYTHONUNBUFFERED": "1", "VANTHU_LANG": lang}
    env.pop("PREFECT_API_URL", None)
    if api:
        env["PREFECT_API_URL"] = api
    log = open(root.parent / f"watch-{time.monotonic_ns()}.log", "w")
    proc = subprocess.Popen(
        [sys.executable, "-m", "vanthu.cli", "watch", str(root), "--settle", "1", "--rescan", "2", "--create", *extra],
        stdout=log,
        stderr=subprocess.STDOUT,
        env=env,
        cwd=root.parent,
    )
    proc.log = Path(log.name)  # type: ignore[attr-defined]
    return proc


def wait_for(cond, timeout: float, proc: subprocess.Popen | None = None, what: str = "") -> None:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if cond():
            return
        if proc is not None and proc.poll() is not None:
            raise AssertionError(f"watcher exited early ({proc.returncode}) waiting for {what}")
        time.sleep(0.25)
    raise AssertionError(f"timed out waiting for {what}")


def files(folder: Path) -> list[Path]:
    return (
        sorted(p for p in folder.iterdir() if not p.name.startswith(".") and not p.name.endswith(".error.json"))
        if folder.exists()
        else []
    )


def settled(root: Path, expected: int) -> bool:
    inbox = {p.name for p in files(root / "inbox")}
    return (
        not files(root / "processing")
        and inbox <= IGNORED
        and len(files(root / "done")) + len(files(root / "failed")) + len(files(root / "duplicates")) >= expected
    )


def slow_copy(src: Path, dst: Path, chunks: int = 8, pause: float = 0.35) -> None:
    data = src.read_bytes()
    step = len(data) // chunks + 1
    with open(dst, "wb") as fh:
        for i in range(0, len(data), step):
            fh.write(data[i : i + step])
            fh.flush()
            time.sleep(pause)


def check_invariant(root: Path, dropped: dict[str, bytes]) -> dict:
    """Nothing lost, nothing processed twice; every result where it should be."""
    import hashlib

    done, failed, dups = files(root / "done"), files(root / "failed"), files(root / "duplicates")
    assert not files(root / "processing")
    assert {p.name for p in files(root / "inbox")} <= IGNORED
    assert len(done) + len(failed) + len(dups) == len(dropped)
    # every dropped file ended in exactly one place, byte for byte
    ended = sorted(hashlib.sha256(p.read_bytes()).hexdigest() for p in done + failed + dups)
    assert ended == sorted(hashlib.sha256(b).hexdigest() for b in dropped.values())

    db = sqlite3.connect(root / "vanthu.db")
    db.row_factory = sqlite3.Row
    docs = {r["sha256"]: dict(r) for r in db.execute("SELECT * FROM documents")}
    # done/ holds each letter once; each has its JSON and its tasks in the store
    done_shas = [hashlib.sha256(p.read_bytes()).hexdigest() for p in done]
    assert len(done_shas) == len(set(done_shas)) == len(docs)
    for sha in done_shas:
        doc = docs[sha]
        record = json.loads(Path(doc["out_path"]).read_text(encoding="utf-8"))
        assert record["source"]["sha256"] == sha and doc["done_path"]
        stored = {r["task_id"] for r in db.execute("SELECT task_id FROM tasks WHERE sha256 = ?", (sha,))}
        assert stored == {t["task_id"] for t in record["tasks"]}
    assert db.execute("SELECT COUNT(*) FROM tasks").fetchone()[0] == sum(
        len(json.loads(Path(d["out_path"]).read_text())["tasks"]) for d in docs.values()
    )
    # every failure has its reason beside it
    for p in failed:
        err = json.loads(p.with_name(p.name + ".error.json").read_text(encoding="utf-8"))
        assert err["message"] and err["exit_code"] > 0 and err["error_class"] and err["time"]
    # duplicates: byte-identical to a letter in done/, recorded as such, never stored twice
    for p in dups:
        assert hashlib.sha256(p.read_bytes()).hexdigest() in docs
    runs = [dict(r) for r in db.execute("SELECT * FROM runs")]
    assert sum(r["outcome"] == "duplicate" for r in runs) == len(dups)
    return {"done": done, "failed": failed, "duplicates": dups, "docs": docs}


def before_server_teardown(log: str) -> str:
    """The watcher's log up to Prefect stopping its temporary server. On a loaded machine
    the server's own teardown may log SQLAlchemy's "Exception during reset" for a pooled
    connection cancelled mid-rollback (inside Prefect's server, after every flow run has
    finished): that is Prefect's, not the watcher's."""
    return log.split("Stopping temporary server", 1)[0]


def test_watch_thirty_files(tmp_path, letters):
    root = tmp_path / "root"
    proc = start_watch(root)
    try:
        wait_for(lambda: (root / "inbox").is_dir(), 60, proc, "the tree")
        dropped: dict[str, bytes] = {}

        def put(name: str, data: bytes) -> None:
            (root / "inbox" / name).write_bytes(data)
            dropped[name] = data

        # files already there before the first sweep, and files arriving later
        valid = letters["valid"]
        for p in valid[:8]:
            put(p.name, p.read_bytes())
        for name in IGNORED:
            (root / "inbox" / name).write_bytes(b"not yet")
        slow_src = valid[8]
        writer = threading.Thread(target=slow_copy, args=(slow_src, root / "inbox" / "slow-letter.pdf"))
        writer.start()
        dropped["slow-letter.pdf"] = slow_src.read_bytes()
        for p in valid[9:] + letters["scan"] + letters["broken"]:
            put(p.name, p.read_bytes())
        for p in valid[:3] + valid[-3:]:  # exact copies under other names
            put(f"copy-of-{p.name}", p.read_bytes())
        writer.join()
        assert len(dropped) == 30
        wait_for(lambda: settled(root, 30), 150, proc, "all 30 files")
        proc.send_signal(signal.SIGINT)
        assert proc.wait(60) == 0
        log = before_server_teardown(proc.log.read_text(encoding="utf-8"))
        # Prefect's ephemeral API: no UI, so no links; broken files are warnings, not errors
        assert "View at http" not in log and "Traceback" not in log and "| ERROR" not in log, log
        assert "| WARNING | Flow run" in log and "empty.pdf: failed" in log
        assert re.search(r"ingest \S+inbox: done \d+, failed \d+, duplicate \d+, retaken 0", log), log
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    result = check_invariant(root, dropped)
    done = {p.name for p in result["done"]}
    failed = {p.name for p in result["failed"]}
    dup_names = {p.name for p in result["duplicates"]}
    # each valid letter (or its copy) is done, the slow one included and read whole
    for p in valid[:8] + valid[9:]:
        assert p.name in done or f"copy-of-{p.name}" in done, p.name
    assert "slow-letter.pdf" in done
    slow_sha = next(s for s, d in result["docs"].items() if d["file"] == "slow-letter.pdf")
    assert result["docs"][slow_sha]["number_symbol"]
    assert len(dup_names) == 6
    # broken files fail with their reason; the scan fails with "no text" until OCR is there
    assert {p.name for p in letters["broken"]} <= failed
    reasons = {p.name: json.loads((root / "failed" / f"{p.name}.error.json").read_text()) for p in letters["broken"]}
    assert reasons["empty.pdf"]["error_class"] == "EmptyFile" and reasons["empty.pdf"]["exit_code"] == 5
    assert reasons["truncated.pdf"]["exit_code"] == 6
    assert reasons["letter.docx"]["exit_code"] == 4
    assert all(r["message"].startswith(name + ": ") for name, r in reasons.items())
    scan = letters["scan"][0].name
    if scan in failed:
        err = json.loads((root / "failed" / f"{scan}.error.json").read_text())
        assert err["exit_code"] in (10, 11)
    else:
        assert scan in done
    assert {p.name for p in (root / "inbox").iterdir()} == IGNORED  # left alone


@pytest.fixture
def shared_api(prefect_api):
    """One Prefect server for the three watchers of a test (each would start one)."""
    return prefect_api


def test_watch_stops_cleanly_then_survives_sigkill(tmp_path, letters, shared_api):
    root = tmp_path / "root"
    (root / "inbox").mkdir(parents=True)
    dropped: dict[str, bytes] = {}
    for p in letters["valid"] + letters["broken"][:2]:
        (root / "inbox" / p.name).write_bytes(p.read_bytes())
        dropped[p.name] = p.read_bytes()

    # Ctrl-C in the middle of the batch: the current letter is finished, the rest wait
    first = start_watch(root, api=shared_api)
    try:
        wait_for(lambda: len(files(root / "done")) >= 1, 120, first, "the first letter")
        first.send_signal(signal.SIGINT)
        assert first.wait(60) == 0
    finally:
        if first.poll() is None:
            first.kill()
            first.wait()
    assert not list((root / "processing").iterdir())  # no claim left behind, no marker either
    assert files(root / "inbox"), "the batch ended before Ctrl-C; nothing was interrupted"
    done_before = len(files(root / "done"))

    # SIGKILL in the middle of the batch: whatever was claimed is put back on restart
    second = start_watch(root, api=shared_api)
    try:
        wait_for(lambda: len(files(root / "done")) >= done_before + 2, 120, second, "more letters")
        second.send_signal(signal.SIGKILL)
        second.wait(10)
    finally:
        if second.poll() is None:
            second.kill()
    left = len(files(root / "inbox")) + len(files(root / "processing"))
    assert left > 0, "the batch ended before the kill; nothing was interrupted"
    third = start_watch(root, "--once", api=shared_api)
    try:
        assert third.wait(150) == 0
    finally:
        if third.poll() is None:
            third.kill()
            third.wait()
    check_invariant(root, dropped)
    assert not any(p.name.endswith(".claim") for p in (root / "processing").iterdir())


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("tesseract") is None, reason="Tesseract is not installed")
def test_watch_pdf_writes_a_searchable_pdf_beside_the_json_of_each_letter_with_pages(tmp_path):
    import pypdfium2 as pdfium

    root = tmp_path / "root"
    (root / "inbox").mkdir(parents=True)
    for name, src in (
        ("quét.pdf", _scan_of_sample(tmp_path)),
        ("tb-so-2024-88.pdf", SAMPLES / "tb-so-2024-88.pdf"),
        ("seed.md", SAMPLES / "seed-cv-ubnd-langson.md"),
    ):
        (root / "inbox" / name).write_bytes(src.read_bytes())
    proc = start_watch(root, "--once", "--pdf")
    try:
        assert proc.wait(300) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    out = root / "out"
    assert sorted(p.name for p in files(out)) == [
        "quét.json",
        "quét.pdf",
        "seed.json",
        "tb-so-2024-88.json",
        "tb-so-2024-88.pdf",
    ]
    assert (out / "tb-so-2024-88.pdf").read_bytes() == (SAMPLES / "tb-so-2024-88.pdf").read_bytes()
    doc = pdfium.PdfDocument(str(out / "quét.pdf"))
    text = doc[0].get_textpage().get_text_range()
    doc.close()
    assert "Giám đốc Sở" in " ".join(text.split()), text
    assert len(files(root / "done")) == 3 and not files(root / "failed")


def _scan_of_sample(folder: Path) -> Path:
    """Page 1 of the sample letter as an image-only PDF (150 dpi, grey)."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(SAMPLES / "tb-so-2024-88.pdf"))
    image = pdf[0].render(scale=150 / 72).to_pil().convert("L")
    pdf.close()
    scan = folder / "scan.pdf"
    image.save(scan, "PDF", resolution=150)
    return scan


def test_watch_in_vietnamese_writes_the_reasons_of_failed_files_in_vietnamese(tmp_path, prefect_api):
    """VANTHU_LANG=vi: the reason and the hint in failed/<name>.error.json (translated in the
    reading process, which takes the language from the settings) and `letters --failed`."""
    from vanthu.pipeline.i18n import translator

    vi = translator("vi")
    root = tmp_path / "root"
    (root / "inbox").mkdir(parents=True)
    (root / "inbox" / "trống.pdf").write_bytes(b"")
    (root / "inbox" / "hỏng.pdf").write_bytes(b"%PDF-1.4 garbage")
    proc = start_watch(root, "--once", api=prefect_api, lang="vi")
    try:
        assert proc.wait(300) == 0, proc.log.read_text()  # type: ignore[attr-defined]
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    empty = json.loads((root / "failed" / "trống.pdf.error.json").read_text(encoding="utf-8"))
    assert empty["message"] == f"trống.pdf: {vi('the file is empty (0 bytes)')} ({vi('was it copied completely?')})"
    broken = json.loads((root / "failed" / "hỏng.pdf.error.json").read_text(encoding="utf-8"))
    assert broken["error_class"] == "CorruptInput"
    assert broken["message"].endswith(f"({vi('re-scan it, or export it again from the program that made it')})")
    listed = subprocess.run(
        [sys.executable, "-m", "vanthu.cli", "letters", str(root), "--failed"],
        capture_output=True,
        text=True,
        env={**os.environ, "VANTHU_LANG": "vi", "COLUMNS": "200"},
    )
    assert vi("reason") in listed.stdout and vi("the file is empty (0 bytes)") in listed.stdout
    assert listed.stdout.rstrip().endswith(vi("{n} failed file").format(n=2))


# ------------------------------------------------------------------ entry checks (no Prefect)


def test_watch_of_a_file_is_a_clear_error_not_a_traceback(tmp_path, capsys):
    from vanthu.cli import main
    from vanthu.pipeline.errors import ExitCode

    letter = tmp_path / "letter.pdf"
    letter.write_bytes(b"%PDF-1.4")
    assert main(["watch", str(letter)]) == ExitCode.USAGE
    err = capsys.readouterr().err
    assert (
        err.strip() == f"vanthu: {letter}: is a file, not a folder (give the folder that holds inbox/, out/, done/ …)"
    )
    assert letter.read_bytes() == b"%PDF-1.4"


def test_watch_refuses_a_root_without_inbox_unless_create(tmp_path, capsys):
    from vanthu.cli import main
    from vanthu.flows.inbox import FOLDERS
    from vanthu.flows.watch import checked_layout
    from vanthu.pipeline.errors import ExitCode

    typo = tmp_path / "vanthu-rooot"
    assert main(["watch", str(typo)]) == ExitCode.NOT_FOUND
    err = capsys.readouterr().err
    assert f"{typo}: does not exist; --create would create {typo / 'inbox'}, " in err and "--create" in err
    assert not typo.exists()  # a mistyped ROOT is not created
    (tmp_path / "existing").mkdir()
    assert main(["watch", str(tmp_path / "existing"), "--once"]) == ExitCode.NOT_FOUND
    assert "has no inbox folder" in capsys.readouterr().err
    layout = checked_layout(typo, None, create=True)
    assert all(getattr(layout, n).is_dir() for n in FOLDERS)
    assert f"created {typo / 'inbox'}" in capsys.readouterr().err


def test_watch_once_on_an_empty_inbox_starts_no_prefect(tmp_path):
    """``watch --once`` with nothing to do exits at once: it does not say it is watching,
    and neither Prefect nor its temporary server is started (no database appears in a
    fresh PREFECT_HOME)."""
    home = tmp_path / "prefect-home"
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
    env["PREFECT_HOME"] = str(home)
    proc = subprocess.run(
        [sys.executable, "-m", "vanthu.cli", "watch", str(tmp_path / "root"), "--create", "--once", "--settle", "0.1"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    assert "watching" not in proc.stderr and "once" in proc.stderr and "stopped" in proc.stderr
    assert not (home / "prefect.db").exists() and "View at" not in proc.stderr
    assert (tmp_path / "root" / "inbox").is_dir() and (tmp_path / "root" / ".vanthu-sweep.json").exists()


_GUARDED = """
import subprocess, sys, time
from vanthu.flows.watch import _guard
server = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)"])
_guard(server.pid)
print(server.pid, flush=True)
time.sleep(600)
"""


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def test_a_killed_watcher_leaves_no_prefect_api_behind():
    """Prefect's temporary API does not end with the process that started it; the guard
    the watcher starts beside it stops it when the watcher is killed by SIGKILL. (Here a
    sleeping process stands in for the API, started and guarded as the watcher does.)"""
    watcher = subprocess.Popen([sys.executable, "-c", _GUARDED], stdout=subprocess.PIPE, text=True)
    try:
        server = int(watcher.stdout.readline())
        assert _alive(server)
        watcher.send_signal(signal.SIGKILL)
        watcher.wait(10)
        wait_for(lambda: not _alive(server), 30, None, "the API to end with its watcher")
    finally:
        if watcher.poll() is None:
            watcher.kill()
            watcher.wait()
