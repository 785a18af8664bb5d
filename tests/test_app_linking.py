"""``vanthu links``, and the links shown with a stored letter (vanthu/linking.py)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.support.stored import stored_tree
from vanthu.cli import main
from vanthu.pipeline.errors import ExitCode


@pytest.fixture(scope="module")
def tree(tmp_path_factory):
    return stored_tree(tmp_path_factory.mktemp("linking"))


def test_links_json_lists_citing_to_cited(tree, capsys) -> None:
    root, records = tree
    assert main(["links", str(root), "--format", "json"]) == ExitCode.OK
    rows = json.loads(capsys.readouterr().out)
    assert rows == [
        {
            "citing_number_symbol": "120/UBND-VP",
            "citing_date": "2024-08-19",
            "cited_number_symbol": "1234/UBND-KT",
            "cited_date": "2024-08-05",
            "reference": records["cites"].references[0].text,
            "matched_by": "number+issuer+date",
            "citing_sha256": records["cites"].source.sha256,
            "cited_sha256": records["cited"].source.sha256,
        }
    ]


def test_links_table_shows_both_numbers_and_dates(tree, capsys) -> None:
    root, _ = tree
    assert main(["links", str(root)]) == ExitCode.OK
    out = capsys.readouterr().out
    line = next(x for x in out.splitlines() if "→" in x)
    assert "120/UBND-VP" in line and "1234/UBND-KT" in line and "2024-08-19" in line and "2024-08-05" in line
    assert out.endswith("1 link\n")


def test_links_without_a_store_is_a_clear_error(tmp_path, capsys) -> None:
    assert main(["links", str(tmp_path)]) == ExitCode.NOT_FOUND
    assert "no task store here" in capsys.readouterr().err


def test_letters_json_rows_carry_cites_and_cited_by(tree, capsys) -> None:
    root, records = tree
    assert main(["letters", str(root), "--format", "json"]) == ExitCode.OK
    rows = {r["number_symbol"]: r for r in json.loads(capsys.readouterr().out)}
    assert [c["number_symbol"] for c in rows["120/UBND-VP"]["cites"]] == ["1234/UBND-KT"]
    assert rows["120/UBND-VP"]["cited_by"] == []
    assert [c["number_symbol"] for c in rows["1234/UBND-KT"]["cited_by"]] == ["120/UBND-VP"]
    assert rows["1234/UBND-KT"]["cited_by"][0]["sha256"] == records["cites"].source.sha256
    assert rows["7/UBND-VX"]["cites"] == rows["7/UBND-VX"]["cited_by"] == []


def test_letters_csv_is_unchanged_by_the_links(tree, capsys) -> None:
    root, _ = tree
    assert main(["letters", str(root), "--format", "csv"]) == ExitCode.OK
    header = capsys.readouterr().out.lstrip("\ufeff").splitlines()[0]
    assert "cites" not in header


@pytest.mark.parametrize(
    ("name", "shown"),
    [("cites", "cites → 1234/UBND-KT"), ("cited", "cited by ← 120/UBND-VP"), ("other", "no stored letter cites it")],
)
def test_the_review_page_of_a_stored_letter_shows_its_links(tree, tmp_path: Path, name: str, shown: str) -> None:
    import re

    root, _ = tree
    out = tmp_path / "review"
    assert main(["review", str(root / "out" / f"{name}.json"), "--out", str(out), "-q"]) in (
        ExitCode.OK,
        ExitCode.NOT_FOUND,  # the .md letters have no pages to show
    )
    html = (out / f"{name}.html").read_text(encoding="utf-8")
    text = " ".join(re.sub(r"<[^>]+>", "", html).split())
    assert shown in text


def test_a_record_outside_an_ingestion_tree_shows_no_links(tree, tmp_path: Path) -> None:
    root, _ = tree
    alone = tmp_path / "cites.json"
    alone.write_bytes((root / "out" / "cites.json").read_bytes())
    out = tmp_path / "review"
    main(["review", str(alone), "--out", str(out), "-q"])
    assert 'id="links"' not in (out / "cites.html").read_text(encoding="utf-8")
