"""``vanthu letters``: the ingested letters (a letter without tasks too), and ``--failed``."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from tests.conftest import SAMPLES
from vanthu.cli import main
from vanthu.flows.inbox import Layout
from vanthu.flows.store import Run, default_url, open_store
from vanthu.models.record import DispatchRecord
from vanthu.pipeline.errors import ExitCode

SEED_EXPECTED = SAMPLES / "seed-cv-ubnd-langson.expected.json"
NO_TASKS_SHA = "b" * 64


@pytest.fixture
def root(tmp_path: Path) -> Path:
    """A tree with two letters in done/ (one with tasks, one without) and two failures:
    one the store recorded, one known only from its failed/<name>.error.json."""
    layout = Layout.under(tmp_path / "root").ensure()
    seed = DispatchRecord.model_validate_json(SEED_EXPECTED.read_text(encoding="utf-8"))
    data = json.loads(seed.to_json())
    data.update(id=f"sha256:{NO_TASKS_SHA}", tasks=[], subject="V/v mời họp", number_symbol="12/GM-UBND")
    data["source"].update(sha256=NO_TASKS_SHA, file="giay-moi.pdf")
    no_tasks = DispatchRecord.model_validate(data)
    with open_store(default_url(layout.root)) as db:
        for rec in (seed, no_tasks):
            db.save_document(rec, file=rec.source.file, out_path=str(layout.out / "x.json"))
            db.mark_done(rec.source.sha256, str(layout.done / rec.source.file))
        db.record_run(
            Run(
                file="hong.pdf",
                sha256="c" * 64,
                outcome="failed",
                path=str(layout.failed / "hong.pdf"),
                message="hong.pdf: the PDF cannot be parsed",
                error_class="CorruptInput",
                exit_code=6,
            )
        )
    (layout.failed / "notes.docx").write_bytes(b"PK")
    report = {"file": "notes.docx", "message": "notes.docx: unsupported, convert to PDF", "exit_code": 4}
    (layout.failed / "notes.docx.error.json").write_text(json.dumps(report), encoding="utf-8")
    return layout.root


def test_a_letter_without_tasks_is_listed(root: Path, capsys) -> None:
    assert main(["letters", str(root), "--format", "json"]) == ExitCode.OK
    rows = {r["number_symbol"]: r for r in json.loads(capsys.readouterr().out)}
    seed = json.loads(SEED_EXPECTED.read_text(encoding="utf-8"))
    assert set(rows) == {seed["number_symbol"], "12/GM-UBND"}
    assert rows["12/GM-UBND"]["tasks"] == 0 and rows["12/GM-UBND"]["status"] == "no tasks"
    assert rows["12/GM-UBND"]["done_path"] == str(root / "done" / "giay-moi.pdf")
    full = rows[seed["number_symbol"]]
    assert (full["tasks"], full["open_tasks"], full["status"]) == (len(seed["tasks"]), len(seed["tasks"]), "open")
    assert (full["issuer"], full["subject"], full["date"]) == (seed["issuer"], seed["subject"], seed["date"])


def test_letters_table_shows_number_issuer_subject_tasks_and_done_file(root: Path, capsys) -> None:
    from vanthu.letters import cmd_letters

    assert cmd_letters(root, width=200) == ExitCode.OK
    out = capsys.readouterr().out
    assert "12/GM-UBND" in out and "V/v mời họp" in out and "no tasks" in out
    assert "done/giay-moi.pdf" in out and out.rstrip().endswith("2 letters")
    assert max(len(line) for line in out.splitlines()) <= 200


def test_letters_csv_is_utf8_with_a_bom(root: Path, capsysbinary) -> None:
    assert main(["letters", str(root), "--format", "csv"]) == ExitCode.OK
    raw = capsysbinary.readouterr().out
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert {r["number_symbol"] for r in rows} >= {"12/GM-UBND"} and "ỦY BAN" in raw.decode("utf-8")


def test_failed_lists_the_store_failures_and_the_error_reports(root: Path, capsys) -> None:
    assert main(["letters", str(root), "--failed", "--format", "json"]) == ExitCode.OK
    rows = {r["file"]: r for r in json.loads(capsys.readouterr().out)}
    assert rows["hong.pdf"]["reason"] == "the PDF cannot be parsed"
    assert rows["notes.docx"]["reason"] == "unsupported, convert to PDF"
    assert rows["notes.docx"]["path"] == str(root / "failed" / "notes.docx")


def test_a_failure_in_the_store_and_in_failed_is_listed_once_from_a_relative_root(
    root: Path, capsys, monkeypatch
) -> None:
    """Regression: ``vanthu letters --failed`` run in ROOT (ROOT ".") listed a store failure
    twice, once more from its failed/<name>.error.json (a relative path against the store's)."""
    report = {"file": "hong.pdf", "message": "hong.pdf: the PDF cannot be parsed", "exit_code": 6}
    (root / "failed" / "hong.pdf.error.json").write_text(json.dumps(report), encoding="utf-8")
    monkeypatch.chdir(root)
    assert main(["letters", "--failed", "--format", "json"]) == ExitCode.OK
    files = [r["file"] for r in json.loads(capsys.readouterr().out)]
    assert sorted(files) == ["hong.pdf", "notes.docx"]


def test_a_failure_read_again_since_is_not_listed(root: Path, capsys) -> None:
    with open_store(default_url(root)) as db:
        db.record_run(Run(file="giay-moi.pdf", sha256=NO_TASKS_SHA, outcome="failed", message="x: timeout"))
    assert main(["letters", str(root), "--failed", "--format", "json"]) == ExitCode.OK
    assert "giay-moi.pdf" not in {r["file"] for r in json.loads(capsys.readouterr().out)}


def test_letters_without_a_store_names_it_and_fails(tmp_path: Path, capsys) -> None:
    assert main(["letters", str(tmp_path)]) == ExitCode.NOT_FOUND
    err = capsys.readouterr().err
    assert "vanthu.db" in err and "no task store here" in err
