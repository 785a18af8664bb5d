"""``vanthu inspect``: the rendered text of a record (rich, fixed width, no colour)."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest
from rich.console import Console

from tests.conftest import SAMPLES
from tests.support.warned import rewarned
from vanthu.cli import main
from vanthu.models.record import DispatchRecord
from vanthu.pipeline.errors import ExitCode
from vanthu.views.terminal import render_record

SEED = SAMPLES / "seed-cv-ubnd-langson.md"
SEED_EXPECTED = json.loads((SAMPLES / "seed-cv-ubnd-langson.expected.json").read_text(encoding="utf-8"))


def _inspect(path: Path, capsys, width: int = 160) -> str:
    assert main(["inspect", str(path), "--width", str(width)]) == 0
    out, err = capsys.readouterr()
    assert err == ""
    return out


def _assignment_nodes(text: str) -> dict[str, str]:
    """Top-level nodes of the assignments tree: label -> the node's lines."""
    lines = text.splitlines()
    start = next(i for i, ln in enumerate(lines) if re.match(r"Assignments \(\d+\)", ln))
    nodes: dict[str, list[str]] = {}
    current = None
    for ln in lines[start + 1 :]:
        if not ln.strip():
            break
        m = re.match(r"[├└]── (\S+?)\.? ", ln)
        if m:
            current = m.group(1)
            nodes[current] = [ln]
        elif current is not None:
            nodes[current].append(ln)
    return {k: "\n".join(v) for k, v in nodes.items()}


def test_seed_letter_shows_all_nine_assignments_with_their_assignees(capsys) -> None:
    text = _inspect(SEED, capsys)
    assert "Assignments (9)" in text
    nodes = _assignment_nodes(text)
    expected = SEED_EXPECTED["assignments"]
    assert list(nodes) == [a["label"] for a in expected] == [str(i) for i in range(1, 10)]
    for a in expected:
        node = nodes[a["label"]]
        assert a["text"][:40] in node, a["label"]
        for unit in a["assignees"]:
            assert unit in node, (a["label"], unit)
        if a["lead"]:
            assert f"lead: {a['lead']}" in node
        if a["support"]:
            assert "support: " + "; ".join(a["support"]) in node
        if not a["assignees"]:  # items naming no unit go to the recipients
            assert "no unit named → recipients: " + "; ".join(SEED_EXPECTED["recipients"]) in node


def test_seed_letter_header_references_tasks_and_warnings(capsys) -> None:
    text = _inspect(SEED, capsys)
    for key in ("doc_type", "issuer", "symbol", "number_symbol", "place", "date", "date_text", "subject"):
        assert SEED_EXPECTED[key] in text, key
    for r in SEED_EXPECTED["recipients"] + [SEED_EXPECTED["signer"]["name"], SEED_EXPECTED["signer"]["title"]]:
        assert r in text
    for ref in SEED_EXPECTED["references"]:
        assert re.search(rf"{re.escape(ref['number_symbol'])}\s+{ref['date']}", text), ref["number_symbol"]
    assert f"Tasks ({len(SEED_EXPECTED['tasks'])})" in text
    task_lines = [ln for ln in text.splitlines() if re.match(r"\s+\d+\s+\S.*\s(lead|support|recipient)\s", ln)]
    assert len(task_lines) == len(SEED_EXPECTED["tasks"])
    assert "Warnings (1)" in text and SEED_EXPECTED["warnings"][0] in text


def test_saved_json_renders_like_the_letter(tmp_path: Path, capsys) -> None:
    assert main(["extract", str(SEED), "--out", str(tmp_path)]) == 0
    capsys.readouterr()
    from_letter = _inspect(SEED, capsys, width=120)
    from_json = _inspect(tmp_path / "seed-cv-ubnd-langson.json", capsys, width=120)
    assert from_json == from_letter


def test_a_list_of_records_and_json_lines(tmp_path: Path, capsys) -> None:
    record = SEED_EXPECTED
    (tmp_path / "list.json").write_text(json.dumps([record, record], ensure_ascii=False), encoding="utf-8")
    text = _inspect(tmp_path / "list.json", capsys)
    assert text.count("Assignments (9)") == 2
    (tmp_path / "lines.jsonl").write_text(
        json.dumps(record, ensure_ascii=False) + "\n" + json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    assert _inspect(tmp_path / "lines.jsonl", capsys).count("Assignments (9)") == 2


def _low_record() -> DispatchRecord:
    data = json.loads(json.dumps(SEED_EXPECTED))
    data["provenance"]["/issuer"] = {"page": 1, "bbox": [10, 10, 50, 20], "unit": "px", "confidence": 0.31}
    data["provenance"]["/assignments/6"]["confidence"] = 0.42
    return rewarned(data)


def test_low_confidence_fields_are_highlighted() -> None:
    console = Console(record=True, width=160, file=io.StringIO(), force_terminal=True, color_system="truecolor")
    render_record(_low_record(), console)
    text = console.export_text(clear=False)
    issuer_line = next(ln for ln in text.splitlines() if ln.lstrip().startswith("Issuer"))
    assert "⚠ 0.31" in issuer_line
    assert "Cơ quan ban hành đọc không chắc chắn (độ tin cậy 0,31), trang 1" in text
    assert "Mục 7 đọc không chắc chắn (độ tin cậy 0,42), trang" in text
    item7 = _assignment_nodes(text)["7"]
    assert "⚠ 0.42" in item7
    # the value itself is painted (yellow background), a confident one is not
    html = console.export_html(inline_styles=True)
    painted = re.findall(r'<span style="([^"]*)">([^<]*)</span>', html)
    styles = {t: s for s, t in painted}
    assert "background-color" in styles.get(SEED_EXPECTED["issuer"], "")
    assert "background-color" not in styles.get(SEED_EXPECTED["place"], "")


def test_not_a_record(tmp_path: Path, capsys) -> None:
    bad = tmp_path / "other.json"
    bad.write_text('{"hello": 1}', encoding="utf-8")
    assert main(["inspect", str(bad)]) == ExitCode.UNSUPPORTED_FORMAT
    out, err = capsys.readouterr()
    assert out == "" and len(err.strip().splitlines()) == 1 and str(bad) in err and "not a vanthu record" in err
    garbage = tmp_path / "garbage.json"
    garbage.write_text("{not json", encoding="utf-8")
    assert main(["inspect", str(garbage)]) == ExitCode.UNSUPPORTED_FORMAT
    assert "not JSON" in capsys.readouterr().err


def test_missing_file(tmp_path: Path, capsys) -> None:
    assert main(["inspect", str(tmp_path / "nope.json")]) == ExitCode.NOT_FOUND
    assert main(["inspect", str(tmp_path / "nope.pdf")]) == ExitCode.NOT_FOUND
    err = capsys.readouterr().err
    assert err.count("nope") == 2


@pytest.mark.parametrize("width", [60, 100])
def test_narrow_terminals_still_name_every_assignee(width: int, capsys) -> None:
    text = _inspect(SEED, capsys, width=width)
    flat = re.sub(r"\s+", " ", re.sub(r"[│├└─]", " ", text))
    for a in SEED_EXPECTED["assignments"]:
        for unit in a["assignees"]:
            assert unit in flat


def test_sub_items_deadlines_and_pages(capsys) -> None:
    text = _inspect(SAMPLES / "tb-so-2024-88.pdf", capsys, width=120)
    expected = json.loads((SAMPLES / "tb-so-2024-88.expected.json").read_text(encoding="utf-8"))
    section = expected["assignments"][1]
    node = _assignment_nodes(text)[section["label"]]
    for child in section["children"]:
        line = next(ln for ln in node.splitlines() if f"── {section['label']}.{child['label']}. " in ln)
        assert child["text"][:30] in line
        if child["lead"]:
            assert f"lead: {child['lead']}" in node
    dated = next(c for c in section["children"] if c["deadline"])
    assert f"deadline: {dated['deadline']}  ({dated['deadline_text']})" in node
    signer_line = next(ln for ln in text.splitlines() if re.match(r"\s*Signer\s{2,}", ln))
    assert expected["signer"]["name"] in signer_line and signer_line.rstrip().endswith("2")  # read on page 2


def test_inspect_shows_exactly_the_record_warnings(capsys) -> None:
    """inspect adds no warnings of its own: the panel lists the record's sentences, once each."""
    data = json.loads(json.dumps(SEED_EXPECTED))
    for ptr in ("/number", "/number_symbol", "/references/0"):
        data["provenance"][ptr] = {"page": 1, "bbox": None, "unit": None, "confidence": 0.31}
    record = rewarned(data)
    console = Console(record=True, width=200, file=io.StringIO())
    render_record(record, console)
    text = console.export_text()
    assert f"Warnings ({len(record.warnings)})" in text
    bullets = [ln.strip(" │•") for ln in text.splitlines() if ln.lstrip("│ ").startswith("•")]
    assert [b.strip() for b in bullets] == record.warnings
    assert "Văn bản dẫn chiếu thứ 1 đọc không chắc chắn (độ tin cậy 0,31), trang 1" in record.warnings
    assert not any("/references" in w for w in record.warnings)


def test_task_table_shows_the_due_day_and_marks_a_period_end(capsys) -> None:
    """Regression: the task table showed no date for "trong tháng 11 năm 2024" (a period)."""
    text = _inspect(SAMPLES / "tb-so-2024-88.pdf", capsys)
    tasks = text[text.index("Tasks (") :]
    rows = [ln for ln in tasks.splitlines() if "II.2" in ln]
    assert rows and all("2024-11-30 (period end)" in ln for ln in rows)
    assert any(
        "II.1" in ln and "2024-11-15" in ln and "(" not in ln.split("2024-11-15")[1][:3] for ln in tasks.splitlines()
    )
