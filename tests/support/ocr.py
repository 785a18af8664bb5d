"""Helpers of the OCR tests: words in a row, a page of rendered text, a PDF with a scanned page."""

from __future__ import annotations

import shutil

import pytest
from PIL import Image, ImageDraw, ImageFont

from vanthu.models.document import Word

FONT = "/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf"


needs_tesseract = pytest.mark.skipif(shutil.which("tesseract") is None, reason="tesseract not installed")


def words(*texts: str, y: float = 100.0) -> list[Word]:
    out, x = [], 10.0
    for t in texts:
        out.append(Word(text=t, x0=x, y0=y, x1=x + 12 * len(t), y1=y + 20, confidence=0.9))
        x += 12 * len(t) + 8
    return out


def text_page(lines: list[str], size=(1240, 1754), font_size=34) -> Image.Image:
    img = Image.new("RGB", size, "white")
    d = ImageDraw.Draw(img)
    font = ImageFont.truetype(FONT, font_size)
    for i, line in enumerate(lines):
        d.text((120, 150 + i * 60), line, fill="black", font=font)
    return img


LETTER_LINES = [
    "ỦY BAN NHÂN DÂN TỈNH LẠNG SƠN",
    "Số: 88/TB-UBND",
    "Lạng Sơn, ngày 21 tháng 10 năm 2024",
    "Kính gửi: Sở Tài chính, Sở Nội vụ",
    "Thực hiện chỉ đạo của Ủy ban nhân dân tỉnh về công tác",
    "văn thư, lưu trữ năm 2024, đề nghị các cơ quan, đơn vị",
    "triển khai thực hiện nghiêm túc các nội dung sau đây.",
    "Giao Văn phòng chủ trì, phối hợp với các sở, ngành",
    "hoàn thành trước ngày 15 tháng 11 năm 2024.",
]


BODY = (
    "Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015; Ủy ban nhân dân "
    "tỉnh đề nghị các sở, ban, ngành và địa phương triển khai thực hiện nghiêm túc nội dung "
    "công văn này và báo cáo kết quả về Văn phòng trước ngày 30 tháng 9 năm 2024."
)


def pdf_text_then_image(path, tmp_path):
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.add_font("serif", "", FONT)
    pdf.set_font("serif", size=13)
    pdf.add_page()
    pdf.multi_cell(0, 8, BODY)
    img = text_page(["Kính gửi: Sở Tài chính tỉnh Lạng Sơn", "Số: 45/UBND-KT"], size=(1240, 500), font_size=36)
    png = tmp_path / "p2.png"
    img.save(png)
    pdf.add_page()
    pdf.image(str(png), x=0, y=20, w=210)
    pdf.output(str(path))
