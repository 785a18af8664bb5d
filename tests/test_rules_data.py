"""The rule data (``pipeline/rules/data/*.json``): every file has a schema and follows it,
no key is unknown to its schema, and no declared key is unread by the code."""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest

from vanthu.pipeline.rules.loader import load, patterns, rules
from vanthu.pipeline.rules.validate import RulesDataError, check

ROOT = Path(__file__).resolve().parent.parent
RULES = ROOT / "pipeline" / "rules"
DATA = sorted(p.stem for p in (RULES / "data").glob("*.json"))
DOC_KEYS = {"_comment", "_why"}  # for people: no code reads them


def _read(folder: str, name: str) -> dict:
    return json.loads((RULES / folder / f"{name}.json").read_text(encoding="utf-8"))


def _fixed_keys(schema: dict, root: dict, path: str = "") -> list[tuple[str, str]]:
    """(path, key) for every fixed key a schema declares (``properties``), nested ones too."""
    if "$ref" in schema:
        return _fixed_keys(root["$defs"][schema["$ref"].rsplit("/", 1)[-1]], root, path)
    out = []
    for option in schema.get("anyOf", []):
        out += _fixed_keys(option, root, path)
    for key, sub in schema.get("properties", {}).items():
        out.append((path, key))
        out += _fixed_keys(sub, root, f"{path}/{key}")
    for sub in (schema.get("items"), schema.get("additionalProperties")):
        if isinstance(sub, dict):
            out += _fixed_keys(sub, root, f"{path}/*")
    return out


def _string_literals() -> set[str]:
    """Every string constant in the code under ``pipeline/`` (keys are read by name)."""
    found: set[str] = set()
    for path in (ROOT / "pipeline").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                found.add(node.value)
    return found


def test_every_data_file_has_a_schema_and_every_schema_a_data_file() -> None:
    schemas = sorted(p.stem for p in (RULES / "schemas").glob("*.json"))
    assert DATA and schemas == DATA


@pytest.mark.parametrize("name", DATA)
def test_data_file_follows_its_schema(name: str) -> None:
    load(name)  # raises RulesDataError otherwise


@pytest.mark.parametrize("name", DATA)
def test_schema_is_strict_json_schema(name: str) -> None:
    """Every object with fixed keys refuses others; jsonschema (when installed) agrees."""
    schema = _read("schemas", name)

    def walk(node: object, where: str) -> None:
        if isinstance(node, dict):
            if "properties" in node:
                assert node.get("additionalProperties") is False, f"{name}.json {where}: additionalProperties"
            for key, value in node.items():
                walk(value, f"{where}/{key}")
        elif isinstance(node, list):
            for i, value in enumerate(node):
                walk(value, f"{where}/{i}")

    walk(schema, "")
    jsonschema = pytest.importorskip("jsonschema")
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.Draft202012Validator(schema).validate(_read("data", name))


@pytest.mark.parametrize("name", DATA)
def test_no_declared_key_is_unread(name: str) -> None:
    """A key the schema declares is named somewhere in pipeline/ (as ``["key"]``,
    ``.get("key")`` …); a key nobody reads goes, from the data and the schema."""
    schema = _read("schemas", name)
    literals = _string_literals()
    unread = [
        f"{path}/{key}"
        for path, key in _fixed_keys(schema, schema)
        if key not in DOC_KEYS and key not in literals and key not in {"text", "why"}
    ]
    assert not unread, f"{name}.json: keys no code reads: {unread}"


@pytest.mark.parametrize("name", DATA)
def test_every_data_file_is_loaded_by_the_code(name: str) -> None:
    code = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "pipeline").rglob("*.py"))
    assert f'load("{name}")' in code or f"data/{name}.json" in code


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        ({"prefixes": {}, "not_a_name": [], "deputy_titles": [], "extra": []}, "/: unknown key 'extra'"),
        ({"_comment": "", "prefixes": {}, "not_a_name": []}, "/: missing key 'deputy_titles'"),
        ({"prefixes": {"KT.": "KT"}, "not_a_name": [], "deputy_titles": []}, "/prefixes/KT.: expected array"),
        ({"prefixes": {}, "not_a_name": ["Đã ký", 3], "deputy_titles": []}, "/not_a_name/1: expected string"),
    ],
)
def test_a_bad_data_file_is_named_with_its_key(data: dict, problem: str) -> None:
    with pytest.raises(RulesDataError) as err:
        check(data, _read("schemas", "signer"), "pipeline/rules/data/signer.json")
    assert str(err.value).startswith(f"pipeline/rules/data/signer.json: {problem}")


def test_a_nested_unknown_key_is_refused() -> None:
    data = _read("data", "doc_types")
    data["types"][0]["cite"] = True
    with pytest.raises(RulesDataError, match=r"doc_types.json: /types/0: unknown key 'cite'"):
        check(data, _read("schemas", "doc_types"), "pipeline/rules/data/doc_types.json")


def test_an_entry_with_its_reason_is_read_as_its_text() -> None:
    schema = _read("schemas", "layout")
    data = {
        "issuer_continuations": ["TỈNH", {"text": "VÀ ", "why": "a name wrapped before 'và'"}],
        "authority_titles": [],
        "title_ends": [],
        "stamp_fields": [],
        "after_letter": {"appendix": [], "draft": [], "copy": []},
    }
    assert check(data, schema, "layout.json")["issuer_continuations"] == ["TỈNH", "VÀ "]
    data["issuer_continuations"] = [{"text": "VÀ ", "because": "?"}]
    with pytest.raises(RulesDataError, match="issuer_continuations/0: matches none of"):
        check(data, schema, "layout.json")


def test_the_checker_refuses_a_keyword_it_does_not_check() -> None:
    with pytest.raises(RulesDataError, match="does not understand"):
        check("x", {"type": "string", "pattern": "^x$"}, "x.json")


def test_rules_are_loaded_on_first_use_not_at_import() -> None:
    """No module of pipeline/ calls rules(), patterns() or load() at import (a regex built from
    the rules at module level is built at first use instead, with functools.cache)."""
    offenders = []
    for path in sorted((ROOT / "pipeline").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for stmt in tree.body:
            if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                continue
            for node in ast.walk(stmt):
                if isinstance(node, ast.Call) and getattr(node.func, "id", None) in {"rules", "patterns", "load"}:
                    offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert not offenders


def test_derived_lookups() -> None:
    r = rules()
    assert r.type_by_title("'KẾ HOẠCH:") == "Kế hoạch"
    assert r.type_by_abbr("QĐ") == "Quyết định"
    assert r.type_by_name("thông tư liên tịch") == "Thông tư liên tịch"
    assert r.letter_type == "Công văn"
    assert patterns().distribution_label.match("Nơinhận:")
