"""PDF, PNG and encrypted-PDF files written byte by byte (objects, xref, a standard
security handler), so that every defect of a hostile file is deliberate."""

from __future__ import annotations

import hashlib
import re
import struct
import zlib


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


def pdf_str(text: str) -> bytes:
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
        ops.append(pdf_str(line) + b" Tj T*")
    ops.append(b"ET")
    return b"\n".join(ops)


FONT = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"


def text_pdf(
    n_pages: int = 1,
    *,
    lines: list[str] | None = None,
    media: tuple[float, float] = (595, 842),
    catalog_extra: bytes = b"",
    extra_objects: list[bytes] | None = None,
) -> bytes:
    """A text-layer PDF: pages 3.. with content streams, font last, then ``extra_objects``."""
    lines = lines or LINES
    first_page = 3
    font_id = first_page + 2 * n_pages
    kids = b" ".join(b"%d 0 R" % (first_page + 2 * i) for i in range(n_pages))
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R " + catalog_extra + b">>",
        b"<< /Type /Pages /Kids [" + kids + b"] /Count %d >>" % n_pages,
    ]
    for i in range(n_pages):
        page_lines = [*lines, f"Trang {i + 1} / {n_pages}"]
        objs.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %g %g] /Contents %d 0 R "
            b"/Resources << /Font << /F1 %d 0 R >> >> >>" % (media[0], media[1], first_page + 2 * i + 1, font_id)
        )
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
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        stream(content),
        FONT,
        b"<< /Filter /Standard /V 1 /R 2 /O <"
        + o_val.hex().encode()
        + b"> /U <"
        + u_val.hex().encode()
        + b"> /P %d >>" % perms,
    ]
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
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /XObject << /Im1 5 0 R >> >> >>",
        stream(b"q 595 0 0 842 0 0 cm /Im1 Do Q"),
        stream(
            data,
            b"/Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray "
            b"/BitsPerComponent 1 /Filter /FlateDecode " % (side, side),
        ),
    ]
    return pdf_bytes(objs)


def fix_xref(data: bytes) -> bytes:
    """Rewrite the xref offsets of a PDF written by ``pdf_bytes`` after an edit."""
    offsets = [m.start() for m in re.finditer(rb"(?m)^\d+ 0 obj\n", data)]
    xref = data.rindex(b"\nxref\n") + 1
    table = b"xref\n0 %d\n0000000000 65535 f \n" % (len(offsets) + 1) + b"".join(
        b"%010d 00000 n \n" % o for o in offsets
    )
    trailer = data.index(b"trailer", xref)
    head, tail = data[:xref], data[trailer:]
    tail = re.sub(rb"startxref\n\d+", b"startxref\n%d" % len(head), tail)
    return head + table + tail
