"""The inbox tree, without Prefect (vanthu.flows.inbox): ignored names, stable files, refused links."""

from __future__ import annotations

import os

from tests.flows.conftest import OLD, drop
from vanthu.flows.inbox import Scanner, is_ignored


def test_ignored_names():
    for name in [
        ".hidden.pdf",
        "~$letter.docx",
        "scan.pdf.part",
        "a.crdownload",
        "x.tmp",
        "draft.pdf~",
        ".~lock.a.odt#",
    ]:
        assert is_ignored(name), name
    for name in ["cv-123.pdf", "scan.PNG", "thư mời.md"]:
        assert not is_ignored(name), name


def test_scan_waits_for_stable_files_and_refuses_links(tree):
    drop(tree, "old.pdf", b"%PDF-1.4 old")
    fresh = drop(tree, "fresh.pdf", b"%PDF-1.4 fresh", old=False)
    drop(tree, "skip.pdf.part", b"partial")
    drop(tree, ".hidden.pdf", b"hidden")
    (tree.inbox / "sub").mkdir()
    (tree.inbox / "link.pdf").symlink_to(tree.inbox / "old.pdf")
    os.mkfifo(tree.inbox / "pipe.pdf")
    scanner = Scanner(settle=1.0)
    scan = scanner.scan(tree.inbox)
    assert [p.name for p in scan.ready] == ["old.pdf"]
    assert [p.name for p in scan.waiting] == ["fresh.pdf"]
    assert sorted(p.name for p, _ in scan.refused) == ["link.pdf", "pipe.pdf"]
    # unchanged for the settle delay: ready; a change seen by the same scanner: waiting again
    os.utime(fresh, (OLD, OLD))
    assert "fresh.pdf" in [p.name for p in scanner.scan(tree.inbox).waiting]  # changed since last look
    assert "fresh.pdf" in [p.name for p in scanner.scan(tree.inbox).ready]
    with open(fresh, "ab") as fh:
        fh.write(b"more")
    os.utime(fresh, (OLD, OLD + 1))
    assert "fresh.pdf" in [p.name for p in scanner.scan(tree.inbox).waiting]
    assert "fresh.pdf" in [p.name for p in scanner.scan(tree.inbox).ready]
