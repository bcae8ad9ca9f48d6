"""Which rules run, at which severity, with which options.

Selectors are rule codes (``BL201``), code prefixes (``BL2``), rule names
(``missing-acceptance-criteria``), family names (``clarity``) or ``ALL``. ``select`` sets the
base, ``extend-select`` adds to it, ``ignore`` removes. ``[rules.CODE]`` (or ``[rules.name]``)
tables set ``severity`` and options; an unknown code, option or option type is a config error.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace
from types import MappingProxyType
from typing import Any

from backlint.config import Config
from backlint.errors import ConfigError
from backlint.model import Severity
from backlint.rule import Rule


def matches(selector: str, rule: Rule) -> bool:
    """True when ``selector`` picks ``rule``."""
    if selector == "ALL":
        return True
    upper = selector.upper()
    return rule.code.startswith(upper) or selector in (rule.name, rule.family)


def resolve_selector_rules(selectors: Iterable[str], rules: Mapping[str, Rule], where: str):
    """The codes each selector picks; a selector that picks nothing is a config error."""
    picked: set[str] = set()
    for selector in selectors:
        found = {code for code, rule in rules.items() if matches(selector, rule)}
        if not found:
            raise ConfigError(f"{where}: unknown rule or prefix {selector!r}")
        picked |= found
    return picked


def select_rules(config: Config, rules: Mapping[str, Rule]) -> list[Rule]:
    """The rules this run uses, with config severities and options applied, sorted by code."""
    where = str(config.path) if config.path else "config"
    chosen = resolve_selector_rules(config.select, rules, where)
    chosen |= resolve_selector_rules(config.extend_select, rules, where)
    chosen -= resolve_selector_rules(config.ignore, rules, where)
    by_name = {rule.name: code for code, rule in rules.items()}
    tuned: dict[str, Rule] = {code: rules[code] for code in chosen}
    for key, table in config.rules.items():
        code = key.upper() if key.upper() in rules else by_name.get(key)
        if code is None:
            raise ConfigError(f"{where}: rules.{key}: unknown rule")
        if code in tuned:
            tuned[code] = _tune(tuned[code], table, f"{where}: rules.{key}")
    return [tuned[code] for code in sorted(tuned)]


def _tune(rule: Rule, table: Mapping[str, Any], where: str) -> Rule:
    options = dict(rule.options)
    severity = rule.severity
    for option, value in table.items():
        if option == "severity":
            severity = Severity.parse(value)
            continue
        if option not in options:
            known = ", ".join(sorted(options)) or "none"
            raise ConfigError(f"{where}: unknown option {option!r} (options: {known})")
        default = options[option]
        if default is not None and not _same_type(default, value):
            raise ConfigError(f"{where}.{option}: expected {type(default).__name__}, got {value!r}")
        options[option] = value
    return replace(rule, severity=severity, options=MappingProxyType(options))


def _same_type(default: Any, value: Any) -> bool:
    if isinstance(default, bool) or isinstance(value, bool):
        return isinstance(default, bool) and isinstance(value, bool)
    if isinstance(default, float) and isinstance(value, int):
        return True
    if isinstance(default, (list, tuple)):
        return isinstance(value, (list, tuple))
    if isinstance(default, Mapping):
        return isinstance(value, Mapping)
    return isinstance(value, type(default))
