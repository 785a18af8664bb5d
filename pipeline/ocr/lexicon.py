"""Vietnamese syllable lexicon for OCR correction, from underthesea's word list
(``Viet74K.txt``, shipped inside the underthesea package: nothing is downloaded):
which syllables exist, which pairs make words, and how often real text writes them.
The correction that asks it is in ``syllables``.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import re
import tempfile
import unicodedata
from collections import Counter
from collections.abc import Sequence
from functools import lru_cache
from importlib import resources
from pathlib import Path

_TONES = {"\u0300": 1, "\u0301": 2, "\u0309": 3, "\u0303": 4, "\u0323": 5}
TONE_CHARS = {v: k for k, v in _TONES.items()}


@lru_cache(maxsize=65536)
def syllable_key(s: str) -> tuple[str, int]:
    """(letters with their vowel marks, tone) of a lower-case syllable: ``hoá`` and
    ``hóa`` (old and new tone placement) have the same key."""
    tone = 0
    base = []
    for ch in unicodedata.normalize("NFD", s):
        if ch in _TONES:
            tone = _TONES[ch]
        else:
            base.append(ch)
    return unicodedata.normalize("NFC", "".join(base)), tone


def bare(s: str) -> str:
    d = unicodedata.normalize("NFD", s)
    return "".join(ch for ch in d if not unicodedata.combining(ch)).replace("đ", "d")


def render(key: tuple[str, int]) -> str:
    """The syllable written with its tone on the vowel modern spelling puts it on."""
    base, tone = key
    if not tone:
        return base
    idx = _tone_position(base)
    if idx is None:
        return base
    nfd = unicodedata.normalize("NFD", base[idx]) + TONE_CHARS[tone]
    return unicodedata.normalize("NFC", base[:idx] + nfd + base[idx + 1 :])


def _tone_position(base: str) -> int | None:
    vowels = [i for i, ch in enumerate(base) if bare(ch) in "aeiouy"]
    if base.startswith(("qu", "gi")) and len(vowels) > 1:
        vowels = vowels[1:]
    if not vowels:
        return None
    for i in vowels:  # a vowel with a shape mark takes the tone (ơ, ư, â, ê, ô, ă)
        if base[i] in "ăâêôơư":
            if base[i] == "ư" and i + 1 < len(base) and base[i + 1] == "ơ":
                return i + 1
            return i
    if len(vowels) == 1:
        return vowels[0]
    # two or three vowels: on the second if a consonant follows, else on the first
    last = vowels[-1]
    if last + 1 < len(base):
        return vowels[-1] if len(vowels) >= 2 else vowels[0]
    return vowels[-2] if len(vowels) >= 2 else vowels[0]


class Lexicon:
    def __init__(self, words: list[str], running_text: Sequence[Sequence[str]] = ()) -> None:
        """``words``: the dictionary (one word per line, syllables spaced); ``running_text``:
        sentences of real text as syllables, for how often a syllable and a pair of
        neighbours occur in writing (the dictionary says only what exists)."""
        self.uses: Counter[tuple[str, int]] = Counter()
        self.bigrams: Counter[tuple[tuple[str, int], tuple[str, int]]] = Counter()
        for sent in running_text:
            sent_keys = [syllable_key(s) if s.isalpha() else None for s in (x.lower() for x in sent)]
            self.uses.update(k for k in sent_keys if k)
            self.bigrams.update((a, b) for a, b in zip(sent_keys, sent_keys[1:]) if a and b)
        self.freq: Counter[tuple[str, int]] = Counter()
        self.pairs: set[tuple[tuple[str, int], tuple[str, int]]] = set()
        for w in words:
            sylls = w.lower().split()
            keys = [syllable_key(s) for s in sylls if s.isalpha()]
            if len(keys) != len(sylls):
                continue
            self.freq.update(keys)
            for a, b in zip(keys, keys[1:]):
                self.pairs.add((a, b))
        self.by_bare: dict[str, list[tuple[str, int]]] = {}
        for k in self.freq:
            self.by_bare.setdefault(bare(k[0]), []).append(k)

    def known(self, key: tuple[str, int]) -> bool:
        return key in self.freq

    def pair(self, a: tuple[str, int] | None, b: tuple[str, int] | None) -> bool:
        return a is not None and b is not None and (a, b) in self.pairs

    def seen(self, a: tuple[str, int] | None, b: tuple[str, int] | None) -> bool:
        """The two syllables stand side by side somewhere in the running text."""
        return a is not None and b is not None and self.bigrams[(a, b)] > 0


#: underthesea's POS tagger ships the VLSP 2013 test set it was scored on (one token per
#: line, a blank line between sentences): about 100,000 syllables of Vietnamese prose.
_RUNNING_TEXT = "pipeline/pos_tag/models/pos_crf_vlsp2013_20230303/test_output.txt"


def _running_text(raw: str) -> list[list[str]]:
    sents: list[list[str]] = [[]]
    for line in unicodedata.normalize("NFC", raw).splitlines():
        token = line.split("\t", 1)[0]
        if token:
            sents[-1].extend(token.split())
        elif sents[-1]:
            sents.append([])
    return sents


_WORD = re.compile(r"[^\W\d_]{2,}")


def known_words(text: str) -> tuple[int, int]:
    """(words of ``text`` that are Vietnamese syllables, all its words of two letters or more):
    how much of an OCR line is text rather than a scrap of a seal or a rule."""
    words = _WORD.findall(text)
    lex = lexicon()
    return sum(lex.known(syllable_key(w.lower())) for w in words), len(words)


def default_cache_dir() -> Path:
    """Where the built lexicon is kept when the settings name no place
    (``Settings.cache_dir``): ``$XDG_CACHE_HOME/vanthu``, else ``~/.cache/vanthu``."""
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "vanthu"


_LOADED: list[Lexicon] = []  # (the one lexicon of this process, once loaded)


def lexicon(cache_dir: Path | None = None) -> Lexicon:
    """The lexicon, loaded once per process (:func:`load_lexicon`). ``cache_dir`` (the
    settings' ``cache_dir``; None: :func:`default_cache_dir`) only says where the built
    lexicon is kept: the first call's place is the one used."""
    if not _LOADED:
        _LOADED.append(load_lexicon(cache_dir or default_cache_dir()))
    return _LOADED[0]


def load_lexicon(cache_dir: Path) -> Lexicon:
    """The lexicon, built from underthesea's files (0.7 s) or loaded from the cache in
    ``cache_dir`` (0.02 s).

    The cached copy is named after a hash of everything it is built from (the word list,
    the running text, this module), so a new underthesea or a change here builds it
    anew; a cache that cannot be read is rebuilt, one that cannot be written is not kept.
    """
    package = resources.files("underthesea")
    words = package.joinpath("corpus/data/Viet74K.txt").read_bytes()
    try:
        running = package.joinpath(_RUNNING_TEXT).read_bytes()
    except (FileNotFoundError, OSError):  # another underthesea version: the dictionary alone
        running = b""
    key = hashlib.sha256(b"\0".join((words, running, Path(__file__).read_bytes()))).hexdigest()[:24]
    path = cache_dir / f"lexicon-{key}.pickle"
    try:
        with open(path, "rb") as f:
            cached = pickle.load(f)
        if isinstance(cached, Lexicon):
            return cached
    except Exception:  # noqa: BLE001 - none yet, or a damaged one: it is (re)built
        pass
    lex = Lexicon(
        unicodedata.normalize("NFC", words.decode("utf-8")).splitlines(), _running_text(running.decode("utf-8"))
    )
    _keep(lex, path)
    return lex


def _keep(lex: Lexicon, path: Path) -> None:
    """Write the built lexicon to ``path``, whole or not at all."""
    tmp = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path.parent, prefix=".lexicon-", delete=False) as f:
            tmp = f.name
            pickle.dump(lex, f, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)  # whole or not at all, whoever writes at the same time
    except OSError:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
