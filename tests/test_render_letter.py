"""vanthu/samplegen/render.py (tools/render_letter.py): deterministic Decree-30 layout renderer."""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path

import pdfplumber
import pytest

from tests.conftest import load_renderer

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples" / "src"
SAMPLE_STEMS = ["cv-khan-ubnd-phuongx", "qd-ubnd-huyen-2024-19", "tb-so-2024-88"]


rl = load_renderer(require_fonts=False)


@pytest.fixture(scope="module", autouse=True)
def _fonts_available():
    try:
        rl.find_font_dir()
    except rl.FontsNotFoundError as exc:  # a system package, not a Python one
        pytest.skip(str(exc))


def _layout(stem: str) -> dict:
    return json.loads((SAMPLES / f"{stem}.json").read_text(encoding="utf-8"))


def _norm(s: str) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", s)).strip()


def test_same_input_gives_identical_bytes(tmp_path: Path) -> None:
    layout = _layout("cv-khan-ubnd-phuongx")
    a, b = tmp_path / "a.pdf", tmp_path / "b.pdf"
    rl.render_letter(layout, a)
    rl.render_letter(layout, b)
    assert a.read_bytes() == b.read_bytes()
    assert a.read_bytes().startswith(b"%PDF-")


def test_header_is_two_columns(tmp_path: Path) -> None:
    out = tmp_path / "letter.pdf"
    rl.render_letter(_layout("cv-khan-ubnd-phuongx"), out)
    with pdfplumber.open(out) as pdf:
        page = pdf.pages[0]
        centre = page.width / 2
        words = page.extract_words()
    so = [w for w in words if w["text"] == "Số:"]
    assert so, "no 'Số:' on page 1"
    assert so[0]["x1"] < centre

    top_band = [w for w in words if w["top"] < 150]
    motto = [w for w in top_band if w["text"] in {"CỘNG", "HÒA", "XÃ", "HỘI", "CHỦ", "NGHĨA", "VIỆT", "NAM"}]
    assert len(motto) == 8
    motto_mid = (min(w["x0"] for w in motto) + max(w["x1"] for w in motto)) / 2
    assert motto_mid > centre
    doc_lap = [w for w in top_band if w["text"] == "Độc"]
    assert doc_lap and doc_lap[0]["x0"] > centre
    # number line and place/date share one baseline
    ngay = [w for w in words if w["text"] == "ngày" and w["x0"] > centre]
    assert ngay and abs(ngay[0]["bottom"] - so[0]["bottom"]) < 2.5


@pytest.mark.parametrize("stem", SAMPLE_STEMS)
def test_text_layer_has_every_body_line(tmp_path: Path, stem: str) -> None:
    layout = _layout(stem)
    out = tmp_path / f"{stem}.pdf"
    rl.render_letter(layout, out)
    with pdfplumber.open(out) as pdf:
        assert 1 <= len(pdf.pages) <= 2
        text = _norm(" ".join(p.extract_text() or "" for p in pdf.pages))
    for line in layout["body"]:
        head = _norm(line)[:30]
        assert head in text, f"body line not found in text layer: {head!r}"
    assert _norm(layout["number_line"]) in text
    assert _norm(layout["place_date"]) in text
