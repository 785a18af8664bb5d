"""OCR stage: image cleaning, post-correction, handwritten slots, the Tesseract adapter."""

from __future__ import annotations

import shutil

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from vanthu.models.document import Word
from vanthu.pipeline.ocr import clean as imageprep
from vanthu.pipeline.ocr.handwriting import fill_handwritten
from vanthu.pipeline.ocr.postcorrect import correct_words, strip_marks

FONT = "/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf"
needs_tesseract = pytest.mark.skipif(shutil.which("tesseract") is None, reason="tesseract not installed")


def words(*texts: str, y: float = 100.0) -> list[Word]:
    out, x = [], 10.0
    for t in texts:
        out.append(Word(text=t, x0=x, y0=y, x1=x + 12 * len(t), y1=y + 20, confidence=0.9))
        x += 12 * len(t) + 8
    return out


def text_page(lines: list[str], size=(1240, 1754), font_size=34) -> Image.Image:
    img = Image.new("RGB", size, "white")
    d = ImageDraw.Draw(img)
    font = ImageFont.truetype(FONT, font_size)
    for i, line in enumerate(lines):
        d.text((120, 150 + i * 60), line, fill="black", font=font)
    return img


# ------------------------------------------------------------------ post-correction
def test_ocr_misreads_from_nd30_are_corrected():
    got = [w.text for w in correct_words(words("Sô:", "12/UBND-VP"))]
    assert got == ["Số:", "12/UBND-VP"]
    assert [w.text for w in correct_words(words("VIv", "triển", "khai"))][0] == "V/v"
    assert [w.text for w in correct_words(words("Kinh", "gui:", "Sở", "Nội", "vụ"))][:2] == ["Kính", "gửi:"]
    assert correct_words(words("ÐẢNG"))[0].text == "ĐẢNG"


def test_vocabulary_restores_accents_of_known_phrases():
    assert [w.text for w in correct_words(words("UY", "BẠN", "NHÂN", "DẪN"))] == ["ỦY", "BAN", "NHÂN", "DÂN"]
    assert [w.text for w in correct_words(words("THÔNG", "BẢO"))] == ["THÔNG", "BÁO"]
    assert [w.text for w in correct_words(words("QUYÉT", "ĐỊNH"))] == ["QUYẾT", "ĐỊNH"]
    assert [w.text for w in correct_words(words("TÍNH", "QUẢNG", "NGÃI"))] == ["TỈNH", "QUẢNG", "NGÃI"]


def test_vocabulary_keeps_case_of_running_text():
    # "Chủ tịch" in a sentence must not become "CHỦ TỊCH"
    got = [w.text for w in correct_words(words("của", "Chủ", "tịch", "UBND"))]
    assert got == ["của", "Chủ", "tịch", "UBND"]


def test_year_context_rule_and_real_word_left_alone():
    assert [w.text for w in correct_words(words("tháng", "8", "nắm", "2024"))] == ["tháng", "8", "năm", "2024"]
    # "nắm bắt" (to grasp) is a real word: no year after it, no change
    assert [w.text for w in correct_words(words("nắm", "bắt", "tình", "hình"))][0] == "nắm"


def test_misread_surname_of_a_name():
    assert [w.text for w in correct_words(words("Trãn", "Phước", "Hiền"))] == ["Trần", "Phước", "Hiền"]
    # a lone capitalised word is not a name
    assert correct_words(words("Nguyên", "tắc"))[0].text == "Nguyên"


def test_corrections_keep_boxes_and_confidence():
    src = words("Sô:", "5/UBND")
    out = correct_words(src)
    assert (out[0].x0, out[0].x1, out[0].confidence) == (src[0].x0, src[0].x1, src[0].confidence)


def test_strip_marks():
    assert strip_marks("Đường Ỷ") == "duong y"


# ------------------------------------------------------------------ image cleaning
def test_red_seal_is_removed_and_black_print_kept():
    img = np.full((200, 200, 3), 255, np.uint8)
    img[50:60, 20:180] = (20, 20, 20)  # black print
    img[100:150, 50:150] = (200, 30, 40)  # red seal
    grey, share = imageprep.remove_coloured_ink(img)
    assert grey[55, 100] < 60
    assert grey[120, 100] == 255
    assert share["red"] > 0.1


def test_blue_pen_kept_in_header_band_only():
    img = np.full((200, 200, 3), 255, np.uint8)
    img[20:30, 20:80] = (30, 40, 160)  # blue handwriting in the header band
    img[150:160, 20:80] = (30, 40, 160)  # blue signature lower down
    grey, _ = imageprep.remove_coloured_ink(img, keep_blue_rows=60)
    assert grey[25, 50] <= 60
    assert grey[155, 50] == 255


def test_skew_is_measured_and_corrected():
    page = text_page([f"Dòng chữ thứ {i} của công văn để đo góc nghiêng trang" for i in range(14)])
    grey = np.asarray(page.convert("L"))
    tilted = np.asarray(page.convert("L").rotate(2.0, fillcolor=255, resample=Image.BILINEAR))
    assert abs(imageprep.estimate_skew(grey)) < 0.3
    angle = imageprep.estimate_skew(tilted)
    assert abs(angle + 2.0) < 0.4, angle


def test_background_flattening_whitens_grey_paper():
    page = np.asarray(text_page(["Ủy ban nhân dân tỉnh"]).convert("L")).astype(np.int16)
    shaded = np.clip(page - np.linspace(0, 90, page.shape[1])[None, :], 0, 255).astype(np.uint8)
    flat = imageprep.flatten_background(shaded)
    assert flat[1500, 1200] > 240  # right edge was at 165
    assert flat[1500, 100] > 240


def test_photographed_page_is_found_and_straightened():
    page = text_page(["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"] * 10, size=(620, 877))
    canvas = Image.new("RGB", (1000, 1200), (60, 55, 50))
    canvas.paste(page, (180, 150))
    rgb = imageprep.to_rgb_array(canvas)
    quad = imageprep.find_page_quad(rgb)
    assert quad is not None
    assert np.allclose(quad[0], (180, 150), atol=6) and np.allclose(quad[2], (800, 1027), atol=6)
    warped = imageprep.warp_page(rgb, quad, dpi=100)
    assert warped.shape[0] > warped.shape[1]  # portrait A4
    # a scan (page fills the image) is left alone
    assert imageprep.find_page_quad(imageprep.to_rgb_array(page)) is None


# ------------------------------------------------------------------ handwritten slots
def test_handwritten_number_junk_is_reread_as_digits():
    ws = [Word(text="Số:", x0=100, y0=100, x1=160, y1=130, confidence=0.9),
          Word(text="6§0", x0=175, y0=98, x1=230, y1=132, confidence=0.3),
          Word(text="/TB-UBND", x0=240, y0=100, x1=380, y1=130, confidence=0.95)]
    calls = []

    def reader(crop, kind):
        calls.append((kind, crop.size))
        return "660", 0.8

    out, warnings = fill_handwritten(ws, Image.new("L", (1000, 1400), 255), reader, page_height=1400)
    assert calls and calls[0][0] == "number"
    assert " ".join(w.text for w in sorted(out, key=lambda w: w.x0)) == "Số: 660 /TB-UBND"
    assert not warnings


def test_unsure_handwriting_is_left_blank_with_a_warning():
    ws = [Word(text="Số:", x0=100, y0=100, x1=160, y1=130, confidence=0.9),
          Word(text="Ø0", x0=175, y0=98, x1=230, y1=132, confidence=0.1),
          Word(text="/BC-UBND", x0=240, y0=100, x1=380, y1=130, confidence=0.95)]
    out, warnings = fill_handwritten(ws, Image.new("L", (1000, 1400), 255),
                                     lambda crop, kind: ("80", 0.35), page_height=1400)
    assert [w.text for w in out] == ["Số:", "/BC-UBND"]
    assert any("unsure" in w and "number" in w for w in warnings)


def test_number_glued_to_so_is_split():
    ws = [Word(text="Số:Ø0", x0=469, y0=392, x1=653, y1=454, confidence=0.05),
          Word(text="/BC-UBND", x0=690, y0=392, x1=969, y1=454, confidence=0.9)]
    out, _ = fill_handwritten(ws, Image.new("L", (2480, 3508), 255), lambda c, k: ("280", 0.9), page_height=3508)
    assert sorted(w.text for w in out) == sorted(["Số:", "280", "/BC-UBND"])


def test_clean_printed_number_is_not_reread():
    ws = words("Số:", "15", "/KH-UBND", y=50) + words("Hà", "Nội,", "ngày", "15", "tháng", "8", "năm", "2024", y=90)

    def reader(crop, kind):
        raise AssertionError("a clean printed slot must not be re-read")

    out, warnings = fill_handwritten(ws, Image.new("L", (800, 1200), 255), reader, page_height=1200)
    assert out == ws and not warnings


def test_day_glued_to_ngay_is_cut_and_reread():
    ws = words("Quảng", "Ngãi,", "ngày2#", "tháng", "12", "năm", "2024", y=90)
    ws = [w.model_copy(update={"confidence": 0.95}) if w.text != "ngày2#" else w.model_copy(update={"confidence": 0.4})
          for w in ws]
    seen = []
    out, _ = fill_handwritten(ws, Image.new("L", (800, 1200), 255),
                              lambda crop, kind: (seen.append(kind) or ("21", 0.9)), page_height=1200)
    assert seen == ["day"]
    assert " ".join(w.text for w in sorted(out, key=lambda w: w.x0)) == "Quảng Ngãi, ngày 21 tháng 12 năm 2024"


# ------------------------------------------------------------------ Tesseract adapter
@needs_tesseract
def test_ocr_reads_a_rendered_header_with_boxes_in_pixels(tmp_path):
    from vanthu.pipeline.read.detect import load_input
    from vanthu.pipeline.read.readers import read_pages

    page = text_page(["ỦY BAN NHÂN DÂN", "TỈNH LẠNG SƠN", "Số: 123/UBND-VP", "Kính gửi: Sở Tài chính"],
                     size=(1240, 900), font_size=40)
    png = tmp_path / "header.png"
    page.save(png, dpi=(150, 150))
    pages = read_pages(load_input(png))
    assert len(pages) == 1 and pages[0].source == "ocr" and pages[0].unit == "px"
    text = " ".join(w.text for w in pages[0].words)
    assert "ỦY BAN NHÂN DÂN" in text and "123/UBND-VP" in text and "Kính gửi:" in text
    w = next(w for w in pages[0].words if w.text == "Kính")
    assert 100 < w.x0 < 160 and 300 < w.y0 < 360  # where it was drawn (third line at y=150+3*60)
    assert 0.5 < w.confidence <= 1.0


@needs_tesseract
def test_missing_tesseract_is_an_ocr_engine_error(tmp_path, monkeypatch):
    from vanthu.pipeline.errors import ExitCode, OcrEngineError
    from vanthu.pipeline.read.detect import load_input
    from vanthu.pipeline.read.readers import read_pages

    png = tmp_path / "p.png"
    text_page(["Số: 1/UBND"], size=(600, 300)).save(png)
    monkeypatch.setenv("VANTHU_TESSERACT_CMD", str(tmp_path / "no-such-tesseract"))
    with pytest.raises(OcrEngineError) as err:
        read_pages(load_input(png))
    assert err.value.exit_code == ExitCode.OCR_ENGINE
    assert "apt-get install tesseract-ocr" in err.value.line()


@needs_tesseract
def test_crashing_tesseract_is_an_ocr_engine_error(tmp_path, monkeypatch):
    from vanthu.pipeline.errors import OcrEngineError
    from vanthu.pipeline.read.detect import load_input
    from vanthu.pipeline.read.readers import read_pages

    fake = tmp_path / "tesseract"
    fake.write_text("#!/bin/sh\ncase \"$*\" in *--version*) echo 'tesseract 5.3.0';; *) echo boom >&2; exit 3;; esac\n")
    fake.chmod(0o755)
    png = tmp_path / "p.png"
    text_page(["Số: 1/UBND"], size=(600, 300)).save(png)
    monkeypatch.setenv("VANTHU_TESSERACT_CMD", str(fake))
    with pytest.raises(OcrEngineError, match="Tesseract failed on page 1"):
        read_pages(load_input(png))


# ------------------------------------------------------------------ pngstore (Tesseract without its PNG compression)
def test_pngstore_is_built_by_setup_and_found():
    from vanthu.pipeline.ocr.pages import pngstore_library

    lib = pngstore_library()
    assert lib is not None and lib.endswith("pngstore.so"), "run ./scripts/setup.sh: it builds pngstore"


def test_pngstore_makes_zlib_store_instead_of_compress(tmp_path):
    """Preloaded, the library turns every deflate stream a program starts into level 0:
    the data comes back the same, only stored."""
    import os
    import subprocess
    import sys

    from vanthu.pipeline.ocr.pages import pngstore_library

    probe = ("import zlib; d = b'ba ' * 50000; c = zlib.compress(d, 9); "
             "assert zlib.decompress(c) == d; print(len(c))")
    plain = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    env = dict(os.environ, LD_PRELOAD=pngstore_library())
    stored = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True, env=env)
    assert int(plain.stdout) < 2_000  # compressed
    assert int(stored.stdout) >= 150_000  # stored as it is


def test_pngstore_reaches_tesseract_only(monkeypatch):
    import os

    import pytesseract

    from vanthu.pipeline.ocr.pages import OcrOptions, TesseractEnviron, _pytesseract, pngstore_library

    monkeypatch.setattr(pytesseract.pytesseract, "environ", os.environ)
    monkeypatch.setenv("LD_PRELOAD", "/other/lib.so")
    _pytesseract(OcrOptions())
    env = pytesseract.pytesseract.environ
    assert isinstance(env, TesseractEnviron)
    assert dict(env.items())["LD_PRELOAD"].split() == [pngstore_library(), "/other/lib.so"]
    assert os.environ["LD_PRELOAD"] == "/other/lib.so"  # this process's own environment is left alone
    monkeypatch.setenv("VANTHU_OCR_MARK", "1")  # read when Tesseract starts, not copied once
    assert env["VANTHU_OCR_MARK"] == "1"
    monkeypatch.setenv("VANTHU_TESSERACT_PRELOAD", "")  # switched off
    _pytesseract(OcrOptions())
    assert pytesseract.pytesseract.environ is os.environ


@needs_tesseract
def test_pngstore_tesseract_reads_the_same_words(tmp_path):
    import os
    import subprocess

    from vanthu.pipeline.ocr.pages import pngstore_library

    page = text_page(["ỦY BAN NHÂN DÂN TỈNH LẠNG SƠN", "Số: 123/UBND-VP", "Kính gửi: Sở Tài chính",
                      "Thực hiện Công văn số 45/BNV-TCBC ngày 12 tháng 3 năm 2024"],
                     size=(1240, 500), font_size=34)
    # grey paper with grain: the line images Tesseract PNG-encodes are not blank
    grain = np.random.default_rng(0).integers(-12, 12, (500, 1240, 3))
    noisy = np.clip(np.asarray(page).astype(int) - 20 + grain, 0, 255).astype(np.uint8)
    Image.fromarray(noisy).save(tmp_path / "p.png")
    cmd = ["tesseract", str(tmp_path / "p.png"), "-", "-l", "vie", "-c", "thresholding_method=2", "tsv"]
    env = dict(os.environ, OMP_THREAD_LIMIT="1")
    plain = subprocess.run(cmd, capture_output=True, text=True, check=True, env=env).stdout
    stored = subprocess.run(cmd, capture_output=True, text=True, check=True,
                            env=dict(env, LD_PRELOAD=pngstore_library())).stdout
    assert "123/UBND-VP" in plain and "gửi:" in plain
    assert stored == plain


# ------------------------------------------------------------------ lexicon (underthesea's word list)
def test_lexicon_is_built_once_then_loaded_from_the_cache(tmp_path, monkeypatch):
    from vanthu.pipeline.ocr import lexicon as lx

    monkeypatch.setenv("VANTHU_CACHE_DIR", str(tmp_path / "cache"))
    builds = []
    real_init = lx.Lexicon.__init__
    monkeypatch.setattr(lx.Lexicon, "__init__", lambda self, *a: builds.append(1) or real_init(self, *a))
    built = lx.lexicon.__wrapped__()
    [cached] = (tmp_path / "cache").glob("lexicon-*.pickle")
    loaded = lx.lexicon.__wrapped__()
    assert len(builds) == 1  # the second one came from the cache
    assert loaded.freq == built.freq and loaded.pairs == built.pairs and loaded.bigrams == built.bigrams
    assert loaded.known(lx.syllable_key("tỉnh")) and not loaded.known(lx.syllable_key("tỉnhh"))
    cached.write_bytes(b"not a pickle")  # damaged: rebuilt and rewritten
    again = lx.lexicon.__wrapped__()
    assert len(builds) == 2 and again.pairs == built.pairs
    assert lx.lexicon.__wrapped__().pairs == built.pairs and len(builds) == 2


def test_lexicon_works_where_its_cache_cannot_be_written(tmp_path, monkeypatch):
    from vanthu.pipeline.ocr import lexicon as lx

    blocker = tmp_path / "a-file"
    blocker.write_text("")
    monkeypatch.setenv("VANTHU_CACHE_DIR", str(blocker / "cache"))  # under a file: no directory
    lex = lx.lexicon.__wrapped__()
    assert lex.known(lx.syllable_key("tỉnh"))
    assert list(tmp_path.iterdir()) == [blocker]  # nothing left behind
def test_impossible_syllable_takes_the_dictionary_tone():
    from vanthu.pipeline.ocr.lexicon import fix_syllables

    assert fix_syllables("tại buỗi làm việc".split()) == "tại buổi làm việc".split()
    assert fix_syllables("thực hiện tôt phương châm".split())[2] == "tốt"


def test_real_syllables_are_not_changed_by_weak_context():
    from vanthu.pipeline.ocr.lexicon import fix_syllables

    # a real syllable next to a word that is already whole is never changed
    assert fix_syllables("trên địa bàn tỉnh".split())[3] == "tỉnh"  # not "bàn tính"
    assert fix_syllables("Hội đồng nhân dân tỉnh".split())[4] == "tỉnh"  # not "dân tình"
    assert fix_syllables("TỈNH LẠNG SƠN".split()) == ["TỈNH", "LẠNG", "SƠN"]
    # common words next to names, and proper names themselves, are left alone
    assert fix_syllables("Sở Kế hoạch và Đầu tư".split()) == "Sở Kế hoạch và Đầu tư".split()
    assert fix_syllables("có gì giúp nấy".split())[0] == "có"
    assert fix_syllables("Nguyễn Hoàng Giang".split()) == ["Nguyễn", "Hoàng", "Giang"]


def test_tone_placement_style_of_the_letter_is_kept():
    from vanthu.pipeline.ocr.lexicon import render, syllable_key

    assert syllable_key("hoá") == syllable_key("hóa")
    assert render(syllable_key("của")) == "của"
    assert render(syllable_key("người")) == "người"
    assert render(syllable_key("quả")) == "quả"


# ------------------------------------------------------------------ inputs that need OCR
BODY = ("Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015; Ủy ban nhân dân "
        "tỉnh đề nghị các sở, ban, ngành và địa phương triển khai thực hiện nghiêm túc nội dung "
        "công văn này và báo cáo kết quả về Văn phòng trước ngày 30 tháng 9 năm 2024.")


def _pdf_text_then_image(path, tmp_path):
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.add_font("serif", "", FONT)
    pdf.set_font("serif", size=13)
    pdf.add_page()
    pdf.multi_cell(0, 8, BODY)
    img = text_page(["Kính gửi: Sở Tài chính tỉnh Lạng Sơn", "Số: 45/UBND-KT"], size=(1240, 500), font_size=36)
    png = tmp_path / "p2.png"
    img.save(png)
    pdf.add_page()
    pdf.image(str(png), x=0, y=20, w=210)
    pdf.output(str(path))


def test_mojibake_text_layer_is_not_usable():
    from vanthu.pipeline.read.readers import usable_text_layer

    tcvn3 = "Uû ban nh©n d©n tØnh L¹ng S¬n ®Ò nghÞ c¸c së, ban, ngµnh thùc hiÖn".split() * 3
    good = "Ủy ban nhân dân tỉnh Lạng Sơn đề nghị các sở, ban, ngành thực hiện".split() * 3
    mk = lambda ts: [Word(text=t, x0=i, y0=0, x1=i + 1, y1=1) for i, t in enumerate(ts)]  # noqa: E731
    assert not usable_text_layer(mk(tcvn3))
    assert usable_text_layer(mk(good))


@needs_tesseract
def test_pdf_with_one_scanned_page_is_mixed(tmp_path):
    from vanthu.pipeline.extract import text_source
    from vanthu.pipeline.read.detect import load_input
    from vanthu.pipeline.read.readers import read_pages

    path = tmp_path / "mixed.pdf"
    _pdf_text_then_image(path, tmp_path)
    pages = read_pages(load_input(path))
    assert [p.source for p in pages] == ["text-layer", "ocr"]
    assert pages[0].unit == "pt" and pages[1].unit == "px"
    assert "45/UBND-KT" in " ".join(w.text for w in pages[1].words)
    assert any("no usable text layer" in w for w in pages[1].warnings)
    assert text_source(pages) == "mixed"


def test_pages_rendered_as_arrays_are_the_pil_pages_pixels(tmp_path):
    from vanthu.pipeline.ocr.raster import page_images

    path = tmp_path / "mixed.pdf"
    _pdf_text_then_image(path, tmp_path)
    pil = list(page_images(path, "application/pdf", dpi=150))
    arrays = list(page_images(path, "application/pdf", dpi=150, arrays=True))
    assert [n for n, _ in arrays] == [n for n, _ in pil] == [1, 2]
    for (_, im), (_, arr) in zip(pil, arrays):
        assert arr.dtype == np.uint8 and arr.shape == (im.height, im.width, 3)
        assert np.array_equal(arr, np.asarray(im.convert("RGB")))


def test_page_source_lets_its_image_go_and_loads_it_again_when_asked():
    from vanthu.pipeline.ocr.pages import PageSource

    image, loads = np.zeros((30, 20, 3), np.uint8), []
    src = PageSource(image, load=lambda: loads.append(1) or np.ones((30, 20, 3), np.uint8))
    del image
    assert src.size == (20, 30)
    assert src.take().sum() == 0 and src._image is None and not loads  # handed out once, not kept
    assert src.take().sum() > 0 and loads == [1]  # the file's pixels again
    kept = PageSource(np.zeros((3, 2), np.uint8))  # nothing to load from: kept
    assert kept.take() is kept.take()


def test_pages_are_rendered_no_further_ahead_than_the_threads_that_read_them(monkeypatch):
    """A long scan's pages used to be rendered all at once, each waiting in memory."""
    import threading
    import time

    from vanthu.models.document import InputFile, PageText
    from vanthu.pipeline.ocr import pages as ocr
    from vanthu.pipeline.ocr import raster

    lock, read, waiting = threading.Lock(), [], []

    def pages(path, media_type, dpi=300, pages=None, arrays=False):
        for n in pages or range(1, 13):
            with lock:
                waiting.append(n - len(read))  # rendered and not yet read, this one included
            yield n, np.zeros((4, 4, 3), np.uint8)

    def recognise(n, source, opts, path):
        time.sleep(0.01)  # reading takes a while; rendering does not wait for it unless made to
        with lock:
            read.append(n)
        return PageText(number=n, width=4.0, height=4.0, unit="px", source="ocr")

    monkeypatch.setattr(raster, "page_images", pages)
    monkeypatch.setattr(ocr, "recognise_page", recognise)
    monkeypatch.setattr(ocr, "check_engine", lambda opts, path: None)
    inp = InputFile(path="long.pdf", name="long.pdf", media_type="application/pdf", sha256="0" * 64, size=1)
    got = ocr.ocr_pages(inp, opts=ocr.OcrOptions(workers=2))
    assert [p.number for p in got] == list(range(1, 13))
    assert max(waiting) <= 3  # two being read and one being cleaned, never the whole scan


def test_a_page_array_turns_as_a_pil_page_does():
    from vanthu.pipeline.ocr.pages import _size, _turned

    img = text_page(["Số: 12/UBND"], size=(300, 200))
    arr = np.asarray(img)
    for turn in (90, 180, 270):
        assert np.array_equal(_turned(arr, turn), np.asarray(_turned(img, turn))), turn
    assert _size(_turned(arr, 90)) == _size(_turned(img, 90)) == (200, 300)


@needs_tesseract
def test_multipage_tiff_reads_every_frame(tmp_path):
    from vanthu.pipeline.read.detect import load_input
    from vanthu.pipeline.read.readers import read_pages

    frames = [text_page([f"Trang số {n}: Kính gửi Sở Nội vụ"], size=(1000, 300), font_size=36).convert("L")
              for n in (1, 2)]
    tif = tmp_path / "scan.tif"
    frames[0].save(tif, save_all=True, append_images=frames[1:], dpi=(150, 150))
    pages = read_pages(load_input(tif))
    assert [p.number for p in pages] == [1, 2]
    assert "1:" in " ".join(w.text for w in pages[0].words) and "2:" in " ".join(w.text for w in pages[1].words)


@needs_tesseract
def test_exif_rotated_photo_is_read_upright(tmp_path):
    from vanthu.pipeline.read.detect import load_input
    from vanthu.pipeline.read.readers import read_pages

    upright = text_page(["Kính gửi: Sở Tài chính"], size=(900, 400), font_size=40)
    stored = upright.rotate(90, expand=True)  # the camera stored it sideways...
    exif = stored.getexif()
    exif[0x0112] = 6  # ...and says "rotate 90° clockwise to view"
    jpg = tmp_path / "photo.jpg"
    stored.save(jpg, exif=exif, quality=92)
    pages = read_pages(load_input(jpg))
    assert pages[0].width > pages[0].height
    assert "Kính gửi:" in " ".join(w.text for w in pages[0].words)


def test_capital_phrase_with_one_letter_misread():
    assert [w.text for w in correct_words(words("PHÓ", "CHỦ", "TIC"))] == ["PHÓ", "CHỦ", "TỊCH"]
    # running text is never edited this way
    assert [w.text for w in correct_words(words("Phó", "chủ", "tic"))] == ["Phó", "chủ", "tic"]


def test_two_title_signer_block_takes_the_title_above_the_signature():
    from vanthu.models.document import Line, Regions
    from vanthu.pipeline.provenance import ProvenanceLog
    from vanthu.pipeline.fields.signer import read_signer

    def ln(text, y):
        return Line(text=text, page=2, x0=1300, y0=y, x1=1900, y1=y + 45, column="right", unit="px")

    regions = Regions(signer=(ln("TRƯỞNG BAN", 2000), ln("3", 2150), ln("CHỦ TỊCH UBND TỈNH", 2350),
                              ln("Nguyễn Hoàng Giang", 2420)))
    signer = read_signer(regions, ProvenanceLog())
    assert signer.title == "TRƯỞNG BAN" and signer.name == "Nguyễn Hoàng Giang"
    # the usual block: prefix line and title directly under it
    regions = Regions(signer=(ln("KT. CHỦ TỊCH", 2000), ln("PHÓ CHỦ TỊCH", 2050), ln("Trần Phước Hiền", 2400)))
    signer = read_signer(regions, ProvenanceLog())
    assert (signer.prefix, signer.title) == ("KT.", "PHÓ CHỦ TỊCH")


def test_symbol_broken_after_its_hyphen_at_a_line_end_is_joined():
    from vanthu.pipeline.fields.body import _join_symbols

    assert _join_symbols("và số 6138/UBND- KGVX ngày 10/10/2024") == "và số 6138/UBND-KGVX ngày 10/10/2024"
    assert _join_symbols("Công điện số 131/CĐ- TTg ngày") == "Công điện số 131/CĐ-TTg ngày"
    assert _join_symbols("Sở Lao động - Thương binh và Xã hội") == "Sở Lao động - Thương binh và Xã hội"


def test_symbol_parts_misread_d_and_doubled_d_are_fixed():
    assert [w.text for w in correct_words(words("số", "87/HĐĐĐND-KTNS"))][1] == "87/HĐND-KTNS"
    assert [w.text for w in correct_words(words("số", "7603/TTr-HDTĐ"))][1] == "7603/TTr-HĐTĐ"
    # "HD" (Hướng dẫn) is a real type abbreviation: left alone
    assert [w.text for w in correct_words(words("số", "123/HD-UBND"))][1] == "123/HD-UBND"


def test_ocr_rows_tolerate_scattered_word_centres():
    from vanthu.models.document import PageText
    from vanthu.pipeline.layout.lines import assemble_lines

    # one printed row whose words' boxes differ by accents and descenders (OCR boxes)
    ws = [Word(text="Chính", x0=300, y0=1121, x1=420, y1=1170, confidence=0.9),
          Word(text="phủ,", x0=430, y0=1124, x1=520, y1=1182, confidence=0.9),
          Word(text="Công", x0=1700, y0=1140, x1=1820, y1=1180, confidence=0.9),
          Word(text="điện", x0=1840, y0=1118, x1=1950, y1=1182, confidence=0.9)]
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

    paras = paragraphs([
        ln("Theo đề nghị của Chủ tịch Hội đồng thẩm định tại Tờ trình số 7603/TTr-HĐTĐ.", 539, 2054),
        ln("QUYẾT ĐỊNH", 1110, 2313, column="center"),  # OCR lost the colon
        ln("Điều 1. Công nhận địa bàn trọng điểm về TTATXH chuyển hóa đạt năm 2024, gồm:", 537, 2444),
        ln("1. Phường Nghĩa Chánh, thành phố Quảng Ngãi;", 543, 2598),
    ])
    assert [p.text.split()[0] for p in paras] == ["Theo", "QUYẾT", "Điều", "1."]


def test_speckle_is_measured_and_only_a_speckled_page_is_filtered():
    page = np.asarray(text_page(["Căn cứ Luật Tổ chức chính quyền địa phương"] * 8).convert("L")).copy()
    assert imageprep.speckle_ratio(page) < imageprep.SPECKLE
    rng = np.random.default_rng(7)
    noisy = page.copy()
    ys, xs = rng.integers(0, noisy.shape[0], 6000), rng.integers(0, noisy.shape[1], 6000)
    noisy[ys, xs] = 0
    assert imageprep.speckle_ratio(noisy) > imageprep.SPECKLE
    assert "speckle removed" in imageprep.prepare_page(Image.fromarray(noisy).convert("RGB"), dpi=150).notes
    assert "speckle removed" not in imageprep.prepare_page(Image.fromarray(page).convert("RGB"), dpi=150).notes


def test_content_box_keeps_all_print_and_a_margin_and_nothing_of_a_blank_page():
    page = np.full((3508, 2480), 255, np.uint8)
    assert imageprep.content_box(page) is None
    page[400:440, 300:1500] = 30  # a line of print
    page[3000:3004, 2000:2100] = 190  # a faint one, lower right
    x0, y0, x1, y1 = imageprep.content_box(page)
    pad = int(0.025 * 2480)
    assert (x0, y0) == (300 - pad, 400 - pad) and (x1, y1) == (2100 + pad, 3004 + pad)
    page[3490:, 2470:] = 0  # print to the edge: the box stops at the page
    assert imageprep.content_box(page)[2:] == (2480, 3508)


@needs_tesseract
def test_words_read_from_the_print_area_keep_their_place_on_the_page():
    from vanthu.pipeline.ocr import pages as ocr

    page = Image.new("RGB", (2480, 3508), "white")  # A4 at 300 dpi
    d = ImageDraw.Draw(page)
    d.text((1400, 2600), "Nơi nhận: Sở Tài chính", fill="black", font=ImageFont.truetype(FONT, 54))
    prep, got = ocr._read_words(page, ocr.OcrOptions(workers=1), "page.png", 1)
    assert prep.scale == 1.0 and imageprep.content_box(prep.grey)[:2] > (1300, 2500)  # Tesseract read a crop
    w = next(w for w in got if w.text == "Tài")
    assert 1650 < w.x0 < 1760 and 2590 < w.y0 < 2640  # where it was drawn on the page


@needs_tesseract
def test_a_lower_read_dpi_gives_tesseract_fewer_pixels_and_boxes_in_page_pixels(monkeypatch):
    """VANTHU_OCR_READ_DPI: the page is cleaned at 300 dpi and read smaller; the words'
    boxes are still in pixels of the 300-dpi page."""
    from vanthu.pipeline.ocr import pages as ocr

    page = Image.new("RGB", (2480, 3508), "white")
    d = ImageDraw.Draw(page)
    d.text((1400, 2600), "Nơi nhận: Sở Tài chính", fill="black", font=ImageFont.truetype(FONT, 54))
    sizes = []
    run = ocr._run_tesseract
    monkeypatch.setattr(ocr, "_run_tesseract", lambda image, opts, *a: sizes.append((image.size, opts.dpi)) or run(image, opts, *a))
    monkeypatch.setenv("VANTHU_OCR_READ_DPI", "200")
    _, got = ocr._read_words(page, ocr.OcrOptions(workers=1), "page.png", 1)
    monkeypatch.delenv("VANTHU_OCR_READ_DPI")
    _, full = ocr._read_words(page, ocr.OcrOptions(workers=1), "page.png", 1)
    (small, small_dpi), (big, big_dpi) = sizes
    assert (small_dpi, big_dpi) == (200, 300) and abs(small[0] - big[0] * 2 / 3) <= 1
    w, f = next(w for w in got if w.text == "Tài"), next(w for w in full if w.text == "Tài")
    assert abs(w.x0 - f.x0) <= 3 and abs(w.y0 - f.y0) <= 3 and abs(w.y1 - f.y1) <= 3


@needs_tesseract
def test_a_read_dpi_above_the_cleaning_dpi_does_not_move_the_boxes(monkeypatch):
    """Review: VANTHU_OCR_READ_DPI=400 with pages cleaned at 300 divided every box by 4/3
    (the page is never enlarged for Tesseract, so the boxes must stay where they are)."""
    from vanthu.pipeline.ocr import pages as ocr

    page = Image.new("RGB", (2480, 3508), "white")
    ImageDraw.Draw(page).text((1400, 2600), "Nơi nhận: Sở Tài chính", fill="black",
                              font=ImageFont.truetype(FONT, 54))
    monkeypatch.setenv("VANTHU_OCR_READ_DPI", "400")
    _, got = ocr._read_words(page, ocr.OcrOptions(workers=1), "page.png", 1)
    w = next(w for w in got if w.text == "Tài")
    assert 1650 < w.x0 < 1760 and 2590 < w.y0 < 2640  # where it was drawn on the page


def test_speckle_share_is_that_of_the_default_labelling():
    """The faster BBDT labelling counts the same blobs of the same sizes."""
    import cv2

    page = np.asarray(text_page(["Căn cứ Luật Tổ chức chính quyền địa phương"] * 8).convert("L")).copy()
    rng = np.random.default_rng(3)
    for share in (800, 3000):
        noisy = page.copy()
        noisy[rng.integers(0, page.shape[0], share), rng.integers(0, page.shape[1], share)] = 0
        _, ink = cv2.threshold(noisy, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
        count, _, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
        areas = stats[1:, cv2.CC_STAT_AREA]
        assert imageprep.speckle_ratio(noisy) == float((areas <= 6).sum()) / len(areas)


def test_typographic_quotes_stay_as_read():
    """Regression (synthetic scans of kh-ubnd-nghean-2025-1026, cd-ttg-2025-234): the
    subject's “ ” were made straight, and no longer matched the letter's print."""
    got = [w.text for w in correct_words(words("CỦA", "CHÍNH", "PHỦ", "“VỀ", "TĂNG", "CƯỜNG”", "và", '"thẳng"'))]
    assert got[3:] == ["“VỀ", "TĂNG", "CƯỜNG”", "và", '"thẳng"']


def test_a_one_of_the_day_or_month_read_as_a_bar_is_a_one():
    """Regression (real 660/TB-UBND): "ngày 3| tháng 12 năm 2024" gave no date."""
    fixed = [w.text for w in correct_words(words("Quảng", "Ngãi,", "ngày", "3|", "tháng", "1|", "năm", "2024"))]
    assert fixed[2:] == ["ngày", "31", "tháng", "11", "năm", "2024"]
    assert [w.text for w in correct_words(words("ngày", "|5", "tháng", "|2", "năm", "2024"))][1:4] == ["15", "tháng", "12"]
    # a bar anywhere else, or a two-digit day before one, is left alone
    assert [w.text for w in correct_words(words("ngày", "12|", "tháng", "3", "năm", "2024"))][1] == "12|"
    assert [w.text for w in correct_words(words("Điều", "3|", "khoản"))][1] == "3|"


def test_symbol_tail_after_a_line_break_is_fixed_too():
    # "7603/TTr-" at a line end, "HDTĐ ngày 30/12/2024" on the next (real scan qngai-04)
    assert [w.text for w in correct_words(words("HDTĐ", "ngày"))][0] == "HĐTĐ"
    assert [w.text for w in correct_words(words("DANH", "MỤC"))] == ["DANH", "MỤC"]


def test_signer_title_beside_the_distribution_list_stays_one_line():
    # "PHÓ CHỦ TỊCH" sits half a line below "- Thường trực Thành ủy;": per-word row
    # grouping tore it into "PHÓ CHỦ" and "TỊCH" (synthetic scan of kh-ubnd-hcm-2025-172)
    from vanthu.models.document import PageText
    from vanthu.pipeline.layout.lines import assemble_lines

    def w(text, x0, y0, x1, y1, line):
        return Word(text=text, x0=x0, y0=y0, x1=x1, y1=y1, confidence=0.95, line=line)

    ws = [w("-", 355, 773, 368, 777, 1), w("Thường", 381, 753, 526, 796, 1), w("trực", 538, 759, 610, 794, 1),
          w("Thành", 623, 753, 716, 787, 1), w("ủy;", 752, 753, 807, 796, 1),
          w("PHÓ", 1527, 771, 1651, 812, 2), w("CHỦ", 1670, 771, 1797, 811, 2), w("TỊCH", 1812, 771, 1961, 822, 2),
          w("-", 355, 825, 368, 829, 3), w("Thường", 381, 805, 526, 848, 3), w("trực", 538, 811, 610, 846, 3),
          w("HĐND;", 624, 807, 754, 838, 3)]
    lines = assemble_lines([PageText(number=1, width=2480, height=3508, unit="px", source="ocr", words=tuple(ws))])
    assert "PHÓ CHỦ TỊCH" in [ln.text for ln in lines]


def test_hook_above_read_as_acute_is_undone_when_it_makes_a_word():
    from vanthu.pipeline.ocr.lexicon import fix_syllables

    assert fix_syllables("kiếm tra, đôn đốc".split())[0] == "kiểm"
    assert fix_syllables("thấm định hồ sơ".split())[0] == "thẩm"
    assert fix_syllables("tính toán chi phí".split())[0] == "tính"  # already a word: untouched


def test_titles_and_roman_headings_misread_by_ocr():
    assert [w.text for w in correct_words(words("THU", "TƯƠNG"))] == ["THỦ", "TƯỚNG"]
    assert [w.text for w in correct_words(words("H.", "NHIỆM", "VỤ", "TRỌNG", "TÂM"))][0] == "II."
    assert [w.text for w in correct_words(words("IL", "ĐÁNH", "GIÁ", "KẾT", "QUẢ"))][0] == "I."
    # not before running text
    assert [w.text for w in correct_words(words("H.", "Nguyễn", "Văn", "A"))][0] == "H."


def test_signer_name_with_a_word_in_lower_case_and_misread_prefix():
    assert [w.text for w in correct_words(words("Phùng", "thành", "Vinh"))] == ["Phùng", "Thành", "Vinh"]
    assert [w.text for w in correct_words(words("Hồ", "sơ", "công", "việc"))] == ["Hồ", "sơ", "công", "việc"]
    assert [w.text for w in correct_words(words("K1.", "CHỦ", "TỊCH"))][0] == "KT."


def test_surname_fix_only_on_a_name_line():
    assert [w.text for w in correct_words(words("Quảng", "Ngãi,", "ngày", "15", "tháng", "8"))][0] == "Quảng"
    assert [w.text for w in correct_words(words("Nguyên", "Hoàng", "Giang"))][0] == "Nguyễn"


def test_scrap_of_a_signature_is_not_the_signer_title():
    # real scan qngai-23: "-Ý" (a signature stroke) between "PHÓ CHỦ TỊCH" and the name
    from vanthu.models.document import Line, Regions
    from vanthu.pipeline.provenance import ProvenanceLog
    from vanthu.pipeline.fields.signer import read_signer

    def ln(text, y0, y1):
        return Line(text=text, page=2, x0=1430, y0=y0, x1=1900, y1=y1, column="right", unit="px")

    regions = Regions(signer=(ln("KT. CHỦ TỊCH", 1719, 1787), ln("PHÓ CHỦ TỊCH", 1786, 1854),
                              ln("-Ý", 2012, 2184), ln("Trần Hoàng Tuấn", 2226, 2295)))
    signer = read_signer(regions, ProvenanceLog())
    assert (signer.prefix, signer.title, signer.name) == ("KT.", "PHÓ CHỦ TỊCH", "Trần Hoàng Tuấn")


def test_one_word_official_title_is_not_a_phrase_fix():
    # "TRƯỞNG" alone in the vocabulary turned "MÔI TRƯỜNG" into "MÔI TRƯỞNG"
    assert [w.text for w in correct_words(words("VÀ", "MÔI", "TRƯỜNG", "THỰC", "HIỆN"))][2] == "TRƯỜNG"


def test_signer_title_after_scraps_of_a_seal():
    from vanthu.pipeline.fields.signer import known_title

    assert known_title('"Ă%` PHÓ CHỦ TỊCH') == "PHÓ CHỦ TỊCH"
    assert known_title("Ư THỦ TƯỚNG") == "THỦ TƯỚNG"
    assert known_title("PHÓ THỦ TƯỚNG") == "PHÓ THỦ TƯỚNG"


def test_phrase_vocabulary_keeps_a_right_spelling_and_real_words():
    # "THỨ TRƯỞNG" became "THỦ TRƯỞNG", "CHI BỘ TRONG" became "CHI BỘ TRƯỞNG"
    assert [w.text for w in correct_words(words("THỨ", "TRƯỞNG"))] == ["THỨ", "TRƯỞNG"]
    assert [w.text for w in correct_words(words("SINH", "HOẠT", "CHI", "BỘ", "TRONG", "GIAI", "ĐOẠN"))][4] == "TRONG"
    assert [w.text for w in correct_words(words("PHÓ", "CHỦ", "TIC"))] == ["PHÓ", "CHỦ", "TỊCH"]


def test_undecodable_image_message_does_not_repeat_the_path(tmp_path):
    # Pillow's messages carry the path; in the inbox that path is the processing/ copy
    from vanthu.pipeline.errors import CorruptInput
    from vanthu.pipeline.ocr.raster import open_image_pages

    bad = tmp_path / "scan.png"
    bad.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 40)
    with pytest.raises(CorruptInput) as err:
        list(open_image_pages(bad))
    assert str(bad) not in err.value.reason


def test_subject_in_capitals_gets_the_marks_its_words_need():
    from vanthu.pipeline.ocr.lexicon import fix_syllables

    def fix(s):
        return " ".join(fix_syllables(s.split()))

    assert fix("TRIỂN KHAI THỊ HÀNH LUẬT VIỆC LÀM") == "TRIỂN KHAI THI HÀNH LUẬT VIỆC LÀM"
    assert fix("VỀ VIỆC ĐỐI MỚI, NÂNG CAO") == "VỀ VIỆC ĐỔI MỚI, NÂNG CAO"  # not "ĐỜI MỚI"
    assert fix("HIỆU QUẢ BÁN TIN SINH HOẠT") == "HIỆU QUẢ BẢN TIN SINH HOẠT"
    assert fix("THUỘC THẤM QUYỀN GIẢI QUYẾT") == "THUỘC THẨM QUYỀN GIẢI QUYẾT"  # not "THAM"
    assert fix("ỨNG DỤNG QUẬN LÝ THUẾ") == "ỨNG DỤNG QUẢN LÝ THUẾ"
    assert fix('TỈNH HÌNH MỚI" TRÊN') == 'TÌNH HÌNH MỚI" TRÊN'
    # ... while names and phrases the vocabulary knows keep theirs
    assert fix("HỘI ĐỒNG NHÂN DÂN TỈNH LẠNG SƠN") == "HỘI ĐỒNG NHÂN DÂN TỈNH LẠNG SƠN"
    assert fix("THÀNH PHỐ HỒ CHÍ MINH") == "THÀNH PHỐ HỒ CHÍ MINH"
    assert fix("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM") == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"


def test_acute_with_no_word_around_it_is_read_as_the_hook_real_text_writes():
    from vanthu.pipeline.ocr.lexicon import fix_syllables

    assert fix_syllables("Bộ trưởng (đế b/c)".split())[2] == "(để"
    assert fix_syllables("(đế báo cáo)".split())[0] == "(để"
    assert fix_syllables("giá bán".split()) == ["giá", "bán"]  # a word: untouched


def test_pairs_written_in_real_text_keep_their_marks():
    """Regression: "cấp tỉnh" is not in the dictionary but "cấp tính" is; the running
    text (VLSP) writes "cấp tỉnh", so the tone stays. Nor does one sighting of "các
    phương" turn "các phường" into it."""
    from vanthu.pipeline.ocr.lexicon import fix_syllables

    assert fix_syllables("đoàn thể cấp tỉnh".split())[3] == "tỉnh"
    assert fix_syllables("Ủy ban nhân dân các phường, xã".split())[5] == "phường,"
    assert fix_syllables("Các Ban/đơn vị thuộc Cục Thuế".split())[2] == "vị"


def test_number_glued_to_its_symbol_gets_its_slash():
    assert [w.text for w in correct_words(words("Số:", "1026KH-UBND"))] == ["Số:", "1026/KH-UBND"]
    assert [w.text for w in correct_words(words("Số:", "12/UBND-VP"))] == ["Số:", "12/UBND-VP"]


def test_type_title_with_specks_around_it_is_still_the_title():
    from vanthu.pipeline.rules.loader import rules

    assert rules().type_by_title("'KẾ HOẠCH:") == "Kế hoạch"
    assert rules().type_by_title("_QUYẾT ĐỊNH") == "Quyết định"
    assert rules().type_by_title("KẾ HOẠCH NĂM") is None


def test_syllables_run_together_by_the_scan_are_spaced_again():
    got = [w.text for w in correct_words(words("ỦY", "BANNHÂNDÂN", "TỈNH", "ĐỒNG", "NAI"))]
    assert " ".join(got) == "ỦY BAN NHÂN DÂN TỈNH ĐỒNG NAI"
    assert got[1] == "BAN NHÂN DÂN"  # still one word, with its one box
    assert [w.text for w in correct_words(words("xếp", "loại", "trungtâm"))][2] == "trung tâm"
    assert [w.text for w in correct_words(words("-", "Như", "Điều4,"))][2] == "Điều 4,"
    assert [w.text for w in correct_words(words("-", "Như", "Điều-4;"))][2] == "Điều 4;"  # a speck between
    # acronyms and real long syllables are no glued words
    assert [w.text for w in correct_words(words("UBND", "TTĐT", "KBNN", "CSDL", "nghiêng"))] == [
        "UBND", "TTĐT", "KBNN", "CSDL", "nghiêng"]
    # a line rule still applies on a line holding such a word
    assert [w.text for w in correct_words(words("trungtâm", "nắm", "2024"))] == ["trung tâm", "năm", "2024"]


def test_distribution_label_run_together():
    from vanthu.pipeline.rules.loader import patterns

    assert patterns().distribution_label.match("Nơinhận:")


LETTER_LINES = [
    "ỦY BAN NHÂN DÂN TỈNH LẠNG SƠN",
    "Số: 88/TB-UBND",
    "Lạng Sơn, ngày 21 tháng 10 năm 2024",
    "Kính gửi: Sở Tài chính, Sở Nội vụ",
    "Thực hiện chỉ đạo của Ủy ban nhân dân tỉnh về công tác",
    "văn thư, lưu trữ năm 2024, đề nghị các cơ quan, đơn vị",
    "triển khai thực hiện nghiêm túc các nội dung sau đây.",
    "Giao Văn phòng chủ trì, phối hợp với các sở, ngành",
    "hoàn thành trước ngày 15 tháng 11 năm 2024.",
]


@needs_tesseract
@pytest.mark.parametrize("turned", [180, 90, 270])
def test_page_scanned_upside_down_or_on_its_side_is_read_upright(turned):
    """A sheet fed the wrong way into the scanner: Tesseract reads it as nonsense (upside
    down) or as vertical lines (on its side); the page is read turned, with a warning."""
    from vanthu.pipeline.ocr.pages import OcrOptions, recognise_page, text_quality

    upright = text_page(LETTER_LINES, size=(2480, 3508), font_size=60)
    page = recognise_page(1, upright.rotate(turned, expand=True), OcrOptions(workers=1), "scan.png")
    text = " ".join(w.text for w in page.words)
    assert "Kính gửi: Sở Tài chính" in text and "88/TB-UBND" in text
    assert text_quality(list(page.words)) > 0.8
    assert any("turned" in w and ("upside down" if turned == 180 else "on its side") in w for w in page.warnings)


@needs_tesseract
def test_upright_page_is_read_once_without_a_turn(monkeypatch):
    from vanthu.pipeline.ocr import pages as ocr

    calls = []
    real = ocr._run_tesseract
    monkeypatch.setattr(ocr, "_run_tesseract", lambda *a, **k: calls.append(1) or real(*a, **k))
    page = ocr.recognise_page(1, text_page(LETTER_LINES, size=(2480, 3508), font_size=60),
                              ocr.OcrOptions(workers=1), "scan.png")
    assert len(calls) == 1
    assert not any("turned" in w for w in page.warnings)


def _data(rows):
    """A Tesseract ``image_to_data`` dictionary from (text, x, y, w, h, conf, line) rows."""
    keys = ("text", "left", "top", "width", "height", "conf", "block_num", "par_num", "line_num")
    out = {k: [] for k in keys}
    for text, x, y, w, h, conf, line in rows:
        for k, v in zip(keys, (text, x, y, w, h, conf, 1, 1, line)):
            out[k].append(v)
    return out


def test_empty_signer_block_beside_noi_nhan_is_read_again_on_its_own(monkeypatch):
    """Regression (real 2018 scan, a black seal over the signer block): the page reading
    gave nothing beside "Nơi nhận", so no signer; the block read on its own (psm 6)
    gives the title and the name, placed back in page pixels."""
    from vanthu.pipeline.ocr import pages as ocr

    grey = np.full((3400, 2400), 255, np.uint8)
    page = [Word(text=t, x0=x, y0=y, x1=x + 120, y1=y + 35, confidence=0.95, line=ln) for t, x, y, ln in (
        ("Nơi", 300, 2052, 0), ("nhận:", 380, 2052, 0),
        ("-", 300, 2105, 1), ("Cục", 330, 2105, 1), ("Đầu", 460, 2105, 1), ("miền", 1150, 2105, 1),
        ("Bì", 1500, 2300, 2))]
    seen = {}

    def fake(image, opts, path, number):
        seen["size"], seen["psm"] = image.size, opts.psm
        return _data([("QŨ", 150, 40, 60, 40, 80, 1), ("TỊCH", 220, 40, 90, 40, 90, 1),
                      ("Trân", 200, 520, 90, 40, 85, 2), ("Ngọc", 300, 520, 90, 40, 90, 2),
                      ("Căng", 400, 520, 90, 40, 91, 2)])

    monkeypatch.setattr(ocr, "_run_tesseract", fake)
    words, reread = ocr._reread_signer_zone(grey, page, ocr.OcrOptions(), "scan.pdf", 3)
    assert reread and seen["psm"] == 6
    texts = [w.text for w in words]
    assert "Bì" not in texts  # the scrap the page reading gave is replaced
    assert {"Nơi", "nhận:", "Cục", "miền"} <= set(texts)  # the distribution list stays whole
    name = [w for w in words if w.text in ("Trần", "Ngọc", "Căng")]
    assert [w.text for w in name] == ["Trần", "Ngọc", "Căng"]  # the surname fixed too
    assert name[0].x0 == 1080 + 200 and name[0].y0 == 2052 - 35 + 520  # page pixels


def test_signer_block_that_was_read_is_not_read_again(monkeypatch):
    from vanthu.pipeline.ocr import pages as ocr

    grey = np.full((3400, 2400), 255, np.uint8)
    page = [Word(text=t, x0=x, y0=y, x1=x + 120, y1=y + 35, confidence=0.95, line=ln) for t, x, y, ln in (
        ("Nơi", 300, 2052, 0), ("nhận:", 380, 2052, 0), ("CHỦ", 1500, 2040, 1), ("TỊCH", 1640, 2040, 1),
        ("Trần", 1450, 2500, 2), ("Ngọc", 1580, 2500, 2), ("Căng", 1710, 2500, 2))]
    monkeypatch.setattr(ocr, "_run_tesseract", lambda *a: pytest.fail("read again"))
    assert ocr._reread_signer_zone(grey, page, ocr.OcrOptions(), "scan.pdf", 3) == (page, False)


def test_surname_that_lost_its_first_letter_to_a_signature():
    assert [w.text for w in correct_words(words("rần", "Ngọc", "Căng"))] == ["Trần", "Ngọc", "Căng"]
    # (real 24/TTr-UBND: the surname read in lower case and without its tilde)
    assert [w.text for w in correct_words(words("nguyên", "Hoàng", "Giang"))] == ["Nguyễn", "Hoàng", "Giang"]
    assert [w.text for w in correct_words(words("các", "Sở", "Ngành"))] == ["các", "Sở", "Ngành"]


def test_tilde_with_no_word_around_it_and_a_comma_kept_as_printed():
    """Regressions: "(đẽ b/c)" for "(để b/c)" (hard synthetic scans: the hat lost with
    the hook); and "Lưu: VT,KT.bngoc106" is printed so on a real letter, so a comma
    without a space after it stays (inserting one broke that real line)."""
    from vanthu.pipeline.ocr.lexicon import fix_syllables

    assert fix_syllables("Bộ trưởng (đẽ b/c)".split())[2] == "(để"
    assert fix_syllables("bức tranh đẹp đẽ".split())[3] == "đẽ"  # a word: untouched
    assert [w.text for w in correct_words(words("Lưu:", "VT,KT.bngoc106"))][1] == "VT,KT.bngoc106"
    assert [w.text for w in correct_words(words("1,5", "tỷ"))][0] == "1,5"


def test_tesseract_gets_an_uncompressed_image_and_at_most_workers_run_at_once(tmp_path, monkeypatch):
    """The page goes to Tesseract as BMP (PNG compression cost 0.6-0.9 s a page), and
    while one more thread cleans the next page, no more than ``workers`` Tesseract
    processes run at once."""
    import threading

    import pytesseract

    from vanthu.models.document import InputFile
    from vanthu.pipeline.ocr import pages as ocr

    state = {"now": 0, "most": 0, "formats": set()}
    lock = threading.Lock()
    release = threading.Event()

    def fake(image, **kw):
        state["formats"].add(image.format)
        with lock:
            state["now"] += 1
            state["most"] = max(state["most"], state["now"])
        release.wait(0.2)  # hold the engine: the other threads pile up at the gate
        with lock:
            state["now"] -= 1
        return {k: [] for k in ("text", "conf", "left", "top", "width", "height", "block_num", "par_num", "line_num")}

    monkeypatch.setattr(pytesseract, "image_to_data", fake)
    tif = tmp_path / "pages.tif"
    frames = [text_page(["Kính gửi: Sở Tài chính"], size=(600, 300)) for _ in range(5)]
    frames[0].save(tif, save_all=True, append_images=frames[1:])
    inp = InputFile(path=str(tif), name=tif.name, media_type="image/tiff", size=tif.stat().st_size, sha256="0" * 64)
    pages = ocr.ocr_pages(inp, opts=ocr.OcrOptions(workers=2))
    assert len(pages) == 5
    assert state["formats"] == {"BMP"}
    assert state["most"] <= 2


@needs_tesseract
def test_digit_variants_are_read_by_one_tesseract_process(monkeypatch):
    """A handwritten slot's crop and its rescaled copy go to one Tesseract process (a
    list of images; the model loads once), and the surer reading wins."""
    import pytesseract

    from vanthu.pipeline.ocr.pages import OcrOptions, read_digits

    crop = Image.new("L", (260, 150), 255)
    ImageDraw.Draw(crop).text((40, 20), "27", fill=0, font=ImageFont.truetype(FONT, 90))
    calls = []
    real = pytesseract.image_to_data

    def spy(image, **kw):
        calls.append((image, kw["config"]))
        return real(image, **kw)

    monkeypatch.setattr(pytesseract, "image_to_data", spy)
    digits, conf = read_digits(crop, OcrOptions(), "slot.png")
    assert digits == "27" and conf > 0.5
    assert len(calls) == 1 and "--psm 7" in calls[0][1]
    listing = calls[0][0]
    assert isinstance(listing, str) and listing.endswith(".txt")  # both variants, one process


@needs_tesseract
def test_blank_digit_slot_is_read_again_as_a_word_and_stays_blank(monkeypatch):
    import pytesseract

    from vanthu.pipeline.ocr.pages import OcrOptions, read_digits

    configs = []
    real = pytesseract.image_to_data
    monkeypatch.setattr(pytesseract, "image_to_data",
                        lambda image, **kw: configs.append(kw["config"]) or real(image, **kw))
    assert read_digits(Image.new("L", (200, 150), 255), OcrOptions(), "slot.png") == ("", 0.0)
    assert [c.split()[3] for c in configs] == ["7", "8"]


def _line(text: str) -> list[Word]:
    return [Word(text=t, x0=60 * i, y0=0, x1=60 * i + 50, y1=20, size=20, confidence=0.9, line=0)
            for i, t in enumerate(text.split())]


def test_ocr_department_sử_is_sở():
    """Regression (real 01/CT-UBND): "Sử Thông tin và Truyền thông" (Sở misread) was no unit."""
    got = " ".join(w.text for w in correct_words(_line("2. Sử Thông tin và Truyền thông: Theo lịch sử")))
    assert got == "2. Sở Thông tin và Truyền thông: Theo lịch sử"


def test_ocr_capitalised_word_takes_the_tone_its_lower_case_neighbour_asks_for():
    """Regression (real 01/CT-UBND): "Khu Kính tế Dung Quất" kept its misread tone because
    a capitalised word was never corrected; "kính tế" is no word, "kinh tế" is."""
    fixed = lambda s: " ".join(w.text for w in correct_words(_line(s)))  # noqa: E731
    assert fixed("Ban Quản lý Khu Kính tế Dung Quất") == "Ban Quản lý Khu Kinh tế Dung Quất"
    assert fixed("Kính gửi: Sở Tài chính") == "Kính gửi: Sở Tài chính"
    assert fixed("Tỉnh ủy Quảng Ngãi") == "Tỉnh ủy Quảng Ngãi"


def test_ocr_second_syllable_of_a_word_in_a_name_takes_the_tone_the_word_asks_for():
    """Regression (real 01/CT-UBND): "Đài Phát thanh và Truyền hỉnh tỉnh" kept "hỉnh": a
    capitalised neighbour never vouched for the word after it."""
    fixed = lambda s: " ".join(w.text for w in correct_words(_line(s)))  # noqa: E731
    assert fixed("Đài Phát thanh và Truyền hỉnh tỉnh") == "Đài Phát thanh và Truyền hình tỉnh"
    assert fixed("UBND tỉnh Hà Tĩnh") == "UBND tỉnh Hà Tĩnh"
    assert fixed("Sở Tài chính") == "Sở Tài chính"


def test_ocr_phrase_followed_by_a_comma_is_still_corrected():
    """Regression (synthetic hard scan of 3769/QĐ-UBND): "TT Tinh ủy, TT HĐND tỉnh" kept
    "Tinh": the comma glued to "ủy," hid the phrase "Tỉnh ủy"; the comma stays."""
    fixed = lambda s: " ".join(w.text for w in correct_words(_line(s)))  # noqa: E731
    assert fixed("TT Tinh ủy, TT HĐND tỉnh") == "TT Tỉnh ủy, TT HĐND tỉnh"
    assert fixed("Kinh gửi: Sở Tài chính") == "Kính gửi: Sở Tài chính"


def test_ocr_tỉnh_after_a_provincial_body_and_an_unknown_capitalised_syllable():
    """Regression (same scan): "Chủ tịch UBND tính" and "Truyên hình" (a syllable that is
    no syllable, capitalised) were left as read."""
    fixed = lambda s: " ".join(w.text for w in correct_words(_line(s)))  # noqa: E731
    assert fixed("Chủ tịch UBND tính;") == "Chủ tịch UBND tỉnh;"
    assert fixed("Báo và Phát thanh - Truyên hình") == "Báo và Phát thanh - Truyền hình"
    assert fixed("tính toán kinh phí") == "tính toán kinh phí"
