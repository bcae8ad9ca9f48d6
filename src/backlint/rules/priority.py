"""Priority-consistency rules (BL4xx): does the priority say what the ticket says?"""

from __future__ import annotations

from backlint.hookspecs import hookimpl
from backlint.rule import rule


@rule(
    "BL401",
    "missing-priority",
    family="priority",
    severity="warning",
    kinds=("story", "feature", "bug", "epic"),
)
def missing_priority(ticket, ctx):
    """What: An open story, feature, bug or epic has no priority: no priority field value and
    no priority label (`P0`..`P4`, `priority: high`, ...).

    Why: Unprioritised tickets are either ignored or argued about at every planning; triage
    exists to give each ticket a place in the order.

    Example: A bug "Refund emails sent twice" with no priority set.

    Fix: Set the priority field (Jira, or the Projects "Priority" field), or add one priority
    label such as `P2`.
    """
    if ticket.is_open and ticket.priority is None:
        yield f"This {ticket.kind} has no priority; set one so it can be ordered against the rest."


@hookimpl
def register_rules(register):
    register(missing_priority)
