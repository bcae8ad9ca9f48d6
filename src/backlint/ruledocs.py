"""Rule documentation from rule docstrings: ``backlint rules`` and ``docs/rules.md``."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from backlint.model import FAMILIES
from backlint.rule import Rule


def list_rules(rules: Mapping[str, Rule], origins: Mapping[str, str]) -> str:
    """One line per rule: code, name, family, default severity, and plugin when not built in."""
    lines = []
    for code in sorted(rules):
        rule = rules[code]
        origin = origins.get(code, "")
        where = "" if origin.startswith("backlint.") else f"  [{origin}]"
        if rule.origin.startswith("pack:"):  # declarative rules: say which pack enables them
            where = f"  [pack {Path(rule.origin[5:]).stem}]"
        summary = rule.doc_sections().get("What", "").split("\n")[0]
        lines.append(
            f"{code:<7} {rule.name:<34} {rule.family:<20} {rule.severity.value:<8} "
            f"{summary}{where}".rstrip()
        )
    return "\n".join(lines)


def explain_rule(rule: Rule) -> str:
    """The full documentation of one rule, as ``backlint rules CODE`` prints it."""
    sections = rule.doc_sections()
    lines = [f"{rule.code} {rule.name}", ""]
    lines.append(f"Family: {rule.family}    Default severity: {rule.severity.value}")
    if rule.kinds:
        lines.append(f"Applies to: {', '.join(sorted(rule.kinds))}")
    if rule.origin.startswith("pack:"):
        pack = rule.origin[5:]
        lines.append(f'Pack: {Path(pack).stem} (runs when the config has packs = ["{pack}"])')
    lines.append("")
    for name in ("What", "Why", "Example", "Fix"):
        if sections.get(name):
            lines += [f"{name}:", _indent(sections[name]), ""]
    if rule.options:
        lines.append("Options:")
        for option, default in rule.options.items():
            lines.append(f"  {option} = {default!r}")
        if sections.get("Options"):
            lines.append(_indent(sections["Options"]))
    return "\n".join(lines).rstrip() + "\n"


def _indent(text: str) -> str:
    return "\n".join(("  " + line) if line else "" for line in text.splitlines())


def rules_markdown(rules: Mapping[str, Rule]) -> str:
    """``docs/rules.md``: every rule's documentation, grouped by family."""
    out = [
        "# Rules",
        "",
        "Generated from the rules' docstrings by `python -m backlint.ruledocs`; a test keeps it",
        "in sync. `backlint rules CODE` prints the same text.",
        "",
        "| code | name | family | severity |",
        "|---|---|---|---|",
    ]
    ordered = sorted(rules.values(), key=lambda r: r.code)
    out += [
        f"| [{r.code}](#{r.code.lower()}) | {r.name} | {r.family} | {r.severity.value} |"
        for r in ordered
    ]
    families = [f for f in FAMILIES if any(r.family == f for r in ordered)]
    families += sorted({r.family for r in ordered} - set(families))
    for family in families:
        out += ["", f"## {family}"]
        for rule in (r for r in ordered if r.family == family):
            out += ["", f"### {rule.code}", "", "```text", explain_rule(rule).rstrip(), "```"]
    return "\n".join(out) + "\n"


if __name__ == "__main__":  # python -m backlint.ruledocs > docs/rules.md
    import os

    from backlint.plugins import load_plugins

    registry = load_plugins((), environ={**os.environ, "BACKLINT_LOAD_PLUGINS": ""})
    built_in = {
        c: r for c, r in registry.rules.items() if registry.rule_origin[c].startswith("backlint.")
    }
    print(rules_markdown(built_in), end="")
