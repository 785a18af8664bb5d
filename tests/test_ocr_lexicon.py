"""The syllable lexicon (``ocr/lexicon.py``): keys, tones, its cache."""

from __future__ import annotations

from pathlib import Path


def test_lexicon_is_built_once_then_loaded_from_the_cache(tmp_path, monkeypatch):
    from vanthu.pipeline.ocr import lexicon as lx

    builds = []
    real_init = lx.Lexicon.__init__
    monkeypatch.setattr(lx.Lexicon, "__init__", lambda self, *a: builds.append(1) or real_init(self, *a))
    built = lx.load_lexicon(tmp_path / "cache")
    [cached] = (tmp_path / "cache").glob("lexicon-*.pickle")
    loaded = lx.load_lexicon(tmp_path / "cache")
    assert len(builds) == 1  # the second one came from the cache
    assert loaded.freq == built.freq and loaded.pairs == built.pairs and loaded.bigrams == built.bigrams
    assert loaded.known(lx.syllable_key("tỉnh")) and not loaded.known(lx.syllable_key("tỉnhh"))
    cached.write_bytes(b"not a pickle")  # damaged: rebuilt and rewritten
    again = lx.load_lexicon(tmp_path / "cache")
    assert len(builds) == 2 and again.pairs == built.pairs
    assert lx.load_lexicon(tmp_path / "cache").pairs == built.pairs and len(builds) == 2


def test_lexicon_works_where_its_cache_cannot_be_written(tmp_path):
    from vanthu.pipeline.ocr import lexicon as lx

    blocker = tmp_path / "a-file"
    blocker.write_text("")
    lex = lx.load_lexicon(blocker / "cache")  # under a file: no directory
    assert lex.known(lx.syllable_key("tỉnh"))
    assert list(tmp_path.iterdir()) == [blocker]  # nothing left behind


def test_tone_placement_style_of_the_letter_is_kept():
    from vanthu.pipeline.ocr.lexicon import render, syllable_key

    assert syllable_key("hoá") == syllable_key("hóa")
    assert render(syllable_key("của")) == "của"
    assert render(syllable_key("người")) == "người"
    assert render(syllable_key("quả")) == "quả"


def test_lexicon_is_loaded_once_from_the_settings_cache_dir(tmp_path, monkeypatch):
    """``Settings.cache_dir`` says where the lexicon is kept (no VANTHU_CACHE_DIR read
    here); the first call loads it, later ones, with or without a place, return it."""
    from vanthu.pipeline.ocr import lexicon as lx

    monkeypatch.setattr(lx, "_LOADED", [])
    monkeypatch.setenv("VANTHU_CACHE_DIR", str(tmp_path / "not-read"))
    lex = lx.lexicon(tmp_path / "cache")
    assert list((tmp_path / "cache").glob("lexicon-*.pickle"))
    assert lx.lexicon() is lex and lx.lexicon(tmp_path / "other") is lex
    assert not (tmp_path / "not-read").exists() and not (tmp_path / "other").exists()


def test_default_cache_dir_is_xdg_cache_home(tmp_path, monkeypatch):
    from vanthu.pipeline.ocr import lexicon as lx

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert lx.default_cache_dir() == tmp_path / "vanthu"
    monkeypatch.delenv("XDG_CACHE_HOME")
    assert lx.default_cache_dir() == Path.home() / ".cache" / "vanthu"
