"""Letters photographed page by page in the inbox (``flows/parts.py``): ``name.p1.jpg``,
``name.p2.png`` … settled together are one letter, one record ``out/name.json``; the pages
travel together to done/, failed/ or duplicates/."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.conftest import SAMPLES
from tests.flows.conftest import drop
from vanthu.flows.parts import group_pages, ingest_pages


@pytest.mark.parametrize(
    ("ready", "waiting", "singles", "groups"),
    [
        (["a.p2.jpg", "a.p1.jpg", "b.pdf"], [], ["b.pdf"], [["a.p1.jpg", "a.p2.jpg"]]),
        (["a.p1.jpg", "a.p2.jpg"], ["a.p3.jpg"], [], []),  # a page still arriving: the letter waits
        (["a.p1.jpg", "a.p2.jpg"], ["b.p1.jpg"], [], [["a.p1.jpg", "a.p2.jpg"]]),
        (["a.p1.jpg"], [], ["a.p1.jpg"], []),  # a single page is a letter of its own
        (["a.p1.pdf", "a.p2.pdf"], [], ["a.p1.pdf", "a.p2.pdf"], []),  # only images are pages
        (["a.p10.jpg", "a.p9.jpg", "a.p1.png"], [], [], [["a.p1.png", "a.p9.jpg", "a.p10.jpg"]]),
        (["x.jpg", "a.p1.jpg", "b.p1.jpg", "b.p2.jpg"], [], ["x.jpg", "a.p1.jpg"], [["b.p1.jpg", "b.p2.jpg"]]),
    ],
)
def test_inbox_pages_named_name_pN_group_into_one_letter(ready, waiting, singles, groups):
    folder = Path("/inbox")
    got_singles, got_groups = group_pages([folder / n for n in ready], [folder / n for n in waiting])
    assert [p.name for p in got_singles] == singles
    assert [[p.name for p in g] for g in got_groups] == groups


@pytest.fixture(scope="module")
def pages() -> list[bytes]:
    """The sample letter's two pages as a JPEG and a PNG photo (200 dpi)."""
    import io

    from vanthu.pipeline.ocr.raster import page_images

    out = []
    for n, img in page_images(SAMPLES / "tb-so-2024-88.pdf", "application/pdf", dpi=200):
        buf = io.BytesIO()
        img.convert("RGB").save(buf, format="JPEG" if n == 1 else "PNG", dpi=(200, 200))
        out.append(buf.getvalue())
    return out


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("tesseract") is None, reason="Tesseract is not installed")
def test_inbox_pages_of_one_letter_give_one_record_then_a_duplicate(tree, store, pages):
    paths = [drop(tree, "công văn.p1.jpg", pages[0]), drop(tree, "công văn.p2.png", pages[1])]
    outcome = ingest_pages(tree, store, paths)
    assert outcome is not None and outcome.status == "done", outcome
    assert sorted(p.name for p in tree.out.iterdir()) == ["công văn.json"]
    record = json.loads((tree.out / "công văn.json").read_text(encoding="utf-8"))
    assert record["source"]["file"] == "công văn.p1.jpg + công văn.p2.png"
    assert record["source"]["pages"] == 2 and record["signer"]["name"] == "Lý Văn Cường"
    assert sorted(p.name for p in tree.done.iterdir()) == ["công văn.p1.jpg", "công văn.p2.png"]
    assert not any(tree.inbox.iterdir()) and not any(tree.processing.iterdir())
    assert store.tasks() and all(t["file"] == record["source"]["file"] for t in store.tasks())

    again = [drop(tree, "công văn.p1.jpg", pages[0]), drop(tree, "công văn.p2.png", pages[1])]
    dup = ingest_pages(tree, store, again)
    assert dup is not None and dup.status == "duplicate"
    assert len(list(tree.duplicates.iterdir())) == 2 and not any(tree.inbox.iterdir())


def test_inbox_pages_with_a_broken_page_all_go_to_failed_with_the_reason(tree, store, pages):
    paths = [drop(tree, "thư.p1.jpg", pages[0]), drop(tree, "thư.p2.jpg", b"not an image at all" * 10)]
    outcome = ingest_pages(tree, store, paths)
    assert outcome is not None and outcome.status == "failed"
    names = sorted(p.name for p in tree.failed.iterdir())
    assert names == ["thư.p1.jpg", "thư.p1.jpg.error.json", "thư.p2.jpg", "thư.p2.jpg.error.json"]
    report = json.loads((tree.failed / "thư.p2.jpg.error.json").read_text(encoding="utf-8"))
    assert report["message"].startswith("thư.p1.jpg + thư.p2.jpg: "), report
    assert not any(tree.out.iterdir()) and not any(tree.inbox.iterdir()) and not any(tree.processing.iterdir())
