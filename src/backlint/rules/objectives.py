"""Objective-link rules (BL3xx): does the ticket serve a strategic objective?"""

from __future__ import annotations

import fnmatch
from collections.abc import Mapping
from typing import Any

from backlint.hookspecs import hookimpl
from backlint.model import Ticket
from backlint.rule import rule

OBJECTIVE_KINDS = {"epic", "initiative", "objective", "feature"}
DEFAULT_LABEL_PATTERNS = ("objective*", "okr*", "goal*")


def objective_links(ticket: Ticket, settings: Mapping[str, Any]) -> list[str]:
    """What links ``ticket`` to an objective under the DESIGN section 7 conventions.

    A parent, an issue link to an epic / initiative / objective, a milestone, or a label
    matching ``objective*`` / ``okr*`` / ``goal*`` (or the configured patterns).
    """
    objectives = settings.get("objectives", {}) if isinstance(settings, Mapping) else {}
    patterns = tuple(objectives.get("label-patterns", DEFAULT_LABEL_PATTERNS))
    found = []
    if ticket.parent:
        found.append(f"parent {ticket.parent}")
    for link in ticket.links:
        if (link.kind or "").lower() in OBJECTIVE_KINDS - {"feature"}:
            found.append(f"link to {link.key}")
    if ticket.milestone:
        found.append(f"milestone {ticket.milestone}")
    for label in ticket.labels:
        if any(fnmatch.fnmatch(label.lower(), p.lower()) for p in patterns):
            found.append(f"label {label}")
    return found


@rule(
    "BL301",
    "missing-objective-link",
    family="objective-link",
    severity="warning",
    kinds=("story", "feature", "bug", "task", "epic"),
)
def missing_objective_link(ticket, ctx):
    """What: An open ticket has no link to a strategic objective: no parent epic or initiative,
    no issue link to an epic / initiative / objective, no milestone, and no label such as
    `okr:*`, `objective:*` or `goal:*`.

    Why: Work that cannot say which goal it serves is hard to prioritise and easy to drop; a
    backlog where half the tickets are orphans hides what the team is really working towards.

    Example: A story "Add dark mode to the order history page" with no epic, no milestone and no
    objective label.

    Fix: Give it a parent epic, add it to the milestone of the objective it serves, or label it
    with the objective (e.g. `okr:conversion`).
    """
    if not ticket.is_open or ticket.kind == "subtask":
        return
    if not objective_links(ticket, ctx.settings):
        yield (
            f"This {ticket.kind} is not linked to any objective: give it a parent epic, a "
            "milestone or an objective label (okr:*, objective:*, goal:*)."
        )


@hookimpl
def register_rules(register):
    register(missing_objective_link)
