"""Benchmark (not a test): how the time of reading deep and long documents grows with
their size. The numbered-item tree must grow linearly: doubling the items doubles the
time (the tree did quadratic work on restarting numbering: about 8 s for 400 lines).

    .venv/bin/python tools/bench_deep.py [--sizes 100 200 400 800] [--repeat 3]

Shapes (from ``vanthu/samplegen/oddities.py``, the generator of the hostile cases):
``restarting`` (items 1-3 again and again, as on a repeated page), ``flat`` ("Điều k."
with 49 items each), ``nested`` (items nested as deep as the size allows, up to the depth
limit). For each shape and size: the item stage alone (``read_assignments`` on the body's
paragraphs) and the whole letter in this process (``extract_file``), best of
``--repeat`` runs, with the time per item. The last column is the growth against the
previous size: about 2.0 per doubling is linear, about 4.0 quadratic."""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

from vanthu.pipeline.extract import extract_file
from vanthu.pipeline.fields.items import MAX_ITEM_DEPTH, read_assignments
from vanthu.pipeline.layout.paragraphs import Paragraph
from vanthu.pipeline.provenance import ProvenanceLog
from vanthu.samplegen.oddities import flat_items, items_letter, nested_items, restarting_items

SHAPES = {
    "restarting": lambda n: restarting_items(n // 3 + 1)[:n],
    "flat": flat_items,
    "nested": lambda n: nested_items(min(n, MAX_ITEM_DEPTH)) + flat_items(max(0, n - MAX_ITEM_DEPTH - 1)),
}


def best(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[100, 200, 400, 800])
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args(argv)
    extract_file(Path(__file__).resolve().parents[1] / "samples" / "seed-cv-ubnd-langson.md")  # warm-up
    print("| shape | items | item stage (s) | ms/item | whole letter (s) | growth |")
    print("|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as tmp:
        for shape, make in SHAPES.items():
            prev = None
            for n in args.sizes:
                body = make(n)
                paras = [Paragraph(t) for t in body]
                stage = best(
                    lambda paras=paras: read_assignments(paras, "2024-08-15", ProvenanceLog(), []), args.repeat
                )
                path = Path(tmp) / f"{shape}-{n}.md"
                items_letter(body)(path)
                whole = best(lambda path=path: extract_file(path), args.repeat)
                growth = f"{stage / prev:.2f}" if prev else ""
                print(
                    f"| {shape} | {len(body)} | {stage:.3f} | {1000 * stage / len(body):.2f} | {whole:.3f} | {growth} |"
                )
                prev = stage
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
