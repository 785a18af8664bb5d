"""Citation links between stored letters (flows/links.py)."""

from __future__ import annotations

import json
from itertools import permutations

import pytest

from vanthu.flows.links import Link, cited_by, cites, find_links, number_key
from vanthu.pipeline.fields.issuers import same_issuer


def doc(sha: str, ns: str | None, *, date=None, issuer=None, parent=None, refs=(), as_text=True) -> dict:
    """A store row as SqlStore.documents() gives it, with its record (JSON text or dict)."""
    record = {"number_symbol": ns, "date": date, "issuer": issuer, "parent_issuer": parent, "references": list(refs)}
    row = {"sha256": sha * 64, "number_symbol": ns, "issuer": issuer, "date": date}
    row["record"] = json.dumps(record, ensure_ascii=False) if as_text else record
    return row


def ref(ns: str | None, *, date=None, issuer=None, text=None) -> dict:
    return {"doc_type": "Công văn", "number_symbol": ns, "date": date, "issuer": issuer, "title": None,
            "text": text or f"Công văn số {ns}"}  # fmt: skip


CITED = doc("b", "4114/VP-NC", date="2024-08-08", issuer="VĂN PHÒNG ỦY BAN NHÂN DÂN TỈNH LẠNG SƠN")

# (case, the citing letter's reference, the matched_by expected or None for no link)
CASES = [
    ("number only", ref("4114/VP-NC"), "number"),
    ("number and date", ref("4114/VP-NC", date="2024-08-08"), "number+date"),
    ("number and issuer", ref("4114/VP-NC", issuer="Văn phòng UBND tỉnh"), "number+issuer"),
    ("all three", ref("4114/VP-NC", date="2024-08-08", issuer="Văn phòng UBND tỉnh"), "number+issuer+date"),
    ("spaces and en dash", ref("4114 / VP – NC"), "number"),
    ("lower case", ref("4114/vp-nc"), "number"),
    ("issuer in capitals, accents", ref("4114/VP-NC", issuer="VĂN PHÒNG Ủy ban nhân dân tỉnh"), "number+issuer"),
    ("a printed date that differs", ref("4114/VP-NC", date="2024-08-09"), None),
    ("a printed issuer that differs", ref("4114/VP-NC", issuer="Sở Tài chính"), None),
    ("an issuer of another level", ref("4114/VP-NC", issuer="Văn phòng Bộ Nội vụ"), None),
    ("another number", ref("4115/VP-NC"), None),
    ("another symbol", ref("4114/VP-TH"), None),
    ("a law cited by name", ref(None, text="Luật Tổ chức chính quyền địa phương"), None),
]


@pytest.mark.parametrize(("case", "reference", "matched_by"), CASES, ids=[c[0] for c in CASES])
def test_a_reference_resolves_by_number_confirmed_by_issuer_and_date(case, reference, matched_by) -> None:
    citing = doc("a", "120/UBND-NV", date="2024-08-15", issuer="ỦY BAN NHÂN DÂN THÀNH PHỐ LẠNG SƠN", refs=[reference])
    links = find_links([citing, CITED])
    if matched_by is None:
        assert links == []
    else:
        assert links == [
            Link("a" * 64, "120/UBND-NV", "b" * 64, "4114/VP-NC", reference["text"], matched_by),
        ]


@pytest.mark.parametrize(
    ("printed", "key"),
    [
        ("123/UBND-VX", "123/UBND-VX"),
        ("123/ubnd – vx", "123/UBND-VX"),
        ("37-HD/BTGDVTW", "37-HD/BTGDVTW"),
        ("30/2020/nđ-cp", "30/2020/NĐ-CP"),
        ("30/2020/ND-CP", "30/2020/ND-CP"),  # D and Đ stay apart
        ("/UBND-NV", None),  # the number left blank
        ("", None),
        (None, None),
    ],
)
def test_number_key(printed, key) -> None:
    assert number_key(printed) == key


@pytest.mark.parametrize(
    ("printed", "issuer", "parent", "same"),
    [
        ("Văn phòng UBND tỉnh", "VĂN PHÒNG ỦY BAN NHÂN DÂN TỈNH LẠNG SƠN", None, True),
        ("UBND tỉnh Lạng Sơn", "ỦY BAN NHÂN DÂN TỈNH", None, True),
        ("Chủ tịch UBND tỉnh", "ỦY BAN NHÂN DÂN TỈNH LẠNG SƠN", None, True),
        ("UBND thành phố", "VĂN PHÒNG", "UBND THÀNH PHỐ LẠNG SƠN", True),
        ("Sở Tài chính", "SỞ Y TẾ TỈNH LẠNG SƠN", None, False),
        ("Bộ Tài chính", "SỞ TÀI CHÍNH", None, False),
        ("Sở Tài chính", None, None, None),
    ],
)
def test_same_issuer(printed, issuer, parent, same) -> None:
    assert same_issuer(printed, issuer, parent) is same


def test_never_links_a_letter_to_itself_or_its_copy() -> None:
    own = ref("5/UBND-VX", date="2024-01-02")
    letter = doc("a", "5/UBND-VX", date="2024-01-02", refs=[own])
    copy = doc("c", "5/UBND-VX", date="2024-01-02")
    assert find_links([letter, copy]) == []


def test_a_letter_cites_no_later_letter() -> None:
    """Numbers restart each year: "05/UBND-VX" of 2025 is not the one a 2024 letter cites."""
    citing = doc("a", "9/UBND-NV", date="2024-06-01", refs=[ref("05/UBND-VX")])
    earlier = doc("b", "05/UBND-VX", date="2024-01-10")
    later = doc("c", "05/UBND-VX", date="2025-01-10")
    assert [link.target_sha256 for link in find_links([citing, earlier, later])] == ["b" * 64]


def test_the_best_confirmed_candidate_wins() -> None:
    citing = doc("a", "9/UBND-NV", date="2024-06-01", refs=[ref("05/UBND-VX", date="2023-01-10")])
    year_2023 = doc("b", "05/UBND-VX", date="2023-01-10")
    year_2024 = doc("c", "05/UBND-VX", date="2024-01-10")
    links = find_links([citing, year_2024, year_2023])
    assert [(link.target_sha256, link.matched_by) for link in links] == [("b" * 64, "number+date")]


def test_links_do_not_depend_on_which_letter_arrived_first() -> None:
    citing = doc("a", "120/UBND-NV", date="2024-08-15", refs=[ref("4114/VP-NC", date="2024-08-08")])
    other = doc("d", "7/SYT-KH", date="2024-08-01", as_text=False)
    found = {frozenset(find_links(order)) for order in permutations([citing, CITED, other])}
    assert len(found) == 1 and len(next(iter(found))) == 1


def test_a_row_without_its_record_cites_nothing() -> None:
    bare = {k: v for k, v in doc("a", "1/UBND", refs=[ref("4114/VP-NC")]).items() if k != "record"}
    assert find_links([bare, CITED]) == []


def test_each_pair_once_and_cites_cited_by() -> None:
    twice = [ref("4114/VP-NC"), ref("4114/VP-NC", date="2024-08-08", text="số 4114/VP-NC ngày 08/8/2024")]
    citing = doc("a", "120/UBND-NV", date="2024-08-15", refs=twice)
    third = doc("c", "130/UBND-NV", date="2024-09-01", refs=[ref("120/UBND-NV"), ref("4114/VP-NC")])
    links = find_links([citing, CITED, third])
    assert [(x.source_sha256[0], x.target_sha256[0]) for x in links] == [("a", "b"), ("c", "a"), ("c", "b")]
    assert [x.target_sha256[0] for x in cites(links, "c" * 64)] == ["a", "b"]
    assert [x.source_sha256[0] for x in cited_by(links, "b" * 64)] == ["a", "c"]
    assert cites(links, "b" * 64) == [] and cited_by(links, "c" * 64) == []


@pytest.mark.parametrize(("printed", "linked"), [("12/QĐ-UBND", True), ("12/QD-UBND", False), ("12/QĐ-UBNĐ", False)])
def test_ocr_variants_of_d_are_not_guessed(printed, linked) -> None:
    citing = doc("a", "20/UBND-NV", date="2024-08-15", refs=[ref(printed)])
    decision = doc("b", "12/QĐ-UBND", date="2024-08-01")
    assert bool(find_links([citing, decision])) is linked
