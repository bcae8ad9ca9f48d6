"""The measures of done of the architecture (docs/architecture.md) as tests: no import cycle,
a small top level, short modules, and layers that point forwards only.

Every module under ``src/backlint`` is parsed with :mod:`ast`; imports inside functions count
too, since hiding an import in a function does not remove the dependency.
"""

from __future__ import annotations

import ast
import dataclasses
from functools import cache
from pathlib import Path

import pytest

from backlint.model import Ticket

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "backlint"
MAX_TOP_LEVEL_MODULES = 12
MAX_MODULE_LINES = 400

#: (importer prefix, forbidden prefixes): what a layer must never import.
LAYERS = [
    (
        "backlint.rules",
        ("backlint.trackers", "backlint.cli", "backlint.action", "backlint.reporters"),
    ),
    (
        "backlint.trackers",
        ("backlint.writeback.planner", "backlint.cli", "backlint.action", "backlint.reporters"),
    ),
    ("backlint.reporters", ("backlint.trackers", "backlint.cli", "backlint.action")),
    ("backlint.config", ("backlint.writeback.planner",)),
    ("backlint.history", ("backlint.reporters", "backlint.cli", "backlint.action")),
    (
        "backlint.report",
        ("backlint.audit", "backlint.plugins", "backlint.trackers", "backlint.cli"),
    ),
]


@cache
def modules() -> dict[str, Path]:
    """Every backlint module by dotted name (a package by its ``__init__``)."""
    found = {}
    for path in PACKAGE.rglob("*.py"):
        parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


def _owner(name: str) -> str | None:
    """The backlint module ``name`` lives in (``backlint.a.b.C`` → ``backlint.a.b``)."""
    known = modules()
    while name and name not in known:
        name = name.rpartition(".")[0]
    return name or None


@cache
def imports() -> dict[str, frozenset[str]]:
    """module → the backlint modules it imports, at any depth of the file."""
    known = modules()
    graph = {}
    for name, path in known.items():
        found: set[str | None] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                found.update(_owner(a.name) for a in node.names if a.name.startswith("backlint"))
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    package = (
                        name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
                    )
                    package = package[: len(package) - node.level + 1]
                    base = ".".join([*package, *([node.module] if node.module else [])])
                if not base.startswith("backlint"):
                    continue
                for alias in node.names:
                    full = f"{base}.{alias.name}"
                    found.add(full if full in known else _owner(base))
        found.discard(None)
        found.discard(name)
        graph[name] = frozenset(m for m in found if m)
    return graph


def cycles(graph: dict[str, frozenset[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def test_the_cycle_finder_finds_a_hidden_cycle():
    graph = {"a": frozenset({"b"}), "b": frozenset({"c"}), "c": frozenset({"a"}), "d": frozenset()}
    assert cycles(graph) == [["a", "b", "c"]]
    assert cycles({"a": frozenset({"b"}), "b": frozenset()}) == []


def test_function_level_imports_count():
    # action.command imports action.steps inside run_action: the graph must see it.
    assert "backlint.action.steps" in imports()["backlint.action.command"]


def test_no_import_cycle_among_backlint_modules():
    assert cycles(imports()) == []


def test_few_modules_directly_in_the_package():
    top = sorted(p.name for p in PACKAGE.glob("*.py"))
    assert len(top) <= MAX_TOP_LEVEL_MODULES, top


def test_no_module_is_over_400_lines():
    long = {
        name: count
        for name, path in modules().items()
        if (count := len(path.read_text(encoding="utf-8").splitlines())) > MAX_MODULE_LINES
    }
    assert long == {}


@pytest.mark.parametrize(("layer", "forbidden"), LAYERS, ids=[layer for layer, _ in LAYERS])
def test_layers_point_forwards_only(layer, forbidden):
    wrong = sorted(
        f"{module} imports {target}"
        for module, targets in imports().items()
        if module == layer or module.startswith(layer + ".")
        for target in targets
        if any(target == f or target.startswith(f + ".") for f in forbidden)
    )
    assert wrong == []


def test_write_back_state_and_load_errors_are_typed_not_magic_keys():
    assert "load_error" in {f.name for f in dataclasses.fields(Ticket)}
    assert Ticket(key="A-1", tracker="file", load_error="odd").load_error == "odd"
    magic = sorted(
        f"{name}: {key}"
        for name, path in modules().items()
        if name != "backlint.model"  # its deprecated-spelling shim for older tracker plugins
        for key in ('"load_error"', '"backlint_comment"')
        if key in path.read_text(encoding="utf-8")
    )
    assert magic == []
