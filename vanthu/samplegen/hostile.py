"""Generator of hostile input files, each with the outcome ``vanthu extract`` must reach.

    .venv/bin/python -m vanthu.samplegen.hostile OUT_DIR      # writes the files and MANIFEST.json

Used by ``tests/test_hostile.py`` (through the real CLI) and ``tools/bench_hostile.py``
(time and peak memory per case). The PDFs are written byte by byte (:mod:`vanthu.samplegen.pdfbytes`:
objects, xref, a standard security handler for the encrypted ones), so every defect is deliberate.

Outcomes: ``ok`` (exit 0, a record), ``partial`` (exit 0, a record with a warning that
names what was skipped; ``record`` is either), or an error exit code from ``ExitCode`` with a one-line message
naming the file. ``expect`` lists the acceptable exit codes of the case.
"""

from __future__ import annotations

import io
import json
import sys
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from vanthu.samplegen import oddities as odd
from vanthu.samplegen.pdfbytes import (
    FONT,
    LINES,
    encrypted_pdf,
    fix_xref,
    image_bomb_pdf,
    pdf_bytes,
    pdf_str,
    png_bytes,
    stream,
    text_content,
    text_pdf,
)

ROOT = Path(__file__).resolve().parents[2]  # the checkout: the cases use samples/
SAMPLES = ROOT / "samples"
SAMPLE_PDF = SAMPLES / "tb-so-2024-88.pdf"
SAMPLE_MD = SAMPLES / "seed-cv-ubnd-langson.md"

OK, PARTIAL = "ok", "partial"
# exit codes (vanthu.pipeline.errors.ExitCode), repeated so the generator runs alone
UNSUPPORTED, EMPTY, CORRUPT, ENCRYPTED, TOO_LARGE, TIMED_OUT, OCR_ENGINE, NO_TEXT = 4, 5, 6, 7, 8, 9, 10, 11
NOT_A_LETTER = 13


@dataclass
class Case:
    name: str  # file name written
    build: Callable[[Path], None]
    expect: tuple[int, ...]  # acceptable exit codes
    why: str
    outcome: str = ""  # ok / partial / error (for the record; derived from expect when empty)
    needs_ocr: bool = False
    slow: bool = False
    env: dict[str, str] = field(default_factory=dict)  # extra environment of the run
    path: Path = field(default=Path())

    def describe(self) -> str:
        if self.outcome:
            return self.outcome
        if self.expect == (0,):
            return "record"  # ok or partial: a record, its warnings naming what is missing
        return ("record or error " if 0 in self.expect else "error ") + "/".join(str(c) for c in self.expect if c)


def _sample_pages(dpi: int = 200) -> list:
    """Page images of the sample letter (rendered with vanthu's rasteriser)."""
    from vanthu.pipeline.ocr.raster import page_images

    return [img.convert("L") for _, img in page_images(SAMPLE_PDF, "application/pdf", dpi=dpi)]


# ------------------------------------------------------------------------------ builders
def _write(data: bytes) -> Callable[[Path], None]:
    return lambda p: p.write_bytes(data)


def _docx(p: Path) -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        zf.writestr("word/document.xml", '<?xml version="1.0"?><w:document/>')
    p.write_bytes(buf.getvalue())


def _small_png(p: Path) -> None:
    from PIL import Image

    Image.new("L", (200, 100), 255).save(p, format="PNG")


def _truncated(p: Path) -> None:
    data = SAMPLE_PDF.read_bytes()
    p.write_bytes(data[: int(len(data) * 0.6)])


def _xref_corrupt(p: Path) -> None:
    """Every xref offset off by 7 bytes, and startxref pointing into the middle of an object."""
    data = bytearray(text_pdf(2))
    start = data.rindex(b"\nxref\n") + 1
    table_end = data.index(b"trailer", start)
    table = data[start:table_end].decode()
    fixed = []
    for line in table.splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[2] == "n":
            line = f"{int(parts[0]) + 7:010d} {parts[1]} n "
        fixed.append(line)
    data[start:table_end] = ("\n".join(fixed) + "\n").encode()
    sx = data.rindex(b"startxref\n") + len(b"startxref\n")
    end = data.index(b"\n", sx)
    data[sx:end] = b"%d" % (start // 2)
    p.write_bytes(bytes(data))


def _recursive_tree(p: Path) -> None:
    """The root /Pages lists itself among its kids (and an intermediate node its parent)."""
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R 2 0 R 6 0 R] /Count 3 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        stream(text_content(LINES)),
        FONT,
        b"<< /Type /Pages /Parent 2 0 R /Kids [2 0 R 6 0 R] /Count 2 >>",
    ]
    p.write_bytes(pdf_bytes(objs))


def _js_attachment(p: Path) -> None:
    js = b"app.alert('VANTHU-JS-RAN'); this.exportDataObject({cName: 'payload.sh', nLaunch: 2});"
    payload = b"#!/bin/sh\necho VANTHU-ATTACHMENT-PAYLOAD > /tmp/vanthu-pwned\n"
    # objects 1-2 catalog/pages, 3-4 page/content, 5 font, 6 JS action, 7 file spec, 8 embedded file
    extra = [
        b"<< /Type /Action /S /JavaScript /JS " + pdf_str(js.decode()) + b" >>",
        b"<< /Type /Filespec /F (payload.sh) /UF (payload.sh) /EF << /F 8 0 R >> >>",
        stream(payload, b"/Type /EmbeddedFile "),
    ]
    catalog = (
        b"/OpenAction 6 0 R /AA << /WC 6 0 R >> "
        b"/Names << /JavaScript << /Names [(run) 6 0 R] >> /EmbeddedFiles << /Names [(payload.sh) 7 0 R] >> >> "
    )
    p.write_bytes(text_pdf(1, catalog_extra=catalog, extra_objects=extra))


def _exif_jpeg(p: Path) -> None:
    from PIL import Image

    page = _sample_pages(200)[0]
    stored = page.rotate(90, expand=True)  # sideways on disk; EXIF 6 says "turn 90° clockwise"
    exif = Image.Exif()
    exif[0x0112] = 6
    stored.save(p, format="JPEG", quality=85, exif=exif)


def _tiff(p: Path) -> None:
    pages = [img.point(lambda v: 255 if v > 160 else 0).convert("1") for img in _sample_pages(200)]
    pages[0].save(p, format="TIFF", save_all=True, append_images=pages[1:], compression="group4", dpi=(200, 200))


def _one_bad_page(p: Path) -> None:
    """Three text pages; page 2's content stream is LZW garbage (pdfminer: IndexError)."""
    data = text_pdf(3)
    start = data.index(b"\n6 0 obj\n") + len(b"\n6 0 obj\n")  # page 2's content
    end = data.index(b"\nendobj", start)
    garbage = bytes(range(256)) * 4
    data = data[:start] + stream(garbage, b"/Filter /LZWDecode ") + data[end:]
    p.write_bytes(fix_xref(data))


CASES: list[Case] = [
    Case("zero-byte.pdf", _write(b""), (EMPTY,), "0 bytes: an interrupted copy"),
    Case(
        "text-named.pdf",
        _write(SAMPLE_MD.read_bytes()),
        (0,),
        "a Decree-30 letter saved as text but named .pdf: recognised by its bytes",
        outcome=OK,
    ),
    Case(
        "png-named.pdf",
        _small_png,
        (NO_TEXT,),
        "a blank PNG named .pdf: read as an image by its bytes; nothing to read on it",
    ),
    Case("docx-named.pdf", _docx, (UNSUPPORTED,), "a Word document named .pdf: hint to convert it"),
    Case(
        "truncated.pdf",
        _truncated,
        (0, CORRUPT),
        "the sample letter cut at 60 % (no xref, no trailer): recovered or a clear 'damaged' error",
    ),
    Case(
        "xref-corrupt.pdf",
        _xref_corrupt,
        (0,),
        "every xref offset wrong and startxref into an object: readers rebuild the xref by scanning",
        outcome=OK,
    ),
    Case(
        "encrypted-user-password.pdf",
        lambda p: p.write_bytes(encrypted_pdf("secret", "owner")),
        (ENCRYPTED,),
        "RC4 standard security handler with a user password: say so and how to decrypt",
    ),
    Case(
        "encrypted-owner-only.pdf",
        lambda p: p.write_bytes(encrypted_pdf("", "owner")),
        (0,),
        "encrypted with an empty user password (permissions only): opens without a password",
        outcome=OK,
    ),
    Case(
        "bomb-30000x30000.png",
        lambda p: p.write_bytes(png_bytes(30000, 30000)),
        (TOO_LARGE,),
        "900-megapixel 1-bit PNG in 110 KB: refused by the pixel limit before decoding",
    ),
    Case(
        "bomb-30000x30000-pixel-limit-off.png",
        lambda p: p.write_bytes(png_bytes(30000, 30000)),
        (TOO_LARGE,),
        "the same bomb with the pixel limit raised to 2 gigapixels: decoding it outgrows the worker's "
        "2 GB address space and is stopped there",
        env={"VANTHU_MAX_PIXELS": "2000000000"},
    ),
    Case(
        "bomb-image-in.pdf",
        lambda p: p.write_bytes(image_bomb_pdf()),
        (NO_TEXT,),
        "A4 page painted with a 30000x30000 1-bit image: rendered at a bounded size; blank, so no text",
        needs_ocr=True,
    ),
    Case(
        "mediabox-200in.pdf",
        lambda p: p.write_bytes(text_pdf(1, lines=LINES[:3], media=(14400, 14400))),
        (0, TOO_LARGE),
        "a 200 x 200 inch page with three lines of text: read from its text layer, or "
        "refused before rendering (3.7 gigapixels at 300 dpi); never rendered at full size",
    ),
    Case(
        "recursive-page-tree.pdf",
        _recursive_tree,
        (0, CORRUPT),
        "the page tree contains itself: no infinite loop; the one real page read, or a clear error",
    ),
    Case(
        "one-bad-page.pdf",
        _one_bad_page,
        (0,),
        "page 2 of 3 has a corrupt content stream: pages 1 and 3 read, page 2 named in a warning",
        outcome=PARTIAL,
    ),
    Case("pages-200.pdf", lambda p: p.write_bytes(text_pdf(200)), (0,), "200 text pages", outcome=OK, slow=True),
    Case(
        "exif-rotated.jpg",
        _exif_jpeg,
        (0,),
        "a photo stored sideways with EXIF orientation 6: turned upright before OCR",
        outcome=OK,
        needs_ocr=True,
    ),
    Case("multipage.tiff", _tiff, (0,), "a 2-page Group 4 TIFF scan of the sample letter", outcome=OK, needs_ocr=True),
    Case(
        "javascript-attachment.pdf",
        _js_attachment,
        (0,),
        "OpenAction JavaScript and an embedded file: text read, script never run, attachment never written",
        outcome=OK,
    ),
    # ------------------------------------------------------- readable, but no letter
    Case("two-lines-named.pdf", odd.two_lines, (NOT_A_LETTER,), "a text file named .pdf with two lines of no letter"),
    Case("manual.pdf", odd.manual_pdf, (NOT_A_LETTER,), "a 3-page product manual: English prose, no letter anchor"),
    Case("spreadsheet.pdf", odd.spreadsheet_pdf, (NOT_A_LETTER,), "a spreadsheet printed to PDF: a table of numbers"),
    Case(
        "photo-no-text.jpg",
        odd.photo_no_text,
        (NO_TEXT, NOT_A_LETTER),
        "a photo with no text: nothing read, or specks that are no letter",
        needs_ocr=True,
    ),
    Case(
        "blank-scan.pdf",
        odd.blank_scan,
        (NO_TEXT, NOT_A_LETTER),
        "a blank page through a scanner (speckle): nothing read, or specks that are no letter",
        needs_ocr=True,
    ),
    Case(
        "header-torn.md",
        odd.header_torn,
        (0,),
        "a letter whose number line and date line are torn off: a record, warnings naming both",
        outcome=PARTIAL,
    ),
    Case(
        "body-only.md",
        odd.body_only,
        (0,),
        "only a letter's body (a continuation page): no anchor, but Vietnamese prose: a partial record",
        outcome=PARTIAL,
    ),
    # ------------------------------------------------------------- deep and long
    Case(
        "repeated-first-page-200.pdf",
        odd.repeated_first_page(200),
        (0,),
        "a letter's first page 200 times (header and items from 1 on every page): read, the restarts in a warning",
        outcome=PARTIAL,
        slow=True,
    ),
    Case(
        "items-2000.md",
        odd.items_letter(odd.flat_items(2000)),
        (0,),
        "2,000 numbered items (40 articles of 49 items)",
        outcome=OK,
    ),
    Case(
        "items-nested-50.md",
        odd.items_letter(odd.nested_items(50)),
        (0,),
        'items nested 50 deep ("1.", "1.1.", "1.1.1.", …)',
        outcome=OK,
    ),
    Case(
        "items-restarting-400.md",
        odd.items_letter(odd.restarting_items(400)),
        (0,),
        "numbering 1-3 starting again 400 times: read in linear time, the restarts in a warning",
        outcome=PARTIAL,
    ),
    Case("pages-500.pdf", odd.long_pdf(500), (0,), "500 text pages (the page limit)", outcome=OK, slow=True),
    Case(
        "zero-size.png",
        lambda p: p.write_bytes(png_bytes(0, 0, bit_depth=8, rows=zlib.compress(b""))),
        (CORRUPT,),
        "a PNG that declares 0x0 pixels",
    ),
]


def generate(out: Path, names: list[str] | None = None) -> list[Case]:
    """Write the cases (all, or those named) into ``out``; return them with their paths."""
    out.mkdir(parents=True, exist_ok=True)
    cases = []
    for case in CASES:
        if names and case.name not in names:
            continue
        case.path = out / case.name
        case.build(case.path)
        cases.append(case)
    return cases


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(__doc__.splitlines()[2], file=sys.stderr)
        return 2
    out = Path(argv[0])
    cases = generate(out)
    manifest = {c.name: {"expect": list(c.expect), "outcome": c.describe(), "why": c.why, "env": c.env} for c in cases}
    (out / "MANIFEST.json").write_text(json.dumps(manifest, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    for c in cases:
        print(f"{c.path}  ({c.path.stat().st_size} bytes)  expect {c.describe()}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
