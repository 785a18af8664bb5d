"""Searchable PDFs of scanned letters: each page image with an invisible text layer made
from the words the OCR already read (``PageText``), so an archive can search the scan.

Tesseract is not run again. The page image is the page as the OCR read it (the same
perspective correction, deskew and turn, in colour: :func:`page_as_read`), so the words'
pixel boxes land on the printed words; only the page clean-up runs again (about 0.5 s a
page, no recognition). The writer is fpdf2 (already a dependency, pure Python): it embeds
each page as JPEG and writes the words in text render mode 3 (invisible), in Liberation
Serif subset into the file with a ToUnicode map, so ``pdftotext`` and viewers' search find
the Vietnamese as read. Tesseract's own PDF renderer would read every page a second time;
pikepdf/pypdf would add a dependency only to copy pages that fpdf2 can place as well.

A PDF whose every page has a text layer is already searchable: it is copied as it is.
Pages of a mixed PDF that have a text layer are rendered as images with their own words
invisible over them. The file is written atomically (a temporary file beside it, then a
rename), so an interrupted run never leaves half a PDF under the target's name.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

from vanthu.models.document import InputFile, PageText
from vanthu.pipeline.errors import OutputNotWritable, UnsupportedFormat
from vanthu.pipeline.i18n import _

#: the quality pages are embedded at (JPEG): text stays sharp at 300 dpi, an A4 page is ~0.5 MB
JPEG_QUALITY = 80
#: a text-layer page of a mixed PDF is rendered at this resolution for its image
TEXT_PAGE_DPI = 200
#: the invisible words' font size, as a share of their box height
FONT_HEIGHT_SHARE = 0.9
#: the baseline, as a share of the box height above its bottom (descenders below it)
BASELINE_SHARE = 0.2
FONT_FILE = "LiberationSerif-Regular.ttf"
FONT_DIRS = ("/usr/share/fonts/truetype/liberation2", "/usr/share/fonts/truetype/liberation")
_PDF = "application/pdf"
_IMAGE = re.compile(r"^image/")


def page_as_read(img, dpi: int):
    """The page as the OCR read it, in colour: the same perspective correction and deskew as
    :func:`vanthu.pipeline.ocr.clean.prepare_page`, so pixel boxes land exactly. Returns the
    image and a note (``None`` when the page needed no correction)."""
    import cv2
    from PIL import Image

    from vanthu.pipeline.ocr.clean import MIN_DESKEW, find_page_quad, prepare_page, to_rgb_array, warp_page

    prep = prepare_page(img, dpi=dpi)
    rgb = to_rgb_array(img)
    notes = []
    if prep.warped:
        quad = find_page_quad(rgb)
        if quad is not None:
            rgb = warp_page(rgb, quad, dpi)
            notes.append(_("perspective corrected"))
    if abs(prep.skew) >= MIN_DESKEW:  # prepare_page rotates only from this angle
        h, w = rgb.shape[:2]
        m = cv2.getRotationMatrix2D((w / 2, h / 2), prep.skew, 1.0)
        rgb = cv2.warpAffine(rgb, m, (w, h), flags=cv2.INTER_LINEAR, borderValue=(255, 255, 255))
        notes.append(_("deskewed {angle:+.1f}°").format(angle=prep.skew))
    if rgb.shape[:2] != prep.grey.shape:  # the cleaning changed: show the exact image OCR read
        return Image.fromarray(prep.grey), _("shown as cleaned for OCR")
    return Image.fromarray(rgb), ", ".join(notes) or None


def font_path(font_dir: Path | None = None) -> Path:
    """Liberation Serif (Vietnamese glyphs), from ``font_dir`` (``VANTHU_FONT_DIR``) or Debian's
    ``fonts-liberation2``."""
    for folder in ([str(font_dir)] if font_dir else []) + list(FONT_DIRS):
        path = Path(folder) / FONT_FILE
        if path.is_file():
            return path
    raise OutputNotWritable(
        FONT_FILE,
        _("no font for the text layer of the searchable PDF"),
        hint=_("install fonts-liberation2 (scripts/setup.sh)"),
    )


def check_searchable(inp: InputFile, target: str | os.PathLike[str]) -> None:
    """Refuse, before any reading, a searchable PDF that cannot be made: of a text file, or
    one that would replace the letter itself."""
    if _same_file(inp.path, Path(target)):
        raise OutputNotWritable(target, _("the searchable PDF would replace the letter itself; choose another name"))
    if inp.media_type != _PDF and not _IMAGE.match(inp.media_type):
        raise UnsupportedFormat(
            inp.path,
            _("a text file has no page images to make a searchable PDF of"),
            hint=_("--pdf needs a scan or a PDF"),
        )


def write_searchable_pdf(
    inp: InputFile, pages: list[PageText], target: Path, *, ocr_dpi: int, font_dir: Path | None = None
) -> str:
    """Write ``target``: the letter's pages with their words invisible over them. Returns what
    was done (``"copied"``: a PDF that already had a text layer on every page; ``"written"``)."""
    target = Path(target)
    check_searchable(inp, target)
    if inp.media_type == _PDF and all(p.source != "ocr" for p in pages):
        _atomic(target, lambda tmp: shutil.copyfile(inp.path, tmp))
        return "copied"
    doc = _document(inp, pages, ocr_dpi, font_path(font_dir))
    _atomic(target, doc.output)
    return "written"


def _document(inp: InputFile, pages: list[PageText], ocr_dpi: int, font: Path):
    from fpdf import FPDF

    pdf = FPDF(unit="pt")
    pdf.set_auto_page_break(False)
    pdf.set_margins(0, 0, 0)
    pdf.set_creator("vanthu")
    pdf.add_font("ocr", fname=str(font))
    by_number = {p.number: p for p in pages}
    for number, image, size_pt in _page_images(inp, by_number, ocr_dpi):
        page = by_number.get(number)
        pdf.add_page(format=size_pt)
        pdf.image(_jpeg(image), x=0, y=0, w=size_pt[0], h=size_pt[1])
        if page is not None and page.words and page.width:
            _words(pdf, page, size_pt[0] / page.width)
    return pdf


def _page_images(inp: InputFile, pages: dict[int, PageText], ocr_dpi: int) -> Iterator[tuple[int, object, tuple]]:
    """``(number, image, (width, height) in pt)`` per page: OCR pages as the OCR read them."""
    from vanthu.pipeline.ocr.orientation import turned
    from vanthu.pipeline.ocr.raster import page_images

    if inp.media_type != _PDF:
        for number, img in page_images(inp.path, inp.media_type):
            page = pages.get(number)
            view, _ = page_as_read(turned(img, page.turn) if page and page.turn else img, ocr_dpi)
            # pt per pixel of the view: the image's own resolution, the view maybe enlarged
            k = 72 / _image_dpi(img, ocr_dpi) * max(img.size) / max(1, max(view.size))
            yield number, view, (view.width * k, view.height * k)
        return
    for number in sorted(pages):
        page = pages[number]
        if page.source == "ocr":
            img = next(im for _, im in page_images(inp.path, _PDF, dpi=ocr_dpi, pages=[number]))
            view, _ = page_as_read(turned(img, page.turn) if page.turn else img, ocr_dpi)
            yield number, view, (view.width * 72 / ocr_dpi, view.height * 72 / ocr_dpi)
        else:
            img = next(im for _, im in page_images(inp.path, _PDF, dpi=TEXT_PAGE_DPI, pages=[number]))
            size = (page.width, page.height) if page.width and page.height else None
            yield number, img, size or (img.width * 72 / TEXT_PAGE_DPI, img.height * 72 / TEXT_PAGE_DPI)


def _image_dpi(img, default: int) -> float:
    dpi = img.info.get("dpi")
    try:
        value = float(dpi[0]) if dpi else 0.0
    except (TypeError, ValueError, IndexError):
        value = 0.0
    return value if value >= 50 else float(default)


def _jpeg(image) -> io.BytesIO:
    if image.mode not in ("RGB", "L"):
        image = image.convert("RGB")
    buf = io.BytesIO()
    image.save(buf, format="JPEG", quality=JPEG_QUALITY, optimize=True)
    buf.seek(0)
    return buf


def _words(pdf, page: PageText, k: float) -> None:
    """The page's words, invisible, each stretched over its box (``k``: pt per box unit).
    The words of one OCR line share a baseline and a size, so text tools read them as one
    line (boxes alone differ with accents and descenders)."""
    from fpdf.enums import TextMode

    pdf.text_mode = TextMode.INVISIBLE
    for line in _lines(page.words):
        heights = sorted(w.y1 - w.y0 for w in line)
        height = heights[len(heights) // 2] * k
        bottoms = sorted(w.y1 for w in line)
        baseline = bottoms[len(bottoms) // 2] * k - height * BASELINE_SHARE
        if height <= 0:
            continue
        pdf.set_font("ocr", size=max(1.0, height * FONT_HEIGHT_SHARE))
        for w in line:
            text, width = w.text.strip(), (w.x1 - w.x0) * k
            if not text or width <= 0:
                continue
            natural = pdf.get_string_width(text)
            pdf.set_stretching(100.0 * width / natural if natural > 0 else 100.0)
            pdf.text(w.x0 * k, baseline, text)
    pdf.set_stretching(100.0)
    pdf.text_mode = TextMode.FILL


def _lines(words) -> list[list]:
    """The words grouped by the OCR engine's line (a word without one is its own line), in
    reading order."""
    groups: dict[object, list] = {}
    for i, w in enumerate(words):
        groups.setdefault(w.line if w.line is not None else ("word", i), []).append(w)
    return [sorted(g, key=lambda w: w.x0) for g in groups.values()]


def _same_file(a: str | Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return Path(a).resolve() == b.resolve()


def _atomic(target: Path, write) -> None:
    """Call ``write(temporary path)`` beside ``target``, then rename it to ``target``."""
    folder = target.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
        os.close(fd)
    except OSError as exc:
        raise OutputNotWritable(
            target, _("cannot write the searchable PDF: {why}").format(why=exc.strerror or exc)
        ) from None
    try:
        write(tmp)
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except OSError as exc:
        raise OutputNotWritable(
            target, _("cannot write the searchable PDF: {why}").format(why=exc.strerror or exc)
        ) from None
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
