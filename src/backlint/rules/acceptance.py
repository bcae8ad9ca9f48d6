"""Acceptance-criteria rules (BL2xx): can anyone tell when the ticket is done?"""

from __future__ import annotations

import re

from backlint.hookspecs import hookimpl
from backlint.model import Ticket
from backlint.rule import rule
from backlint.rules.textutil import checkboxes, find_section, strip_code

AC_HEADING = (
    r"acceptance\s*criteri",
    r"^\s*a\.?c\.?\s*$",
    r"definition\s+of\s+done",
    r"^\s*dod\s*$",
    r"success\s+criteri",
)
_GHERKIN = re.compile(r"^\s*[-*]?\s*(?:\*\*)?(given)\b.*$", re.IGNORECASE | re.MULTILINE)
_THEN = re.compile(r"^\s*[-*]?\s*(?:\*\*)?(then)\b", re.IGNORECASE | re.MULTILINE)


def acceptance_text(ticket: Ticket) -> str | None:
    """The ticket's acceptance criteria as text, wherever they are; None when it has none.

    Looked for in the configured acceptance-criteria field, then a section headed acceptance
    criteria / AC / definition of done, then a Given/When/Then block, then a task checklist.
    """
    field = ticket.fields.get("acceptance_criteria")
    if isinstance(field, str) and field.strip():
        return field
    section = find_section(ticket.body, *AC_HEADING)
    if section and section.text.strip():
        return section.text
    body = strip_code(ticket.body)
    if _GHERKIN.search(body) and _THEN.search(body):
        return body[_GHERKIN.search(body).start() :]
    boxes = checkboxes(body)
    if len(boxes) >= 2:
        return "\n".join(f"- [{'x' if done else ' '}] {text}" for done, text in boxes)
    return None


@rule(
    "BL201",
    "missing-acceptance-criteria",
    family="acceptance-criteria",
    severity="error",
    kinds=("story", "feature"),
)
def missing_acceptance_criteria(ticket, ctx):
    """What: A story or feature has no acceptance criteria: no section headed "Acceptance
    criteria", "AC" or "Definition of done", no Given/When/Then scenario, no task checklist, and
    nothing in the configured Jira acceptance-criteria field.

    Why: Without criteria nobody can say when the work is done; estimates, reviews and testing
    all guess. It is the single most common reason a story bounces back in sprint review.

    Example: A story "As a shopper I want to save my card so that I check out faster" with no
    list of conditions that prove it works.

    Fix: Add an "## Acceptance criteria" section with observable outcomes, e.g. "- [ ] A saved
    card appears pre-selected on the payment step", or Given/When/Then scenarios.
    """
    if ticket.is_open and acceptance_text(ticket) is None:
        yield (
            f'This {ticket.kind} has no acceptance criteria; add an "Acceptance criteria" '
            "section with checkable outcomes (or Given/When/Then scenarios)."
        )


@hookimpl
def register_rules(register):
    register(missing_acceptance_criteria)
