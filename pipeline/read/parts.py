"""One letter photographed page by page: several image files read as one letter, the pages
in the order given (``vanthu extract p1.jpg p2.jpg --as-one``; in the inbox, files named
``name.p1.jpg``, ``name.p2.jpg`` …).

The images are joined into one multi-page TIFF in a private temporary folder (mode 0700,
removed when the letter is read): each page decoded once, turned upright by its EXIF
orientation, and stored with lossless (Deflate) compression, so the OCR reads the same
pixels it would read from each file alone. The letter's ``InputFile`` names the parts
(``"p1.jpg + p2.jpg"``), and its SHA-256 is that of the parts' bytes in order, so a
re-run of the same photos gives the same record id and task ids.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import shutil
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path

from vanthu.models.document import InputFile
from vanthu.pipeline.errors import UnsupportedFormat, UsageError
from vanthu.pipeline.i18n import _
from vanthu.pipeline.read.detect import load_input

#: what joins the parts' names in the letter's ``source.file``
NAME_JOINER = " + "
#: ``name.p2.jpg``: the page number of a part photographed page by page
PART_NAME = re.compile(r"^(?P<stem>.+)\.p(?P<page>[1-9][0-9]{0,2})$", re.IGNORECASE)
_IMAGES = ("image/png", "image/jpeg", "image/tiff")


def part_of(path: str | os.PathLike[str]) -> tuple[str, int] | None:
    """``(letter name, page)`` of a file named ``name.pN.ext``; None for any other name."""
    m = PART_NAME.match(Path(path).stem)
    return (m.group("stem"), int(m.group("page"))) if m else None


def parts_label(paths: Sequence[str | os.PathLike[str]], *, full: bool = False) -> str:
    """How a letter of several files is named: in ``source.file`` by the files' names, in
    messages (``full``) by their paths as given."""
    return NAME_JOINER.join(str(p) if full else Path(p).name for p in paths)


@contextlib.contextmanager
def joined_input(paths: Sequence[str | os.PathLike[str]], *, max_bytes: int | None = None) -> Iterator[InputFile]:
    """The parts as one letter: an ``InputFile`` of a multi-page TIFF made from them in a
    private temporary folder, removed on exit. Each part is checked as a letter alone is
    (and must be an image); an error names the part."""
    if len(paths) < 2:
        raise UsageError("--as-one", _("joins two or more page images into one letter"))
    inputs = [load_input(p, max_bytes=max_bytes) for p in paths]
    for inp in inputs:
        if inp.media_type not in _IMAGES:
            raise UnsupportedFormat(
                inp.path,
                _("is {media_type}; only page images (PNG, JPEG, TIFF) are joined into one letter").format(
                    media_type=inp.media_type
                ),
                hint=_("give the photos of the pages, or read this file on its own"),
            )
    folder = tempfile.mkdtemp(prefix="vanthu-pages-")  # mode 0700: only this user reads the pages
    try:
        tiff = Path(folder) / "letter.tiff"
        _join(inputs, tiff)
        yield InputFile(
            path=str(tiff),
            name=parts_label(paths),
            sha256=files_sha256([inp.path for inp in inputs]),
            media_type="image/tiff",
            size=sum(i.size for i in inputs),
        )
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _join(inputs: list[InputFile], target: Path) -> None:
    from vanthu.pipeline.ocr.raster import open_image_pages

    frames = []
    for inp in inputs:
        for _n, frame in open_image_pages(inp.path):
            if frame.mode not in ("1", "L", "RGB"):
                frame = frame.convert("RGB")
            frames.append(frame)
    first, rest = frames[0], frames[1:]
    first.save(target, format="TIFF", save_all=True, append_images=rest, compression="tiff_adobe_deflate")


def files_sha256(paths: Sequence[str | Path]) -> str:
    """One SHA-256 over the files' bytes in order: the identity of photos read as one letter."""
    digest = hashlib.sha256()
    for path in paths:
        with open(path, "rb") as fh:
            while block := fh.read(1 << 20):
                digest.update(block)
    return digest.hexdigest()
