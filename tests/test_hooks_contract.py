"""The hook contract: every hook is documented (docstring and plugin guide) and tested.

Adding a hook to ``backlint.hookspecs`` without a docstring, without a section in
docs/plugins.md, or without an entry in HOOK_TESTS naming a test that exercises it fails here.
"""

from __future__ import annotations

import ast
import inspect
from pathlib import Path

import pytest

from backlint import hookspecs
from backlint.plugins import DEFAULT_PLUGINS, load_plugins

ROOT = Path(__file__).resolve().parents[1]

#: hook name → tests in which a plugin implements the hook and the test checks the effect.
HOOK_TESTS = {
    "register_rules": [
        "tests/test_plugins.py::test_entry_point_plugin_rule_shows_in_rules_plugins_and_audit",
        "tests/test_plugins.py::test_plugins_dir_rule_shows_in_rules_plugins_and_audit",
    ],
    "register_trackers": ["tests/test_plugins.py::test_plugin_reporter_and_tracker"],
    "register_reporters": ["tests/test_plugins.py::test_plugin_reporter_and_tracker"],
    "register_commands": ["tests/test_plugins.py::test_plugin_command"],
}


def hook_specs() -> dict[str, object]:
    """Every function in hookspecs carrying the ``backlint`` hookspec marker."""
    return {
        name: func
        for name, func in inspect.getmembers(hookspecs, inspect.isfunction)
        if hasattr(func, "backlint_spec")
    }


def test_the_table_lists_exactly_the_hooks():
    assert sorted(HOOK_TESTS) == sorted(hook_specs())


@pytest.mark.parametrize("name", sorted(hook_specs()))
def test_hook_has_a_docstring_that_says_when_it_is_called(name):
    doc = inspect.getdoc(hook_specs()[name]) or ""
    assert len(doc.split()) >= 15, f"hookspec {name} needs a docstring"
    assert "Called" in doc, f"hookspec {name}'s docstring should say when it is called"


@pytest.mark.parametrize("name", sorted(hook_specs()))
def test_hook_is_documented_in_the_plugin_guide(name):
    guide = (ROOT / "docs" / "plugins.md").read_text(encoding="utf-8")
    assert f"`{name}" in guide, f"docs/plugins.md does not document {name}"


@pytest.mark.parametrize("name", sorted(hook_specs()))
def test_hook_has_a_test_that_exercises_it(name):
    for target in HOOK_TESTS[name]:
        path, _, function_name = target.partition("::")
        source = (ROOT / path).read_text(encoding="utf-8")
        functions = {
            node.name for node in ast.parse(source).body if isinstance(node, ast.FunctionDef)
        }
        assert function_name in functions, f"{target} (listed for {name}) does not exist"
        assert f"def {name}(" in source, f"{path} never implements {name}"


def test_default_plugins_implement_only_known_hooks():
    registry = load_plugins((), environ={"BACKLINT_LOAD_PLUGINS": ""})
    registry.manager.check_pending()  # raises for a hookimpl whose name has no hookspec
    for name in DEFAULT_PLUGINS:
        plugin = registry.manager.get_plugin(name)
        assert registry.manager.get_hookcallers(plugin), f"{name} implements no hook"


def test_documented_tracker_signature_matches_the_call():
    """The register_trackers docstring names ``open(source, config)`` and ``writable``; the
    Tracker protocol and the pipeline's call agree with it."""
    from backlint.trackers.base import Tracker

    doc = inspect.getdoc(hookspecs.register_trackers) or ""
    assert "``open(source, config)``" in doc and "``writable``" in doc
    assert list(inspect.signature(Tracker.open).parameters) == ["self", "source", "config"]
    assert "writable" in Tracker.__annotations__
    pipeline = (ROOT / "src" / "backlint" / "audit.py").read_text(encoding="utf-8")
    calls = [
        node
        for node in ast.walk(ast.parse(pipeline))
        if isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "open"
    ]
    assert calls and all(len(c.args) == 2 and not c.keywords for c in calls)


def test_the_plugin_api_is_importable_from_the_package():
    import backlint

    for name in ("hookimpl", "rule", "Violation", "RuleContext", "Ticket", "Finding", "Severity"):
        assert name in backlint.__all__ and getattr(backlint, name)
