"""The message catalogs (pipeline/i18n.py, tools/i18n_catalog.py): every message a user
sees has its Vietnamese, placeholders survive translation, and the language is chosen by
VANTHU_LANG, else the locale."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

import pytest

from vanthu import catalog as i18n_catalog
from vanthu.pipeline import i18n
from vanthu.pipeline.settings import load_language, load_settings

ROOT = Path(__file__).resolve().parents[1]

PLACEHOLDER = re.compile(r"\{(\w*)[^{}]*\}")


@pytest.fixture(scope="module")
def messages():
    return i18n_catalog.merged(i18n_catalog.extract())


def test_every_message_has_its_vietnamese(messages) -> None:
    missing = i18n_catalog.untranslated(messages)
    assert not missing, "messages without Vietnamese (run tools/i18n_catalog.py and translate): " + "; ".join(missing)


def test_placeholders_survive_translation(messages) -> None:
    wrong = []
    for message in messages:
        if not message.id or not message.string:
            continue
        ids = message.id if isinstance(message.id, tuple | list) else (message.id,)
        strings = message.string if isinstance(message.string, tuple | list) else (message.string,)
        wanted = set(PLACEHOLDER.findall(ids[0]))
        for text in strings:
            if set(PLACEHOLDER.findall(text)) != wanted:
                wrong.append(ids[0])
    assert not wrong, f"placeholders differ between English and Vietnamese: {wrong}"


def test_the_catalog_knows_real_messages(messages) -> None:
    # the extractor finds the program's messages (an extractor finding nothing passes the
    # completeness test vacuously)
    assert len(messages) >= 10
    assert i18n.translator("vi")("was it copied completely?") != "was it copied completely?"


@pytest.mark.parametrize(
    ("value", "lang"),
    [
        ("vi", "vi"),
        ("vi_VN.UTF-8", "vi"),
        ("en_US.UTF-8", "en"),
        ("VI", "vi"),
        ("fr_FR", None),
        ("", None),
        (None, None),
    ],
)
def test_language_of_a_name(value, lang) -> None:
    assert i18n.language_of(value) == lang


@pytest.mark.parametrize(
    ("env", "lang"),
    [
        ({}, "en"),
        ({"LANG": "vi_VN.UTF-8"}, "vi"),
        ({"LANG": "vi_VN.UTF-8", "LC_ALL": "C"}, "en"),  # LC_ALL comes first
        ({"LANG": "C", "VANTHU_LANG": "vi"}, "vi"),
        ({"LANG": "vi_VN", "VANTHU_LANG": "en"}, "en"),
    ],
)
def test_the_language_comes_from_vanthu_lang_then_the_locale(env, lang) -> None:
    assert load_settings(env).lang == lang
    assert load_language(env) == lang


def test_an_unknown_vanthu_lang_is_a_usage_error() -> None:
    from vanthu.pipeline.errors import UsageError

    with pytest.raises(UsageError, match="VANTHU_LANG"):
        load_settings({"VANTHU_LANG": "klingon"})


def test_english_is_the_message_itself_and_vietnamese_translates() -> None:
    assert i18n.translator("en")("was it copied completely?") == "was it copied completely?"
    assert "sao chép" in i18n.translator("vi")("was it copied completely?")


def test_set_language_switches_the_process_language() -> None:
    before = i18n.language()
    try:
        i18n.set_language("vi")
        assert i18n._("was it copied completely?") == i18n.translator("vi")("was it copied completely?")
        i18n.set_language("en")
        assert i18n._("was it copied completely?") == "was it copied completely?"
    finally:
        i18n.set_language(before)


def _reason_is_bare_text(node: ast.Call) -> bool:
    """A VanthuError raised with a reason written as a plain literal (not through ``_()``)."""
    if len(node.args) < 2:
        return False
    reason = node.args[1]
    return isinstance(reason, ast.Constant | ast.JoinedStr) and not (
        isinstance(reason, ast.Constant) and not isinstance(reason.value, str)
    )


def test_error_reasons_go_through_the_catalog() -> None:
    from vanthu.pipeline import errors

    names = {n for n, v in vars(errors).items() if isinstance(v, type) and issubclass(v, errors.VanthuError)}
    trees = {
        path: ast.parse(path.read_text(encoding="utf-8"))
        for folder in ("vanthu", "pipeline", "flows")
        for path in sorted((ROOT / folder).rglob("*.py"))
    }
    classes = [n for tree in trees.values() for n in ast.walk(tree) if isinstance(n, ast.ClassDef)]
    grown = True
    while grown:  # the errors other modules derive (StoreError, Refused, …) count too
        more = {c.name for c in classes if any(getattr(b, "id", getattr(b, "attr", "")) in names for b in c.bases)}
        grown = not more <= names
        names |= more
    assert {"StoreError", "NeedsServer"} <= names
    bare = []
    for path, tree in trees.items():
        for node in ast.walk(tree):
            if isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call):
                func = node.exc.func
                name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
                if name in names and _reason_is_bare_text(node.exc):
                    bare.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert not bare, "errors whose reason is not translatable (wrap it in _()): " + ", ".join(bare)


def test_an_error_is_shown_in_vietnamese(tmp_path) -> None:
    missing = tmp_path / "không-có.pdf"
    env = {"VANTHU_LANG": "vi", "PATH": "/usr/bin:/bin", "PREFECT_SERVER_ANALYTICS_ENABLED": "false"}
    done = subprocess.run(
        [sys.executable, "-m", "vanthu.cli", "extract", str(missing)], capture_output=True, text=True, env=env
    )
    assert done.returncode == 3
    assert "không-có.pdf" in done.stderr
    english = subprocess.run(
        [sys.executable, "-m", "vanthu.cli", "extract", str(missing)],
        capture_output=True,
        text=True,
        env={**env, "VANTHU_LANG": "en"},
    )
    assert english.stderr != done.stderr
