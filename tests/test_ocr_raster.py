"""Page images (``ocr/raster.py``)."""

from __future__ import annotations

import numpy as np
import pytest

from tests.support.ocr import pdf_text_then_image


def test_pages_rendered_as_arrays_are_the_pil_pages_pixels(tmp_path):
    from vanthu.pipeline.ocr.raster import page_images

    path = tmp_path / "mixed.pdf"
    pdf_text_then_image(path, tmp_path)
    pil = list(page_images(path, "application/pdf", dpi=150))
    arrays = list(page_images(path, "application/pdf", dpi=150, arrays=True))
    assert [n for n, _ in arrays] == [n for n, _ in pil] == [1, 2]
    for (_, im), (_, arr) in zip(pil, arrays):
        assert arr.dtype == np.uint8 and arr.shape == (im.height, im.width, 3)
        assert np.array_equal(arr, np.asarray(im.convert("RGB")))


def test_undecodable_image_message_does_not_repeat_the_path(tmp_path):
    # Pillow's messages carry the path; in the inbox that path is the processing/ copy
    from vanthu.pipeline.errors import CorruptInput
    from vanthu.pipeline.ocr.raster import open_image_pages

    bad = tmp_path / "scan.png"
    bad.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 40)
    with pytest.raises(CorruptInput) as err:
        list(open_image_pages(bad))
    assert str(bad) not in err.value.reason


def test_pixel_limit_is_set_on_first_use_not_at_import():
    """Importing the rasteriser leaves Pillow's limit alone; the first page image opened
    sets the default one, unless ``set_pixel_limit`` (the run layer) set one before."""
    import subprocess
    import sys

    probe = """
from PIL import Image
before = Image.MAX_IMAGE_PIXELS
from vanthu.pipeline.ocr import raster
assert Image.MAX_IMAGE_PIXELS == before, "set at import"
raster.ensure_pixel_limit()
assert Image.MAX_IMAGE_PIXELS == raster.DEFAULT_MAX_PIXELS == 100_000_000
raster.set_pixel_limit(2_000_000)
raster.ensure_pixel_limit()
assert Image.MAX_IMAGE_PIXELS == raster.MAX_PIXELS == 2_000_000
"""
    subprocess.run([sys.executable, "-c", probe], check=True)


def test_page_limits_come_from_the_settings(monkeypatch):
    from PIL import Image

    from vanthu.pipeline.ocr import raster
    from vanthu.pipeline.settings import LimitSettings

    for name in ("MAX_PIXELS", "MAX_PAGE_PT", "_pixel_limit_set"):
        monkeypatch.setattr(raster, name, getattr(raster, name))
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", Image.MAX_IMAGE_PIXELS)
    raster.set_page_limits(LimitSettings(max_pixels=3_000_000, max_page_inches=20))
    assert raster.MAX_PAGE_PT == 20 * 72 and raster.MAX_PIXELS == Image.MAX_IMAGE_PIXELS == 3_000_000
