"""Page images: the rasteriser adapter (pypdfium2 for PDFs, Pillow for images).

Used by OCR (pages without a usable text layer) and by the review page. Pixel limits
are enforced here so a decompression bomb fails with a typed error, not an OOM kill.
"""

from __future__ import annotations

from collections.abc import Generator, Iterator
from pathlib import Path

from PIL import Image, ImageOps

from vanthu.pipeline.errors import CorruptInput, EncryptedInput, TooLarge, unreadable
from vanthu.pipeline.i18n import N_, _
from vanthu.pipeline.settings import LimitSettings

# 100 megapixels: a 600-dpi A3 page is 70 MP; a phone photo 12-50 MP.
DEFAULT_MAX_PIXELS = 100_000_000
# A PDF page larger than this (in points) is refused before it is rendered (A0 is 2384 pt).
DEFAULT_MAX_PAGE_PT = 5000.0

# this process's limits (set_pixel_limit, set_page_limits)
MAX_PIXELS = DEFAULT_MAX_PIXELS
MAX_PAGE_PT = DEFAULT_MAX_PAGE_PT
_pixel_limit_set = False


def set_pixel_limit(pixels: int) -> None:
    """Set the pixel limit of a page image, and Pillow's decompression-bomb limit
    (``Image.MAX_IMAGE_PIXELS``) with it. Called once per process by the run layer; when
    nobody did, the default limit is set on first use (:func:`ensure_pixel_limit`)."""
    global MAX_PIXELS, _pixel_limit_set
    MAX_PIXELS = pixels
    Image.MAX_IMAGE_PIXELS = pixels
    _pixel_limit_set = True


def set_page_limits(limits: LimitSettings) -> None:
    """The settings' page limits (``Settings.limits``) for this process: pixels of a page
    image and inches of a PDF page."""
    global MAX_PAGE_PT
    MAX_PAGE_PT = limits.max_page_inches * 72
    set_pixel_limit(limits.max_pixels)


def ensure_pixel_limit() -> None:
    """Pillow's decompression-bomb limit set to this module's (the default one when
    :func:`set_pixel_limit` was never called); done before any page image is opened."""
    if not _pixel_limit_set:
        set_pixel_limit(MAX_PIXELS)


def pdf_page_count(path: str | Path) -> int:
    pdf = _open_pdf(path)
    try:
        return len(pdf)
    finally:
        pdf.close()


def _open_pdf(path: str | Path):
    import pypdfium2 as pdfium

    try:
        return pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as exc:
        msg = str(exc)
        if "password" in msg.lower():
            raise EncryptedInput(
                path,
                _("the PDF is encrypted (pdfium: incorrect password)"),
                hint=_("decrypt it first, e.g. qpdf --decrypt in.pdf out.pdf"),
            ) from None
        raise unreadable(path, msg, N_("the PDF cannot be opened: its structure is damaged")) from None


def render_pdf_pages(
    path: str | Path, dpi: int = 300, pages: list[int] | None = None, grey: bool = False, arrays: bool = False
) -> Iterator[tuple[int, Image.Image]]:
    """Yield ``(page number, image)`` for the 1-based ``pages`` (all when None).

    With ``arrays`` the image is an RGB ``numpy`` array (the OCR path works on arrays,
    and a PIL image in between cost a third of the time; the pixels are the same).
    """
    ensure_pixel_limit()
    pdf = _open_pdf(path)
    try:
        numbers = pages or list(range(1, len(pdf) + 1))
        for n in numbers:
            if not 1 <= n <= len(pdf):
                continue
            page = pdf[n - 1]
            w, h = page.get_size()
            if max(w, h) > MAX_PAGE_PT:
                raise TooLarge(
                    path,
                    _("page {n} is {width:.0f}x{height:.0f} inches, over the limit of {limit:.0f} inches").format(
                        n=n, width=w / 72, height=h / 72, limit=MAX_PAGE_PT / 72
                    ),
                )
            scale = dpi / 72.0
            if w * scale * h * scale > MAX_PIXELS:
                scale = (MAX_PIXELS / (w * h)) ** 0.5
            if arrays:
                import cv2
                import numpy as np

                # pdfium's BGR turned into a new RGB array in one pass (the bitmap's buffer
                # is freed with it): 47 ms a page where a byte-swapped render and a copy
                # took 66, and going through PIL 80 (measured; the same pixels)
                pixels = page.render(scale=scale, grayscale=grey).to_numpy()
                if pixels.ndim == 3 and pixels.shape[2] >= 3:
                    code = cv2.COLOR_BGRA2RGB if pixels.shape[2] == 4 else cv2.COLOR_BGR2RGB
                    out = cv2.cvtColor(pixels, code)
                else:
                    out = np.array(pixels)
                del pixels  # (not kept alive by this generator while the page is read)
                yield n, out
                del out
            else:
                img = page.render(scale=scale, grayscale=grey).to_pil()
                img.info["dpi"] = (dpi, dpi)
                yield n, img
            page.close()
    finally:
        pdf.close()


def open_image_pages(path: str | Path) -> Iterator[tuple[int, Image.Image]]:
    """Yield the frames of a PNG/JPEG/TIFF, upright (EXIF orientation applied)."""
    ensure_pixel_limit()
    try:
        with Image.open(path) as im:
            n = getattr(im, "n_frames", 1)
            for i in range(n):
                im.seek(i)
                w, h = im.size
                if w == 0 or h == 0:
                    raise CorruptInput(path, _("image frame {frame} is {w}x{h} pixels").format(frame=i + 1, w=w, h=h))
                if w * h > MAX_PIXELS:
                    raise TooLarge(
                        path,
                        _("image is {w}x{h} = {megapixels:.0f} megapixels, over the limit of {limit:.0f}").format(
                            w=w, h=h, megapixels=w * h / 1e6, limit=MAX_PIXELS / 1e6
                        ),
                    )
                frame = ImageOps.exif_transpose(im.copy())
                yield i + 1, frame
    except Image.DecompressionBombError:
        size = _declared_size(path)
        what = (
            _("{w}x{h} = {megapixels:.0f} megapixels").format(w=size[0], h=size[1], megapixels=size[0] * size[1] / 1e6)
            if size
            else _("too many pixels")
        )
        raise TooLarge(
            path,
            _("image is {what}, over the limit of {limit:.0f} (a decompression bomb?)").format(
                what=what, limit=MAX_PIXELS / 1e6
            ),
        ) from None
    except (OSError, SyntaxError, ValueError) as exc:
        # Pillow puts the path in some messages; the error already names the file (and in
        # the inbox the path is the claimed copy in processing/, not where the clerk put it)
        detail = str(exc).replace(repr(str(path)), "the file").replace(str(path), "the file")
        raise unreadable(path, detail, N_("the image cannot be decoded")) from None


def _declared_size(path: str | Path) -> tuple[int, int] | None:
    """The pixel size an image file declares, read without decoding it."""
    saved = Image.MAX_IMAGE_PIXELS
    Image.MAX_IMAGE_PIXELS = None
    try:
        with Image.open(path) as im:
            return im.size
    except Exception:  # noqa: BLE001 - only for the message
        return None
    finally:
        Image.MAX_IMAGE_PIXELS = saved


def page_images(
    path: str | Path, media_type: str, dpi: int = 300, pages: list[int] | None = None, arrays: bool = False
) -> Generator[tuple[int, Image.Image], None, None]:
    """Page images of any supported input (PDF pages rendered at ``dpi``; with
    ``arrays``, PDF pages come as RGB arrays, image files still as PIL images)."""
    if media_type == "application/pdf":
        yield from render_pdf_pages(path, dpi=dpi, pages=pages, arrays=arrays)
    else:
        for n, img in open_image_pages(path):
            if pages is None or n in pages:
                yield n, img
