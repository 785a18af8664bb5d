"""Loading the NLP engines (spaCy, underthesea) quickly, once, on first need.

The CLI extracts one letter in a fresh process, so import time is most of its cold
start. Both libraries import far more at package import than vanthu uses:

* ``import spacy`` imports ``spacy.cli`` (weasel, typer, httpx and every training
  command) only to re-export ``spacy.info``. :func:`spacy` imports the package with a
  placeholder for ``spacy.cli.info``, then removes the placeholder so a later
  ``import spacy.cli`` loads the real one. ``spacy.blank``, the tokenizer, Matcher and
  EntityRuler do not use the CLI.
* ``import underthesea`` imports every pipeline (NER, chunking, classification,
  language detection, the agent…). :func:`underthesea` imports just the module of
  the function asked for, from the installed package, behind a package object that
  resolves the other public names lazily (PEP 562), so underthesea's own internal
  ``from underthesea import word_tokenize`` still works. Its text normaliser and
  word segmenter import joblib only to unpickle plain pickles; a stand-in reads them
  (see :func:`_pickle_joblib`).

If either shortcut fails (another version of a library), the plain import is used.
"""

from __future__ import annotations

import contextlib
import gc
import importlib
import importlib.util
import logging
import sys
import types
from collections.abc import Callable, Iterator
from functools import cache
from typing import Any

log = logging.getLogger(__name__)

# public name -> module defining it; the order is an import order free of cycles
_UNDERTHESEA = {
    "text_normalize": "underthesea.pipeline.text_normalize",
    "word_tokenize": "underthesea.pipeline.word_tokenize",
    "sent_tokenize": "underthesea.pipeline.sent_tokenize",
    "pos_tag": "underthesea.pipeline.pos_tag",
    "chunk": "underthesea.pipeline.chunking",
    "ner": "underthesea.pipeline.ner",
}


@contextlib.contextmanager
def _no_gc() -> Iterator[None]:
    """No cyclic garbage collection while a library's modules are imported: imports
    allocate many objects and free few, so the collector's passes are wasted work."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


@cache
def spacy() -> types.ModuleType:
    """The ``spacy`` module, imported without its command-line package."""
    if "spacy" in sys.modules:
        return sys.modules["spacy"]
    with _no_gc():
        return _import_spacy()


def _import_spacy() -> types.ModuleType:
    placeholders = {}
    if "spacy.cli" not in sys.modules:
        cli = types.ModuleType("spacy.cli")
        cli.__path__ = []  # a package with no submodules
        info = types.ModuleType("spacy.cli.info")

        def _info(*args: Any, **kwargs: Any) -> Any:
            for name in ("spacy.cli.info", "spacy.cli"):
                sys.modules.pop(name, None)
            return importlib.import_module("spacy.cli.info").info(*args, **kwargs)

        info.info = _info  # type: ignore[attr-defined]
        placeholders = {"spacy.cli": cli, "spacy.cli.info": info}
        sys.modules.update(placeholders)
    try:
        import spacy as module
    except Exception as exc:  # noqa: BLE001 - fall back to the plain import
        log.debug("spaCy without its CLI failed (%s); importing it whole", exc)
        for name in [n for n in sys.modules if n == "spacy" or n.startswith("spacy.")]:
            del sys.modules[name]
        placeholders = {}
        import spacy as module
    finally:
        for name, placeholder in placeholders.items():
            if sys.modules.get(name) is placeholder:
                del sys.modules[name]
    if placeholders and getattr(module, "cli", None) is placeholders["spacy.cli"]:
        delattr(module, "cli")  # `spacy.cli` imports the real package on first use
    return module


def underthesea(name: str) -> Callable[..., Any]:
    """The underthesea function ``name`` (``pos_tag``, ``text_normalize``…)."""
    return getattr(_underthesea_package(), name)


@cache
def _underthesea_package() -> types.ModuleType:
    if "underthesea" in sys.modules:
        return sys.modules["underthesea"]
    with _no_gc():
        return _import_underthesea()


def _import_underthesea() -> types.ModuleType:
    spec = importlib.util.find_spec("underthesea")
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError("underthesea is not installed")
    # the installed package's own spec (its files stay reachable, e.g. by importlib.resources),
    # but its __init__ is not run
    pkg = importlib.util.module_from_spec(spec)

    def __getattr__(attr: str) -> Any:
        if attr in _UNDERTHESEA:
            for module in _UNDERTHESEA.values():  # import in a cycle-free order
                importlib.import_module(module)
                if module == _UNDERTHESEA[attr]:
                    break
            value = getattr(sys.modules[_UNDERTHESEA[attr]], attr)
            setattr(pkg, attr, value)
            return value
        raise AttributeError(f"module 'underthesea' has no attribute {attr!r}")

    pkg.__getattr__ = __getattr__  # type: ignore[method-assign]  # a module-level __getattr__ (PEP 562) set on purpose
    sys.modules["underthesea"] = pkg
    shim = _pickle_joblib() if "joblib" not in sys.modules else None
    try:
        if shim is not None:
            sys.modules["joblib"] = shim
        pkg.__getattr__("pos_tag")
        # word segmentation (under pos_tag) unpickles its features with joblib.load
        importlib.import_module("underthesea.models.fast_crf_sequence_tagger")
        from underthesea.version import __version__

        pkg.__version__ = __version__  # type: ignore[attr-defined]
    except Exception as exc:  # noqa: BLE001 - fall back to the plain import
        log.debug("underthesea piecewise import failed (%s); importing it whole", exc)
        for name in [n for n in sys.modules if n == "underthesea" or n.startswith("underthesea.")]:
            del sys.modules[name]
        if shim is not None and sys.modules.get("joblib") is shim:
            del sys.modules["joblib"]
        return importlib.import_module("underthesea")
    finally:
        if shim is not None and sys.modules.get("joblib") is shim:
            del sys.modules["joblib"]
    return pkg


def _pickle_joblib() -> types.ModuleType:
    """A stand-in for joblib in the underthesea modules imported here: they use
    ``joblib.load`` on rules and feature files that are plain pickles (dicts, lists,
    sets), and importing joblib (asyncio, multiprocessing, loky) costs more than those
    modules. A file that is not a plain pickle, and any other name (``dump``…), goes
    to the real joblib, imported then."""
    shim = types.ModuleType("joblib")

    def real() -> types.ModuleType:
        if sys.modules.get("joblib") is shim:
            del sys.modules["joblib"]
        return importlib.import_module("joblib")

    def load(filename: Any, *args: Any, **kwargs: Any) -> Any:
        import pickle

        if not args and not kwargs and isinstance(filename, str):
            try:
                with open(filename, "rb") as fh:
                    return pickle.load(fh)
            except (pickle.UnpicklingError, EOFError, AttributeError, ImportError, IndexError):
                pass
        return real().load(filename, *args, **kwargs)

    def __getattr__(name: str) -> Any:
        return getattr(real(), name)

    shim.load = load  # type: ignore[attr-defined]
    shim.__getattr__ = __getattr__  # type: ignore[method-assign]  # a module-level __getattr__ (PEP 562) set on purpose
    return shim
