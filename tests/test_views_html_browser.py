"""The review page of the seed letter in a real browser (Debian's ``chromium``, headless).

The page measures where every provenance box landed relative to its page image and
writes it into the DOM (``<script id="vanthu-geometry">``); ``--dump-dom`` shows it. The
test checks that every field of the seed letter is on the page with its value, that its
highlight box lies within the page image, at the place the provenance says, and that a
selected field's box is highlighted in a screenshot.

Inputs: the seed letter rendered to a PDF from ``samples/src/seed-cv-ubnd-langson.json``
(boxes in points), and the seed letter scanned (boxes in OCR pixels): a scan shipped in
``samples/`` (``seed-cv-ubnd-langson.scan*.{pdf,png,jpg,tif}``) when there is one, else
that PDF printed to a tilted 300-dpi image-only PDF here (read by Tesseract). The
digital record is also reviewed with its boxes converted to pixels, which must land on
the same spots. Any other scanned sample (``samples/*.scan*``) gets the same checks against
its own record. Skips when ``chromium`` is not installed (``VANTHU_SETUP_TESTS=1 scripts/setup.sh`` installs it).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from PIL import Image

from tests.conftest import SAMPLES
from tests.support.review_dom import Page, boxes_for, field_values, parse
from vanthu.cli import main

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
WINDOW = (1400, 1000)
SELECTED = "/assignments/6/assignees/1"  # item 7's supporting unit: highlights item 7's box
SEED_EXPECTED = json.loads((SAMPLES / "seed-cv-ubnd-langson.expected.json").read_text(encoding="utf-8"))
SCAN_SUFFIXES = {".pdf", ".png", ".jpg", ".jpeg", ".tif", ".tiff"}

pytestmark = [
    pytest.mark.skipif(
        CHROMIUM is None, reason="chromium is not installed (VANTHU_SETUP_TESTS=1 ./scripts/setup.sh installs it)"
    ),
    pytest.mark.slow,
]


def _browser(tmp: Path, url: str, *args: str) -> subprocess.CompletedProcess:
    cmd = [
        CHROMIUM,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--hide-scrollbars",
        "--no-first-run",
        "--disable-extensions",
        "--mute-audio",
        "--disable-dev-shm-usage",
        f"--user-data-dir={tmp / 'profile'}",
        f"--window-size={WINDOW[0]},{WINDOW[1]}",
        "--virtual-time-budget=10000",
        *args,
        url,
    ]
    proc = subprocess.run(cmd, capture_output=True, text=True, encoding="utf-8", timeout=180)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return proc


def _dump(tmp: Path, html: Path, fragment: str = "") -> Page:
    proc = _browser(tmp, html.as_uri() + (f"#{fragment}" if fragment else ""), "--dump-dom")
    assert 'data-geometry="ready"' in proc.stdout, "the page's script did not run"
    return parse(proc.stdout)


def _render_seed_pdf(folder: Path) -> Path:
    from tests.conftest import load_renderer

    module = load_renderer()
    layout = json.loads((SAMPLES / "src" / "seed-cv-ubnd-langson.json").read_text(encoding="utf-8"))
    out = folder / "seed-cv-ubnd-langson.pdf"
    module.render_letter(layout, out)
    return out


def _scan_of(pdf: Path, folder: Path) -> Path:
    """An image-only PDF of ``pdf``: 300-dpi grey pages, turned 0.8° as on a scanner bed."""
    from vanthu.pipeline.ocr.raster import page_images

    pages = [
        img.convert("L").rotate(0.8, resample=Image.Resampling.BICUBIC, fillcolor=255)
        for _, img in page_images(pdf, "application/pdf", dpi=300)
    ]
    out = folder / f"{pdf.stem}.scan.pdf"
    pages[0].save(out, save_all=True, append_images=pages[1:], resolution=300)
    return out


@pytest.fixture(scope="module", params=["scan", "digital"])
def seed_input(request, tmp_path_factory) -> Path:
    """The seed letter scanned (boxes in OCR pixels) and as a digital PDF (boxes in points)."""
    folder = tmp_path_factory.mktemp(request.param)
    if request.param == "digital":
        return _render_seed_pdf(folder)
    scans = sorted(p for p in SAMPLES.glob("seed-cv-ubnd-langson.scan*") if p.suffix.lower() in SCAN_SUFFIXES)
    if scans:  # a scanned sample shipped with the repository
        return Path(shutil.copy(scans[0], folder / scans[0].name))
    if shutil.which(os.environ.get("VANTHU_TESSERACT_CMD", "tesseract")) is None:
        pytest.skip("tesseract is not installed (scripts/setup.sh installs it)")
    return _scan_of(_render_seed_pdf(folder), folder)


@pytest.fixture(scope="module")
def reviewed(seed_input: Path, tmp_path_factory) -> tuple[Path, dict, Page]:
    out = tmp_path_factory.mktemp("review")
    assert main(["review", str(seed_input), "--out", str(out), "--quiet"]) == 0
    stem = seed_input.stem
    record = json.loads((out / f"{stem}.files" / "record.json").read_text(encoding="utf-8"))
    units = {e["unit"] for e in record["provenance"].values() if e["bbox"]}
    assert units == ({"px"} if record["source"]["text_source"] == "ocr" else {"pt"})
    page = _dump(tmp_path_factory.mktemp("chromium"), out / f"{stem}.html", SELECTED)
    return out / f"{stem}.html", record, page


def _field(page: Page, ptr: str):
    return next(el for el in page.fields.get(ptr, []) if "field" in el.classes)


def _geometry_boxes(page: Page) -> dict[str, dict]:
    assert page.geometry is not None
    return {b["ptr"]: {**b, "page": p["page"], "shown": p["shown"]} for p in page.geometry["pages"] for b in p["boxes"]}


def test_every_field_of_the_seed_letter_is_present(reviewed) -> None:
    html, record, page = reviewed
    wanted = field_values(SEED_EXPECTED)
    extracted = field_values(record)
    assert set(wanted) <= set(extracted), f"fields not extracted: {sorted(set(wanted) - set(extracted))}"
    digital = record["source"]["text_source"] == "text-layer"
    for ptr in wanted:
        shown = _field(page, ptr).value
        assert shown is not None, ptr
        assert " ".join(shown.split()) == " ".join(extracted[ptr].split()), ptr
        if digital:  # a text layer reads the seed exactly
            assert " ".join(shown.split()) == " ".join(wanted[ptr].split()), ptr


def _check_pages(html: Path, record: dict, page: Page) -> None:
    """Every page image loaded, at the size of its file, laid out."""
    pages = {p["page"]: p for p in page.geometry["pages"]}
    assert sorted(pages) == list(range(1, record["source"]["pages"] + 1))
    for p in pages.values():
        assert p["loaded"], f"page {p['page']} image did not load"
        img = next(i for i in page.images if i.attrs["alt"].startswith(f"page {p['page']} "))
        with Image.open(html.parent / img.attrs["src"]) as im:
            assert tuple(p["natural"]) == im.size
        assert p["shown"][0] > 300  # laid out, not collapsed


def _check_inside(page: Page, ptrs) -> None:
    """Each field's highlight box (its own or its item's) lies within its page image."""
    geometry = _geometry_boxes(page)
    for ptr in ptrs:
        boxes = boxes_for(page, ptr)
        assert boxes, f"{ptr} has no box"
        for box in boxes:
            assert box.attrs.get("data-inside") == "yes", (ptr, box.attrs.get("data-rect"))
            g = geometry[box.attrs["data-ptr"]]
            x, y, w, h = g["rect"]
            sw, sh = g["shown"]
            assert w > 2 and h > 2 and x >= -0.5 and y >= -0.5 and x + w <= sw + 0.5 and y + h <= sh + 0.5, ptr


def _check_placement(record: dict, page: Page) -> None:
    """Every provenance box is drawn, at bbox / page size of its page image."""
    geometry = _geometry_boxes(page)
    sizes = {(s["page"], s["unit"]): s for s in record["source"]["page_sizes"]}
    boxed = {p: e for p, e in record["provenance"].items() if e["bbox"]}
    assert set(geometry) == set(boxed)
    for ptr, entry in boxed.items():
        size = sizes[(entry["page"], entry["unit"])]
        g = geometry[ptr]
        assert g["page"] == entry["page"]
        sx, sy = g["shown"][0] / size["width"], g["shown"][1] / size["height"]
        x0, y0, x1, y1 = entry["bbox"]
        assert g["rect"] == pytest.approx([x0 * sx, y0 * sy, (x1 - x0) * sx, (y1 - y0) * sy], abs=1.0), ptr


def test_every_field_has_a_highlight_box_within_the_page_image(reviewed) -> None:
    html, record, page = reviewed
    _check_pages(html, record, page)
    _check_inside(page, field_values(SEED_EXPECTED))


def test_boxes_lie_on_printed_text(reviewed) -> None:
    """Each field's box covers ink on the page image (so the image is the one the boxes
    were measured on: a scan shown deskewed as the OCR read it)."""
    html, record, page = reviewed
    geometry = _geometry_boxes(page)
    images = {}
    for img in page.images:
        number = int(img.attrs["alt"].split()[1])
        with Image.open(html.parent / img.attrs["src"]) as im:
            images[number] = im.convert("L")
    for ptr in field_values(SEED_EXPECTED):
        g = geometry[boxes_for(page, ptr)[0].attrs["data-ptr"]]
        im = images[g["page"]]
        kx, ky = im.width / g["shown"][0], im.height / g["shown"][1]
        x, y, w, h = g["rect"]
        crop = im.crop((int(x * kx), int(y * ky), int((x + w) * kx), int((y + h) * ky)))
        ink = sum(crop.histogram()[:128]) / (crop.width * crop.height)
        assert ink > 0.02, f"{ptr}: no text under its box ({ink:.3f})"


def test_boxes_land_where_the_provenance_says(reviewed) -> None:
    html, record, page = reviewed
    _check_placement(record, page)


def test_selected_field_highlights_its_box(reviewed) -> None:
    html, record, page = reviewed
    assert "active" in _field(page, SELECTED).classes
    active = [ptr for ptr, g in _geometry_boxes(page).items() if g["active"]]
    assert active == ["/assignments/6"]
    assert "active" in page.boxes["/assignments/6"][0].classes


def test_screenshot_shows_the_highlight(reviewed, tmp_path: Path) -> None:
    html, record, page = reviewed
    shot = tmp_path / "review.png"
    _browser(tmp_path, html.as_uri() + f"#{SELECTED}", f"--screenshot={shot}")
    with Image.open(shot) as im:
        assert im.size == WINDOW
        rgb = im.convert("RGB")
        left, top, w, h = _geometry_boxes(page)["/assignments/6"]["viewport"]
        assert left >= 0 and left + w <= WINDOW[0] and top >= 0 and top + h <= WINDOW[1], "box not scrolled into view"
        crop = rgb.crop((int(left) + 3, int(top) + 3, int(left + w) - 3, int(top + h) - 3))
        raw = crop.tobytes()
        pixels = [tuple(raw[i : i + 3]) for i in range(0, len(raw), 3)]
    # the highlight: a translucent amber over the page (white paper turns pale yellow)
    yellow = sum(1 for r, g, b in pixels if r > 200 and 180 < g < 250 and b < 200 and r - b > 60)
    assert yellow / len(pixels) > 0.4, f"{yellow}/{len(pixels)} highlight pixels"
    if os.environ.get("VANTHU_SCREENSHOT"):  # keep one for the record: VANTHU_SCREENSHOT=out.png
        shutil.copy(shot, os.environ["VANTHU_SCREENSHOT"])


def test_px_boxes_land_on_the_same_spots(reviewed, seed_input: Path, tmp_path: Path) -> None:
    html, record, page = reviewed
    if any(e["unit"] == "px" for e in record["provenance"].values() if e["bbox"]):
        pytest.skip("the reviewed scan already has its boxes in pixels")
    k = 300 / 72  # as if OCR had read the page at 300 dpi
    px = json.loads(json.dumps(record))
    for s in px["source"]["page_sizes"]:
        s.update(width=s["width"] * k, height=s["height"] * k, unit="px")
    for e in px["provenance"].values():
        if e["bbox"]:
            e.update(bbox=[v * k for v in e["bbox"]], unit="px")
    saved = seed_input.parent / f"{seed_input.stem}.px.json"
    saved.write_text(json.dumps(px, ensure_ascii=False), encoding="utf-8")
    out = tmp_path / "review"
    assert main(["review", str(saved), "--out", str(out), "--quiet"]) == 0
    px_page = _dump(tmp_path, out / html.name, SELECTED)
    pt_geo, px_geo = _geometry_boxes(page), _geometry_boxes(px_page)
    assert set(px_geo) == set(pt_geo)
    for ptr, g in px_geo.items():
        assert g["rect"] == pytest.approx(pt_geo[ptr]["rect"], abs=0.5), ptr
        assert g["inside"], ptr


OTHER_SCANS = sorted(
    p
    for p in SAMPLES.rglob("*.scan*")
    if p.suffix.lower() in SCAN_SUFFIXES and not p.name.startswith("seed-cv-ubnd-langson.")
)


@pytest.mark.parametrize("scan", OTHER_SCANS, ids=lambda p: p.name)
def test_review_of_each_scanned_sample(scan: Path, tmp_path: Path) -> None:
    """Any scanned sample in samples/: its fields with their boxes inside the page images."""
    out = tmp_path / "review"
    assert main(["review", str(scan), "--out", str(out), "--quiet"]) == 0
    record = json.loads((out / f"{scan.stem}.files" / "record.json").read_text(encoding="utf-8"))
    page = _dump(tmp_path, out / f"{scan.stem}.html")
    _check_pages(out / f"{scan.stem}.html", record, page)
    _check_placement(record, page)
    values = field_values(record)
    for ptr, value in values.items():
        assert " ".join((_field(page, ptr).value or "").split()) == " ".join(value.split()), ptr
    _check_inside(page, [p for p in values if boxes_for(page, p)])
