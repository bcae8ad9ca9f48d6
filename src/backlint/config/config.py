"""Configuration: ``.backlint.toml`` or ``[tool.backlint]`` in ``pyproject.toml`` → a frozen
:class:`Config`. Precedence is command line > file > defaults.

The file is found by walking up from the working directory (the first ``.backlint.toml``, or a
``pyproject.toml`` that has a ``[tool.backlint]`` table), unless ``--config PATH`` names one.
The file is merged over the profiles it ``extends`` (``default`` when it names none; see
``profiles``). Unknown keys and wrong types are errors that name the key and the file. Rule codes
and rule options are checked later, against the rules the plugins registered (see ``selection``).
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import MappingProxyType
from typing import Any

from backlint.config.profiles import expand
from backlint.errors import ConfigError
from backlint.model import EMPTY, Severity
from backlint.writeback.contract import COMMENT_FOR, DEFAULT_FAMILY_LABELS, WritebackSettings

CONFIG_FILENAME = ".backlint.toml"
FORMATS = ("text", "json", "markdown", "html", "csv", "csv-summary", "github")

STR_LIST = "list of strings"
TABLE = "table"
ANY = "any"

#: Allowed keys and their types. A nested dict is a table whose keys are checked too; TABLE is
#: a table of free keys (checked by whoever reads it); ANY is not checked here.
SCHEMA: dict[str, Any] = {
    "extends": STR_LIST,
    "packs": STR_LIST,
    "select": STR_LIST,
    "ignore": STR_LIST,
    "extend-select": STR_LIST,
    "extend-ignore": STR_LIST,
    "fail-on": str,
    "format": str,
    "history": (str, bool),
    "rules": TABLE,
    "kinds": TABLE,
    "plugins": TABLE,
    "priority": {
        "scale": STR_LIST,
        "labels": TABLE,
        "field": str,
        "require-for": STR_LIST,
    },
    "objectives": {
        "labels": STR_LIST,
        "keys": STR_LIST,
        "milestones": STR_LIST,
        "label-patterns": STR_LIST,
        "require-configured": bool,
    },
    "writeback": {
        "comment": bool,
        "labels": bool,
        "on-clean": str,
        "min-severity": str,
        "comment-for": str,
        "label-min-severity": str,
        "needs-work-label": str,
        "family-labels": TABLE,
        "rule-labels": TABLE,
        "limit": int,
        "failure-budget": int,
    },
    "hygiene": TABLE,
    "github": TABLE,
    "jira": TABLE,
}

DEFAULT_PRIORITY_SCALE = ("Highest", "High", "Medium", "Low", "Lowest")


@dataclass(frozen=True)
class Config:
    """The settings of one run. ``settings`` holds every table as read, for rules and trackers."""

    path: Path | None = None
    extends: tuple[str, ...] = ()
    packs: tuple[str, ...] = ("default",)  # what rules/profiles/default.toml enables
    select: tuple[str, ...] = ("ALL",)
    ignore: tuple[str, ...] = ()
    extend_select: tuple[str, ...] = ()
    extend_ignore: tuple[str, ...] = ()
    fail_on: Severity = Severity.ERROR
    format: str | None = None
    history: str | None = None
    rules: Mapping[str, Mapping[str, Any]] = field(default_factory=lambda: EMPTY)
    writeback: WritebackSettings = field(default_factory=WritebackSettings)
    settings: Mapping[str, Any] = field(default_factory=lambda: EMPTY)

    def section(self, name: str) -> Mapping[str, Any]:
        """A table of the config (``priority``, ``objectives``, ``jira``, ...); empty if unset."""
        value = self.settings.get(name, EMPTY)
        return value if isinstance(value, Mapping) else EMPTY

    @property
    def priority_scale(self) -> tuple[str, ...]:
        return tuple(self.section("priority").get("scale", DEFAULT_PRIORITY_SCALE))

    def with_overrides(self, **overrides: Any) -> Config:
        """A copy with command-line values applied (None means "not given")."""
        given = {name: value for name, value in overrides.items() if value is not None}
        return replace(self, **given)


def find_config_file(start: Path) -> Path | None:
    """The nearest ``.backlint.toml`` or ``pyproject.toml`` with ``[tool.backlint]``."""
    for folder in (start, *start.parents):
        candidate = folder / CONFIG_FILENAME
        if candidate.is_file():
            return candidate
        pyproject = folder / "pyproject.toml"
        if pyproject.is_file() and "backlint" in _read_toml(pyproject).get("tool", {}):
            return pyproject
    return None


def load_config(path: str | Path | None = None, start: Path | None = None) -> Config:
    """Read the config file (``path``, or the one found from ``start``) into a Config."""
    if path is not None:
        file = Path(path)
        if not file.is_file():
            raise ConfigError(f"config file not found: {file}")
    else:
        file = find_config_file(start or Path.cwd())
        if file is None:
            return Config()  # its defaults are the default profile (a test keeps them equal)
    data = _read_toml(file)
    if file.name == "pyproject.toml":
        data = data.get("tool", {}).get("backlint", {})
    return config_from_mapping(data, file)


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except tomllib.TOMLDecodeError as err:
        raise ConfigError(f"{path}: not valid TOML: {err}") from None
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: not UTF-8 text (TOML files must be UTF-8)") from None
    except OSError as err:
        raise ConfigError(f"{path}: cannot read: {err.strerror}") from None


def config_from_mapping(data: Mapping[str, Any], path: Path | None = None) -> Config:
    """Validate a parsed config table, merge it over the profiles it extends, build a Config."""
    where = str(path) if path else "config"
    _check_table(data, SCHEMA, where, "")
    data = expand(data, path, lambda table, label: _check_table(table, SCHEMA, label, ""))
    fail_on = _severity(data.get("fail-on", "error"), where, "fail-on")
    _check_ranges(data, where)
    fmt = data.get("format")
    if fmt is not None and fmt not in FORMATS:
        raise ConfigError(
            f"{where}: format: unknown format {fmt!r} (expected {', '.join(FORMATS)})"
        )
    rules = data.get("rules", {})
    for key, value in rules.items():
        if not isinstance(value, Mapping):
            raise ConfigError(f"{where}: rules.{key}: expected a table of options")
        if "severity" in value:
            _severity(value["severity"], where, f"rules.{key}.severity")
    history = data.get("history")
    if history is True:
        history = ".backlint/history.sqlite"
    return Config(
        path=path,
        extends=tuple(data.get("extends", ())),
        packs=tuple(data.get("packs", ())),
        select=tuple(data.get("select", ("ALL",))),
        ignore=tuple(data.get("ignore", ())),
        extend_select=tuple(data.get("extend-select", ())),
        extend_ignore=tuple(data.get("extend-ignore", ())),
        fail_on=fail_on,
        format=fmt,
        history=history or None,
        rules=MappingProxyType({k: MappingProxyType(dict(v)) for k, v in rules.items()}),
        writeback=_writeback(data.get("writeback", {}), where),
        settings=MappingProxyType(dict(data)),
    )


def _check_ranges(data: Mapping[str, Any], where: str) -> None:
    """Values whose type is right but whose size makes no sense."""
    limit = data.get("writeback", {}).get("limit")
    if limit is not None and limit < 0:
        raise ConfigError(f"{where}: writeback.limit: must not be negative, got {limit}")
    budget = data.get("writeback", {}).get("failure-budget")
    if budget is not None and budget < 1:
        raise ConfigError(
            f"{where}: writeback.failure-budget: must be at least 1 (failed tickets in a row "
            f"before write-back stops), got {budget}"
        )
    if "scale" in data.get("priority", {}) and not data["priority"]["scale"]:
        raise ConfigError(f"{where}: priority.scale: must name at least one level")
    if data.get("history") == "":
        raise ConfigError(f"{where}: history: expected a path or true")


def _writeback(table: Mapping[str, Any], where: str) -> WritebackSettings:
    on_clean = table.get("on-clean", "resolve")
    if on_clean not in ("resolve", "delete"):
        raise ConfigError(f"{where}: writeback.on-clean: expected 'resolve' or 'delete'")
    comment_for = table.get("comment-for", "author")
    if comment_for not in COMMENT_FOR:
        raise ConfigError(f"{where}: writeback.comment-for: expected 'author' or 'everyone'")
    family_labels = {**DEFAULT_FAMILY_LABELS, **table.get("family-labels", {})}
    for key, value in (*family_labels.items(), *table.get("rule-labels", {}).items()):
        if not isinstance(value, str):
            raise ConfigError(f"{where}: writeback labels: {key}: expected a label name")
    return WritebackSettings(
        comment=table.get("comment", True),
        labels=table.get("labels", True),
        on_clean=on_clean,
        min_severity=_severity(
            table.get("min-severity", "warning"), where, "writeback.min-severity"
        ),
        comment_for=comment_for,
        label_min_severity=_severity(
            table.get("label-min-severity", "warning"), where, "writeback.label-min-severity"
        ),
        needs_work_label=table.get("needs-work-label", "backlint:needs-work"),
        family_labels=MappingProxyType({k: v for k, v in family_labels.items() if v}),
        rule_labels=MappingProxyType(dict(table.get("rule-labels", {}))),
    )


def _severity(value: Any, where: str, key: str) -> Severity:
    try:
        return Severity.parse(value)
    except ValueError as err:
        raise ConfigError(f"{where}: {key}: {err}") from None


def _check_table(data: Mapping[str, Any], schema: Mapping[str, Any], where: str, prefix: str):
    for key, value in data.items():
        name = prefix + key
        if key not in schema:
            known = ", ".join(sorted(schema))
            raise ConfigError(f"{where}: unknown key {name!r} (known keys: {known})")
        expected = schema[key]
        if isinstance(expected, dict):
            if not isinstance(value, Mapping):
                raise ConfigError(f"{where}: {name}: expected a table")
            _check_table(value, expected, where, name + ".")
        elif expected == TABLE:
            if not isinstance(value, Mapping):
                raise ConfigError(f"{where}: {name}: expected a table")
        elif expected == STR_LIST:
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise ConfigError(f"{where}: {name}: expected a list of strings")
        elif expected is not ANY and (
            not isinstance(value, expected) or (expected is int and isinstance(value, bool))
        ):
            raise ConfigError(f"{where}: {name}: expected {_type_name(expected)}, got {value!r}")


def _type_name(expected: Any) -> str:
    if isinstance(expected, tuple):
        return " or ".join(_type_name(e) for e in expected)
    return {str: "a string", bool: "true or false", int: "a whole number"}.get(
        expected, str(expected)
    )
