"""What a run was judged by: the rule set, the settings rules read, backlint's version.

Every recorded run stores a fingerprint, so the trend can tell a change of tickets from a change
of configuration: when ``--ignore BL104`` is added, BL104's findings disappear, and they must be
reported as "BL104 no longer runs", not as tickets fixed.

A fingerprint is JSON::

    {"backlint": "0.1.0", "formula": 1,
     "rules": {"BL101": {"severity": "warning", "options": {...} | null}, ...},
     "settings": {"objectives": "<sha256 prefix>", ...} | null}

``options`` and ``settings`` are null when the caller did not know them (a run recorded from a
report alone); ``backlint`` is null for runs recorded before fingerprints existed, whose rule
set is read back from the stored report. Only what both runs know is compared.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from backlint import __version__
from backlint.report.digest import plural
from backlint.report.report import Report
from backlint.report.score import SCORE_VERSION

#: Config tables that change what rules find (selection and per-rule tables are in ``rules``;
#: output, write-back and tracker connection tables are not).
FINDING_SETTINGS = ("kinds", "priority", "objectives", "hygiene", "packs", "plugins")


def fingerprint(
    report: Report, rules: Iterable[Any] | None = None, settings: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    """The fingerprint of a run: from its ``rules`` (with options) when given, else from the
    report's rule table (severities only); ``settings`` is the config's ``settings``."""
    if rules is not None:
        table = {
            rule.code: {"severity": rule.severity.value, "options": _plain(dict(rule.options))}
            for rule in rules
        }
    else:
        table = {
            code: {"severity": str(meta.get("severity", "")), "options": None}
            for code, meta in report.rules.items()
        }
    return {
        "backlint": __version__,
        "formula": SCORE_VERSION,
        "rules": dict(sorted(table.items())),
        "settings": _settings_digest(settings) if settings is not None else None,
    }


def from_stored_report(data: Mapping[str, Any]) -> dict[str, Any]:
    """The fingerprint of a run recorded before fingerprints: its stored report's rule table."""
    rules = data.get("rules") or {}
    return {
        "backlint": None,
        "formula": (data.get("score") or {}).get("formula"),
        "rules": {
            str(code): {"severity": str(meta.get("severity", "")), "options": None}
            for code, meta in sorted(rules.items())
        },
        "settings": None,
    }


def _settings_digest(settings: Mapping[str, Any]) -> dict[str, str]:
    """A short digest per table that rules read (never the values: they stay in the config)."""
    return {
        name: hashlib.sha256(
            json.dumps(_plain(settings.get(name)), sort_keys=True).encode("utf-8")
        ).hexdigest()[:16]
        for name in FINDING_SETTINGS
    }


def _plain(value: Any) -> Any:
    """``value`` as JSON would store it (mappings and tuples become dicts and lists)."""
    return json.loads(json.dumps(value, sort_keys=True, default=str))


@dataclass(frozen=True)
class ConfigChange:
    """How the configuration differs between two runs (empty when it does not, or is unknown)."""

    removed: tuple[str, ...] = ()
    added: tuple[str, ...] = ()
    severity: Mapping[str, tuple[str, str]] = field(default_factory=dict)
    options: tuple[str, ...] = ()
    settings: tuple[str, ...] = ()
    backlint: tuple[str, str] | None = None
    formula: tuple[int, int] | None = None

    def __bool__(self) -> bool:
        return bool(
            self.removed
            or self.added
            or self.severity
            or self.options
            or self.settings
            or self.backlint
            or self.formula
        )

    def to_dict(self) -> dict[str, Any]:
        """The ``config_change`` key of the history section."""
        return {
            "rules_removed": list(self.removed),
            "rules_added": list(self.added),
            "severity_changed": {k: list(v) for k, v in self.severity.items()},
            "options_changed": list(self.options),
            "settings_changed": list(self.settings),
            "backlint": list(self.backlint) if self.backlint else None,
            "formula": list(self.formula) if self.formula else None,
        }


def compare(before: Mapping[str, Any], now: Mapping[str, Any]) -> ConfigChange:
    """What changed from ``before`` to ``now``, comparing only what both fingerprints know."""
    old_rules, new_rules = before.get("rules") or {}, now.get("rules") or {}
    removed: tuple[str, ...] = ()
    added: tuple[str, ...] = ()
    severity: dict[str, tuple[str, str]] = {}
    options: list[str] = []
    if old_rules and new_rules:  # a run with no rule table says nothing about its rules
        removed = tuple(sorted(set(old_rules) - set(new_rules)))
        added = tuple(sorted(set(new_rules) - set(old_rules)))
        for code in sorted(set(old_rules) & set(new_rules)):
            old, new = old_rules[code], new_rules[code]
            if old.get("severity") and new.get("severity") and old["severity"] != new["severity"]:
                severity[code] = (old["severity"], new["severity"])
            known = old.get("options") is not None and new.get("options") is not None
            if known and old["options"] != new["options"]:
                options.append(code)
    old_settings, new_settings = before.get("settings"), now.get("settings")
    settings: tuple[str, ...] = ()
    if old_settings and new_settings:
        settings = tuple(
            name
            for name in FINDING_SETTINGS
            if old_settings.get(name) and old_settings.get(name) != new_settings.get(name)
        )
    versions = (before.get("backlint"), now.get("backlint"))
    formulas = (before.get("formula"), now.get("formula"))
    return ConfigChange(
        removed=removed,
        added=added,
        severity=severity,
        options=tuple(options),
        settings=settings,
        backlint=versions if all(versions) and versions[0] != versions[1] else None,  # type: ignore[arg-type]
        formula=formulas if all(formulas) and formulas[0] != formulas[1] else None,  # type: ignore[arg-type]
    )


def change_notes(
    change: ConfigChange, removed_findings: int = 0, added_findings: int = 0
) -> list[str]:
    """Sentences for the reports: what the configuration change did to the figures.

    ``removed_findings`` counts the previous run's findings of rules that no longer run,
    ``added_findings`` this run's findings of rules that did not run before.
    """
    notes = []
    parts = []
    if change.removed:
        codes, verb = _codes(change.removed), "runs" if len(change.removed) == 1 else "run"
        parts.append(
            f"{plural(removed_findings, 'finding')} disappeared because {codes} no longer {verb} "
            "(not counted as fixed)"
            if removed_findings
            else f"{codes} no longer {verb}"
        )
    if change.added:
        codes, verb = _codes(change.added), "runs" if len(change.added) == 1 else "run"
        parts.append(
            f"{plural(added_findings, 'finding')} appeared because {codes} now {verb} "
            "(not counted as newly broken)"
            if added_findings
            else f"{codes} now {verb}"
        )
    if parts:
        notes.append(f"The rule selection changed since the previous run: {'; '.join(parts)}.")
    for code, (old, new) in change.severity.items():
        notes.append(
            f"{code} is now {_article(new)} {new} (it was {_article(old)} {old}): the score moved "
            "with it, not with the tickets."
        )
    if change.options:
        codes, verb = _codes(change.options), "runs" if len(change.options) == 1 else "run"
        notes.append(
            f"{codes} {verb} with other options since the previous run: some changes may come "
            "from that."
        )
    if change.settings:
        tables = _codes(tuple(f"[{name}]" for name in change.settings))
        word = "settings" if len(change.settings) == 1 else "tables"
        notes.append(
            f"The {tables} {word} changed since the previous run: some changes may come from that."
        )
    if change.backlint:
        old, new = change.backlint
        notes.append(
            f"backlint changed from {old} to {new} since the previous run: its rules may judge "
            "differently."
        )
    if change.formula:
        old, new = change.formula
        notes.append(
            f"The score formula changed (version {old} to {new}): scores before and after it do "
            "not compare."
        )
    return notes


def _codes(codes: tuple[str, ...]) -> str:
    """``BL104``, ``BL104 and BL502``, ``BL104, BL107 and BL502``."""
    return codes[0] if len(codes) == 1 else f"{', '.join(codes[:-1])} and {codes[-1]}"


def _article(word: str) -> str:
    return "an" if word[:1] in "aeiou" else "a"
