"""The reader of handwritten digits (the letter's number and day written in by pen, the
receipt stamp's number and date): a text-line recogniser made for photographed text,
read for digits only.

Tesseract's LSTM is no handwriting reader: it reads a pen "2" as an "8" and is sure of
it. The PP-OCR line recogniser that ships inside the ``rapidocr`` wheel
(``PP-OCRv6_rec_small.onnx``, run by onnxruntime) was trained on photographed and
handwritten text. Its dictionary lacks Vietnamese tones, so it reads digit crops only.
It is run here directly through onnxruntime (rapidocr's own front end takes seconds to
build its configuration; the model alone loads in a fraction of that), and its output
is decoded with every class but the digits and the CTC blank masked out, so a stroke
that looks like no digit gives a low confidence rather than a letter.

Confidence of a reading: the lowest, over its digits, of the probability the model gave
that digit where it read it. ``DIGIT_FLOORS`` holds, per reader, the confidence below
which a reading is left blank (calibrated by ``tools/eval_handwriting.py``).

The model loads once per process (``rapid_session``, a lazy singleton); the isolated
workers' forkserver does not load it (onnxruntime starts threads; a forkserver must have
none), so the first scan a worker reads pays for it. ``VANTHU_DIGIT_READER=tesseract``
turns it off (the Tesseract digit reading of ``zones.read_digits`` instead).
"""

from __future__ import annotations

import functools
import importlib.util
import threading
from collections.abc import Callable
from pathlib import Path

import numpy as np

from vanthu.pipeline.ocr.options import OcrOptions

# (crop image, kind) -> (digits, confidence 0..1); kind is "number", "day", "month",
# "stamp-number", "stamp-date" (digits and "/.-"), each maybe as "line:…" (the crop holds
# the printed words around the slot)
DigitReader = Callable[[object, str], tuple[str, float]]

RAPID_MODEL = "PP-OCRv6_rec_small.onnx"
#: the recogniser's input height (px); a crop is scaled to it
REC_HEIGHT = 48
#: the narrowest input (px); narrower crops are padded
REC_MIN_WIDTH = 320
#: per reader, the confidence below which a handwritten reading is left blank
DIGIT_FLOORS = {"rapidocr": 0.6, "tesseract": 0.6}

#: what may stand between the digits of a date ("04/4/18"): read with kind "…date"
DATE_SEPARATORS = "/.-"
#: a class read with this probability at a step is a letter for sure (``between_letters``)
LETTER_SURE = 0.5

_lock = threading.Lock()


@functools.cache
def rapid_model_path() -> Path | None:
    """The recogniser inside the installed rapidocr wheel (None: not installed). The
    package is found without importing it (its import builds a configuration: seconds)."""
    spec = importlib.util.find_spec("rapidocr")
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(list(spec.submodule_search_locations)[0]) / "models" / RAPID_MODEL
    return path if path.is_file() else None


@functools.cache
def rapid_session():
    """(onnxruntime session, indices of the classes 0-9, of the date separators): loaded once."""
    import onnxruntime as ort  # type: ignore[import-untyped]

    path = rapid_model_path()
    if path is None:
        raise FileNotFoundError(RAPID_MODEL)
    so = ort.SessionOptions()
    so.intra_op_num_threads = 1  # one Tesseract process a core already: no thread pool of its own
    so.inter_op_num_threads = 1
    so.log_severity_level = 3
    session = ort.InferenceSession(str(path), sess_options=so, providers=["CPUExecutionProvider"])
    chars = session.get_modelmeta().custom_metadata_map["character"].splitlines()
    # class 0 is the CTC blank, then the dictionary, then a space
    classes = ["blank", *chars, " "]
    digits = np.array([classes.index(str(d)) for d in range(10)])
    seps = np.array([classes.index(c) for c in DATE_SEPARATORS])
    return session, digits, seps


def _input(crop) -> np.ndarray:
    """The crop as the recogniser's input: RGB, 48 px high, normalised to -1..1, padded
    to at least ``REC_MIN_WIDTH`` (rapidocr's own preprocessing)."""
    import cv2

    arr = np.asarray(crop.convert("RGB") if hasattr(crop, "convert") else crop)
    h, w = arr.shape[:2]
    width = max(1, int(np.ceil(REC_HEIGHT * w / max(h, 1))))
    resized = cv2.resize(arr, (width, REC_HEIGHT)).astype(np.float32)
    norm = (resized.transpose(2, 0, 1) / 255.0 - 0.5) / 0.5
    out = np.zeros((3, REC_HEIGHT, max(width, REC_MIN_WIDTH)), np.float32)
    out[:, :, :width] = norm
    return out[np.newaxis]


def decode_digits(probs: np.ndarray, digits: np.ndarray, seps: np.ndarray | None = None) -> tuple[str, float]:
    """Greedy CTC decoding of one line's class probabilities (T x C) with only the blank
    and the digits allowed (and the date separators ``seps``, in ``DATE_SEPARATORS``
    order): (text, lowest probability of a read character)."""
    extra = seps if seps is not None else np.array([], int)
    allowed = np.concatenate(([0], digits, extra))
    symbols = [str(d) for d in range(10)] + list(DATE_SEPARATORS[: len(extra)])
    sub = probs[:, allowed]
    best = sub.argmax(axis=1)
    text, confs, prev = [], [], 0
    for t, k in enumerate(best):
        if k != 0 and k != prev:
            text.append(symbols[k - 1])
            confs.append(float(sub[t, k]))
        elif k != 0 and k == prev:
            confs[-1] = max(confs[-1], float(sub[t, k]))
        prev = k
    return "".join(text), (min(confs) if confs else 0.0)


def between_letters(probs: np.ndarray, digits: np.ndarray) -> np.ndarray:
    """The time steps of a line crop that hold the slot: between the printed letters
    around it ("ngày 20 tháng": the steps after the "y" and before the "t"). The model
    reads the whole line unconstrained; the letters it is sure of bound the runs of
    other steps, and the run with the most digit evidence is the slot. (``digits``: the
    classes that are no letter: the digits, and for a date its separators.)"""
    best = probs.argmax(axis=1)
    letter = (best != 0) & ~np.isin(best, digits) & (probs.max(axis=1) > LETTER_SURE)
    runs: list[tuple[int, int]] = []
    start = 0
    for t in range(len(best) + 1):
        if t == len(best) or letter[t]:
            if t > start:
                runs.append((start, t))
            start = t + 1
    if not runs:
        return probs[:0]
    mass = [float(probs[a:b][:, digits].sum()) for a, b in runs]
    a, b = runs[int(np.argmax(mass))]
    return probs[a:b]


def rapid_digits(crop, kind: str = "number") -> tuple[str, float]:
    """Digits in a crop, read by the PP-OCR recogniser. ``kind`` "line:…": the crop holds
    printed words around the slot, whose letters are left out (``between_letters``)."""
    session, digits, seps = rapid_session()
    feed = _input(crop)
    with _lock:  # (one session, pages read in threads)
        probs = session.run(None, {session.get_inputs()[0].name: feed})[0][0]
    dated = kind.endswith("date")
    if kind.startswith("line:"):
        probs = between_letters(probs, np.concatenate((digits, seps)) if dated else digits)
    return decode_digits(probs, digits, seps if dated else None)


def reader_name(wanted: str) -> str:
    """The digit reader that will read: ``wanted``, or "tesseract" when the rapidocr
    model is not installed."""
    return "rapidocr" if wanted == "rapidocr" and rapid_model_path() is not None else "tesseract"


def digit_reader(name: str, opts: OcrOptions, path: str | Path) -> DigitReader:
    """The reader called ``name`` ("rapidocr" or "tesseract", see ``reader_name``)."""
    from vanthu.pipeline.ocr.zones import read_digits

    if reader_name(name) == "rapidocr":
        return rapid_digits
    return lambda crop, kind: read_digits(crop, opts, path)


def floor_of(name: str) -> float:
    """The confidence floor of the reader ``name`` will get."""
    return DIGIT_FLOORS[reader_name(name)]
