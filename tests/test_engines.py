"""The NLP engines load piecewise (cold start) and still work whole afterwards.
Each check runs in a fresh interpreter, since imports are process-wide."""

from __future__ import annotations

import json
import subprocess
import sys

from tests.conftest import SAMPLES

_PROBE = r"""
import json, sys
from vanthu.cli import main
import io, contextlib
with contextlib.redirect_stdout(io.StringIO()) as out:
    rc = main(["extract", "--no-isolation", sys.argv[1]])  # in this process, as a worker runs it
record = json.loads(out.getvalue())
watched = ("spacy", "spacy.cli", "weasel", "underthesea", "underthesea.pipeline.ner",
           "underthesea.pipeline.classification", "joblib", "pdfplumber", "prefect", "rich")
loaded = {m: m in sys.modules for m in watched}
# what was skipped still imports and works on demand
import spacy.cli, joblib, underthesea
from underthesea import word_tokenize, ner
later = {"spacy.cli.download": callable(spacy.cli.download), "joblib.load": joblib.load.__module__,
         "word_tokenize": word_tokenize("Sở Tư pháp tỉnh"), "ner": callable(ner)}
print(json.dumps({"rc": rc, "issuer": record["issuer"], "loaded": loaded, "later": later}, ensure_ascii=False))
"""


def test_extract_loads_only_what_it_uses():
    proc = subprocess.run(
        [sys.executable, "-c", _PROBE, str(SAMPLES / "tb-so-2024-88.pdf")],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    got = json.loads(proc.stdout.splitlines()[-1])
    assert got["rc"] == 0 and got["issuer"]
    assert got["loaded"] == {
        "spacy": True,
        "spacy.cli": False,
        "weasel": False,  # spaCy without its CLI
        "underthesea": True,
        "underthesea.pipeline.ner": False,
        "underthesea.pipeline.classification": False,
        "joblib": False,  # underthesea's rules pickle read without joblib
        "pdfplumber": False,  # pdfium read the text layer
        "prefect": False,
        "rich": False,  # no progress bar for one letter
    }
    assert got["later"] == {
        "spacy.cli.download": True,
        "joblib.load": "joblib.numpy_pickle",
        "word_tokenize": ["Sở", "Tư pháp", "tỉnh"],
        "ner": True,
    }


def test_underthesea_package_files_stay_reachable():
    """importlib.resources on the piecewise package (the OCR lexicon reads Viet74K.txt)."""
    probe = (
        "from vanthu.pipeline.text.engines import underthesea\n"
        "underthesea('pos_tag')\n"
        "from importlib import resources\n"
        "import underthesea as u, sys\n"
        "text = resources.files('underthesea').joinpath('corpus/data/Viet74K.txt').read_text('utf-8')\n"
        "print(len(text) > 100000, 'underthesea.pipeline.ner' in sys.modules)\n"
    )
    proc = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120, check=False)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split() == ["True", "False"]
