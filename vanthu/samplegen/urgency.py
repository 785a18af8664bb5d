"""Urgency and secrecy marks stamped in a frame ("HỎA TỐC", "MẬT"), in red or black ink,
as a records office's stamp leaves them beside the number line."""

from __future__ import annotations

import numpy as np
from PIL import Image, ImageDraw

from vanthu.samplegen.canvas import nfc as _nfc
from vanthu.samplegen.marks import STAMP_RED, _font, _mottle, _paste


def draw_mark_stamp(text: str, dpi: int, rng: np.random.Generator, colour=STAMP_RED) -> Image.Image:
    """An urgency or secrecy mark stamped in a frame ("HỎA TỐC", "MẬT"), slightly turned."""
    mm = dpi / 25.4
    font = _font("LiberationSans-Bold.ttf", 5.0 * mm)
    left, top, right, bottom = font.getbbox(_nfc(text))
    w, h = int(right - left + 6 * mm), int(bottom - top + 4 * mm)
    img = Image.new("RGBA", (w, h), (0, 0, 0, 0))
    d = ImageDraw.Draw(img)
    ink = (*colour, 255)
    lw = max(2, int(0.6 * mm))
    d.rectangle((lw, lw, w - lw, h - lw), outline=ink, width=lw)
    d.text((w / 2, h / 2), _nfc(text), font=font, fill=ink, anchor="mm")
    img = img.rotate(float(rng.uniform(-3, 3)), resample=Image.BICUBIC, expand=True)
    return _mottle(img, rng, 0.2)


def stamp_mark(page: Image.Image, text: str, centre_pt: tuple[float, float], dpi: int, seed: int = 0, colour=STAMP_RED):
    """``page`` with the mark ``text`` stamped (framed) centred at ``centre_pt`` (points
    from the top-left corner, as ``digital.pdf_lines`` gives boxes)."""
    rng = np.random.default_rng(seed)
    layer = draw_mark_stamp(text, dpi, rng, colour)
    return _paste(page, layer, (centre_pt[0] * dpi / 72.0, centre_pt[1] * dpi / 72.0))
