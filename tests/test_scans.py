"""The synthetic scan generator (vanthu/samplegen/scan.py, tools/scan_letter.py) and a golden OCR test on a committed
scan (samples/scans/): determinism by seed, the advertised degradations of each level, file
names that ``vanthu eval`` pairs with answer keys."""

from __future__ import annotations

import json
from pathlib import Path

import cv2
import numpy as np
import pytest

from tests.conftest import SAMPLES
from vanthu.discovery import doc_id, find_truth
from vanthu.samplegen import digital, marks
from vanthu.samplegen import scan as sl

# A one-page letter: fast to render, with every region the generator draws on.
LAYOUT = {
    "header_left": ["UBND TỈNH LẠNG SƠN", "SỞ NỘI VỤ"],
    "header_right": ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"],
    "number_line": "Số: 1532/SNV-VP",
    "place_date": "Lạng Sơn, ngày 14 tháng 10 năm 2024",
    "subject_left": ["V/v nộp lưu hồ sơ vào Lưu trữ cơ quan"],
    "recipients": ["Kính gửi: Các phòng, đơn vị thuộc Sở."],
    "body": [
        "Thực hiện Kế hoạch số 12/KH-SNV ngày 10/01/2024 của Sở Nội vụ về công tác văn thư, lưu trữ "
        "năm 2024, Sở Nội vụ đề nghị các phòng, đơn vị thuộc Sở rà soát hồ sơ công việc năm 2023, "
        "hoàn thiện và nộp lưu vào Lưu trữ cơ quan trước ngày 30/10/2024. " * 3,
        "Đề nghị các phòng, đơn vị thực hiện./.",
    ],
    "distribution": ["Nơi nhận:", "- Như trên;", "- Lưu: VT, VP."],
    "signer": ["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "", "Lý Văn Cường"],
}


def grey(img) -> np.ndarray:
    return np.asarray(img.convert("L"))


def red_mask(img) -> np.ndarray:
    rgb = np.asarray(img.convert("RGB")).astype(int)
    return (rgb[..., 0] > 140) & (rgb[..., 0] - rgb[..., 1] > 60) & (rgb[..., 0] - rgb[..., 2] > 50)


def measured_skew(img, limit: float = 4.5) -> float:
    """The rotation (degrees, counter-clockwise positive) that makes text rows sharpest:
    minus the page's skew. Projection profiles, independent of the pipeline's deskew."""
    g = grey(img)
    small = cv2.resize(g, (g.shape[1] // 2, g.shape[0] // 2), interpolation=cv2.INTER_AREA)
    ink = (small < 150).astype(np.float32)
    h, w = ink.shape
    best, best_a = -1.0, 0.0
    for a in np.arange(-limit, limit + 0.001, 0.1):
        m = cv2.getRotationMatrix2D((w / 2, h / 2), float(a), 1.0)
        rows = cv2.warpAffine(ink, m, (w, h)).sum(axis=1)
        v = float(np.var(rows))
        if v > best:
            best, best_a = v, float(a)
    return best_a


@pytest.fixture(scope="module")
def noisy():
    return sl.scan_pages(LAYOUT, "noisy", seed=11, dpi=150)


def test_same_seed_same_bytes_other_seed_differs(noisy):
    again = sl.scan_pages(LAYOUT, "noisy", seed=11, dpi=150)
    assert [p.tobytes() for p in again.pages] == [p.tobytes() for p in noisy.pages]
    pdf = sl.encode(again, "pdf")
    assert pdf == sl.encode(noisy, "pdf")
    assert b"CreationDate (D:20240101" in pdf  # no clock time in the file
    other = sl.scan_pages(LAYOUT, "noisy", seed=12, dpi=150)
    assert other.pages[0].tobytes() != noisy.pages[0].tobytes()
    assert other.meta["stamp"]["number"] != noisy.meta["stamp"]["number"] or other.meta["skew"] != noisy.meta["skew"]


def test_clean_is_grey_300dpi_without_colour_or_skew():
    scan = sl.scan_pages(LAYOUT, "clean", seed=1)
    page = scan.pages[0]
    assert page.mode == "L" and scan.dpi == 300
    assert abs(page.width - round(210 / 25.4 * 300)) <= 2
    g = grey(page)
    assert 1.5 < float(np.std(g[40:140, 40:140])) < 6  # slight noise on blank paper
    assert abs(measured_skew(page)) < 0.15


def test_noisy_has_red_seal_and_receipt_stamp_with_its_own_number_and_date(noisy):
    page = noisy.pages[0]
    assert page.mode == "RGB" and noisy.dpi == 150
    red = red_mask(page)
    seal, stamp = noisy.meta["seal"], noisy.meta["stamp"]
    cx, cy = seal["centre"]
    r = seal["diameter"] // 2
    assert red[cy - r : cy + r, cx - r : cx + r].sum() > 0.03 * (2 * r) ** 2
    x0, y0, x1, y1 = stamp["box"]
    assert red[y0:y1, x0:x1].sum() > 0.02 * (x1 - x0) * (y1 - y0)
    assert y1 < 0.45 * page.height  # in the header area
    # the stamp carries its own Số/Ngày, never the letter's
    assert stamp["number"] != "1532"
    assert stamp["date"] != "14/10/2024"
    assert not (red[int(0.5 * page.height) :, : page.width // 3]).any()  # no red elsewhere on the left


def test_receipt_stamp_values_never_the_letters():
    for seed in range(200):
        number, when, d = marks.receipt_stamp_values(LAYOUT, np.random.default_rng(seed))
        assert number != "1532" and when != "14/10/2024"
        assert d > marks._letter_date(LAYOUT)


def test_noisy_skew_speckle_and_blur(noisy):
    angle = noisy.meta["skew"][0]
    assert 0.0 < abs(angle) <= 1.5
    assert abs(measured_skew(noisy.pages[0]) + angle) <= 0.25

    # speckle: isolated dark dots in the blank bottom margin
    def specks(page) -> int:
        margin = grey(page)[int(0.9 * page.height) :, :]
        return cv2.connectedComponents((margin < 200).astype(np.uint8))[0] - 1

    assert specks(noisy.pages[0]) >= 4
    assert specks(sl.scan_pages(LAYOUT, "clean", seed=11, dpi=150).pages[0]) == 0
    # blur: the sharpest edge is softer than in the clean scan
    sharp = lambda img: float(cv2.Laplacian(grey(img), cv2.CV_64F).var())  # noqa: E731
    assert sharp(noisy.pages[0]) < 0.8 * sharp(sl.scan_pages(LAYOUT, "clean", seed=11, dpi=150).pages[0])


def test_hard_low_resolution_low_contrast_bleed_through_and_3_degree_skew():
    hard = sl.scan_pages(LAYOUT, "hard", seed=3)
    page = hard.pages[0]
    assert 150 <= hard.dpi <= 200
    assert abs(page.width - round(210 / 25.4 * hard.dpi)) <= 2
    g = grey(page)
    assert np.percentile(g, 0.1) > 35  # no true black
    assert np.median(g) < 225  # greyish paper
    assert 2.8 <= abs(hard.meta["skew"][0]) <= 3.2
    assert abs(measured_skew(page) + hard.meta["skew"][0]) <= 0.3
    # bleed-through: the mirrored back page shows faintly, e.g. in the left margin where the
    # back's right-aligned text lands (same seed without bleed-through for comparison)
    plain = grey(sl.scan_pages(LAYOUT, "hard", seed=3, bleed=False).pages[0]).astype(int)
    assert plain.shape == g.shape
    mm = hard.dpi / 25.4
    band = (slice(int(0.15 * g.shape[0]), int(0.85 * g.shape[0])), slice(int(20 * mm), int(28 * mm)))
    darker = (plain[band] - g[band].astype(int)) > 10
    assert darker.mean() > 0.03
    assert (np.abs(plain - g.astype(int)) > 60).mean() < 0.001  # faint, not a second print


def test_photo_perspective_background_and_shading():
    scan = sl.scan_pages(LAYOUT, "photo", seed=5, photo_size=1600)
    photo = scan.pages[0]
    g = grey(photo).astype(float)
    h, w = g.shape
    assert h == 1600 and w == 1200
    quad = np.array(scan.meta["quads"][0], dtype=float)  # tl, tr, br, bl
    top, bottom = np.linalg.norm(quad[1] - quad[0]), np.linalg.norm(quad[2] - quad[3])
    left, right = np.linalg.norm(quad[3] - quad[0]), np.linalg.norm(quad[2] - quad[1])
    assert abs(top - bottom) / bottom > 0.01 or abs(left - right) / right > 0.01  # not a rectangle
    centre = quad.mean(axis=0)
    for corner in quad:  # just inside each corner: paper; just outside: the darker table
        inside = corner + (centre - corner) * 0.03
        outside = corner - (centre - corner) * 0.03
        assert g[int(inside[1]), int(inside[0])] > 120
        assert g[int(outside[1]), int(outside[0])] < 120
    assert g[:20, :20].mean() < 130 and g[h // 2 - 5 : h // 2 + 5, 20:30].mean() < 130
    # uneven light: the blank paper near opposite corners differs in brightness
    samples = [g[int(c[1] + (centre[1] - c[1]) * 0.06), int(c[0] + (centre[0] - c[0]) * 0.06)] for c in quad]
    assert max(samples) - min(samples) > 12
    assert sl.encode(scan, "jpg")[:3] == b"\xff\xd8\xff"


def test_names_pair_with_answer_keys(tmp_path: Path):
    scan = sl.scan_pages(LAYOUT, "photo", seed=5, photo_size=800)
    photo = sl.write_scan(scan, tmp_path / "out", "cv-snv-1532")
    assert photo.name == "cv-snv-1532.scan-photo.jpg"
    assert sl.output_name("cv-snv-1532", "noisy", 2) == "cv-snv-1532.scan-noisy.pdf"
    assert sl.output_name("cv-snv-1532", "photo", 3) == "cv-snv-1532.scan-photo.pdf"
    assert sl.output_name("cv-snv-1532", "hard", 1, handwritten=True) == "cv-snv-1532.scan-hard-hw.pdf"
    keys = tmp_path / "keys"
    keys.mkdir()
    (keys / "cv-snv-1532.json").write_text("{}", encoding="utf-8")
    assert doc_id(photo) == "cv-snv-1532"
    assert find_truth(photo, photo.parent, [keys]) == keys / "cv-snv-1532.json"


def test_handwritten_number_and_day_in_pen():
    blank, filled = digital.blank_handwritten_slots(LAYOUT)
    assert filled == {"number": "1532", "day": "14"}
    assert "1532" not in blank["number_line"] and blank["number_line"].endswith("/SNV-VP")
    assert " 14 " not in blank["place_date"] and "tháng 10 năm 2024" in blank["place_date"]
    scan = sl.scan_pages(LAYOUT, "noisy", seed=2, dpi=150, handwritten=True)
    assert scan.handwritten and {p["field"] for p in scan.meta["pen"]} == {"number", "day"}
    rgb = np.asarray(scan.pages[0]).astype(int)
    blue = rgb[..., 2] - rgb[..., 0] > 40
    dark = rgb.max(axis=2) < 110
    plain = np.asarray(sl.scan_pages(blank, "noisy", seed=2, dpi=150).pages[0]).astype(int)
    for mark in scan.meta["pen"]:
        x, y = mark["centre"]
        win = (slice(y - 20, y + 20), slice(x - 50, x + 50))
        ink = blue if mark["pen_colour"] == "blue" else dark
        assert ink[win].sum() > 40, mark
        # the printed blank was empty there: the ink is the pen's
        assert (plain[win].max(axis=2) < 110).sum() < ink[win].sum() / 3, mark
    with pytest.raises(ValueError):
        sl.scan_pages(LAYOUT, "clean", handwritten=True)


def test_cli_writes_named_files_and_rejects_unknown_levels(tmp_path: Path, capsys):
    src = tmp_path / "cv-snv-1532.json"
    src.write_text(json.dumps(LAYOUT, ensure_ascii=False), encoding="utf-8")
    assert sl.main([str(src), "--out", str(tmp_path / "o"), "--levels", "clean", "--dpi", "100", "--meta"]) == 0
    out = tmp_path / "o" / "cv-snv-1532.scan-clean.pdf"
    assert out.read_bytes().startswith(b"%PDF")
    assert json.loads((tmp_path / "o" / "cv-snv-1532.scan-clean.pdf.meta.json").read_text())["dpi"] == 100
    assert sl.main([str(src), "--out", str(tmp_path / "o"), "--levels", "blurry"]) == 2
    assert "blurry" in capsys.readouterr().err


# --- golden OCR test on a committed scan ---------------------------------------------------

GOLDEN_SCAN = SAMPLES / "scans" / "tb-so-2024-88.scan-photo.pdf"
# Fields the OCR pipeline reads right on this photo today; they must stay right. Misread
# today (the expected JSON holds the right answer): subject ("quý HH" for "quý III") and the
# signer block under the seal and signature ("Lý Yấn Cường", "'S.- PHỚ CUÁM ĐỐC", no "KT.").
# Raise the floor as the OCR improves.
GOLDEN_RIGHT = [
    "doc_type",
    "issuer",
    "parent_issuer",
    "number",
    "symbol",
    "number_symbol",
    "place",
    "date",
    "urgency",
    "confidentiality",
    "recipients",
    "distribution",
    "references",
    "assignments",
    "assignees",
    "deadlines",
]
GOLDEN_FLOOR = 0.78  # measured 0.80


@pytest.fixture(scope="module")
def golden():
    from vanthu.pipeline.extract import extract_file
    from vanthu.scoring import score

    expected = json.loads(GOLDEN_SCAN.with_name(GOLDEN_SCAN.stem + ".expected.json").read_text(encoding="utf-8"))
    record = extract_file(GOLDEN_SCAN).model_dump(mode="json")
    return record, expected, score(record, expected)


def test_golden_scan_expected_json_is_the_digital_letters_answer():
    digital = json.loads((SAMPLES / "tb-so-2024-88.expected.json").read_text(encoding="utf-8"))
    expected = json.loads(GOLDEN_SCAN.with_name(GOLDEN_SCAN.stem + ".expected.json").read_text(encoding="utf-8"))
    for key in (
        "doc_type",
        "issuer",
        "number_symbol",
        "date",
        "subject",
        "recipients",
        "references",
        "assignments",
        "signer",
        "distribution",
        "tasks",
    ):
        assert expected[key] == digital[key], key
    assert expected["source"]["file"] == GOLDEN_SCAN.name and expected["source"]["text_source"] == "ocr"


def test_golden_scan_fields(golden):
    record, expected, result = golden
    assert record["source"]["text_source"] == "ocr"
    wrong = {f: result.details[f].describe() for f in GOLDEN_RIGHT if result.scores.get(f, 1.0) < 1.0}
    assert not wrong, wrong
    assert result.mean >= GOLDEN_FLOOR, result.scores
    assert any("ảnh chụp xiên, đã được nắn thẳng" in w for w in record["warnings"])


def test_eval_scans_flags_a_receipt_stamp_leak():
    from vanthu.samplegen import marks as eval_scans

    meta = {"stamp": {"number": "2456", "date": "29/11/2025"}}
    right = {"number": "10989", "number_symbol": "10989/BNV-TCBC", "date": "2025-11-21"}
    assert eval_scans.stamp_leaks(right, meta) == []
    leaked = {"number": "2456", "number_symbol": "2456/BNV-TCBC", "date": "2025-11-29"}
    assert len(eval_scans.stamp_leaks(leaked, meta)) == 2
    assert eval_scans.stamp_leaks({"number": None, "number_symbol": "02456/X", "date": None}, meta)
    assert eval_scans.stamp_leaks(right, {}) == []
