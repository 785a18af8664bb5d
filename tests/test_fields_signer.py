"""The signer block and the "Nơi nhận" list (fields/signer.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.letters import extractor, letter
from vanthu.pipeline.fields.signer import canonical_prefix


@pytest.fixture
def extract(tmp_path: Path):
    """extract(text, name="letter.md") -> DispatchRecord, via a file in tmp_path."""
    return extractor(tmp_path)


# -------------------------------------------------------------------------------- signer


@pytest.mark.parametrize(
    ("block", "prefix", "title", "name"),
    [
        (("KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "", "Nguyễn Văn A"), "KT.", "PHÓ CHỦ TỊCH", "Nguyễn Văn A"),
        (
            ("TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "", "Nguyễn Văn A"),
            "TM.",
            "PHÓ CHỦ TỊCH",
            "Nguyễn Văn A",
        ),
        (("TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "", "Nguyễn Văn A"), "TM.", "CHỦ TỊCH", "Nguyễn Văn A"),
        (("K/T GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "", "Trần Thị C"), "KT.", "PHÓ GIÁM ĐỐC", "Trần Thị C"),
        (("KT GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "", "Lê Văn D"), "KT.", "PHÓ GIÁM ĐỐC", "Lê Văn D"),
        (("TL. CHỦ TỊCH", "CHÁNH VĂN PHÒNG", "", "Hoàng Văn E"), "TL.", "CHÁNH VĂN PHÒNG", "Hoàng Văn E"),
        (("CHỦ TỊCH", "", "Nguyễn Văn Hạnh"), None, "CHỦ TỊCH", "Nguyễn Văn Hạnh"),
        (("KT.CHỦ TỊCH", "PHÓ CHỦ TỊCH", "", "Nguyễn Văn A"), "KT.", "PHÓ CHỦ TỊCH", "Nguyễn Văn A"),
        (("KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "", "(Đã ký)", "", "Nguyễn Văn A"), "KT.", "PHÓ CHỦ TỊCH", "Nguyễn Văn A"),
        # an official title with a qualifier after it is the title, not a scrap of the seal
        (
            ("KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH THƯỜNG TRỰC", "", "Nguyễn Văn A"),
            "KT.",
            "PHÓ CHỦ TỊCH THƯỜNG TRỰC",
            "Nguyễn Văn A",
        ),
        (("KT. BỘ TRƯỞNG", "THỨ TRƯỞNG THƯỜNG TRỰC", "", "Lê Văn B"), "KT.", "THỨ TRƯỞNG THƯỜNG TRỰC", "Lê Văn B"),
    ],
)
def test_signer(extract, block, prefix, title, name) -> None:
    rec = extract(letter(signer=block))
    s = rec.signer
    assert s is not None
    assert (s.prefix, s.title, s.name) == (prefix, title, name)
    assert s.block == [x for x in block if x]


@pytest.mark.parametrize(
    ("printed", "canonical"),
    [
        ("KT.", "KT."),
        ("KT", "KT."),
        ("K/T", "KT."),
        ("T/M", "TM."),
        ("TM", "TM."),
        ("TL.", "TL."),
        ("TUQ.", "TUQ."),
        ("Q.", "Q."),
        ("XYZ", None),
    ],
)
def test_canonical_prefix(printed: str, canonical: str | None) -> None:
    assert canonical_prefix(printed) == canonical


def test_garbled_signer_title_from_a_scan_is_matched_to_an_official_title():
    from vanthu.pipeline.fields.signer import known_title

    assert known_title("{.HU TỊCH") == "CHỦ TỊCH"
    assert known_title("1 IỦ TƯỚNG") == "THỦ TƯỚNG"
    assert known_title("PHÓỎ CHỦ TỊCH") == "PHÓ CHỦ TỊCH"
    # printed titles that are not in the vocabulary stay as printed
    assert known_title("CHỦ TỊCH UBND TỈNH") == "CHỦ TỊCH UBND TỈNH"
    assert known_title("TRƯỞNG BAN CHỈ ĐẠO") == "TRƯỞNG BAN CHỈ ĐẠO"


def test_speck_before_the_signer_prefix_keeps_the_prefix() -> None:
    """Regression (noisy scan): the seal left "- " before "TM. ỦY BAN NHÂN DÂN", so the
    prefix was taken from the "KT. CHỦ TỊCH" line below it."""
    from vanthu.models.document import Line, Regions
    from vanthu.pipeline.fields.signer import read_signer
    from vanthu.pipeline.provenance import ProvenanceLog

    def ln(text, y):
        return Line(text=text, page=5, x0=1385, y0=y, x1=2000, y1=y + 50, column="right", unit="px")

    block = (
        ln("- TM. ỦY BAN NHÂN DÂN", 2225),
        ln("KT. CHỦ TỊCH", 2285),
        ln("PHÓ CHỦ TỊCH", 2367),
        ln("Bùi Thanh An", 2661),
    )
    signer = read_signer(Regions(signer=block), ProvenanceLog())
    assert signer.prefix == "TM."
    assert signer.title == "PHÓ CHỦ TỊCH"
    assert signer.name == "Bùi Thanh An"
    assert signer.block[0] == "- TM. ỦY BAN NHÂN DÂN"  # the block stays as printed


def test_garbled_kt_prefix_is_known_from_the_deputy_title_below_it() -> None:
    """Regression (noisy scan): "KT. CHỦ TỊCH" read as "11T. CHỦ TỊCH" above "PHÓ CHỦ
    TỊCH" gave no prefix; only a deputy signing for the head stands under such a line."""
    from vanthu.models.document import Line, Regions
    from vanthu.pipeline.fields.signer import read_signer
    from vanthu.pipeline.provenance import ProvenanceLog

    def ln(text, y):
        return Line(text=text, page=4, x0=1490, y0=y, x1=2000, y1=y + 50, column="right", unit="px")

    def signer(*texts):
        block = tuple(ln(t, 400 + 80 * i) for i, t in enumerate(texts))
        return read_signer(Regions(signer=block), ProvenanceLog())

    got = signer("11T. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Trần Thị Diệu Thúy")
    assert (got.prefix, got.title, got.name) == ("KT.", "PHÓ CHỦ TỊCH", "Trần Thị Diệu Thúy")
    assert signer("TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Bùi Thanh An").prefix == "TM."
    assert signer("CHỦ TỊCH", "Nguyễn Văn Hạnh").prefix is None
    assert signer("PHÓ CHỦ TỊCH", "Nguyễn Văn Hạnh").prefix is None


def test_signer_block_under_seal_scraps_and_bleed_through() -> None:
    """Regression (hard synthetic scan): scraps of the seal and the signature read in
    capitals ("0N À2ZV") became the title, "PHÓ" read as a line of its own beside
    "CHỦ TỊCH" was lost, a scrap before "KT." hid the prefix, and one before the name
    stayed in it."""
    from vanthu.models.document import Line, Regions
    from vanthu.pipeline.fields.signer import read_signer
    from vanthu.pipeline.provenance import ProvenanceLog

    def ln(text, x0, y0, x1=1966, h=50):
        return Line(text=text, page=4, x0=x0, y0=y0, x1=x1, y1=y0 + h, column="right", unit="px")

    block = (
        ln("s- KT. CHỦ TỊCH", 1468, 444),
        ln("CHỦ TỊCH", 1677, 506),
        ln("txx-`*PHÓ", 1287, 505, h=69),
        ln("VHNHT", 1603, 609, 1700),
        ln("0N À2ZV", 1650, 669, 1800),
        ln("` TỬ Trân Thị Diệu Thúy", 1309, 776),
    )
    got = read_signer(Regions(signer=block), ProvenanceLog())
    assert (got.prefix, got.title, got.name) == ("KT.", "PHÓ CHỦ TỊCH", "Trần Thị Diệu Thúy")
    # a prefix of its own is no scrap: "Q. CHÁNH VĂN PHÒNG"
    got = read_signer(
        Regions(signer=(ln("Q. CHÁNH VĂN PHÒNG", 1400, 400), ln("Lê Văn An", 1450, 700))), ProvenanceLog()
    )
    assert (got.prefix, got.title, got.name) == ("Q.", "CHÁNH VĂN PHÒNG", "Lê Văn An")


@pytest.mark.parametrize(
    "block, expected",
    [
        # a seal's scraps before the title, on its line: "PHÓ" was lost with them
        (("KT. CHỦ TỊCH", "(đ€©?.1 xJŸ:Ý PHÓ CHỦ TỊCH", "Lê Trường Sơn"), ("KT.", "PHÓ CHỦ TỊCH", "Lê Trường Sơn")),
        (
            ("K/T TRƯỞNG BAN", "c‹ PHÓ TRƯỞNG BAN", "xử r3 ⁄ tr tên", "- Phạm Tất Thắng -"),
            ("KT.", "PHÓ TRƯỞNG BAN", "Phạm Tất Thắng"),
        ),  # and a dash after the name hid it
        # "Phó" read in lower case made the title the name
        (
            ("TL. CỤC TRƯỞNG", "KT. CHÁNH VĂN PHÒNG", ": Phó CHÁNH VĂN PHÒNG", "xPHÓ", "Phạm Ngọc Lai"),
            ("TL.", "PHÓ CHÁNH VĂN PHÒNG", "Phạm Ngọc Lai"),
        ),
        # a deputy minister's title read as "head of"
        (("KT. BỘ TRƯỞNG", "THỦ TRƯỞNG", "Nguyễn Văn An"), ("KT.", "THỨ TRƯỞNG", "Nguyễn Văn An")),
        # a qualified official title on a scan is no scrap either
        (("KT. BỘ TRƯỞNG", "THỨ TRƯỞNG THƯỜNG TRỰC", "Lê Văn B"), ("KT.", "THỨ TRƯỞNG THƯỜNG TRỰC", "Lê Văn B")),
        # scraps before a prefix that leave no title are no title
        (
            ("KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "gnô+ztl3f/1 TM TẾ,", "Bùi Xuân Cường"),
            ("KT.", "PHÓ CHỦ TỊCH", "Bùi Xuân Cường"),
        ),
    ],
)
def test_signer_title_and_name_among_scraps_of_seal_and_signature(block, expected) -> None:
    """Regression (hard synthetic scans: hd-btgdvtw-2025-37, qd-ubnd-dongnai-2025-2813,
    tb-cucthue-2025-983, cv-bnv-2025-10989, kh-ubnd-nghean-2025-1026)."""
    from vanthu.models.document import Line, Regions
    from vanthu.pipeline.fields.signer import read_signer
    from vanthu.pipeline.provenance import ProvenanceLog

    lines = tuple(
        Line(text=t, page=2, x0=1400, y0=2200 + 60 * i, x1=2000, y1=2250 + 60 * i, column="right", unit="px")
        for i, t in enumerate(block)
    )
    got = read_signer(Regions(signer=lines), ProvenanceLog())
    assert (got.prefix, got.title, got.name) == expected


# ------------------------------------------------------------------------------ Nơi nhận


def test_distribution_entries(extract) -> None:
    rec = extract(
        letter(
            distribution=(
                "Nơi nhận:",
                "",
                "- Như trên;",
                "- CT, các PCT UBND;",
                "- UBND các phường, xã;",
                "- Lưu: VT, VP.",
            )
        )
    )
    assert rec.distribution == ["Như trên", "CT, các PCT UBND", "UBND các phường, xã", "Lưu: VT, VP"]


def test_distribution_wrapped_entry(extract) -> None:
    rec = extract(
        letter(
            distribution=(
                "Nơi nhận:",
                "- Ủy ban MTTQ Việt Nam và các tổ chức",
                "chính trị - xã hội thành phố;",
                "- Lưu: VT (TTPT).",
            )
        )
    )
    assert rec.distribution == ["Ủy ban MTTQ Việt Nam và các tổ chức chính trị - xã hội thành phố", "Lưu: VT (TTPT)"]


def test_distribution_entries_without_specks_of_the_scan(extract) -> None:
    """Regression (noisy and hard synthetic scans: qd-ubnd-nghean-2025-97, cv-vpcp-2025-11306,
    cv-sgddt-hcm-2025-5155): a speck read as an entry ("_", "`"), and specks round an entry
    ("Văn phòng Chính phủ; -", "_ - Bộ Tư pháp") stayed in the distribution list."""
    rec = extract(
        letter(
            distribution=(
                "Nơi nhận:",
                "- Như Điều 4;",
                "_",
                "- Văn phòng Chính phủ; -",
                "_ - Bộ Tư pháp;",
                "`",
                "- Bộ trưởng (để b/c);",
                "- Lưu: VT, TCBC.",
            )
        )
    )
    assert rec.distribution == [
        "Như Điều 4",
        "Văn phòng Chính phủ",
        "Bộ Tư pháp",
        "Bộ trưởng (để b/c)",
        "Lưu: VT, TCBC",
    ]


# ------------------------------------- the block holds the printed lines only (issue 19)


@pytest.mark.parametrize(
    ("text", "scanned", "scrap"),
    [
        (":", True, True),  # punctuation
        ("x", True, True),
        ("TW", True, True),  # two letters
        ("-Ý", True, True),
        ("4Ÿ 3", True, True),
        ("Nội", True, True),  # a lone word, not in capitals
        ("0N À2ZV", True, True),  # no Vietnamese word
        ("…,.:;", False, True),  # mostly punctuation, even in a text layer
        ("CHỦ TỊCH", True, False),
        ("KT. CHỦ TỊCH", True, False),
        ("TM. ỦY BAN NHÂN DÂN", True, False),
        ("Q.", True, False),  # a prefix is never a scrap
        ("Đặng Văn Minh", True, False),
        ("TỈNH", True, False),  # a title's last word wrapped
        ("txx-`*PHÓ", True, False),  # a scrap glued to a title: left to the title reading
        ("Nội", False, False),  # a text layer has no seal
    ],
)
def test_scraps_of_seal_and_signature(text: str, scanned: bool, scrap: bool) -> None:
    from vanthu.models.document import Line
    from vanthu.pipeline.fields.signer import is_scrap

    assert is_scrap(Line(text=text, page=1, unit="px" if scanned else "pt")) is scrap


def test_signer_block_holds_the_printed_lines_only() -> None:
    """Real scans: "CHỦ TỊCH", "Nội", ":", "Đặng Văn Minh"; the seal's scraps were kept
    in the block."""
    from vanthu.models.document import Line, Regions
    from vanthu.pipeline.fields.signer import read_signer
    from vanthu.pipeline.provenance import ProvenanceLog

    texts = ("CHỦ TỊCH", "Nội", ":", "TW", "x", "Đặng Văn Minh")
    lines = tuple(
        Line(text=t, page=1, x0=1400, y0=2200 + 60 * i, x1=2000, y1=2250 + 60 * i, column="right", unit="px")
        for i, t in enumerate(texts)
    )
    got = read_signer(Regions(signer=lines), ProvenanceLog())
    assert got.block == ["CHỦ TỊCH", "Đặng Văn Minh"]
    assert (got.title, got.name) == ("CHỦ TỊCH", "Đặng Văn Minh")


@pytest.mark.parametrize(
    ("block", "expected"),
    [
        # the prefix run into scraps of the seal or the signature before it
        (("+ x4KT. BỘ TRƯỞNG .", "THỨ TRƯỞNG", "Nguyễn Văn An"), ("KT.", "THỨ TRƯỞNG")),
        (("_›+áeK/T TRƯỞNG BAN", ">x PHÓ TRƯỞNG BAN", "Ngô Văn Hải"), ("KT.", "PHÓ TRƯỞNG BAN")),
        (("“2 .K/T CHÁNH VĂN PHÒNG", "HH PHÓ CHÁNH VĂN PHÒNG", "Lê Văn Toàn"), ("KT.", "PHÓ CHÁNH VĂN PHÒNG")),
        # one sign of the prefix misread: the title after it says which prefix it was
        (("+ KẾT. CHỦ TỊCH", "+ uf .PHÓ CHỦ TỊCH", "Trương Văn Thái"), ("KT.", "PHÓ CHỦ TỊCH")),
        (("“EM BỘ CHÍNH TRỊ", "Trần Văn Tú"), ("TM.", "BỘ CHÍNH TRỊ")),
        (("1M. CHINH PHU", "+ KT. THỦ TƯỚNG", "PHÓ THỦ TƯỚNG", "Nguyễn Văn Bình"), ("TM.", "PHÓ THỦ TƯỚNG")),
        # no prefix: a title's own first word is never taken for a misread one
        (("CHỦ TỊCH", "Nguyễn Văn Hạnh"), (None, "CHỦ TỊCH")),
        (("BỘ TRƯỞNG", "Trần Văn Thắng"), (None, "BỘ TRƯỞNG")),
        (("THỦ TƯỚNG", "Phạm Văn Chính"), (None, "THỦ TƯỚNG")),
        # "TT" is one sign from both "TM" and "TL": no guess
        (("TT CHỦ TỊCH", "Lê Văn Cường"), (None, "CHỦ TỊCH")),
        # "TM." heads a collective body, not an official's title: "EM" before one is no prefix
        (("EM CHỦ TỊCH", "Lê Văn Cường"), (None, "CHỦ TỊCH")),
    ],
)
def test_misread_signer_prefix_is_read_from_the_title_after_it(block, expected) -> None:
    """Regression (issue 18, hard synthetic scans): a prefix run into the scraps of the seal
    ("x4KT.") or misread by one sign ("KẾT.", "1M.", "EM") was lost, or the inner "KT."
    taken for the outer "TM."."""
    from vanthu.models.document import Line, Regions
    from vanthu.pipeline.fields.signer import read_signer
    from vanthu.pipeline.provenance import ProvenanceLog

    lines = tuple(
        Line(text=t, page=2, x0=1400, y0=2200 + 60 * i, x1=2000, y1=2250 + 60 * i, column="right", unit="px")
        for i, t in enumerate(block)
    )
    got = read_signer(Regions(signer=lines), ProvenanceLog())
    assert (got.prefix, got.title) == expected


@pytest.mark.parametrize(
    ("name", "expected"),
    [("Trịnh Văn Linh", "Trịnh Văn Linh"), ("Trình Văn Linh", "Trình Văn Linh"), ("Trinh Văn Linh", "Trịnh Văn Linh")],
)
def test_a_surname_spelt_right_is_kept_when_another_differs_only_in_marks(name: str, expected: str) -> None:
    """Regression (issue 18, every scan level): "Trịnh" was turned into "Trình", the later
    of two surnames with the same letters; a misread one takes the commoner."""
    from vanthu.models.document import Line, Regions
    from vanthu.pipeline.fields.signer import read_signer
    from vanthu.pipeline.provenance import ProvenanceLog

    lines = tuple(
        Line(text=t, page=2, x0=1400, y0=2200 + 60 * i, x1=2000, y1=2250 + 60 * i, column="right", unit="px")
        for i, t in enumerate(("KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", name))
    )
    assert read_signer(Regions(signer=lines), ProvenanceLog()).name == expected
