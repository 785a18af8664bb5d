"""Progress bars of ``extract``/``eval``/``review``: on a terminal only, never with --quiet."""

from __future__ import annotations

import io
import json
import re
import shutil
import sys
from pathlib import Path

import pytest
from rich.console import Console

from tests.conftest import SAMPLES
from vanthu.cli import main
from vanthu.views.progress import FileProgress, progress_enabled, track_files

SEED = SAMPLES / "seed-cv-ubnd-langson.md"


class Tty(io.StringIO):
    def isatty(self) -> bool:
        if self.closed:
            raise ValueError("I/O operation on closed file")
        return True


def _screen_lines(text: str) -> list[str]:
    """What a terminal shows: escape sequences dropped, each line after its last carriage return."""
    plain = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", text)
    return [ln.rsplit("\r", 1)[-1] for ln in plain.split("\n")]


def test_enabled_only_for_several_files_on_a_terminal() -> None:
    tty, pipe = Tty(), io.StringIO()
    assert progress_enabled(2, False, tty, tty)
    assert not progress_enabled(1, False, tty, tty)  # one file: nothing to track
    assert not progress_enabled(2, True, tty, tty)  # --quiet
    assert not progress_enabled(2, False, pipe, tty)  # stdout redirected
    assert not progress_enabled(2, False, tty, pipe)  # stderr redirected
    closed = Tty()
    closed.close()
    assert not progress_enabled(2, False, closed, tty)


@pytest.mark.parametrize("width", [60, 80, 140])
def test_bar_shows_count_rate_and_eta(width: int) -> None:
    out = io.StringIO()
    console = Console(file=out, force_terminal=True, width=width, color_system=None)
    seen = list(track_files([Path("a.pdf"), Path("b.pdf"), Path("c.pdf")], "extract", console=console))
    assert seen == [Path("a.pdf"), Path("b.pdf"), Path("c.pdf")]
    lines = [ln for ln in _screen_lines(out.getvalue()) if ln.strip()]
    assert lines and all(len(ln) <= width for ln in lines)
    last = lines[-1]  # one line, nothing wrapped or cut
    assert last.startswith("extract ") and " 3/3 " in last and "files/s ETA 0:00:00" in last


def test_disabled_bar_is_silent(capsys) -> None:
    with FileProgress(5, "eval", quiet=False) as bar:  # pytest's streams are not terminals
        assert not bar.enabled
        bar.start("x")
        bar.done()
    assert capsys.readouterr() == ("", "")


@pytest.fixture()
def two_letters(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    for name in ("a.md", "b.md"):
        shutil.copy(SEED, folder / name)
    return folder


def _run_on_fake_terminal(monkeypatch, argv: list[str]) -> tuple[int, str, str]:
    out, err = Tty(), Tty()
    monkeypatch.setattr(sys, "stdout", out)
    monkeypatch.setattr(sys, "stderr", err)
    code = main(argv)
    monkeypatch.undo()
    return code, out.getvalue(), err.getvalue()


def test_extract_on_a_terminal_shows_the_bar(two_letters: Path, tmp_path: Path, monkeypatch) -> None:
    code, out, err = _run_on_fake_terminal(monkeypatch, ["extract", str(two_letters), "--out", str(tmp_path / "o")])
    assert code == 0
    both = out + err
    assert "2/2" in both and "files/s" in both
    # the per-file lines still come through (printed above the bar)
    assert "a.md -> " in both and "b.md -> " in both
    assert json.loads((tmp_path / "o" / "a.json").read_text(encoding="utf-8"))["doc_type"] == "Công văn"


def test_extract_quiet_on_a_terminal(two_letters: Path, tmp_path: Path, monkeypatch) -> None:
    code, out, err = _run_on_fake_terminal(
        monkeypatch, ["extract", str(two_letters), "--out", str(tmp_path / "o"), "--quiet"]
    )
    assert code == 0
    assert "files/s" not in out + err and err == ""
    assert out.count(" -> ") == 2


def test_extract_jsonl_on_a_terminal_keeps_lines_whole(two_letters: Path, monkeypatch) -> None:
    code, out, err = _run_on_fake_terminal(monkeypatch, ["extract", str(two_letters), "--jsonl"])
    assert code == 0
    records = [json.loads(ln) for ln in _screen_lines(out + err) if ln.startswith("{")]
    assert [r["source"]["file"] for r in records] == ["a.md", "b.md"]


def test_extract_piped_has_no_bar(two_letters: Path, capsys) -> None:
    assert main(["extract", str(two_letters), "--jsonl"]) == 0
    out, err = capsys.readouterr()
    assert err == "" and "files/s" not in out
    assert len(out.splitlines()) == 2


def test_eval_on_a_terminal_shows_the_bar(two_letters: Path, monkeypatch) -> None:
    for name in ("a", "b"):
        (two_letters / f"{name}.truth.json").write_text('{"doc_type": "Công văn"}', encoding="utf-8")
    code, out, err = _run_on_fake_terminal(monkeypatch, ["eval", str(two_letters)])
    assert code == 0
    assert "2/2" in out + err and "files/s" in out + err
    assert "overall field accuracy: 1.000 (2 documents)" in out + err
    code, out, err = _run_on_fake_terminal(monkeypatch, ["eval", str(two_letters), "--quiet"])
    assert code == 0 and err == "" and "files/s" not in out
    assert "overall field accuracy: 1.000 (2 documents)" in out


def test_rate_and_eta_are_shown_from_the_first_file_on() -> None:
    from rich.progress import Progress

    from vanthu.views.progress import EtaColumn, RateColumn

    clock = [100.0]
    progress = Progress(get_time=lambda: clock[0])
    task_id = progress.add_task("extract", total=10)
    task = progress.tasks[0]
    assert RateColumn().render(task).plain == "– files/s"  # nothing done yet
    clock[0] += 2.0
    progress.advance(task_id)  # one slow file: rich's own speed would still be blank
    assert RateColumn().render(task).plain == "2.0 s/file"
    assert EtaColumn().render(task).plain == "0:00:18"
    clock[0] += 0.5
    progress.advance(task_id, 4)
    assert RateColumn().render(task).plain == "2.0 files/s"
