"""``vanthu review PATH… --out DIR``: a static HTML review of extracted letters.

Per letter, ``DIR/<stem>.html`` shows the page images beside the extracted fields;
hovering or selecting a field highlights the box it was read from (the record's
``provenance``), low-confidence fields and warnings stand out, and the tasks are listed
with their assignees and deadlines. ``DIR/index.html`` lists the batch: file, type,
number, date, task count, warnings, and failures with their reasons. Everything is
local (no server, no CDN): the page images and the record are written into
``DIR/<stem>.files/``.

Boxes are placed in percent of the page: ``bbox / page size``, with the page size in the
unit of the box (``pt`` for text layers, ``px`` of the image OCR read) from
``source.page_sizes``; the displayed image may have any resolution.
"""

from __future__ import annotations

import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape

from vanthu.views.terminal import (
    HEADER_FIELDS,
    LOW_CONFIDENCE,
    assignment_pointers,
    display_label,
    is_low,
    is_record_file,
    load_record_file,
    low_fields,
    provenance_for,
    walk_assignments,
)
from vanthu.models.record import DispatchRecord
from vanthu.pipeline.errors import ExitCode, OutputNotWritable, UnsupportedFormat, VanthuError

TEMPLATES = Path(__file__).resolve().parent / "templates"
#: Longest side of an image input's page picture, in inches at the review's dpi (A4 is 11.7 in).
MAX_SIDE_INCHES = 11.7


@dataclass
class FieldRow:
    ptr: str
    label: str
    value: str | None
    conf: float | None = None
    page: int | None = None
    boxed: bool = False
    level: int = 0
    kind: str = "field"

    @property
    def low(self) -> bool:
        return is_low(self.conf)


@dataclass
class Section:
    title: str
    rows: list[FieldRow] = field(default_factory=list)


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


@dataclass
class DocView:
    input: str
    name: str
    html: str | None = None
    record: DispatchRecord | None = None
    error: str | None = None  # the one-line message (file: reason), as on stderr
    reason: str | None = None  # the reason alone, for the index
    exit_code: ExitCode | None = None
    pages: list[PageView] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    tasks: list[dict] = field(default_factory=list)

    @property
    def low_fields(self) -> list[tuple[str, float]]:
        if self.record is None:
            return []
        return low_fields(self.record)


# ------------------------------------------------------------------------------ the fields


def _row(record: DispatchRecord, ptr: str, label: str, value: object, level: int = 0,
         kind: str = "field") -> FieldRow:
    entry = provenance_for(record, ptr)
    text = None if value is None or value == "" else str(value)
    return FieldRow(ptr=ptr, label=label, value=text, conf=entry.confidence if entry else None,
                    page=entry.page if entry else None, boxed=bool(entry and entry.bbox), level=level,
                    kind=kind)


def field_sections(record: DispatchRecord) -> list[Section]:
    """Every extracted field as a row keyed by its JSON pointer, grouped for display."""
    header = Section("Header")
    for name, label in HEADER_FIELDS:
        header.rows.append(_row(record, f"/{name}", label, getattr(record, name)))
    sections = [header]

    rec = Section(f"Recipients ({len(record.recipients)})")
    rec.rows = [_row(record, f"/recipients/{i}", "Kính gửi", r) for i, r in enumerate(record.recipients)]
    sections.append(rec)

    refs = Section(f"References ({len(record.references)})")
    for i, r in enumerate(record.references):
        p = f"/references/{i}"
        refs.rows.append(_row(record, p, f"#{i + 1}", r.text, kind="item"))
        for key, label in (("doc_type", "type"), ("number_symbol", "number/symbol"), ("date", "date"),
                           ("issuer", "issuer"), ("title", "title")):
            value = getattr(r, key)
            if value is not None:
                refs.rows.append(_row(record, f"{p}/{key}", label, value, level=1))
    sections.append(refs)

    items = Section(f"Assignments ({len(record.assignments)})")
    for item in walk_assignments(record.assignments):
        a, p, lvl = item.assignment, item.pointer, item.depth
        items.rows.append(_row(record, p, display_label(item), a.text, level=lvl, kind="item"))
        for k, unit in enumerate(a.assignees):  # lead first, then support (named by their role)
            role = "lead" if unit == a.lead else "support" if unit in a.support else "assignee"
            items.rows.append(_row(record, f"{p}/assignees/{k}", role, unit, level=lvl + 1, kind=role))
        if a.deadline or a.deadline_text:
            value = a.deadline or "(no date)"
            if a.deadline_text:
                value += f" — “{a.deadline_text}”"
            items.rows.append(_row(record, f"{p}/deadline", "deadline", value, level=lvl + 1, kind="deadline"))
    sections.append(items)

    signer = Section("Signer")
    s = record.signer
    for key, label in (("prefix", "prefix"), ("title", "title"), ("name", "name")):
        signer.rows.append(_row(record, f"/signer/{key}", label, getattr(s, key) if s else None))
    sections.append(signer)

    dist = Section(f"Distribution ({len(record.distribution)})")
    dist.rows = [_row(record, f"/distribution/{i}", "Nơi nhận", d) for i, d in enumerate(record.distribution)]
    sections.append(dist)

    if record.receipt_stamp is not None:
        st = record.receipt_stamp
        stamp = Section("Receipt stamp (ĐẾN)")
        stamp.rows = [_row(record, "/receipt_stamp/number", "number", st.number),
                      _row(record, "/receipt_stamp/date", "date", st.date or st.date_text),
                      _row(record, "/receipt_stamp/text", "text", st.text)]
        sections.append(stamp)
    return sections


def task_rows(record: DispatchRecord) -> list[dict]:
    pointers = assignment_pointers(record)
    rows = []
    for t in record.tasks:
        ptr = pointers.get(t.assignment, "/tasks")
        entry = provenance_for(record, ptr)
        rows.append({"ptr": ptr, "assignment": t.assignment, "assignee": t.assignee, "role": t.role,
                     "deadline": t.deadline, "deadline_text": t.deadline_text, "recurring": t.recurring,
                     "action": t.action, "low": bool(entry and is_low(entry.confidence))})
    return rows


# ------------------------------------------------------------------------------- the pages


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
                notices.append(f"page {page.number}: no page size in {entry.unit} for {ptr}; box not shown")
                continue
            note = (f"page {page.number}: the record has no page size; boxes in {entry.unit} are placed "
                    f"by an estimate")
            if note not in notices:
                notices.append(note)
        w, h = size
        x0, y0, x1, y1 = entry.bbox
        page.boxes.append(Box(ptr=ptr, left=100 * x0 / w, top=100 * y0 / h, width=100 * (x1 - x0) / w,
                              height=100 * (y1 - y0) / h, conf=entry.confidence, unit=entry.unit))
    return notices


def ocr_view(img, dpi: int):
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
            notes.append("perspective corrected")
    if abs(prep.skew) >= MIN_DESKEW:  # prepare_page rotates only from this angle
        h, w = rgb.shape[:2]
        m = cv2.getRotationMatrix2D((w / 2, h / 2), prep.skew, 1.0)
        rgb = cv2.warpAffine(rgb, m, (w, h), flags=cv2.INTER_LINEAR, borderValue=(255, 255, 255))
        notes.append(f"deskewed {prep.skew:+.1f}°")
    if rgb.shape[:2] != prep.grey.shape:  # the cleaning changed: show the exact image OCR read
        return Image.fromarray(prep.grey), "shown as cleaned for OCR"
    return Image.fromarray(rgb), ", ".join(notes) or None


def _ocr_dpi() -> int:
    from vanthu.pipeline.ocr.pages import OcrOptions

    return OcrOptions().dpi


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
            for _, img in page_images(source, media, dpi=dpi, pages=[number]):
                w, h = img.size
                yield number, img, {"pt": (w * 72 / dpi, h * 72 / dpi), "px": (w * ocr_dpi / dpi, h * ocr_dpi / dpi)}, None
            continue
        for _, img in page_images(source, media, dpi=ocr_dpi, pages=[number]):
            if number in px_size and abs(img.width - px_size[number][0]) > 2:
                # read at another VANTHU_OCR_DPI: render again at the resolution the OCR used
                used = round(ocr_dpi * px_size[number][0] / img.width)
                img = next(im for _, im in page_images(source, media, dpi=used, pages=[number]))
            view, note = ocr_view(img, ocr_dpi)
            yield number, view, {"px": (float(view.width), float(view.height))}, note


def render_pages(doc: DocView, source: Path, out_dir: Path, files_dir: str, dpi: int) -> None:
    """Write the page images of ``source`` and place the record's boxes on them."""
    from PIL import Image

    record = doc.record
    assert record is not None
    media = record.source.media_type
    if not (media == "application/pdf" or media.startswith("image/")):
        doc.notices.append("no page images: the input is a text file (fields only)")
        return
    folder = out_dir / files_dir
    folder.mkdir(parents=True, exist_ok=True)
    max_side = int(dpi * MAX_SIDE_INCHES)
    for number, img, fallback, note in _pages(record, source, media, dpi):
        if note:
            doc.notices.append(f"page {number}: {note}, as the OCR read it")
        if max(img.size) > max_side:
            img = img.copy()
            img.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
        if img.mode not in ("RGB", "L"):
            img = img.convert("RGB")
        try:
            if media == "application/pdf" and record.source.text_source == "text-layer":
                name = f"page-{number}.png"  # a rendered page: few colours, sharp text
                img.quantize(colors=64).save(folder / name)
            else:
                name = f"page-{number}.jpg"  # a scan or photo
                img.save(folder / name, quality=82, optimize=True)
        except OSError as exc:
            raise OutputNotWritable(folder, f"cannot write the page images: {exc.strerror or exc}") from None
        page = PageView(number=number, src=f"{files_dir}/{name}", width=img.width, height=img.height)
        for text in place_boxes(record, page, fallback):
            if text not in doc.notices:
                doc.notices.append(text)
        doc.pages.append(page)


# ------------------------------------------------------------------------------ the output


def environment() -> Environment:
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html"]),
                      trim_blocks=True, lstrip_blocks=True)
    env.filters["pct"] = lambda v: f"{v:.3f}%"
    env.filters["conf"] = lambda v: "" if v is None else f"{v:.2f}"
    return env


def _unique(name: str, used: set[str]) -> str:
    stem = Path(name).stem
    candidate = stem if stem not in used and stem != "index" else name
    n = 2
    while candidate in used or candidate == "index":
        candidate = f"{name}-{n}"
        n += 1
    used.add(candidate)
    return candidate


def _find_source(json_path: Path, record: DispatchRecord) -> Path | None:
    """The letter a saved record was extracted from: beside the JSON, same SHA-256."""
    import hashlib

    candidate = json_path.parent / record.source.file
    if not candidate.is_file():
        return None
    digest = hashlib.sha256(candidate.read_bytes()).hexdigest()
    return candidate if digest == record.source.sha256 else None


def _inputs(paths: list[Path]) -> list[Path]:
    from vanthu.cli import expand

    files: list[Path] = []
    for p in paths:
        files.extend([p] if p.is_file() and is_record_file(p) else expand([p]))
    return files


def build_doc(path: Path, out_dir: Path, used: set[str], dpi: int, debug: bool) -> list[DocView]:
    """Extract (or load) ``path`` and write its page images; one view per record."""
    from vanthu.pipeline.extract import extract_file

    try:
        if is_record_file(path):
            records = [(r, _find_source(path, r)) for r in load_record_file(path)]
        else:
            records = [(extract_file(path), path)]
    except VanthuError as exc:
        reason = f"{exc.reason} ({exc.hint})" if exc.hint else exc.reason
        return [DocView(input=str(path), name=path.name, error=exc.line(), reason=reason,
                        exit_code=exc.exit_code)]
    except Exception as exc:  # noqa: BLE001 - one bad letter must not stop the batch
        if debug:
            traceback.print_exception(exc)
        reason = (f"internal error {type(exc).__name__}: {exc} "
                  "(please report it; run with --debug for details)")
        return [DocView(input=str(path), name=path.name, error=f"{path}: {reason}", reason=reason,
                        exit_code=ExitCode.INTERNAL)]
    views = []
    for record, source in records:
        stem = _unique(record.source.file, used)
        doc = DocView(input=str(path), name=record.source.file, html=f"{stem}.html", record=record)
        files_dir = f"{stem}.files"
        (out_dir / files_dir).mkdir(parents=True, exist_ok=True)
        from vanthu.cli import write_atomic

        write_atomic(out_dir / files_dir / "record.json", record.to_json() + "\n")
        if source is None:
            doc.notices.append(f"no page images: {record.source.file} (same SHA-256) is not beside {path.name}")
        else:
            try:
                render_pages(doc, source, out_dir, files_dir, dpi)
            except VanthuError as exc:
                doc.notices.append(f"no page images: {exc.line()}")
            except Exception as exc:  # noqa: BLE001 - the fields are still worth showing
                if debug:
                    traceback.print_exception(exc)
                doc.notices.append(f"no page images: internal error {type(exc).__name__}: {exc}")
        doc.sections = field_sections(record)
        doc.tasks = task_rows(record)
        views.append(doc)
    return views


def write_review(paths: list[Path], out_dir: Path, *, dpi: int = 120, quiet: bool = True,
                 debug: bool = False, on_failure: Callable[[DocView], None] | None = None) -> list[DocView]:
    """Write ``out_dir/index.html`` and one page per record; return the views (failures
    too; ``on_failure`` is called for each as it happens)."""
    from vanthu.cli import write_atomic
    from vanthu.views.progress import track_files

    files = _inputs(paths)
    if not files:
        raise UnsupportedFormat(", ".join(map(str, paths)), "no letters found (PDF, images, .txt, .md, .json)")
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputNotWritable(out_dir, f"cannot write the review here: {exc.strerror or exc}") from None
    env = environment()
    doc_tpl = env.get_template("document.html")
    used: set[str] = set()
    docs: list[DocView] = []
    for path in track_files(files, "review", quiet=quiet):
        for doc in build_doc(path, out_dir, used, dpi, debug):
            docs.append(doc)
            if doc.error and on_failure is not None:
                on_failure(doc)
            if doc.record is not None and doc.html:
                write_atomic(out_dir / doc.html, doc_tpl.render(doc=doc, low_threshold=LOW_CONFIDENCE))
    write_atomic(out_dir / "index.html", env.get_template("index.html").render(docs=docs))
    return docs


def cmd_review(paths: list[Path], out: Path, *, dpi: int = 120, quiet: bool = False,
               debug: bool = False) -> int:
    import sys

    from vanthu.cli import exit_code_for

    if not 30 <= dpi <= 600:
        print(f"vanthu: --dpi {dpi}: use 30 to 600", file=sys.stderr)
        return int(ExitCode.USAGE)
    def report(doc: DocView) -> None:
        print(f"vanthu: {doc.error}", file=sys.stderr)

    docs = write_review(paths, out, dpi=dpi, quiet=quiet, debug=debug, on_failure=report)
    failures = [d.exit_code or ExitCode.INTERNAL for d in docs if d.error]
    print(f"{out / 'index.html'}: {len(docs) - len(failures)} reviewed, {len(failures)} failed")
    return int(exit_code_for(failures))

