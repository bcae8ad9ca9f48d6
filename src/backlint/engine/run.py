"""Tickets × selected rules → findings.

Ticket rules run first, then backlog rules. Each rule call is isolated: a rule that raises
becomes a ``run`` finding (BL901) naming the rule and the ticket, and the run goes on. A ticket
the adapter could not read (``Ticket.load_error``) gets a BL902 finding and is not judged.
Suppressions (``backlint:ignore`` labels and ``backlint: ignore CODE`` lines) are applied here, so
no rule needs to know about them. Output is sorted by ticket, then rule code.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from types import GeneratorType
from typing import Any

from backlint.engine.rule import Rule, RuleContext, Violation
from backlint.errors import RuleContractError
from backlint.model import EMPTY, Backlog, Finding, Severity, Ticket

RULE_CRASHED = ("BL901", "rule-crashed")
TICKET_UNREADABLE = ("BL902", "ticket-unreadable")
IGNORE_LABEL = "backlint:ignore"
# A directive is a line of its own (on GitHub usually an HTML comment): `backlint: ignore` or
# `backlint: ignore BL201, BL3`. In the middle of prose ("backlint: ignore closed tickets") it is
# just words, so it must hold nothing but rule codes.
_IGNORE_LINE = re.compile(
    r"^[ \t>*-]*(?:<!--)?[ \t]*backlint:[ \t]*ignore((?:[ \t,]+[A-Za-z]+[0-9]+)*)[ \t,]*"
    r"(?:-->)?[ \t]*$",
    re.IGNORECASE | re.MULTILINE,
)


@dataclass
class EngineResult:
    """Findings (crashes among them, as BL901) plus time spent per rule and the ticket
    rules that read the clock or other tickets (``context_rules``)."""

    findings: list[Finding]
    seconds_by_rule: dict[str, float] = field(default_factory=dict)
    context_rules: set[str] = field(default_factory=set)

    @property
    def crashed(self) -> int:
        """How many times a rule crashed (its BL901 findings)."""
        return sum(finding.rule == RULE_CRASHED[0] for finding in self.findings)


@dataclass(frozen=True)
class KnownFindings:
    """Ticket-rule findings already known for tickets that did not change (an incremental
    audit, see :mod:`backlint.history.incremental`): those tickets are not judged again by
    ticket rules, except by the ``rerun`` rules (they read the clock or other tickets, so their
    findings can change while the ticket does not)."""

    by_ticket: Mapping[str, Sequence[Finding]]
    rerun: frozenset[str] = frozenset()


_NOW, _BACKLOG = RuleContext.__dict__["now"], RuleContext.__dict__["backlog"]


class WatchedContext(RuleContext):
    """A ticket rule's context that notes whether the rule read the clock or the backlog."""

    __slots__ = ("read_context",)

    @property  # type: ignore[override]
    def now(self) -> datetime:
        object.__setattr__(self, "read_context", True)
        return _NOW.__get__(self)

    @now.setter
    def now(self, value: datetime) -> None:
        _NOW.__set__(self, value)

    @property  # type: ignore[override]
    def backlog(self) -> Backlog:
        object.__setattr__(self, "read_context", True)
        return _BACKLOG.__get__(self)

    @backlog.setter
    def backlog(self, value: Backlog) -> None:
        _BACKLOG.__set__(self, value)


def suppressed_codes(ticket: Ticket) -> set[str] | None:
    """Codes suppressed on ``ticket``; ``{"*"}`` suppresses all. None when nothing is."""
    codes: set[str] = set()
    for label in ticket.labels:
        lowered = label.lower()
        if lowered == IGNORE_LABEL:
            codes.add("*")
        elif lowered.startswith(IGNORE_LABEL + ":"):
            code = label.split(":", 2)[2].strip().upper()
            if code:  # `backlint:ignore:` with no code names nothing, so it silences nothing
                codes.add(code)
    for text in (ticket.body, ticket.fields.get("body_markup") or ""):
        if not isinstance(text, str):
            continue
        if "backlint" not in text.lower():
            continue  # the common case, without running the pattern
        for match in _IGNORE_LINE.finditer(text):
            listed = re.findall(r"[A-Za-z]+[0-9]+", match.group(1) or "")
            codes.update(code.upper() for code in listed) if listed else codes.add("*")
    return codes or None


def is_suppressed(code: str, suppressed: set[str] | None) -> bool:
    if not suppressed:
        return False
    return "*" in suppressed or any(code.startswith(prefix) for prefix in suppressed)


def run_rules(
    tickets: Iterable[Ticket] | Backlog,
    rules: Sequence[Rule],
    now: datetime,
    settings: Mapping[str, Any] = EMPTY,
    known: KnownFindings | None = None,
) -> EngineResult:
    """Run ``rules`` over ``tickets`` and return every finding, sorted.

    With ``known``, the tickets it lists keep their known ticket-rule findings (see
    :class:`KnownFindings`); backlog rules always judge the whole backlog.
    """
    backlog = tickets if isinstance(tickets, Backlog) else Backlog(tickets)
    result = EngineResult(findings=[])
    suppressions = {ticket.key: suppressed_codes(ticket) for ticket in backlog.tickets()}
    readable = []
    for ticket in backlog.tickets():
        if ticket.load_error:
            result.findings.append(_run_finding(TICKET_UNREADABLE, ticket, ticket.load_error))
        else:
            readable.append(ticket)
    contexts = {
        rule.code: (WatchedContext if rule.scope == "ticket" else RuleContext)(
            now=now, options=rule.options, backlog=backlog, settings=settings
        )
        for rule in rules
    }
    ticket_rules = [r for r in rules if r.scope == "ticket"]
    if known is None:
        _run_ticket_rules(readable, ticket_rules, contexts, suppressions, result)
    else:
        reused = [t for t in readable if t.key in known.by_ticket]
        judged = [t for t in readable if t.key not in known.by_ticket]
        _run_ticket_rules(judged, ticket_rules, contexts, suppressions, result)
        rerun = [r for r in ticket_rules if r.code in known.rerun]
        _run_ticket_rules(reused, rerun, contexts, suppressions, result, add_time=True)
        kept = {r.code for r in ticket_rules} - known.rerun
        for ticket in reused:
            result.findings.extend(f for f in known.by_ticket[ticket.key] if f.rule in kept)
    result.context_rules = {
        code for code, ctx in contexts.items() if getattr(ctx, "read_context", False)
    }
    for rule in rules:
        if rule.scope != "backlog":
            continue
        started = time.perf_counter()
        try:
            produced = checked_items(rule, rule.func(backlog, contexts[rule.code]))
        except RuleContractError:
            raise
        except Exception as err:
            result.findings.append(_crash_finding(rule, None, err))
            produced = []
        for item in produced:
            key = item.ticket if isinstance(item, Violation) else None
            ticket = backlog.get(key) if key else None
            if ticket is None:
                result.findings.append(
                    _crash_finding(rule, None, ValueError(f"finding names unknown ticket {key!r}"))
                )
            elif not is_suppressed(rule.code, suppressions[ticket.key]):
                result.findings.append(_to_finding(rule, ticket, item))
        result.seconds_by_rule[rule.code] = time.perf_counter() - started
    result.findings.sort()
    return result


def _run_ticket_rules(
    tickets: Sequence[Ticket],
    rules: Sequence[Rule],
    contexts: Mapping[str, RuleContext],
    suppressions: Mapping[str, set[str] | None],
    result: EngineResult,
    add_time: bool = False,
) -> None:
    """Run every ticket rule on one ticket before moving on to the next ticket.

    Ticket by ticket (not rule by rule) so the text analysis the rules share (the body's
    document, :mod:`backlint.rules.text.document`, memoised per text) is computed once while
    the ticket is current and the memo stays small, whatever the size of the backlog. Which
    rules apply depends only on the ticket's kind, so that selection is made once per kind.
    """
    by_kind: dict[str, list[tuple[int, Rule, RuleContext]]] = {}
    spent = [0.0] * len(rules)
    clock = time.perf_counter
    findings = result.findings
    for ticket in tickets:
        applicable = by_kind.get(ticket.kind)
        if applicable is None:
            applicable = by_kind[ticket.kind] = [
                (index, rule, contexts[rule.code])
                for index, rule in enumerate(rules)
                if rule.applies_to(ticket)
            ]
        suppressed = suppressions[ticket.key]
        started = clock()  # one clock reading per rule: each rule's end starts the next one
        for index, rule, ctx in applicable:
            if suppressed and is_suppressed(rule.code, suppressed):
                continue
            try:
                produced = checked_items(rule, rule.func(ticket, ctx))
            except RuleContractError:
                raise
            except Exception as err:  # isolation: one rule's bug must not end the audit
                findings.append(_crash_finding(rule, ticket, err))
                produced = []
            ended = clock()
            spent[index] += ended - started
            started = ended
            if produced:
                for item in produced:
                    findings.append(_to_finding(rule, ticket, item))
                started = clock()
    for index, rule in enumerate(rules):
        before = result.seconds_by_rule.get(rule.code, 0.0) if add_time else 0.0
        result.seconds_by_rule[rule.code] = before + spent[index]


def checked_items(rule: Rule, produced: object) -> list[str | Violation]:
    """What a rule produced, as a list; RuleContractError when it is not messages or
    Violations (a bool, a number, a dict...)."""
    if produced is None:
        return []
    if type(produced) is GeneratorType:  # what nearly every rule returns: the fast path
        items = list(produced)
        for item in items:
            if type(item) is not str and not isinstance(item, str | Violation):
                raise _contract(rule, item)
        return items
    if isinstance(produced, str | Violation):
        return [produced]
    if isinstance(produced, bool | int | float | bytes | dict) or not hasattr(produced, "__iter__"):
        raise _contract(rule, produced)
    items = list(produced)  # type: ignore[call-overload]
    for item in items:
        if not isinstance(item, str | Violation):
            raise _contract(rule, item)
    return items


def _contract(rule: Rule, value: object) -> RuleContractError:
    return RuleContractError(
        f"rule {rule.code} ({rule.name}) from {rule.origin or 'a plugin'} produced "
        f"{type(value).__name__} {value!r:.40}: a rule yields messages (str) or Violations, "
        "or returns None"
    )


def _to_finding(rule: Rule, ticket: Ticket, item: str | Violation) -> Finding:
    audience = rule.reader
    if isinstance(item, Violation):
        message, severity = item.message, item.severity or rule.severity
        audience = item.audience or audience
    else:
        message, severity = str(item), rule.severity
    return Finding(
        ticket=ticket.key,
        rule=rule.code,
        name=rule.name,
        family=rule.family,
        severity=severity,
        message=message,
        url=ticket.url,
        audience=audience,
    )


def _crash_finding(rule: Rule, ticket: Ticket | None, err: Exception) -> Finding:
    detail = str(err).splitlines()[0] if str(err) else ""
    where = f"on {ticket.key}" if ticket else "on the backlog"
    return Finding(
        ticket=ticket.key if ticket else "(backlog)",
        rule=RULE_CRASHED[0],
        name=RULE_CRASHED[1],
        family="run",
        severity=Severity.ERROR,
        message=f"rule {rule.code} ({rule.name}) crashed {where}: {type(err).__name__}"
        + (f": {detail}" if detail else ""),
        url=ticket.url if ticket else "",
    )


def _run_finding(code_name: tuple[str, str], ticket: Ticket, message: str) -> Finding:
    return Finding(
        ticket=ticket.key,
        rule=code_name[0],
        name=code_name[1],
        family="run",
        severity=Severity.ERROR,
        message=message,
        url=ticket.url,
    )
