"""The page images of the HTML review (:mod:`vanthu.views.html`), with the record's
provenance boxes placed on them.

Boxes are placed in percent of the page: ``bbox / page size``, with the page size in the
unit of the box (``pt`` for text layers, ``px`` of the image OCR read) from
``source.page_sizes``; the displayed image may have any resolution. Pages read by OCR are
shown as the OCR saw them (deskewed, perspective-corrected), so pixel boxes land exactly.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from vanthu.models.record import DispatchRecord
from vanthu.pipeline.errors import OutputNotWritable
from vanthu.pipeline.i18n import _
from vanthu.pipeline.ocr.searchable import page_as_read as ocr_view  # the page as the OCR read it
from vanthu.views.terminal import is_low

#: Longest side of an image input's page picture, in inches at the review's dpi (A4 is 11.7 in).
MAX_SIDE_INCHES = 11.7


@dataclass
class Box:
    ptr: str
    left: float
    top: float
    width: float
    height: float
    conf: float
    unit: str

    @property
    def low(self) -> bool:
        return is_low(self.conf)


@dataclass
class PageView:
    number: int
    src: str
    width: int
    height: int
    boxes: list[Box] = field(default_factory=list)


def _page_size(record: DispatchRecord, page: int, unit: str) -> tuple[float, float] | None:
    for size in record.source.page_sizes:
        if size.page == page and size.unit == unit:
            return size.width, size.height
    return None


def place_boxes(record: DispatchRecord, page: PageView, fallback: dict[str, tuple[float, float]]) -> list[str]:
    """Add the page's provenance boxes, in percent of the page; return notices."""
    notices: list[str] = []
    for ptr, entry in record.provenance.items():
        if entry.page != page.number or entry.bbox is None or entry.unit is None:
            continue
        size = _page_size(record, page.number, entry.unit)
        if size is None:
            size = fallback.get(entry.unit)
            if size is None:
                notices.append(
                    _("page {n}: no page size in {unit} for {ptr}; box not shown").format(
                        n=page.number, unit=entry.unit, ptr=ptr
                    )
                )
                continue
            note = _("page {n}: the record has no page size; boxes in {unit} are placed by an estimate").format(
                n=page.number, unit=entry.unit
            )
            if note not in notices:
                notices.append(note)
        w, h = size
        x0, y0, x1, y1 = entry.bbox
        page.boxes.append(
            Box(
                ptr=ptr,
                left=100 * x0 / w,
                top=100 * y0 / h,
                width=100 * (x1 - x0) / w,
                height=100 * (y1 - y0) / h,
                conf=entry.confidence,
                unit=entry.unit,
            )
        )
    return notices


def _ocr_dpi() -> int:
    """The resolution the OCR cleans pages at (``VANTHU_OCR_DPI``)."""
    from vanthu.pipeline.settings import load_settings

    return load_settings().ocr.dpi


def _pages(record: DispatchRecord, source: Path, media: str, dpi: int):
    """Yield ``(number, image, fallback page sizes, note)``: text-layer pages rendered at
    ``dpi``; pages read by OCR (pixel boxes) as the OCR saw them."""
    from vanthu.pipeline.ocr.raster import page_images

    px_size = {s.page: (s.width, s.height) for s in record.source.page_sizes if s.unit == "px"}
    px_pages = set(px_size) | {e.page for e in record.provenance.values() if e.unit == "px"}
    if media != "application/pdf":  # an image is read by OCR at its own resolution
        for number, img in page_images(source, media):
            if number in px_pages:
                img, note = ocr_view(img, _ocr_dpi())
            else:
                note = None
            yield number, img, {"px": (float(img.width), float(img.height))}, note
        return
    ocr_dpi = _ocr_dpi()
    for number in range(1, record.source.pages + 1):
        if number not in px_pages:
            for _n, img in page_images(source, media, dpi=dpi, pages=[number]):
                w, h = img.size
                sizes = {"pt": (w * 72 / dpi, h * 72 / dpi), "px": (w * ocr_dpi / dpi, h * ocr_dpi / dpi)}
                yield number, img, sizes, None
            continue
        for _n, img in page_images(source, media, dpi=ocr_dpi, pages=[number]):
            if number in px_size and abs(img.width - px_size[number][0]) > 2:
                # read at another VANTHU_OCR_DPI: render again at the resolution the OCR used
                used = round(ocr_dpi * px_size[number][0] / img.width)
                img = next(im for _n, im in page_images(source, media, dpi=used, pages=[number]))
            view, note = ocr_view(img, ocr_dpi)
            yield number, view, {"px": (float(view.width), float(view.height))}, note


def _save_page(img, folder: Path, number: int, record: DispatchRecord, dpi: int) -> tuple[str, tuple[int, int]]:
    """Write one page picture (scaled down to the review's size); returns its file name."""
    from PIL import Image

    max_side = int(dpi * MAX_SIDE_INCHES)
    if max(img.size) > max_side:
        img = img.copy()
        img.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
    if img.mode not in ("RGB", "L"):
        img = img.convert("RGB")
    try:
        if record.source.media_type == "application/pdf" and record.source.text_source == "text-layer":
            name = f"page-{number}.png"  # a rendered page: few colours, sharp text
            img.quantize(colors=64).save(folder / name)
        else:
            name = f"page-{number}.jpg"  # a scan or photo
            img.save(folder / name, quality=82, optimize=True)
    except OSError as exc:
        raise OutputNotWritable(
            folder, _("cannot write the page images: {why}").format(why=exc.strerror or exc)
        ) from None
    return name, img.size


def render_pages(
    record: DispatchRecord,
    source: Path,
    out_dir: Path,
    files_dir: str,
    dpi: int,
    pages: list[PageView],
    notices: list[str],
) -> None:
    """Write the page images of ``source`` and place the record's boxes on them: each page
    is added to ``pages`` as it is written, what the reader should know to ``notices``."""
    media = record.source.media_type
    if not (media == "application/pdf" or media.startswith("image/")):
        notices.append(_("no page images: the input is a text file (fields only)"))
        return
    folder = out_dir / files_dir
    folder.mkdir(parents=True, exist_ok=True)
    for number, img, fallback, note in _pages(record, source, media, dpi):
        if note:
            notices.append(_("page {n}: {note}, as the OCR read it").format(n=number, note=note))
        name, (width, height) = _save_page(img, folder, number, record, dpi)
        page = PageView(number=number, src=f"{files_dir}/{name}", width=width, height=height)
        for text in place_boxes(record, page, fallback):
            if text not in notices:
                notices.append(text)
        pages.append(page)
