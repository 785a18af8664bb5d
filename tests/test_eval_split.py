"""``vanthu eval --split tune|check``: only one part of a set is extracted and scored;
without it, each part's overall and assignees F1 are reported on lines of their own, and
mismatches are listed for the tuning part only."""

from __future__ import annotations

import json
import sys
import types
from pathlib import Path

import pytest

from vanthu.evaluate import render_report, run_eval
from vanthu.scoring import split_of

KEY = {
    "doc_type": "Công văn",
    "date": "2025-11-25",
    "assignments": [{"label": "1", "assignees": ["Sở Tài chính", "Sở Nội vụ"]}],
}
# Two tuning documents and one checking document (pinned below: the split never changes).
TUNE_IDS, CHECK_IDS = ("a", "c"), ("b",)


def test_the_ids_used_here_fall_where_the_tests_expect() -> None:
    assert [split_of(i) for i in (*TUNE_IDS, *CHECK_IDS)] == ["tune", "tune", "check"]


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    for i in (*TUNE_IDS, *CHECK_IDS):
        (tmp_path / f"{i}.pdf").write_bytes(b"")
        (tmp_path / f"{i}.truth.json").write_text(json.dumps(KEY, ensure_ascii=False), encoding="utf-8")
    # a scan of a checking letter falls with its letter (the ID is the name up to its first dot)
    (tmp_path / "b.scan-noisy.pdf").write_bytes(b"")
    return tmp_path


def extractor(calls: list[str]):
    """Perfect on the tuning documents; on the checking ones, a wrong date and one assignee."""

    def extract(doc: Path) -> dict:
        calls.append(doc.name)
        if split_of(doc.name.split(".", 1)[0]) == "tune":
            return KEY
        return {**KEY, "date": "2025-11-26", "assignments": [{"label": "1", "assignees": ["Sở Tài chính"]}]}

    return extract


@pytest.mark.parametrize(
    ("split", "extracted"),
    [
        ("tune", ["a.pdf", "c.pdf"]),
        ("check", ["b.pdf", "b.scan-noisy.pdf"]),
        (None, ["a.pdf", "b.pdf", "b.scan-noisy.pdf", "c.pdf"]),
    ],
)
def test_only_the_documents_of_the_part_are_extracted(folder: Path, split: str | None, extracted: list[str]) -> None:
    calls: list[str] = []
    report = run_eval(folder, extractor(calls), show_details=False, split=split)
    assert calls == extracted
    assert [d.path.name for d in report.documents] == extracted
    assert report.left_out == 4 - len(extracted)


def test_a_part_scores_its_own_documents_only(folder: Path) -> None:
    tune = run_eval(folder, extractor([]), show_details=False, split="tune")
    check = run_eval(folder, extractor([]), show_details=False, split="check")
    assert tune.summary["overall"] == 1.0
    assert check.summary["assignees"] == pytest.approx(2 / 3)  # F1 of 1 hit in 2 expected, 1 given
    text = render_report(check)
    assert "split: check part only (2 documents of the other part left out)" in text
    assert "tune part:" not in text


def test_without_split_each_part_has_its_overall_and_assignees_line(folder: Path) -> None:
    report = run_eval(folder, extractor([]), show_details=False)
    assert set(report.parts) == {"tune", "check"}
    text = render_report(report)
    check_overall = (1 + 0 + 1 + 2 / 3 + 1) / 5  # type, date, labels, assignees, deadlines (none)
    assert "tune part: overall 1.000, assignees F1 1.000 (2 documents)" in text
    assert f"check part: overall {check_overall:.3f}, assignees F1 0.667 (2 documents)" in text
    overall = (2 * 1.0 + 2 * check_overall) / 4
    assert f"overall field accuracy: {overall:.3f} (4 documents)" in text
    assert report.to_dict()["parts"]["check"]["assignees"] == pytest.approx(2 / 3)
    assert {d["path"].rsplit("/", 1)[-1]: d["split"] for d in report.to_dict()["documents"]}["b.pdf"] == "check"


def test_details_never_list_the_checking_part(folder: Path) -> None:
    def wrong_everywhere(doc: Path) -> dict:
        return {**KEY, "date": "1999-01-01"}

    text = render_report(run_eval(folder, wrong_everywhere, show_details=True))
    listed = text.split("mismatches:", 1)[1]
    assert "a.pdf:" in listed and "c.pdf:" in listed
    assert "b.pdf" not in listed and "b.scan-noisy.pdf" not in listed
    assert "(2 documents of the checking part not listed" in listed


def test_unknown_split_is_refused(folder: Path) -> None:
    with pytest.raises(ValueError, match="unknown split 'train'"):
        run_eval(folder, extractor([]), show_details=False, split="train")


def test_cli_split_option(folder: Path, monkeypatch, capsys) -> None:
    from vanthu.cli import main

    fake = types.ModuleType("vanthu.pipeline.extract")

    class Rec:
        def model_dump(self, mode="json"):
            return KEY

    fake.extract_file = lambda p, *_args, **_kw: Rec()
    monkeypatch.setitem(sys.modules, "vanthu.pipeline.extract", fake)
    assert main(["eval", "--no-isolation", "-q", "--split", "tune", str(folder)]) == 0
    out = capsys.readouterr().out
    assert "overall field accuracy: 1.000 (2 documents)" in out
    assert "split: tune part only" in out
    (folder / "b.pdf").unlink()
    (folder / "b.scan-noisy.pdf").unlink()
    assert main(["eval", "--no-isolation", "-q", "--split", "check", str(folder)]) == 1
    assert "no documents with answer keys in the check part" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["eval", "--split", "train", str(folder)])
