"""Sample letters for tests, benchmarks and evaluation: a deterministic Decree-30 renderer
(layout source JSON → A4 PDF), a synthetic scan generator (clean, noisy, hard, photo) and
hostile input files, each with the outcome ``vanthu extract`` must reach.

Modules, in the order a sample is made:

* :mod:`~vanthu.samplegen.canvas` — fonts, page geometry, a canvas over FPDF, line wrapping;
* :mod:`~vanthu.samplegen.header`, :mod:`~vanthu.samplegen.renderer` — the regions of a letter;
* :mod:`~vanthu.samplegen.render` — ``render_letter(layout, out_pdf)`` (``tools/render_letter.py``);
* :mod:`~vanthu.samplegen.digital` — the rendered letter's text lines and anchors, rasterised;
* :mod:`~vanthu.samplegen.marks` — seal, signature, receipt stamp, pen digits;
* :mod:`~vanthu.samplegen.degrade` — noise, speckle, skew, bleed-through, phone photos;
* :mod:`~vanthu.samplegen.scan` — ``scan_pages(layout, level, seed)`` (``tools/scan_letter.py``);
* :mod:`~vanthu.samplegen.pdfbytes`, :mod:`~vanthu.samplegen.hostile` — broken and hostile files.

Nothing here is imported by the extraction path; tests and ``tools/`` import it (tests never
import ``tools/``, and ``tools/`` never imports ``tests``).
"""
