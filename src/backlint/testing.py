"""Helpers for testing rules, backlint's own and plugins': build tickets, run one rule.

from backlint.testing import make_ticket, run_rule

findings = run_rule(my_rule, make_ticket(kind="story", body="As a shopper ..."))
assert [f.rule for f in findings] == ["ACME101"]
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from types import MappingProxyType
from typing import Any

from backlint.config.config import Config, config_from_mapping
from backlint.config.conventions import normalise
from backlint.engine.run import run_rules
from backlint.model import Finding, Priority, Ticket

#: The fixed "now" tests use unless they pass their own.
TEST_NOW = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)


def make_ticket(
    key: str = "TEST-1",
    *,
    config: Config | None = None,
    priority: str | Priority | None = None,
    **values: Any,
) -> Ticket:
    """A normalised Ticket from keyword values; ``priority`` may be a name (a field value).

    Unknown kinds, label priorities and ranks are resolved exactly as for real tickets.
    """
    values.setdefault("tracker", "test")
    values.setdefault("title", "Customers can pay with a saved card at checkout")
    for name in ("labels", "assignees", "links", "children", "components", "activity"):
        if name in values:
            values[name] = tuple(values[name])
    for name in ("fields", "raw"):
        if name in values:
            values[name] = MappingProxyType(dict(values[name]))
    if isinstance(priority, str):
        priority = Priority(priority)
    ticket = Ticket(key=key, priority=priority, **values)
    return normalise(ticket, config or Config())


def run_rule(
    rule: Any,
    tickets: Ticket | Iterable[Ticket],
    *,
    now: datetime = TEST_NOW,
    options: Mapping[str, Any] | None = None,
    settings: Mapping[str, Any] | None = None,
) -> list[Finding]:
    """Run one rule (with option overrides) over one ticket or many; return its findings."""
    import dataclasses

    if isinstance(tickets, Ticket):
        tickets = [tickets]
    if options:
        unknown = set(options) - set(rule.options)
        if unknown:
            raise KeyError(f"rule {rule.code} has no option(s) {sorted(unknown)}")
        rule = dataclasses.replace(rule, options=MappingProxyType({**rule.options, **options}))
    result = run_rules(list(tickets), [rule], now, settings or {})
    return result.findings


def config_from(data: Mapping[str, Any]) -> Config:
    """A Config from a dict shaped like the TOML file."""
    return config_from_mapping(data)
