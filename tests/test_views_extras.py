"""The views show what the record says beyond the letter's fields (``vanthu/views/extras.py``):
digital signatures, appendices and drafts, the copy block, other papers, the earlier
duplicate. Shown by ``vanthu inspect``, the review page and the web page alike."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from rich.console import Console

from vanthu.models.record import DispatchRecord, Signature
from vanthu.pipeline import i18n
from vanthu.views.extras import extra_rows, pages_text, signature_text
from vanthu.views.fields import field_sections
from vanthu.views.terminal import render_record
from vanthu.web.pages import letter_sections

SAMPLE = Path(__file__).resolve().parents[1] / "samples" / "tb-so-2024-88.expected.json"


def _record(**extra: object) -> DispatchRecord:
    data = json.loads(SAMPLE.read_text(encoding="utf-8"))
    data.update(extra)
    return DispatchRecord.model_validate(data)


SIGNED = {
    "signer": "Nguyễn Văn An",
    "organisation": "Ủy ban nhân dân tỉnh Lạng Sơn",
    "signed_at": "2025-03-04T09:10:00+07:00",
}


@pytest.mark.parametrize(
    ("intact", "trusted", "says", "warn"),
    [
        (True, None, "unchanged since signing · trust not checked", False),
        (True, True, "unchanged since signing · certificate trusted", False),
        (True, False, "certificate NOT trusted", True),
        (False, None, "CHANGED after signing", True),
    ],
)
def test_a_signature_is_one_sentence_with_its_state(intact: bool, trusted: bool | None, says: str, warn: bool) -> None:
    text, flagged = signature_text(Signature(**SIGNED, intact=intact, trusted=trusted))
    assert text.startswith("Nguyễn Văn An, Ủy ban nhân dân tỉnh Lạng Sơn · signed at 2025-03-04 09:10:00+07:00")
    assert says in text
    assert flagged is warn


@pytest.mark.parametrize(
    ("pages", "text"),
    [([2], "page 2"), ([3, 4, 5], "pages 3–5"), ([2, 5], "pages 2, 5"), ([], "")],
)
def test_pages_are_named_as_a_range(pages: list[int], text: str) -> None:
    assert pages_text(pages) == text


EXTRAS = {
    "signatures": [dict(SIGNED, intact=True)],
    "appendices": [{"kind": "draft", "title": "DỰ THẢO NGHỊ QUYẾT", "pages": [3, 4]}],
    "copy": {"kind": "SAO Y", "issuer": "VĂN PHÒNG UBND TỈNH", "number_symbol": "12/SY-VP", "date": "2025-03-06"},
    "other_pages": [5],
}


def test_each_extra_gets_its_section_in_the_review() -> None:
    sections = {s.title: s.rows for s in field_sections(_record(**EXTRAS))}
    assert [r.value for r in sections["Digital signatures"]][0].startswith("Nguyễn Văn An")
    assert sections["Appendices and drafts after the letter"][0].value == "draft · DỰ THẢO NGHỊ QUYẾT · pages 3–4"
    assert (
        sections["Copy (SAO Y, SAO LỤC, TRÍCH SAO)"][0].value == "SAO Y · VĂN PHÒNG UBND TỈNH · 12/SY-VP · 2025-03-06"
    )
    other = sections["Other papers in the file"][0]
    assert (other.value, other.kind) == ("page 5", "extra warn")


def test_a_letter_without_extras_has_no_extra_section() -> None:
    assert extra_rows(_record()) == {}


def test_the_terminal_and_the_web_page_show_them_in_vietnamese() -> None:
    record = _record(**EXTRAS)
    out = io.StringIO()
    i18n.set_language("vi")  # the autouse fixture puts English back
    render_record(record, Console(file=out, width=200, color_system=None))
    titles = [s.title for s in letter_sections(record, i18n._)]
    text = out.getvalue()
    assert "Chữ ký số" in text and "Nguyễn Văn An" in text and "không đổi từ khi ký" in text
    assert any(t.startswith("Chữ ký số (1)") for t in titles), titles
