"""A small JSON Schema checker for the rule data (``schemas/<name>.json``).

It understands the subset the schemas use: ``type`` (object, array, string, boolean),
``properties``, ``required``, ``additionalProperties`` (``false`` or a schema),
``items``, ``prefixItems``, ``minItems``/``maxItems``, ``anyOf``, ``$ref`` to ``#/$defs/…``,
and the annotations ``$schema``, ``title``, ``description``. Any other keyword in a schema
is an error, so a schema never promises a check that is not made.

``check`` returns the data with each ``{"text": …, "why": …}`` entry (``#/$defs/entry``)
read as its text: the reason is for the people who maintain the rule, not for the code.
"""

from __future__ import annotations

from typing import Any

ENTRY_REF = "#/$defs/entry"
_ANNOTATIONS = {"$schema", "$defs", "title", "description"}
_KEYWORDS = _ANNOTATIONS | {
    "type",
    "properties",
    "required",
    "additionalProperties",
    "items",
    "prefixItems",
    "minItems",
    "maxItems",
    "anyOf",
    "$ref",
}
_TYPES: dict[str, type] = {"object": dict, "array": list, "string": str, "boolean": bool}


class RulesDataError(ValueError):
    """A rule data file that does not follow its schema; the message names the file and the key."""


def check(value: Any, schema: dict, where: str) -> Any:
    """``value`` checked against ``schema`` (the root of a schema file); ``where`` names
    the data file in error messages. Returns ``value`` with entries read as their text."""
    return _Checker(schema, where).check(value, schema, "")


class _Checker:
    def __init__(self, root: dict, where: str):
        self.root = root
        self.where = where

    def fail(self, path: str, problem: str) -> RulesDataError:
        return RulesDataError(f"{self.where}: {path or '/'}: {problem}")

    def resolve(self, ref: str, path: str) -> dict:
        if not ref.startswith("#/$defs/") or ref[len("#/$defs/") :] not in self.root.get("$defs", {}):
            raise self.fail(path, f"the schema refers to {ref!r}, which it does not define")
        return self.root["$defs"][ref[len("#/$defs/") :]]

    def check(self, value: Any, schema: dict, path: str) -> Any:
        unknown = set(schema) - _KEYWORDS
        if unknown:
            raise self.fail(path, f"the schema uses {sorted(unknown)}, which this checker does not understand")
        if "$ref" in schema:
            checked = self.check(value, self.resolve(schema["$ref"], path), path)
            return checked["text"] if schema["$ref"] == ENTRY_REF and isinstance(checked, dict) else checked
        if "anyOf" in schema:
            return self.any_of(value, schema["anyOf"], path)
        kind = schema.get("type")
        if kind is not None:
            if kind not in _TYPES:
                raise self.fail(path, f"the schema names an unknown type {kind!r}")
            if not isinstance(value, _TYPES[kind]):
                raise self.fail(path, f"expected {kind}, found {type(value).__name__} {value!r:.60}")
        if isinstance(value, dict):
            return self.object(value, schema, path)
        if isinstance(value, list):
            return self.array(value, schema, path)
        return value

    def any_of(self, value: Any, options: list[dict], path: str) -> Any:
        problems = []
        for option in options:
            try:
                return self.check(value, option, path)
            except RulesDataError as exc:
                problems.append(str(exc).removeprefix(f"{self.where}: "))
        raise self.fail(path, "matches none of: " + "; ".join(problems))

    def object(self, value: dict, schema: dict, path: str) -> dict:
        props = schema.get("properties", {})
        for key in schema.get("required", ()):
            if key not in value:
                raise self.fail(path, f"missing key {key!r}")
        extra = schema.get("additionalProperties", True)
        out = {}
        for key, item in value.items():
            where = f"{path}/{key}"
            if key in props:
                out[key] = self.check(item, props[key], where)
            elif extra is False:
                raise self.fail(path, f"unknown key {key!r} (declare it in the schema or remove it)")
            elif isinstance(extra, dict):
                out[key] = self.check(item, extra, where)
            else:
                out[key] = item
        return out

    def array(self, value: list, schema: dict, path: str) -> list:
        if len(value) < schema.get("minItems", 0):
            raise self.fail(path, f"expected at least {schema['minItems']} items, found {len(value)}")
        if "maxItems" in schema and len(value) > schema["maxItems"]:
            raise self.fail(path, f"expected at most {schema['maxItems']} items, found {len(value)}")
        firsts = schema.get("prefixItems", [])
        rest = schema.get("items", True)
        out = []
        for i, item in enumerate(value):
            sub = firsts[i] if i < len(firsts) else rest
            if sub is False:
                raise self.fail(path, f"expected at most {len(firsts)} items, found {len(value)}")
            out.append(self.check(item, sub, f"{path}/{i}") if isinstance(sub, dict) else item)
        return out
