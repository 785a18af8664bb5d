"""vanthu.samplegen.variety: letters made from a template by rewriting the number and the
day in the PDF print those, read back by the text-layer reader, with their own bytes."""

from __future__ import annotations

import hashlib

import pytest

from vanthu.samplegen.variety import LetterFactory, template_layout


@pytest.fixture(scope="module")
def factory(tmp_path_factory):
    from tests.conftest import load_renderer

    load_renderer()  # skips without the Vietnamese fonts
    return LetterFactory(tmp_path_factory.mktemp("variety"), templates=2)


def test_templates_differ_in_issuer_type_and_items():
    layouts = [template_layout(k) for k in range(12)]
    assert len({tuple(x["header_left"]) for x in layouts}) >= 6
    assert len({x["number_line"].split("/")[1] for x in layouts}) >= 6  # type and issuer symbols
    assert len({len(x["body"]) for x in layouts}) >= 3  # 2 to 5 items


@pytest.mark.parametrize("i", [0, 1, 16, 137])
def test_letter_prints_its_own_number_and_day(factory, tmp_path, i):
    from vanthu.samplegen.digital import pdf_lines

    path = tmp_path / f"letter-{i}.pdf"
    variant = factory.write(i, path)
    lines = [ln.text for ln in pdf_lines(path)[0]]
    assert any(t.startswith(f"Số: {variant.number}/") for t in lines), lines[:8]
    assert any(f"ngày {variant.day} tháng" in t for t in lines), lines[:8]


def test_every_letter_has_its_own_bytes(factory):
    digests = {hashlib.sha256(factory.letter(i)[0]).hexdigest() for i in range(40)}
    assert len(digests) == 40
