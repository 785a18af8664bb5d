"""The handwritten-digit reader (``ocr/digits.py``): digits-only CTC decoding, the slot
between printed letters, the PP-OCR recogniser on pen digits, the reader setting."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

from vanthu.pipeline.ocr import digits as dg
from vanthu.pipeline.ocr.options import OcrOptions
from vanthu.pipeline.settings import load_settings
from vanthu.samplegen.marks import BLUE, draw_pen_digits

# a toy alphabet: 0 blank, 1-10 the digits, 11 "/", 12 "a", 13 "y"
DIGITS = np.arange(1, 11)
SEPS = np.array([11])


def probs(*steps: tuple[int, float]) -> np.ndarray:
    """One row per time step: class ``k`` at probability ``p``, the rest spread evenly."""
    out = np.full((len(steps), 14), 0.0)
    for t, (k, p) in enumerate(steps):
        out[t] = (1 - p) / 13
        out[t, k] = p
    return out


@pytest.mark.parametrize(
    ("steps", "text", "conf"),
    [
        ([(3, 0.9), (0, 0.9), (3, 0.8)], "22", 0.8),  # a blank between repeats: two digits
        ([(3, 0.9), (3, 0.7), (8, 0.95)], "27", 0.9),  # a repeat is one digit, its best step counts
        ([(12, 0.9), (5, 0.6)], "4", 0.6),  # a letter is not read as a digit
        ([(0, 0.99)], "", 0.0),
    ],
)
def test_decode_digits_only(steps, text: str, conf: float) -> None:
    got, c = dg.decode_digits(probs(*steps), DIGITS)
    assert got == text and c == pytest.approx(conf, abs=0.01)


def test_decode_a_date_keeps_its_separators() -> None:
    p = probs((1, 0.9), (5, 0.9), (11, 0.9), (5, 0.9), (11, 0.9), (2, 0.9), (9, 0.9))
    assert dg.decode_digits(p, DIGITS)[0] == "04418"
    assert dg.decode_digits(p, DIGITS, SEPS)[0] == "04/4/18"


def test_the_slot_lies_between_the_printed_letters() -> None:
    # "ay 15 t": the digits between the sure letters, not the letters read as digits
    p = probs((12, 0.9), (13, 0.9), (0, 0.9), (2, 0.8), (0, 0.9), (6, 0.9), (12, 0.9))
    assert dg.decode_digits(dg.between_letters(p, DIGITS), DIGITS)[0] == "15"


needs_model = pytest.mark.skipif(dg.rapid_model_path() is None, reason="rapidocr's model is not installed")


@needs_model
@pytest.mark.parametrize(("text", "seed"), [("27", 1), ("660", 2), ("05", 3), ("1532", 4)])
def test_pen_digits_are_read(text: str, seed: int) -> None:
    layer = draw_pen_digits(text, 60, np.random.default_rng(seed), BLUE)
    page = Image.new("RGBA", (layer.width + 24, layer.height + 24), (250, 248, 240, 255))
    page.alpha_composite(layer, (12, 12))
    got, conf = dg.rapid_digits(page.convert("L"), "number")
    assert got == text and conf >= dg.DIGIT_FLOORS["rapidocr"]


@needs_model
def test_the_model_loads_once() -> None:
    assert dg.rapid_session() is dg.rapid_session()


@pytest.mark.parametrize(("env", "name"), [({}, "rapidocr"), ({"VANTHU_DIGIT_READER": "tesseract"}, "tesseract")])
def test_digit_reader_setting(env: dict[str, str], name: str) -> None:
    ocr = load_settings(env).ocr
    assert ocr.digit_reader == name
    assert OcrOptions.from_settings(ocr).digit_reader == name
    reader = dg.digit_reader(name, OcrOptions(), "x")
    assert (reader is dg.rapid_digits) == (dg.reader_name(name) == "rapidocr")


def test_unknown_digit_reader_is_a_usage_error() -> None:
    from vanthu.pipeline.errors import UsageError

    with pytest.raises(UsageError, match="VANTHU_DIGIT_READER"):
        load_settings({"VANTHU_DIGIT_READER": "paddle"})
