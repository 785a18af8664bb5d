"""vanthu.output: the one place where errors become exit codes and ``vanthu: …`` lines,
and the atomic writes of results."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from vanthu.output import INTERRUPTED, exit_code_for, report, run_reported, write_atomic
from vanthu.pipeline.errors import (
    CorruptInput,
    ExitCode,
    InternalError,
    OutputNotWritable,
    TimedOut,
    UsageError,
)


def test_exit_code_for_one_kind_or_several() -> None:
    assert exit_code_for([]) == ExitCode.OK
    assert exit_code_for([ExitCode.TIMED_OUT, ExitCode.TIMED_OUT]) == ExitCode.TIMED_OUT
    assert exit_code_for([ExitCode.TIMED_OUT, ExitCode.EMPTY_FILE]) == ExitCode.SOME_FAILED


def test_report_is_one_line_and_the_traceback_only_with_debug(capsys) -> None:
    exc = InternalError("a.pdf", "internal error KeyError: 'x'", detail="Traceback …\nKeyError: 'x'\n")
    assert report(exc) == ExitCode.INTERNAL
    assert capsys.readouterr().err == (
        "vanthu: a.pdf: internal error KeyError: 'x' (please report it; run with --debug for details)\n"
    )
    report(exc, debug=True)
    err = capsys.readouterr().err
    assert err.startswith("Traceback …\nKeyError: 'x'\n") and err.endswith("--debug for details)\n")


def test_run_reported_turns_errors_and_ctrl_c_into_codes(capsys) -> None:
    assert run_reported(lambda: 0) == 0

    def timed_out() -> int:
        raise TimedOut("slow.pdf", "reading took longer than 1 s and was stopped")

    assert run_reported(timed_out) == ExitCode.TIMED_OUT
    assert capsys.readouterr().err == "vanthu: slow.pdf: reading took longer than 1 s and was stopped\n"

    def bad_flag() -> int:
        raise UsageError("--dpi 5", "use 30 to 600")

    assert run_reported(bad_flag) == ExitCode.USAGE
    assert capsys.readouterr().err == "vanthu: --dpi 5: use 30 to 600\n"

    def interrupted() -> int:
        raise KeyboardInterrupt

    assert run_reported(interrupted) == INTERRUPTED == 130
    assert capsys.readouterr().err == "vanthu: interrupted\n"

    def bug() -> int:
        raise CorruptInput("x.pdf", "bad xref")

    assert run_reported(bug, debug=True) == ExitCode.CORRUPT
    err = capsys.readouterr().err
    assert "Traceback" in err and err.splitlines()[-1].startswith("vanthu: x.pdf: bad xref")


def test_write_atomic_writes_the_text_or_names_the_folder(tmp_path: Path) -> None:
    target = tmp_path / "sub" / "r.json"
    write_atomic(target, "{}\n")
    assert target.read_text(encoding="utf-8") == "{}\n"
    assert not [p for p in target.parent.iterdir() if p.name != "r.json"]  # no temporary file left
    blocker = tmp_path / "file"
    blocker.write_text("not a folder", encoding="utf-8")
    with pytest.raises(OutputNotWritable) as err:
        write_atomic(blocker / "r.json", "{}\n")
    assert err.value.exit_code == ExitCode.OUTPUT_NOT_WRITABLE
    assert err.value.line().startswith(f"{blocker / 'r.json'}: cannot write the result: ")


def test_output_imports_no_view_nor_prefect() -> None:
    import subprocess

    code = "import sys, vanthu.output; print(sorted(m for m in ('rich', 'jinja2', 'prefect') if m in sys.modules))"
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert proc.stdout.strip() == "[]", proc.stderr
