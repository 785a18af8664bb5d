"""Generator of hostile input files, each with the outcome ``vanthu extract`` must reach.

    .venv/bin/python tests/hostile_gen.py OUT_DIR      # writes the files and MANIFEST.json

Used by ``tests/test_hostile.py`` (through the real CLI) and ``tools/bench_hostile.py``
(time and peak memory per case). The PDFs are written byte by byte here (objects, xref,
a standard security handler for the encrypted ones), so every defect is deliberate.

Outcomes: ``ok`` (exit 0, a record), ``partial`` (exit 0, a record with a warning that
names what was skipped; ``record`` is either), or an error exit code from ``ExitCode`` with a one-line message
naming the file. ``expect`` lists the acceptable exit codes of the case.
"""

from __future__ import annotations

import hashlib
import io
import json
import struct
import sys
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
SAMPLE_PDF = SAMPLES / "tb-so-2024-88.pdf"
SAMPLE_MD = SAMPLES / "seed-cv-ubnd-langson.md"

OK, PARTIAL = "ok", "partial"
# exit codes (vanthu.pipeline.errors.ExitCode), repeated so the generator runs alone
UNSUPPORTED, EMPTY, CORRUPT, ENCRYPTED, TOO_LARGE, TIMED_OUT, OCR_ENGINE, NO_TEXT = 4, 5, 6, 7, 8, 9, 10, 11


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


# ----------------------------------------------------------------------------- PDF bytes
def pdf_bytes(objects: list[bytes], *, trailer: bytes = b"", version: bytes = b"1.7") -> bytes:
    """A PDF of ``objects`` (object 1 is the catalog) with a correct xref table."""
    out = bytearray(b"%PDF-" + version + b"\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += b"trailer\n<< /Size %d /Root 1 0 R " % (len(objects) + 1) + trailer + b">>\n"
    out += b"startxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


def stream(data: bytes, extra: bytes = b"") -> bytes:
    return b"<< /Length %d " % len(data) + extra + b">>\nstream\n" + data + b"\nendstream"


def _pdf_str(text: str) -> bytes:
    return b"(" + text.encode("latin-1").replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") + b")"


LINES = [
    "UY BAN NHAN DAN TINH LANG SON",
    "So: 123/UBND-VX",
    "Lang Son, ngay 15 thang 8 nam 2024",
    "V/v trien khai cong tac chuyen doi so tren dia ban tinh",
    "Kinh gui: So Tai chinh; UBND cac huyen, thanh pho.",
    "1. Giao So Tai chinh chu tri, phoi hop voi UBND cac huyen ra soat va bao cao ket qua.",
    "2. Tang cuong cong tac tuyen truyen, bao cao dinh ky hang quy ve Uy ban nhan dan tinh.",
    "Noi nhan: Nhu tren; Luu: VT.",
    "CHU TICH",
    "Nguyen Van A",
]


def text_content(lines: list[str], *, x: float = 72, top: float = 780, size: float = 11) -> bytes:
    ops = [b"BT /F1 %g Tf %g TL %g %g Td" % (size, size * 1.6, x, top)]
    for line in lines:
        ops.append(_pdf_str(line) + b" Tj T*")
    ops.append(b"ET")
    return b"\n".join(ops)


FONT = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"


def text_pdf(n_pages: int = 1, *, lines: list[str] | None = None, media: tuple[float, float] = (595, 842),
             catalog_extra: bytes = b"", extra_objects: list[bytes] | None = None) -> bytes:
    """A text-layer PDF: pages 3.. with content streams, font last, then ``extra_objects``."""
    lines = lines or LINES
    first_page = 3
    font_id = first_page + 2 * n_pages
    kids = b" ".join(b"%d 0 R" % (first_page + 2 * i) for i in range(n_pages))
    objs = [b"<< /Type /Catalog /Pages 2 0 R " + catalog_extra + b">>",
            b"<< /Type /Pages /Kids [" + kids + b"] /Count %d >>" % n_pages]
    for i in range(n_pages):
        page_lines = [*lines, f"Trang {i + 1} / {n_pages}"]
        objs.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %g %g] /Contents %d 0 R "
                    b"/Resources << /Font << /F1 %d 0 R >> >> >>" % (media[0], media[1], first_page + 2 * i + 1, font_id))
        objs.append(stream(text_content(page_lines, top=media[1] - 62)))
    objs.append(FONT)
    objs.extend(extra_objects or [])
    return pdf_bytes(objs)


# ------------------------------------------------------------------ standard security
_PAD = bytes.fromhex("28BF4E5E4E758A4164004E56FFFA01082E2E00B6D0683E802F0CA9FE6453697A")


def rc4(key: bytes, data: bytes) -> bytes:
    s = list(range(256))
    j = 0
    for i in range(256):
        j = (j + s[i] + key[i % len(key)]) % 256
        s[i], s[j] = s[j], s[i]
    out = bytearray()
    i = j = 0
    for byte in data:
        i = (i + 1) % 256
        j = (j + s[i]) % 256
        s[i], s[j] = s[j], s[i]
        out.append(byte ^ s[(s[i] + s[j]) % 256])
    return bytes(out)


def encrypted_pdf(user_pw: str, owner_pw: str) -> bytes:
    """A one-page text PDF under the Standard security handler, RC4 40-bit (V1 R2)."""
    doc_id = hashlib.md5(b"vanthu hostile").digest()
    perms = -44
    o_key = hashlib.md5((owner_pw.encode() + _PAD)[:32]).digest()[:5]
    o_val = rc4(o_key, (user_pw.encode() + _PAD)[:32])
    key = hashlib.md5((user_pw.encode() + _PAD)[:32] + o_val + struct.pack("<i", perms) + doc_id).digest()[:5]
    u_val = rc4(key, _PAD)

    def obj_key(num: int) -> bytes:
        return hashlib.md5(key + struct.pack("<i", num)[:3] + b"\x00\x00").digest()[:10]

    content = rc4(obj_key(4), text_content(LINES))
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
            b"/Resources << /Font << /F1 5 0 R >> >> >>",
            stream(content),
            FONT,
            b"<< /Filter /Standard /V 1 /R 2 /O <" + o_val.hex().encode() + b"> /U <" + u_val.hex().encode()
            + b"> /P %d >>" % perms]
    hex_id = doc_id.hex().encode()
    return pdf_bytes(objs, trailer=b"/Encrypt 6 0 R /ID [<" + hex_id + b"> <" + hex_id + b">] ", version=b"1.4")


# ------------------------------------------------------------------------------ images
def png_bytes(width: int, height: int, *, bit_depth: int = 1, color_type: int = 0, rows: bytes | None = None) -> bytes:
    """A PNG whose pixel rows are zero (streamed through zlib: a bomb costs no memory here)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    ihdr = struct.pack(">IIBBBBB", width, height, bit_depth, color_type, 0, 0, 0)
    if rows is None:
        row = b"\x00" * (1 + (width * bit_depth + 7) // 8)
        comp = zlib.compressobj(9)
        parts = [comp.compress(row * min(height, 1000)) for _ in range(height // 1000)]
        parts.append(comp.compress(row * (height % 1000)))
        parts.append(comp.flush())
        rows = b"".join(parts)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", rows) + chunk(b"IEND", b"")


def _zeros_deflated(n_bytes: int) -> bytes:
    comp = zlib.compressobj(9)
    block = b"\x00" * (1 << 20)
    parts = [comp.compress(block) for _ in range(n_bytes >> 20)]
    parts.append(comp.compress(b"\x00" * (n_bytes & ((1 << 20) - 1))))
    parts.append(comp.flush())
    return b"".join(parts)


def image_bomb_pdf(side: int = 30000) -> bytes:
    """An A4 page painted with one side×side 1-bit image (112 MB decoded, 110 KB stored)."""
    data = _zeros_deflated(side * ((side + 7) // 8))
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
            b"/Resources << /XObject << /Im1 5 0 R >> >> >>",
            stream(b"q 595 0 0 842 0 0 cm /Im1 Do Q"),
            stream(data, b"/Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray "
                         b"/BitsPerComponent 1 /Filter /FlateDecode " % (side, side))]
    return pdf_bytes(objs)


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
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R 2 0 R 6 0 R] /Count 3 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
            b"/Resources << /Font << /F1 5 0 R >> >> >>",
            stream(text_content(LINES)),
            FONT,
            b"<< /Type /Pages /Parent 2 0 R /Kids [2 0 R 6 0 R] /Count 2 >>"]
    p.write_bytes(pdf_bytes(objs))


def _js_attachment(p: Path) -> None:
    js = b"app.alert('VANTHU-JS-RAN'); this.exportDataObject({cName: 'payload.sh', nLaunch: 2});"
    payload = b"#!/bin/sh\necho VANTHU-ATTACHMENT-PAYLOAD > /tmp/vanthu-pwned\n"
    # objects 1-2 catalog/pages, 3-4 page/content, 5 font, 6 JS action, 7 file spec, 8 embedded file
    extra = [b"<< /Type /Action /S /JavaScript /JS " + _pdf_str(js.decode()) + b" >>",
             b"<< /Type /Filespec /F (payload.sh) /UF (payload.sh) /EF << /F 8 0 R >> >>",
             stream(payload, b"/Type /EmbeddedFile ")]
    catalog = (b"/OpenAction 6 0 R /AA << /WC 6 0 R >> "
               b"/Names << /JavaScript << /Names [(run) 6 0 R] >> /EmbeddedFiles << /Names [(payload.sh) 7 0 R] >> >> ")
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
    p.write_bytes(_fix_xref(data))


def _fix_xref(data: bytes) -> bytes:
    """Rewrite the xref offsets of a PDF written by ``pdf_bytes`` after an edit."""
    import re

    offsets = [m.start() for m in re.finditer(rb"(?m)^\d+ 0 obj\n", data)]
    xref = data.rindex(b"\nxref\n") + 1
    table = b"xref\n0 %d\n0000000000 65535 f \n" % (len(offsets) + 1) + b"".join(b"%010d 00000 n \n" % o for o in offsets)
    trailer = data.index(b"trailer", xref)
    head, tail = data[:xref], data[trailer:]
    tail = re.sub(rb"startxref\n\d+", b"startxref\n%d" % len(head), tail)
    return head + table + tail


CASES: list[Case] = [
    Case("zero-byte.pdf", _write(b""), (EMPTY,), "0 bytes: an interrupted copy"),
    Case("text-named.pdf", _write(SAMPLE_MD.read_bytes()), (0,),
         "a Decree-30 letter saved as text but named .pdf: recognised by its bytes", outcome=OK),
    Case("png-named.pdf", _small_png, (NO_TEXT,),
         "a blank PNG named .pdf: read as an image by its bytes; nothing to read on it"),
    Case("docx-named.pdf", _docx, (UNSUPPORTED,), "a Word document named .pdf: hint to convert it"),
    Case("truncated.pdf", _truncated, (0, CORRUPT),
         "the sample letter cut at 60 % (no xref, no trailer): recovered or a clear 'damaged' error"),
    Case("xref-corrupt.pdf", _xref_corrupt, (0,),
         "every xref offset wrong and startxref into an object: readers rebuild the xref by scanning", outcome=OK),
    Case("encrypted-user-password.pdf", lambda p: p.write_bytes(encrypted_pdf("secret", "owner")), (ENCRYPTED,),
         "RC4 standard security handler with a user password: say so and how to decrypt"),
    Case("encrypted-owner-only.pdf", lambda p: p.write_bytes(encrypted_pdf("", "owner")), (0,),
         "encrypted with an empty user password (permissions only): opens without a password", outcome=OK),
    Case("bomb-30000x30000.png", lambda p: p.write_bytes(png_bytes(30000, 30000)), (TOO_LARGE,),
         "900-megapixel 1-bit PNG in 110 KB: refused by the pixel limit before decoding"),
    Case("bomb-30000x30000-pixel-limit-off.png", lambda p: p.write_bytes(png_bytes(30000, 30000)), (TOO_LARGE,),
         "the same bomb with the pixel limit raised to 2 gigapixels: decoding it outgrows the worker's "
         "2 GB address space and is stopped there", env={"VANTHU_MAX_PIXELS": "2000000000"}),
    Case("bomb-image-in.pdf", lambda p: p.write_bytes(image_bomb_pdf()), (NO_TEXT,),
         "A4 page painted with a 30000x30000 1-bit image: rendered at a bounded size; blank, so no text",
         needs_ocr=True),
    Case("mediabox-200in.pdf", lambda p: p.write_bytes(text_pdf(1, lines=LINES[:3], media=(14400, 14400))),
         (0, TOO_LARGE), "a 200 x 200 inch page with three lines of text: read from its text layer, or "
         "refused before rendering (3.7 gigapixels at 300 dpi); never rendered at full size"),
    Case("recursive-page-tree.pdf", _recursive_tree, (0, CORRUPT),
         "the page tree contains itself: no infinite loop; the one real page read, or a clear error"),
    Case("one-bad-page.pdf", _one_bad_page, (0,),
         "page 2 of 3 has a corrupt content stream: pages 1 and 3 read, page 2 named in a warning",
         outcome=PARTIAL),
    Case("pages-200.pdf", lambda p: p.write_bytes(text_pdf(200)), (0,), "200 text pages", outcome=OK, slow=True),
    Case("exif-rotated.jpg", _exif_jpeg, (0,),
         "a photo stored sideways with EXIF orientation 6: turned upright before OCR", outcome=OK,
         needs_ocr=True),
    Case("multipage.tiff", _tiff, (0,), "a 2-page Group 4 TIFF scan of the sample letter", outcome=OK,
         needs_ocr=True),
    Case("javascript-attachment.pdf", _js_attachment, (0,),
         "OpenAction JavaScript and an embedded file: text read, script never run, attachment never written",
         outcome=OK),
    Case("zero-size.png", lambda p: p.write_bytes(png_bytes(0, 0, bit_depth=8, rows=zlib.compress(b""))),
         (CORRUPT,), "a PNG that declares 0x0 pixels"),
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
    manifest = {c.name: {"expect": list(c.expect), "outcome": c.describe(), "why": c.why, "env": c.env}
                for c in cases}
    (out / "MANIFEST.json").write_text(json.dumps(manifest, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    for c in cases:
        print(f"{c.path}  ({c.path.stat().st_size} bytes)  expect {c.describe()}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
