"""Builders of the hostile cases that are readable but odd: files that are no letter
(``vanthu extract`` exit 13, "no official letter found"), letters that lost their
header (still a record, with warnings), and deep or long documents (restarting
numbering, 2,000 items, items nested 50 deep, 500 pages: a record, read in linear time).

Used by :mod:`vanthu.samplegen.hostile` (the cases) and ``tools/bench_deep.py`` (the
sizes). Letters are made from the sample letter ``samples/seed-cv-ubnd-langson.md``."""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from pathlib import Path

from vanthu.samplegen.pdfbytes import text_pdf

ROOT = Path(__file__).resolve().parents[2]
SAMPLE_MD = ROOT / "samples" / "seed-cv-ubnd-langson.md"
SAMPLE_FIRST_PAGE = ROOT / "samples" / "cv-khan-ubnd-phuongx.pdf"  # its items restart on a repeated page


# ------------------------------------------------------------------------ not a letter
def two_lines(p: Path) -> None:
    """A plain text file named .pdf with two lines that are no letter at all."""
    p.write_text("Shopping list for the weekend\nmilk, bread, 12 eggs\n", encoding="utf-8")


MANUAL = [
    "User Manual - Model X200 Label Printer",
    "1. Safety instructions",
    "Read this manual carefully before using the printer and keep it for future reference.",
    "Do not expose the device to rain or moisture. Unplug the power cord before cleaning.",
    "2. Installing the paper roll",
    "Open the top cover, insert the roll with the printed side facing up and close the cover.",
    "Press the FEED button once; the printer aligns the first label automatically.",
    "3. Connecting to a computer",
    "Use the supplied USB cable. Windows installs the driver the first time it is connected.",
    "Huong dan nhanh: xem trang 12. Bao hanh 12 thang.",
    "4. Troubleshooting",
    "If the status light blinks red, the paper is jammed: open the cover and remove the label.",
]


def manual_pdf(p: Path) -> None:
    """A three-page product manual: English prose with numbered sections, no letter anchor."""
    p.write_bytes(text_pdf(3, lines=MANUAL))


def spreadsheet_pdf(p: Path) -> None:
    """A spreadsheet printed to PDF: a header row and a table of numbers."""
    rng = random.Random(20)
    rows = ["Ma   Q1   Q2   Q3   Q4   Tong"]
    for i in range(40):
        q = [rng.randint(100, 9999) for _ in range(4)]
        rows.append(f"{1000 + i}   " + "   ".join(map(str, q)) + f"   {sum(q)}")
    p.write_bytes(text_pdf(1, lines=rows[:44]))


def photo_no_text(p: Path) -> None:
    """A phone photo of a desk: smooth gradients and noise, no text."""
    from PIL import Image, ImageDraw, ImageFilter

    rng = random.Random(7)
    img = Image.new("RGB", (1200, 900), (120, 90, 60))
    draw = ImageDraw.Draw(img)
    for _ in range(30):
        x, y, r = rng.randint(0, 1200), rng.randint(0, 900), rng.randint(30, 200)
        draw.ellipse((x - r, y - r, x + r, y + r), fill=tuple(rng.randint(40, 220) for _ in range(3)))
    img.filter(ImageFilter.GaussianBlur(12)).save(p, format="JPEG", quality=80)


def blank_scan(p: Path) -> None:
    """A blank A4 page through a scanner at 200 dpi: grey-white paper and speckle, as an image PDF."""
    from PIL import Image

    rng = random.Random(3)
    img = Image.new("L", (1654, 2339), 246)
    px = img.load()
    for _ in range(400):
        px[rng.randrange(1654), rng.randrange(2339)] = rng.randint(60, 160)
    img.save(p, format="PDF", resolution=200.0)


# ------------------------------------------------------------------ both sides of the line
def _sample_lines() -> list[str]:
    return SAMPLE_MD.read_text(encoding="utf-8").splitlines()


def header_torn(p: Path) -> None:
    """The sample letter with its number line and date line torn off: still a letter."""
    lines = [ln for ln in _sample_lines() if not ln.startswith(("Số:", "TP. Lạng Sơn, ngày"))]
    p.write_text("\n".join(lines) + "\n", encoding="utf-8")


def body_only(p: Path) -> None:
    """Only the body of the sample letter (a continuation page): no anchor, but Vietnamese
    text enough to be kept as a partial record."""
    lines = _sample_lines()
    start = next(i for i, ln in enumerate(lines) if ln.startswith("UBND thành phố Lạng Sơn yêu cầu"))
    end = next(i for i, ln in enumerate(lines) if ln.startswith("UBND thành phố đề nghị"))
    p.write_text("\n".join(lines[start:end]) + "\n", encoding="utf-8")


# --------------------------------------------------------------------- deep and long
def _letter(body: list[str]) -> str:
    """The sample letter with ``body`` in place of its numbered items."""
    lines = _sample_lines()
    first = next(i for i, ln in enumerate(lines) if re.match(r"1\. ", ln))
    last = next(i for i, ln in enumerate(lines) if ln.startswith("UBND thành phố đề nghị"))
    return "\n".join([*lines[:first], *body, "", *lines[last:]]) + "\n"


def flat_items(n: int) -> list[str]:
    """``n`` numbered items: "Điều k." headings, each followed by up to 49 items "1." … "49."."""
    body: list[str] = []
    article = 0
    while len(body) < n:
        article += 1
        body.append(f"Điều {article}. Các phòng, ban thực hiện nhóm nhiệm vụ số {article}.")
        for k in range(1, min(49, n - len(body)) + 1):
            body.append(f"{k}. Giao Phòng Nội vụ rà soát nội dung {article}.{k} trước ngày {k % 28 + 1}/12/2024.")
    return body


def nested_items(depth: int) -> list[str]:
    """Items nested ``depth`` deep: "1.", "1.1.", "1.1.1." …, then "2." back at the top."""
    body = ["1. Giao Phòng Nội vụ chủ trì thực hiện các nội dung sau:"]
    for d in range(2, depth + 1):
        body.append(f"{'.'.join(['1'] * d)}. Nội dung cấp {d}: Phòng Tài chính - Kế hoạch phối hợp thực hiện.")
    body.append("2. Báo cáo kết quả về UBND thành phố trước ngày 31/12/2024.")
    return body


def restarting_items(pages: int) -> list[str]:
    """The numbered items "1." to "3." again and again, as on repeated pages."""
    return [
        f"{k}. Giao Phòng Nội vụ thực hiện nội dung {k} của trang {page}." for page in range(pages) for k in (1, 2, 3)
    ]


def items_letter(body: list[str]) -> Callable[[Path], None]:
    return lambda p: p.write_text(_letter(body), encoding="utf-8")


def repeated_first_page(n_pages: int) -> Callable[[Path], None]:
    """A PDF that repeats a letter's first page ``n_pages`` times (header and items from
    1 again on every page)."""

    def build(p: Path) -> None:
        import pypdfium2 as pdfium

        src = pdfium.PdfDocument(str(SAMPLE_FIRST_PAGE))
        dst = pdfium.PdfDocument.new()
        try:
            for _ in range(n_pages):
                dst.import_pages(src, [0])
            dst.save(str(p))
        finally:
            dst.close()
            src.close()

    return build


def long_pdf(n_pages: int) -> Callable[[Path], None]:
    return lambda p: p.write_bytes(text_pdf(n_pages))
