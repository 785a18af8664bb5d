"""The command line in the chosen language (vanthu/argparse_vi.py): the help texts, and
argparse's own words ("usage:", "the following arguments are required: …"), in Vietnamese
with VANTHU_LANG=vi and in English with VANTHU_LANG=en."""

from __future__ import annotations

import argparse

import pytest

from vanthu.argparse_vi import ARGPARSE_MESSAGES
from vanthu.cli import main
from vanthu.pipeline.i18n import translator


def _flat(text: str) -> str:
    """Whitespace folded (argparse wraps its help to the terminal's width)."""
    return " ".join(text.split())


def _run(capsys, monkeypatch, lang: str, *argv: str) -> tuple[int, str, str]:
    monkeypatch.setenv("VANTHU_LANG", lang)
    with pytest.raises(SystemExit) as exit_:
        main(list(argv))
    out, err = capsys.readouterr()
    return int(exit_.value.code or 0), _flat(out), _flat(err)


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_help_of_vanthu_is_in_the_language(capsys, monkeypatch, lang) -> None:
    say = translator(lang)
    code, out, _ = _run(capsys, monkeypatch, lang, "--help")
    assert code == 0
    assert out.startswith(say("usage: ").strip() + " vanthu")
    for message in (
        "Structured records from Vietnamese official letters.",
        "extract records from letters (files or folders)",
        "show this help message and exit",
        "options",
    ):
        assert _flat(say(message)) in out
    assert ("show this help message" in out) == (lang == "en")


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_help_of_a_subcommand_is_in_the_language(capsys, monkeypatch, lang) -> None:
    say = translator(lang)
    code, out, _ = _run(capsys, monkeypatch, lang, "extract", "--help")
    assert code == 0
    for message in (
        "extract records from letters (files or folders)",  # what it does, first
        "positional arguments",
        "letters or folders; - reads standard input",
        "no progress bar",
        "limits (per document; also VANTHU_TIMEOUT, VANTHU_MEMORY_MB, …)",
        "show tracebacks of internal errors and the engines' own messages",
    ):
        assert _flat(say(message)) in out
    assert ("print one compact JSON record per line" in out) == (lang == "en")


@pytest.mark.parametrize(
    ("argv", "prog", "message", "value"),
    [
        (["extract"], "vanthu extract", "the following arguments are required: %s", "PATH"),
        (["tasks", "--format", "xml"], "vanthu tasks", "invalid choice: %(value)r (choose from %(choices)s)", None),
        (["schema", "--bogus"], "vanthu", "unrecognized arguments: %s", "--bogus"),  # the main parser's
    ],
)
@pytest.mark.parametrize("lang", ["vi", "en"])
def test_a_usage_error_is_in_the_language(capsys, monkeypatch, lang, argv, prog, message, value) -> None:
    say = translator(lang)
    code, _, err = _run(capsys, monkeypatch, lang, *argv)
    assert code == 2
    assert err.startswith(say("usage: ").strip())
    error = say("%(prog)s: error: %(message)s\n") % {"prog": prog, "message": ""}
    assert error.strip() in err
    words = say(message)
    expected = words % value if value is not None else words.split("%", 1)[0]
    assert _flat(expected) in err


def test_english_comes_back_after_a_vietnamese_run(capsys, monkeypatch) -> None:
    # argparse's own functions come back with English: a Vietnamese run does not stick
    _run(capsys, monkeypatch, "vi", "extract")
    _, _, err = _run(capsys, monkeypatch, "en", "extract")
    assert "the following arguments are required: PATH" in err
    assert argparse._("usage: ") == "usage: "  # type: ignore[attr-defined]


def test_every_argparse_word_has_its_vietnamese() -> None:
    vi = translator("vi")
    assert all(vi(m) != m for m in ARGPARSE_MESSAGES)
    # the ids are argparse's own: a message argparse no longer says would never be shown
    source = argparse.__loader__.get_source("argparse")  # type: ignore[union-attr]
    missing = [m for m in ARGPARSE_MESSAGES if repr(m)[1:-1] not in source and m not in source]
    assert len(missing) <= 2, missing  # tolerance: a message of another Python version
