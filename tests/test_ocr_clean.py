"""Image cleaning (``ocr/clean.py``): ink colours, skew, background, photographed pages, speckle."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

from tests.support.ocr import text_page
from vanthu.pipeline.ocr import clean as imageprep


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


@pytest.mark.parametrize(
    ("rgb", "mask"),
    [
        ((200, 40, 60), "red"),  # seal red
        ((240, 150, 170), "red"),  # a seal's pale edge
        ((220, 60, 120), "red"),  # pink seal ink
        ((40, 50, 150), "blue"),  # ballpoint blue
        ((110, 70, 170), "blue"),  # blue-violet stamp pad
        ((160, 60, 170), "blue"),  # violet stamp pad / "mực tím" (red and blue both far above green)
        ((150, 50, 140), "blue"),  # a reddish violet
        ((30, 30, 35), None),  # black print
        ((235, 232, 225), None),  # grey paper
        ((200, 190, 120), None),  # yellowed paper
    ],
)
def test_ink_colour_goes_to_its_mask(rgb: tuple[int, int, int], mask: str | None) -> None:
    """Violet ink fell between the red and blue tests and stayed on the page as dark strokes."""
    from vanthu.pipeline.ocr.clean import ink_masks

    red, blue = ink_masks(np.full((4, 4, 3), rgb, dtype=np.uint8))
    assert (bool(red.all()), bool(blue.all())) == (mask == "red", mask == "blue")
    assert not (red & blue).any()
