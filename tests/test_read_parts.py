"""A letter photographed page by page: ``vanthu extract p1.jpg p2.jpg --as-one`` gives one
record with the pages in order (``pipeline/read/parts.py``); the pages are joined without
losing a pixel, in a private folder that is removed; a part that is not an image is named."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest

from tests.conftest import SAMPLES
from vanthu.cli import main
from vanthu.pipeline.errors import ExitCode, UsageError
from vanthu.pipeline.read.parts import joined_input, part_of, parts_label


@pytest.fixture(scope="module")
def photos(tmp_path_factory) -> list[Path]:
    """The two pages of the sample letter as separate 200-dpi photos (name.p1.jpg, name.p2.png)."""
    from vanthu.pipeline.ocr.raster import page_images

    folder = tmp_path_factory.mktemp("photos")
    out = []
    for n, img in page_images(SAMPLES / "tb-so-2024-88.pdf", "application/pdf", dpi=200):
        path = folder / (f"thông báo.p{n}.jpg" if n == 1 else f"thông báo.p{n}.png")
        img.convert("RGB").save(path, dpi=(200, 200), **({"quality": 90} if n == 1 else {}))
        out.append(path)
    return out


@pytest.mark.skipif(shutil.which("tesseract") is None, reason="Tesseract is not installed")
def test_pages_photographed_one_by_one_give_one_record_with_the_pages_in_order(photos, tmp_path, capsys):
    out = tmp_path / "out"
    pdf = tmp_path / "thông báo.pdf"
    assert main(["extract", *map(str, photos), "--as-one", "--out", str(out), "--pdf", str(pdf)]) == 0
    assert sorted(p.name for p in out.iterdir()) == ["thông báo.json"]
    record = json.loads((out / "thông báo.json").read_text(encoding="utf-8"))
    assert record["source"]["file"] == "thông báo.p1.jpg + thông báo.p2.png"
    assert record["source"]["pages"] == 2
    assert record["id"] == "sha256:" + hashlib.sha256(b"".join(p.read_bytes() for p in photos)).hexdigest()
    assert record["subject"].startswith("Kết luận của Giám đốc Sở")
    assert record["provenance"]["/subject"]["page"] == 1
    assert record["signer"]["name"] == "Lý Văn Cường"
    assert record["provenance"]["/signer/name"]["page"] == 2
    assert record["tasks"]
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(str(pdf))
    assert len(doc) == 2 and "Cường" in doc[1].get_textpage().get_text_range()
    doc.close()


def test_joined_pages_keep_every_pixel_and_their_folder_is_removed(photos):
    from PIL import Image

    from vanthu.pipeline.ocr.raster import open_image_pages

    with joined_input(photos) as inp:
        folder = Path(inp.path).parent
        assert (folder.stat().st_mode & 0o077) == 0  # private to this user
        assert inp.media_type == "image/tiff" and inp.name == parts_label(photos)
        with Image.open(inp.path) as tiff:
            assert tiff.n_frames == 2
            for i, photo in enumerate(photos):
                tiff.seek(i)
                original = next(open_image_pages(photo))[1].convert("RGB")
                assert tiff.convert("RGB").tobytes() == original.tobytes()
    assert not folder.exists()


def test_the_same_photos_give_the_same_letter_id(photos):
    with joined_input(photos) as first, joined_input(photos) as second:
        assert first.sha256 == second.sha256
    with joined_input(photos[::-1]) as reversed_:
        assert reversed_.sha256 != first.sha256  # the order is part of the letter


def test_a_part_that_is_not_an_image_is_named(photos, tmp_path, capsys):
    letter = SAMPLES / "tb-so-2024-88.pdf"
    code = main(["extract", str(photos[0]), str(letter), "--as-one"])
    assert code == ExitCode.UNSUPPORTED_FORMAT
    err = capsys.readouterr().err
    assert str(letter) in err and "only page images" in err, err


def test_as_one_with_a_single_file_is_a_usage_error(photos, capsys):
    assert main(["extract", str(photos[0]), "--as-one"]) == ExitCode.USAGE
    assert "two or more page images" in capsys.readouterr().err
    with pytest.raises(UsageError), joined_input(photos[:1]):
        pass


@pytest.mark.parametrize(
    ("name", "part"),
    [
        ("công văn.p1.jpg", ("công văn", 1)),
        ("cv-12.P2.PNG", ("cv-12", 2)),
        ("scan.p10.tiff", ("scan", 10)),
        ("scan.p0.jpg", None),
        ("scan.jpg", None),
        ("report.pdf.p1", None),
        (".p1.jpg", None),
    ],
)
def test_page_part_names(name, part):
    assert part_of(name) == part
