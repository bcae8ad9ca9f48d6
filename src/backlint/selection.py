"""Which rules run, at which severity, with which options.

Selectors are rule codes (``BL201``), code prefixes (``BL2``), rule names
(``missing-acceptance-criteria``), family names (``clarity``) or ``ALL``. ``select`` sets the
base, ``extend-select`` adds to it, ``ignore`` and ``extend-ignore`` remove; when selectors
disagree about a rule, the most specific one wins (``BL201`` over ``BL2`` over ``ALL``).
``[rules.CODE]`` (or ``[rules.name]``) tables set ``severity`` and options; an unknown code,
option or option type is a config error.

Rules from declarative packs are selectable only when their pack is enabled (``packs``, directly
or through a profile in ``extends``), so ``ALL`` never mixes, say, the scrum and kanban packs. A
``select`` entry that names a rule of a pack not enabled (``--select KAN101``) enables just that.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace
from types import MappingProxyType
from typing import Any

from backlint.config.config import Config
from backlint.config.profiles import is_path
from backlint.engine.rule import Rule
from backlint.errors import ConfigError
from backlint.model import Severity
from backlint.packs.loading import pack_of, shipped_pack_names


def matches(selector: str, rule: Rule) -> bool:
    """True when ``selector`` picks ``rule``."""
    if selector == "ALL":
        return True
    upper = selector.upper()
    return rule.code.startswith(upper) or selector in (rule.name, rule.family)


def specificity(selector: str, rule: Rule) -> int:
    """How precisely ``selector`` names ``rule``: ALL < a family < a code prefix by its length
    < the rule's full name."""
    if selector == "ALL":
        return 0
    if selector == rule.family:
        return 1
    if selector == rule.name:
        return 1000
    return len(selector)


def resolve_selector_rules(
    selectors: Iterable[str], rules: Mapping[str, Rule], where: str, quiet: bool = False
) -> set[str]:
    """The codes each selector picks; a selector that picks nothing is a config error
    (``quiet``: picks nothing)."""
    picked: set[str] = set()
    for selector in selectors:
        found = {code for code, rule in rules.items() if matches(selector, rule)}
        if not found and not quiet:
            raise ConfigError(f"{where}: unknown rule or prefix {selector!r}")
        picked |= found
    return picked


def enabled_rules(config: Config, rules: Mapping[str, Rule]) -> dict[str, Rule]:
    """The rules ``ALL`` means: code rules, and pack rules whose pack the config enables."""
    where = str(config.path) if config.path else "config"
    packs = set(config.packs)
    loaded = {pack_of(rule) for rule in rules.values()}
    shipped = shipped_pack_names()
    for pack in sorted(packs):
        if not is_path(pack) and pack not in shipped:
            raise ConfigError(
                f"{where}: packs: unknown pack {pack!r} (shipped: {', '.join(shipped)}; "
                "a team pack is a path such as ./team-rules.toml)"
            )
        if is_path(pack) and pack not in loaded:
            raise ConfigError(f"{where}: packs: pack file {pack} was not loaded")
    return {code: rule for code, rule in rules.items() if pack_of(rule) in (None, *packs)}


def select_rules(config: Config, rules: Mapping[str, Rule]) -> list[Rule]:
    """The rules this run uses, with config severities and options applied, sorted by code."""
    where = str(config.path) if config.path else "config"
    enabled = enabled_rules(config, rules)
    # Like ruff, the most specific selector wins: `--select BL201 --ignore BL2` runs BL201,
    # `--select BL2 --ignore BL201` runs the other BL2 rules. On a tie, ignore wins.
    best: dict[str, tuple[int, bool]] = {}
    for selector in (*config.select, *config.extend_select):
        # A selector that picks nothing enabled may name a rule of a pack not enabled.
        found = resolve_selector_rules([selector], enabled, where, quiet=True)
        if not found and selector != "ALL":
            found = resolve_selector_rules([selector], rules, where)
        for code in found:
            rank = specificity(selector, rules[code])
            if code not in best or rank > best[code][0]:
                best[code] = (rank, True)
    for selector in (*config.ignore, *config.extend_ignore):
        for code in resolve_selector_rules([selector], rules, where):
            rank = specificity(selector, rules[code])
            if code in best and rank >= best[code][0]:
                best[code] = (rank, False)
    chosen = {code for code, (_, selected) in best.items() if selected}
    by_name = {rule.name: code for code, rule in rules.items()}
    tuned: dict[str, Rule] = {code: rules[code] for code in chosen}
    for key, table in config.rules.items():
        code = key.upper() if key.upper() in rules else by_name.get(key)
        if code is None:
            raise ConfigError(f"{where}: rules.{key}: unknown rule")
        if code in tuned:
            tuned[code] = _tune(tuned[code], table, f"{where}: rules.{key}")
    # One gap, one finding: a rule that checks the same gap as another (a pack's stricter
    # user-story form) runs instead of it, never beside it.
    for code in {c for rule in list(tuned.values()) for c in rule.replaces}:
        tuned.pop(code, None)
    if not tuned:
        picked = ", ".join(config.select) or "nothing"
        raise ConfigError(f"{where}: the selection ({picked}) leaves no rules to run")
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
        options[option] = checked_option(options[option], value, f"{where}.{option}")
    return replace(rule, severity=severity, options=MappingProxyType(options))


#: Option names whose values are shares or similarities: between 0 and 1.
_FRACTION_WORDS = ("share", "ratio", "threshold", "similarity")


def checked_option(default: Any, value: Any, where: str) -> Any:
    """``value`` for an option whose default is ``default``, or a ConfigError saying why not.

    The type must match the default's; numbers must not be negative where the default is not;
    shares and thresholds stay within 0..1; a table merges into the default table (so
    ``min_words = {story = 20}`` changes stories only) with each entry checked the same way.
    """
    if default is None:
        return value
    if not _same_type(default, value):
        raise ConfigError(f"{where}: expected {_kind(default)}, got {value!r}")
    if isinstance(default, Mapping):
        merged = dict(default)
        sample = next(iter(default.values()), None)
        for key, item in value.items():
            merged[key] = checked_option(default.get(key, sample), item, f"{where}.{key}")
        return merged
    if isinstance(default, (list, tuple)) and default:
        return [checked_option(default[0], item, f"{where}[{i}]") for i, item in enumerate(value)]
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if value < 0 <= default:
            raise ConfigError(f"{where}: must not be negative, got {value!r}")
        name = where.rsplit(".", 1)[-1]
        if any(word in name for word in _FRACTION_WORDS) and not 0 <= value <= 1:
            raise ConfigError(f"{where}: must be between 0 and 1, got {value!r}")
    return value


def _kind(default: Any) -> str:
    if isinstance(default, bool):
        return "true or false"
    if isinstance(default, (int, float)):
        return "a number"
    if isinstance(default, (list, tuple)):
        return "a list"
    if isinstance(default, Mapping):
        return "a table"
    return "a string" if isinstance(default, str) else type(default).__name__


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
