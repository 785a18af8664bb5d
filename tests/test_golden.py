"""Golden tests: each sample beside its expected JSON, the seed letter against its
answer key, every digital letter of ../shared/corpus against its answer key.

Regenerate the samples' expected JSON after a deliberate change with
``VANTHU_REGEN=1 .venv/bin/python -m pytest tests/test_golden.py`` and review the diff.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tests.conftest import SAMPLES, shared_dir, shared_files
from vanthu.pipeline.extract import extract_file
from vanthu.scoring import aggregate, score

SAMPLE_FILES = sorted(p for p in SAMPLES.iterdir() if p.suffix in {".pdf", ".md", ".txt"})
SCALARS = [
    "doc_type",
    "issuer",
    "parent_issuer",
    "number",
    "symbol",
    "number_symbol",
    "place",
    "date",
    "subject",
    "urgency",
    "confidentiality",
    "signer.name",
    "signer.title",
    "signer.prefix",
]


def _expected_path(doc: Path) -> Path:
    return doc.with_name(doc.stem + ".expected.json")


@pytest.mark.parametrize("doc", SAMPLE_FILES, ids=lambda p: p.name)
def test_sample_matches_expected_json(doc: Path):
    got = json.loads(extract_file(doc).to_json())
    expected_path = _expected_path(doc)
    if os.environ.get("VANTHU_REGEN"):
        expected_path.write_text(json.dumps(got, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    expected = json.loads(expected_path.read_text(encoding="utf-8"))
    for key in expected:
        assert got.get(key) == expected[key], f"{doc.name}: field {key} differs"
    assert set(got) == set(expected)


def test_every_sample_has_expected_json():
    assert SAMPLE_FILES, "samples/ holds no letters"
    for doc in SAMPLE_FILES:
        assert _expected_path(doc).exists(), f"{doc.name} has no expected JSON beside it"


def test_seed_letter_right_on_every_field():
    seed = shared_dir("seed")
    truth = json.loads((seed / "letter.truth.json").read_text(encoding="utf-8"))
    record = extract_file(seed / "letter.md").model_dump(mode="json")
    result = score(record, truth)
    wrong = {f: s for f, s in result.scores.items() if s < 1.0}
    assert not wrong, f"seed letter fields not right: {wrong}"


# Letters added to the corpus after the parser was written, whose header or signer it does
# not read yet (the generalisation issue). Strict: a fixed letter must leave this table.
NOT_READ_YET = {
    "kh-ubnd-daklak-2025-0129": "header or signer field not read",
}


def _corpus_params() -> list:
    params = []
    for pdf in shared_files("corpus", "pdf", pattern="*.pdf"):
        if isinstance(pdf, Path) and pdf.stem in NOT_READ_YET:
            pdf = pytest.param(pdf, marks=pytest.mark.xfail(reason=NOT_READ_YET[pdf.stem], strict=True))
        params.append(pdf)
    return params


@pytest.mark.parametrize("pdf", _corpus_params(), ids=lambda p: getattr(p, "stem", str(p)))
def test_corpus_letter_header_and_signer_fields(pdf: Path):
    shared_dir("corpus", "pdf")
    truth = json.loads((pdf.parent.parent / "truth" / f"{pdf.stem}.json").read_text(encoding="utf-8"))
    result = score(extract_file(pdf).model_dump(mode="json"), truth)
    wrong = {f: result.details[f].describe() for f in SCALARS if f in result.scores and result.scores[f] < 1.0}
    assert not wrong, f"{pdf.stem}: {wrong}"
    assert result.scores["assignments"] == 1.0, result.details["assignments"].describe()


def test_corpus_aggregate_accuracy():
    corpus = shared_dir("corpus")
    scores = []
    for pdf in sorted((corpus / "pdf").glob("*.pdf")):
        truth = json.loads((corpus / "truth" / f"{pdf.stem}.json").read_text(encoding="utf-8"))
        scores.append(score(extract_file(pdf).model_dump(mode="json"), truth))
    agg = aggregate(scores)
    # floors at the measured level on the 39 letters (see the closing notes); raise them as
    # accuracy improves
    assert agg["overall"] >= 0.99, agg  # 0.994 on the 39 letters (issue 18, round 5)
    assert agg["assignments"] >= 0.98, agg  # 0.995
    assert agg["references"] >= 0.98, agg  # 0.985
    assert agg["assignees"] >= 0.94, agg  # 0.949 (issue 18: grammar of responsibility, round 4)
    assert agg["recipients"] >= 0.9 and agg["distribution"] >= 0.95, agg
