"""The shape of the code (issue 15), checked on the source with ``ast``: no import cycle,
small modules and functions, ``VANTHU_*`` read in one place, no terminal or template
libraries in ``flows/``, and imports that only point down the layers.

Imports inside functions count as edges like the others. The layers, lowest first:
``models`` ← ``pipeline`` ← ``flows`` ← the app (``vanthu/*.py``, ``vanthu/views/``,
``vanthu/samplegen/``); inside ``pipeline``:
``run → extract → read/fields → ocr/layout → rules → text``, with ``errors``, ``settings``
and ``provenance`` at the bottom (see docs/developers/architecture.md).
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
# source folder -> the package it installs as (pyproject.toml's package-dir)
PACKAGE_DIRS = {"vanthu": "vanthu", "models": "vanthu.models", "pipeline": "vanthu.pipeline", "flows": "vanthu.flows"}
MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 60
SETTINGS_MODULE = "vanthu.pipeline.settings"
FLOWS_FORBIDDEN = {"argparse", "rich", "jinja2"}

# layers of the project, lowest first; a module may import its own layer and those below
LAYERS = {"models": 0, "pipeline": 1, "flows": 2, "app": 3}
# inside pipeline, lowest first; peers share a rank (read/fields, ocr/layout)
PIPELINE_RANKS = {
    "errors": 0,
    "settings": 0,
    "provenance": 0,
    "warnings": 0,  # the wording of every warning (pipeline/warnings.py)
    "i18n": 0,  # the message catalogs (pipeline/i18n.py)
    "locale": 0,
    "text": 1,
    "rules": 2,
    "ocr": 3,
    "layout": 3,
    "read": 4,
    "fields": 4,
    "tasks": 4,  # the record's task list, built from the fields
    "extract": 5,
    "run": 6,
}


@dataclass
class Module:
    name: str  # dotted, as installed: vanthu.pipeline.ocr.pages
    path: Path
    tree: ast.Module
    imports: list[tuple[str, int]] = field(default_factory=list)  # (imported module, line)

    @property
    def rel(self) -> str:
        return self.path.relative_to(ROOT).as_posix()

    @property
    def is_package(self) -> bool:
        return self.path.name == "__init__.py"


def _module_name(path: Path) -> str:
    rel = path.relative_to(ROOT)
    parts = list(rel.with_suffix("").parts)
    base = PACKAGE_DIRS[parts[0]]
    rest = parts[1:]
    if rest and rest[-1] == "__init__":
        rest = rest[:-1]
    return ".".join([base, *rest])


@cache
def project_modules() -> dict[str, Module]:
    modules: dict[str, Module] = {}
    for folder in PACKAGE_DIRS:
        for path in sorted((ROOT / folder).rglob("*.py")):
            tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
            module = Module(_module_name(path), path, tree)
            modules[module.name] = module
    for module in modules.values():
        module.imports = list(_imports(module, modules))
    return modules


def _resolve_relative(module: Module, level: int, target: str | None) -> str:
    package = module.name if module.is_package else module.name.rpartition(".")[0]
    for _ in range(level - 1):
        package = package.rpartition(".")[0]
    return f"{package}.{target}" if target else package


def _project_prefix(name: str, modules: dict[str, Module]) -> str | None:
    """The longest project module that ``name`` is or lies inside."""
    while name:
        if name in modules:
            return name
        name = name.rpartition(".")[0]
    return None


def _imports(module: Module, modules: dict[str, Module]):
    """Every project module ``module`` imports, at any depth of its code: ``from x import y``
    counts as importing ``x.y`` when that is a module, else ``x``."""
    for node in ast.walk(module.tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                target = _project_prefix(alias.name, modules)
                if target:
                    yield target, node.lineno
        elif isinstance(node, ast.ImportFrom):
            base = _resolve_relative(module, node.level, node.module) if node.level else (node.module or "")
            for alias in node.names:
                sub = f"{base}.{alias.name}"
                target = sub if sub in modules else _project_prefix(base, modules)
                if target:
                    yield target, node.lineno


def _external_imports(module: Module):
    for node in ast.walk(module.tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name.partition(".")[0], node.lineno
        elif isinstance(node, ast.ImportFrom) and not node.level and node.module:
            yield node.module.partition(".")[0], node.lineno


def _strongly_connected(graph: dict[str, set[str]]) -> list[list[str]]:
    """Tarjan's algorithm, iterative."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    components: list[list[str]] = []
    counter = 0
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    item = stack.pop()
                    on_stack.discard(item)
                    component.append(item)
                    if item == node:
                        break
                components.append(sorted(component))
    return components


def import_graph() -> dict[str, set[str]]:
    modules = project_modules()
    return {name: {target for target, _ in m.imports if target != name} for name, m in modules.items()}


def layer_of(name: str) -> str | None:
    """models, pipeline, flows or app; None for the root package ``vanthu`` (its
    ``__init__`` only holds ``__version__``, importable from every layer)."""
    if name == "vanthu":
        return None
    for layer in ("models", "pipeline", "flows"):
        if name == f"vanthu.{layer}" or name.startswith(f"vanthu.{layer}."):
            return layer
    return "app"


def pipeline_rank(name: str) -> int | None:
    """The rank of a pipeline module (its subpackage or top-level module); None for the
    package ``vanthu.pipeline`` itself."""
    parts = name.split(".")
    if parts[:2] != ["vanthu", "pipeline"] or len(parts) < 3:
        return None
    return PIPELINE_RANKS.get(parts[2], -1)


# ---------------------------------------------------------------------------- the checks


def test_the_checker_sees_the_project() -> None:
    modules = project_modules()
    assert "vanthu.pipeline.settings" in modules and "vanthu.models" in modules
    assert sum(len(m.imports) for m in modules.values()) > 50


def test_strongly_connected_components_finds_a_loop() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert [c for c in _strongly_connected(graph) if len(c) > 1] == [["a", "b", "c"]]


def test_no_import_cycle() -> None:
    cycles = [c for c in _strongly_connected(import_graph()) if len(c) > 1]
    assert not cycles, "import cycles (imports inside functions count): " + "; ".join(" <-> ".join(c) for c in cycles)


def test_no_module_over_400_lines() -> None:
    long = {
        m.rel: n
        for m in project_modules().values()
        if (n := len(m.path.read_text(encoding="utf-8").splitlines())) > MAX_MODULE_LINES
    }
    assert not long, f"modules over {MAX_MODULE_LINES} lines: {long}"


def test_no_function_over_60_lines() -> None:
    long = {}
    for m in project_modules().values():
        for node in ast.walk(m.tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                n = (node.end_lineno or node.lineno) - node.lineno + 1
                if n > MAX_FUNCTION_LINES:
                    long[f"{m.rel}:{node.lineno} {node.name}"] = n
    assert not long, f"functions over {MAX_FUNCTION_LINES} lines: {long}"


def _module_strings(tree: ast.Module) -> dict[str, str]:
    """Module-level names bound to a string constant: ``ENV_PREFIX = "VANTHU_"``."""
    names = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str):
            for target in node.targets:
                if isinstance(target, ast.Name):
                    names[target.id] = node.value.value
    return names


def _mentions_vanthu(node: ast.AST, strings: dict[str, str]) -> bool:
    for sub in ast.walk(node):
        if isinstance(sub, ast.Constant) and isinstance(sub.value, str) and sub.value.startswith("VANTHU_"):
            return True
        if isinstance(sub, ast.Name) and strings.get(sub.id, "").startswith("VANTHU_"):
            return True
    return False


def _is_environ(node: ast.AST) -> bool:
    """``os.environ`` or a bare ``environ``."""
    if isinstance(node, ast.Attribute):
        return node.attr == "environ" and isinstance(node.value, ast.Name) and node.value.id == "os"
    return isinstance(node, ast.Name) and node.id == "environ"


def reads_vanthu_variables(tree: ast.Module) -> list[int]:
    """Lines that read a ``VANTHU_*`` variable from the environment: ``os.environ.get(...)``,
    ``os.environ[...]``, ``os.getenv(...)``, ``... in os.environ``."""
    strings = _module_strings(tree)
    lines = []
    for node in ast.walk(tree):
        key: ast.AST | None = None
        if isinstance(node, ast.Call) and node.args:
            func = node.func
            is_get = isinstance(func, ast.Attribute) and func.attr in {"get", "pop"} and _is_environ(func.value)
            is_getenv = (isinstance(func, ast.Attribute) and func.attr == "getenv") or (
                isinstance(func, ast.Name) and func.id == "getenv"
            )
            if is_get or is_getenv:
                key = node.args[0]
        elif isinstance(node, ast.Subscript) and isinstance(node.ctx, ast.Load) and _is_environ(node.value):
            key = node.slice
        elif isinstance(node, ast.Compare) and any(_is_environ(c) for c in node.comparators):
            key = node.left
        if key is not None and _mentions_vanthu(key, strings):
            lines.append(node.lineno)
    return lines


def test_the_environment_reader_sees_every_form() -> None:
    source = (
        'import os\nNAME = "VANTHU_X"\na = os.environ.get("VANTHU_A")\nb = os.getenv(NAME)\n'
        'c = os.environ["VANTHU_" + "C"]\nd = "VANTHU_D" in os.environ\ne = os.environ.get("HOME")\n'
    )
    assert reads_vanthu_variables(ast.parse(source)) == [3, 4, 5, 6]


def test_vanthu_variables_are_read_in_one_module() -> None:
    readers = {m.name: lines for m in project_modules().values() if (lines := reads_vanthu_variables(m.tree))}
    assert set(readers) == {SETTINGS_MODULE}, f"VANTHU_* read outside {SETTINGS_MODULE}: {readers}"


def test_flows_import_no_terminal_or_template_library() -> None:
    bad = [
        f"{m.rel}:{line} {name}"
        for m in project_modules().values()
        if layer_of(m.name) == "flows"
        for name, line in _external_imports(m)
        if name in FLOWS_FORBIDDEN
    ]
    assert not bad, f"flows/ imports {sorted(FLOWS_FORBIDDEN)}: {bad}"


def _upward_edges() -> list[str]:
    bad = []
    for m in project_modules().values():
        source = layer_of(m.name)
        if source is None:
            continue
        for target, line in m.imports:
            dest = layer_of(target)
            if dest is not None and LAYERS[dest] > LAYERS[source]:
                bad.append(f"{m.rel}:{line} ({source}) imports {target} ({dest})")
    return bad


def test_layers_import_only_downwards() -> None:
    bad = _upward_edges()
    assert not bad, "models <- pipeline <- flows <- app: " + "; ".join(bad)


def test_pipeline_stages_import_only_downwards() -> None:
    unranked = sorted({m.rel for m in project_modules().values() if pipeline_rank(m.name) == -1})
    assert not unranked, f"pipeline modules with no place in the stage order: {unranked}"
    bad = []
    for m in project_modules().values():
        source = pipeline_rank(m.name)
        if source is None:
            continue
        for target, line in m.imports:
            dest = pipeline_rank(target)
            if dest is not None and dest > source:
                bad.append(f"{m.rel}:{line} imports {target}")
    assert not bad, "run -> extract -> read/fields -> ocr/layout -> rules -> text: " + "; ".join(bad)


def _loads_by_path(tree: ast.Module, folder: str) -> list[int]:
    """Lines that load code from ``folder`` by path: ``spec_from_file_location(..., ROOT /
    "tools" / ...)``, ``sys.path.insert(0, str(ROOT / "tools"))``."""
    lines = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Attribute):
            continue
        func = node.func
        by_spec = func.attr == "spec_from_file_location"
        by_path = func.attr in {"insert", "append"} and ast.unparse(func.value) == "sys.path"
        if (by_spec or by_path) and any(
            isinstance(sub, ast.Constant) and sub.value == folder for arg in node.args for sub in ast.walk(arg)
        ):
            lines.append(node.lineno)
    return lines


@pytest.mark.parametrize("folder", ["tests", "tools"])
def test_tests_and_tools_do_not_import_each_other(folder: str) -> None:
    other = {"tests": "tools", "tools": "tests"}[folder]
    bad = []
    for path in sorted((ROOT / folder).rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        imports = [line for name, line in _external_imports(Module("", path, tree)) if name == other]
        bad += [f"{path.relative_to(ROOT)}:{line}" for line in imports + _loads_by_path(tree, other)]
    assert not bad, (
        f"{folder}/ must not import {other}/ (shared code goes to vanthu/samplegen/ or tests/support/): {bad}"
    )
