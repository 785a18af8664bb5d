"""Fixtures of the ingestion tests: a folder tree, its task store, the seed letter's record."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest

from tests.conftest import SAMPLES
from vanthu.flows.inbox import Layout, sha256_file
from vanthu.flows.store import default_url, open_store

SEED = SAMPLES / "seed-cv-ubnd-langson.md"
OLD = time.time() - 3600


@pytest.fixture
def tree(tmp_path):
    return Layout.under(tmp_path / "root").ensure()


@pytest.fixture
def store(tree):
    s = open_store(default_url(tree.root))
    yield s
    s.close()


@pytest.fixture(scope="module")
def seed_record():
    from vanthu.pipeline.extract import extract_file

    return extract_file(SEED)


def drop(tree: Layout, name: str, data: bytes, *, old: bool = True) -> Path:
    p = tree.inbox / name
    p.write_bytes(data)
    if old:
        os.utime(p, (OLD, OLD))
    return p


def fake_extract(record):
    """An extractor returning ``record`` re-labelled with the file's own hash."""

    def run(path: Path):
        sha = sha256_file(path)
        data = json.loads(record.to_json())
        data["id"] = f"sha256:{sha}"
        data["source"]["sha256"] = sha
        data["source"]["file"] = path.name
        for t in data["tasks"]:
            t["task_id"] = f"task:{sha[:16]}:{t['task_id']}"
        return type(record).model_validate(data)

    return run
