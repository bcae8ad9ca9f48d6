"""What a ``bound`` pack rule can measure on a ticket (:data:`MEASURES`) and how."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from backlint.engine.rule import RuleContext
from backlint.model import Ticket
from backlint.rules.acceptance.criteria import acceptance_text
from backlint.rules.text.util import strip_code, words

#: What a ``bound`` rule can measure.
MEASURES = (
    "title-words",
    "title-chars",
    "body-words",
    "labels",
    "assignees",
    "components",
    "links",
    "children",
    "criteria",
    "estimate",
    "age-days",
    "idle-days",
)


def criteria_count(ticket: Ticket) -> int | None:
    """How many acceptance criteria the ticket has (list items, else Given lines); None if none."""
    text = acceptance_text(ticket)
    if text is None:
        return None
    items = re.findall(r"^\s*(?:[-*+]|\d+[.)])\s+\S", text, re.MULTILINE)
    if items:
        return len(items)
    scenarios = re.findall(r"^\s*(?:\*\*)?given\b", text, re.IGNORECASE | re.MULTILINE)
    return len(scenarios) or 1


def _days(now: datetime, then: datetime | None) -> float | None:
    if then is None:
        return None
    then = then if then.tzinfo else then.replace(tzinfo=UTC)
    return (now - then).total_seconds() / 86400


def measure(ticket: Ticket, name: str, ctx: RuleContext) -> float | None:
    """The value of ``name`` (one of MEASURES) on ``ticket``; None when it cannot be known.

    ``children`` counts the ticket's own child keys and the backlog tickets naming it as parent.
    """
    now = ctx.now
    if name == "title-words":
        return len(words(ticket.title))
    if name == "title-chars":
        return len(ticket.title.strip())
    if name == "body-words":
        return len(words(strip_code(ticket.body)))
    if name == "children":
        return len(set(ticket.children) | {c.key for c in ctx.backlog.children_of(ticket.key)})
    if name in ("labels", "assignees", "components", "links"):
        return len(getattr(ticket, name))
    if name == "criteria":
        return criteria_count(ticket)
    if name == "estimate":
        return ticket.estimate
    if name == "age-days":
        return _days(now, ticket.created)
    if name == "idle-days":
        times = [t for t in (ticket.updated, *(a.at for a in ticket.activity)) if t]
        return _days(now, max(times)) if times else None
    raise AssertionError(name)  # compile_bound rejects unknown measures
