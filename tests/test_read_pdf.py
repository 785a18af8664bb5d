"""The PDF reader (``read.pdf``, ``read.pdf_words``): pdfium (first) and pdfplumber
(second reading and fallback) give the same lines; short pages, scans and damaged files;
numbers stamped into the blanks; the hand-off to OCR."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from fpdf import FPDF
from PIL import Image

from tests.conftest import SAMPLES, shared_dir
from vanthu.models.document import PageText, Word
from vanthu.pipeline.errors import CorruptInput, EncryptedInput, NotALetter, NoTextFound
from vanthu.pipeline.extract import extract_file
from vanthu.pipeline.layout.lines import assemble_lines
from vanthu.pipeline.read import pdf as reader
from vanthu.pipeline.read import pdf_words
from vanthu.pipeline.read.detect import load_input
from vanthu.pipeline.read.registry import READERS
from vanthu.pipeline.settings import ReadSettings, Settings

DEFAULTS = Settings()
PDFPLUMBER = Settings(read=ReadSettings(pdf_reader="pdfplumber"))
MAX_PAGES = DEFAULTS.limits.max_pages

SAMPLE_PDFS = sorted(SAMPLES.glob("*.pdf"))


def _lines(pages):
    return [
        (ln.page, ln.text, ln.column, ln.bold, ln.italic, round(ln.size, 1), ln.indent) for ln in assemble_lines(pages)
    ]


def _same_boxes(a, b) -> bool:
    """The lines' boxes agree to within 0.1 pt (pdfium computes in float32)."""
    la, lb = assemble_lines(a), assemble_lines(b)
    return len(la) == len(lb) and all(
        max(abs(x - y) for x, y in zip(p.bbox, q.bbox, strict=True)) < 0.1 for p, q in zip(la, lb, strict=True)
    )


@pytest.mark.parametrize("pdf", SAMPLE_PDFS, ids=lambda p: p.name)
def test_pdfium_and_pdfplumber_give_the_same_lines(pdf: Path):
    inp = load_input(pdf)
    first = reader.read_pdf(inp, DEFAULTS)
    second = reader.read_pdf(inp, PDFPLUMBER)
    assert [p.source for p in first] == [p.source for p in second] == ["text-layer"] * len(first)
    assert _lines(first) == _lines(second)
    assert _same_boxes(first, second)


def test_pdfium_words_carry_size_and_style():
    inp = load_input(SAMPLES / "qd-ubnd-huyen-2024-19.pdf")
    words = [w for p in reader._pdfium_pages(inp, MAX_PAGES)[0] for w in p.words]
    by_text = {w.text: w for w in words}
    assert by_text["QUYẾT"].bold and not by_text["QUYẾT"].italic  # the type title
    assert by_text["cứ"].italic  # "Căn cứ …" lines are italic
    assert all(abs((w.y1 - w.y0) - w.size) < 0.01 for w in words)  # one em high, like pdfminer
    # an italic glyph's ink overhangs its advance; the word still ends where the space begins
    nxt = words[words.index(by_text["cứ"]) + 1]
    assert by_text["cứ"].x1 <= nxt.x0


def test_whole_file_falls_back_to_pdfplumber(monkeypatch):
    """A file pdfium refuses (but pdfminer parses) is read by pdfplumber."""
    pdf = SAMPLES / "tb-so-2024-88.pdf"

    def refuse(inp, max_pages):
        raise CorruptInput(inp.path, "the PDF cannot be opened (pdfium: test)")

    expected = extract_file(pdf).model_dump(mode="json")
    monkeypatch.setattr(reader, "_pdfium_pages", refuse)
    got = extract_file(pdf).model_dump(mode="json")
    assert got == expected


def test_page_pdfium_cannot_read_gets_pdfplumbers_reading(monkeypatch):
    """A page whose pdfium text layer is unusable is read again by pdfplumber."""
    pdf = SAMPLES / "tb-so-2024-88.pdf"
    expected = reader.read_pdf(load_input(pdf), DEFAULTS)
    real = pdf_words.pdfium_words
    calls = []

    def garbage_on_page_one(textpage, left, top):
        calls.append(1)
        words = real(textpage, left, top)
        if len(calls) == 1:
            return [w.model_copy(update={"text": "\ufffd"}) for w in words]
        return words

    monkeypatch.setattr(reader, "pdfium_words", garbage_on_page_one)
    got = reader.read_pdf(load_input(pdf), DEFAULTS)
    assert [p.source for p in got] == ["text-layer"] * len(expected)
    assert _lines(got) == _lines(expected) and _same_boxes(got, expected)


def _pdf(path: Path, text: str, image: bool) -> Path:
    doc = FPDF(unit="pt", format="A4")
    doc.add_page()
    if image:
        doc.image(Image.new("L", (400, 560), 255), x=20, y=20, w=555, h=800)
    doc.set_font("helvetica", size=14)
    doc.text(72, 100, text)
    doc.output(str(path))
    return path


def test_line_end_hyphen_and_smaller_text_on_the_baseline(tmp_path: Path):
    """Regressions found on a real letter: pdfium gives a hyphen that ends a line as
    U+FFFE ("186/KH\ufffe"); a smaller run sharing the baseline ("KGVX" + 7 pt
    "VHTin534.") is a separate word, as pdfplumber reads it (tops 3 pt apart)."""
    doc = FPDF(unit="pt", format="A4")
    doc.add_page()
    doc.set_font("helvetica", size=11)
    for k in range(4):  # enough words for a text page
        doc.text(72, 60 + 14 * k, "Thuc hien ke hoach cua Uy ban nhan dan tinh ve chuyen doi so nam 2024")
    doc.text(72, 150, "theo Ke hoach so 186/KH-")
    doc.text(72, 164, "UBND ngay 10/10/2024.")
    doc.text(72, 190, "Luu: VT, KGVX")
    x = 72 + doc.get_string_width("Luu: VT, KGVX") + 0.2
    doc.set_font("helvetica", size=7)
    doc.text(x, 190, "VHTin534.")
    path = tmp_path / "h.pdf"
    doc.output(str(path))
    inp = load_input(path)
    words = [w.text for w in reader.read_pdf(inp, DEFAULTS)[0].words]
    assert "186/KH-" in words and "UBND" in words
    assert "KGVX" in words and "VHTin534." in words
    assert [w.text for w in reader.read_pdf(inp, PDFPLUMBER)[0].words] == words


def test_image_only_page_is_not_read_twice(tmp_path: Path, monkeypatch):
    """A scanned page has no glyphs at all: nothing for pdfplumber to re-read."""
    doc = FPDF(unit="pt", format="A4")
    doc.add_page()
    doc.image(Image.new("L", (400, 560), 255), x=20, y=20, w=555, h=800)
    path = tmp_path / "scan.pdf"
    doc.output(str(path))
    monkeypatch.delitem(READERS, "ocr", raising=False)
    monkeypatch.setattr(reader, "_pdfplumber_pages", lambda *a, **k: pytest.fail("pdfplumber re-read a scan"))
    with pytest.raises(NoTextFound):
        reader.read_pdf(load_input(path), DEFAULTS)


def test_short_page_without_image_is_text(tmp_path: Path):
    """Few words and no picture: a short page, not a scan (never handed to OCR)."""
    pages = reader.read_pdf(load_input(_pdf(tmp_path / "short.pdf", "Potato salad recipe", image=False)), DEFAULTS)
    assert pages[0].source == "text-layer"
    assert [w.text for w in pages[0].words] == ["Potato", "salad", "recipe"]


def test_scan_with_a_few_words_goes_to_the_ocr_reader(tmp_path: Path, monkeypatch):
    """A page-size image under a few words (a signature box on a scan) is OCR's."""
    path = _pdf(tmp_path / "scan.pdf", "Signed digitally", image=True)
    monkeypatch.delitem(READERS, "ocr", raising=False)

    def no_second_reading(*args, **kwargs):  # pdfminer would find the same two words
        raise AssertionError("pdfplumber re-read a page pdfium read cleanly")

    monkeypatch.setattr(reader, "_pdfplumber_pages", no_second_reading)
    with pytest.raises(NoTextFound):  # no OCR reader installed
        reader.read_pdf(load_input(path), DEFAULTS)
    seen = []

    def fake_ocr(inp, settings, pages=None):
        seen.append((inp.media_type, pages))
        return [
            PageText(
                number=1,
                source="ocr",
                width=595.0,
                height=842.0,
                unit="pt",
                words=(Word(text="OCR", x0=1, y0=1, x1=2, y1=2),),
            )
        ]

    monkeypatch.setitem(READERS, "ocr", fake_ocr)
    pages = reader.read_pdf(load_input(path), DEFAULTS)
    assert seen == [("application/pdf", [1])]
    assert pages[0].source == "ocr" and pages[0].words[0].text == "OCR"


def test_hostile_pdfs_give_a_record_or_a_clear_error():
    """Files pdfminer crashes on (a looping xref chain, page objects stored directly in
    /Kids) open in pdfium and their text is read (they are test files, not letters: "not a
    letter" after reading is right for them); broken ones fail with a typed error, never a
    traceback."""
    folder = shared_dir("hostile")
    manifest = json.loads((folder / "MANIFEST.json").read_text(encoding="utf-8"))
    for name, entry in manifest.items():
        path = folder / name
        if not path.exists():
            continue
        read_words = 0
        try:
            record = extract_file(path)
            outcome = "ok"
        except NotALetter as exc:
            outcome, read_words = "error", int(re.search(r"of its (\d+) words", exc.reason).group(1))
        except (EncryptedInput, CorruptInput, NoTextFound):
            outcome = "error"
        assert outcome in entry["accept"], name
        if name.startswith(("qpdf_append-xref-loop", "qpdf_direct-pages")):  # pdfium read the text
            assert read_words > 0 or (outcome == "ok" and record.source.text_source == "text-layer"), name
        if "encryption" in name:
            assert outcome == "error"


def _renderer():
    from tests.conftest import load_renderer

    return load_renderer()


@pytest.mark.parametrize("opener", ["Triển khai", "Thực hiện"])
def test_pdf_typed_document_subject_starting_like_a_body(tmp_path: Path, opener: str):
    """Geometry: the bold line under the type title is the subject even when it starts
    like a body paragraph; the body's own "Thực hiện …" paragraph is not."""
    layout = json.loads((SAMPLES / "src" / "qd-ubnd-huyen-2024-19.json").read_text(encoding="utf-8"))
    subject = f"{opener} công tác chuyển đổi số trên địa bàn huyện năm 2024"
    layout["number_line"] = "Số: 12/KH-UBND"
    layout["title"] = ["KẾ HOẠCH", subject]
    layout["body"] = [
        "Thực hiện Kế hoạch số 45/KH-UBND ngày 02/3/2024 của UBND tỉnh, UBND huyện ban hành "
        "Kế hoạch triển khai như sau:",
        "1. Phòng Nội vụ chủ trì tổng hợp kết quả.",
    ]
    out = tmp_path / "kh.pdf"
    _renderer().render_letter(layout, out)
    rec = extract_file(out)
    assert rec.doc_type == "Kế hoạch"
    assert rec.subject == subject
    assert [r.number_symbol for r in rec.references] == ["45/KH-UBND"]
    assert [a.label for a in rec.assignments] == ["1"]


def test_page_whose_text_pdfium_cannot_load_is_read_by_pdfplumber(monkeypatch):
    import pypdfium2 as pdfium

    pdf = SAMPLES / "tb-so-2024-88.pdf"
    expected = reader.read_pdf(load_input(pdf), DEFAULTS)
    real = pdfium.PdfPage.get_textpage

    calls = {"n": 0}

    def broken_second_call(self, *args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 2:
            raise pdfium.PdfiumError("test: text page not loaded")
        return real(self, *args, **kwargs)

    monkeypatch.setattr(pdfium.PdfPage, "get_textpage", broken_second_call)
    got = reader.read_pdf(load_input(pdf), DEFAULTS)
    assert calls["n"] == len(expected)
    assert [p.source for p in got] == ["text-layer"] * len(expected)
    assert _lines(got) == _lines(expected)


# ------------------------------------------------- numbers stamped into the blanks
FONT = "/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf"


def _signed_letter(path: Path, stamps: list[tuple[str, float, float]]) -> Path:
    """A digital letter whose number and day are blank in the page text, with ``stamps``
    (text, x, baseline from the top) drawn as annotations, as a records office's signing
    software fills them in."""
    import ctypes

    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    f = FPDF(format="A4", unit="pt")
    f.add_page()
    f.add_font("S", "", FONT)
    f.set_font("S", size=13)
    f.text(100, 80, "ỦY BAN NHÂN DÂN")
    f.text(300, 80, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
    f.text(100, 120, "Số:")
    f.text(160, 120, "/TB-UBND")
    f.text(280, 120, "Quảng Ngãi, ngày")
    f.text(400, 120, "tháng 11 năm 2024")
    f.text(260, 160, "THÔNG BÁO")
    for i in range(30):
        f.text(100, 200 + i * 16, f"Dòng nội dung số {i} của văn bản thông báo.")
    plain = path.with_suffix(".plain.pdf")
    f.output(str(plain))
    pdf = pdfium.PdfDocument(str(plain))
    page = pdf[0]
    h = page.get_height()
    for text, x, base in stamps:
        annot = raw.FPDFPage_CreateAnnot(page.raw, raw.FPDF_ANNOT_STAMP)
        raw.FPDFAnnot_SetRect(annot, raw.FS_RECTF(x - 2, h - base + 14, x + 8 * len(text), h - base - 6))
        obj = raw.FPDFPageObj_NewTextObj(pdf.raw, b"Times-Roman", ctypes.c_float(13))
        buf = ctypes.create_string_buffer((text + "\0").encode("utf-16-le"))
        raw.FPDFText_SetText(obj, ctypes.cast(buf, ctypes.POINTER(ctypes.c_ushort)))
        raw.FPDFPageObj_Transform(obj, 1, 0, 0, 1, x, h - base)
        assert raw.FPDFAnnot_AppendObject(annot, obj)
        raw.FPDFPage_CloseAnnot(annot)
    page.close()
    pdf.save(str(path))
    pdf.close()
    return path


def test_number_and_day_stamped_into_the_blanks_are_read(tmp_path):
    """Regression (real digital letter 565/TB-UBND): the signing software stamps the
    number and the day into the printed blanks as annotations; the text layer alone
    gave "Số: /TB-UBND" and "ngày tháng 11", so both were lost."""
    pdf = _signed_letter(tmp_path / "signed.pdf", [("565", 122, 120), ("15", 382, 120)])
    rec = extract_file(pdf)
    assert rec.number == "565" and rec.number_symbol == "565/TB-UBND"
    assert rec.date == "2024-11-15"
    assert rec.source.text_source == "text-layer"
    # both readers see them
    plumber = reader._with_filled_blanks(load_input(pdf), reader._pdfplumber_pages(load_input(pdf), MAX_PAGES), {1})
    assert "Số: 565 /TB-UBND" in [ln.text for ln in assemble_lines(plumber)]


def test_a_signature_box_or_a_stray_number_is_not_a_filled_blank(tmp_path):
    """Only a number drawn in a printed line's blank is taken: text in a signature box,
    a number on no printed line, or one beside a line but in no blank of it, is no part
    of the letter."""
    pdf = _signed_letter(tmp_path / "signed.pdf", [("Ký bởi", 122, 120), ("2024", 450, 40), ("77", 120, 160)])
    lines = [ln.text for ln in assemble_lines(reader.read_pdf(load_input(pdf), DEFAULTS))]
    assert "Số: /TB-UBND" in lines
    assert not any("2024" in t and "năm" not in t for t in lines)
    assert not any("77" in t for t in lines)  # on the title's row, but in no blank of it


def test_subscript_set_against_a_word_is_joined_to_it():
    """Regression (real digital letter 565): "Lưu: VT, KGVX" + subscript "VHTin534" gave
    "KGVX VHTin534"; printed, it is one word. A word in the same size is still spaced."""

    def w(text, x0, x1, size, y0=725.2):
        return Word(text=text, x0=x0, y0=y0, x1=x1, y1=y0 + size, size=size)

    words = (
        w("Lưu:", 105.5, 126.8, 11.04),
        w("VT,", 129.6, 147.1, 11.04),
        w("KGVX", 149.9, 181.6, 11.04),
        w("VHTin534.", 181.73, 213.6, 6.96, y0=729.4),
        w("Hà", 230.0, 245.0, 11.04),
        w("Nội", 246.0, 260.0, 11.04),
    )
    lines = assemble_lines([PageText(number=1, width=595, height=842, unit="pt", source="text-layer", words=words)])
    assert [ln.text for ln in lines] == ["Lưu: VT, KGVXVHTin534. Hà Nội"]


# ------------------------------------------------- a parser's exceptions, typed
def test_pdf_error_unwraps_and_classifies() -> None:
    from vanthu.pipeline import errors

    class PdfminerException(Exception):
        pass

    class PDFPasswordIncorrect(Exception):
        pass

    enc = errors.pdf_error("a.pdf", PdfminerException(PDFPasswordIncorrect()))
    assert isinstance(enc, errors.EncryptedInput) and "encrypted" in enc.reason
    loop = errors.pdf_error("a.pdf", PdfminerException(RecursionError("maximum recursion depth exceeded")))
    assert isinstance(loop, errors.CorruptInput) and "loops" in loop.reason
    eof = errors.pdf_error("a.pdf", PdfminerException(EOFError("Unexpected EOF")))
    assert (
        isinstance(eof, errors.CorruptInput) and eof.reason == "the file is cut off (an incomplete copy or download?)"
    )
    assert eof.detail == "engine message: EOFError: Unexpected EOF\n"  # the engine's words, for --debug
    bare = errors.pdf_error("a.pdf", PdfminerException(IndexError()))
    assert bare.reason == "the PDF cannot be read: its structure is damaged" and "IndexError" in bare.detail


def test_page_limit_is_passed_down(tmp_path: Path) -> None:
    """``limits.max_pages`` reaches both PDF readers as an argument (no module global)."""
    from vanthu.pipeline.errors import TooLarge
    from vanthu.pipeline.settings import LimitSettings

    inp = load_input(SAMPLES / "tb-so-2024-88.pdf")
    few = Settings(limits=LimitSettings(max_pages=1))
    n = len(reader.read_pdf(inp, DEFAULTS))
    for settings in (few, few.model_copy(update={"read": ReadSettings(pdf_reader="pdfplumber")})):
        with pytest.raises(TooLarge, match=f"{n} pages, over the limit of 1"):
            reader.read_pdf(inp, settings)
