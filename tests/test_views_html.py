"""``vanthu review``: the static HTML (read back with a parser; the browser test is separate)."""

from __future__ import annotations

import json
import re
import shutil
import unicodedata
from pathlib import Path

import pytest
from PIL import Image

from tests.conftest import SAMPLES
from tests.support.review_dom import boxes_for, field_values, parse, style_pct
from tests.support.warned import rewarned
from vanthu.cli import main
from vanthu.models.record import DispatchRecord
from vanthu.pipeline.errors import ExitCode
from vanthu.views.pages import PageView, place_boxes

PDF = SAMPLES / "tb-so-2024-88.pdf"
SEED = SAMPLES / "seed-cv-ubnd-langson.md"


@pytest.fixture(scope="module")
def reviewed(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("review")
    inputs = tmp_path_factory.mktemp("inputs")
    (inputs / "empty.pdf").write_bytes(b"")
    (inputs / "letter.docx").write_bytes(b"PK\x03\x04" + b"\0" * 60)
    code = main(
        [
            "review",
            str(PDF),
            str(SEED),
            str(inputs / "empty.pdf"),
            str(inputs / "letter.docx"),
            "--out",
            str(out),
            "--dpi",
            "100",
        ]
    )
    assert code == ExitCode.SOME_FAILED  # two failures of different kinds
    return out


def _field(page, ptr: str):
    return next(el for el in page.fields[ptr] if "field" in el.classes)


def _read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def _cells(row: str) -> list[str]:
    return [" ".join(re.sub(r"<[^>]+>", " ", c).split()) for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]


def test_index_lists_the_batch_with_failures_and_reasons(reviewed: Path) -> None:
    index = parse(_read(reviewed / "index.html"))
    rows = re.findall(r"<tr class=\"(ok|failed)\">(.*?)</tr>", _read(reviewed / "index.html"), re.S)
    assert [kind for kind, _ in rows] == ["ok", "ok", "failed", "failed"]
    pdf_row = _cells(rows[0][1])
    record = json.loads(_read(reviewed / "tb-so-2024-88.files" / "record.json"))
    assert pdf_row[:4] == ["tb-so-2024-88.pdf", "Thông báo", "88/TB-SNV", "2024-10-21"]
    assert pdf_row[4:6] == [record["issuer"], record["subject"]]
    assert pdf_row[7:9] == [str(record["source"]["pages"]), str(len(record["tasks"]))]
    dates = [t["deadline"] for t in record["tasks"] if t["deadline"]]
    assert pdf_row[6] == (min(dates) if dates else "—")  # the earliest deadline
    seed_row = re.sub(r"<[^>]+>|\s+", " ", rows[1][1])
    assert "seed-cv-ubnd-langson.md" in seed_row and " 16 " in seed_row and "1 ⚠" in seed_row
    assert "empty.pdf" in rows[2][1] and "the file is empty (0 bytes) (was it copied completely?)" in rows[2][1]
    assert "letter.docx" in rows[3][1] and "convert .docx to PDF first" in rows[3][1]
    assert "Failures (2)" in index.text
    assert 'href="tb-so-2024-88.html"' in rows[0][1]


def test_document_page_boxes_match_the_provenance(reviewed: Path) -> None:
    record = DispatchRecord.model_validate_json(_read(reviewed / "tb-so-2024-88.files" / "record.json"))
    page = parse(_read(reviewed / "tb-so-2024-88.html"))
    sizes = {s.page: s for s in record.source.page_sizes}
    boxed = {p: e for p, e in record.provenance.items() if e.bbox}
    assert boxed and set(page.boxes) == set(boxed)
    for ptr, entry in boxed.items():
        (box,) = page.boxes[ptr]
        size = sizes[entry.page]
        pct = style_pct(box)
        x0, y0, x1, y1 = entry.bbox
        assert pct["left"] == pytest.approx(100 * x0 / size.width, abs=1e-3)
        assert pct["top"] == pytest.approx(100 * y0 / size.height, abs=1e-3)
        assert pct["width"] == pytest.approx(100 * (x1 - x0) / size.width, abs=1e-3)
        assert pct["height"] == pytest.approx(100 * (y1 - y0) / size.height, abs=1e-3)
        assert pct["left"] >= 0 and pct["left"] + pct["width"] <= 100
        assert pct["top"] >= 0 and pct["top"] + pct["height"] <= 100
    # each box sits in the figure of its page
    html = _read(reviewed / "tb-so-2024-88.html")
    figures = re.findall(r'<figure class="page" data-page="(\d+)"(.*?)</figure>', html, re.S)
    assert [int(n) for n, _ in figures] == [1, 2]
    for n, body in figures:
        for ptr in re.findall(r'class="box[^"]*" data-ptr="([^"]+)"', body):
            assert record.provenance[ptr].page == int(n)


def test_page_images_are_local_files_at_the_asked_dpi(reviewed: Path) -> None:
    page = parse(_read(reviewed / "tb-so-2024-88.html"))
    assert len(page.images) == 2
    for img in page.images:
        path = reviewed / img.attrs["src"]
        with Image.open(path) as im:
            assert im.size == (int(img.attrs["width"]), int(img.attrs["height"]))
            # A4 at 100 dpi (pdfium rounds up)
            assert im.size[0] - 595.28 * 100 / 72 == pytest.approx(0.5, abs=0.5)
            assert im.size[1] - 841.89 * 100 / 72 == pytest.approx(0.5, abs=0.5)
    for link in page.links:  # offline: nothing from the network
        assert not re.match(r"(https?:)?//", link), link
        assert (reviewed / link.split("#")[0]).exists(), link
    assert "http" not in _read(reviewed / "tb-so-2024-88.html").replace("http-equiv", "")


def test_every_field_of_the_seed_letter_is_on_its_page(reviewed: Path) -> None:
    expected = json.loads(_read(SAMPLES / "seed-cv-ubnd-langson.expected.json"))
    page = parse(_read(reviewed / "seed-cv-ubnd-langson.html"))
    values = field_values(expected)
    assert len(values) > 40
    for ptr, value in values.items():
        shown = _field(page, ptr).value
        assert shown is not None and unicodedata.is_normalized("NFC", shown)
        assert " ".join(shown.split()) == " ".join(value.split()), ptr
    assert not page.images and "no page images: the input is a text file" in page.text
    # tasks listed with assignee, role and due date (a recurring one's next day marked so)
    rows = re.findall(
        r'<tr class="task[^"]*" data-ptr="([^"]+)"[^>]*>(.*?)</tr>', _read(reviewed / "seed-cv-ubnd-langson.html"), re.S
    )
    assert len(rows) == len(expected["tasks"])
    for (ptr, row), task in zip(rows, expected["tasks"], strict=True):
        cells = [re.sub(r"<[^>]+>", " ", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
        deadline = task["due"] or ("recurring" if task["recurring"] else "—")
        assert cells[:3] == [task["assignment"], task["assignee"], task["role"]]
        assert cells[3].split()[0] == deadline and (task["deadline_text"] or "") in cells[3]
        assert ("(next)" in cells[3]) == (task["due_kind"] == "recurring")
        assert ptr == f"/assignments/{int(task['assignment']) - 1}"
    # the warning stands out
    assert "⚠ Warnings (1)" in page.text and expected["warnings"][0] in page.text


def _px_record(record: DispatchRecord, dpi: float = 300) -> DispatchRecord:
    """The same record as if OCR had read the page at ``dpi``: boxes and page sizes in pixels."""
    data = json.loads(record.to_json())
    k = dpi / 72
    for s in data["source"]["page_sizes"]:
        s.update(width=s["width"] * k, height=s["height"] * k, unit="px")
    for e in data["provenance"].values():
        if e["bbox"]:
            e.update(bbox=[v * k for v in e["bbox"]], unit="px")
    return DispatchRecord.model_validate(data)


def test_px_boxes_land_where_pt_boxes_do(reviewed: Path) -> None:
    record = DispatchRecord.model_validate_json(_read(reviewed / "tb-so-2024-88.files" / "record.json"))
    for n in (1, 2):
        pt_page, px_page = PageView(n, "x.png", 827, 1169), PageView(n, "x.png", 827, 1169)
        assert place_boxes(record, pt_page, {}) == []
        assert place_boxes(_px_record(record), px_page, {}) == []
        assert pt_page.boxes and len(pt_page.boxes) == len(px_page.boxes)
        for a, b in zip(pt_page.boxes, px_page.boxes, strict=True):
            assert (a.ptr, b.unit) == (b.ptr, "px")
            assert (a.left, a.top, a.width, a.height) == pytest.approx((b.left, b.top, b.width, b.height))


def test_record_without_page_sizes_uses_an_estimate_and_says_so(reviewed: Path) -> None:
    record = DispatchRecord.model_validate_json(_read(reviewed / "tb-so-2024-88.files" / "record.json"))
    old = record.model_copy(update={"source": record.source.model_copy(update={"page_sizes": []})})
    exact, guessed = PageView(1, "x.png", 827, 1169), PageView(1, "x.png", 827, 1169)
    place_boxes(record, exact, {})
    notes = place_boxes(old, guessed, {"pt": (827 * 72 / 100, 1169 * 72 / 100)})
    assert notes and "estimate" in notes[0]
    for a, b in zip(exact.boxes, guessed.boxes, strict=True):
        assert (a.left, a.top) == pytest.approx((b.left, b.top), abs=0.1)
    assert place_boxes(old, PageView(1, "x.png", 1, 1), {}) and True


def test_saved_json_beside_its_letter_gets_page_images(tmp_path: Path, capsys) -> None:
    shutil.copy(PDF, tmp_path / PDF.name)
    assert main(["extract", str(tmp_path / PDF.name), "--out", str(tmp_path)]) == 0
    moved = tmp_path / "elsewhere"
    moved.mkdir()
    shutil.copy(tmp_path / "tb-so-2024-88.json", moved / "tb-so-2024-88.json")
    out = tmp_path / "review"
    code = main(["review", str(tmp_path / "tb-so-2024-88.json"), str(moved / "tb-so-2024-88.json"), "--out", str(out)])
    assert code == ExitCode.NOT_FOUND  # the second one has no original: not a success
    first = parse(_read(out / "tb-so-2024-88.html"))
    assert len(first.images) == 2 and first.boxes
    second = parse(_read(out / "tb-so-2024-88.pdf.html"))  # the same file name: a second page
    assert not second.images and "tb-so-2024-88.pdf" in second.text and "was not found" in second.text
    assert _field(second, "/number_symbol").value == "88/TB-SNV"
    captured = capsys.readouterr()
    assert "was not found" in captured.err and "(1 without page images)" in captured.out


def _ingested_tree(tmp_path: Path) -> Path:
    """ROOT/out/tb-so-2024-88.json with its letter moved to done/ under a tagged name."""
    root = tmp_path / "root"
    for name in ("out", "done"):
        (root / name).mkdir(parents=True)
    assert main(["extract", str(PDF), "--out", str(root / "out")]) == 0
    record = DispatchRecord.model_validate_json(_read(root / "out" / "tb-so-2024-88.json"))
    shutil.copy(PDF, root / "done" / f"tb-so-2024-88.{record.source.sha256[:8]}.pdf")
    return root


def test_review_of_an_ingested_record_finds_the_original_in_done(tmp_path: Path, capsys) -> None:
    root = _ingested_tree(tmp_path)
    assert main(["review", str(root / "out" / "tb-so-2024-88.json"), "--out", str(tmp_path / "r")]) == 0
    page = parse(_read(tmp_path / "r" / "tb-so-2024-88.html"))
    assert len(page.images) == 2 and page.boxes


def test_review_finds_the_original_where_the_store_put_it(tmp_path: Path, capsys) -> None:
    from vanthu.flows.store import default_url, open_store

    root = _ingested_tree(tmp_path)
    record = DispatchRecord.model_validate_json(_read(root / "out" / "tb-so-2024-88.json"))
    elsewhere = tmp_path / "archive" / "2024.pdf"
    elsewhere.parent.mkdir()
    for f in (root / "done").iterdir():
        f.rename(elsewhere)
    with open_store(default_url(root)) as db:
        db.save_document(record, file=record.source.file, out_path=str(root / "out" / "tb-so-2024-88.json"))
        db.mark_done(record.source.sha256, str(elsewhere))
    assert main(["review", str(root / "out" / "tb-so-2024-88.json"), "--out", str(tmp_path / "r")]) == 0
    assert len(parse(_read(tmp_path / "r" / "tb-so-2024-88.html")).images) == 2


def test_review_without_the_original_says_so_and_fails(tmp_path: Path, capsys) -> None:
    root = _ingested_tree(tmp_path)
    for f in (root / "done").iterdir():
        f.write_bytes(b"%PDF-1.4 another letter")  # same name, other bytes: not the original
    assert (
        main(["review", str(root / "out" / "tb-so-2024-88.json"), "--out", str(tmp_path / "r")]) == ExitCode.NOT_FOUND
    )
    err = capsys.readouterr().err
    assert "the original tb-so-2024-88.pdf" in err and "was not found" in err and str(root / "done") in err


def test_low_confidence_fields_stand_out(tmp_path: Path, capsys) -> None:
    shutil.copy(PDF, tmp_path / PDF.name)
    data = json.loads(json.dumps(json.loads(_read(SAMPLES / "tb-so-2024-88.expected.json"))))
    data["provenance"]["/issuer"]["confidence"] = 0.4
    data["provenance"]["/assignments/1"]["confidence"] = 0.5
    record = rewarned(data)
    (tmp_path / "rec.json").write_text(record.to_json(), encoding="utf-8")
    assert main(["review", str(tmp_path / "rec.json"), "--out", str(tmp_path / "out")]) == 0
    page = parse(_read(tmp_path / "out" / "tb-so-2024-88.html"))
    assert "low" in _field(page, "/issuer").classes and "low" in page.boxes["/issuer"][0].classes
    assert "low" not in _field(page, "/number_symbol").classes
    # an assignee inherits its item's confidence; the item's tasks are marked too
    assert "low" in _field(page, "/assignments/1/assignees/0").classes
    assert all("low" in el.classes for el in page.fields["/assignments/1"] if el.tag == "tr")
    assert boxes_for(page, "/assignments/1/assignees/0") == page.boxes["/assignments/1"]
    n = len(record.warnings)
    assert "Cơ quan ban hành đọc không chắc chắn (độ tin cậy 0,40), trang 1" in page.text
    assert f"⚠ Warnings ({n})" in page.text
    index = _read(tmp_path / "out" / "index.html")
    assert re.search(rf'class="num warn"[^>]*>{n} ⚠', index)


def test_bad_dpi_and_nothing_to_review(tmp_path: Path, capsys) -> None:
    assert main(["review", str(SEED), "--out", str(tmp_path), "--dpi", "5"]) == ExitCode.USAGE
    (tmp_path / "empty").mkdir()
    assert main(["review", str(tmp_path / "empty"), "--out", str(tmp_path / "o")]) == ExitCode.UNSUPPORTED_FORMAT
    err = capsys.readouterr().err
    assert "--dpi 5" in err and "no letters found" in err


def test_a_bug_in_one_letter_is_reported_not_raised(tmp_path: Path, monkeypatch, capsys) -> None:
    import vanthu.pipeline.extract as extract

    real = extract.extract_file

    def flaky(path, settings=None):
        if Path(path).name == "tb-so-2024-88.pdf":
            raise RuntimeError("boom")
        return real(path, settings)

    monkeypatch.setattr(extract, "extract_file", flaky)
    assert main(["review", "--no-isolation", str(PDF), str(SEED), "--out", str(tmp_path)]) == ExitCode.INTERNAL
    err = capsys.readouterr().err
    assert "tb-so-2024-88.pdf: internal error RuntimeError: boom" in err and "Traceback" not in err
    index = _read(tmp_path / "index.html")
    assert re.search(r'<tr class="failed">.*?internal error RuntimeError: boom.*?</tr>', index, re.S)
    assert 'href="seed-cv-ubnd-langson.html"' in index and (tmp_path / "seed-cv-ubnd-langson.html").exists()


def test_a_photographed_page_with_pixel_boxes(tmp_path: Path, capsys) -> None:
    """An image input (as OCR will read it): a JPEG page picture, boxes in the photo's pixels."""
    import hashlib

    from vanthu.pipeline.ocr.raster import page_images

    ((n, img),) = list(page_images(PDF, "application/pdf", dpi=200, pages=[1]))
    photo = tmp_path / "photo.png"
    img.save(photo)
    data = json.loads(_read(SAMPLES / "tb-so-2024-88.expected.json"))
    k = 200 / 72
    data["source"].update(
        file="photo.png",
        sha256=hashlib.sha256(photo.read_bytes()).hexdigest(),
        media_type="image/png",
        pages=1,
        text_source="ocr",
        page_sizes=[{"page": 1, "width": img.width, "height": img.height, "unit": "px"}],
    )
    data["provenance"] = {
        p: {**e, "bbox": [v * k for v in e["bbox"]], "unit": "px"}
        for p, e in data["provenance"].items()
        if e["page"] == 1 and e["bbox"]
    }
    (tmp_path / "photo.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    assert main(["review", str(tmp_path / "photo.json"), "--out", str(tmp_path / "out"), "--dpi", "60"]) == 0
    page = parse(_read(tmp_path / "out" / "photo.html"))
    (image,) = page.images
    assert image.attrs["src"] == "photo.files/page-1.jpg"
    with Image.open(tmp_path / "out" / image.attrs["src"]) as im:
        assert im.format == "JPEG" and max(im.size) <= int(60 * 11.7)  # scaled down for the page
    record = DispatchRecord.model_validate(data)
    for ptr, entry in record.provenance.items():
        pct = style_pct(page.boxes[ptr][0])
        assert pct["left"] == pytest.approx(100 * entry.bbox[0] / img.width, abs=1e-3)
        assert pct["top"] == pytest.approx(100 * entry.bbox[1] / img.height, abs=1e-3)
    assert not re.search(r"estimate", page.text)


def test_scan_pages_are_shown_as_the_ocr_read_them() -> None:
    """OCR boxes are pixels of the deskewed (or perspective-corrected) page: the review
    shows the page with that same geometry, in colour."""
    import numpy as np

    from vanthu.pipeline.ocr.clean import prepare_page
    from vanthu.pipeline.ocr.raster import page_images
    from vanthu.views.pages import ocr_view

    ((_, img),) = list(page_images(PDF, "application/pdf", dpi=150, pages=[1]))
    tilted = img.convert("L").rotate(2.0, resample=Image.Resampling.BICUBIC, fillcolor=255)
    view, note = ocr_view(tilted, 150)
    prep = prepare_page(tilted, dpi=150)
    assert note == "deskewed -2.0°" and view.mode == "RGB"
    assert view.size == (prep.grey.shape[1], prep.grey.shape[0])
    ink_ocr = prep.grey < 128
    ink_view = np.asarray(view.convert("L")) < 128
    ink_raw = np.asarray(tilted) < 128
    assert (ink_view & ink_ocr).sum() / ink_ocr.sum() > 0.95  # the same strokes in the same places
    assert (ink_raw & ink_ocr).sum() / ink_ocr.sum() < 0.5  # (the page as scanned would be off)
    straight, _ = ocr_view(img, 150)
    assert straight.size == img.size
    # a tilt too small for the OCR to straighten is not straightened here either
    from vanthu.pipeline.ocr.clean import MIN_DESKEW

    slight = img.convert("L").rotate(MIN_DESKEW / 2, resample=Image.Resampling.BICUBIC, fillcolor=255)
    view, note = ocr_view(slight, 150)
    prep = prepare_page(slight, dpi=150)
    assert abs(prep.skew) < MIN_DESKEW and note is None
    assert np.array_equal(np.asarray(view.convert("L")), np.asarray(slight))


def test_unwritable_output(tmp_path: Path, capsys) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder", encoding="utf-8")
    assert main(["review", str(SEED), "--out", str(blocker / "review")]) == ExitCode.OUTPUT_NOT_WRITABLE
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and "cannot write the review here" in err


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_review_is_in_the_language(tmp_path: Path, monkeypatch, capsys, lang: str) -> None:
    """VANTHU_LANG chooses the language of the review's headings, labels and failures; the
    letter's own text is the same in both."""
    from vanthu.pipeline.i18n import translator

    say = translator(lang)
    (tmp_path / "empty.pdf").write_bytes(b"")
    monkeypatch.setenv("VANTHU_LANG", lang)
    out = tmp_path / "review"
    assert main(["review", str(SEED), str(tmp_path / "empty.pdf"), "--out", str(out), "--no-isolation"]) == 5
    page, index = _read(out / "seed-cv-ubnd-langson.html"), _read(out / "index.html")
    record = json.loads(_read(out / "seed-cv-ubnd-langson.files" / "record.json"))
    assert f'<html lang="{lang}">' in page and f'<html lang="{lang}">' in index
    for heading in ("Header", "Signer", "Hover or select a field to see where it was read.", "← all documents"):
        assert say(heading) in page, heading
    assert say("Tasks (%(n)d)") % {"n": len(record["tasks"])} in page
    assert f"<th>{say('earliest deadline')}</th>" in index and say("Failures (%(n)d)") % {"n": 1} in index
    assert say("the file is empty (0 bytes)") in index and say("was it copied completely?") in index
    assert record["subject"] in page  # the letter itself is not translated
    assert ("Hover or select" in page) == (lang == "en")
    summary = capsys.readouterr().out
    assert (
        say("{index}: {n} reviewed{without}, {failed} failed").format(
            index=out / "index.html", n=1, without="", failed=1
        )
        in summary
    )
