"""The seed letter printed and scanned clean must read right on every field (issue 4)."""

from __future__ import annotations

import json
import shutil

import pytest

from tests.conftest import SAMPLES, shared_dir
from vanthu.pipeline.extract import extract_file
from vanthu.samplegen import scan as sl
from vanthu.scoring import score

pytestmark = pytest.mark.skipif(shutil.which("tesseract") is None, reason="tesseract not installed")


def test_seed_letter_scanned_clean_is_right_on_every_field(tmp_path):
    truth_path = shared_dir("seed") / "letter.truth.json"
    truth = json.loads(truth_path.read_text(encoding="utf-8"))
    layout = json.loads((SAMPLES / "src" / "seed-cv-ubnd-langson.json").read_text(encoding="utf-8"))
    pdf = tmp_path / "seed.scan-clean.pdf"
    pdf.write_bytes(sl.scan_pdf(layout, "clean", seed=0))
    record = extract_file(pdf)
    assert record.source.text_source == "ocr"
    result = score(json.loads(record.to_json()), truth)
    wrong = {k: v for k, v in result.scores.items() if v < 1.0}
    assert not wrong, {k: result.details.get(k) for k in wrong}
