"""The rule catalogue as a whole: docs, fixtures, measured precision/recall, purity, docs sync.

Every registered rule must document What / Why / Example / Fix (and Options when it has any).
Every rule of the four families in tests/fixtures/rules/ (clarity, acceptance-criteria,
objective-link, priority) must have at least three tickets it flags and three it leaves alone,
and on those labelled cases each family must reach precision and recall of at least 0.95.
"""

from __future__ import annotations

import ast
import importlib
import os
import pkgutil
import subprocess
import sys
from pathlib import Path

import pytest
from fakes.casebook import all_cases, findings_for

import backlint.rules
from backlint.engine.ruledocs import rules_markdown
from backlint.plugins import load_plugins

ROOT = Path(__file__).resolve().parents[2]
FAMILIES = ("clarity", "acceptance-criteria", "objective-link", "priority")
FORBIDDEN_IMPORTS = (
    "httpx",
    "github",
    "jira",
    "click",
    "requests",
    "urllib",
    "socket",
    "backlint.trackers",
    "backlint.cli.main",
    "pathlib",
    "os",
)

REGISTRY = load_plugins((), environ={"BACKLINT_LOAD_PLUGINS": ""})
BUILT_IN = {
    code: rule
    for code, rule in REGISTRY.rules.items()
    if REGISTRY.rule_origin[code].startswith("backlint.")
}
#: Rules written in Python (rule packs are declarative and documented by their pack files).
PYTHON_RULES = sorted(
    code for code, rule in BUILT_IN.items() if not rule.origin.startswith("pack:")
)
#: The built-in Python rules of the four judgement families: each keeps casebook fixtures.
OURS = sorted(
    code
    for code, rule in BUILT_IN.items()
    if rule.family in FAMILIES and rule.origin.startswith("backlint.rules.")
)
CASES = all_cases()


@pytest.mark.parametrize("code", PYTHON_RULES)
def test_every_rule_documents_what_why_example_fix(code: str) -> None:
    rule = BUILT_IN[code]
    sections = rule.doc_sections()
    missing = [name for name in ("What", "Why", "Example", "Fix") if not sections.get(name)]
    if rule.options and not sections.get("Options"):
        missing.append("Options")
    assert not missing, f"{code} {rule.name}: docstring lacks {', '.join(missing)}"


@pytest.mark.parametrize("code", OURS)
def test_every_rule_has_three_flag_and_three_pass_cases(code: str) -> None:
    flags = [c for c in CASES if c.rule == code and c.expect == "flag"]
    passes = [c for c in CASES if c.rule == code and c.expect == "pass"]
    assert len(flags) >= 3 and len(passes) >= 3, (
        f"{code}: {len(flags)} must-flag and {len(passes)} must-not-flag cases in "
        "tests/fixtures/rules/ (at least 3 of each)"
    )


def test_rules_of_other_families_have_cases_or_tests_of_their_own() -> None:
    """Other families keep their cases in their own format (the hygiene tables, the staleness
    tests): a rule with no casebook case must at least be named by a rules test module."""
    others = sorted(code for code in PYTHON_RULES if code not in OURS)
    uncovered = [code for code in others if not any(c.rule == code for c in CASES)]
    own_tests = " ".join(
        path.read_text(encoding="utf-8")
        for path in (ROOT / "tests" / "rules").glob("test_*.py")
        if path.name != Path(__file__).name
    )
    untested = [code for code in uncovered if code not in own_tests]
    assert untested == [], f"rules with no case and no test naming them: {untested}"


@pytest.mark.parametrize("family", FAMILIES)
def test_precision_and_recall_per_family(family: str) -> None:
    cases = [c for c in CASES if c.rule in OURS and BUILT_IN[c.rule].family == family]
    tp = fp = fn = 0
    for case in cases:
        flagged = bool(findings_for(case, BUILT_IN))
        bad = case.expect == "flag"
        tp += bad and flagged
        fp += flagged and not bad
        fn += bad and not flagged
    precision = tp / max(1, tp + fp)
    recall = tp / max(1, tp + fn)
    assert cases and precision >= 0.95 and recall >= 0.95, (family, precision, recall)


def test_docs_rules_md_is_generated_from_the_rules() -> None:
    path = ROOT / "docs" / "rules.md"
    assert path.read_text(encoding="utf-8") == rules_markdown(BUILT_IN), (
        "docs/rules.md is out of date: run `python -m backlint.engine.ruledocs > docs/rules.md`"
    )


def test_ruledocs_module_prints_the_same_file() -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "BACKLINT_LOAD_PLUGINS": ""}
    out = subprocess.run(
        [sys.executable, "-m", "backlint.engine.ruledocs"],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    ).stdout
    assert out == (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")


#: Every module of the rules package, its subpackages included (the text analysis and the
#: duplicate search the rules call), not a list that a new module could be left out of.
ALL_RULE_MODULES = sorted(
    m.name
    for m in pkgutil.walk_packages(backlint.rules.__path__, prefix="backlint.rules.")
    if not m.ispkg
)


@pytest.mark.parametrize("module", ALL_RULE_MODULES)
def test_rule_modules_do_no_io(module: str) -> None:
    source = Path(importlib.import_module(module).__file__).read_text(encoding="utf-8")
    imported = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            imported |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            imported.add(node.module)
        elif isinstance(node, ast.Call) and getattr(node.func, "id", "") == "open":
            imported.add("open()")
    bad = {
        name
        for name in imported
        if name == "open()" or any(name == f or name.startswith(f + ".") for f in FORBIDDEN_IMPORTS)
    }
    assert not bad, f"{module} imports {sorted(bad)}"
