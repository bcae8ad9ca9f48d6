"""Labelled rule fixtures: tickets each rule must flag and must not flag.

The cases live in ``tests/fixtures/rules/<module>.toml``, one file per rule module::

    [[case]]
    rule = "BL102"
    expect = "flag"              # or "pass"
    why = "only generic words"   # what the case shows
    evidence = "Fix bug"         # optional: text the message must contain
    shape = "github"             # optional: body is GitHub Markdown ("jira": Jira wiki markup)
    settings = {}                # optional: config sections ([priority], [objectives])
    options = {}                 # optional: rule option overrides
    [case.ticket]                # the ticket under test, key T-1 unless given
    kind = "bug"
    title = "Fix bug"

    [[case.others]]              # optional: more tickets in the backlog (parents, peers)
    key = "T-2"

A case passes when the rule's findings on ticket T-1 are non-empty ("flag") or empty ("pass").
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from backlint.markup import markdown_to_text, wiki_to_text
from backlint.model import Finding, Link, Ticket
from backlint.testing import make_ticket, run_rule

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "rules"


@dataclass(frozen=True)
class Case:
    """One labelled fixture."""

    rule: str
    expect: str
    why: str
    ticket: Ticket
    others: tuple[Ticket, ...]
    evidence: str
    settings: dict[str, Any]
    options: dict[str, Any]
    source: str

    @property
    def id(self) -> str:
        return f"{self.rule}-{self.expect}-{self.why}"


def _when(value: Any) -> Any:
    if isinstance(value, datetime) and value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value


def build_ticket(values: dict[str, Any], shape: str, default_key: str) -> Ticket:
    """A normalised ticket from a fixture table (body converted from its markup shape)."""
    values = dict(values)
    key = values.pop("key", default_key)
    body = values.pop("body", "")
    if shape == "github":
        body = markdown_to_text(body)
    elif shape == "jira":
        body = wiki_to_text(body)
    values["tracker"] = "jira" if shape == "jira" else "github" if shape == "github" else "test"
    for name in ("created", "updated"):
        if name in values:
            values[name] = _when(values[name])
    if isinstance(values.get("due"), date):
        values["due"] = values["due"]
    if "links" in values:
        values["links"] = [Link(**link) for link in values["links"]]
    if "parent_link" in values:
        link = dict(values.pop("parent_link"))
        if "priority" in link:
            from backlint.model import Priority

            link["priority"] = Priority(link["priority"])
        values.setdefault("fields", {})["parent_link"] = Link(relation="parent", **link)
    values.setdefault("title", "Customers can pay with a saved card at checkout")
    return make_ticket(key, body=body, **values)


def load_cases(module: str) -> list[Case]:
    """Every case in ``tests/fixtures/rules/<module>.toml``."""
    path = FIXTURES / f"{module}.toml"
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    cases = []
    for raw in data.get("case", []):
        shape = raw.get("shape", "")
        cases.append(
            Case(
                rule=raw["rule"],
                expect=raw["expect"],
                why=raw["why"],
                ticket=build_ticket(raw.get("ticket", {}), shape, "T-1"),
                others=tuple(
                    build_ticket(o, shape, f"T-{i + 2}")
                    for i, o in enumerate(raw.get("others", []))
                ),
                evidence=raw.get("evidence", ""),
                settings=raw.get("settings", {}),
                options=raw.get("options", {}),
                source=path.name,
            )
        )
    return cases


def all_cases() -> list[Case]:
    """The cases of every rule module."""
    return [case for path in sorted(FIXTURES.glob("*.toml")) for case in load_cases(path.stem)]


def findings_for(case: Case, rules: dict[str, Any]) -> list[Finding]:
    """The findings the case's rule produces on the case's ticket T-1."""
    found = run_rule(
        rules[case.rule],
        [case.ticket, *case.others],
        options=case.options or None,
        settings=case.settings or None,
    )
    return [f for f in found if f.ticket == case.ticket.key]


def check(case: Case, rules: dict[str, Any]) -> None:
    """Assert the case: flagged (with its evidence in the message) or not flagged."""
    found = findings_for(case, rules)
    if case.expect == "flag":
        assert found, f"{case.rule} should flag: {case.why}"
        assert any(case.evidence.lower() in f.message.lower() for f in found), (
            f"{case.rule}: no message names {case.evidence!r}: {[f.message for f in found]}"
        )
        assert all(f.rule == case.rule for f in found)
    else:
        assert case.expect == "pass", f"expect must be flag or pass, not {case.expect!r}"
        assert not found, f"{case.rule} should not flag ({case.why}): {found[0].message}"
