"""Regressions found on OCR'd letters whose fix lies downstream of ``ocr/`` (text layers, layout,
fields, rules). They belong to those modules' test files, where their owners may move them."""

from __future__ import annotations

import pytest

from vanthu.models.document import Word


def test_mojibake_text_layer_is_not_usable():
    from vanthu.pipeline.read.quality import usable_text_layer

    tcvn3 = "Uû ban nh©n d©n tØnh L¹ng S¬n ®Ò nghÞ c¸c së, ban, ngµnh thùc hiÖn".split() * 3
    good = "Ủy ban nhân dân tỉnh Lạng Sơn đề nghị các sở, ban, ngành thực hiện".split() * 3
    mk = lambda ts: [Word(text=t, x0=i, y0=0, x1=i + 1, y1=1) for i, t in enumerate(ts)]  # noqa: E731
    assert not usable_text_layer(mk(tcvn3))
    assert usable_text_layer(mk(good))


def test_two_title_signer_block_takes_the_title_above_the_signature():
    from vanthu.models.document import Line, Regions
    from vanthu.pipeline.fields.signer import read_signer
    from vanthu.pipeline.provenance import ProvenanceLog

    def ln(text, y):
        return Line(text=text, page=2, x0=1300, y0=y, x1=1900, y1=y + 45, column="right", unit="px")

    regions = Regions(
        signer=(ln("TRƯỞNG BAN", 2000), ln("3", 2150), ln("CHỦ TỊCH UBND TỈNH", 2350), ln("Nguyễn Hoàng Giang", 2420))
    )
    signer = read_signer(regions, ProvenanceLog())
    assert signer.title == "TRƯỞNG BAN" and signer.name == "Nguyễn Hoàng Giang"
    # the usual block: prefix line and title directly under it
    regions = Regions(signer=(ln("KT. CHỦ TỊCH", 2000), ln("PHÓ CHỦ TỊCH", 2050), ln("Trần Phước Hiền", 2400)))
    signer = read_signer(regions, ProvenanceLog())
    assert (signer.prefix, signer.title) == ("KT.", "PHÓ CHỦ TỊCH")


def test_symbol_broken_after_its_hyphen_at_a_line_end_is_joined():
    from vanthu.pipeline.fields.references import _join_symbols

    assert _join_symbols("và số 6138/UBND- KGVX ngày 10/10/2024") == "và số 6138/UBND-KGVX ngày 10/10/2024"
    assert _join_symbols("Công điện số 131/CĐ- TTg ngày") == "Công điện số 131/CĐ-TTg ngày"
    assert _join_symbols("Sở Lao động - Thương binh và Xã hội") == "Sở Lao động - Thương binh và Xã hội"


def test_ocr_rows_tolerate_scattered_word_centres():
    from vanthu.models.document import PageText
    from vanthu.pipeline.layout.lines import assemble_lines

    # one printed row whose words' boxes differ by accents and descenders (OCR boxes)
    ws = [
        Word(text="Chính", x0=300, y0=1121, x1=420, y1=1170, confidence=0.9),
        Word(text="phủ,", x0=430, y0=1124, x1=520, y1=1182, confidence=0.9),
        Word(text="Công", x0=1700, y0=1140, x1=1820, y1=1180, confidence=0.9),
        Word(text="điện", x0=1840, y0=1118, x1=1950, y1=1182, confidence=0.9),
    ]
    from vanthu.pipeline.layout.lines import _rows

    assert len(_rows(ws, 0.5)) == 1  # the OCR tolerance keeps the row whole
    ws = [w.model_copy(update={"x0": 300 + 130 * i, "x1": 420 + 130 * i}) for i, w in enumerate(ws)]
    lines = assemble_lines([PageText(number=1, width=2480, height=3508, unit="px", source="ocr", words=tuple(ws))])
    assert [ln.text for ln in lines] == ["Chính phủ, Công điện"]


def test_decision_heading_without_its_colon_does_not_swallow_dieu_1():
    from vanthu.models.document import Line
    from vanthu.pipeline.layout.paragraphs import paragraphs

    def ln(text, x0, y0, indent=False, column="full"):
        return Line(text=text, page=1, x0=x0, y0=y0, x1=x0 + 1500, y1=y0 + 50, column=column, unit="px", indent=indent)

    paras = paragraphs(
        [
            ln("Theo đề nghị của Chủ tịch Hội đồng thẩm định tại Tờ trình số 7603/TTr-HĐTĐ.", 539, 2054),
            ln("QUYẾT ĐỊNH", 1110, 2313, column="center"),  # OCR lost the colon
            ln("Điều 1. Công nhận địa bàn trọng điểm về TTATXH chuyển hóa đạt năm 2024, gồm:", 537, 2444),
            ln("1. Phường Nghĩa Chánh, thành phố Quảng Ngãi;", 543, 2598),
        ]
    )
    assert [p.text.split()[0] for p in paras] == ["Theo", "QUYẾT", "Điều", "1."]


def test_signer_title_beside_the_distribution_list_stays_one_line():
    # "PHÓ CHỦ TỊCH" sits half a line below "- Thường trực Thành ủy;": per-word row
    # grouping tore it into "PHÓ CHỦ" and "TỊCH" (synthetic scan of kh-ubnd-hcm-2025-172)
    from vanthu.models.document import PageText
    from vanthu.pipeline.layout.lines import assemble_lines

    def w(text, x0, y0, x1, y1, line):
        return Word(text=text, x0=x0, y0=y0, x1=x1, y1=y1, confidence=0.95, line=line)

    ws = [
        w("-", 355, 773, 368, 777, 1),
        w("Thường", 381, 753, 526, 796, 1),
        w("trực", 538, 759, 610, 794, 1),
        w("Thành", 623, 753, 716, 787, 1),
        w("ủy;", 752, 753, 807, 796, 1),
        w("PHÓ", 1527, 771, 1651, 812, 2),
        w("CHỦ", 1670, 771, 1797, 811, 2),
        w("TỊCH", 1812, 771, 1961, 822, 2),
        w("-", 355, 825, 368, 829, 3),
        w("Thường", 381, 805, 526, 848, 3),
        w("trực", 538, 811, 610, 846, 3),
        w("HĐND;", 624, 807, 754, 838, 3),
    ]
    lines = assemble_lines([PageText(number=1, width=2480, height=3508, unit="px", source="ocr", words=tuple(ws))])
    assert "PHÓ CHỦ TỊCH" in [ln.text for ln in lines]


def test_scrap_of_a_signature_is_not_the_signer_title():
    # real scan qngai-23: "-Ý" (a signature stroke) between "PHÓ CHỦ TỊCH" and the name
    from vanthu.models.document import Line, Regions
    from vanthu.pipeline.fields.signer import read_signer
    from vanthu.pipeline.provenance import ProvenanceLog

    def ln(text, y0, y1):
        return Line(text=text, page=2, x0=1430, y0=y0, x1=1900, y1=y1, column="right", unit="px")

    regions = Regions(
        signer=(
            ln("KT. CHỦ TỊCH", 1719, 1787),
            ln("PHÓ CHỦ TỊCH", 1786, 1854),
            ln("-Ý", 2012, 2184),
            ln("Trần Hoàng Tuấn", 2226, 2295),
        )
    )
    signer = read_signer(regions, ProvenanceLog())
    assert (signer.prefix, signer.title, signer.name) == ("KT.", "PHÓ CHỦ TỊCH", "Trần Hoàng Tuấn")


def test_signer_title_after_scraps_of_a_seal():
    from vanthu.pipeline.fields.signer import known_title

    assert known_title('"Ă%` PHÓ CHỦ TỊCH') == "PHÓ CHỦ TỊCH"
    assert known_title("Ư THỦ TƯỚNG") == "THỦ TƯỚNG"
    assert known_title("PHÓ THỦ TƯỚNG") == "PHÓ THỦ TƯỚNG"


def test_type_title_with_specks_around_it_is_still_the_title():
    from vanthu.pipeline.rules.loader import rules

    assert rules().type_by_title("'KẾ HOẠCH:") == "Kế hoạch"
    assert rules().type_by_title("_QUYẾT ĐỊNH") == "Quyết định"
    assert rules().type_by_title("KẾ HOẠCH NĂM") is None


@pytest.mark.parametrize(
    ("printed", "doc_type"),
    [
        # issue 18, seventh round: a type name in capitals with a letter or its marks misread
        ("-_GHỈ THỊ", "Chỉ thị"),
        ("QUYẾT ĐINH", "Quyết định"),
        ("KẾ HOẠCK", "Kế hoạch"),
        ("CÔNG ĐIỆM", "Công điện"),
        # ... but no other line in capitals, nor a type name in small letters misread
        ("TỈNH ỦY", None),
        ("HỘI NGHỊ", None),
        ("CHI BỘ", None),
        ("Ghỉ thị", None),
        ("GHỈ THỊ XÃ", None),
    ],
)
def test_type_title_with_a_misread_letter(printed: str, doc_type: str | None) -> None:
    from vanthu.pipeline.rules.loader import rules

    assert rules().type_by_title(printed) == doc_type


def test_distribution_label_run_together():
    from vanthu.pipeline.rules.loader import patterns

    assert patterns().distribution_label.match("Nơinhận:")
