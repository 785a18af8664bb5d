"""End to end: ``vanthu watch ROOT --once`` reads generated digital letters, one citing
another; then ``vanthu links``, ``vanthu export`` and ``vanthu tasks --format ics`` read
the tree it made."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time

import pytest
from icalendar import Calendar
from lxml import etree

from tests.conftest import SAMPLES, load_renderer

NS = {"e": "http://www.mic.gov.vn/TBT/QCVN_102_2016"}
OLD = time.time() - 3600


def _layouts() -> dict[str, dict]:
    """cites.pdf (120/UBND-VP of a ward) cites cited.pdf (1234/UBND-KT of its district)."""
    base = json.loads((SAMPLES / "src" / "cv-khan-ubnd-phuongx.json").read_text(encoding="utf-8"))
    cites = dict(base, number_line="Số: 120/UBND-VP")
    cited = dict(
        base,
        header_left=["UBND THÀNH PHỐ HÀ NỘI", "ỦY BAN NHÂN DÂN", "QUẬN HOÀN KIẾM"],
        number_line="Số: 1234/UBND-KT",
        place_date="Hoàn Kiếm, ngày 05 tháng 8 năm 2024",
        body=[line for line in base["body"] if not line.startswith(("Thực hiện", "Căn cứ"))],
    )
    return {"cites": cites, "cited": cited}


def _run(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "vanthu.cli", *args], capture_output=True, env=env, timeout=600, check=False
    )


@pytest.fixture(scope="module")
def root(tmp_path_factory):
    renderer = load_renderer()
    base = tmp_path_factory.mktemp("e2e")
    root = base / "root"
    (root / "inbox").mkdir(parents=True)
    for name, layout in _layouts().items():
        pdf = root / "inbox" / f"{name}.pdf"
        renderer.render_letter(layout, pdf)
        os.utime(pdf, (OLD, OLD))
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
    env["PREFECT_HOME"] = str(base / "prefect-home")
    proc = _run("watch", str(root), "--once", "--settle", "0.1", env=env)
    assert proc.returncode == 0, proc.stderr.decode()
    assert sorted(p.name for p in (root / "out").glob("*.json")) == ["cited.json", "cites.json"]
    return root


def test_links_show_the_citing_letter_and_the_one_it_cites(root) -> None:
    proc = _run("links", str(root), "--format", "json")
    assert proc.returncode == 0, proc.stderr.decode()
    rows = json.loads(proc.stdout)
    assert [(r["citing_number_symbol"], r["cited_number_symbol"]) for r in rows] == [("120/UBND-VP", "1234/UBND-KT")]
    assert rows[0]["cited_date"] == "2024-08-05" and "1234/UBND-KT" in rows[0]["reference"]


def test_export_gives_the_records_code_and_cites_the_stored_letter(root, tmp_path) -> None:
    record = json.loads((root / "out" / "cites.json").read_text(encoding="utf-8"))
    proc = _run("export", str(root / "out" / "cites.json"), "--format", "edxml", "--out", str(tmp_path))
    assert proc.returncode == 0, proc.stderr.decode()
    header = etree.parse(str(tmp_path / "cites.xml")).find("e:edXMLHeader/e:MessageHeader", NS)
    assert header.findtext("e:Code/e:CodeNumber", namespaces=NS) == record["number"] == "120"
    assert header.findtext("e:Code/e:CodeNotation", namespaces=NS) == record["symbol"] == "UBND-VP"
    assert header.findtext("e:ResponseFor/e:Code", namespaces=NS) == "1234/UBND-KT"


def test_tasks_as_ics_parse_one_vtodo_per_task(root) -> None:
    proc = _run("tasks", str(root), "--format", "ics")
    assert proc.returncode == 0, proc.stderr.decode()
    todos = Calendar.from_ical(proc.stdout).walk("VTODO")
    tasks = [t for p in (root / "out").glob("*.json") for t in json.loads(p.read_text(encoding="utf-8"))["tasks"]]
    assert sorted(str(t["uid"]) for t in todos) == sorted(t["task_id"] for t in tasks) and tasks
    assert any("rrule" in t for t in todos)  # "báo cáo định kỳ hằng quý"
