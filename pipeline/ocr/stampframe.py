"""Where a coloured receipt stamp ("ĐẾN") is on a page: a stamp-sized rectangle of
coloured ink (``find_colour_stamp``), found by the cleaning before the ink is painted over
and read by ``ocr.stamp``."""

from __future__ import annotations

import cv2
import numpy as np

#: the stamp's size on the page, as shares of the page's width (ND30 Phụ lục IV: about
#: 50 x 20 mm on a 210 mm page)
STAMP_WIDTH = (0.14, 0.40)
STAMP_HEIGHT = (0.05, 0.20)
#: the hull of a stamp's ink fills this share of its enclosing rectangle (a round seal: 0.79)
STAMP_FILL = 0.9
#: a stamp is this many times wider than high, at least (a seal: 1)
STAMP_ASPECT = 1.5


def _rectangular(box_mask: np.ndarray) -> bool:
    """The ink of a candidate is a (maybe slightly turned) rectangle, wider than high: its
    hull fills its smallest enclosing rectangle (a round seal fills pi/4 of it), and the
    rectangle is far from square."""
    points = cv2.findNonZero(box_mask.astype(np.uint8))
    if points is None or len(points) < 20:
        return False
    hull = cv2.contourArea(cv2.convexHull(points))
    (_, _), (rw, rh), _ = cv2.minAreaRect(points)
    if rw * rh <= 0:
        return False
    aspect = max(rw, rh) / max(min(rw, rh), 1.0)
    return hull / (rw * rh) >= STAMP_FILL and aspect >= STAMP_ASPECT


def find_colour_stamp(ink: np.ndarray) -> tuple[int, int, int, int] | None:
    """(x0, y0, x1, y1) of a stamp-sized rectangle of coloured ink (``ink``: the red or
    blue mask of the page) in the top half of the page, None when there is none."""
    h, w = ink.shape
    top = ink[: h // 2].astype(np.uint8)
    if cv2.countNonZero(top) < 200:
        return None
    joined = cv2.dilate(top, np.ones((9, 9), np.uint8))
    _, _, stats, _ = cv2.connectedComponentsWithStats(joined, connectivity=8, ltype=cv2.CV_32S)
    for i in np.argsort(-stats[1:, cv2.CC_STAT_AREA])[:8] + 1:
        x, y, bw, bh = (int(v) for v in stats[i, :4])
        if not (STAMP_WIDTH[0] * w <= bw <= STAMP_WIDTH[1] * w and STAMP_HEIGHT[0] * w <= bh <= STAMP_HEIGHT[1] * w):
            continue
        if _rectangular(top[y : y + bh, x : x + bw] > 0):
            return x, y, x + bw, y + bh
    return None
