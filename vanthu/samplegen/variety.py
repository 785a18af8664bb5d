"""Many distinct digital letters, fast: for soak and scale tests (``tools/soak.py``,
``tools/scale_test.py``, ``tests/flows/test_soak.py``).

Rendering a letter costs about a second (fpdf2 parses and subsets four TrueType fonts
each time), too slow for a thousand. So a few *templates* are rendered, each a different
letter (issuer, type, subject, items, units, signer from the tables below), and each
letter is a template with its registration number and its day rewritten in the PDF's
content streams (:func:`vary_digits`): the same glyphs, other digits, so the layout is
unchanged and every letter has its own bytes, number and date.

    from vanthu.samplegen.variety import LetterFactory
    factory = LetterFactory(workdir, templates=12)
    factory.write(7, Path("inbox/letter-0007.pdf"))   # number and day derived from 7
"""

from __future__ import annotations

import re
import zlib
from dataclasses import dataclass
from pathlib import Path

from vanthu.samplegen.pdfbytes import fix_xref

MOTTO = ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"]

# (parent, issuer, symbol of the issuer, place)
ISSUERS = [
    ("UBND TỈNH LẠNG SƠN", "SỞ NỘI VỤ", "SNV", "Lạng Sơn"),
    ("UBND TỈNH NGHỆ AN", "SỞ TÀI CHÍNH", "STC", "Nghệ An"),
    ("", "ỦY BAN NHÂN DÂN HUYỆN BẮC SƠN", "UBND", "Bắc Sơn"),
    ("UBND TỈNH QUẢNG NGÃI", "SỞ GIÁO DỤC VÀ ĐÀO TẠO", "SGDĐT", "Quảng Ngãi"),
    ("", "ỦY BAN NHÂN DÂN THÀNH PHỐ LẠNG SƠN", "UBND", "TP. Lạng Sơn"),
    ("UBND TỈNH CAO BẰNG", "SỞ Y TẾ", "SYT", "Cao Bằng"),
    ("UBND HUYỆN CHI LĂNG", "PHÒNG NỘI VỤ", "PNV", "Chi Lăng"),
    ("UBND TỈNH HÀ GIANG", "SỞ TƯ PHÁP", "STP", "Hà Giang"),
]

# (title printed above the subject or None for a công văn, symbol prefix)
DOC_TYPES = [(None, ""), ("THÔNG BÁO", "TB-"), ("KẾ HOẠCH", "KH-"), (None, ""), ("BÁO CÁO", "BC-")]

UNITS = [
    "Văn phòng Sở",
    "Phòng Kế hoạch - Tài chính",
    "Trung tâm Lưu trữ lịch sử tỉnh",
    "Phòng Tổ chức cán bộ",
    "Thanh tra Sở",
    "Chi cục Văn thư - Lưu trữ",
    "UBND các huyện, thành phố",
    "Phòng Văn hóa và Thông tin",
]

SUBJECTS = [
    "triển khai lập hồ sơ điện tử năm {year}",
    "chỉnh lý tài liệu tích đống giai đoạn 2010 - 2015",
    "tăng cường kỷ luật, kỷ cương hành chính",
    "kiểm tra công tác văn thư, lưu trữ",
    "rà soát thủ tục hành chính trên hệ thống",
    "tổng kết công tác cải cách hành chính",
]

ACTIONS = [
    "chủ trì, phối hợp với {other} hướng dẫn, đôn đốc việc lập hồ sơ điện tử, xong trước ngày {deadline}",
    "rà soát danh mục hồ sơ, báo cáo kết quả về Sở Nội vụ trước ngày {deadline}",
    "phối hợp với {other} xây dựng phương án chỉnh lý tài liệu, trình trước ngày {deadline}",
    "tổ chức kiểm tra việc thực hiện quy chế công tác văn thư; thường xuyên báo cáo kết quả",
    "bố trí kinh phí số hóa tài liệu lưu trữ, hoàn thành trong tháng {month} năm {year}",
]

SIGNERS = [
    (["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"], "Lý Văn Cường"),
    (["GIÁM ĐỐC"], "Nguyễn Thị Thu Hà"),
    (["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"], "Hoàng Văn Bình"),
    (["CHỦ TỊCH"], "Trần Minh Đức"),
    (["TRƯỞNG PHÒNG"], "Vi Thị Lan"),
]

#: a sentence with every digit in the body's font, so any number can be written with it
ALL_DIGITS = "Thông tin liên hệ: điện thoại 0205 3871 469, hộp thư vanthu@example.vn."
NUMBER_BASE = 3000  # template k is printed with number NUMBER_BASE + 37 k (never a year)
DAYS = tuple(range(10, 29))  # two-digit days valid in every month


def template_layout(k: int) -> dict:
    """The layout source of template ``k`` (deterministic; different for every k < 200)."""
    parent, issuer, isym, place = ISSUERS[k % len(ISSUERS)]
    title, tsym = DOC_TYPES[(k // len(ISSUERS)) % len(DOC_TYPES)]
    year, month = 2024 + k % 2, 1 + k % 12
    subject = SUBJECTS[k % len(SUBJECTS)].format(year=year)
    n_items = 2 + k % 4
    items = []
    for i in range(n_items):
        unit, other = UNITS[(k + i) % len(UNITS)], UNITS[(k + i + 3) % len(UNITS)]
        deadline = f"{10 + (k + i) % 18}/{1 + (month + i) % 12}/{year}"
        action = ACTIONS[(k + 2 * i) % len(ACTIONS)].format(other=other, deadline=deadline, month=month, year=year)
        items.append(f"{i + 1}. Giao {unit} {action}.")
    titles, name = SIGNERS[k % len(SIGNERS)]
    layout = {
        "header_left": [x for x in (parent, issuer) if x],
        "header_right": MOTTO,
        "number_line": f"Số: {NUMBER_BASE + 37 * k}/{tsym}{isym}",
        "place_date": f"{place}, ngày 1{k % 9} tháng {month} năm {year}",
        "marks": ["KHẨN"] if k % 7 == 3 else [],
        "subject_left": [f"V/v {subject}"] if title is None else [],
        "title": [title, subject[0].upper() + subject[1:]] if title else [],
        "recipients": ["Kính gửi:", f"- {UNITS[k % len(UNITS)]};", f"- {UNITS[(k + 1) % len(UNITS)]}."]
        if title is None
        else [],
        "body": [
            f"Thực hiện Công văn số {100 + k}/UBND-NC ngày 05/3/{year} của Ủy ban nhân dân tỉnh về việc {subject},"
            f" {issuer.capitalize()} yêu cầu các đơn vị thực hiện các nội dung sau:",
            *items,
            ALL_DIGITS,
        ],
        "distribution": ["Nơi nhận:", "- Như trên;", f"- {UNITS[(k + 5) % len(UNITS)]};", "- Lưu: VT."],
        "signer": [*titles, "", name],
    }
    return layout


# ---------------------------------------------------------------------------- the PDF


_OBJ = re.compile(rb"(?m)^(\d+) 0 obj\n(.*?)\nendobj", re.S)
_STREAM = re.compile(rb"^<<(.*?)/Length (\d+)(.*?)>>\nstream\n", re.S)
_SHOW = re.compile(rb"/(F\d+) [\d.]+ Tf|\((?:[^\\()]|\\.)*\) ?Tj", re.S)
_ESCAPES = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f"}


def _unescape(s: bytes) -> bytes:
    out, i = bytearray(), 0
    while i < len(s):
        c = s[i : i + 1]
        if c == b"\\":
            nxt = s[i + 1 : i + 2]
            octal = re.match(rb"[0-7]{1,3}", s[i + 1 : i + 4])
            if octal:
                out.append(int(octal.group(), 8) & 0xFF)
                i += 1 + len(octal.group())
                continue
            out += _ESCAPES.get(nxt, nxt)
            i += 2
            continue
        out += c
        i += 1
    return bytes(out)


def _escape(raw: bytes) -> bytes:
    return raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)").replace(b"\r", b"\\r")


def _font_maps(pdf: bytes, objects: dict[int, bytes]) -> dict[str, dict[int, str]]:
    """Each font resource name (F1 …) → glyph id → text, from its ToUnicode CMap."""
    maps: dict[str, dict[int, str]] = {}
    for name, num in re.findall(rb"/(F\d+) (\d+) 0 R", pdf):
        font = objects.get(int(num), b"")
        desc = re.search(rb"/DescendantFonts \[?(\d+) 0 R", font)
        cmap_ref = re.search(rb"/ToUnicode (\d+) 0 R", font)
        if not cmap_ref and desc:
            cmap_ref = re.search(rb"/ToUnicode (\d+) 0 R", objects.get(int(desc.group(1)), b""))
        if not cmap_ref:
            continue
        cmap = _stream_data(objects[int(cmap_ref.group(1))])
        pairs = re.findall(rb"<([0-9A-Fa-f]{4})> <([0-9A-Fa-f]{4,8})>", cmap)
        maps[name.decode()] = {int(g, 16): bytes.fromhex(u.decode()).decode("utf-16-be") for g, u in pairs}
    return maps


def _stream_data(obj: bytes) -> bytes:
    m = _STREAM.match(obj)
    if not m:
        return b""
    data = obj[m.end() : m.end() + int(m.group(2))]
    return zlib.decompress(data) if b"/FlateDecode" in m.group(1) + m.group(3) else data


def _rewrite_shows(content: bytes, maps: dict[str, dict[int, str]], change) -> bytes:
    """Each ``(…) Tj`` of the content stream decoded with its font, changed, encoded again."""
    font: dict[int, str] = {}
    pieces, last = [], 0
    for m in _SHOW.finditer(content):
        if m.group(1):
            font = maps.get(m.group(1).decode(), {})
            continue
        body = m.group()[1 : m.group().rindex(b")")]
        raw = _unescape(body)
        gids = [int.from_bytes(raw[i : i + 2], "big") for i in range(0, len(raw) - 1, 2)]
        if not font or any(g not in font for g in gids):
            continue
        text = "".join(font[g] for g in gids)
        new = change(text)
        if new == text:
            continue
        back = {t: g for g, t in font.items() if len(t) == 1}
        if len(new) != len(text) or any(ch not in back for ch in new):
            raise ValueError(f"cannot write {new!r} with the glyphs of this font")
        encoded = b"".join(back[ch].to_bytes(2, "big") for ch in new)
        pieces += [content[last : m.start()], b"(" + _escape(encoded) + b") Tj"]
        last = m.end()
    return b"".join(pieces) + content[last:] if pieces else content


def vary_digits(pdf: bytes, change) -> bytes:
    """``pdf`` (as fpdf2 writes it) with ``change(text) -> text`` applied to every text run
    of every page. ``change`` must keep the length and use glyphs the font already has
    (digits for digits: the layout stays the same)."""
    objects = {int(m.group(1)): m.group(2) for m in _OBJ.finditer(pdf)}
    maps = _font_maps(pdf, objects)
    contents = {int(n) for n in re.findall(rb"/Contents (\d+) 0 R", pdf)}
    out = pdf
    for num in sorted(contents, reverse=True):
        obj = objects[num]
        m = _STREAM.match(obj)
        if not m or b"/FlateDecode" not in m.group(1) + m.group(3):
            continue
        content = _rewrite_shows(_stream_data(obj), maps, change)
        data = zlib.compress(content)
        new_obj = b"<<%s/Length %d%s>>\nstream\n%s\nendstream" % (m.group(1), len(data), m.group(3), data)
        old = re.search(rb"(?m)^%d 0 obj\n.*?\nendobj" % num, out, re.S)
        assert old is not None
        out = out[: old.start()] + b"%d 0 obj\n" % num + new_obj + b"\nendobj" + out[old.end() :]
    return fix_xref(out)


# ---------------------------------------------------------------------------- letters


@dataclass(frozen=True)
class Variant:
    """What letter ``i`` prints: its template, number and day."""

    template: int
    number: int
    day: int


class LetterFactory:
    """Letters ``i = 0, 1, …``: template ``i % templates``, number ``NUMBER_BASE + i``
    written with four digits (unique below 7,000 letters), day from :data:`DAYS`."""

    def __init__(self, workdir: Path, templates: int = 12):
        self.workdir = Path(workdir)
        self.templates = templates
        self._pdf: dict[int, bytes] = {}

    def template_pdf(self, k: int) -> bytes:
        if k not in self._pdf:
            from vanthu.samplegen.render import render_letter

            path = self.workdir / f"template-{k:03d}.pdf"
            if not path.exists():
                render_letter(template_layout(k), path)
            self._pdf[k] = path.read_bytes()
        return self._pdf[k]

    def variant(self, i: int) -> Variant:
        return Variant(template=i % self.templates, number=NUMBER_BASE + 1000 + i, day=DAYS[(i // 7) % len(DAYS)])

    def letter(self, i: int) -> tuple[bytes, Variant]:
        """The PDF bytes of letter ``i``; a day its italic font cannot write stays as printed."""
        v = self.variant(i)
        k = v.template
        old_number, old_day = str(NUMBER_BASE + 37 * k), f"1{k % 9}"

        def change(text: str) -> str:
            text = re.sub(rf"(?<!\d){old_number}(?!\d)", f"{v.number:04d}", text)
            return re.sub(rf"(ngày ){old_day}(?= tháng)", rf"\g<1>{v.day}", text)

        try:
            return vary_digits(self.template_pdf(k), change), v
        except ValueError:  # the day's digits are not in the italic subset: the number alone
            only = Variant(k, v.number, int(old_day))
            return vary_digits(
                self.template_pdf(k), lambda t: re.sub(rf"(?<!\d){old_number}(?!\d)", f"{v.number:04d}", t)
            ), only

    def write(self, i: int, path: Path) -> Variant:
        data, v = self.letter(i)
        path.write_bytes(data)
        return v

    def layout(self, i: int) -> dict:
        """The layout source letter ``i`` prints (its template with its number and day)."""
        data, v = self.letter(i)
        layout = template_layout(v.template)
        number = NUMBER_BASE + 37 * v.template
        layout["number_line"] = layout["number_line"].replace(str(number), f"{v.number:04d}", 1)
        layout["place_date"] = re.sub(r"ngày \d+", f"ngày {v.day}", layout["place_date"], count=1)
        return layout

    def scan(self, i: int, level: str = "clean", dpi: int | None = None) -> bytes:
        """Letter ``i`` printed and scanned at ``level`` (:mod:`vanthu.samplegen.scan`), as a PDF."""
        from vanthu.samplegen.scan import scan_pdf

        data, _ = self.letter(i)
        pdf = self.workdir / f"scan-source-{i}.pdf"
        pdf.write_bytes(data)
        try:
            return scan_pdf(self.layout(i), level, seed=i, pdf_path=pdf, dpi=dpi)
        finally:
            pdf.unlink(missing_ok=True)
