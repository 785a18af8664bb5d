"""Discovery of (document, answer key) pairs and the evaluation run, on temporary trees."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from vanthu.discovery import discover, doc_id, find_pairs
from vanthu.evaluate import main_eval, render_report, run_eval
from vanthu.pipeline.errors import CorruptInput

TRUTH_A = {
    "doc_type": "Công văn",
    "issuer": "ỦY BAN NHÂN DÂN THÀNH PHỐ HỒ CHÍ MINH",
    "number_symbol": "4085/UBND-ĐT",
    "date": "2025-11-25",
    "recipients": ["Sở Tài chính"],
    "references": [{"doc_type": "Luật", "number_symbol": None, "date": None, "issuer": None}],
    "assignments": [{"label": "1", "text_start": "...", "assignees": ["Sở Tài chính"], "deadline": "2025-12-05"}],
    "signer": {"name": "Bùi Xuân Cường", "title": "PHÓ CHỦ TỊCH", "prefix": "KT."},
    "distribution": ["Như trên", "Lưu: VT"],
    "notes": "not scored",
}
TRUTH_B = {"doc_type": "Quyết định", "number": "04", "signer": None}


def write(path: Path, content: str | bytes = b"") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8")
    else:
        path.write_bytes(content)
    return path


def write_truth(path: Path, truth: dict) -> Path:
    return write(path, json.dumps(truth, ensure_ascii=False))


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """shared/{corpus/{pdf,scans,truth,letters},real,seed} with dummy documents."""
    corpus = tmp_path / "corpus"
    write(corpus / "README.md", "# corpus")
    write(corpus / "pdf" / "cv-a.pdf")
    write(corpus / "pdf" / "qd-b.pdf")
    write(corpus / "pdf" / "orphan.pdf")  # no key
    write(corpus / "scans" / "cv-a.scan-noisy.pdf")
    write(corpus / "scans" / "cv-a.scan-clean.pdf")
    write_truth(corpus / "truth" / "cv-a.json", TRUTH_A)
    write_truth(corpus / "truth" / "qd-b.json", TRUTH_B)
    write(corpus / "letters" / "cv-a.json", "{}")  # layout source, not a document

    real = tmp_path / "real"
    write(real / "qngai-04.pdf")
    write_truth(real / "qngai-04.truth.json", TRUTH_B)
    write(real / "qngai-99.pdf")  # no key

    seed = tmp_path / "seed"
    write(seed / "letter.md", "Số: /UBND-NV")
    write_truth(seed / "letter.truth.json", TRUTH_A)
    return tmp_path


def rel(pairs, root: Path) -> list[tuple[str, str]]:
    return [(str(d.relative_to(root)), str(t.relative_to(root))) for d, t in pairs]


def test_doc_id_is_name_up_to_first_dot():
    assert doc_id(Path("x/cv-a.scan-noisy.pdf")) == "cv-a"
    assert doc_id(Path("qngai-04.pdf")) == "qngai-04"


def test_find_pairs_both_layouts(tree: Path):
    assert rel(find_pairs(tree), tree) == [
        ("corpus/pdf/cv-a.pdf", "corpus/truth/cv-a.json"),
        ("corpus/pdf/qd-b.pdf", "corpus/truth/qd-b.json"),
        ("corpus/scans/cv-a.scan-clean.pdf", "corpus/truth/cv-a.json"),
        ("corpus/scans/cv-a.scan-noisy.pdf", "corpus/truth/cv-a.json"),
        ("real/qngai-04.pdf", "real/qngai-04.truth.json"),
        ("seed/letter.md", "seed/letter.truth.json"),
    ]


def test_documents_without_keys_are_skipped_not_errors(tree: Path):
    found = discover(tree)
    skipped = sorted(str(p.relative_to(tree)) for p, _ in found.skipped)
    # README.md is not a document; letters/*.json and truth/*.json are not documents
    assert skipped == ["corpus/pdf/orphan.pdf", "real/qngai-99.pdf"]
    assert all(reason == "no answer key" for _, reason in found.skipped)


def test_sibling_truth_folder_found_from_a_subfolder_root(tree: Path):
    # eval corpus/scans: truth/ is a sibling of the documents' folder, above the root
    pairs = find_pairs(tree / "corpus" / "scans")
    assert rel(pairs, tree) == [
        ("corpus/scans/cv-a.scan-clean.pdf", "corpus/truth/cv-a.json"),
        ("corpus/scans/cv-a.scan-noisy.pdf", "corpus/truth/cv-a.json"),
    ]


def test_truth_folder_of_a_higher_ancestor(tmp_path: Path):
    write(tmp_path / "set" / "batch1" / "pdf" / "x.pdf")
    write_truth(tmp_path / "set" / "truth" / "x.json", TRUTH_B)
    assert rel(find_pairs(tmp_path / "set"), tmp_path) == [("set/batch1/pdf/x.pdf", "set/truth/x.json")]
    # ... but not above the root when it is not the sibling of the document's folder
    assert find_pairs(tmp_path / "set" / "batch1" / "pdf") == []


def test_key_beside_the_document_wins_and_variant_specific_key(tmp_path: Path):
    write(tmp_path / "pdf" / "d.pdf")
    write(tmp_path / "pdf" / "d.scan-hard.pdf")
    write_truth(tmp_path / "pdf" / "d.truth.json", TRUTH_A)
    write_truth(tmp_path / "pdf" / "d.scan-hard.truth.json", TRUTH_B)
    write_truth(tmp_path / "truth" / "d.json", TRUTH_B)
    assert rel(find_pairs(tmp_path), tmp_path) == [
        ("pdf/d.pdf", "pdf/d.truth.json"),
        ("pdf/d.scan-hard.pdf", "pdf/d.scan-hard.truth.json"),
    ]


def test_single_file_root(tree: Path):
    assert rel(find_pairs(tree / "real" / "qngai-04.pdf"), tree) == [("real/qngai-04.pdf", "real/qngai-04.truth.json")]


def truth_of(doc: Path) -> dict:
    pairs = dict(find_pairs(doc))
    return json.loads(pairs[doc].read_text(encoding="utf-8"))


def test_run_eval_perfect_extractor(tree: Path):
    report = run_eval(tree, truth_of, show_details=False)
    assert len(report.documents) == 6
    assert report.errors == []
    assert report.summary["overall"] == 1.0
    assert all(d.score.mean == 1.0 for d in report.documents)
    text = render_report(report)
    assert "overall field accuracy: 1.000 (6 documents)" in text
    assert "references F1: 1.000" in text
    assert "assignment labels F1: 1.000" in text
    assert "assignees F1: 1.000" in text
    assert "corpus/pdf/orphan.pdf: no answer key" in text
    assert "\x1b[" not in text  # no colour codes


def test_run_eval_extractor_that_raises(tree: Path):
    def broken(doc: Path) -> dict:
        if "scan-noisy" in doc.name:
            raise CorruptInput(doc.name, "cannot read page 1")
        if doc.name == "letter.md":
            raise RuntimeError("boom")
        return truth_of(doc)

    report = run_eval(tree, broken, show_details=True)
    by_name = {d.path.name: d for d in report.documents}
    noisy = by_name["cv-a.scan-noisy.pdf"]
    assert noisy.error is not None and noisy.error.startswith("cv-a.scan-noisy.pdf: cannot read page 1")
    assert set(noisy.score.scores.values()) == {0.0}
    assert len(noisy.score.scores) == 13  # every scored field of TRUTH_A
    assert by_name["letter.md"].error == "RuntimeError: boom"
    assert by_name["cv-a.pdf"].error is None and by_name["cv-a.pdf"].score.mean == 1.0
    assert len(report.errors) == 2
    # overall = mean over all (document, field) scores: 2 docs x 13 fields are 0
    n_fields = sum(len(d.score.scores) for d in report.documents)
    assert report.summary["overall"] == pytest.approx(1 - 26 / n_fields)
    text = render_report(report)
    assert "errors (2):" in text
    assert "seed/letter.md: RuntimeError: boom" in text
    assert "cannot read page 1" in text


def test_details_list_mismatches(tree: Path):
    def sloppy(doc: Path) -> dict:
        record = truth_of(doc)
        if doc.name == "cv-a.pdf":
            record["date"] = "2025-11-26"
            record["distribution"] = ["Như trên"]
        return record

    text = render_report(run_eval(tree / "corpus" / "pdf", sloppy, show_details=True))
    assert "mismatches:" in text
    assert "date: expected '2025-11-25', got '2025-11-26'" in text
    assert "distribution: missing ['Lưu: VT']" in text
    plain = render_report(run_eval(tree / "corpus" / "pdf", sloppy, show_details=False))
    assert "mismatches:" not in plain


def test_main_eval_exit_codes(tree: Path, tmp_path: Path, monkeypatch, capsys):
    import sys
    import types

    fake = types.ModuleType("vanthu.pipeline.extract")

    class Rec:
        def __init__(self, data):
            self.data = data

        def model_dump(self, mode="json"):
            return self.data

    fake.extract_file = lambda p, *_args, **_kw: Rec(truth_of(p))
    monkeypatch.setitem(sys.modules, "vanthu.pipeline.extract", fake)

    out = tmp_path / "out" / "eval.json"
    assert main_eval([tree / "real"], details=False, json_out=out, isolate=False) == 0
    assert "overall field accuracy: 1.000 (1 document)" in capsys.readouterr().out
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["summary"]["overall"] == 1.0
    assert data["n_documents"] == 1

    empty = tmp_path / "empty"
    write(empty / "nokey.pdf")
    assert main_eval([empty], details=False, json_out=None, isolate=False) == 1


def test_truth_dir_option_pairs_scans_in_another_folder(tree: Path, tmp_path: Path):
    """``--truth DIR``: scans generated elsewhere are scored against the corpus keys,
    and an explicit key folder wins over a key found beside the document."""
    out = tmp_path / "generated"
    write(out / "cv-a.scan-noisy.pdf")
    write(out / "cv-a.scan-photo.jpg")
    write(out / "qd-b.scan-hard.pdf")
    write(out / "zz-none.scan-clean.pdf")
    write_truth(out / "qd-b.truth.json", TRUTH_A)  # beside it, but --truth names another
    keys = tree / "corpus" / "truth"
    assert discover(out).pairs == [(out / "qd-b.scan-hard.pdf", out / "qd-b.truth.json")]
    found = discover(out, [keys])
    assert rel(found.pairs, tmp_path) == [
        ("generated/cv-a.scan-noisy.pdf", str((keys / "cv-a.json").relative_to(tmp_path))),
        ("generated/cv-a.scan-photo.jpg", str((keys / "cv-a.json").relative_to(tmp_path))),
        ("generated/qd-b.scan-hard.pdf", str((keys / "qd-b.json").relative_to(tmp_path))),
    ]
    assert [p.name for p, _ in found.skipped] == ["zz-none.scan-clean.pdf"]
    # ID.truth.json in the key folder (the layout of ../shared/real) is found too
    real_keys = tmp_path / "keys"
    write_truth(real_keys / "zz-none.truth.json", TRUTH_B)
    assert (out / "zz-none.scan-clean.pdf", real_keys / "zz-none.truth.json") in find_pairs(out, [keys, real_keys])


def test_main_eval_truth_option_via_cli(tree: Path, tmp_path: Path, monkeypatch, capsys):
    import sys
    import types

    from vanthu.cli import main

    fake = types.ModuleType("vanthu.pipeline.extract")

    class Rec:
        def model_dump(self, mode="json"):
            return TRUTH_B

    fake.extract_file = lambda p, *_args, **_kw: Rec()
    monkeypatch.setitem(sys.modules, "vanthu.pipeline.extract", fake)
    out = tmp_path / "generated"
    write(out / "qd-b.scan-noisy.pdf")
    assert main(["eval", "--no-isolation", str(out)]) == 1  # no key without --truth
    capsys.readouterr()
    assert main(["eval", "--no-isolation", str(out), "--truth", str(tree / "corpus" / "truth")]) == 0
    assert "overall field accuracy: 1.000 (1 document)" in capsys.readouterr().out
    code = main(["eval", str(out), "--truth", str(tmp_path / "missing")])
    assert code != 0
    assert "missing" in capsys.readouterr().err
