"""The wording of warnings (``pipeline/warnings.py``): one Vietnamese sentence naming the
field and the page, the JSON pointer kept apart for programs."""

from __future__ import annotations

import json

import pytest

from tests.conftest import SAMPLES
from vanthu.models.document import PageText
from vanthu.models.record import Assignment, DispatchRecord, Provenance
from vanthu.pipeline import warnings as say

ITEMS = [
    Assignment(label="I", text="a"),
    Assignment(
        label="II",
        text="b",
        children=[Assignment(label="1", text="c"), Assignment(label="-", text="d")],
    ),
]


@pytest.mark.parametrize(
    ("pointer", "words"),
    [
        ("/number_symbol", "Số, ký hiệu"),
        ("/issuer", "Cơ quan ban hành"),
        ("/subject", "Trích yếu"),
        ("/assignments/1", "Mục II"),
        ("/assignments/1/children/0", "Mục II.1"),
        ("/assignments/1/children/0/assignees/0", "Mục II.1: tên đơn vị"),
        ("/assignments/1/children/1", "Mục II"),  # a bullet has no number of its own
        ("/assignments/0/deadline", "Mục I: thời hạn"),
        ("/recipients/2", "Kính gửi, dòng 3"),
        ("/references/0/number_symbol", "Văn bản dẫn chiếu thứ 1: số, ký hiệu"),
        ("/signer/name", "Người ký: họ tên"),
        ("/signer/title", "Người ký: chức vụ"),
        ("/references/1/title", "Văn bản dẫn chiếu thứ 2: tên"),
        ("/distribution/0", "Nơi nhận, dòng 1"),
    ],
)
def test_field_names_are_words_not_pointers(pointer: str, words: str) -> None:
    assert say.field_name(pointer, ITEMS) == words


def test_low_confidence_is_one_sentence_with_field_and_page_and_the_pointer_apart() -> None:
    entry = Provenance(page=2, bbox=None, unit=None, confidence=0.39)
    detail = say.low_confidence("/assignments/1/children/0/assignees/0", entry, ITEMS)
    assert detail.message == "Mục II.1: tên đơn vị đọc không chắc chắn (độ tin cậy 0,39), trang 2"
    assert (detail.field, detail.page) == ("/assignments/1/children/0/assignees/0", 2)


def test_record_warnings_cover_nested_fields_pages_and_the_header_once_each() -> None:
    prov = {
        "/issuer": Provenance(page=1, confidence=0.31),
        "/assignments/1/children/0": Provenance(page=2, confidence=0.42),
        "/subject": Provenance(page=1, confidence=0.95),
    }
    pages = [PageText(number=1, source="ocr", warnings=(say.page_turned(1, 180),))]
    header = {"number_symbol": None, "date": None, "date_text": "ngày tháng 5 năm 2025", "number": None, "symbol": None}
    details = say.record_warnings(pages, prov, header, ITEMS)
    assert [d.message for d in details] == [
        "Trang 1: bản quét bị lộn ngược, đã xoay 180° theo chiều kim đồng hồ để đọc",
        "Cơ quan ban hành đọc không chắc chắn (độ tin cậy 0,31), trang 1",
        "Mục II.1 đọc không chắc chắn (độ tin cậy 0,42), trang 2",
        "Không tìm thấy dòng số, ký hiệu (Số: …)",
        "Ngày ban hành không đầy đủ (thiếu ngày, tháng hoặc năm)",
    ]
    assert [d.field for d in details] == [None, "/issuer", "/assignments/1/children/0", "/number_symbol", "/date"]
    assert [d.page for d in details][:3] == [1, 1, 2]


def test_the_record_keeps_sentences_and_details_in_step() -> None:
    record = DispatchRecord.model_validate(
        json.loads((SAMPLES / "seed-cv-ubnd-langson.expected.json").read_text(encoding="utf-8"))
    )
    assert record.warnings == [d.message for d in record.warning_details]
    assert record.warnings == ["Số văn bản để trống (sẽ được điền tay), trang 1"]
    assert record.warning_details[0].field == "/number"


@pytest.mark.parametrize(
    "text",
    [
        say.page_no_text_layer(3, 2),
        say.page_text_layer_unreadable(3, "PdfiumError"),
        say.page_not_loadable(3),
        say.page_text_not_loadable(3),
        say.page_ocr_timed_out(3, 20),
        say.page_perspective_corrected(3),
        say.page_turned(3, 90),
        say.page_signer_reread(3),
        say.page_blank(3),
    ],
)
def test_page_notes_name_the_page_in_words(text: str) -> None:
    assert text.startswith("Trang 3: ") and "page" not in text and text.count("Trang") == 1


def test_a_skipped_page_is_told_by_its_own_words() -> None:
    assert say.is_page_skipped(say.page_ocr_timed_out(2, 5))
    assert not say.is_page_skipped(say.page_blank(2))


def test_handwriting_notes_say_which_box() -> None:
    assert say.handwriting_unsure("number", "12", 0.41) == (
        "Trang 1: chữ số viết tay ở ô số văn bản không chắc chắn (đọc được '12', độ tin cậy 0,41), để trống"
    )
    assert say.handwriting_unreadable("day") == "Trang 1: không đọc được chữ số viết tay ở ô ngày"
