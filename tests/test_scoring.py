"""Scoring rules of ``vanthu.scoring`` (pure functions, no files)."""

from __future__ import annotations

import copy
import json

import pytest

from tests.conftest import shared_dir
from vanthu.pipeline.text.normalize import compare_key
from vanthu.scoring import (
    FIELDS,
    DocScore,
    aggregate,
    canon_item,
    f1,
    failed,
    score,
)


def truth(**fields):
    return dict(fields)


# --- canonical strings ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("HOÀ", "HÒA"),
        ("hoà", "hòa"),
        ("Ủy ban", "Uỷ ban"),
        ("thuý", "thúy"),
        ("khoẻ", "khỏe"),
        ("Hoả tốc", "Hỏa tốc"),
        ("CỘNG HOÀ XÃ HỘI", "Cộng hòa xã hội"),
        ("Ðồng Nai", "Đồng Nai"),  # U+00D0 look-alike
        ("  UBND   tỉnh\u00a0Lạng  Sơn ", "ubnd tỉnh lạng sơn"),
        ("Lạng Sơn", "La\u0323ng So\u031bn"),  # NFD input
    ],
)
def test_canon_equivalences(a, b):
    assert compare_key(a) == compare_key(b)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("hoàn", "hòan"),  # closed syllable: the tone never moves
        ("quý", "qúy"),  # "qu" + y: the u is not a vowel of the cluster
        ("ngoài", "ngòai"),
        ("Hòa", "Hoa"),  # a tone is still a difference
        ("Khẩn", "Thượng khẩn"),
    ],
)
def test_canon_keeps_real_differences(a, b):
    assert compare_key(a) != compare_key(b)


def test_canon_item_strips_bullets_and_final_punctuation():
    assert canon_item("- UBND các phường, xã;") == canon_item("UBND các phường, xã")
    assert canon_item("Lưu: VT (TTPT).") == "lưu: vt (ttpt)"
    assert canon_item("+ Như trên ;") == "như trên"
    assert canon_item("-") == "-"  # a bare dash label is not a bullet


def test_canon_none_stays_none():
    assert compare_key(None) is None
    assert canon_item(None) is None


# --- scalars -------------------------------------------------------------------------------


def test_scalar_exact_match_and_mismatch():
    t = truth(doc_type="Công văn", number="4114", date="2024-08-15")
    s = score({"doc_type": "Công văn", "number": "4115", "date": "2024-08-15"}, t)
    assert s.scores == {"doc_type": 1.0, "number": 0.0, "date": 1.0}
    assert s.details["number"].expected == "4114"
    assert s.details["number"].got == "4115"
    assert [f for f, _ in s.mismatches()] == ["number"]


def test_scalar_case_and_whitespace_folding():
    t = truth(issuer="ỦY BAN NHÂN DÂN THÀNH PHỐ LẠNG SƠN", subject="V/v tiếp tục  đẩy mạnh")
    rec = {"issuer": "Ủy ban nhân dân\nthành phố Lạng Sơn", "subject": " v/v TIẾP TỤC ĐẨY MẠNH "}
    assert score(rec, t).scores == {"issuer": 1.0, "subject": 1.0}


def test_scalar_tone_placement_equivalence():
    t = truth(issuer="ỦY BAN NHÂN DÂN HUYỆN KHÁNH HÒA", urgency="Hỏa tốc")
    rec = {"issuer": "UỶ BAN NHÂN DÂN HUYỆN KHÁNH HOÀ", "urgency": "Hoả tốc"}
    assert score(rec, t).scores == {"issuer": 1.0, "urgency": 1.0}


def test_scalar_null_equals_null_and_null_vs_value():
    t = truth(number=None, parent_issuer=None, urgency=None)
    s = score({"number": None, "parent_issuer": "UBND TỈNH", "urgency": None}, t)
    assert s.scores == {"number": 1.0, "parent_issuer": 0.0, "urgency": 1.0}
    # a key missing from the record is null
    assert score({}, truth(number=None)).scores == {"number": 1.0}
    assert score({}, truth(number="05")).scores == {"number": 0.0}


def test_number_symbol_ignores_all_whitespace():
    t = truth(number_symbol="15972/SXD-QLN& TTBĐS", symbol="UBND-NV")
    s = score({"number_symbol": "15972 / SXD-QLN&TTBĐS", "symbol": "UBND - NV"}, t)
    assert s.scores["number_symbol"] == 1.0
    assert s.scores["symbol"] == 0.0  # only number_symbol drops its spaces


def test_fields_missing_from_truth_are_skipped():
    s = score({"doc_type": "Công văn", "issuer": "X", "recipients": ["a"]}, truth(doc_type="Công văn"))
    assert list(s.scores) == ["doc_type"]


# --- lists ---------------------------------------------------------------------------------


def test_f1_values():
    assert f1([], []) == 1.0
    assert f1(["a"], []) == 0.0
    assert f1([], ["a"]) == 0.0
    assert f1(["a", "b", "c"], ["a", "b"]) == pytest.approx(0.8)  # P=1, R=2/3
    assert f1(["a", "a"], ["a"]) == pytest.approx(2 / 3)  # multisets, not sets
    assert f1(["a"], ["a", "x", "y", "z"]) == pytest.approx(0.4)  # P=1/4, R=1


def test_recipients_partial_recall_with_bullets_and_punctuation():
    t = truth(recipients=["Các cơ quan chuyên môn thuộc thành phố", "UBND các phường, xã", "Công an TP"])
    rec = {"recipients": ["- Các cơ quan chuyên môn thuộc thành phố;", "- UBND các phường, xã."]}
    s = score(rec, t)
    assert s.scores["recipients"] == pytest.approx(0.8)
    assert s.details["recipients"].missing == ["Công an TP"]
    assert s.details["recipients"].extra == []


def test_list_both_empty_is_one_and_extra_items_cost_precision():
    assert score({"distribution": []}, truth(distribution=[])).scores["distribution"] == 1.0
    assert score({}, truth(distribution=[])).scores["distribution"] == 1.0
    s = score({"distribution": ["Như trên", "Lưu: VT"]}, truth(distribution=["Như trên"]))
    assert s.scores["distribution"] == pytest.approx(2 / 3)
    assert s.details["distribution"].extra == ["Lưu: VT"]
    assert score({"distribution": ["x"]}, truth(distribution=[])).scores["distribution"] == 0.0


def test_references_matched_by_number_symbol():
    t = truth(
        references=[
            {"doc_type": "Công văn", "number_symbol": "4114/VP-NC", "date": "2024-08-08", "issuer": None},
            {"doc_type": "Thông báo", "number_symbol": "419/TB-UBND", "date": "2024-07-24", "issuer": None},
        ]
    )
    rec = {
        "references": [
            # other fields of a reference do not matter, only its key
            {"doc_type": "Văn bản", "number_symbol": "4114/VP - NC", "date": None, "text": "..."},
            {"doc_type": "Thông báo", "number_symbol": "419/TB-UBTP", "date": "2024-07-24", "text": "..."},
        ]
    }
    s = score(rec, t)
    assert s.scores["references"] == pytest.approx(0.5)
    assert s.details["references"].missing == ["419/TB-UBND"]
    assert s.details["references"].extra == ["419/TB-UBTP"]


def test_laws_cited_by_name_matched_by_doc_type_and_date():
    t = truth(
        references=[
            {"doc_type": "Luật", "number_symbol": None, "date": "2015-06-19", "issuer": None},
            {"doc_type": "Luật", "number_symbol": None, "date": None, "issuer": None},
            {"doc_type": "Nghị định", "number_symbol": "30/2020/NĐ-CP", "date": "2020-03-05", "issuer": None},
        ]
    )
    good = {
        "references": [
            {"doc_type": "Nghị định", "number_symbol": "30/2020/NĐ-CP", "date": None, "text": "x"},
            {"doc_type": "LUẬT", "number_symbol": None, "date": "2015-06-19", "text": "y"},
            {"doc_type": "Luật", "number_symbol": None, "date": None, "text": "z"},
        ]
    }
    assert score(good, t).scores["references"] == 1.0
    wrong_date = copy.deepcopy(good)
    wrong_date["references"][1]["date"] = "2015-06-20"
    assert score(wrong_date, t).scores["references"] == pytest.approx(2 / 3)
    # a law given a number_symbol by the extractor no longer matches the by-name key
    numbered = copy.deepcopy(good)
    numbered["references"][1]["number_symbol"] = "77/2015/QH13"
    assert score(numbered, t).scores["references"] == pytest.approx(2 / 3)


def test_assignment_labels_and_assignees_pooled_per_label():
    t = truth(
        assignments=[
            {"label": "1", "text_start": "...", "assignees": [], "deadline": None},
            {"label": "2", "text_start": "...", "assignees": ["Sở Nội vụ", "Sở Tài chính"], "deadline": None},
            {"label": "3", "text_start": "...", "assignees": ["Sở Nội vụ"], "deadline": None},
        ]
    )
    rec = {
        "assignments": [
            {"label": "1", "text": "...", "assignees": ["Sở Nội vụ"]},  # right unit, wrong item
            {"label": "2", "text": "...", "assignees": ["sở nội vụ", "Sở Tài chính"]},
        ]
    }
    s = score(rec, t)
    assert s.scores["assignments"] == pytest.approx(0.8)  # labels: P=1, R=2/3
    # truth pairs (2,nội vụ) (2,tài chính) (3,nội vụ); record (1,nội vụ) (2,nội vụ) (2,tài chính)
    assert s.scores["assignees"] == pytest.approx(2 / 3)
    assert s.details["assignees"].missing == ["3: Sở Nội vụ"]
    assert s.details["assignees"].extra == ["1: Sở Nội vụ"]


def test_assignees_both_empty_is_one():
    t = truth(assignments=[{"label": "I", "text_start": "", "assignees": [], "deadline": None}])
    s = score({"assignments": [{"label": "I", "text": "", "assignees": []}]}, t)
    assert s.scores["assignments"] == 1.0
    assert s.scores["assignees"] == 1.0


def test_deadlines_only_for_items_with_a_truth_deadline():
    t = truth(
        assignments=[
            {"label": "1", "assignees": [], "deadline": "2025-12-31"},
            {"label": "2", "assignees": [], "deadline": None},
            {"label": "4", "assignees": [], "deadline": "2025-12-05"},
        ]
    )
    rec = {
        "assignments": [
            {"label": "1", "deadline": "2025-12-31"},
            {"label": "2", "deadline": "2026-01-01"},  # truth has none: not scored
            {"label": "4", "deadline": None},  # missed
        ]
    }
    s = score(rec, t)
    assert s.scores["deadlines"] == pytest.approx(0.5)
    no_deadlines = truth(assignments=[{"label": "1", "assignees": [], "deadline": None}])
    assert score({"assignments": []}, no_deadlines).scores["deadlines"] == 1.0


# --- signer --------------------------------------------------------------------------------


def test_signer_fields_scored_separately():
    t = truth(signer={"name": "Nguyễn Văn Hạnh", "title": "PHÓ CHỦ TỊCH", "prefix": "KT.", "block": []})
    rec = {"signer": {"name": "Nguyễn Văn Hạnh", "title": "CHỦ TỊCH", "prefix": "KT.", "block": ["x"]}}
    s = score(rec, t)
    assert s.scores == {"signer.name": 1.0, "signer.title": 0.0, "signer.prefix": 1.0}


def test_null_signer_counts_as_all_null():
    t = truth(signer=None)
    assert score({"signer": None}, t).scores == {
        "signer.name": 1.0,
        "signer.title": 1.0,
        "signer.prefix": 1.0,
    }
    assert score({"signer": {"name": None, "title": None, "prefix": None}}, t).scores["signer.name"] == 1.0
    s = score({"signer": {"name": "Lê Văn A", "title": None, "prefix": None}}, t)
    assert s.scores == {"signer.name": 0.0, "signer.title": 1.0, "signer.prefix": 1.0}
    # a record without a signer, against a truth with one: only the null prefix matches
    t2 = truth(signer={"name": "Lê Văn A", "title": "CHỦ TỊCH", "prefix": None})
    assert score({"signer": None}, t2).scores == {
        "signer.name": 0.0,
        "signer.title": 0.0,
        "signer.prefix": 1.0,
    }


# --- whole documents and aggregation -------------------------------------------------------


def test_seed_truth_scores_itself_perfectly():
    t = json.loads((shared_dir("seed") / "letter.truth.json").read_text(encoding="utf-8"))
    s = score(t, t)
    assert set(s.scores) == set(FIELDS)
    assert all(v == 1.0 for v in s.scores.values())


def test_failed_scores_zero_on_every_truth_field():
    t = truth(doc_type=None, recipients=[], signer=None)
    s = failed(t, "x.pdf: the file is damaged")
    assert s.scores == {
        "doc_type": 0.0,
        "recipients": 0.0,
        "signer.name": 0.0,
        "signer.title": 0.0,
        "signer.prefix": 0.0,
    }
    assert s.error == "x.pdf: the file is damaged"


def test_aggregate_means_per_field_and_overall():
    a = DocScore(scores={"doc_type": 1.0, "number": 0.0})
    b = DocScore(scores={"doc_type": 0.0, "number": 1.0, "recipients": 0.5, "date": 1.0})
    agg = aggregate([a, b])
    assert agg["doc_type"] == 0.5
    assert agg["number"] == 0.5
    assert agg["recipients"] == 0.5  # only b scores it
    assert agg["overall"] == pytest.approx(3.5 / 6)
    assert list(agg)[-1] == "overall"
    assert aggregate([]) == {"overall": 0.0}


# --- tuning / checking split -------------------------------------------------------------


def test_split_is_fixed_by_the_document_id() -> None:
    from vanthu.scoring import split_of

    assert split_of("cd-ttg-2025-224") == split_of("cd-ttg-2025-224")
    assert {split_of(f"letter-{i}") for i in range(30)} == {"tune", "check"}


def test_split_gives_about_a_third_for_checking() -> None:
    from vanthu.scoring import split_of

    checking = sum(split_of(f"doc-{i}") == "check" for i in range(3000))
    assert 900 <= checking <= 1100, checking


# --- generic addressees ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("expected", "got", "f1_value"),
    [
        # a generic addressee in the key only, or in the record only, costs nothing
        (["Sở Y tế", "các cơ quan, đơn vị liên quan"], ["Sở Y tế"], 1.0),
        (["Sở Y tế"], ["Sở Y tế", "các sở, ban, ngành"], 1.0),
        # only generic addressees on both sides: nothing to score
        (["các sở, ngành"], [], 1.0),
        # a named unit missed still costs recall
        (["Sở Y tế", "UBND các xã, phường", "các đơn vị liên quan"], ["Sở Y tế"], 2 / 3),
    ],
)
def test_generic_addressees_are_not_scored(expected: list[str], got: list[str], f1_value: float) -> None:
    s = score(
        {"assignments": [{"label": "1", "assignees": got}]}, {"assignments": [{"label": "1", "assignees": expected}]}
    )
    assert s.scores["assignees"] == pytest.approx(f1_value)
    assert not any(
        "liên quan" in m or "ngành" in m for m in s.details["assignees"].missing + s.details["assignees"].extra
    )


def test_a_unit_named_on_one_side_is_scored_on_both() -> None:
    # the record prints the unit in lowercase (generic by form), the key names it: one unit
    s = score(
        {"assignments": [{"label": "1", "assignees": ["sở nội vụ"]}]},
        {"assignments": [{"label": "1", "assignees": ["Sở Nội vụ", "Sở Tài chính"]}]},
    )
    assert s.scores["assignees"] == pytest.approx(2 / 3)
    assert s.details["assignees"].missing == ["1: Sở Tài chính"]
