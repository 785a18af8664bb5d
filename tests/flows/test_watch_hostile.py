"""Hostile files through ``vanthu watch``: each ends in done/ or in failed/ with its reason
(the exit code the same file gets from ``vanthu extract``), byte-identical; a good letter
dropped after them is still processed; the watcher stays up. Extraction runs in the
isolated workers of ``vanthu.pipeline.run.isolate`` (``steps.process_one``)."""

from __future__ import annotations

import hashlib
import json
import signal

from tests.conftest import SAMPLES
from vanthu.samplegen.hostile import CASES, generate

from .test_watch import files, settled, start_watch, wait_for


def test_watch_survives_the_hostile_set(tmp_path, monkeypatch) -> None:
    cases = generate(tmp_path / "gen")
    # the pixel limit off for the whole watcher: the PNG bombs must then be stopped by
    # the worker's memory limit (which only an isolated worker has)
    monkeypatch.setenv("VANTHU_MAX_PIXELS", "2000000000")
    root = tmp_path / "root"
    proc = start_watch(root)
    try:
        wait_for(lambda: (root / "inbox").is_dir(), 90, proc, "the tree")
        dropped = {}
        for c in cases:
            data = c.path.read_bytes()
            (root / "inbox" / c.name).write_bytes(data)
            dropped[c.name] = hashlib.sha256(data).hexdigest()
        wait_for(lambda: settled(root, len(cases)), 400, proc, "the hostile files")
        good = SAMPLES / "qd-ubnd-huyen-2024-19.pdf"  # dropped last: the watcher must still work
        (root / "inbox" / "after-the-storm.pdf").write_bytes(good.read_bytes())
        wait_for(lambda: (root / "done" / "after-the-storm.pdf").exists(), 120, proc, "the good letter")
        assert proc.poll() is None, "the watcher died"
        proc.send_signal(signal.SIGINT)
        assert proc.wait(60) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    done = {p.name: p for p in files(root / "done")}
    failed = {p.name: p for p in files(root / "failed")}
    assert set(done) | set(failed) == {c.name for c in cases} | {"after-the-storm.pdf"}
    for c in cases:
        where = done.get(c.name) or failed[c.name]
        assert hashlib.sha256(where.read_bytes()).hexdigest() == dropped[c.name], f"{c.name} changed"
        if c.name in failed:
            err = json.loads((root / "failed" / f"{c.name}.error.json").read_text(encoding="utf-8"))
            assert err["exit_code"] in c.expect, (c.name, err)
            assert err["exit_code"] != 70 and err["message"].startswith(f"{c.name}: ") and len(err["message"]) > 20
            assert "\n" not in err["message"]
        else:
            assert 0 in c.expect, c.name
    assert {c.name for c in CASES if c.expect == (5,)} <= set(failed)
    for bomb in ("bomb-30000x30000.png", "bomb-30000x30000-pixel-limit-off.png"):
        err = json.loads((root / "failed" / f"{bomb}.error.json").read_text(encoding="utf-8"))
        assert "needs more than 2048 MB of memory" in err["message"], err


def test_not_a_letter_ends_in_failed_with_its_reason(tmp_path) -> None:
    cases = generate(tmp_path / "gen", ["two-lines-named.pdf", "spreadsheet.pdf"])
    root = tmp_path / "root"
    proc = start_watch(root)
    try:
        wait_for(lambda: (root / "inbox").is_dir(), 90, proc, "the tree")
        for c in cases:
            (root / "inbox" / c.name).write_bytes(c.path.read_bytes())
        (root / "inbox" / "letter.pdf").write_bytes((SAMPLES / "tb-so-2024-88.pdf").read_bytes())
        wait_for(lambda: settled(root, len(cases) + 1), 300, proc, "the files")
        proc.send_signal(signal.SIGINT)
        assert proc.wait(60) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert [p.name for p in files(root / "done")] == ["letter.pdf"]
    assert {p.name for p in files(root / "failed")} == {c.name for c in cases}
    assert files(root / "inbox") == [] and files(root / "processing") == []
    for c in cases:
        assert (root / "failed" / c.name).read_bytes() == c.path.read_bytes()
        err = json.loads((root / "failed" / f"{c.name}.error.json").read_text(encoding="utf-8"))
        assert err["exit_code"] == 13, err
        assert err["message"].startswith(f"{c.name}: no official letter found"), err
    out = [p.read_text(encoding="utf-8") for p in (root / "out").rglob("*") if p.is_file()]
    assert len(out) == 1 and all(hashlib.sha256(c.path.read_bytes()).hexdigest() not in o for o in out for c in cases)
