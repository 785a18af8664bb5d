"""The OCR reader composed (``ocr/pages.py``): images, TIFFs, mixed PDFs, rendering ahead, the gate."""

from __future__ import annotations

import numpy as np

from tests.support.ocr import needs_tesseract, pdf_text_then_image, text_page


@needs_tesseract
def test_ocr_reads_a_rendered_header_with_boxes_in_pixels(tmp_path):
    from vanthu.pipeline.read.detect import load_input
    from vanthu.pipeline.read.pages import read_pages
    from vanthu.pipeline.settings import Settings

    page = text_page(
        ["ỦY BAN NHÂN DÂN", "TỈNH LẠNG SƠN", "Số: 123/UBND-VP", "Kính gửi: Sở Tài chính"],
        size=(1240, 900),
        font_size=40,
    )
    png = tmp_path / "header.png"
    page.save(png, dpi=(150, 150))
    pages = read_pages(load_input(png), Settings())
    assert len(pages) == 1 and pages[0].source == "ocr" and pages[0].unit == "px"
    text = " ".join(w.text for w in pages[0].words)
    assert "ỦY BAN NHÂN DÂN" in text and "123/UBND-VP" in text and "Kính gửi:" in text
    w = next(w for w in pages[0].words if w.text == "Kính")
    assert 100 < w.x0 < 160 and 300 < w.y0 < 360  # where it was drawn (third line at y=150+3*60)
    assert 0.5 < w.confidence <= 1.0


@needs_tesseract
def test_pdf_with_one_scanned_page_is_mixed(tmp_path):
    from vanthu.pipeline.extract import text_source
    from vanthu.pipeline.read.detect import load_input
    from vanthu.pipeline.read.pages import read_pages
    from vanthu.pipeline.settings import Settings

    path = tmp_path / "mixed.pdf"
    pdf_text_then_image(path, tmp_path)
    pages = read_pages(load_input(path), Settings())
    assert [p.source for p in pages] == ["text-layer", "ocr"]
    assert pages[0].unit == "pt" and pages[1].unit == "px"
    assert "45/UBND-KT" in " ".join(w.text for w in pages[1].words)
    assert any("lớp chữ của PDF không dùng được" in w for w in pages[1].warnings)
    assert text_source(pages) == "mixed"


def test_pages_are_rendered_no_further_ahead_than_the_threads_that_read_them(monkeypatch):
    """A long scan's pages used to be rendered all at once, each waiting in memory."""
    import threading
    import time

    from vanthu.models.document import InputFile, PageText
    from vanthu.pipeline.ocr import pages as ocr
    from vanthu.pipeline.ocr import raster
    from vanthu.pipeline.ocr.options import OcrOptions

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
    got = ocr.ocr_pages(inp, opts=OcrOptions(workers=2))
    assert [p.number for p in got] == list(range(1, 13))
    assert max(waiting) <= 3  # two being read and one being cleaned, never the whole scan


@needs_tesseract
def test_multipage_tiff_reads_every_frame(tmp_path):
    from vanthu.pipeline.read.detect import load_input
    from vanthu.pipeline.read.pages import read_pages
    from vanthu.pipeline.settings import Settings

    frames = [
        text_page([f"Trang số {n}: Kính gửi Sở Nội vụ"], size=(1000, 300), font_size=36).convert("L") for n in (1, 2)
    ]
    tif = tmp_path / "scan.tif"
    frames[0].save(tif, save_all=True, append_images=frames[1:], dpi=(150, 150))
    pages = read_pages(load_input(tif), Settings())
    assert [p.number for p in pages] == [1, 2]
    assert "1:" in " ".join(w.text for w in pages[0].words) and "2:" in " ".join(w.text for w in pages[1].words)


@needs_tesseract
def test_exif_rotated_photo_is_read_upright(tmp_path):
    from vanthu.pipeline.read.detect import load_input
    from vanthu.pipeline.read.pages import read_pages
    from vanthu.pipeline.settings import Settings

    upright = text_page(["Kính gửi: Sở Tài chính"], size=(900, 400), font_size=40)
    stored = upright.rotate(90, expand=True)  # the camera stored it sideways...
    exif = stored.getexif()
    exif[0x0112] = 6  # ...and says "rotate 90° clockwise to view"
    jpg = tmp_path / "photo.jpg"
    stored.save(jpg, exif=exif, quality=92)
    pages = read_pages(load_input(jpg), Settings())
    assert pages[0].width > pages[0].height
    assert "Kính gửi:" in " ".join(w.text for w in pages[0].words)


def test_tesseract_gets_an_uncompressed_image_and_at_most_workers_run_at_once(tmp_path, monkeypatch):
    """The page goes to Tesseract as BMP (PNG compression cost 0.6-0.9 s a page), and
    while one more thread cleans the next page, no more than ``workers`` Tesseract
    processes run at once."""
    import threading

    import pytesseract

    from vanthu.models.document import InputFile
    from vanthu.pipeline.ocr import pages as ocr
    from vanthu.pipeline.ocr.options import OcrOptions

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
    pages = ocr.ocr_pages(inp, opts=OcrOptions(workers=2))
    assert len(pages) == 5
    assert state["formats"] == {"BMP"}
    assert state["most"] <= 2
