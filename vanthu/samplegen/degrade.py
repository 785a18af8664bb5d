"""The degradations of a scan level, page by page: sensor noise, dust and toner specks,
blur, skew, the bleed-through of the back page, and a phone photo's perspective and light.
Each draws from the scan's random stream in a fixed order (the scans are deterministic)."""

from __future__ import annotations

import math

import cv2
import numpy as np
from PIL import Image


def add_noise(arr: np.ndarray, rng: np.random.Generator, sigma: float) -> np.ndarray:
    noisy = arr.astype(np.float32) + rng.normal(0, sigma, arr.shape).astype(np.float32)
    return np.clip(noisy, 0, 255).astype(np.uint8)


def add_speckle(arr: np.ndarray, rng: np.random.Generator, density: float) -> np.ndarray:
    """Dust and toner specks: small dark dots, a few white holes."""
    out = arr.copy()
    h, w = out.shape[:2]
    n = int(density * h * w / 1e4)
    ys, xs = rng.integers(0, h, n), rng.integers(0, w, n)
    rs = 1 + (rng.random(n) < 0.3).astype(int)  # mostly 1 px, some 2 px (at 300 dpi)
    vals = rng.integers(30, 140, n)
    for y, x, r, v in zip(ys, xs, rs, vals):
        cv2.circle(out, (int(x), int(y)), int(r), (int(v),) * 3 if out.ndim == 3 else int(v), -1)
    m = n // 4
    ys, xs = rng.integers(0, h, m), rng.integers(0, w, m)
    for y, x in zip(ys, xs):
        cv2.circle(out, (int(x), int(y)), 1, (250,) * 3 if out.ndim == 3 else 250, -1)
    return out


def rotate_page(arr: np.ndarray, angle: float, fill: int | tuple = 255) -> np.ndarray:
    """Rotate by ``angle`` degrees (positive = counter-clockwise) about the centre, same size."""
    h, w = arr.shape[:2]
    m = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    border = fill if arr.ndim == 2 else (tuple(fill) if isinstance(fill, tuple) else (fill,) * 3)
    return cv2.warpAffine(arr, m, (w, h), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT, borderValue=border)


def clean_pages(pages: list[Image.Image], rng: np.random.Generator, noise: float) -> list[Image.Image]:
    """The clean level: grey, a slight blur, slight sensor noise."""
    out = []
    for img in pages:
        arr = np.asarray(img.convert("L"))
        arr = cv2.GaussianBlur(arr, (0, 0), 0.5)
        out.append(Image.fromarray(add_noise(arr, rng, 3.0 * noise), "L"))
    return out


def noisy_pages(
    pages: list[Image.Image], rng: np.random.Generator, noise: float, skews: list[float]
) -> list[Image.Image]:
    """The noisy level: speckle, blur, a skew of up to ±1.5° (appended to ``skews``), noise."""
    out = []
    for img in pages:
        arr = np.asarray(img)
        arr = add_speckle(arr, rng, 0.35)
        arr = cv2.GaussianBlur(arr, (0, 0), float(rng.uniform(0.8, 1.2)))
        angle = float(rng.uniform(-1.5, 1.5))
        arr = rotate_page(arr, angle, (250, 250, 248))
        arr = add_noise(arr, rng, 5.0 * noise)
        skews.append(round(angle, 3))
        out.append(Image.fromarray(arr, "RGB"))
    return out


def hard_pages(
    pages: list[Image.Image], rng: np.random.Generator, res: int, noise: float, bleed: bool, skews: list[float]
) -> list[Image.Image]:
    """The hard level: bleed-through of the mirrored back page, lower contrast, speckle,
    a 3° skew (appended to ``skews``), noise."""
    out = []
    n = len(pages)
    for k, img in enumerate(pages):
        arr = np.asarray(img).astype(np.float32)
        back_src = pages[k + 1] if k + 1 < n and n > 1 else pages[(k + 1) % n]
        back = np.asarray(back_src.convert("L"), dtype=np.float32)[:, ::-1]
        if back_src is img:  # one page: shift the mirrored copy so lines do not coincide
            back = np.roll(back, int(res * 0.09), axis=0)
        back = cv2.GaussianBlur(back, (0, 0), res / 150.0)
        strength = float(rng.uniform(0.22, 0.30)) if bleed else float(rng.uniform(0.22, 0.30)) * 0
        veil = 1.0 - strength * (1.0 - back / 255.0)
        arr = arr * veil[..., None]
        # lower contrast: ink greyish, paper darker and yellowish
        lo, hi = float(rng.uniform(55, 75)), float(rng.uniform(205, 220))
        arr = lo + arr * (hi - lo) / 255.0
        arr[..., 2] *= 0.95
        arr = arr.astype(np.uint8)
        arr = add_speckle(arr, rng, 0.3)
        arr = cv2.GaussianBlur(arr, (0, 0), 0.6)
        angle = float(rng.choice([-1.0, 1.0]) * rng.uniform(2.8, 3.2))
        arr = rotate_page(arr, angle, (int(hi), int(hi), int(hi * 0.95)))
        arr = add_noise(arr, rng, 6.0 * noise)
        skews.append(round(angle, 3))
        out.append(Image.fromarray(arr, "RGB"))
    return out


def photo_pages(
    pages: list[Image.Image], rng: np.random.Generator, photo_size: int, noise: float
) -> tuple[list[Image.Image], list[list[list[int]]]]:
    """The photo level: each page photographed; the photos and the page corners in them."""
    out = []
    quads = []
    for img in pages:
        photo, quad = photograph(img, rng, photo_size, noise)
        quads.append(quad)
        out.append(photo)
    return out, quads


def photograph(
    page: Image.Image, rng: np.random.Generator, long_side: int = 3200, noise: float = 1.0
) -> tuple[Image.Image, list[list[int]]]:
    """A phone photo of ``page``: perspective, darker background, uneven light, blur, noise."""
    src = np.asarray(page.convert("RGB"))
    ph, pw = src.shape[:2]
    H = long_side
    W = int(round(H * 3 / 4))
    # the page fills ~80% of the frame, tilted camera: corners moved independently
    scale = min(W * 0.84 / pw, H * 0.86 / ph)
    cw, ch = pw * scale, ph * scale
    ox, oy = (W - cw) / 2, (H - ch) / 2
    j = rng.uniform(-1, 1, (4, 2)) * np.array([W * 0.035, H * 0.025])
    top_in = rng.uniform(0.01, 0.05) * W  # top edge farther from the camera: narrower
    dst = (
        np.array(
            [
                [ox + top_in, oy],
                [ox + cw - top_in, oy],
                [ox + cw, oy + ch],
                [ox, oy + ch],
            ]
        )
        + j
    )
    srcq = np.array([[0, 0], [pw, 0], [pw, ph], [0, ph]], dtype=np.float32)
    m = cv2.getPerspectiveTransform(srcq, dst.astype(np.float32))
    # background: a darker table with texture
    base = np.array(rng.uniform([60, 50, 40], [110, 95, 80]), dtype=np.float32)
    tex = cv2.resize(rng.random((H // 40, W // 40)).astype(np.float32), (W, H), interpolation=cv2.INTER_CUBIC)
    bg = base[None, None, :] * (0.8 + 0.4 * tex[..., None])
    warped = cv2.warpPerspective(
        src,
        m,
        (W, H),
        flags=cv2.INTER_AREA if scale < 1 else cv2.INTER_LINEAR,
        borderMode=cv2.BORDER_CONSTANT,
        borderValue=(0, 0, 0),
    )
    mask = cv2.warpPerspective(np.full((ph, pw), 255, np.uint8), m, (W, H))
    mask = cv2.GaussianBlur(mask, (0, 0), 1.5).astype(np.float32)[..., None] / 255.0
    img = warped.astype(np.float32) * mask + bg * (1 - mask)
    # uneven light: a linear fall-off in a random direction and a soft vignette
    yy, xx = np.mgrid[0:H, 0:W].astype(np.float32)
    ang = rng.uniform(0, 2 * math.pi)
    lin = (xx / W - 0.5) * math.cos(ang) + (yy / H - 0.5) * math.sin(ang)
    light = 1.0 - float(rng.uniform(0.25, 0.35)) * (lin + 0.5)
    r2 = (xx / W - 0.5) ** 2 + (yy / H - 0.5) ** 2
    light *= 1.0 - 0.25 * r2
    warm = np.array([1.0, 0.97, 0.9], dtype=np.float32)
    img = img * light[..., None] * warm
    img = cv2.GaussianBlur(img, (0, 0), 0.9)
    img = img + rng.normal(0, 4.0 * noise, img.shape).astype(np.float32)
    out = Image.fromarray(np.clip(img, 0, 255).astype(np.uint8), "RGB")
    return out, [[int(round(x)), int(round(y))] for x, y in dst]
