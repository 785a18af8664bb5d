"""Page-image cleaning before OCR (pure functions on numpy arrays, no I/O).

RGB page → (perspective-corrected page) → coloured ink removed → grey with a flat
background → deskewed grey. Binarisation is left to Tesseract's Sauvola
(``thresholding_method=2``), which reads hard scans far better than its default Otsu.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import cv2
import numpy as np

# Pages are cleaned in parallel already, one thread a page, while Tesseract takes the
# cores: OpenCV's own worker threads only added CPU (7% more for the same pixels, measured).
cv2.setNumThreads(1)


@dataclass
class Prepared:
    grey: np.ndarray  # uint8, the image Tesseract reads
    skew: float = 0.0  # degrees the page was rotated by to straighten it
    warped: bool = False  # perspective-corrected (phone photo)
    pen: np.ndarray | None = None  # blue ink of the header band only, black on white (handwriting)
    red: np.ndarray | None = None  # red ink of the header band only, black on white (urgency stamps: ocr/urgency.py)
    scale: float = 1.0  # the input image was enlarged by this factor before cleaning
    detail: np.ndarray | None = None  # ``grey`` before the speckle filter (thin pen strokes intact)
    stamp: np.ndarray | None = None  # a coloured receipt stamp's ink, black on white (``ocr.stamp``)
    notes: list[str] = field(default_factory=list)


def to_rgb_array(img) -> np.ndarray:
    """A PIL image (or an array, grey or RGB) as an RGB uint8 array."""
    if isinstance(img, np.ndarray):
        arr = img if img.ndim == 3 else np.stack([img] * 3, axis=-1)
        return np.ascontiguousarray(arr[..., :3])
    if img.mode not in ("RGB", "L"):
        img = img.convert("RGB")
    arr = np.asarray(img)
    if arr.ndim == 2:
        arr = np.stack([arr] * 3, axis=-1)
    return np.ascontiguousarray(arr[..., :3])


# ----------------------------------------------------------------------------- ink colours
def ink_masks(rgb: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Masks of red (seals, receipt stamps) and blue or violet (ballpoint, stamp pads) ink.

    Black print is neutral (R≈G≈B); coloured ink is far from neutral in a known
    direction. Thresholds are on channel differences so grey paper stays untouched.
    """
    r, g, b = cv2.split(rgb)
    # (saturating differences: r - g > 45 exactly where cv2.subtract(r, g) > 45)
    red = (cv2.subtract(r, g) > 45) & (cv2.subtract(r, b) > 30)
    blue = (cv2.subtract(b, r) > 35) & (cv2.subtract(b, g) > 10)
    # violet (stamp pads, "mực tím" pens): red and blue both far above green, with blue
    # not far below red (where red's own test ends, so a pink seal stays red); it goes
    # with blue: removed from the page, kept aside for the pen and stamp readers
    violet = (cv2.subtract(r, g) > 40) & (cv2.subtract(b, g) > 40) & (cv2.subtract(r, b) <= 30)
    return red, blue | violet


def remove_coloured_ink(
    rgb: np.ndarray, keep_blue_rows: int = 0, masks: tuple[np.ndarray, np.ndarray] | None = None
) -> tuple[np.ndarray, dict[str, float]]:
    """Grey image with red ink, and blue ink below ``keep_blue_rows``, painted over with
    the paper around it.

    Painting with white instead leaves white rings on grey paper that the background
    estimate then turns into halos and Tesseract into junk letters. Above
    ``keep_blue_rows`` blue ink is kept and darkened so Tesseract can read it.
    """
    red, blue = masks if masks is not None else ink_masks(rgb)
    grey = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)
    keep = np.zeros_like(blue)
    keep[:keep_blue_rows] = True
    drop = red | (blue & ~keep)
    if drop.any():
        # the anti-aliased rim of a stroke is less saturated than its core: widen the mask
        # (3x3: a 5x5 mask ate into black print under red seals on the real scans)
        drop = cv2.dilate(drop.astype(np.uint8), np.ones((3, 3), np.uint8)).astype(bool) & ~(blue & keep)
        grey[drop] = paper_level(grey)[drop]
    if (blue & keep).any():
        grey[blue & keep] = np.minimum(grey[blue & keep], 60)
    total = rgb.shape[0] * rgb.shape[1]
    return grey, {
        "red": cv2.countNonZero(red.view(np.uint8)) / total,
        "blue": cv2.countNonZero(blue.view(np.uint8)) / total,
    }


# ----------------------------------------------------------------------------- background
def paper_level(grey: np.ndarray) -> np.ndarray:
    """A smooth estimate of the paper's brightness at every pixel: text strokes are thin,
    so a max filter wider than a stroke leaves only the paper."""
    h, w = grey.shape
    k = 8
    small = cv2.resize(grey, (max(w // k, 1), max(h // k, 1)), interpolation=cv2.INTER_AREA)
    bg = cv2.dilate(small, np.ones((7, 7), np.uint8))
    bg = cv2.medianBlur(bg, 21)
    return cv2.resize(bg, (w, h), interpolation=cv2.INTER_LINEAR)


def flatten_background(grey: np.ndarray) -> np.ndarray:
    """Divide by the paper level so shading, grey paper and dark edge bands of old
    scans become white while the print keeps its contrast."""
    return cv2.divide(grey, np.maximum(paper_level(grey), 1), scale=255)


def crop_dark_bands(grey: np.ndarray) -> np.ndarray:
    """Whiten dark bands along the edges (scanner lid, page shadow) that would otherwise
    be read as a column of junk characters."""
    h, w = grey.shape
    out = grey
    dark = grey < 100
    col_dark = np.count_nonzero(dark, axis=0) / h
    row_dark = np.count_nonzero(dark, axis=1) / w
    edge_w, edge_h = int(w * 0.06), int(h * 0.04)
    for idx in list(range(edge_w)) + list(range(w - edge_w, w)):
        if col_dark[idx] > 0.5:
            out[:, idx] = 255
    for idx in list(range(edge_h)) + list(range(h - edge_h, h)):
        if row_dark[idx] > 0.5:
            out[idx, :] = 255
    return out


# ----------------------------------------------------------------------------- speckle
# Share of ink blobs of at most 6 pixels: 0.00-0.013 on the real scans (clean and old),
# 0.38-0.82 on noisy and hard synthetic scans.
SPECKLE = 0.1
#: red pixels in the header band above which its red ink is kept aside for the stamp
#: reader (a boxed KHẨN at 300 dpi has some 4000; scanner colour fringes a few dozen)
RED_STAMP_MIN_PIXELS = 600


def speckle_ratio(grey: np.ndarray) -> float:
    # (measured on the whole page: on a phone photo, the middle third alone gave a share
    # far enough off to flip the decision)
    _, ink = cv2.threshold(grey, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    # (Grana's BBDT labelling finds the same components as the default, in 22 ms
    # instead of 57 on a 300-dpi page: measured)
    count, _, stats, _ = cv2.connectedComponentsWithStatsWithAlgorithm(ink, 8, cv2.CV_32S, cv2.CCL_BBDT)
    if count <= 1:
        return 0.0
    areas = stats[1:, cv2.CC_STAT_AREA]
    return float((areas <= 6).sum()) / len(areas)


# ----------------------------------------------------------------------------- skew
def estimate_skew(grey: np.ndarray, limit: float = 5.0) -> float:
    """The angle (degrees) that makes text lines horizontal, by the variance of the
    row profile of a downscaled binary image (coarse, then fine search)."""
    h, w = grey.shape
    scale = 800.0 / max(h, w)
    small = cv2.resize(grey, (int(w * scale), int(h * scale)), interpolation=cv2.INTER_AREA)
    _, ink = cv2.threshold(small, 0, 1, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    if ink.mean() < 0.002:
        return 0.0
    ink = ink.astype(np.float32)
    centre = (ink.shape[1] / 2, ink.shape[0] / 2)

    def score(angle: float) -> float:
        m = cv2.getRotationMatrix2D(centre, angle, 1.0)
        rot = cv2.warpAffine(ink, m, (ink.shape[1], ink.shape[0]), flags=cv2.INTER_NEAREST)
        prof = rot.sum(axis=1)
        return float(np.square(np.diff(prof)).sum())

    best = max(np.arange(-limit, limit + 0.01, 0.5), key=score)
    best = max(np.arange(best - 0.5, best + 0.51, 0.1), key=score)
    return round(float(best), 2)


# Tesseract copes with a skew this small, and rotating by it only blurs thin strokes
# (a "/" in "45/UBND" was lost to a 0.1° rotation in a test).
MIN_DESKEW = 0.25


def rotate(grey: np.ndarray, angle: float) -> np.ndarray:
    if abs(angle) < MIN_DESKEW:
        return grey
    h, w = grey.shape
    m = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    return cv2.warpAffine(grey, m, (w, h), flags=cv2.INTER_LINEAR, borderValue=255)


# ----------------------------------------------------------------------------- perspective
def find_page_quad(rgb: np.ndarray) -> np.ndarray | None:
    """Corners of a sheet of paper photographed on a darker background, or None when
    the image is already just the page (a scan)."""
    h, w = rgb.shape[:2]
    scale = 1000.0 / max(h, w)
    small = cv2.resize(
        cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY), (int(w * scale), int(h * scale)), interpolation=cv2.INTER_AREA
    )
    grey = cv2.GaussianBlur(small, (5, 5), 0)
    _, mask = cv2.threshold(grey, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    mask = cv2.morphologyEx(mask, cv2.MORPH_CLOSE, np.ones((15, 15), np.uint8))
    contours, _ = cv2.findContours(mask, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    if not contours:
        return None
    c = max(contours, key=cv2.contourArea)
    area = cv2.contourArea(c) / (small.shape[0] * small.shape[1])
    if not 0.25 < area < 0.93:
        return None
    approx = cv2.approxPolyDP(c, 0.02 * cv2.arcLength(c, True), True)
    if len(approx) != 4 or not cv2.isContourConvex(approx):
        return None
    pts = approx.reshape(4, 2).astype(np.float32) / scale
    # order: top-left, top-right, bottom-right, bottom-left
    s, d = pts.sum(axis=1), np.diff(pts, axis=1).ravel()
    return np.array([pts[s.argmin()], pts[d.argmin()], pts[s.argmax()], pts[d.argmax()]], np.float32)


def warp_page(rgb: np.ndarray, quad: np.ndarray, dpi: int = 300) -> np.ndarray:
    """The page inside ``quad`` as an upright A4-proportioned image at ``dpi``."""
    width_top = np.linalg.norm(quad[1] - quad[0])
    height_left = np.linalg.norm(quad[3] - quad[0])
    portrait = height_left >= width_top
    w_px, h_px = (int(8.27 * dpi), int(11.69 * dpi)) if portrait else (int(11.69 * dpi), int(8.27 * dpi))
    dst = np.array([[0, 0], [w_px - 1, 0], [w_px - 1, h_px - 1], [0, h_px - 1]], np.float32)
    m = cv2.getPerspectiveTransform(quad, dst)
    return cv2.warpPerspective(rgb, m, (w_px, h_px), flags=cv2.INTER_LINEAR, borderValue=(255, 255, 255))


# ----------------------------------------------------------------------------- print area
def content_box(grey: np.ndarray, ink: int = 200, block: int = 4) -> tuple[int, int, int, int] | None:
    """``(x0, y0, x1, y1)``: the part of a cleaned page that has print on it, with a
    margin of 2.5% of the page's width round it (60 px at 300 dpi); None for a blank page.

    Tesseract's cost grows with pixels: read without the blank margins (a third of an A4
    page) it takes 7% less CPU for the same field accuracy (measured on the synthetic
    and the real scans). A block of ``block`` x ``block`` pixels counts as print when
    any of its pixels is darker than ``ink``, so faint print keeps its place in the box.
    """
    h, w = grey.shape[:2]
    hb, wb = h // block, w // block
    if hb == 0 or wb == 0:
        return None
    # (the rows and columns with print, then their blocks: a block minimum over the page
    # took 42 ms, this takes 2)
    dark = cv2.threshold(grey[: hb * block, : wb * block], ink - 1, 1, cv2.THRESH_BINARY_INV)[1]
    rows = np.flatnonzero(dark.any(axis=1)) // block
    if rows.size == 0:
        return None
    cols = np.flatnonzero(dark.max(axis=0)) // block
    pad = max(int(0.025 * w), 8)
    return (
        max(0, int(cols[0]) * block - pad),
        max(0, int(rows[0]) * block - pad),
        min(w, (int(cols[-1]) + 1) * block + pad),
        min(h, (int(rows[-1]) + 1) * block + pad),
    )


# ----------------------------------------------------------------------------- all of it
def _band_ink(mask: np.ndarray, band: int) -> np.ndarray:
    """The ink of ``mask`` above row ``band``, black on white."""
    out = np.full(mask.shape, 255, np.uint8)
    out[:band][mask[:band]] = 0
    return out


#: A page image whose long side gives more than this many dpi on A4 (an archival scan at
#: 600 dpi) is brought down to the reading dpi before cleaning: Tesseract reads it no
#: better and four times slower. Boxes are mapped back to the image's own pixels
#: (``Prepared.scale``), so field boxes stay where they were printed.
DEFAULT_MAX_SCAN_DPI = 400
A4_LONG_IN = 11.69


def _to_reading_dpi(rgb: np.ndarray, dpi: int, notes: list[str]) -> tuple[np.ndarray, float]:
    """The page brought to about ``dpi`` on A4 when it is far from it, and the factor."""
    long_side = max(rgb.shape[:2])
    if long_side < 0.6 * A4_LONG_IN * dpi:  # below ~180 dpi (enlarging more helps nothing: measured)
        f, how, interpolation = A4_LONG_IN * dpi / long_side, "upscaled", cv2.INTER_CUBIC
    elif long_side > A4_LONG_IN * DEFAULT_MAX_SCAN_DPI:  # an archival scan far above the reading dpi
        f, how, interpolation = A4_LONG_IN * dpi / long_side, "downscaled", cv2.INTER_AREA
    else:
        return rgb, 1.0
    notes.append(f"{how} x{f:.2f}")
    return cv2.resize(rgb, (int(rgb.shape[1] * f), int(rgb.shape[0] * f)), interpolation=interpolation), f


def prepare_page(img, dpi: int = 300, header_band: float = 0.3) -> Prepared:
    """Clean one page image for OCR."""
    rgb = to_rgb_array(img)
    notes: list[str] = []
    # A small image (a 150-dpi scan, a screenshot) is brought up to about 300 dpi on
    # A4: Tesseract reads Vietnamese accents poorly below ~20 px of x-height.
    rgb, scale = _to_reading_dpi(rgb, dpi, notes)
    warped = False
    quad = find_page_quad(rgb)
    if quad is not None:
        # straighten at the photo's own resolution: enlarging it made Tesseract misread
        # "I." and "II." on a test photo
        own = float(max(np.linalg.norm(quad[3] - quad[0]), np.linalg.norm(quad[1] - quad[0])) / 11.69)
        rgb = warp_page(rgb, quad, int(min(dpi, max(own, 150))))
        warped = True
        notes.append("perspective corrected")
    band = int(rgb.shape[0] * header_band)
    # All coloured ink leaves the page Tesseract reads: a blue or violet receipt stamp in
    # the header would otherwise be read into the issuer. Blue pen in the header band
    # (the number and day written in by hand) is kept aside in ``pen`` for the
    # handwritten-slot reader.
    red, blue = ink_masks(rgb)
    grey, share = remove_coloured_ink(rgb, keep_blue_rows=0, masks=(red, blue))
    pen = _band_ink(blue, band) if share["blue"] > 0.00002 else None
    if share["red"] > 0.0005:
        notes.append("red ink removed")
    stamp, stamp_box = _stamp_ink(red | blue) if share["red"] + share["blue"] > 0.0005 else (None, None)
    red_band = _red_band(red, band, stamp_box)
    grey = flatten_background(grey)
    grey = crop_dark_bands(grey)
    # Speckle (dust, photocopier noise) is read as punctuation and breaks words apart
    # ("ngày" → "k2" on a noisy scan); at 300 dpi a 3x3 median removes it. It also
    # thins pen strokes and faint print, so only a speckled page gets it.
    detail = grey
    if speckle_ratio(grey) > SPECKLE:
        grey = cv2.medianBlur(grey, 3)
        notes.append("speckle removed")
    angle = estimate_skew(grey)
    same = detail is grey
    grey = rotate(grey, angle)
    detail = grey if same else rotate(detail, angle)  # (no speckle filter: one image, one turn)
    pen, red_band = (None if ink is None else rotate(ink, angle) for ink in (pen, red_band))
    if abs(angle) >= MIN_DESKEW:
        notes.append(f"deskewed {angle:+.1f}°")
    return Prepared(
        grey=grey,
        skew=angle,
        warped=warped,
        notes=notes,
        pen=pen,
        scale=scale,
        detail=detail,
        red=red_band,
        stamp=stamp,
    )


def _stamp_ink(ink: np.ndarray) -> tuple[np.ndarray | None, tuple[int, int, int, int] | None]:
    """The coloured receipt stamp's ink (black on white), cut to its frame, and the frame's
    box; (None, None): no stamp."""
    from vanthu.pipeline.ocr.stampframe import find_colour_stamp

    box = find_colour_stamp(ink)
    if box is None:
        return None, None
    x0, y0, x1, y1 = box
    return np.where(ink[y0:y1, x0:x1], 0, 255).astype(np.uint8), box


def _red_band(red: np.ndarray, band: int, stamp_box: tuple[int, int, int, int] | None) -> np.ndarray | None:
    """The header band's red ink for the urgency-stamp reader (``ocr/urgency.py``), without
    the receipt stamp's frame, which ``ocr/stamp.py`` reads; None when too little is left."""
    if stamp_box is not None:
        red = red.copy()
        x0, y0, x1, y1 = stamp_box
        red[y0:y1, x0:x1] = False
    if cv2.countNonZero(red[:band].view(np.uint8)) <= RED_STAMP_MIN_PIXELS:
        return None
    return _band_ink(red, band)
