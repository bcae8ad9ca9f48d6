"""The hook contract: every hook is documented (docstring and plugin guide) and tested.

Adding a hook to ``backlint.hookspecs`` without a docstring, without a section in
docs/plugins.md, or without an entry in HOOK_TESTS naming a test that exercises it fails here.
"""

from __future__ import annotations

import importlib
import inspect
from pathlib import Path

import pytest

from backlint import hookspecs
from backlint.plugins import DEFAULT_PLUGINS, load_plugins

ROOT = Path(__file__).resolve().parents[1]

#: hook name → tests that make a plugin implement it and check the effect, as
#: "module::function" (pytest puts tests/ on sys.path).
HOOK_TESTS = {
    "register_rules": [
        "test_plugins::test_entry_point_plugin_rule_shows_in_rules_plugins_and_audit",
        "test_plugins::test_plugins_dir_rule_shows_in_rules_plugins_and_audit",
    ],
    "register_trackers": ["test_plugins::test_plugin_reporter_and_tracker"],
    "register_reporters": ["test_plugins::test_plugin_reporter_and_tracker"],
    "register_commands": ["test_plugins::test_plugin_command"],
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
        module_name, _, function_name = target.partition("::")
        module = importlib.import_module(module_name)
        test = getattr(module, function_name, None)
        assert callable(test), f"{target} (listed for {name}) does not exist"
        assert name in inspect.getsource(module), f"{module_name} never implements {name}"


def test_default_plugins_implement_only_known_hooks():
    registry = load_plugins((), environ={"BACKLINT_LOAD_PLUGINS": ""})
    registry.manager.check_pending()  # raises for a hookimpl whose name has no hookspec
    for name in DEFAULT_PLUGINS:
        plugin = registry.manager.get_plugin(name)
        assert registry.manager.get_hookcallers(plugin), f"{name} implements no hook"
