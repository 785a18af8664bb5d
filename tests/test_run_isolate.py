"""Isolation (``run.isolate``, ``run.worker``): a worker per document with a timeout;
typed errors cross the process boundary; the batch goes on, in order; the worker is
killed when its time is up or its caller is gone."""

from __future__ import annotations

import json
import os
import pickle
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import SAMPLES
from tests.test_hostile import run_extract, vanthu_command
from vanthu.cli import main
from vanthu.pipeline import errors
from vanthu.pipeline.errors import ExitCode, VanthuError
from vanthu.pipeline.run.isolate import _context, _Job, extract_many
from vanthu.pipeline.settings import LimitSettings, Settings
from vanthu.samplegen.pdfbytes import text_pdf

GOOD_MD = SAMPLES / "seed-cv-ubnd-langson.md"


@pytest.fixture(scope="module")
def long_pdf(tmp_path_factory) -> Path:
    """200 text pages: reading it takes several seconds."""
    path = tmp_path_factory.mktemp("long") / "long.pdf"
    path.write_bytes(text_pdf(200))
    return path


# ------------------------------------------------------------------------- errors
@pytest.mark.parametrize(
    "cls", [c for c in vars(errors).values() if isinstance(c, type) and issubclass(c, VanthuError)]
)
def test_every_error_crosses_a_process_boundary(cls) -> None:
    exc = cls("/in/x y.pdf", "some reason", hint="do this")
    back = pickle.loads(pickle.dumps(exc))
    assert type(back) is cls
    assert (back.path, back.reason, back.hint, back.exit_code) == (
        "/in/x y.pdf",
        "some reason",
        "do this",
        cls.exit_code,
    )
    assert back.line() == exc.line() == "/in/x y.pdf: some reason (do this)"


def test_internal_error_keeps_the_child_traceback() -> None:
    exc = errors.InternalError("a.pdf", "internal error KeyError: 'x'", detail="Traceback …\nKeyError: 'x'\n")
    back = pickle.loads(pickle.dumps(exc))
    assert back.detail == exc.detail and back.exit_code == ExitCode.INTERNAL
    assert "--debug" in back.line()


# ------------------------------------------------------------------------- deadlines
def test_timeout(long_pdf: Path, tmp_path: Path) -> None:
    # (reading it takes about 2 s; the limit is 0.5 s + 1 ms a page after the first, 0.699 s)
    run = run_extract(long_pdf, tmp_path / "out", "--timeout", "0.5", "--timeout-per-page", "0.001")
    assert run.rc == ExitCode.TIMED_OUT, run.stderr
    # (on a loaded machine the limit may strike before the worker has counted the pages:
    # then it is the first limit alone, without "for 200 pages")
    [line] = run.err_lines()
    assert re.fullmatch(
        rf"vanthu: {re.escape(str(long_pdf))}: reading took longer than (0\.699 s for 200 pages|0\.5 s) and was "
        r"stopped \(raise the limit with --timeout \(or VANTHU_TIMEOUT\) if the file is just long\)",
        line,
    ), line
    assert run.seconds < 60


def test_timeout_grows_with_the_page_count(long_pdf: Path) -> None:
    """The worker reports the page count first; the deadline becomes 3 s + 0.5 s for
    each further page (test_timeout shows a short limit stops this PDF)."""
    job = _Job(_context(), long_pdf, Settings(limits=LimitSettings(timeout_s=3, timeout_per_page_s=0.5)))
    try:
        while job.pages == 0:
            assert job.check(time.monotonic()) is None
            time.sleep(0.05)
        assert job.pages == 200
        assert job.deadline - job.started == pytest.approx(3 + 0.5 * 199)
    finally:
        job.abandon()


def test_timed_out_worker_is_killed(long_pdf: Path) -> None:
    job = _Job(_context(), long_pdf, Settings(limits=LimitSettings(timeout_s=0.5, timeout_per_page_s=0)))
    outcome = None
    while outcome is None:
        time.sleep(0.1)
        outcome = job.check(time.monotonic())
    assert isinstance(outcome, errors.TimedOut)
    assert not job.proc.is_alive()
    with pytest.raises(ProcessLookupError):
        os.kill(job.proc.pid, 0)


@pytest.mark.parametrize(
    ("sig", "error", "words"),
    [
        (signal.SIGSEGV, errors.ReaderCrashed, "crashed (SIGSEGV)"),
        (signal.SIGKILL, errors.TooLarge, "killed (SIGKILL), most likely out of memory"),
    ],
)
def test_worker_killed_by_a_signal(long_pdf: Path, sig: int, error: type, words: str) -> None:
    job = _Job(_context(), long_pdf, Settings())
    time.sleep(0.5)
    os.kill(job.proc.pid, sig)
    outcome = None
    while outcome is None:
        time.sleep(0.05)
        outcome = job.check(time.monotonic())
    assert type(outcome) is error and words in outcome.reason, outcome.line()
    assert str(long_pdf) in outcome.line()


# ------------------------------------------------------------------------- batches
def test_batch_keeps_input_order_and_goes_on(tmp_path: Path) -> None:
    slow = tmp_path / "slow.pdf"
    slow.write_bytes(text_pdf(30))
    empty = tmp_path / "empty.pdf"
    empty.touch()
    outcomes = list(extract_many([slow, empty, GOOD_MD], Settings(), workers=2))
    assert [p for p, _ in outcomes] == [slow, empty, GOOD_MD]
    assert outcomes[0][1].source.pages == 30
    assert isinstance(outcomes[1][1], errors.EmptyFile)
    assert outcomes[2][1].issuer == "ỦY BAN NHÂN DÂN THÀNH PHỐ LẠNG SƠN"


def test_cli_jsonl_order_with_two_workers(tmp_path: Path) -> None:
    slow = tmp_path / "slow.pdf"
    slow.write_bytes(text_pdf(30))
    proc = subprocess.run(
        [*vanthu_command(), "extract", "--jsonl", "--workers", "2", str(slow), str(GOOD_MD)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    files = [json.loads(line)["source"]["file"] for line in proc.stdout.splitlines()]
    assert files == ["slow.pdf", GOOD_MD.name]


def test_no_isolation_gives_the_same_outcomes(tmp_path: Path, capsys) -> None:
    empty = tmp_path / "empty.pdf"
    empty.touch()
    for flags in ([], ["--no-isolation"]):
        assert main(["extract", *flags, "--jsonl", str(GOOD_MD), str(empty)]) == ExitCode.EMPTY_FILE
        out, err = capsys.readouterr()
        assert json.loads(out)["source"]["file"] == GOOD_MD.name
        assert err.splitlines() == [f"vanthu: {empty}: the file is empty (0 bytes) (was it copied completely?)"]


def test_internal_error_traceback_only_with_debug(monkeypatch, capsys) -> None:
    from vanthu.pipeline import extract

    def broken(path, settings=None):
        raise KeyError("boom")

    monkeypatch.setattr(extract, "extract_file", broken)
    assert main(["extract", "--no-isolation", str(GOOD_MD)]) == ExitCode.INTERNAL
    err = capsys.readouterr().err
    assert err.splitlines() == [
        f"vanthu: {GOOD_MD}: internal error KeyError: 'boom' (please report it; run with --debug for details)"
    ]
    assert main(["--debug", "extract", "--no-isolation", str(GOOD_MD)]) == ExitCode.INTERNAL
    err = capsys.readouterr().err
    assert "Traceback" in err and 'raise KeyError("boom")' in err
    assert err.splitlines()[-1].startswith(f"vanthu: {GOOD_MD}: internal error KeyError")


def test_isolated_parent_stays_light() -> None:
    """The batch's parent process only hands out files: the parsers and NLP engines are
    loaded in the workers, never in it."""
    code = (
        "import sys, io, contextlib, json\nfrom vanthu.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()) as out:\n    rc = main(['extract', sys.argv[1]])\n"
        "heavy = [m for m in ('spacy', 'underthesea', 'pypdfium2', 'pdfplumber', 'cv2', 'prefect') "
        "if m in sys.modules]\nprint(rc, json.loads(out.getvalue())['issuer'], heavy)"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code, str(SAMPLES / "tb-so-2024-88.pdf")],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "0 SỞ NỘI VỤ []"


def test_documents_share_the_cores_and_the_last_of_a_batch_takes_them_all(monkeypatch):
    from vanthu.pipeline.run import isolate

    monkeypatch.setattr(isolate.os, "cpu_count", lambda: 4)
    assert isolate._ocr_workers(waiting=3, workers=2) == 2  # two documents, two cores each
    assert isolate._ocr_workers(waiting=5, workers=8) == 1
    assert isolate._ocr_workers(waiting=0, workers=2) == 4  # nothing left to start: every core

    given = []
    real_init = isolate._Job.__init__

    def record(self, ctx, path, settings, ocr_workers=None, **kwargs):
        given.append(ocr_workers)
        real_init(self, ctx, path, settings, ocr_workers=ocr_workers, **kwargs)

    monkeypatch.setattr(isolate._Job, "__init__", record)
    results = list(extract_many([GOOD_MD] * 4, Settings(), workers=2))
    assert [type(r).__name__ for _, r in results] == ["DispatchRecord"] * 4
    assert given == [2, 2, 2, 4]  # a share while others wait; the last one, every core


def test_worker_does_not_import_the_callers_main_module(tmp_path: Path) -> None:
    """A Prefect worker's flow run has ``prefect.engine`` as ``__main__``: a worker that
    imported it again per letter took 14 s instead of 0.45 s."""
    mark = tmp_path / "main-imported"
    script = tmp_path / "heavy_main.py"
    script.write_text(
        "import os, sys\n"
        "if __name__ != '__main__':\n"
        f"    open({str(mark)!r}, 'a').write(__name__ + '\\n')\n"
        "from vanthu.pipeline.run.isolate import extract_isolated\n"
        "from vanthu.pipeline.settings import load_settings\n"
        "if __name__ == '__main__':\n"
        f"    record = extract_isolated({str(GOOD_MD)!r}, load_settings(), warm=False)\n"
        "    print(record.number_symbol)\n",
        encoding="utf-8",
    )
    proc = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "/UBND-NV"
    assert not mark.exists(), mark.read_text()


# ------------------------------------------------------------------- shutting down
def _session_members(sid: int) -> list[str]:
    """The processes (pid and name) of session ``sid`` still alive."""
    left = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2 :].split()
        if int(fields[3]) == sid and fields[0] != "Z":  # field 6 of stat: the session
            left.append(stat[: stat.rindex(")") + 1])
    return left


@pytest.mark.parametrize(
    "args",
    [["extract", "-q", str(GOOD_MD)], ["extract", "-q", "--workers", "2", str(GOOD_MD), str(GOOD_MD)]],
    ids=["one document", "a batch"],
)
def test_no_process_of_the_run_outlives_the_command(args: list[str], tmp_path: Path) -> None:
    proc = subprocess.Popen(
        [*vanthu_command(), *args], start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    _, err = proc.communicate(timeout=300)
    assert proc.returncode == 0, err
    left = _session_members(proc.pid)  # the command's session: it, the forkserver, the workers
    for line in left:  # (do not leave them behind for the next test)
        os.kill(int(line.split()[0]), signal.SIGKILL)
    assert left == [], "processes outlived the command (the forkserver or a worker)"


def test_shutdown_stops_the_forkserver_and_a_new_one_starts(tmp_path: Path) -> None:
    from multiprocessing import forkserver

    from vanthu.pipeline.run.isolate import shutdown

    settings = Settings()
    assert [type(o).__name__ for _, o in extract_many([GOOD_MD, GOOD_MD], settings)] == ["DispatchRecord"] * 2
    server = forkserver._forkserver._forkserver_pid
    assert server is not None and Path(f"/proc/{server}").exists()
    shutdown()
    assert forkserver._forkserver._forkserver_pid is None
    assert not Path(f"/proc/{server}").exists()  # waited for: not even a zombie
    shutdown()  # twice is harmless
    assert [type(o).__name__ for _, o in extract_many([GOOD_MD, GOOD_MD], settings)] == ["DispatchRecord"] * 2
    shutdown()


def _send_freeze_count(conn) -> None:
    import gc

    conn.send(gc.get_freeze_count())
    conn.close()


def test_workers_start_with_the_warm_pipeline_out_of_the_collectors_sight() -> None:
    """The warm forkserver freezes what it loaded (``run.preload.freeze``): a worker's
    garbage collections skip those objects and leave the pages that hold them shared."""
    from vanthu.pipeline.run.isolate import shutdown

    shutdown()  # (an earlier test may have started a forkserver that is not warm)
    try:
        ctx = _context(warm=True)
        ours, theirs = ctx.Pipe()
        worker = ctx.Process(target=_send_freeze_count, args=(theirs,))
        worker.start()
        frozen = ours.recv()
        worker.join()
    finally:
        shutdown()
    assert frozen > 10_000
